import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { AlertmanagerConfigInput, renderAlertmanagerConfig } from "../configs/alertmanager";
import { prometheusRuleNames, renderPrometheusFiles } from "../configs/monitoringConfig";
import type { LabelledTarget } from "../configs/prometheus";
import type { AlertThresholds } from "../configs/rules";
import type { ScrapeJob } from "../settings/formats";
import { AlertmanagerService } from "./alertmanagerService";
import { GrafanaService } from "./grafanaService";
import { NodeExporterService, NodeExporterServiceArgs } from "./nodeExporterService";
import { PrometheusService } from "./prometheusService";
import { ReleaseDownload } from "./releaseDownload";
import { RemoteHost } from "./remoteHost";

/** Arguments of {@link MonitoringServices}. */
export interface MonitoringServicesArgs {
    /** The monitoring host. */
    readonly host: RemoteHost;
    readonly prometheus: {
        readonly download: ReleaseDownload;
        readonly port: number;
        readonly retentionTime: string;
        readonly retentionSize: string;
        readonly scrapeInterval: string;
        readonly evaluationInterval: string;
        /** Data directory and whether it is a mounted volume. */
        readonly dataDir: string;
        readonly dataDirIsMount: boolean;
        /** Steps that must finish before Prometheus is installed (the volume mount). */
        readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
    };
    readonly alertmanager: {
        readonly download: ReleaseDownload;
        readonly port: number;
        /** Receivers and routing; holds secrets, so it is an Output. */
        readonly config: pulumi.Input<AlertmanagerConfigInput>;
    };
    /** Thresholds of the alert rules. */
    readonly alertThresholds: AlertThresholds;
    /** Extra rule files by name, such as rules translated from CloudWatch alarms. */
    readonly extraRules?: Readonly<Record<string, string>>;
    readonly nodeExporter: Omit<NodeExporterServiceArgs, "host">;
    /** Undefined means no Grafana. */
    readonly grafana?: {
        readonly version: string;
        readonly aptUrl: string;
        readonly aptKeyUrl: string;
        readonly port: number;
        /** Secret; undefined means a generated one. */
        readonly adminPassword?: pulumi.Input<string>;
    };
    /** node_exporter targets of the other hosts (this host's own is added). */
    readonly remoteNodes: pulumi.Input<LabelledTarget[]>;
    /** The Flask app's /metrics targets; empty when the app reports to CloudWatch only. */
    readonly flaskApp: pulumi.Input<LabelledTarget[]>;
    /** Whether the Flask app serves Prometheus metrics, so its alert rules apply. */
    readonly flaskAppMetrics: boolean;
    /** Static jobs from settings. */
    readonly extraJobs: readonly ScrapeJob[];
}

/**
 * Prometheus, Alertmanager, node_exporter and (optionally) Grafana on one host, over SSH. The same
 * component serves every platform that provides a host: it takes a connection, not a cloud.
 */
export class MonitoringServices extends pulumi.ComponentResource {
    readonly prometheus: PrometheusService;
    readonly alertmanager: AlertmanagerService;
    readonly nodeExporter: NodeExporterService;
    readonly grafana?: GrafanaService;
    /** The rendered prometheus.yml. */
    readonly prometheusConfig: pulumi.Output<string>;
    /** The Grafana admin password (secret), given or generated; undefined without Grafana. */
    readonly grafanaAdminPassword?: pulumi.Output<string>;

    constructor(name: string, args: MonitoringServicesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:MonitoringServices", name, {}, opts);
        const host = args.host;

        this.nodeExporter = new NodeExporterService(`${name}-node-exporter`, { host, ...args.nodeExporter }, { parent: this });

        const alertmanagerConfig = pulumi.output(args.alertmanager.config).apply((config) => renderAlertmanagerConfig(config));
        this.alertmanager = new AlertmanagerService(
            `${name}-alertmanager`,
            { host, download: args.alertmanager.download, port: args.alertmanager.port, config: alertmanagerConfig },
            { parent: this },
        );

        const options = {
            scrapeInterval: args.prometheus.scrapeInterval,
            evaluationInterval: args.prometheus.evaluationInterval,
            thresholds: args.alertThresholds,
            flaskAppMetrics: args.flaskAppMetrics,
            extraRules: args.extraRules,
        };
        const files = pulumi.all([args.remoteNodes, args.flaskApp]).apply(([remoteNodes, flaskApp]) =>
            renderPrometheusFiles(
                {
                    prometheus: `localhost:${args.prometheus.port}`,
                    alertmanager: `localhost:${args.alertmanager.port}`,
                    nodes: [{ address: `localhost:${args.nodeExporter.port}`, labels: { role: "monitoring" } }, ...remoteNodes],
                    flaskApp,
                    extraJobs: args.extraJobs,
                },
                options,
            ),
        );
        this.prometheusConfig = files.config;
        const rules = Object.fromEntries(prometheusRuleNames(options).map((name) => [name, files.rules.apply((r) => r[name])]));
        this.prometheus = new PrometheusService(
            `${name}-prometheus`,
            {
                host,
                download: args.prometheus.download,
                port: args.prometheus.port,
                retentionTime: args.prometheus.retentionTime,
                retentionSize: args.prometheus.retentionSize,
                dataDir: args.prometheus.dataDir,
                dataDirIsMount: args.prometheus.dataDirIsMount,
                config: this.prometheusConfig,
                rules,
                dependsOn: args.prometheus.dependsOn,
            },
            { parent: this },
        );

        if (args.grafana) {
            const password =
                args.grafana.adminPassword ??
                new random.RandomPassword(`${name}-grafana-admin-password`, { length: 24, special: false }, { parent: this }).result;
            this.grafanaAdminPassword = pulumi.secret(password);
            this.grafana = new GrafanaService(`${name}-grafana`, { host, ...args.grafana, adminPassword: this.grafanaAdminPassword }, { parent: this });
        }
        this.registerOutputs({});
    }
}
