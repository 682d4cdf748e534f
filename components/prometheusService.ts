import * as pulumi from "@pulumi/pulumi";
import { renderPrometheusUnit } from "../configs/units";
import { readConfigFile, RemoteHost } from "./remoteHost";
import { RemoteService } from "./remoteService";
import { activateConfigStep, activateScriptFile } from "./activateConfig";
import { ReleaseDownload, releaseEnv } from "./releaseDownload";

/** Arguments of {@link PrometheusService}. */
export interface PrometheusServiceArgs {
    /** The host to install on. */
    readonly host: RemoteHost;
    /** The release to install. */
    readonly download: ReleaseDownload;
    /** Listen port. Default 9090 is set in Pulumi.yaml. */
    readonly port: number;
    /** --storage.tsdb.retention.time */
    readonly retentionTime: string;
    /** --storage.tsdb.retention.size */
    readonly retentionSize: string;
    /** Data directory; default /var/lib/prometheus. */
    readonly dataDir?: string;
    /** Whether dataDir is a mounted volume the service must wait for. */
    readonly dataDirIsMount?: boolean;
    /** Rendered prometheus.yml; its rule_files are relative (rules/<name>.yml). */
    readonly config: pulumi.Input<string>;
    /** Rule files by name, rendered to rules/<name>.yml. */
    readonly rules: Readonly<Record<string, pulumi.Input<string>>>;
    /** Steps that must finish before the install, such as mounting the data volume. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Prometheus as a systemd service from the release tarball, as in the guide: its own user,
 * /etc/prometheus with consoles and console_libraries, a hardened unit. Configuration and rules
 * are checked with promtool on the host before they go live, and applied with a reload.
 */
export class PrometheusService extends pulumi.ComponentResource {
    /** The install and configure steps. */
    readonly service: RemoteService;
    /** The address Prometheus answers on, as seen from its own host. */
    readonly localUrl: string;

    constructor(name: string, args: PrometheusServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:Prometheus", name, {}, opts);
        const dataDir = args.dataDir ?? "/var/lib/prometheus";
        const ruleNames = Object.keys(args.rules).sort();
        for (const ruleName of ruleNames) {
            if (!/^[a-z0-9-]+$/.test(ruleName)) {
                throw new Error(`rule file name "${ruleName}" must be lower-case letters, digits and '-'`);
            }
        }
        const ruleFiles = Object.fromEntries(ruleNames.map((rule) => [`prometheus.rules.${rule}.yml`, args.rules[rule]]));

        this.service = new RemoteService(
            `${name}-service`,
            {
                connection: args.host.connection,
                hostReady: args.host.ready,
                dependsOn: args.dependsOn,
                files: {
                    "prometheus.install-release.sh": readConfigFile("scripts/install-release.sh"),
                    ...activateScriptFile("prometheus"),
                    "prometheus.service": renderPrometheusUnit({
                        version: args.download.version,
                        port: args.port,
                        retentionTime: args.retentionTime,
                        retentionSize: args.retentionSize,
                        dataDir,
                        dataDirIsMount: args.dataDirIsMount ?? false,
                    }),
                    "prometheus.prometheus.yml": args.config,
                    ...ruleFiles,
                },
                install: {
                    script: "prometheus.install-release.sh",
                    reads: ["prometheus.service"],
                    env: {
                        ...releaseEnv("prometheus", args.download),
                        BINARIES: "prometheus promtool",
                        SERVICE: "prometheus",
                        SERVICE_USER: "prometheus",
                        CONFIG_DIR: "/etc/prometheus",
                        DATA_DIR: dataDir,
                        SHARE_DIRS: "consoles console_libraries",
                    },
                    delete: "systemctl disable --now prometheus; rm -f /etc/systemd/system/prometheus.service /var/lib/monitoring-stack/state/prometheus.release; systemctl daemon-reload",
                },
                configure: activateConfigStep({
                    service: "prometheus",
                    group: "prometheus",
                    dir: "/etc/prometheus",
                    files: {
                        "prometheus.prometheus.yml": "prometheus.yml",
                        ...Object.fromEntries(ruleNames.map((rule) => [`prometheus.rules.${rule}.yml`, `rules/${rule}.yml`])),
                    },
                    main: "prometheus.yml",
                    check: "/usr/local/bin/promtool check config",
                    managedDirs: ["rules"],
                    port: args.port,
                    reloadMetric: "prometheus_config_last_reload",
                }),
            },
            { parent: this },
        );
        this.localUrl = `http://localhost:${args.port}`;
        this.registerOutputs({});
    }
}
