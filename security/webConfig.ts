import * as crypto from "crypto";
import * as yaml from "js-yaml";
import { encodeBase64, hashSync } from "bcryptjs";

/**
 * How the HTTP endpoints of Prometheus, Alertmanager and node_exporter are secured: TLS with the
 * host's certificate, basic authentication, or both, through their shared web configuration file
 * (the Prometheus exporter-toolkit's `--web.config.file`, re-read on every request).
 */
export interface WebSecurityOptions {
    /** Serve HTTPS with tls/server.crt and tls/server.key of the service's configuration directory. */
    readonly tls: boolean;
    /** Basic-auth users by name, each with the bcrypt hash of its password. */
    readonly users: Readonly<Record<string, string>>;
}

/** Where a service's TLS files live, relative to its configuration directory. */
export const webTlsFiles = { cert: "tls/server.crt", key: "tls/server.key", ca: "tls/ca.crt" } as const;

/** The web configuration file's name in the configuration directory. */
export const webConfigFile = "web.yml";

/** The flag that points a service at its web configuration file, or none when the endpoint has neither TLS nor users. */
export function webConfigFlags(configDir: string, secured: boolean): string[] {
    return secured ? [`--web.config.file=${configDir}/${webConfigFile}`] : [];
}

/** The web configuration file (exporter-toolkit format): TLS 1.2 or later, and the basic-auth users. */
export function renderWebConfig(configDir: string, options: WebSecurityOptions): string {
    const users = Object.keys(options.users).sort();
    const config = {
        ...(options.tls
            ? { tls_server_config: { cert_file: `${configDir}/${webTlsFiles.cert}`, key_file: `${configDir}/${webTlsFiles.key}`, min_version: "TLS12" } }
            : {}),
        ...(users.length > 0 ? { basic_auth_users: Object.fromEntries(users.map((user) => [user, options.users[user]])) } : {}),
    };
    return "# Rendered by the monitoring Pulumi program; changes here are overwritten.\n" + yaml.dump(config, { lineWidth: -1 });
}

/**
 * The bcrypt hash (cost 10) of a basic-auth password. The salt is derived from the user and the
 * password, so the same password gives the same file and `pulumi up` changes nothing until the
 * password does; a different password gets a different salt.
 */
export function hashWebPassword(username: string, password: string): string {
    // Every service of a host (and every host) hashes the same credentials; bcrypt of cost 10 takes
    // about 70 ms in JavaScript, so each pair is hashed once per process.
    const key = `${username}\0${password}`;
    let hash = hashes.get(key);
    if (hash === undefined) {
        hash = bcryptHash(username, password);
        hashes.set(key, hash);
    }
    return hash;
}

const hashes = new Map<string, string>();

function bcryptHash(username: string, password: string): string {
    const salt = crypto.createHmac("sha256", `web.yml basic_auth_users ${username}`).update(password).digest().subarray(0, 16);
    return hashSync(password, `$2b$10$${encodeBase64(salt, 16)}`);
}

/**
 * The stack's password as a file of a client's configuration directory (secret), so that the
 * configuration that points at it (prometheus.yml's password_file, the sidecar's) holds no secret
 * and shows line by line in a preview.
 */
export const clientPasswordFile = "client.password";

/** How a client (Prometheus, the Thanos sidecar) reaches a secured endpoint: the CA and the password by file. */
export interface WebClient {
    readonly tls: boolean;
    /** Path of the CA certificate that signed the servers' certificates. */
    readonly caFile: string;
    /** Basic-auth user and the path of the file holding its password, when the endpoints require them. */
    readonly auth?: { readonly username: string; readonly passwordFile: string };
}

/** The client's HTTP options (prometheus/common's HTTPClientConfig): TLS with the CA, basic auth from the password file. */
export function httpClientOptions(client: WebClient | undefined): Record<string, unknown> {
    if (!client) return {};
    return {
        ...(client.auth ? { basic_auth: { username: client.auth.username, password_file: client.auth.passwordFile } } : {}),
        ...(client.tls ? { tls_config: { ca_file: client.caFile } } : {}),
    };
}

/** The scrape or alerting options of prometheus.yml for a secured endpoint. */
export function prometheusClientOptions(client: WebClient | undefined): Record<string, unknown> {
    if (!client) return {};
    return { ...(client.tls ? { scheme: "https" } : {}), ...httpClientOptions(client) };
}

/** A curl configuration file (`curl -K`) for the host's own checks of a secured endpoint: the CA file, and the credentials (curl reads no password file). */
export function renderCurlConfig(caFile: string | undefined, credentials?: { readonly username: string; readonly password: string }): string {
    const quote = (value: string) => `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
    return [
        "# Rendered by the monitoring Pulumi program: how the host's own checks reach the service.",
        ...(caFile !== undefined ? [`cacert = ${quote(caFile)}`] : []),
        ...(credentials ? [`user = ${quote(`${credentials.username}:${credentials.password}`)}`] : []),
        "",
    ].join("\n");
}

/** Where a cluster peer's certificate, key and CA live, relative to the service's configuration directory. */
export const peerTlsFiles = { config: "cluster/tls.yml", cert: "cluster/peer.crt", key: "cluster/peer.key", ca: "cluster/ca.crt" } as const;

/**
 * The TLS file of a gossip cluster (Alertmanager's --cluster.tls-config): each peer serves with its
 * certificate and requires one signed by the CA from every peer that connects, and presents the same
 * certificate when it connects, verifying the other's against the CA. Mutual TLS, 1.2 or later.
 */
export function renderPeerTlsConfig(configDir: string): string {
    const file = (relative: string) => `${configDir}/${relative}`;
    const config = {
        tls_server_config: {
            cert_file: file(peerTlsFiles.cert),
            key_file: file(peerTlsFiles.key),
            client_auth_type: "RequireAndVerifyClientCert",
            client_ca_file: file(peerTlsFiles.ca),
            min_version: "TLS12",
        },
        tls_client_config: { cert_file: file(peerTlsFiles.cert), key_file: file(peerTlsFiles.key), ca_file: file(peerTlsFiles.ca), min_version: "TLS12" },
    };
    return "# Rendered by the monitoring Pulumi program; changes here are overwritten.\n" + yaml.dump(config, { lineWidth: -1 });
}
