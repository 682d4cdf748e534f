import * as pulumi from "@pulumi/pulumi";
import { GrafanaContent } from "../components/grafana/grafanaContent";
import { grafanaAdminPasswordFrom } from "../components/grafana/grafana.module";
import type { GrafanaService } from "../components/grafana/grafanaService";
import type { HostWebSecurity } from "../security/webSecurity";
import { nodeRole } from "../settings/choices";
import type { Settings } from "../settings/settings";
import type { MonitoringLayout, PlacedHost, ProgramInputs } from "./layout";
import { legacyAliases } from "./legacyAliases";
import { MonitoringServices } from "./monitoringServices";
import type { StackOutputs } from "./outputs";
import { monitoringGroupName, placementsOf } from "./placementPlan";
import { scrapeTopologyOf } from "./scrapeTopology";
import type { StackContext } from "./serviceModule";
import { planByModule } from "./serviceModules";
import { deployStackSecurity } from "./stackSecurity";

/**
 * The one composition of every platform: the plan of which service runs where, each placement
 * deployed by its service's module, then Grafana's content, then the stack outputs. node_exporter
 * runs on every host; Prometheus scrapes the others at their private addresses.
 */
export function deployMonitoringStack(settings: Settings, layout: MonitoringLayout, inputs: ProgramInputs): StackOutputs {
    const { monitoring, app, grafana: grafanaHost } = layout;
    const nodes = layout.nodes ?? [];
    const planned = planByModule({
        platform: layout.platform,
        separateGrafana: grafanaHost !== undefined,
        nodes: nodes.map((node) => node.name),
        alertmanagerReplicas: settings.alertmanagerReplicas,
        prometheusReplicas: settings.prometheusReplicas,
        grafanaEnabled: settings.grafanaEnabled,
        thanos: settings.thanos,
        cloudwatchBridge: settings.cloudwatchBridge,
        logs: settings.logs,
    });
    const plan = planned.map(({ placement }) => placement);
    const aliases = legacyAliases(layout.platform);
    const security = deployStackSecurity(settings, inputs.suppliedCertificates);
    const monitoringSecurity = security.forHost("monitoring", monitoring.host);
    const grafanaSecurity = grafanaHost ? security.forHost("grafana", grafanaHost.host) : monitoringSecurity;

    // The hosts the plan names: the layout's roles, and the node hosts by name.
    const hostOf = (name: string): PlacedHost => {
        const host = { monitoring, app, grafana: grafanaHost }[name] ?? nodes.find((node) => node.name === name);
        if (!host)
            throw new Error(`internal error: the plan places a service on ${name}, a host the ${layout.platform} platform does not provide; please report it`);
        return host;
    };
    const securityOf = (name: string): HostWebSecurity => {
        if (name === "monitoring") return monitoringSecurity;
        if (name === "grafana") return grafanaSecurity;
        const node = nodes.find((n) => n.name === name);
        return node ? security.forHost(nodeRole, node.host, node.name) : security.forHost(name, hostOf(name).host);
    };
    const grafanaAdminPassword = settings.grafanaEnabled
        ? grafanaAdminPasswordFrom(settings, "grafana-admin-password", { aliases: aliases["grafana-admin-password"] })
        : undefined;
    const group = new MonitoringServices(monitoringGroupName);
    const deployed = new Map<string, pulumi.ComponentResource>();
    const context: StackContext = {
        settings,
        layout,
        inputs,
        plan,
        security,
        hostOf,
        securityOf,
        optionsOf: (p, extra = {}) => ({ ...extra, ...(p.grouped ? { parent: group } : {}), aliases: aliases[p.name] }),
        scrapeTopology: scrapeTopologyOf(settings, layout, inputs, plan, hostOf),
        grafanaAdminPassword,
        deployed: <T extends pulumi.ComponentResource>(name: string) => deployed.get(name) as T | undefined,
    };
    for (const { module, placement } of planned) {
        deployed.set(placement.name, module.deploy(placement, context));
    }
    group.placed();

    const thanos = settings.thanos;
    const grafanaPlacement = placementsOf(plan, "grafana")[0];
    const grafana = grafanaPlacement ? context.deployed<GrafanaService>(grafanaPlacement.name) : undefined;
    const grafanaPlace = grafanaPlacement ? hostOf(grafanaPlacement.host) : monitoring;
    const scheme = settings.webTls ? "https" : "http";
    const queryPort = thanos ? settings.thanosQueryPort : settings.prometheusPort;
    const grafanaUrl = pulumi.interpolate`${scheme}://${grafanaPlace.host.publicIp}:${settings.grafanaPort}`;
    const content =
        grafana && grafanaAdminPassword
            ? new GrafanaContent("grafana-content", {
                  url: grafanaUrl,
                  adminPassword: grafanaAdminPassword,
                  host: { connection: grafanaPlace.host.connection, port: settings.grafanaPort },
                  caCertificate: security.caCertificate,
                  dependsOn: [grafana.service.installCommand],
                  datasource: {
                      uid: settings.grafanaDatasourceUid,
                      // Grafana reaches Prometheus on its own host, or over the private network.
                      // With long-term storage, Thanos Query answers: the bucket's history and Prometheus's recent data.
                      url:
                          settings.grafanaDatasourceUrl ||
                          (grafanaHost ? pulumi.interpolate`${scheme}://${monitoring.host.privateIp}:${queryPort}` : `${scheme}://localhost:${queryPort}`),
                      scrapeInterval: settings.scrapeInterval,
                      auth: security.auth,
                  },
                  // The log store, on the monitoring host: on Grafana's own host or over the private network.
                  ...(settings.logs
                      ? {
                            logsDatasource: {
                                uid: settings.grafanaLogsDatasourceUid,
                                url: grafanaHost
                                    ? pulumi.interpolate`${scheme}://${monitoring.host.privateIp}:${settings.victoriaLogsPort}`
                                    : `${scheme}://localhost:${settings.victoriaLogsPort}`,
                                auth: security.auth,
                            },
                        }
                      : {}),
                  folderTitle: settings.grafanaFolder,
                  dashboards: inputs.dashboards,
              })
            : undefined;

    const monitoringIp = monitoring.host.publicIp;
    return {
        platform: layout.platform,
        prometheusUrl: pulumi.interpolate`${scheme}://${monitoringIp}:${settings.prometheusPort}`,
        alertmanagerUrl: pulumi.interpolate`${scheme}://${monitoringIp}:${settings.alertmanagerPort}`,
        tlsCaCertificate: security.caCertificate ?? pulumi.output(""),
        webUsername: pulumi.output(security.auth?.username ?? ""),
        webPassword: pulumi.secret(security.auth?.password ?? pulumi.output("")),
        grafanaUrl: content ? grafanaUrl : pulumi.output(""),
        grafanaDatasourceUid: content ? content.datasource.uid : pulumi.output(""),
        dashboardUrls: content ? content.dashboardUrls : pulumi.output<Record<string, string>>({}),
        grafanaAdminPassword: pulumi.secret(grafanaAdminPassword ?? pulumi.output("")),
        flaskAppUrl: pulumi.interpolate`http://${app.host.publicIp}:${settings.appPort}`,
        monitoringPublicIp: monitoringIp,
        monitoringPrivateIp: monitoring.host.privateIp,
        appPublicIp: app.host.publicIp,
        appPrivateIp: app.host.privateIp,
        ...layout.ids,
        thanosQueryUrl: thanos ? pulumi.interpolate`${scheme}://${monitoringIp}:${settings.thanosQueryPort}` : pulumi.output(""),
        // The bucket's name is no secret, though the key pair beside it is.
        metricsBucket: thanos ? pulumi.unsecret(pulumi.output(layout.thanosBucket!.bucket).apply((b) => b.bucket)) : pulumi.output(""),
        logStoreUrl: settings.logs ? pulumi.interpolate`${scheme}://${monitoringIp}:${settings.victoriaLogsPort}` : pulumi.output(""),
        logAlertsUrl: settings.logs ? pulumi.interpolate`${scheme}://${monitoringIp}:${settings.vmalertPort}` : pulumi.output(""),
        logExportBucket: layout.logExportBucket ?? pulumi.output(""),
    };
}
