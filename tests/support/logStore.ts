import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import type { EvaluatedStack } from "./stackUnderMocks";
import { freePort, pinnedBinary, waitFor } from "./tools";

/** The pinned VictoriaLogs, as lab/build-releases.sh packs it in upstream's layout. */
const storeBinary = () => pinnedBinary("victoria-logs/v1.52.2/victoria-logs-linux-amd64-v1.52.2.tar.gz", "victoria-logs-prod");

/** A running log store on the loopback: where it listens, its process, and the Authorization header of its user. */
export interface LocalLogStore {
    readonly port: number;
    readonly process: ChildProcess;
    readonly authorization: string;
}

/**
 * Starts the pinned VictoriaLogs on a free loopback port (or `onPort`, to start it again where it
 * was) over plain HTTP with basic auth (the password read from a file in `work`, as the stack
 * passes it), its data in `work`; resolves once it answers /health.
 */
export async function startLogStore(work: string, auth: { readonly username: string; readonly password: string }, onPort?: number): Promise<LocalLogStore> {
    const port = onPort ?? (await freePort());
    fs.mkdirSync(work, { recursive: true });
    const passwordFile = path.join(work, "store-password");
    fs.writeFileSync(passwordFile, auth.password);
    const process = spawn(
        storeBinary(),
        [
            `-httpListenAddr=127.0.0.1:${port}`,
            `-storageDataPath=${path.join(work, "store")}`,
            `-httpAuth.username=${auth.username}`,
            `-httpAuth.password=file://${passwordFile}`,
        ],
        { stdio: "ignore" },
    );
    await waitFor("the log store", 30, async () => ((await fetch(`http://127.0.0.1:${port}/health`)).ok ? true : undefined));
    return { port, process, authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` };
}

/** The pinned otelcol-contrib, as lab/build-releases.sh packs it in upstream's layout. */
export const collectorBinary = () => pinnedBinary("otelcol-contrib/v0.160.0/otelcol-contrib_0.160.0_linux_amd64.tar.gz", "otelcol-contrib");

/** The app host's collector configuration of an evaluated stack (webTls off), moved to this machine. */
export interface LocalCollector {
    /** The configuration file. */
    readonly config: string;
    /** The environment its unit gives it (the store's Authorization header). */
    readonly env: Record<string, string>;
    /** Port of its health check on the loopback. */
    readonly healthPort: number;
    /** What the rendered configuration sent to, before it was moved. */
    readonly renderedEndpoint: string;
}

/**
 * The app host's rendered collector configuration, moved to this machine: its state in `work`, its
 * health check on a free port, the app's log file at `logFile`, sending to `store`. The journal is
 * the lab's to test, so only the file receiver stays.
 */
export async function localCollector(stack: EvaluatedStack, work: string, logFile: string, store: LocalLogStore): Promise<LocalCollector> {
    const staged = (file: string) => stack.staged(`app-otel-collector-service-stage-otelcol.${file}`);
    const healthPort = await freePort();
    const rendered = yaml.load(staged("config.yaml")) as {
        extensions: { file_storage: { directory: string }; health_check: { endpoint: string } };
        receivers: Record<string, { include?: string[] }>;
        exporters: Record<string, { logs_endpoint: string }>;
        service: { pipelines: { logs: { receivers: string[] } } };
    };
    rendered.extensions.file_storage.directory = path.join(work, "storage");
    rendered.extensions.health_check.endpoint = `127.0.0.1:${healthPort}`;
    rendered.receivers["file_log/flask_app"].include = [logFile];
    delete rendered.receivers.journald;
    rendered.service.pipelines.logs.receivers = ["file_log/flask_app"];
    const renderedEndpoint = rendered.exporters["otlp_http/store"].logs_endpoint;
    rendered.exporters["otlp_http/store"].logs_endpoint = `http://127.0.0.1:${store.port}/insert/opentelemetry/v1/logs`;
    const config = path.join(work, "config.yaml");
    fs.writeFileSync(config, yaml.dump(rendered));
    const [variable, value] = staged("store.env").trim().split(/=(.*)/s);
    return { config, env: { [variable]: value }, healthPort, renderedEndpoint };
}

/** A line as the Flask app's logging format writes it (`%(asctime)s %(levelname)s %(name)s %(message)s`), in this machine's local time, as Python's logging and the collector read it. */
export function flaskAppLine(at: Date, level: string, logger: string, message: string): string {
    const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString();
    return `${local.slice(0, 10)} ${local.slice(11, 19)},${local.slice(20, 23)} ${level} ${logger} ${message}\n`;
}

/**
 * Posts records to the store as JSON lines, with `streamFields` as their stream fields; fails the
 * test unless it takes them. Resolves once a query counts every one of them: the store makes what
 * it took searchable a moment later, and later still on a busy machine.
 */
export async function sendRecords(store: LocalLogStore, records: readonly Record<string, unknown>[], streamFields: readonly string[]): Promise<void> {
    const before = await recordsStored(store, "*");
    const response = await fetch(`http://127.0.0.1:${store.port}/insert/jsonline?_stream_fields=${streamFields.join(",")}`, {
        method: "POST",
        headers: { Authorization: store.authorization, "Content-Type": "application/stream+json" },
        body: records.map((r) => JSON.stringify(r)).join("\n") + "\n",
    });
    if (response.status !== 200) throw new Error(`the store answered ${response.status} to ${records.length} records: ${await response.text()}`);
    await waitFor(`the ${records.length} records searchable in the store`, 30, async () =>
        (await recordsStored(store, "*")) >= before + records.length ? true : undefined,
    );
}

/** How many records the store holds that match a LogsQL filter, over all time. */
async function recordsStored(store: LocalLogStore, filter: string): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${store.port}/select/logsql/query`, {
        method: "POST",
        headers: { Authorization: store.authorization, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ query: `${filter} | stats count() as lines` }).toString(),
    });
    if (response.status !== 200) throw new Error(`the store answered ${response.status} to a count: ${await response.text()}`);
    return Number((JSON.parse((await response.text()).trim() || "{}") as { lines?: string }).lines ?? 0);
}

/** How many of the Flask app's lines the store holds. */
export const flaskAppLinesStored = (store: LocalLogStore): Promise<number> => recordsStored(store, 'service.name:="flask-app"');
