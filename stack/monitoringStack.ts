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
import { bridgeJob, nodeRole, Platform } from "../settings/choices";
import { legacyAliases } from "./legacyAliases";
import { monitoringGroupName, Placement, placementsOf, planPlacements, ServiceKind } from "./placementPlan";
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
}

/**
 * The one composition of every platform: the services on the hosts the platform provides, then
 * Grafana's content, then the stack outputs. node_exporter runs on every host; Prometheus scrapes
 * the others at their private addresses.
 */
export function deployMonitoringStack(settings: Settings, layout: MonitoringLayout, inputs: ProgramInputs): StackOutputs {
    const { monitoring, app, grafana: grafanaHost } = layout;
    const nodes = layout.nodes ?? [];
    const plan = planPlacements({
        platform: layout.platform,
        separateGrafana: grafanaHost !== undefined,
        nodes: nodes.map((node) => node.name),
        alertmanagerReplicas: settings.alertmanagerReplicas,
        prometheusReplicas: settings.prometheusReplicas,
        grafanaEnabled: settings.grafanaEnabled,
        thanos: settings.thanos,
        cloudwatchBridge: settings.cloudwatchBridge,
    });
    const aliases = legacyAliases(layout.platform);
    const nodeExporter = nodeExporterSettingsFrom(settings);
    const rules = prometheusRulesFrom(settings, inputs.extraRules);
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
    const ungrouped = (service: ServiceKind) => placementsOf(plan, service).filter((p) => !p.grouped);

    for (const p of ungrouped("nodeExporter")) {
        new NodeExporterService(p.name, { ...hostOf(p.host), ...nodeExporter, security: securityOf(p.host) }, { aliases: aliases[p.name] });
    }
    for (const p of ungrouped("flaskApp")) {
        new FlaskAppService(p.name, { host: hostOf(p.host).host, ...flaskAppFrom(settings) }, { aliases: aliases[p.name], dependsOn: layout.appDependsOn });
    }

    const grafanaAdminPassword = settings.grafanaEnabled
        ? grafanaAdminPasswordFrom(settings, "grafana-admin-password", { aliases: aliases["grafana-admin-password"] })
        : undefined;
    const grafanaSettings = grafanaAdminPassword ? { ...grafanaSettingsFrom(settings), adminPassword: grafanaAdminPassword } : undefined;
    // The Alertmanager cluster and the Prometheus replicas: one replica per host, in the plan's order.
    const alertmanagers = placementsOf(plan, "alertmanager");
    const prometheusReplicas = placementsOf(plan, "prometheus");
    const clusterOf = (host: string): AlertmanagerClusterArgs | undefined => {
        if (alertmanagers.length < 2) return undefined;
        return {
            port: settings.alertmanagerClusterPort,
            advertiseAddress: hostOf(host).host.privateIp,
            peers: alertmanagers.filter((r) => r.host !== host).map((r) => hostOf(r.host).host.privateIp),
            tls: security.peerTls(host, hostOf(host).host)!,
        };
    };
    const alertmanager = { ...alertmanagerSettingsFrom(settings), config: alertmanagerConfigFrom(settings) };
    for (const p of ungrouped("alertmanager")) {
        new AlertmanagerService(p.name, {
            ...hostOf(p.host),
            ...alertmanager,
            config: alertmanager.config.apply(renderAlertmanagerConfig),
            security: securityOf(p.host),
            cluster: clusterOf(p.host),
        });
    }
    const alertmanagerPeers = pulumi.all(alertmanagers.slice(1).map((r) => hostOf(r.host).host.privateIp.apply((ip) => `${ip}:${settings.alertmanagerPort}`)));

    const target = (host: PlacedHost, port: number, role: string, labels: Readonly<Record<string, string>> = {}) =>
        host.host.privateIp.apply((ip) => ({ address: `${ip}:${port}`, labels: { ...labels, role } }));
    // What every Prometheus replica scrapes, the same targets under the same names; all but what runs on its own host.
    const sharedScrapes = pulumi
        .all([
            pulumi.output(layout.discovery),
            settings.remoteWrite,
            alertmanagerPeers,
            pulumi.all(prometheusReplicas.slice(1).map((r) => hostOf(r.host).host.privateIp.apply((ip) => `${ip}:${settings.prometheusPort}`))),
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
    const grouped = (service: ServiceKind) => plan.some((p) => p.service === service && p.grouped);
    const services = new MonitoringServices(monitoringGroupName, {
        ...monitoring,
        security: monitoringSecurity,
        prometheus: prometheusSettingsFrom(settings, layout.prometheusData),
        scrapes: sharedScrapes.apply((scrapes) => ({ ...scrapes, ...ownScrapes(0) })),
        ...(prometheusReplicas.length > 1 ? { scrapeAddress: monitoring.host.privateIp } : {}),
        rules,
        alertmanager: { ...alertmanager, cluster: clusterOf("monitoring") },
        nodeExporter,
        grafana: grouped("grafana") ? grafanaSettings : undefined,
        aliases: {
            prometheus: aliases[`${monitoringGroupName}-prometheus`],
            alertmanager: aliases[`${monitoringGroupName}-alertmanager`],
            nodeExporter: aliases[`${monitoringGroupName}-node-exporter`],
        },
    });

    // The further Prometheus replicas: the same scrapes and rules as the monitoring host's, with their own replica label.
    const replicaHosts = ungrouped("prometheus").map((p): PrometheusReplica => {
        const placedHost = hostOf(p.host);
        const prometheusData = { dataDir: defaultPrometheusDataDir, dataDirIsMount: false, dependsOn: layout.prometheusReplicaDependsOn?.[p.host] };
        const hostSecurity = securityOf(p.host);
        const prometheus = new PrometheusService(p.name, {
            ...placedHost,
            security: hostSecurity,
            ...prometheusSettingsFrom(settings, prometheusData),
            topology: pulumi
                .all([sharedScrapes, monitoring.host.privateIp])
                .apply(([scrapes, address]) => withMonitoringHost({ ...scrapes, ...ownScrapes(p.replica!) }, address, ports)),
            rules,
        });
        return { role: p.host, placed: placedHost, prometheus, prometheusData, security: hostSecurity };
    });

    const thanos = settings.thanos ? deployThanos(settings, layout, plan, monitoringSecurity, services, replicaHosts, security) : undefined;

    // One bridge beside each Prometheus replica, which scrapes it on its loopback.
    for (const p of placementsOf(plan, "cloudwatchBridge")) {
        new CloudwatchBridgeService(p.name, {
            ...hostOf(p.host),
            ...cloudwatchBridgeFrom(settings),
            metrics: inputs.bridgedMetrics ?? [],
            // On aws the instance role reads CloudWatch; elsewhere the access key pair.
            accessKeys:
                layout.platform === "aws"
                    ? undefined
                    : { accessKeyId: settings.secrets.cloudwatchBridgeAccessKeyId!, secretAccessKey: settings.secrets.cloudwatchBridgeSecretAccessKey! },
            dependsOn: p.host === "monitoring" ? layout.bridgeDependsOn : layout.prometheusReplicaDependsOn?.[p.host],
        });
    }

    const grafanaPlace = grafanaHost ?? monitoring;
    const ownGrafana = ungrouped("grafana")[0];
    const grafana =
        ownGrafana && grafanaSettings
            ? new GrafanaService(
                  ownGrafana.name,
                  { ...hostOf(ownGrafana.host), ...grafanaSettings, security: securityOf(ownGrafana.host) },
                  { aliases: aliases[ownGrafana.name] },
              )
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
    plan: readonly Placement[],
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
    for (const p of placementsOf(plan, "thanosSidecar")) {
        const r = replicas.find((replica) => replica.role === p.host)!;
        const installed = r.prometheus.service;
        new ThanosSidecar(p.name, {
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
    return new ThanosServices(placementsOf(plan, "thanos")[0].name, {
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
