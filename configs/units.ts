import { renderHardeningDropIn, renderServiceUnit } from "./systemd";

/** Settings that shape the Prometheus unit. */
export interface PrometheusUnitInput {
    readonly version: string;
    readonly port: number;
    readonly retentionTime: string;
    readonly retentionSize: string;
    readonly dataDir: string;
    /** Whether the data directory is a mount the unit must wait for. */
    readonly dataDirIsMount: boolean;
    /** The --web.config.file flag when the endpoint is secured (configs/webConfig.ts). */
    readonly webFlags: readonly string[];
    /** Whether a Thanos sidecar uploads its blocks, which it needs as cut, uncompacted. */
    readonly uploadsBlocks?: boolean;
}

/**
 * Prometheus's command-line flags, the same for the systemd service and the container:
 * retention by time and by size, and the console templates where the release ships them.
 */
export function prometheusFlags(input: {
    version: string;
    port: number;
    retentionTime: string;
    retentionSize: string;
    dataDir: string;
    consolesDir: string;
    webFlags: readonly string[];
    uploadsBlocks?: boolean;
}): string[] {
    // Prometheus 3 dropped the console templates the 2.x releases ship.
    const consoles = input.version.startsWith("2.")
        ? [`--web.console.templates=${input.consolesDir}/consoles`, `--web.console.libraries=${input.consolesDir}/console_libraries`]
        : [];
    return [
        "--config.file=/etc/prometheus/prometheus.yml",
        `--storage.tsdb.path=${input.dataDir}`,
        `--storage.tsdb.retention.time=${input.retentionTime}`,
        `--storage.tsdb.retention.size=${input.retentionSize}`,
        `--web.listen-address=:${input.port}`,
        ...input.webFlags,
        ...consoles,
        // Thanos's sidecar uploads each two-hour block once; Thanos Compact compacts them in the bucket.
        ...(input.uploadsBlocks ? ["--storage.tsdb.min-block-duration=2h", "--storage.tsdb.max-block-duration=2h"] : []),
    ];
}

/** prometheus.service, as in the guide but hardened, with retention by time and by size. */
export function renderPrometheusUnit(input: PrometheusUnitInput): string {
    return renderServiceUnit({
        description: "Prometheus",
        user: "prometheus",
        exec: ["/usr/local/bin/prometheus", ...prometheusFlags({ ...input, consolesDir: "/etc/prometheus" })],
        writablePaths: [input.dataDir],
        reloadWithSighup: true,
        requiresMountsFor: input.dataDirIsMount ? [input.dataDir] : [],
    });
}

/** How one Alertmanager joins its cluster: the gossip port, its own address, its peers', and the cluster's TLS file. */
export interface AlertmanagerClusterFlags {
    readonly port: number;
    /** The address the peers reach this one at (its private address). */
    readonly advertiseAddress: string;
    /** The other replicas' addresses. */
    readonly peers: readonly string[];
    /** --cluster.tls-config: mutual TLS between the peers. */
    readonly tlsConfigFile: string;
}

/** What Alertmanager's flags depend on. */
export interface AlertmanagerFlagsInput {
    readonly port: number;
    readonly dataDir: string;
    readonly webFlags: readonly string[];
    /** Its cluster; undefined for a single Alertmanager. */
    readonly cluster?: AlertmanagerClusterFlags;
}

/** Alertmanager's flags, the same for the systemd service and the container. */
export function alertmanagerFlags(input: AlertmanagerFlagsInput): string[] {
    const cluster = input.cluster;
    return [
        "--config.file=/etc/alertmanager/alertmanager.yml",
        `--storage.path=${input.dataDir}`,
        `--web.listen-address=:${input.port}`,
        ...input.webFlags,
        ...(cluster
            ? [
                  `--cluster.listen-address=0.0.0.0:${cluster.port}`,
                  `--cluster.advertise-address=${cluster.advertiseAddress}:${cluster.port}`,
                  ...[...cluster.peers].sort().map((peer) => `--cluster.peer=${peer}:${cluster.port}`),
                  `--cluster.tls-config=${cluster.tlsConfigFile}`,
              ]
            : // A single Alertmanager: no gossip port.
              ["--cluster.listen-address="]),
    ];
}

/** alertmanager.service. */
export function renderAlertmanagerUnit(input: AlertmanagerFlagsInput): string {
    return renderServiceUnit({
        description: "Prometheus Alertmanager",
        user: "alertmanager",
        exec: ["/usr/local/bin/alertmanager", ...alertmanagerFlags(input)],
        writablePaths: [input.dataDir],
        reloadWithSighup: true,
    });
}

