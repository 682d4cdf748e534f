import { CloudWatchLogsClient, CreateExportTaskCommand, DescribeExportTasksCommand, ExportTask } from "@aws-sdk/client-cloudwatch-logs";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import * as fs from "fs";
import * as https from "https";
import * as http from "http";
import * as path from "path";
import * as zlib from "zlib";
import { authorizationHeader } from "../settings/logsRemoteEntries";
import {
    eventsOutsideRetention,
    exportOverlap,
    ExportedEvent,
    ExportedRange,
    exportedStreamOf,
    importStreamFields,
    parseExportedEvents,
    retentionMilliseconds,
    storeFlag,
    toStoreLines,
} from "./logsExport";

/*
 * npm run import-logs: the CloudWatch Logs history of a log group, exported to S3 by
 * create-export-task (started here, or done before), posted to the stack's log store with each
 * event's own time and its log group and stream. Nothing is sent when any event is outside what the
 * store keeps; a ledger of imported objects makes a second run import nothing twice.
 */

/** Where the store is and how to reach it: the stack's CA and its basic-auth user. */
export interface StoreAccess {
    /** https://<monitoring address>:9428 */
    readonly url: string;
    readonly caPem?: string;
    readonly username?: string;
    readonly password?: string;
}

export interface ImportLogsOptions {
    readonly logGroup: string;
    readonly bucket: string;
    /** The export's prefix in the bucket (create-export-task's destinationPrefix). */
    readonly prefix: string;
    /** Start an export task of this time range first (milliseconds since the epoch) and wait for it. */
    readonly exportRange?: { readonly from: number; readonly to: number };
    readonly store: StoreAccess;
    /** The ledger of imported objects. */
    readonly ledgerFile: string;
    readonly aws: { readonly region: string; readonly endpoint?: string };
    /** Seconds between two looks at a running export task. */
    readonly pollSeconds?: number;
    readonly log: (line: string) => void;
}

/** What one run did, per log stream. */
export interface ImportReport {
    readonly taskId?: string;
    /** Per stream: objects and events imported now, objects skipped as imported before. */
    readonly streams: Readonly<Record<string, { objects: number; events: number; skipped: number }>>;
}

/** The ledger: each imported object by bucket and key, with its ETag and event count, and the ranges exported. */
interface Ledger {
    readonly version: 1;
    readonly objects: Record<string, { etag: string; events: number; logGroup: string; importedAt: string }>;
    readonly exports: ExportedRange[];
}

function readLedger(file: string): Ledger {
    if (!fs.existsSync(file)) return { version: 1, objects: {}, exports: [] };
    const ledger = JSON.parse(fs.readFileSync(file, "utf8")) as Ledger;
    if (ledger.version !== 1 || typeof ledger.objects !== "object" || !Array.isArray(ledger.exports)) {
        throw new Error(`${file} is not a ledger of npm run import-logs: move it away, or pass another --ledger`);
    }
    return ledger;
}

function writeLedger(file: string, ledger: Ledger): void {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(ledger, null, 2)}\n`);
    fs.renameSync(`${file}.tmp`, file);
}

/** One request to the store, verified against the stack's CA, with its basic-auth user. */
function storeRequest(store: StoreAccess, method: string, urlPath: string, body?: string, contentType?: string): Promise<{ status: number; body: string }> {
    const url = new URL(urlPath, store.url);
    const client = url.protocol === "https:" ? https : http;
    const headers: Record<string, string> = {
        ...(store.username !== undefined && store.password !== undefined
            ? { Authorization: authorizationHeader({ kind: "basic", username: store.username, password: store.password }) }
            : {}),
        ...(contentType ? { "Content-Type": contentType } : {}),
    };
    return new Promise((resolve, reject) => {
        const request = client.request(url, { method, headers, ...(store.caPem ? { ca: store.caPem } : {}) }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        });
        request.on("error", (error) => reject(new Error(`the store at ${store.url} cannot be reached: ${error.message}`)));
        if (body !== undefined) request.write(body);
        request.end();
    });
}

/** The store's retention and future retention, in milliseconds, as it reports its own flags. */
async function storeRetention(store: StoreAccess): Promise<{ retention: number; futureRetention: number }> {
    const answer = await storeRequest(store, "GET", "/metrics");
    if (answer.status !== 200) {
        throw new Error(`the store at ${store.url} answered ${answer.status} for /metrics: check --user and STORE_PASSWORD (the stack output webPassword)`);
    }
    const retention = storeFlag(answer.body, "retentionPeriod");
    const future = storeFlag(answer.body, "futureRetention");
    if (retention === undefined || future === undefined)
        throw new Error(`${store.url} does not report retentionPeriod and futureRetention: is it VictoriaLogs?`);
    return { retention: retentionMilliseconds(retention), futureRetention: retentionMilliseconds(future) };
}

/** Starts the export task and waits until it is done; there is one running export per account. */
async function runExportTask(logs: CloudWatchLogsClient, options: ImportLogsOptions, range: { from: number; to: number }): Promise<string> {
    // An active export is pending or running; the answer is filtered here too, as not every API honours statusCode.
    const active: ExportTask[] = [];
    for (const code of ["PENDING", "RUNNING"] as const) {
        const answer = await logs.send(new DescribeExportTasksCommand({ statusCode: code }));
        active.push(...(answer.exportTasks ?? []).filter((task) => task.status?.code === code));
    }
    const busy = active[0];
    if (busy) {
        throw new Error(
            `the export task ${busy.taskId} of ${busy.logGroupName} is running, and an account runs one at a time: wait for it, or cancel it with aws logs cancel-export-task --task-id ${busy.taskId}`,
        );
    }
    const created = await logs.send(
        new CreateExportTaskCommand({
            taskName: `import-logs-${range.from}-${range.to}`,
            logGroupName: options.logGroup,
            from: range.from,
            // CloudWatch's end is inclusive; the ranges here are half-open, so that one ending where the next starts shares no event.
            to: range.to - 1,
            destination: options.bucket,
            destinationPrefix: options.prefix,
        }),
    );
    const taskId = created.taskId!;
    options.log(
        `export task ${taskId}: ${options.logGroup} from ${new Date(range.from).toISOString()} to ${new Date(range.to).toISOString()} into s3://${options.bucket}/${options.prefix}`,
    );
    for (;;) {
        const described = await logs.send(new DescribeExportTasksCommand({ taskId }));
        const task: ExportTask | undefined = described.exportTasks?.[0];
        const code = task?.status?.code;
        if (code === "COMPLETED") return taskId;
        if (code === "CANCELLED" || code === "FAILED") {
            throw new Error(`the export task ${taskId} ended ${code}: ${task?.status?.message ?? "no message"}`);
        }
        await new Promise((r) => setTimeout(r, (options.pollSeconds ?? 5) * 1000));
    }
}

