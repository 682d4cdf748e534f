// The closed sets of values a setting may take, each declared once; the types follow from them.

/** The platforms this program deploys to. */
export const platforms = ["linode", "aws", "hosts"] as const;
export type Platform = (typeof platforms)[number];

/** How the hosts platform runs the services (linode always systemd, aws always docker). */
export const runtimes = ["systemd", "docker"] as const;
export type RuntimeKind = (typeof runtimes)[number];

/** The ways the Flask app reports its latency (setting appMetricsMode). */
export const appMetricsModes = ["prometheus", "cloudwatch", "both"] as const;
export type AppMetricsMode = (typeof appMetricsModes)[number];

/** The roles of the hosts platform: two machines, or three with Grafana apart (as on aws). */
export const hostLayouts = [
    ["app", "monitoring"],
    ["app", "grafana", "prometheus"],
] as const;
/** The role of any number of further machines of the hosts platform: node_exporter only, scraped with their labels. */
export const nodeRole = "node";
/** Target labels the program sets itself on node hosts' targets; a user's label may not replace them. */
export const reservedTargetLabels = ["job", "role"] as const;

/** The notification channels a deployment can have (settings criticalReceivers, warningReceivers). */
export const receiverKinds = ["email", "slack", "webhook", "pagerduty"] as const;
export type ReceiverKind = (typeof receiverKinds)[number];

/** The scrape job of the machines found by tag (setting nodeDiscoveryTag). */
export const discoveredNodesJob = "node_discovered";
/** The scrape job of the CloudWatch bridge (setting cloudwatchBridge). */
export const bridgeJob = "cloudwatch_bridge";
/** The scrape job of the Thanos components (setting thanos). */
export const thanosJob = "thanos";

/** Job names the program always renders; extra jobs may not reuse them. */
export const builtInJobs = ["prometheus", "node", "flask_app", "alertmanager", bridgeJob, discoveredNodesJob, thanosJob] as const;

/**
 * Where the replicas of Alertmanager and of Prometheus run, in order (settings alertmanagerReplicas,
 * prometheusReplicas): the monitoring host, then Grafana's own host where the layout has one, then
 * the app host. Each replica on a host of its own, so one host going down leaves the others.
 */
export function replicaRoles(platform: Platform, separateGrafana: boolean): ("monitoring" | "grafana" | "app")[] {
    return platform === "aws" || (platform === "hosts" && separateGrafana) ? ["monitoring", "grafana", "app"] : ["monitoring", "app"];
}