/**
 * node_exporter's Linux collectors that are off unless enabled with --collector.<name> (the
 * `defaultDisabled` registrations of node_exporter 1.8.2). The nodeExporterCollectors setting
 * names some of them.
 */
export const optionalNodeExporterCollectors = [
    "buddyinfo",
    "cgroups",
    "cpu_vulnerabilities",
    "drbd",
    "drm",
    "ethtool",
    "interrupts",
    "ksmd",
    "lnstat",
    "logind",
    "meminfo_numa",
    "mountstats",
    "network_route",
    "ntp",
    "perf",
    "processes",
    "qdisc",
    "runit",
    "slabinfo",
    "softirqs",
    "supervisord",
    "sysctl",
    "systemd",
    "tcpstat",
    "wifi",
    "xfrm",
    "zoneinfo",
] as const;

/** node_exporter's flags, the same for the systemd service and the container: its port, web configuration and the extra collectors. */
export function nodeExporterFlags(input: { readonly port: number; readonly collectors: readonly string[]; readonly webFlags: readonly string[] }): string[] {
    return [`--web.listen-address=:${input.port}`, ...input.webFlags, ...[...input.collectors].sort().map((c) => `--collector.${c}`)];
}

/** node_exporter.service, with the extra collectors of the settings (systemd units, processes, ...). */
export function renderNodeExporterUnit(input: { readonly port: number; readonly collectors: readonly string[]; readonly webFlags: readonly string[] }): string {
    return renderServiceUnit({
        description: "Prometheus node_exporter",
        user: "node_exporter",
        exec: ["/usr/local/bin/node_exporter", ...nodeExporterFlags(input)],
        writablePaths: [],
        reloadWithSighup: false,
        protectHome: "read-only",
        processes: "all",
        readsClock: true,
        // Network device statistics come over netlink.
        addressFamilies: ["AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK"],
    });
}

/** flask-app.service: the guide's app under gunicorn, one worker so metrics stay in one process. */
export function renderFlaskAppUnit(input: { readonly port: number }): string {
    return renderServiceUnit({
        description: "Flask Application Service",
        user: "flask-app",
        workingDirectory: "/var/lib/flask-app",
        environmentFiles: ["/etc/flask-app/env"],
        exec: ["/opt/flask-app/venv/bin/gunicorn", "--workers=1", "--threads=8", `--bind=0.0.0.0:${input.port}`, "--chdir=/opt/flask-app", "app:app"],
        writablePaths: ["/var/lib/flask-app", "/var/log/flask-app"],
        reloadWithSighup: false,
    });
}

/**
 * The drop-in that confines the grafana-server unit Grafana's apt package ships: it may write its
 * data (database, plugins), its logs and its pid file under /run/grafana, nothing else.
 */
export function renderGrafanaHardening(): string {
    return renderHardeningDropIn({ writablePaths: ["/var/lib/grafana", "/var/log/grafana"], runtimeDirectory: "grafana" });
}

/**
 * yace.service, the CloudWatch bridge: YACE on the loopback, polling CloudWatch every
 * `scrapingInterval` seconds, with its AWS settings in `environment` (region, endpoint, the
 * credentials file only its group reads).
 */
export function renderBridgeUnit(input: { readonly args: readonly string[]; readonly environment: Readonly<Record<string, string>> }): string {
    return renderServiceUnit({
        description: "CloudWatch bridge (yet-another-cloudwatch-exporter)",
        user: "yace",
        environment: input.environment,
        exec: ["/usr/local/bin/yace", ...input.args],
        writablePaths: [],
        reloadWithSighup: false,
    });
}

/** A Thanos component's unit: its user, its flags, and the directories it may write (the sidecar: Prometheus's TSDB, where it records its uploads). */
export function renderThanosUnit(input: {
    readonly component: string;
    readonly user: string;
    readonly flags: readonly string[];
    readonly writablePaths: readonly string[];
    readonly requiresMountsFor?: readonly string[];
}): string {
    return renderServiceUnit({
        description: `Thanos ${input.flags[0]}`,
        user: input.user,
        exec: ["/usr/local/bin/thanos", ...input.flags],
        writablePaths: [...input.writablePaths],
        reloadWithSighup: false,
        requiresMountsFor: input.requiresMountsFor ?? [],
    });
}
