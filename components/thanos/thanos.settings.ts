import { declareSettings, releaseSettings } from "../../settings/declare";

/** Long-term storage with Thanos, and its bucket. */
export const thanosSettings = declareSettings({
    thanos: {
        type: "boolean",
        default: false,
        description:
            "Long-term storage in object storage: a Thanos sidecar uploads each two-hour block of Prometheus to a bucket (created on linode and aws, thanosBucket on hosts); Thanos Store serves the bucket, Thanos Compact keeps it for thanosRetention, and Thanos Query answers from both, deduplicated on the replica label. Grafana's datasource then uses Thanos Query. Prometheus keeps prometheusRetentionTime on its disk and no longer compacts its own blocks (Thanos needs them as cut).",
    },
    ...releaseSettings("thanos", {
        name: "Thanos",
        version: "0.42.4",
        versionDescription: "Thanos release installed on the monitoring host when thanos is on.",
        downloadBaseUrl: "https://github.com/thanos-io/thanos/releases/download",
        image: "thanosio/thanos",
    }),
    thanosRetention: {
        type: "string",
        default: "365d",
        description: "How long the bucket keeps the metrics (raw and downsampled), applied by Thanos Compact; a duration such as 90d or 2y.",
    },
    thanosQueryPort: {
        type: "integer",
        default: 10904,
        description: "Port of Thanos Query's HTTP API on the monitoring host (TLS and basic auth as Prometheus's), for Grafana and the admins.",
        port: true,
    },
    thanosBucket: {
        type: "string",
        default: "",
        description:
            "The bucket the blocks go to. On linode and aws, empty means the stack creates one named <labelPrefix>-<stack>-metrics-<random suffix>, kept when the stack is destroyed or thanos turned off (the data outlives the stack); a name means that existing bucket in the stack's region. On hosts, the name of an existing bucket (required).",
    },
    thanosBucketEndpoint: {
        type: "string",
        default: "",
        description:
            "host[:port] of the bucket's S3 API, without a scheme. Required on hosts (any S3-compatible store); on linode and aws, empty means the region's endpoint.",
    },
    thanosBucketRegion: { type: "string", default: "", description: "On hosts: the region the S3-compatible store expects, if any." },
    thanosBucketInsecure: {
        type: "boolean",
        default: false,
        description: "On hosts: reach thanosBucketEndpoint over plain HTTP (a store on a private network); HTTPS otherwise.",
    },
    thanosBucketAccessKeyId: {
        type: "string",
        default: "",
        description:
            "The bucket's access key. Required on hosts; on linode, empty means the stack creates a key limited to read_write on that bucket alone; unused on aws, where the Prometheus instance's role may use that bucket alone.",
        secret: true,
    },
    thanosBucketSecretAccessKey: { type: "string", default: "", description: "The secret of thanosBucketAccessKeyId.", secret: true },
});
