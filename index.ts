import { loadSettings, resolveSshPrivateKey } from "./settings/settings";
import { cloudwatchRuleFiles } from "./platforms/cloudwatchRules";
import { deployLinode } from "./platforms/linode";
import type { StackOutputs } from "./platforms/outputs";

// Settings are read and validated before any resource is declared: bad settings stop here.
const settings = loadSettings();
const sshPrivateKey = resolveSshPrivateKey(settings);
const translatedRules = cloudwatchRuleFiles(settings);

function deploy(): StackOutputs {
    switch (settings.platform) {
        case "linode":
            return deployLinode(settings, sshPrivateKey, translatedRules);
        default: {
            const unknown: never = settings.platform;
            throw new Error(`platform ${String(unknown)} has no deployment`);
        }
    }
}

const outputs = deploy();
export const platform = outputs.platform;
export const prometheusUrl = outputs.prometheusUrl;
export const alertmanagerUrl = outputs.alertmanagerUrl;
export const grafanaUrl = outputs.grafanaUrl;
export const grafanaAdminPassword = outputs.grafanaAdminPassword;
export const flaskAppUrl = outputs.flaskAppUrl;
export const monitoringPublicIp = outputs.monitoringPublicIp;
export const monitoringPrivateIp = outputs.monitoringPrivateIp;
export const appPublicIp = outputs.appPublicIp;
export const appPrivateIp = outputs.appPrivateIp;
export const monitoringInstanceId = outputs.monitoringInstanceId;
export const appInstanceId = outputs.appInstanceId;
