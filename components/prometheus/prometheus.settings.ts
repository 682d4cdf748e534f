import { declareSettings, releaseSettings } from "../../settings/declare";

/** Prometheus: its release, storage, replicas, what it scrapes and where it writes. */
export const prometheusSettings = declareSettings({
    prometheusPort: { type: "integer", default: 9090, description: "Port of Prometheus.", port: true },
    ...releaseSettings("prometheus", {
        name: "Prometheus",
        version: "2.55.1",
        versionDescription: "Prometheus release installed on the monitoring host.",
        downloadBaseUrl: "https://github.com/prometheus/prometheus/releases/download",
        downloadBaseUrlDescription:
            "Base URL of Prometheus releases: <base>/v<version>/prometheus-<version>.linux-<arch>.tar.gz and <base>/v<version>/sha256sums.txt. Point it at a mirror with the same layout.",
        image: "prom/prometheus",
    }),
    prometheusRetentionTime: { type: "string", default: "15d", description: "How long Prometheus keeps samples (--storage.tsdb.retention.time)." },
    prometheusRetentionSize: {
        type: "string",
        default: "40GB",
        description: "Most disk Prometheus keeps (--storage.tsdb.retention.size); keep it below the volume size.",
    },
    prometheusReplicas: {
        type: "integer",
        default: 1,
        description:
            "How many identical Prometheus servers scrape the same targets and evaluate the same rules: the first on the monitoring host, then on the Grafana host where it has its own (aws, hosts), then on the app host. Each sends every alert to every Alertmanager, which notify once. Their series carry the external label replica (0, 1, ...), which Thanos Query deduplicates on; with thanos each replica has a sidecar that Query reaches over mutual TLS (so webTls must be on). 1: one Prometheus.",
    },
    scrapeInterval: { type: "string", default: "15s", description: "Prometheus scrape_interval, as in the guide." },
    evaluationInterval: { type: "string", default: "15s", description: "Prometheus evaluation_interval for rules." },
    extraScrapeTargets: { type: "array", items: { type: "string" }, default: [], description: "More static scrape jobs, each 'job=host:port[,host:port...]'." },
    metricsTargetStacks: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
            "Stacks (e.g. acme/shop-api/prod) whose metricsTargets output ([{ job, targets, labels? }]) becomes scrape jobs: how application teams register their services.",
    },
    nodeDiscoveryTag: {
        type: "string",
        default: "",
        description:
            "On linode and aws: Prometheus also scrapes node_exporter on every instance carrying this tag (job node_discovered), found by its own service discovery: on linode the tag (such as monitored), with a read-only token; on aws Key=Value, or Key for any value, in the stack's region, with the Prometheus instance's role. Scraped at the private address as the stack's own node_exporters are (scheme, CA, credentials). Empty: no discovery.",
        platforms: ["linode", "aws"],
    },
    remoteWrite: {
        type: "array",
        items: { type: "object" },
        default: [],
        description:
            "Endpoints Prometheus also writes every sample to (Thanos Receive, Grafana Mimir, VictoriaMetrics, Amazon Managed Service for Prometheus), each an object set with pulumi config set --path 'remoteWrite[0].url' <url>: url; name; username with password, or bearerToken, or sigv4Region (with accessKeyId and secretAccessKey, or on aws the Prometheus instance's role); maxShards, capacity, maxSamplesPerSend; keepMetrics, dropMetrics (regular expressions on metric names). Set password, bearerToken and secretAccessKey with --secret.",
    },
    linodeDiscoveryToken: {
        type: "string",
        default: "",
        description:
            "On linode with nodeDiscoveryTag: a Linode token with only linodes:read_only and ips:read_only for discovery; empty means the stack creates one (which needs a deployment token with account:read_write).",
        secret: true,
    },
});
