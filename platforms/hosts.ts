import * as pulumi from "@pulumi/pulumi";
import { FlaskAppService } from "../components/flaskAppService";
import { DashboardSpec, GrafanaContent } from "../components/grafanaContent";
import { GrafanaService } from "../components/grafanaService";
import { MonitoringServices } from "../components/monitoringServices";
import { NodeExporterService } from "../components/nodeExporterService";
import { RemoteHost, waitForHost } from "../components/remoteHost";
import type { Settings } from "../settings/settings";
import type { ExistingHost, ScrapeJob } from "../settings/formats";
import {
    alertmanagerConfigFrom,
    alertThresholdsFrom,
    flaskAppFrom,
    grafanaAdminPasswordFrom,
    grafanaSettingsFrom,
    prometheusSettingsFrom,
    releaseDownloadsFrom,
} from "./monitoringInputs";
import type { StackOutputs } from "./outputs";

/** What the hosts platform takes besides the settings. */
export interface HostsInputs {
    readonly sshPrivateKey: pulumi.Input<string>;
    readonly extraRules: Readonly<Record<string, string>>;
    readonly dashboards: Readonly<Record<string, DashboardSpec>>;
    readonly scrapeJobs: readonly ScrapeJob[];
}

/** A machine as a RemoteHost: reached over SSH at its address, which other hosts use too. */
function existingHost(host: ExistingHost, sshPrivateKey: pulumi.Input<string>): RemoteHost {
    const connection = { host: host.address, port: host.port, user: host.user, privateKey: pulumi.secret(sshPrivateKey) };
    const ready = waitForHost(`${host.role}-ready`, connection, {});
    return { connection, ready, privateIp: pulumi.output(host.address), publicIp: pulumi.output(host.address) };
}

/**
 * Machines that already exist (on premises, another cloud, the local lab), reached over SSH: the
 * same service components as on Linode install the stack. Two machines (monitoring, app), or
 * three with Grafana on its own (prometheus, grafana, app). Their firewalls stay yours: the ports
 * to open are those of policy/exposure.ts.
 */
export function deployHosts(settings: Settings, inputs: HostsInputs): StackOutputs {
    const machines: Record<string, ExistingHost> = Object.fromEntries(settings.hosts.map((h) => [h.role, h]));
    const hosts = Object.fromEntries(Object.entries(machines).map(([role, h]) => [role, existingHost(h, inputs.sshPrivateKey)]));
    const separateGrafana = "grafana" in machines;
    const monitoringRole = separateGrafana ? "prometheus" : "monitoring";
    const monitoring = hosts[monitoringRole];
    const downloads = releaseDownloadsFrom(settings);
    const nodeExporter = { download: downloads.nodeExporter, port: settings.nodeExporterPort, collectors: settings.nodeExporterCollectors };
    const flaskAppMetrics = settings.appMetricsMode !== "cloudwatch";
    const appAddress = machines.app.address;

    new NodeExporterService("app-node-exporter", { host: hosts.app, ...nodeExporter });
    new FlaskAppService("app-flask-app", { host: hosts.app, ...flaskAppFrom(settings) });
    if (separateGrafana) {
        new NodeExporterService("grafana-node-exporter", { host: hosts.grafana, ...nodeExporter });
    }

    const grafanaAdminPassword = settings.grafanaEnabled ? grafanaAdminPasswordFrom(settings, "grafana-admin-password") : undefined;
    const grafanaSettings = grafanaSettingsFrom(settings);
    const services = new MonitoringServices("monitoring-services", {
        host: monitoring,
        prometheus: prometheusSettingsFrom(settings, { dataDir: "/var/lib/prometheus", dataDirIsMount: false }),
        alertmanager: { download: downloads.alertmanager, port: settings.alertmanagerPort, config: alertmanagerConfigFrom(settings) },
        alertThresholds: alertThresholdsFrom(settings),
        extraRules: inputs.extraRules,
        nodeExporter,
        grafana: grafanaAdminPassword && !separateGrafana ? { ...grafanaSettings, adminPassword: grafanaAdminPassword } : undefined,
        remoteNodes: [
            { address: `${appAddress}:${settings.nodeExporterPort}`, labels: { role: "app" } },
            ...(separateGrafana ? [{ address: `${machines.grafana.address}:${settings.nodeExporterPort}`, labels: { role: "grafana" } }] : []),
        ],
        flaskApp: flaskAppMetrics ? [{ address: `${appAddress}:${settings.appPort}`, labels: { role: "app" } }] : [],
        flaskAppMetrics,
        extraJobs: inputs.scrapeJobs,
    });

    const grafanaHost = separateGrafana ? machines.grafana : machines[monitoringRole];
    const grafanaService =
        grafanaAdminPassword && separateGrafana
            ? new GrafanaService("grafana", { host: hosts.grafana, ...grafanaSettings, adminPassword: grafanaAdminPassword })
            : services.grafana;
    const grafanaUrl = `http://${grafanaHost.address}:${settings.grafanaPort}`;
    const content =
        grafanaService && grafanaAdminPassword
            ? new GrafanaContent("grafana-content", {
                  url: grafanaUrl,
                  adminPassword: grafanaAdminPassword,
                  host: { connection: hosts[separateGrafana ? "grafana" : monitoringRole].connection, port: settings.grafanaPort },
                  dependsOn: [grafanaService.service.installCommand],
                  datasource: {
                      uid: settings.grafanaDatasourceUid,
                      url:
                          settings.grafanaDatasourceUrl ||
                          (separateGrafana
                              ? `http://${machines.prometheus.address}:${settings.prometheusPort}`
                              : `http://localhost:${settings.prometheusPort}`),
                      scrapeInterval: settings.scrapeInterval,
                  },
                  folderTitle: settings.grafanaFolder,
                  dashboards: inputs.dashboards,
              })
            : undefined;

    const address = machines[monitoringRole].address;
    const ids = Object.fromEntries(Object.entries(machines).map(([role, h]) => [role === "prometheus" ? "monitoring" : role, h.address]));
    return {
        platform: "hosts",
        prometheusUrl: pulumi.output(`http://${address}:${settings.prometheusPort}`),
        alertmanagerUrl: pulumi.output(`http://${address}:${settings.alertmanagerPort}`),
        grafanaUrl: pulumi.output(content ? grafanaUrl : ""),
        grafanaDatasourceUid: content ? content.datasource.uid : pulumi.output(""),
        dashboardUrls: content ? content.dashboardUrls : pulumi.output<Record<string, string>>({}),
        grafanaAdminPassword: pulumi.secret(grafanaAdminPassword ?? pulumi.output("")),
        flaskAppUrl: pulumi.output(`http://${appAddress}:${settings.appPort}`),
        monitoringPublicIp: pulumi.output(address),
        monitoringPrivateIp: pulumi.output(address),
        appPublicIp: pulumi.output(appAddress),
        appPrivateIp: pulumi.output(appAddress),
        // Existing machines have no cloud id: their addresses stand in.
        monitoringInstanceId: pulumi.output(address),
        appInstanceId: pulumi.output(appAddress),
        instanceIds: pulumi.output(ids),
        networkPolicyIds: pulumi.output<Record<string, string>>({}),
    };
}
