import { discoveredNodesJob } from "../../settings/choices";
import { thanosJob } from "../../settings/choices";
import { LabelledTarget, PrometheusConfigInput, renderPrometheusConfig } from "./prometheusConfig";
import { AlertThresholds, renderRuleFiles, ruleFileNames } from "./alertRules";
import type { ScrapeJob } from "../../settings/formats";
import type { WebClient } from "../../security/webConfig";

/** What Prometheus scrapes, with every address known. */
export interface ScrapeTopology {
    /** Prometheus itself and Alertmanager, host:port as Prometheus reaches them. */
    readonly prometheus: string;
    readonly alertmanager: string;
    /** The other Prometheus replicas, host:port. */
    readonly prometheusPeers?: readonly string[];
    /** The other Alertmanagers of its cluster, host:port. */
    readonly alertmanagerPeers?: readonly string[];
    /** node_exporter on every host. */
    readonly nodes: readonly LabelledTarget[];
    /** The Flask app's /metrics; empty when the app reports to CloudWatch only. */
    readonly flaskApp: readonly LabelledTarget[];
    readonly extraJobs: readonly ScrapeJob[];
    /** Machines found by tag (setting nodeDiscoveryTag), and the port of their node_exporter. */
    readonly discovery?: PrometheusConfigInput["discovery"];
    /** Endpoints every sample is also written to (setting remoteWrite). */
    readonly remoteWrite?: PrometheusConfigInput["remoteWrite"];
    /** How Prometheus reaches the secured endpoints (TLS, credentials); none when they are plain HTTP. */
    readonly client?: WebClient;
    /** Long-term storage by Thanos (setting thanos): the components' endpoints. */
    readonly thanos?: PrometheusConfigInput["thanos"];
    /** The stack and the replica, on what Prometheus sends out (with thanos or several replicas). */
    readonly externalLabels?: PrometheusConfigInput["externalLabels"];
}

/**
 * The whole topology, given the rest: the monitoring host's Prometheus, Alertmanager and
 * node_exporter at `address` (localhost for the Prometheus beside them, the host's private address
 * for every replica when Prometheus has several, so that they scrape the same names).
 */
export function withMonitoringHost(
    scrapes: Omit<ScrapeTopology, "prometheus" | "alertmanager">,
    address: string,
    ports: { readonly prometheus: number; readonly alertmanager: number; readonly nodeExporter: number },
): ScrapeTopology {
    return {
        ...scrapes,
        prometheus: `${address}:${ports.prometheus}`,
        alertmanager: `${address}:${ports.alertmanager}`,
        nodes: [{ address: `${address}:${ports.nodeExporter}`, labels: { role: "monitoring" } }, ...scrapes.nodes],
    };
}

/** What the rules and the global settings of prometheus.yml depend on. */
export interface PrometheusFilesOptions {
    readonly scrapeInterval: string;
    readonly evaluationInterval: string;
    readonly thresholds: AlertThresholds;
    /** Whether the Flask app serves Prometheus metrics, so its alert rules apply. */
    readonly flaskAppMetrics: boolean;
    /** Whether the log store runs, so its alert rules apply. */
    readonly logs?: boolean;
    readonly extraRules?: Readonly<Record<string, string>>;
}

/** Rule file paths as prometheus.yml lists them, relative to its directory. */
export function ruleFilePaths(ruleNames: readonly string[]): string[] {
    return [...ruleNames].sort().map((name) => `rules/${name}.yml`);
}

/** The rule file names, known before any address is (resources are declared per file). */
export function prometheusRuleNames(options: PrometheusFilesOptions): string[] {
    return ruleFileNames({ flaskAppMetrics: options.flaskAppMetrics, logs: options.logs, extra: options.extraRules });
}

/**
 * prometheus.yml and its rule files for one topology, on every platform: the same jobs, the same
 * rules, and TargetsMissing expecting exactly the targets configured.
 */
export function renderPrometheusFiles(topology: ScrapeTopology, options: PrometheusFilesOptions): { config: string; rules: Record<string, string> } {
    const ruleNames = prometheusRuleNames(options);
    const config = renderPrometheusConfig({
        scrapeInterval: options.scrapeInterval,
        evaluationInterval: options.evaluationInterval,
        prometheus: topology.prometheus,
        prometheusPeers: topology.prometheusPeers,
        alertmanager: topology.alertmanager,
        alertmanagerPeers: topology.alertmanagerPeers,
        nodes: topology.nodes,
        flaskApp: topology.flaskApp,
        extraJobs: topology.extraJobs,
        discovery: topology.discovery,
        remoteWrite: topology.remoteWrite,
        thanos: topology.thanos,
        externalLabels: topology.externalLabels,
        ruleFiles: ruleFilePaths(ruleNames),
        client: topology.client,
    });
    const rules = renderRuleFiles({
        thresholds: options.thresholds,
        flaskAppMetrics: options.flaskAppMetrics,
        logs: options.logs,
        extra: options.extraRules,
        expectedTargets: {
            prometheus: 1 + (topology.prometheusPeers ?? []).length,
            alertmanager: 1 + (topology.alertmanagerPeers ?? []).length,
            node: topology.nodes.length,
            ...(topology.flaskApp.length > 0 ? { flask_app: topology.flaskApp.length } : {}),
            // Discovery that finds no machine at all has lost its tag or its permission.
            ...(topology.discovery ? { [discoveredNodesJob]: 1 } : {}),
            ...(topology.thanos ? { [thanosJob]: topology.thanos.targets.length } : {}),
            ...Object.fromEntries(topology.extraJobs.map((job) => [job.job, job.targets.length])),
        },
    });
    return { config, rules };
}
