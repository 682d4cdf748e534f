// The remoteWrite setting's entries: the fields each may carry, which of them are credentials, and
// an entry read as an endpoint. Pure; the remote_write block is rendered in components/prometheus.

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
