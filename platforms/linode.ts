import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { FlaskAppHost } from "../components/flaskAppHost";
import { LinodeMonitoringHost } from "../components/linodeMonitoringHost";
import { GrafanaContent, DashboardSpec } from "../components/grafanaContent";
import { MonitoringServices } from "../components/monitoringServices";
import { linodeExposure, resolveRules } from "../policy/exposure";
import type { Settings } from "../settings/settings";
import type { ScrapeJob } from "../settings/formats";
import {
    alertmanagerConfigFrom,
    alertThresholdsFrom,
    flaskAppFrom,
    grafanaSettingsFrom,
    prometheusSettingsFrom,
    releaseDownloadsFrom,
} from "./monitoringInputs";
import type { StackOutputs } from "./outputs";

/** Cloud labels of the two hosts: <labelPrefix>-<stack>-mon and <labelPrefix>-<stack>-app. */
export function linodeLabels(settings: Pick<Settings, "labelPrefix" | "stack">): { monitoring: string; app: string } {
    const base = `${settings.labelPrefix}-${settings.stack}`;
    return { monitoring: `${base}-mon`, app: `${base}-app` };
}

/**
 * The Linode layout of guide 000: a monitoring host (Prometheus, Alertmanager, node_exporter,
 * Grafana, a data volume) and a Flask app host (the app and node_exporter), each behind a firewall.
 */
/** What the Linode platform takes besides the settings. */
export interface LinodeInputs {
    /** Private key the deployment reaches the hosts with (secret). */
    readonly sshPrivateKey: pulumi.Input<string>;
    /** Extra rule files, such as the CloudWatch alarm translation. */
    readonly extraRules: Readonly<Record<string, string>>;
    /** Grafana dashboards, prepared for import (only used when Grafana is enabled). */
    readonly dashboards: Readonly<Record<string, DashboardSpec>>;
    /** Static scrape jobs: extraScrapeTargets and the jobs other stacks register. */
    readonly scrapeJobs: readonly ScrapeJob[];
}

export function deployLinode(settings: Settings, inputs: LinodeInputs): StackOutputs {
    const { sshPrivateKey, extraRules } = inputs;
    const labels = linodeLabels(settings);
    const tags = [...new Set([...settings.tags, `stack-${settings.stack}`])];
    const rootPassword =
        settings.secrets.rootPassword ?? new random.RandomPassword("root-password", { length: 32, special: true, overrideSpecial: "-_.~" }).result;
    const exposure = linodeExposure({
        adminCidrs: settings.adminCidrs,
        viewerCidrs: settings.viewerCidrs,
        appCidrs: settings.appCidrs,
        grafanaEnabled: settings.grafanaEnabled,
        ports: {
            prometheus: settings.prometheusPort,
            alertmanager: settings.alertmanagerPort,
            nodeExporter: settings.nodeExporterPort,
            grafana: settings.grafanaPort,
            app: settings.appPort,
        },
    });
    const common = { region: settings.region, image: settings.image, tags, authorizedKeys: settings.sshPublicKeys, rootPassword, sshPrivateKey };
    const downloads = releaseDownloadsFrom(settings);
    const nodeExporter = { download: downloads.nodeExporter, port: settings.nodeExporterPort, collectors: settings.nodeExporterCollectors };

    const monitoring = new LinodeMonitoringHost("monitoring", {
        ...common,
        label: labels.monitoring,
        type: settings.monitoringInstanceType,
        volumeSizeGb: settings.prometheusVolumeSizeGb,
        firewallRules: resolveRules(exposure, "monitoring", () => []),
    });
    const monitoringAddresses = pulumi.all([monitoring.instance.ipAddress, monitoring.instance.privateIpAddress]);

    const app = new FlaskAppHost("app", {
        ...common,
        label: labels.app,
        type: settings.appInstanceType,
        firewallRules: monitoringAddresses.apply((addresses) => resolveRules(exposure, "app", () => addresses)),
        nodeExporter,
        app: flaskAppFrom(settings),
    });

    const extraJobs = inputs.scrapeJobs;
    const services = new MonitoringServices("monitoring-services", {
        host: monitoring.host,
        prometheus: prometheusSettingsFrom(settings, { dataDir: monitoring.dataMountPoint, dataDirIsMount: true, dependsOn: [monitoring.volumeMount] }),
        alertmanager: { download: downloads.alertmanager, port: settings.alertmanagerPort, config: alertmanagerConfigFrom(settings) },
        alertThresholds: alertThresholdsFrom(settings),
        extraRules,
        nodeExporter,
        grafana: settings.grafanaEnabled ? { ...grafanaSettingsFrom(settings), adminPassword: settings.secrets.grafanaAdminPassword } : undefined,
        remoteNodes: app.instance.privateIpAddress.apply((ip) => [{ address: `${ip}:${settings.nodeExporterPort}`, labels: { role: "app" } }]),
        flaskApp:
            settings.appMetricsMode === "cloudwatch"
                ? []
                : app.instance.privateIpAddress.apply((ip) => [{ address: `${ip}:${settings.appPort}`, labels: { role: "app" } }]),
        flaskAppMetrics: settings.appMetricsMode !== "cloudwatch",
        extraJobs,
    });

    const publicIp = monitoring.instance.ipAddress;
    const grafanaUrl = pulumi.interpolate`http://${publicIp}:${settings.grafanaPort}`;
    const content =
        services.grafana && services.grafanaAdminPassword
            ? new GrafanaContent("grafana-content", {
                  url: grafanaUrl,
                  adminPassword: services.grafanaAdminPassword,
                  host: { connection: monitoring.host.connection, port: settings.grafanaPort },
                  dependsOn: [services.grafana.service.installCommand],
                  datasource: {
                      uid: settings.grafanaDatasourceUid,
                      url: settings.grafanaDatasourceUrl || `http://localhost:${settings.prometheusPort}`,
                      scrapeInterval: settings.scrapeInterval,
                  },
                  folderTitle: settings.grafanaFolder,
                  dashboards: inputs.dashboards,
              })
            : undefined;
    return {
        platform: "linode",
        prometheusUrl: pulumi.interpolate`http://${publicIp}:${settings.prometheusPort}`,
        alertmanagerUrl: pulumi.interpolate`http://${publicIp}:${settings.alertmanagerPort}`,
        grafanaUrl: content ? grafanaUrl : pulumi.output(""),
        grafanaDatasourceUid: content ? content.datasource.uid : pulumi.output(""),
        dashboardUrls: content ? content.dashboardUrls : pulumi.output<Record<string, string>>({}),
        grafanaAdminPassword: pulumi.secret(services.grafanaAdminPassword ?? pulumi.output("")),
        flaskAppUrl: pulumi.interpolate`http://${app.instance.ipAddress}:${settings.appPort}`,
        monitoringPublicIp: publicIp,
        monitoringPrivateIp: monitoring.instance.privateIpAddress,
        appPublicIp: app.instance.ipAddress,
        appPrivateIp: app.instance.privateIpAddress,
        monitoringInstanceId: monitoring.instance.id,
        appInstanceId: app.instance.id,
        instanceIds: pulumi.all({ monitoring: monitoring.instance.id, app: app.instance.id }),
        networkPolicyIds: pulumi.all({ monitoring: monitoring.firewall.id, app: app.firewall.id }),
    };
}
