import * as yaml from "js-yaml";
import type { ScrapeJob } from "../../settings/formats";
import { NodeDiscovery, renderDiscoveryJob } from "./nodeDiscovery";
import { RemoteWriteEndpoint } from "../../settings/remoteWriteEntries";
import { renderRemoteWrite } from "./remoteWrite";
import { replicaLabel } from "../thanos/thanosConfig";
import { prometheusClientOptions, WebClient } from "../../security/webConfig";
import { thanosJob } from "../../settings/choices";

/** A scrape target with the labels that name its host. */
export interface LabelledTarget {
    /** host:port */
    readonly address: string;
    /** Extra labels, such as { role: "app" }. */
    readonly labels?: Readonly<Record<string, string>>;
}

/** Everything prometheus.yml depends on. */
export interface PrometheusConfigInput {
    readonly scrapeInterval: string;
    readonly evaluationInterval: string;
    /** Prometheus itself, host:port. */
    readonly prometheus: string;
    /** The other replicas of Prometheus (setting prometheusReplicas), host:port: scraped as well. */
    readonly prometheusPeers?: readonly string[];
    /** Alertmanager, host:port: both the `alerting` block and the `alertmanager` job. */
    readonly alertmanager: string;
    /** The other Alertmanagers of its cluster, host:port: alerted and scraped as well. */
    readonly alertmanagerPeers?: readonly string[];
    /** node_exporter on every host. */
    readonly nodes: readonly LabelledTarget[];
    /** The Flask app's /metrics; empty when the app reports to CloudWatch only. */
    readonly flaskApp: readonly LabelledTarget[];
    /** Static jobs from settings. */
    readonly extraJobs: readonly ScrapeJob[];
    /** Endpoints every sample is also written to (a distributed TSDB). */
    readonly remoteWrite?: readonly RemoteWriteEndpoint[];
    /** Machines found by tag, and the port of their node_exporter. */
    readonly discovery?: { readonly nodes: NodeDiscovery; readonly port: number };
    /** Rule file names, relative to the directory of prometheus.yml. */
    readonly ruleFiles: readonly string[];
    /** How Prometheus reaches the endpoints the program secures: itself, Alertmanager, node_exporter. */
    readonly client?: WebClient;
    /** Long-term storage by Thanos: its components' endpoints (scraped like Prometheus's). */
    readonly thanos?: ThanosTopology;
    /**
     * Labels on everything this Prometheus sends out (blocks, remote write, alerts): the stack and
     * its replica number, which Thanos Query and HA-aware receivers deduplicate on. Alerts leave
     * without the replica label, so that every replica's copy is the same alert.
     */
    readonly externalLabels?: Readonly<Record<string, string>>;
}

/** What Prometheus knows of Thanos: where the components on its host serve their metrics. */
export interface ThanosTopology {
    /** host:port of each component's HTTP endpoint. */
    readonly targets: readonly string[];
}

function staticConfigs(targets: readonly LabelledTarget[]): object[] {
    // One static_config per distinct label set keeps the file short and the order stable.
    const groups = new Map<string, { targets: string[]; labels?: Record<string, string> }>();
    for (const target of targets) {
        const labels = target.labels ? Object.fromEntries(Object.entries(target.labels).sort()) : undefined;
        const key = JSON.stringify(labels ?? {});
        const group = groups.get(key) ?? { targets: [], ...(labels ? { labels } : {}) };
        group.targets.push(target.address);
        groups.set(key, group);
    }
    return [...groups.values()];
}

function job(name: string, targets: readonly LabelledTarget[], options: Record<string, unknown> = {}): object {
    return { job_name: name, ...options, static_configs: staticConfigs(targets) };
}

/** Renders prometheus.yml. Deterministic: the same input gives the same bytes. */
export function renderPrometheusConfig(input: PrometheusConfigInput): string {
    const secured = prometheusClientOptions(input.client);
    const alertmanagers = [input.alertmanager, ...(input.alertmanagerPeers ?? [])];
    const scrapeConfigs = [
        job(
            "prometheus",
            [input.prometheus, ...(input.prometheusPeers ?? [])].map((address) => ({ address })),
            secured,
        ),
        job(
            "alertmanager",
            alertmanagers.map((address) => ({ address })),
            secured,
        ),
        job("node", input.nodes, secured),
        ...(input.discovery ? [renderDiscoveryJob(input.discovery.nodes, input.discovery.port, secured)] : []),
        ...(input.thanos
            ? [
                  job(
                      thanosJob,
                      input.thanos.targets.map((address) => ({ address })),
                      secured,
                  ),
              ]
            : []),
        ...(input.flaskApp.length > 0 ? [job("flask_app", input.flaskApp)] : []),
        ...input.extraJobs.map((extra) =>
            job(
                extra.job,
                extra.targets.map((address) => ({ address, labels: extra.labels })),
                extra.secured ? secured : {},
            ),
        ),
    ];
    const config = {
        global: {
            scrape_interval: input.scrapeInterval,
            evaluation_interval: input.evaluationInterval,
            ...(input.externalLabels ? { external_labels: { ...input.externalLabels } } : {}),
        },
        // Every Alertmanager of the cluster gets every alert; they agree among themselves who notifies.
        alerting: {
            // The replica label tells Thanos Query's copies apart; alerts of every replica are the same alert.
            ...(input.externalLabels && replicaLabel in input.externalLabels ? { alert_relabel_configs: [{ action: "labeldrop", regex: replicaLabel }] } : {}),
            alertmanagers: [{ ...secured, static_configs: [{ targets: alertmanagers }] }],
        },
        rule_files: [...input.ruleFiles],
        scrape_configs: scrapeConfigs,
        ...(input.remoteWrite && input.remoteWrite.length > 0 ? { remote_write: renderRemoteWrite(input.remoteWrite) } : {}),
    };
    return "# Rendered by the monitoring Pulumi program; changes here are overwritten.\n" + yaml.dump(config, { lineWidth: -1, noRefs: true });
}
