// The OpenTelemetry Collector that ships a host's logs: its configuration, its release layout and the
// files of its configuration directory. Pure.
import * as yaml from "js-yaml";
import type { ReleaseLayout } from "../../runtimes/releaseDownload";
import { webTlsFiles } from "../../security/webConfig";
import { authorizationHeader, LogsRemoteEndpoint } from "../../settings/logsRemoteEntries";

/** Where the collector reads its configuration, the stack's CA and its credentials file. */
export const otelCollectorConfigDir = "/etc/otelcol";

/** Its configuration file, relative to the configuration directory. */
export const otelCollectorConfigFile = "config.yaml";

/**
 * The environment file systemd reads for it (secret): the Authorization header it sends the store.
 * The configuration names the variable only, so it holds no secret and `validate` checks it as it is.
 */
export const otelCollectorEnvFile = "store.env";

/** The variable of the environment file that holds the store's Authorization header. */
export const storeAuthorizationVariable = "OTELCOL_STORE_AUTHORIZATION";

/** Where it keeps its read positions (file offsets, the journal's cursor) and its sending queue. */
export const otelCollectorStateDir = "/var/lib/otelcol";

/** The Flask app's log file, as its unit writes it (configs/scripts/install-flask-app.sh LOG_FILE). */
export const flaskAppLogFile = "/var/log/flask-app/flask-app.log";

/** Its release as upstream publishes it: the binary otelcol-contrib at the top of the tarball. */
export const otelCollectorLayout: ReleaseLayout = {
    tarball: "otelcol-contrib_{version}_linux_{arch}.tar.gz",
    checksums: "opentelemetry-collector-releases_otelcol-contrib_checksums.txt",
    topDir: ".",
};

/** The store's OTLP logs path (VictoriaLogs). */
export const storeOtlpLogsPath = "/insert/opentelemetry/v1/logs";

/** What one host's collector configuration depends on. */
export interface CollectorConfigInput {
    /** The host's name in the stack (monitoring, app, grafana or a node host's), its records' host.name. */
    readonly hostName: string;
    /** Whether the Flask app writes its log file on this host. */
    readonly flaskAppLog: boolean;
    /** The store's OTLP logs URL. */
    readonly storeUrl: string;
    /** Whether the store is reached over HTTPS, verified against the stack's CA. */
    readonly storeTls: boolean;
    /** Whether the store asks for basic authentication (the header comes from the environment file). */
    readonly storeAuth: boolean;
    /** Bytes the sending queue may hold on disk (logsBufferSize). */
    readonly bufferBytes: number;
    /** Port of its health check on the loopback. */
    readonly healthPort: number;
    /** Further endpoints it also sends to (logsRemote): their names, URLs and whether they take a header (its value is in the environment file). */
    readonly remotes?: readonly { readonly name: string; readonly url: string; readonly authorized: boolean }[];
}

/** The variable of the environment file that holds a further endpoint's Authorization header. */
export function remoteAuthorizationVariable(name: string): string {
    return `OTELCOL_REMOTE_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_AUTHORIZATION`;
}

/** Retries without end, and a queue of `bufferBytes` on disk: what every exporter of the collector has. */
function durableSending(bufferBytes: number): Record<string, unknown> {
    return {
        retry_on_failure: { enabled: true, max_elapsed_time: 0 },
        sending_queue: { enabled: true, storage: "file_storage", sizer: "bytes", queue_size: bufferBytes },
    };
}

/** The timestamp at the start of each line of the Flask app's log (Python's logging asctime), which also starts each multi-line record. */
const flaskAppLineStart = String.raw`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} `;

/**
 * The Flask app's log file: one record per logging call (a traceback stays with its line), its
 * timestamp and severity from the line as the app's logging format writes them
 * (`%(asctime)s %(levelname)s %(name)s %(message)s`), the logger's name as an attribute.
 */
function flaskAppReceiver(hostName: string): Record<string, unknown> {
    return {
        include: [flaskAppLogFile],
        // On its first start it ships what the app writes from then on; from then on its offsets are kept.
        start_at: "end",
        storage: "file_storage",
        multiline: { line_start_pattern: flaskAppLineStart },
        operators: [
            {
                type: "regex_parser",
                regex: String.raw`^(?P<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) (?P<level>[A-Z]+) (?P<logger>\S+) `,
                timestamp: { parse_from: "attributes.time", layout_type: "strptime", layout: "%Y-%m-%d %H:%M:%S,%L" },
                severity: { parse_from: "attributes.level" },
            },
            { type: "remove", field: "attributes.time" },
            { type: "remove", field: "attributes.level" },
            ...streamFields("flask-app", hostName),
        ],
    };
}

