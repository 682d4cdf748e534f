import * as pulumi from "@pulumi/pulumi";
import { CloudwatchBridgeService } from "../components/cloudwatchBridge/cloudwatchBridgeService";
import { FlaskAppService } from "../components/flaskApp/flaskAppService";
import { DashboardSpec, GrafanaContent } from "../components/grafana/grafanaContent";
import { GrafanaService } from "../components/grafana/grafanaService";
import { MonitoringServices } from "./monitoringServices";
import { NodeExporterService } from "../components/nodeExporter/nodeExporterService";
import type { RemoteHost, SshAuth } from "../remote/remoteHost";
import type { HostWebSecurity } from "../security/webSecurity";
import type { Runtime } from "../runtimes/runtime";
import type { BridgedMetric } from "../cloudwatch/translateAlarms";
import type { NodeDiscovery } from "../components/prometheus/nodeDiscovery";
import type { RemoteWriteEndpoint } from "../settings/remoteWriteEntries";
import { bridgeListenAddress } from "../components/cloudwatchBridge/bridgeConfig";
import type { SuppliedCertificates } from "../security/suppliedCertificates";
import { replicaRoles, bridgeJob, nodeRole, Platform } from "../settings/choices";
import { AlertmanagerClusterArgs, AlertmanagerService } from "../components/alertmanager/alertmanagerService";
import { renderAlertmanagerConfig } from "../components/alertmanager/alertmanagerConfig";
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
    releaseOf,
} from "./serviceArgs";
import type { StackOutputs } from "./outputs";
import { deployStackSecurity, StackSecurity } from "./stackSecurity";
import { ThanosServices } from "../components/thanos/thanosServices";
import { ThanosSidecar } from "../components/thanos/thanosSidecar";
import { defaultPrometheusDataDir, PrometheusService } from "../components/prometheus/prometheusService";
import { withMonitoringHost } from "../components/prometheus/prometheusFiles";
import { replicaExternalLabels, ThanosBucket, thanosPorts, thanosTargets } from "../components/thanos/thanosConfig";

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
    /** Steps a further Prometheus replica (and its bridge and sidecar) waits for, by host role: its instance role on aws. */
    readonly prometheusReplicaDependsOn?: Readonly<Record<string, pulumi.Input<pulumi.Resource>[]>>;
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
    // The Alertmanager cluster and the Prometheus replicas: one replica per host, in the order of replicaRoles.
    const hostOf = { monitoring, grafana: grafanaHost, app };
    const placedReplicas = (count: number) =>
        replicaRoles(layout.platform, grafanaHost !== undefined)
            .slice(0, count)
            .map((role) => ({ role, placed: hostOf[role]! }));
    const replicas = placedReplicas(settings.alertmanagerReplicas);
    const prometheusReplicas = placedReplicas(settings.prometheusReplicas);
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
    // What every Prometheus replica scrapes, the same targets under the same names; all but what runs on its own host.
    const sharedScrapes = pulumi
        .all([
            pulumi.output(layout.discovery),
            settings.remoteWrite,
            alertmanagerPeers,
            pulumi.all(prometheusReplicas.slice(1).map((r) => r.placed.host.privateIp.apply((ip) => `${ip}:${settings.prometheusPort}`))),
            pulumi.all([
                target(app, settings.nodeExporterPort, "app"),
                ...(grafanaHost ? [target(grafanaHost, settings.nodeExporterPort, "grafana")] : []),
                ...nodes.map((node) => target(node, settings.nodeExporterPort, nodeRole, node.labels)),
                target(app, settings.appPort, "app"),
            ]),
        ])
        .apply(([discovery, remoteWrite, peers, prometheusPeers, targets]) => ({
            ...(peers.length > 0 ? { alertmanagerPeers: peers } : {}),
            ...(prometheusPeers.length > 0 ? { prometheusPeers } : {}),
            ...(discovery ? { discovery: { nodes: discovery as NodeDiscovery, port: settings.nodeExporterPort } } : {}),
            remoteWrite: remoteWrite as readonly RemoteWriteEndpoint[],
            nodes: targets.slice(0, -1),
            flaskApp: rules.flaskAppMetrics ? targets.slice(-1) : [],
            // The bridge listens on the loopback of every Prometheus replica's host.
            extraJobs: [...inputs.scrapeJobs, ...(settings.cloudwatchBridge ? [{ job: bridgeJob, targets: [bridgeListenAddress] }] : [])],
        }));
    // With Thanos or replicas, each replica's own labels and the Thanos components on its host.
    const ownScrapes = (replica: number) => ({
        ...(settings.thanos || prometheusReplicas.length > 1 ? { externalLabels: replicaExternalLabels(settings.stack, replica) } : {}),
        ...(settings.thanos ? { thanos: { targets: thanosTargets(settings.thanosQueryPort, replica) } } : {}),
    });
    const ports = { prometheus: settings.prometheusPort, alertmanager: settings.alertmanagerPort, nodeExporter: settings.nodeExporterPort };
    const services = new MonitoringServices("monitoring-services", {
        ...monitoring,
        security: monitoringSecurity,
        prometheus: prometheusSettingsFrom(settings, layout.prometheusData),
        scrapes: sharedScrapes.apply((scrapes) => ({ ...scrapes, ...ownScrapes(0) })),
        ...(prometheusReplicas.length > 1 ? { scrapeAddress: monitoring.host.privateIp } : {}),
        rules,
        alertmanager: { ...alertmanager, cluster: clusterOf("monitoring") },
        nodeExporter,
        grafana: grafanaHost ? undefined : grafanaSettings,
        aliases: { prometheus: legacy.prometheus, alertmanager: legacy.alertmanager, nodeExporter: legacy.monitoringNodeExporter },
    });

    // The further Prometheus replicas: the same scrapes and rules as the monitoring host's, with their own replica label.
    const replicaHosts = prometheusReplicas.slice(1).map(({ role, placed }, i): PrometheusReplica => {
        const replica = i + 1;
        const prometheusData = { dataDir: defaultPrometheusDataDir, dataDirIsMount: false, dependsOn: layout.prometheusReplicaDependsOn?.[role] };
        const hostSecurity = role === "grafana" ? grafanaSecurity : security.forHost(role, placed.host);
        const prometheus = new PrometheusService(`${role}-prometheus`, {
            ...placed,
            security: hostSecurity,
            ...prometheusSettingsFrom(settings, prometheusData),
            topology: pulumi
                .all([sharedScrapes, monitoring.host.privateIp])
                .apply(([scrapes, address]) => withMonitoringHost({ ...scrapes, ...ownScrapes(replica) }, address, ports)),
            rules,
        });
        return { role, placed, prometheus, prometheusData, security: hostSecurity };
    });

    const thanos = settings.thanos ? deployThanos(settings, layout, monitoringSecurity, services, replicaHosts, security) : undefined;

    if (settings.cloudwatchBridge) {
        // One bridge beside each Prometheus replica, which scrapes it on its loopback.
        for (const { role, placed } of prometheusReplicas) {
            new CloudwatchBridgeService(`${role}-cloudwatch-bridge`, {
                ...placed,
                ...cloudwatchBridgeFrom(settings),
                metrics: inputs.bridgedMetrics ?? [],
                // On aws the instance role reads CloudWatch; elsewhere the access key pair.
                accessKeys:
                    layout.platform === "aws"
                        ? undefined
                        : { accessKeyId: settings.secrets.cloudwatchBridgeAccessKeyId!, secretAccessKey: settings.secrets.cloudwatchBridgeSecretAccessKey! },
                dependsOn: role === "monitoring" ? layout.bridgeDependsOn : layout.prometheusReplicaDependsOn?.[role],
            });
        }
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

/** A further Prometheus replica as deployed: its host, its Prometheus and where it keeps its data. */
interface PrometheusReplica {
    readonly role: string;
    readonly placed: PlacedHost;
    readonly prometheus: PrometheusService;
    readonly prometheusData: { readonly dataDir: string; readonly dataDirIsMount: boolean };
    readonly security: HostWebSecurity;
}

/**
 * Thanos next to Prometheus on the monitoring host, once Prometheus runs and the platform's bucket
 * (and the right to use it) exists; and a sidecar beside each further replica, which Query reaches
 * over mutual TLS.
 */
function deployThanos(
    settings: Settings,
    layout: MonitoringLayout,
    security: HostWebSecurity,
    services: MonitoringServices,
    replicas: readonly PrometheusReplica[],
    stackSecurity: StackSecurity,
): ThanosServices {
    const bucket = layout.thanosBucket;
    if (!bucket) {
        throw new Error(`internal error: the ${layout.platform} platform provides no bucket for thanos; please report it`);
    }
    const release = { ...releaseOf(settings, "thanos"), bucket: bucket.bucket };
    const peerTls = (role: string, host: RemoteHost) => {
        const tls = stackSecurity.peerTls(role, host);
        if (!tls) throw new Error("internal error: prometheusReplicas above 1 with thanos needs webTls, which the settings check; please report it");
        return tls;
    };
    for (const r of replicas) {
        const installed = r.prometheus.service;
        new ThanosSidecar(`${r.role}-thanos`, {
            ...r.placed,
            ...release,
            security: r.security,
            prometheus: { port: settings.prometheusPort, ...r.prometheusData },
            peerTls: peerTls(r.role, r.placed.host),
            dependsOn: [
                installed.configureCommand ?? installed.installCommand,
                ...(bucket.dependsOn ?? []),
                ...(layout.prometheusReplicaDependsOn?.[r.role] ?? []),
            ],
        });
    }
    const prometheus = services.prometheus.service;
    return new ThanosServices("monitoring-thanos", {
        ...layout.monitoring,
        ...release,
        security,
        retention: settings.thanosRetention,
        queryPort: settings.thanosQueryPort,
        prometheus: { port: settings.prometheusPort, dataDir: layout.prometheusData.dataDir, dataDirIsMount: layout.prometheusData.dataDirIsMount },
        ...(replicas.length > 0
            ? {
                  peers: {
                      sidecars: pulumi.all(replicas.map((r) => r.placed.host.privateIp.apply((ip) => `${ip}:${thanosPorts.sidecarGrpc}`))),
                      tls: peerTls("monitoring", layout.monitoring.host),
                  },
              }
            : {}),
        dependsOn: [prometheus.configureCommand ?? prometheus.installCommand, ...(bucket.dependsOn ?? [])],
    });
}
