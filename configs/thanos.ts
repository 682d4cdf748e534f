import * as yaml from "js-yaml";
import { WebClient, webConfigFile } from "./webConfig";

/**
 * Long-term storage with Thanos: a sidecar next to Prometheus uploads each two-hour block of its
 * TSDB to an object-storage bucket; Thanos Store serves the bucket's blocks, Thanos Compact
 * compacts, downsamples and deletes them past the retention, and Thanos Query answers PromQL from
 * the sidecar (recent data) and the store (everything uploaded). Pure renderers: flags and files,
 * the same under systemd and in Docker.
 */

/** The bucket's S3 API: where it is, and the key pair when the host has no role that may use it. */
export interface ThanosBucket {
    readonly bucket: string;
    /** host[:port] of the S3 API, without a scheme. */
    readonly endpoint: string;
    /** The bucket's region, or "" where the store has none. */
    readonly region: string;
    /** Plain HTTP to the endpoint (a store on a private network); HTTPS otherwise. */
    readonly insecure: boolean;
    /** The key pair; absent on aws, where the instance role signs. */
    readonly keys?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** The ports of the Thanos components other than Query's HTTP port (setting thanosQueryPort); all but that one listen on the loopback. */
export const thanosPorts = { sidecarGrpc: 10901, sidecarHttp: 10902, queryGrpc: 10903, storeGrpc: 10905, storeHttp: 10906, compactHttp: 10912 } as const;

/** The Thanos components, by the service name each runs under. */
export const thanosComponents = ["thanos-sidecar", "thanos-store", "thanos-compact", "thanos-query"] as const;
export type ThanosComponent = (typeof thanosComponents)[number];

/** Each component's configuration directory (its web.yml, certificates and files). */
export const thanosConfigDir = (component: ThanosComponent): string => `/etc/${component}`;

/** The data directories of the store (its index cache) and the compactor (its work space). */
export const thanosDataDirs = { "thanos-store": "/var/lib/thanos-store", "thanos-compact": "/var/lib/thanos-compact" } as const;

/** The bucket's configuration file, in the directory of each component that reads the bucket. */
export const objstoreFile = "objstore.yml";

/** The external labels Thanos needs on Prometheus (it refuses a Prometheus without any): the stack, and the replica that Query deduplicates on. */
export function thanosExternalLabels(stack: string): Record<string, string> {
    return { stack, replica: "0" };
}

/** The label Thanos Query treats as the replica of otherwise identical series. */
export const replicaLabel = "replica";

/** The bucket's configuration (Thanos objstore, type S3). With no key pair the client signs with the instance's role. */
export function renderObjstoreConfig(bucket: ThanosBucket): string {
    const config = {
        type: "S3",
        config: {
            bucket: bucket.bucket,
            endpoint: bucket.endpoint,
            ...(bucket.region !== "" ? { region: bucket.region } : {}),
            insecure: bucket.insecure,
            ...(bucket.keys ? { access_key: bucket.keys.accessKeyId, secret_key: bucket.keys.secretAccessKey } : { aws_sdk_auth: true }),
        },
    };
    return "# Rendered by the monitoring Pulumi program; changes here are overwritten.\n" + yaml.dump(config, { lineWidth: -1 });
}

/** How the sidecar reaches Prometheus on the same host: TLS with the stack's CA, basic auth, or plain HTTP. */
export function renderSidecarPrometheusClient(client: WebClient | undefined): string {
    const config = {
        ...(client?.auth ? { basic_auth: { username: client.auth.username, password: client.auth.password } } : {}),
        ...(client?.tls ? { tls_config: { ca_file: client.caFile } } : {}),
    };
    return "# Rendered by the monitoring Pulumi program: how the sidecar reaches Prometheus.\n" + yaml.dump(config, { lineWidth: -1 });
}

/** Query's stores: the sidecar and the store gateway on the loopback, over gRPC. */
export function renderQueryEndpoints(): string {
    const config = {
        endpoints: [
            { address: `127.0.0.1:${thanosPorts.sidecarGrpc}`, strict: true },
            { address: `127.0.0.1:${thanosPorts.storeGrpc}`, strict: true },
        ],
    };
    return "# Rendered by the monitoring Pulumi program; changes here are overwritten.\n" + yaml.dump(config, { lineWidth: -1 });
}

/** The sidecar's own file naming how it reaches Prometheus. */
export const sidecarClientFile = "prometheus-client.yml";
/** Query's file naming its stores. */
export const queryEndpointsFile = "endpoints.yml";

/** The --http.config flag of a component whose HTTP endpoint is secured (the same exporter-toolkit file as Prometheus's web.yml). */
function httpConfigFlags(component: ThanosComponent, secured: boolean): string[] {
    return secured ? [`--http.config=${thanosConfigDir(component)}/${webConfigFile}`] : [];
}

/** What every component's flags depend on. */
export interface ThanosFlagsInput {
    /** Whether its HTTP endpoint has TLS or basic auth (web.yml in its configuration directory). */
    readonly secured: boolean;
}

/** The sidecar: Prometheus's URL on the loopback, its TSDB (where it keeps its upload record), the bucket. */
export function sidecarFlags(input: ThanosFlagsInput & { readonly prometheusUrl: string; readonly tsdbPath: string }): string[] {
    const dir = thanosConfigDir("thanos-sidecar");
    return [
        "sidecar",
        `--prometheus.url=${input.prometheusUrl}`,
        `--prometheus.http-client-file=${dir}/${sidecarClientFile}`,
        `--tsdb.path=${input.tsdbPath}`,
        `--objstore.config-file=${dir}/${objstoreFile}`,
        `--grpc-address=127.0.0.1:${thanosPorts.sidecarGrpc}`,
        `--http-address=127.0.0.1:${thanosPorts.sidecarHttp}`,
        ...httpConfigFlags("thanos-sidecar", input.secured),
    ];
}

/** The store gateway: the bucket's blocks, with its index cache in its data directory. */
export function storeFlags(input: ThanosFlagsInput & { readonly dataDir: string }): string[] {
    const dir = thanosConfigDir("thanos-store");
    return [
        "store",
        `--data-dir=${input.dataDir}`,
        `--objstore.config-file=${dir}/${objstoreFile}`,
        `--grpc-address=127.0.0.1:${thanosPorts.storeGrpc}`,
        `--http-address=127.0.0.1:${thanosPorts.storeHttp}`,
        ...httpConfigFlags("thanos-store", input.secured),
    ];
}

/** The compactor: always running, the only one per bucket; raw and downsampled data kept for `retention`. */
export function compactFlags(input: ThanosFlagsInput & { readonly dataDir: string; readonly retention: string }): string[] {
    const dir = thanosConfigDir("thanos-compact");
    return [
        "compact",
        "--wait",
        `--data-dir=${input.dataDir}`,
        `--objstore.config-file=${dir}/${objstoreFile}`,
        `--retention.resolution-raw=${input.retention}`,
        `--retention.resolution-5m=${input.retention}`,
        `--retention.resolution-1h=${input.retention}`,
        `--http-address=127.0.0.1:${thanosPorts.compactHttp}`,
        ...httpConfigFlags("thanos-compact", input.secured),
    ];
}

/** Query: PromQL over the sidecar and the store, deduplicated on the replica label, on its port for Grafana and users. */
export function queryFlags(input: ThanosFlagsInput & { readonly port: number }): string[] {
    const dir = thanosConfigDir("thanos-query");
    return [
        "query",
        `--endpoint.sd-config-file=${dir}/${queryEndpointsFile}`,
        `--query.replica-label=${replicaLabel}`,
        `--grpc-address=127.0.0.1:${thanosPorts.queryGrpc}`,
        `--http-address=0.0.0.0:${input.port}`,
        ...httpConfigFlags("thanos-query", input.secured),
    ];
}

/** The components' HTTP endpoints Prometheus scrapes, host:port: the loopback, and Query's own port. */
export function thanosTargets(queryPort: number): string[] {
    return [`localhost:${thanosPorts.sidecarHttp}`, `localhost:${thanosPorts.storeHttp}`, `localhost:${thanosPorts.compactHttp}`, `localhost:${queryPort}`];
}
