import * as pulumi from "@pulumi/pulumi";
import type { AlertmanagerConfigInput } from "../components/alertmanager/alertmanagerConfig";
import { renderAlertmanagerConfig } from "../components/alertmanager/alertmanagerConfig";
import { PrometheusFilesOptions, ScrapeTopology, withMonitoringHost } from "../components/prometheus/prometheusFiles";
import { AlertmanagerService, AlertmanagerServiceArgs } from "../components/alertmanager/alertmanagerService";
import { GrafanaService, GrafanaServiceArgs } from "../components/grafana/grafanaService";
import { NodeExporterService, NodeExporterServiceArgs } from "../components/nodeExporter/nodeExporterService";
import { PrometheusService, PrometheusServiceArgs } from "../components/prometheus/prometheusService";
import type { RemoteHost } from "../remote/remoteHost";
import type { Runtime } from "../runtimes/runtime";
import type { HostWebSecurity } from "../security/webSecurity";

/** Arguments of {@link MonitoringServices}. */
export interface MonitoringServicesArgs {
    /** The monitoring host. */
    readonly host: RemoteHost;
    /** How the host runs the services. */
    readonly runtime: Runtime;
    /** The host's TLS certificate and the stack's credentials, for every service on it. */
    readonly security: HostWebSecurity;
    readonly prometheus: Omit<PrometheusServiceArgs, "host" | "runtime" | "security" | "topology" | "rules">;
    /** What Prometheus scrapes besides itself, Alertmanager and this host's node_exporter. */
    readonly scrapes: pulumi.Input<Omit<ScrapeTopology, "prometheus" | "alertmanager">>;
    /**
     * The address Prometheus scrapes this host's services at: localhost, or the host's private
     * address where Prometheus has replicas on other hosts, so that every replica scrapes the same
     * targets under the same names.
     */
    readonly scrapeAddress?: pulumi.Input<string>;
    /** Intervals, thresholds and extra rules of prometheus.yml and its rule files. */
    readonly rules: PrometheusFilesOptions;
    readonly alertmanager: Omit<AlertmanagerServiceArgs, "host" | "runtime" | "security" | "config"> & {
        /** Receivers and routing; holds secrets, so it is an Output. */
        readonly config: pulumi.Input<AlertmanagerConfigInput>;
    };
    readonly nodeExporter: Omit<NodeExporterServiceArgs, "host" | "runtime" | "security">;
    /** Grafana on this host; undefined when it runs elsewhere or not at all. */
    readonly grafana?: Omit<GrafanaServiceArgs, "host" | "runtime" | "security">;
    /** Aliases of the services in stacks deployed before they were grouped here. */
    readonly aliases?: {
        readonly prometheus?: pulumi.Input<string>[];
        readonly alertmanager?: pulumi.Input<string>[];
        readonly nodeExporter?: pulumi.Input<string>[];
    };
}

/**
 * Prometheus, Alertmanager, node_exporter and (when it shares the host) Grafana on the monitoring
 * host, under its runtime. The same component serves every platform: it takes a host and a
 * runtime, not a cloud.
 */
export class MonitoringServices extends pulumi.ComponentResource {
    readonly prometheus: PrometheusService;
    readonly alertmanager: AlertmanagerService;
    readonly nodeExporter: NodeExporterService;
    readonly grafana?: GrafanaService;

    constructor(name: string, args: MonitoringServicesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:MonitoringServices", name, {}, opts);
        const placed = { host: args.host, runtime: args.runtime, security: args.security };

        this.nodeExporter = new NodeExporterService(
            `${name}-node-exporter`,
            { ...placed, ...args.nodeExporter },
            { parent: this, aliases: args.aliases?.nodeExporter },
        );
        this.alertmanager = new AlertmanagerService(
            `${name}-alertmanager`,
            { ...placed, ...args.alertmanager, config: pulumi.output(args.alertmanager.config).apply(renderAlertmanagerConfig) },
            { parent: this, aliases: args.aliases?.alertmanager },
        );
        this.prometheus = new PrometheusService(
            `${name}-prometheus`,
            {
                ...placed,
                ...args.prometheus,
                topology: pulumi.all([args.scrapes, args.scrapeAddress ?? "localhost"]).apply(([scrapes, address]) =>
                    withMonitoringHost(scrapes, address, {
                        prometheus: args.prometheus.port,
                        alertmanager: args.alertmanager.port,
                        nodeExporter: args.nodeExporter.port,
                    }),
                ),
                rules: args.rules,
            },
            { parent: this, aliases: args.aliases?.prometheus },
        );
        if (args.grafana) {
            this.grafana = new GrafanaService(`${name}-grafana`, { ...placed, ...args.grafana }, { parent: this });
        }
        this.registerOutputs({});
    }
}