/**
 * The host's systemd journal at priority info and above: the stack's units and everything else the
 * host logs (sshd, the kernel, apt). A record's service is its container's name, else its program's
 * (SYSLOG_IDENTIFIER), both few per host; its unit is an attribute, not a stream field, as
 * transient units (session-42.scope) would make a new stream each.
 */
function journalReceiver(hostName: string): Record<string, unknown> {
    return {
        start_at: "end",
        priority: "info",
        storage: "file_storage",
        operators: [
            {
                // A container's priority says only which stream a line came from (Docker writes standard error at err), not its level.
                type: "severity_parser",
                if: "body.CONTAINER_NAME == nil",
                parse_from: "body.PRIORITY",
                mapping: { fatal: ["0", "1", "2"], error: "3", warn: "4", info: ["5", "6"], debug: "7" },
            },
            { type: "move", if: "body.CONTAINER_NAME != nil", from: "body.CONTAINER_NAME", to: 'resource["service.name"]' },
            {
                type: "move",
                if: 'resource["service.name"] == nil && body.SYSLOG_IDENTIFIER != nil',
                from: "body.SYSLOG_IDENTIFIER",
                to: 'resource["service.name"]',
            },
            { type: "add", if: 'resource["service.name"] == nil', field: 'resource["service.name"]', value: "unknown" },
            { type: "move", if: "body._SYSTEMD_UNIT != nil", from: "body._SYSTEMD_UNIT", to: 'attributes["systemd.unit"]' },
            { type: "move", from: "body.MESSAGE", to: "body" },
            { type: "add", field: 'resource["host.name"]', value: hostName },
        ],
    };
}

/** The two stream fields every record carries (the journal sets its service per record). */
function streamFields(serviceName: string, hostName: string): Record<string, string>[] {
    return [
        { type: "add", field: 'resource["service.name"]', value: serviceName },
        { type: "add", field: 'resource["host.name"]', value: hostName },
    ];
}

/**
 * One host's collector configuration: the Flask app's log file where the app runs, and the journal,
 * shipped in batches over OTLP/HTTP to the store. Its read positions and its sending queue live in
 * file_storage, so a restart neither loses nor repeats a record, and while the store cannot take
 * them it retries without end, holding up to `bufferBytes` on disk.
 */
export function renderCollectorConfig(input: CollectorConfigInput): string {
    const remotes = input.remotes ?? [];
    const receivers: Record<string, unknown> = {
        ...(input.flaskAppLog ? { "file_log/flask_app": flaskAppReceiver(input.hostName) } : {}),
        journald: journalReceiver(input.hostName),
    };
    const config = {
        extensions: {
            file_storage: { directory: `${otelCollectorStateDir}/storage`, create_directory: true },
            health_check: { endpoint: `127.0.0.1:${input.healthPort}` },
        },
        receivers,
        processors: { batch: {} },
        exporters: {
            "otlp_http/store": {
                logs_endpoint: input.storeUrl,
                ...(input.storeAuth ? { headers: { Authorization: `\${env:${storeAuthorizationVariable}}` } } : {}),
                ...(input.storeTls ? { tls: { ca_file: `${otelCollectorConfigDir}/${webTlsFiles.ca}`, min_version: "1.2" } } : {}),
                ...durableSending(input.bufferBytes),
            },
            // Each further endpoint with a queue of its own: one that is down holds back no other.
            ...Object.fromEntries(
                remotes.map((remote) => [
                    `otlp_http/${remote.name}`,
                    {
                        endpoint: remote.url,
                        ...(remote.authorized ? { headers: { Authorization: `\${env:${remoteAuthorizationVariable(remote.name)}}` } } : {}),
                        tls: { min_version: "1.2" },
                        ...durableSending(input.bufferBytes),
                    },
                ]),
            ),
        },
        service: {
            extensions: ["file_storage", "health_check"],
            pipelines: {
                logs: {
                    receivers: Object.keys(receivers),
                    processors: ["batch"],
                    exporters: ["otlp_http/store", ...remotes.map((r) => `otlp_http/${r.name}`)],
                },
            },
            telemetry: { metrics: { level: "none" } },
        },
    };
    return `# Rendered by the monitoring Pulumi program; changes here are overwritten.\n${yaml.dump(config, { lineWidth: -1, noRefs: true, sortKeys: true })}`;
}

/**
 * The environment file of the collector's credentials: the Authorization header of the stack's
 * user for the store, and each further endpoint's.
 */
export function renderCollectorEnv(
    store: { readonly username: string; readonly password: string } | undefined,
    remotes: readonly LogsRemoteEndpoint[],
): string {
    return [
        ...(store ? [`${storeAuthorizationVariable}=${authorizationHeader({ kind: "basic", ...store })}`] : []),
        ...remotes.filter((r) => r.auth).map((r) => `${remoteAuthorizationVariable(r.name)}=${authorizationHeader(r.auth!)}`),
    ]
        .map((line) => `${line}\n`)
        .join("");
}
