import * as yaml from "js-yaml";
import { httpClientOptions, peerTlsFiles, WebClient, webConfigFile } from "../../security/webConfig";

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

/**
 * The ports of the Thanos components other than Query's HTTP port (setting thanosQueryPort); all but
 * that one listen on the loopback, except the gRPC port of the sidecars of further Prometheus
 * replicas, which Query reaches over mutual TLS.
 */
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

/**
 * The external labels of Prometheus with Thanos (which refuses a Prometheus without any) or with
 * replicas: the stack, and the replica (0, 1, ...) that Thanos Query deduplicates on.
 */
export function replicaExternalLabels(stack: string, replica: number): Record<string, string> {
    return { stack, replica: String(replica) };
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
    return "# Rendered by the monitoring Pulumi program: how the sidecar reaches Prometheus.\n" + yaml.dump(httpClientOptions(client), { lineWidth: -1 });
}

/** The stack's peer certificate, key and CA in a component's configuration directory: its side of the gRPC mutual TLS. */
function peerTlsPaths(component: ThanosComponent): { cert: string; key: string; ca: string } {
    const dir = thanosConfigDir(component);
    return { cert: `${dir}/${peerTlsFiles.cert}`, key: `${dir}/${peerTlsFiles.key}`, ca: `${dir}/${peerTlsFiles.ca}` };
}

/**
 * Query's stores: the sidecar and the store gateway on the loopback, and the sidecars of the other
 * Prometheus replicas (host:port), over gRPC with mutual TLS: Query presents the stack's peer
 * certificate and verifies theirs against the stack's CA.
 */
export function renderQueryEndpoints(remoteSidecars: readonly string[] = []): string {
    const tls = peerTlsPaths("thanos-query");
    const config = {
        endpoints: [
            { address: `127.0.0.1:${thanosPorts.sidecarGrpc}`, strict: true },
            { address: `127.0.0.1:${thanosPorts.storeGrpc}`, strict: true },
            ...remoteSidecars.map((address) => ({
                address,
                strict: true,
                client_config: { tls_config: { enabled: true, cert_file: tls.cert, key_file: tls.key, ca_file: tls.ca } },
            })),
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

/**
 * The sidecar: Prometheus's URL on the loopback, its TSDB (where it keeps its upload record), the
 * bucket. The sidecar of a further replica (`servesPeers`) serves gRPC on every address, over mutual
 * TLS: only a client with a certificate of the stack's CA (Query's) gets through.
 */
export function sidecarFlags(
    input: ThanosFlagsInput & { readonly prometheusUrl: string; readonly tsdbPath: string; readonly servesPeers?: boolean },
): string[] {
    const dir = thanosConfigDir("thanos-sidecar");
    const tls = peerTlsPaths("thanos-sidecar");
    return [
        "sidecar",
        `--prometheus.url=${input.prometheusUrl}`,
        `--prometheus.http-client-file=${dir}/${sidecarClientFile}`,
        `--tsdb.path=${input.tsdbPath}`,
        `--objstore.config-file=${dir}/${objstoreFile}`,
        ...(input.servesPeers
            ? [
                  `--grpc-address=0.0.0.0:${thanosPorts.sidecarGrpc}`,
                  `--grpc-server-tls-cert=${tls.cert}`,
                  `--grpc-server-tls-key=${tls.key}`,
                  `--grpc-server-tls-client-ca=${tls.ca}`,
              ]
            : [`--grpc-address=127.0.0.1:${thanosPorts.sidecarGrpc}`]),
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

/**
 * The components' HTTP endpoints a Prometheus scrapes, host:port, on its own host: the loopback,
 * and Query's own port. A further replica's host runs only its sidecar.
 */
export function thanosTargets(queryPort: number, replica = 0): string[] {
    return replica === 0
        ? [`localhost:${thanosPorts.sidecarHttp}`, `localhost:${thanosPorts.storeHttp}`, `localhost:${thanosPorts.compactHttp}`, `localhost:${queryPort}`]
        : [`localhost:${thanosPorts.sidecarHttp}`];
}
