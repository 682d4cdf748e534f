import { projectDashboards } from "./components/grafana/projectDashboards";
import { cloudwatchRuleFiles } from "./stack/cloudwatchRules";
import { cloudwatchDashboards } from "./stack/cloudwatchDashboards";
import { loadDashboard1860 } from "./components/grafana/dashboard1860";
import { deployHosts } from "./platforms/hosts/deployHosts";
import { readMetricsTargets } from "./components/prometheus/metricsTargets";
import { deployAws } from "./platforms/aws/deployAws";
import { deployLinode } from "./platforms/linode/deployLinode";
import { flaskAppServesMetrics } from "./components/flaskApp/flaskApp.module";
import type { StackOutputs } from "./stack/outputs";
import * as pulumi from "@pulumi/pulumi";
import { readSuppliedCertificates } from "./security/suppliedCertificates";
import { loadSettings } from "./stack/loadSettings";
import { resolveSshAuth } from "./remote/sshAuth";
import { logRuleFiles } from "./components/vmalert/vmalertRules";

/**
 * The program: settings, then everything read from outside (keys, alarm files, dashboards, CloudWatch's dashboards), then
 * the platform's components. Every input is checked before the first resource is declared, so
 * bad settings, an unreadable file or a failed download change nothing.
 */
export = async (): Promise<StackOutputs> => {
    const settings = loadSettings();
    const sshAuth = resolveSshAuth(settings);
    const suppliedCertificates = readSuppliedCertificates(settings, (warning) => void pulumi.log.warn(warning));
    const cloudwatch = cloudwatchRuleFiles(settings);
    const extraRules = cloudwatch.ruleFiles;
    const logRules = { ...logRuleFiles(settings), ...cloudwatch.logRuleFiles };
    const scrapeJobs = [...settings.extraScrapeTargets, ...(await readMetricsTargets(settings))];
    const translatedDashboards = cloudwatchDashboards(settings, cloudwatch.alarmAlerts);
    const bridgedMetrics = [...cloudwatch.bridged, ...translatedDashboards.bridged];
    const dashboards = settings.grafanaEnabled
        ? await loadDashboard1860(settings).then((loaded) => ({
              ...projectDashboards({
                  dashboard1860: loaded.text,
                  dashboard1860Origin: loaded.origin,
                  datasourceUid: settings.grafanaDatasourceUid,
                  flaskAppMetrics: flaskAppServesMetrics(settings),
                  ...(settings.logs ? { logsDatasourceUid: settings.grafanaLogsDatasourceUid } : {}),
              }),
              ...translatedDashboards.dashboards,
          }))
        : {};

    switch (settings.platform) {
        case "linode":
            return deployLinode(settings, { sshAuth, suppliedCertificates, extraRules, logRules, bridgedMetrics, dashboards, scrapeJobs });
        case "aws":
            return deployAws(settings, { sshAuth, suppliedCertificates, extraRules, logRules, bridgedMetrics, dashboards, scrapeJobs });
        case "hosts":
            return deployHosts(settings, { sshAuth, suppliedCertificates, extraRules, logRules, bridgedMetrics, dashboards, scrapeJobs });
        default: {
            const unknown: never = settings.platform;
            throw new Error(`platform ${String(unknown)} has no deployment`);
        }
    }
};
