import * as yaml from "js-yaml";
import type { BridgedMetric } from "../../cloudwatch/translateAlarms";

/** Where the CloudWatch bridge (YACE) listens: on the monitoring host's loopback only, scraped by Prometheus there. */
export const bridgeListenAddress = "127.0.0.1:5000";

/** The only IAM action YACE's static jobs call (its account_id label comes from sts:GetCallerIdentity, which needs no permission). */
export const bridgeIamActions = ["cloudwatch:GetMetricStatistics"] as const;

/** A stable, readable job name from a namespace and its dimensions: AWS/ELB LoadBalancerName=web-prod -> elb-web-prod. */
function jobName(namespace: string, dimensions: BridgedMetric["dimensions"]): string {
    return [namespace.replace(/^AWS\//, ""), ...dimensions.map((d) => d.Value)]
        .join("-")
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/^-+|-+$/g, "");
}

/**
 * YACE's configuration for the metrics the translated alarms read through it: one static job per
 * namespace and dimension set, each metric with the statistics its alarms use, at the shortest
 * period they use, looking back two periods so that CloudWatch's delay still leaves a datapoint.
 * Deterministic.
 */
export function renderBridgeConfig(region: string, metrics: readonly BridgedMetric[]): string {
    const jobs = new Map<
        string,
        { name: string; namespace: string; dimensions: BridgedMetric["dimensions"]; metrics: Map<string, { statistics: Set<string>; period: number }> }
    >();
    for (const m of metrics) {
        const dimensions = [...m.dimensions].sort((a, b) => a.Name.localeCompare(b.Name));
        const key = JSON.stringify([m.namespace, dimensions]);
        const job = jobs.get(key) ?? { name: jobName(m.namespace, dimensions), namespace: m.namespace, dimensions, metrics: new Map() };
        const metric = job.metrics.get(m.metric) ?? { statistics: new Set<string>(), period: m.period };
        metric.statistics.add(m.statistic);
        metric.period = Math.min(metric.period, m.period);
        job.metrics.set(m.metric, metric);
        jobs.set(key, job);
    }
    const statics = [...jobs.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((job) => ({
            name: job.name,
            namespace: job.namespace,
            regions: [region],
            dimensions: job.dimensions.map((d) => ({ name: d.Name, value: d.Value })),
            metrics: [...job.metrics.entries()]
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([name, m]) => ({ name, statistics: [...m.statistics].sort(), period: m.period, length: m.period * 2 })),
        }));
    return (
        "# Rendered by the monitoring Pulumi program; changes here are overwritten.\n" +
        yaml.dump({ apiVersion: "v1alpha1", static: statics }, { lineWidth: -1, noRefs: true })
    );
}

/** The bridge's configuration directory, the same on the host and in its container. */
export const bridgeConfigDir = "/etc/yace";

/** YACE's flags, the same for the systemd service and the container. */
export function bridgeArgs(scrapingInterval: number): string[] {
    return [`--config.file=${bridgeConfigDir}/config.yml`, `--listen-address=${bridgeListenAddress}`, `--scraping-interval=${scrapingInterval}`];
}

/**
 * The environment YACE's AWS SDK reads: the region, an endpoint in place of AWS's own (a VPC
 * endpoint, or an emulator) when one is set, and the credentials file (the access key pair on
 * linode and hosts; empty on aws, where the instance role answers). Nothing secret.
 */
export function bridgeEnvironment(input: { region: string; endpoint: string }): Record<string, string> {
    return {
        AWS_REGION: input.region,
        AWS_SHARED_CREDENTIALS_FILE: `${bridgeConfigDir}/credentials`,
        ...(input.endpoint ? { AWS_ENDPOINT_URL: input.endpoint } : {}),
    };
}

/** The shared credentials file: the access key pair, or none (the SDK then asks the instance role). */
export function renderBridgeCredentials(keys?: { accessKeyId: string; secretAccessKey: string }): string {
    return keys
        ? `[default]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`
        : "# No access keys: the AWS SDK takes the instance role's credentials.\n";
}
