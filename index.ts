import { projectDashboards } from "./configs/grafana/dashboards";
import { cloudwatchRuleFiles } from "./inputs/cloudwatchRules";
import { loadDashboard1860 } from "./inputs/grafanaDashboards";
import { deployHosts } from "./platforms/hosts";
import { readMetricsTargets } from "./inputs/metricsTargets";
import { deployAws } from "./platforms/aws";
import { deployLinode } from "./platforms/linode";
import { flaskAppServesMetrics } from "./platforms/monitoringInputs";
import type { StackOutputs } from "./platforms/outputs";
import * as pulumi from "@pulumi/pulumi";
import { readSuppliedCertificates } from "./secrets/suppliedCertificates";
import { loadSettings, resolveSshAuth } from "./settings/settings";

/**
 * The program: settings, then everything read from outside (keys, alarm files, dashboards), then
 * the platform's components. Every input is checked before the first resource is declared, so
 * bad settings, an unreadable file or a failed download change nothing.
 */
export = async (): Promise<StackOutputs> => {
    const settings = loadSettings();
    const sshAuth = resolveSshAuth(settings);
    const suppliedCertificates = readSuppliedCertificates(settings, (warning) => void pulumi.log.warn(warning));
    const cloudwatch = cloudwatchRuleFiles(settings);
    const extraRules = cloudwatch.ruleFiles;
    const scrapeJobs = [...settings.extraScrapeTargets, ...(await readMetricsTargets(settings))];
    const dashboards = settings.grafanaEnabled
        ? await loadDashboard1860(settings).then((loaded) =>
              projectDashboards({
                  dashboard1860: loaded.text,
                  dashboard1860Origin: loaded.origin,
                  datasourceUid: settings.grafanaDatasourceUid,
                  flaskAppMetrics: flaskAppServesMetrics(settings),
              }),
          )
        : {};

    switch (settings.platform) {
        case "linode":
            return deployLinode(settings, { sshAuth, suppliedCertificates, extraRules, bridgedMetrics: cloudwatch.bridged, dashboards, scrapeJobs });
        case "aws":
            return deployAws(settings, { sshAuth, suppliedCertificates, extraRules, bridgedMetrics: cloudwatch.bridged, dashboards, scrapeJobs });
        case "hosts":
            return deployHosts(settings, { sshAuth, suppliedCertificates, extraRules, bridgedMetrics: cloudwatch.bridged, dashboards, scrapeJobs });
        default: {
            const unknown: never = settings.platform;
            throw new Error(`platform ${String(unknown)} has no deployment`);
        }
    }
};
