import * as pulumi from "@pulumi/pulumi";
import { prometheusContainer } from "./prometheusUnit";
import { releaseImage } from "../../runtimes/images";
import { PrometheusFilesOptions, prometheusRuleNames, renderPrometheusFiles, ScrapeTopology } from "./prometheusFiles";
import { renderPrometheusUnit } from "./prometheusUnit";
import type { ReleaseDownload } from "../../runtimes/releaseDownload";
import type { RemoteHost } from "../../remote/remoteHost";
import type { RemoteService } from "../../remote/remoteService";
import { installService, Runtime } from "../../runtimes/runtime";
import { HostWebSecurity, serviceWebSecurity } from "../../security/webSecurity";

/** Arguments of {@link PrometheusService}. */
export interface PrometheusServiceArgs {
    /** The host to install on. */
    readonly host: RemoteHost;
    /** systemd (the release tarball) or docker (the image of the same version). */
    readonly runtime: Runtime;
    /** The release: its version also tags the image. Defaults in Pulumi.yaml (prometheusVersion, ...). */
    readonly download: ReleaseDownload;
    /** Image repository, or repository@sha256:digest (setting prometheusImage). */
    readonly imageRepository: string;
    /** Listen port. Default 9090 is set in Pulumi.yaml. */
    readonly port: number;
    /** --storage.tsdb.retention.time */
    readonly retentionTime: string;
    /** --storage.tsdb.retention.size */
    readonly retentionSize: string;
    /** Data directory on the host; default /var/lib/prometheus. */
    readonly dataDir?: string;
    /** Whether dataDir is a mounted volume the service must wait for. */
    readonly dataDirIsMount?: boolean;
    /** Whether a Thanos sidecar uploads its blocks (setting thanos): they are then cut every two hours and not compacted. */
    readonly uploadsBlocks?: boolean;
    /** What Prometheus scrapes, addresses included (they may come from other resources). */
    readonly topology: pulumi.Input<ScrapeTopology>;
    /** Intervals, alert thresholds and extra rules: what the rule files and globals depend on. */
    readonly rules: PrometheusFilesOptions;
    /** Steps that must finish before the install, such as mounting the data volume. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
    /**
     * TLS and basic authentication of its endpoint, and of the endpoints it scrapes and alerts
     * (itself, Alertmanager, node_exporter: the same CA and credentials stack-wide).
     */
    readonly security: HostWebSecurity;
}

/** Where Prometheus keeps its TSDB on a host without a volume of its own. */
export const defaultPrometheusDataDir = "/var/lib/prometheus";

/**
 * Prometheus, as in the guides: under systemd from the release tarball (its own user,
 * /etc/prometheus with consoles and console_libraries, a hardened unit) or in Docker from the image
 * of the same version. It renders its own prometheus.yml and rule files; both are checked with
 * promtool before they go live, and applied with a reload.
 */
export class PrometheusService extends pulumi.ComponentResource {
    /** The install and configure steps. */
    readonly service: RemoteService;
    /** The rendered prometheus.yml. */
    readonly config: pulumi.Output<string>;

    constructor(name: string, args: PrometheusServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:Prometheus", name, {}, opts);
        const dataDir = args.dataDir ?? defaultPrometheusDataDir;
        const ruleNames = prometheusRuleNames(args.rules);
        for (const ruleName of ruleNames) {
            if (!/^[a-z0-9-]+$/.test(ruleName)) {
                throw new Error(`rule file name "${ruleName}" must be lower-case letters, digits and '-'`);
            }
        }
        const configDir = "/etc/prometheus";
        const web = serviceWebSecurity(configDir, args.security);
        const topology = pulumi.output(args.topology);
        // prometheus.yml names the password file; it is secret only where remote write's credentials are inline in it.
        const config = topology.apply((t) => renderPrometheusFiles({ ...t, client: web.client }, args.rules).config);
        // The rules count the targets and hold no credential, so they are never secret, whatever the topology holds.
        const rules = pulumi.unsecret(topology.apply((t) => renderPrometheusFiles({ ...t, remoteWrite: [], client: web.client }, args.rules).rules));
        this.config = config;
        const version = args.download.version;
        this.service = installService(
            name,
            args,
            "prometheus",
            {
                systemd: () => ({
                    kind: "release",
                    download: args.download,
                    binaries: ["prometheus", "promtool"],
                    user: "prometheus",
                    unit: renderPrometheusUnit({
                        version,
                        port: args.port,
                        retentionTime: args.retentionTime,
                        retentionSize: args.retentionSize,
                        dataDir,
                        dataDirIsMount: args.dataDirIsMount ?? false,
                        webFlags: web.flags,
                        uploadsBlocks: args.uploadsBlocks,
                    }),
                    configDir,
                    dataDir,
                    shareDirs: ["consoles", "console_libraries"],
                }),
                docker: () => ({
                    container: prometheusContainer({
                        image: releaseImage(args.imageRepository, version),
                        version,
                        port: args.port,
                        retentionTime: args.retentionTime,
                        retentionSize: args.retentionSize,
                        dataDir,
                        webFlags: web.flags,
                        uploadsBlocks: args.uploadsBlocks,
                    }),
                }),
                config: {
                    dir: configDir,
                    files: {
                        ...web.files,
                        ...web.clientFiles,
                        "prometheus.yml": config,
                        ...Object.fromEntries(ruleNames.map((rule) => [`rules/${rule}.yml`, rules.apply((r) => r[rule])])),
                    },
                    main: "prometheus.yml",
                    check: "promtool check config",
                    managedDirs: ["rules"],
                    port: args.port,
                    scheme: web.scheme,
                    curlConfig: web.curlConfig,
                    reloadMetric: "prometheus_config_last_reload",
                },
            },
            this,
        );
        this.registerOutputs({});
    }
}
