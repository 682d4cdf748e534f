import * as pulumi from "@pulumi/pulumi";
import { CloudwatchBridgeService } from "../components/cloudwatchBridgeService";
import { FlaskAppService } from "../components/flaskAppService";
import { DashboardSpec, GrafanaContent } from "../components/grafanaContent";
import { GrafanaService } from "../components/grafanaService";
import { MonitoringServices } from "../components/monitoringServices";
import { NodeExporterService } from "../components/nodeExporterService";
import type { RemoteHost, SshAuth } from "../remote/remoteHost";
import type { HostWebSecurity } from "../remote/webSecurity";
import type { Runtime } from "../remote/runtime";
import type { BridgedMetric } from "../cloudwatch/translateAlarms";
import type { NodeDiscovery } from "../configs/nodeDiscovery";
import type { RemoteWriteEndpoint } from "../configs/remoteWrite";
import { bridgeListenAddress } from "../configs/cloudwatchBridge";
import type { SuppliedCertificates } from "../secrets/suppliedCertificates";
import { alertmanagerRoles, bridgeJob, nodeRole, Platform } from "../settings/choices";
import { AlertmanagerClusterArgs, AlertmanagerService } from "../components/alertmanagerService";
import { renderAlertmanagerConfig } from "../configs/alertmanager";
import type { ScrapeJob } from "../settings/formats";
import type { Settings } from "../settings/settings";
import {
    alertmanagerConfigFrom,
    alertmanagerSettingsFrom,
    cloudwatchBridgeFrom,
    flaskAppFrom,
    grafanaAdminPasswordFrom,
    grafanaSettingsFrom,
    nodeExporterSettingsFrom,
    prometheusRulesFrom,
    prometheusSettingsFrom,
} from "./monitoringInputs";
import type { StackOutputs } from "./outputs";
import { deployStackSecurity } from "./stackSecurity";
import { ThanosServices } from "../components/thanosServices";
import { ThanosBucket, thanosExternalLabels, thanosTargets } from "../configs/thanos";

/** A host and how it runs the services. */
export interface PlacedHost {
    readonly host: RemoteHost;
    readonly runtime: Runtime;
}

/** A machine that only runs node_exporter: its resource name, where it is, and its targets' labels. */
export interface NodeHost extends PlacedHost {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
}

/** What the program read from outside before any resource: the same on every platform. */
export interface ProgramInputs {
    /** How the deployment authenticates over SSH (settings sshAgentSocket, sshPrivateKey, sshPrivateKeyFile). */
    readonly sshAuth: SshAuth;
    /** Rule files translated from CloudWatch alarms, by name. */
    readonly extraRules: Readonly<Record<string, string>>;
    readonly dashboards: Readonly<Record<string, DashboardSpec>>;
    /** Static scrape jobs: extraScrapeTargets and the jobs other stacks register. */
    readonly scrapeJobs: readonly ScrapeJob[];
    /** The CloudWatch metrics the translated alarms read through the bridge (setting cloudwatchBridge). */
    readonly bridgedMetrics?: readonly BridgedMetric[];
    /** The certificates of tlsCertificateDir, checked; undefined when the stack issues its own. */
    readonly suppliedCertificates?: SuppliedCertificates;
}

/**
 * Aliases that keep stacks deployed before the one service layer: the URNs under which each
 * platform used to declare a service, so that `pulumi up` moves it instead of replacing it. Full
 * URNs (pulumi.createUrn), as they hold for top-level resources too; children inherit them.
 */
export interface LegacyAliases {
    readonly prometheus?: pulumi.Input<string>[];
    readonly alertmanager?: pulumi.Input<string>[];
    readonly monitoringNodeExporter?: pulumi.Input<string>[];
    readonly appNodeExporter?: pulumi.Input<string>[];
    readonly grafanaNodeExporter?: pulumi.Input<string>[];
    readonly flaskApp?: pulumi.Input<string>[];
    readonly grafana?: pulumi.Input<string>[];
    readonly grafanaAdminPassword?: pulumi.Input<string>[];
}

