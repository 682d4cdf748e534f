// Prometheus's remote write to a distributed TSDB (Thanos Receive, Grafana Mimir, VictoriaMetrics,
// Amazon Managed Service for Prometheus): the endpoints as settings hold them, the fields each may
// carry, and the remote_write block of prometheus.yml. Pure.

/** How Prometheus authenticates to an endpoint. */
export type RemoteWriteAuth =
    | { readonly kind: "basic"; readonly username: string; readonly password: string }
    | { readonly kind: "bearer"; readonly token: string }
    /** AWS Signature V4 (Amazon Managed Service for Prometheus): with a key pair, or the instance's role on aws. */
    | { readonly kind: "sigv4"; readonly region: string; readonly accessKeyId?: string; readonly secretAccessKey?: string };

/** One endpoint Prometheus writes every sample to, besides its own storage. */
export interface RemoteWriteEndpoint {
    readonly url: string;
    /** Names the queue in Prometheus's own metrics (prometheus_remote_storage_*{remote_name}). */
    readonly name?: string;
    readonly auth?: RemoteWriteAuth;
    /** Queue tuning; Prometheus's defaults where unset. */
    readonly maxShards?: number;
    readonly capacity?: number;
    readonly maxSamplesPerSend?: number;
    /** Only series whose metric name matches are sent (a regular expression, anchored). */
    readonly keepMetrics?: string;
    /** Series whose metric name matches are not sent. */
    readonly dropMetrics?: string;
}

/** The fields of one remoteWrite entry, as `pulumi config set --path 'remoteWrite[0].<field>'` sets them. */
export const remoteWriteFields = {
    url: "string",
    name: "string",
    username: "string",
    password: "string",
    bearerToken: "string",
    sigv4Region: "string",
    accessKeyId: "string",
    secretAccessKey: "string",
    maxShards: "integer",
    capacity: "integer",
    maxSamplesPerSend: "integer",
    keepMetrics: "string",
    dropMetrics: "string",
} as const;
export type RemoteWriteField = keyof typeof remoteWriteFields;

/** The fields that hold credentials: an entry with one of them must be stored as a secret. */
export const remoteWriteSecretFields: readonly RemoteWriteField[] = ["password", "bearerToken", "secretAccessKey"];

/** The IAM action that lets the Prometheus instance's role write to Amazon Managed Service for Prometheus. */
export const apsRemoteWriteAction = "aps:RemoteWrite";

/**
 * The workspace an Amazon Managed Service for Prometheus URL writes to, as an IAM resource
 * (https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/api/v1/remote_write), or
 * undefined for any other URL.
 */
export function apsWorkspaceArn(url: string): string | undefined {
    const match = /^https:\/\/aps-workspaces\.([a-z0-9-]+)\.amazonaws\.com\/workspaces\/(ws-[A-Za-z0-9-]+)\//.exec(url);
    return match ? `arn:aws:aps:${match[1]}:*:workspace/${match[2]}` : undefined;
}

/** An entry of the remoteWrite setting (validation has accepted it) as an endpoint. */
export function parseRemoteWriteEntry(entry: Readonly<Record<string, unknown>>): RemoteWriteEndpoint {
    const text = (field: RemoteWriteField) => (typeof entry[field] === "string" && entry[field] !== "" ? (entry[field] as string) : undefined);
    const count = (field: RemoteWriteField) => (entry[field] === undefined ? undefined : Number(entry[field]));
    const auth: RemoteWriteAuth | undefined = text("username")
        ? { kind: "basic", username: text("username")!, password: text("password") ?? "" }
        : text("bearerToken")
          ? { kind: "bearer", token: text("bearerToken")! }
          : text("sigv4Region")
            ? {
                  kind: "sigv4",
                  region: text("sigv4Region")!,
                  ...(text("accessKeyId") ? { accessKeyId: text("accessKeyId"), secretAccessKey: text("secretAccessKey") } : {}),
              }
            : undefined;
    return {
        url: String(entry.url),
        ...(text("name") ? { name: text("name") } : {}),
        ...(auth ? { auth } : {}),
        ...(count("maxShards") !== undefined ? { maxShards: count("maxShards") } : {}),
        ...(count("capacity") !== undefined ? { capacity: count("capacity") } : {}),
        ...(count("maxSamplesPerSend") !== undefined ? { maxSamplesPerSend: count("maxSamplesPerSend") } : {}),
        ...(text("keepMetrics") ? { keepMetrics: text("keepMetrics") } : {}),
        ...(text("dropMetrics") ? { dropMetrics: text("dropMetrics") } : {}),
    };
}

function authOptions(auth: RemoteWriteAuth | undefined): Record<string, unknown> {
    switch (auth?.kind) {
        case "basic":
            return { basic_auth: { username: auth.username, password: auth.password } };
        case "bearer":
            return { authorization: { credentials: auth.token } };
        case "sigv4":
            // Without a key pair, the AWS SDK takes the instance role's credentials.
            return { sigv4: { region: auth.region, ...(auth.accessKeyId ? { access_key: auth.accessKeyId, secret_key: auth.secretAccessKey } : {}) } };
        default:
            return {};
    }
}

/** The remote_write block of prometheus.yml: one entry per endpoint, in the settings' order. */
export function renderRemoteWrite(endpoints: readonly RemoteWriteEndpoint[]): object[] {
    return endpoints.map((endpoint) => {
        const queue = {
            ...(endpoint.maxShards !== undefined ? { max_shards: endpoint.maxShards } : {}),
            ...(endpoint.capacity !== undefined ? { capacity: endpoint.capacity } : {}),
            ...(endpoint.maxSamplesPerSend !== undefined ? { max_samples_per_send: endpoint.maxSamplesPerSend } : {}),
        };
        const relabel = [
            ...(endpoint.keepMetrics ? [{ source_labels: ["__name__"], regex: endpoint.keepMetrics, action: "keep" }] : []),
            ...(endpoint.dropMetrics ? [{ source_labels: ["__name__"], regex: endpoint.dropMetrics, action: "drop" }] : []),
        ];
        return {
            url: endpoint.url,
            ...(endpoint.name ? { name: endpoint.name } : {}),
            ...authOptions(endpoint.auth),
            ...(Object.keys(queue).length > 0 ? { queue_config: queue } : {}),
            ...(relabel.length > 0 ? { write_relabel_configs: relabel } : {}),
        };
    });
}
