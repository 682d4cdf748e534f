// The CloudWatch Logs history as `aws logs create-export-task` leaves it in S3, read for the log
// store: which objects hold which stream, the events in an object, the store's lines, and what
// the store would drop. Pure.

/** One event of an export: its time in milliseconds since the epoch, and its message. */
export interface ExportedEvent {
    readonly time: number;
    readonly message: string;
}

/**
 * The log stream an exported object holds, from its key: <prefix>/<task folder>/<stream>/NNNNNN.gz
 * (a stream whose name has slashes keeps them). Undefined for the other objects an export writes
 * (aws-logs-write-test, the permission check) or keys of another shape.
 */
export function exportedStreamOf(key: string, prefix: string): string | undefined {
    const base = prefix.replace(/^\/+|\/+$/g, "");
    const rest = base === "" ? key : key.startsWith(`${base}/`) ? key.slice(base.length + 1) : undefined;
    if (rest === undefined) return undefined;
    const match = /^[^/]+\/(.+)\/\d{6}\.gz$/.exec(rest);
    return match?.[1];
}

/** The start of each event's line: its time as the export writes it, then one space. */
const eventStart = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z) /;

/**
 * The events of one exported object (gunzipped): one per line, `<ISO time> <message>`; a line that
 * does not start with a time continues the message before it (an event whose message held a
 * newline). Text before the first event is refused, as it belongs to no event.
 */
export function parseExportedEvents(text: string): ExportedEvent[] {
    const events: { time: number; message: string }[] = [];
    const lines = text.split("\n");
    if (lines[lines.length - 1] === "") lines.pop();
    lines.forEach((line, index) => {
        const match = eventStart.exec(line);
        if (match) {
            events.push({ time: Date.parse(match[1]), message: line.slice(match[0].length) });
        } else if (events.length > 0) {
            events[events.length - 1].message += `\n${line}`;
        } else {
            throw new Error(`line ${index + 1} starts with no event time: ${JSON.stringify(line.slice(0, 80))}`);
        }
    });
    return events;
}

/** What the imported lines carry beside their message and time. */
export interface ImportedStream {
    readonly logGroup: string;
    readonly logStream: string;
}

/** The fields that name an imported line's stream in the store. */
export const importStreamFields = ["log_group", "log_stream"] as const;

/** The store's JSON lines of a stream's events, with their original times and where they came from. */
export function toStoreLines(events: readonly ExportedEvent[], stream: ImportedStream): string {
    return events
        .map(
            (event) =>
                `${JSON.stringify({ _time: new Date(event.time).toISOString(), _msg: event.message, log_group: stream.logGroup, log_stream: stream.logStream, source: "cloudwatch-export" })}\n`,
        )
        .join("");
}

/** A retention as VictoriaLogs states it in its flags (retentionPeriod, futureRetention): 30d, 12w, 1y, 36h. */
export function retentionMilliseconds(text: string): number {
    const match = /^(\d+(?:\.\d+)?)([hdwy])$/.exec(text);
    if (!match) throw new Error(`the store's retention ${JSON.stringify(text)} is not a number of hours, days, weeks or years`);
    const hours = { h: 1, d: 24, w: 24 * 7, y: 24 * 365 }[match[2] as "h" | "d" | "w" | "y"];
    return Number(match[1]) * hours * 3_600_000;
}

/**
 * The events the store would accept, or why not: it answers 200 to a line older than its retention
 * or further ahead than its future retention and drops it, so these are refused before anything is
 * sent. `now` and the two retentions in milliseconds.
 */
export function eventsOutsideRetention(events: readonly ExportedEvent[], now: number, retention: number, futureRetention: number): ExportedEvent[] {
    return events.filter((event) => event.time < now - retention || event.time > now + futureRetention);
}

/** The store's value of one of its flags, from its /metrics text (`flag{name="...", value="..."} 1`). */
export function storeFlag(metrics: string, name: string): string | undefined {
    for (const line of metrics.split("\n")) {
        const match = /^flag\{name="([^"]*)", value="([^"]*)"/.exec(line);
        if (match && match[1] === name) return match[2];
    }
    return undefined;
}

/** A time range of a log group exported before, in milliseconds, half-open: [from, to). */
export interface ExportedRange {
    readonly logGroup: string;
    readonly from: number;
    readonly to: number;
}

/**
 * Why a new export of [from, to) would bring events imported before, or undefined: each export
 * task writes new objects, so a range exported twice would be imported twice. The message says
 * which bounds export only what is missing.
 */
export function exportOverlap(done: readonly ExportedRange[], range: ExportedRange): string | undefined {
    const clash = done.find((d) => d.logGroup === range.logGroup && range.from < d.to && d.from < range.to);
    if (!clash) return undefined;
    const iso = (t: number) => new Date(t).toISOString();
    return (
        `${range.logGroup} from ${iso(clash.from)} to ${iso(clash.to)} was exported and imported before, and ${iso(range.from)} to ${iso(range.to)} overlaps it: ` +
        `export what lies before it with --export-to ${iso(clash.from)}, or after it with --export-from ${iso(clash.to)}`
    );
}