/** The hosts a platform provides, and what only the platform knows. */
export interface MonitoringLayout {
    readonly platform: Platform;
    /** Prometheus, Alertmanager, and Grafana unless it has a host of its own. */
    readonly monitoring: PlacedHost;
    /** The Flask app. */
    readonly app: PlacedHost;
    /** Grafana's own host (guide 003's layout); without it Grafana shares the monitoring host. */
    readonly grafana?: PlacedHost;
    /** Further machines that only run node_exporter (the hosts platform's node role), with their target labels. */
    readonly nodes?: readonly NodeHost[];
    /** Where Prometheus keeps its data, and what must be done before (mounting a volume). */
    readonly prometheusData: { readonly dataDir: string; readonly dataDirIsMount: boolean; readonly dependsOn?: pulumi.Input<pulumi.Resource>[] };
    /** Steps the Flask app waits for, such as its instance role on aws. */
    readonly appDependsOn?: pulumi.Input<pulumi.Resource>[];
    /** Steps the CloudWatch bridge waits for, such as the monitoring instance's role on aws. */
    readonly bridgeDependsOn?: pulumi.Input<pulumi.Resource>[];
    /** Machines Prometheus finds by tag (setting nodeDiscoveryTag), with the credentials discovery reads. */
    readonly discovery?: pulumi.Input<NodeDiscovery>;
    /** Long-term storage (setting thanos): the bucket as Thanos reaches it, and what must exist first (the bucket, its key, the role that may use it). */
    readonly thanosBucket?: { readonly bucket: pulumi.Input<ThanosBucket>; readonly dependsOn?: pulumi.Input<pulumi.Resource>[] };
    /** Cloud ids for the outputs: instances and what guards their network. */
    readonly ids: Pick<StackOutputs, "monitoringInstanceId" | "appInstanceId" | "instanceIds" | "networkPolicyIds">;
    readonly legacy?: LegacyAliases;
}

/**
 * The one composition of every platform: the services on the hosts the platform provides, then
 * Grafana's content, then the stack outputs. node_exporter runs on every host; Prometheus scrapes
 * the others at their private addresses.
 */