/** Imports the exported objects of one log group that the ledger does not list yet. */
export async function importLogs(options: ImportLogsOptions): Promise<ImportReport> {
    const clientConfig = { region: options.aws.region, ...(options.aws.endpoint ? { endpoint: options.aws.endpoint } : {}) };
    const s3 = new S3Client({ ...clientConfig, forcePathStyle: options.aws.endpoint !== undefined });
    const ledger = readLedger(options.ledgerFile);
    // The store first: a wrong address or password fails before an export is started.
    const { retention, futureRetention } = await storeRetention(options.store);
    let taskId: string | undefined;
    if (options.exportRange) {
        const range = { logGroup: options.logGroup, ...options.exportRange };
        const overlap = exportOverlap(ledger.exports, range);
        if (overlap) throw new Error(overlap);
        taskId = await runExportTask(new CloudWatchLogsClient(clientConfig), options, options.exportRange);
        ledger.exports.push(range);
        writeLedger(options.ledgerFile, ledger);
    }

    const objects: { key: string; etag: string; stream: string }[] = [];
    let token: string | undefined;
    do {
        const page = await s3.send(new ListObjectsV2Command({ Bucket: options.bucket, Prefix: options.prefix, ContinuationToken: token }));
        for (const object of page.Contents ?? []) {
            const stream = exportedStreamOf(object.Key!, options.prefix);
            if (stream !== undefined) objects.push({ key: object.Key!, etag: object.ETag ?? "", stream });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    objects.sort((a, b) => a.key.localeCompare(b.key));

    const streams: Record<string, { objects: number; events: number; skipped: number }> = {};
    const tally = (stream: string) => (streams[stream] ??= { objects: 0, events: 0, skipped: 0 });
    const fresh = objects.filter((o) => {
        const known = ledger.objects[`${options.bucket}/${o.key}`];
        if (known && known.etag === o.etag) tally(o.stream).skipped++;
        return !(known && known.etag === o.etag);
    });

    // Every new object read and checked before the first line is sent.
    const now = Date.now();
    const read: { key: string; etag: string; stream: string; events: ExportedEvent[] }[] = [];
    for (const object of fresh) {
        const body = await s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: object.key }));
        const bytes = Buffer.from(await body.Body!.transformToByteArray());
        let events: ExportedEvent[];
        try {
            events = parseExportedEvents(zlib.gunzipSync(bytes).toString("utf8"));
        } catch (error) {
            throw new Error(`s3://${options.bucket}/${object.key} is not an export of CloudWatch Logs: ${(error as Error).message}`);
        }
        read.push({ ...object, events });
    }
    const outside = read.flatMap((o) => eventsOutsideRetention(o.events, now, retention, futureRetention).map((e) => ({ ...e, key: o.key })));
    if (outside.length > 0) {
        const oldest = Math.min(...outside.map((e) => e.time));
        const days = Math.ceil((now - oldest) / 86_400_000) + 1;
        const objectsOutside = [...new Set(outside.map((e) => e.key))];
        throw new Error(
            `${outside.length} event${outside.length === 1 ? "" : "s"} of ${options.logGroup} in ${objectsOutside.length} object${objectsOutside.length === 1 ? "" : "s"} ${outside.length === 1 ? "is" : "are"} outside what the store keeps (the oldest at ${new Date(oldest).toISOString()}, in s3://${options.bucket}/${objectsOutside[0]}); ` +
                `it would answer 200 and drop them, so nothing was sent. Keep them: pulumi config set logsRetention ${days}d && pulumi up, then run this again without --export-from (the export is in the bucket); ` +
                `or leave them out: remove those objects (aws s3 rm s3://${options.bucket}/<key>) and run this again`,
        );
    }

    for (const object of read) {
        if (object.events.length > 0) {
            const answer = await storeRequest(
                options.store,
                "POST",
                `/insert/jsonline?_stream_fields=${importStreamFields.join(",")}`,
                toStoreLines(object.events, { logGroup: options.logGroup, logStream: object.stream }),
                "application/stream+json",
            );
            if (answer.status !== 200) throw new Error(`the store refused s3://${options.bucket}/${object.key}: ${answer.status} ${answer.body.trim()}`);
        }
        ledger.objects[`${options.bucket}/${object.key}`] = {
            etag: object.etag,
            events: object.events.length,
            logGroup: options.logGroup,
            importedAt: new Date().toISOString(),
        };
        writeLedger(options.ledgerFile, ledger);
        tally(object.stream).objects++;
        tally(object.stream).events += object.events.length;
    }
    return { ...(taskId ? { taskId } : {}), streams };
}
