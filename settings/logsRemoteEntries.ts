// The logsRemote setting's entries: further OTLP endpoints each host's collector also sends its logs
// to. Pure; the exporters are rendered in components/otelCollector.

/** How a collector authenticates to a further endpoint. */
export type LogsRemoteAuth =
    { readonly kind: "basic"; readonly username: string; readonly password: string } | { readonly kind: "bearer"; readonly token: string };

/** One further endpoint of the logs (Loki 3, Grafana Cloud, Elastic, another VictoriaLogs): OTLP over HTTP. */
export interface LogsRemoteEndpoint {
    /** The OTLP/HTTP base URL; the collector appends /v1/logs. */
    readonly url: string;
    /** Names its exporter, its queue and its credentials' variable. */
    readonly name: string;
    readonly auth?: LogsRemoteAuth;
}

/** An Authorization header's value: Basic with a user and password, or Bearer with a token. */
export function authorizationHeader(auth: LogsRemoteAuth): string {
    return auth.kind === "basic" ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` : `Bearer ${auth.token}`;
}

/** The fields of one logsRemote entry, as `pulumi config set --path 'logsRemote[0].<field>'` sets them. */
export const logsRemoteFields = { url: "string", name: "string", username: "string", password: "string", bearerToken: "string" } as const;
export type LogsRemoteField = keyof typeof logsRemoteFields;

/** The fields that hold credentials: an entry with one of them must be stored as a secret. */
export const logsRemoteSecretFields: readonly LogsRemoteField[] = ["password", "bearerToken"];

/** The name of the entry at `index`: its own, or remote-<index + 1>. */
export function logsRemoteName(entry: Readonly<Record<string, unknown>>, index: number): string {
    return typeof entry.name === "string" && entry.name !== "" ? entry.name : `remote-${index + 1}`;
}

/** An entry of the logsRemote setting (validation has accepted it) as an endpoint. */
export function parseLogsRemoteEntry(entry: Readonly<Record<string, unknown>>, index: number): LogsRemoteEndpoint {
    const text = (field: LogsRemoteField) => (typeof entry[field] === "string" && entry[field] !== "" ? (entry[field] as string) : undefined);
    const auth: LogsRemoteAuth | undefined = text("username")
        ? { kind: "basic", username: text("username")!, password: text("password") ?? "" }
        : text("bearerToken")
          ? { kind: "bearer", token: text("bearerToken")! }
          : undefined;
    return { url: String(entry.url).replace(/\/+$/, ""), name: logsRemoteName(entry, index), ...(auth ? { auth } : {}) };
}