export function deployMonitoringStack(settings: Settings, layout: MonitoringLayout, inputs: ProgramInputs): StackOutputs {
    const { monitoring, app, grafana: grafanaHost } = layout;
    const legacy = layout.legacy ?? {};
    const nodeExporter = nodeExporterSettingsFrom(settings);
    const rules = prometheusRulesFrom(settings, inputs.extraRules);
    const security = deployStackSecurity(settings, inputs.suppliedCertificates);
    const monitoringSecurity = security.forHost("monitoring", monitoring.host);
    const grafanaSecurity = grafanaHost ? security.forHost("grafana", grafanaHost.host) : monitoringSecurity;

    new NodeExporterService("app-node-exporter", { ...app, ...nodeExporter, security: security.forHost("app", app.host) }, { aliases: legacy.appNodeExporter });
    new FlaskAppService("app-flask-app", { host: app.host, ...flaskAppFrom(settings) }, { aliases: legacy.flaskApp, dependsOn: layout.appDependsOn });
    if (grafanaHost) {
        new NodeExporterService(
            "grafana-node-exporter",
            { ...grafanaHost, ...nodeExporter, security: grafanaSecurity },
            { aliases: legacy.grafanaNodeExporter },
        );
    }

    const nodes = layout.nodes ?? [];
    for (const node of nodes) {
        new NodeExporterService(`${node.name}-node-exporter`, { ...node, ...nodeExporter, security: security.forHost(nodeRole, node.host, node.name) });
    }

    const grafanaAdminPassword = settings.grafanaEnabled
        ? grafanaAdminPasswordFrom(settings, "grafana-admin-password", { aliases: legacy.grafanaAdminPassword })
        : undefined;
    const grafanaSettings = grafanaAdminPassword ? { ...grafanaSettingsFrom(settings), adminPassword: grafanaAdminPassword } : undefined;
    // The Alertmanager cluster: one replica per host, in the order of alertmanagerRoles.
    const hostOf = { monitoring, grafana: grafanaHost, app };
    const replicas = alertmanagerRoles(layout.platform, grafanaHost !== undefined)
        .slice(0, settings.alertmanagerReplicas)
        .map((role) => ({ role, placed: hostOf[role]! }));
    const clusterOf = (role: string): AlertmanagerClusterArgs | undefined => {
        if (replicas.length < 2) return undefined;
        const own = replicas.find((r) => r.role === role)!;
        return {
            port: settings.alertmanagerClusterPort,
            advertiseAddress: own.placed.host.privateIp,
            peers: replicas.filter((r) => r !== own).map((r) => r.placed.host.privateIp),
            tls: security.peerTls(role, own.placed.host)!,
        };
    };
    const alertmanager = { ...alertmanagerSettingsFrom(settings), config: alertmanagerConfigFrom(settings) };
    for (const { role, placed } of replicas.slice(1)) {
        new AlertmanagerService(`${role}-alertmanager`, {
            ...placed,
            ...alertmanager,
            config: alertmanager.config.apply(renderAlertmanagerConfig),
            security: role === "grafana" ? grafanaSecurity : security.forHost(role, placed.host),
            cluster: clusterOf(role),
        });
    }
    const alertmanagerPeers = pulumi.all(replicas.slice(1).map((r) => r.placed.host.privateIp.apply((ip) => `${ip}:${settings.alertmanagerPort}`)));

    const target = (host: PlacedHost, port: number, role: string, labels: Readonly<Record<string, string>> = {}) =>
        host.host.privateIp.apply((ip) => ({ address: `${ip}:${port}`, labels: { ...labels, role } }));
    const services = new MonitoringServices("monitoring-services", {
        ...monitoring,
        security: monitoringSecurity,
        prometheus: prometheusSettingsFrom(settings, layout.prometheusData),
        scrapes: pulumi
            .all([
                pulumi.output(layout.discovery),
                settings.remoteWrite,
                alertmanagerPeers,
                pulumi.all([
                    target(app, settings.nodeExporterPort, "app"),
                    ...(grafanaHost ? [target(grafanaHost, settings.nodeExporterPort, "grafana")] : []),
                    ...nodes.map((node) => target(node, settings.nodeExporterPort, nodeRole, node.labels)),
                    target(app, settings.appPort, "app"),
                ]),
            ])
            .apply(([discovery, remoteWrite, peers, targets]) => ({
                ...(peers.length > 0 ? { alertmanagerPeers: peers } : {}),
                ...(discovery ? { discovery: { nodes: discovery as NodeDiscovery, port: settings.nodeExporterPort } } : {}),
                remoteWrite: remoteWrite as readonly RemoteWriteEndpoint[],
                ...(settings.thanos
                    ? {
                          thanos: {
                              externalLabels: thanosExternalLabels(settings.stack),
                              targets: thanosTargets(settings.thanosQueryPort),
                          },
                      }
                    : {}),
                nodes: targets.slice(0, -1),
                flaskApp: rules.flaskAppMetrics ? targets.slice(-1) : [],
                extraJobs: [...inputs.scrapeJobs, ...(settings.cloudwatchBridge ? [{ job: bridgeJob, targets: [bridgeListenAddress] }] : [])],
            })),
        rules,
        alertmanager: { ...alertmanager, cluster: clusterOf("monitoring") },
        nodeExporter,
        grafana: grafanaHost ? undefined : grafanaSettings,
        aliases: { prometheus: legacy.prometheus, alertmanager: legacy.alertmanager, nodeExporter: legacy.monitoringNodeExporter },
    });

    const thanos = settings.thanos ? deployThanos(settings, layout, monitoringSecurity, services) : undefined;

    if (settings.cloudwatchBridge) {
        new CloudwatchBridgeService("monitoring-cloudwatch-bridge", {
            ...monitoring,
            ...cloudwatchBridgeFrom(settings),
            metrics: inputs.bridgedMetrics ?? [],
            // On aws the instance role reads CloudWatch; elsewhere the access key pair.
            accessKeys:
                layout.platform === "aws"
                    ? undefined
                    : { accessKeyId: settings.secrets.cloudwatchBridgeAccessKeyId!, secretAccessKey: settings.secrets.cloudwatchBridgeSecretAccessKey! },
            dependsOn: layout.bridgeDependsOn,
        });
    }

    const grafanaPlace = grafanaHost ?? monitoring;
    const grafana =
        grafanaHost && grafanaSettings
            ? new GrafanaService("grafana", { ...grafanaHost, ...grafanaSettings, security: grafanaSecurity }, { aliases: legacy.grafana })
            : services.grafana;
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
    };
}

/** Thanos next to Prometheus on the monitoring host, once Prometheus runs and the platform's bucket (and the right to use it) exists. */
function deployThanos(settings: Settings, layout: MonitoringLayout, security: HostWebSecurity, services: MonitoringServices): ThanosServices {
    const bucket = layout.thanosBucket;
    if (!bucket) {
        throw new Error(`internal error: the ${layout.platform} platform provides no bucket for thanos; please report it`);
    }
    const prometheus = services.prometheus.service;
    return new ThanosServices("monitoring-thanos", {
        ...layout.monitoring,
        security,
        download: { version: settings.thanosVersion, baseUrl: settings.thanosDownloadBaseUrl, sha256: settings.thanosSha256 },
        imageRepository: settings.thanosImage,
        bucket: bucket.bucket,
        retention: settings.thanosRetention,
        queryPort: settings.thanosQueryPort,
        prometheus: { port: settings.prometheusPort, dataDir: layout.prometheusData.dataDir, dataDirIsMount: layout.prometheusData.dataDirIsMount },
        dependsOn: [prometheus.configureCommand ?? prometheus.installCommand, ...(bucket.dependsOn ?? [])],
    });
}
