import { defaultExportPrefix, parseImportLogsArgs, parseTimeArg } from "../cloudwatch/importLogsArgs";
import {
    eventsOutsideRetention,
    exportOverlap,
    exportedStreamOf,
    parseExportedEvents,
    retentionMilliseconds,
    storeFlag,
    toStoreLines,
} from "../cloudwatch/logsExport";

/*
 * npm run import-logs, the parts that need no AWS and no store: reading an export's objects, the
 * store's lines, the retention check, and the command line. The lab runs it against the emulator's
 * CloudWatch Logs and S3 and the stack's real store.
 */
describe("an export of CloudWatch Logs", () => {
    it("should name each object's log stream from its key, slashes kept, and skip the export's other objects", () => {
        expect(exportedStreamOf("cloudwatch-logs/flask-app/4f6c1e2a-task/i-0abc/flask-app.log/000000.gz", "cloudwatch-logs/flask-app")).toBe(
            "i-0abc/flask-app.log",
        );
        expect(exportedStreamOf("cloudwatch-logs/flask-app/4f6c1e2a-task/i-0def/000012.gz", "/cloudwatch-logs/flask-app/")).toBe("i-0def");
        expect(exportedStreamOf("exports/task/stream/000000.gz", "")).toBe("task/stream");
        expect(exportedStreamOf("task/stream/000000.gz", "")).toBe("stream");
        expect(exportedStreamOf("cloudwatch-logs/flask-app/aws-logs-write-test", "cloudwatch-logs/flask-app")).toBe(undefined);
        expect(exportedStreamOf("cloudwatch-logs/flask-appx/task/s/000000.gz", "cloudwatch-logs/flask-app")).toBe(undefined);
        expect(exportedStreamOf("cloudwatch-logs/flask-app/task/s/000000.json", "cloudwatch-logs/flask-app")).toBe(undefined);
    });

    it("should read one event per line with its own time, a line without a time continuing the message before it", () => {
        const text = [
            "2026-11-02T08:00:01.123Z 2026-11-02 08:00:01,123 INFO __main__ A request was received at the root URL",
            "2026-11-02T08:00:02.000Z Traceback (most recent call last):",
            '  File "app.py", line 52',
            "2026-11-02T08:00:03Z done",
            "",
        ].join("\n");
        expect(parseExportedEvents(text)).toEqual([
            { time: Date.parse("2026-11-02T08:00:01.123Z"), message: "2026-11-02 08:00:01,123 INFO __main__ A request was received at the root URL" },
            { time: Date.parse("2026-11-02T08:00:02.000Z"), message: 'Traceback (most recent call last):\n  File "app.py", line 52' },
            { time: Date.parse("2026-11-02T08:00:03Z"), message: "done" },
        ]);
        expect(parseExportedEvents("")).toEqual([]);
        expect(() => parseExportedEvents("not an event\n")).toThrow('line 1 starts with no event time: "not an event"');
    });

    it("should write the store's lines with each event's time, message, log group and stream, and its source", () => {
        const lines = toStoreLines([{ time: Date.parse("2026-11-02T08:00:01.123Z"), message: 'say "hi"\nthen' }], {
            logGroup: "/flask-app",
            logStream: "i-0abc",
        });
        expect(
            lines
                .split("\n")
                .filter(Boolean)
                .map((l) => JSON.parse(l)),
        ).toEqual([{ _time: "2026-11-02T08:00:01.123Z", _msg: 'say "hi"\nthen', log_group: "/flask-app", log_stream: "i-0abc", source: "cloudwatch-export" }]);
    });

    it("should find the events the store would silently drop: older than its retention, or further ahead than its future retention", () => {
        const now = Date.parse("2026-12-03T00:00:00Z");
        const day = 86_400_000;
        const events = [-31, -29, 0, 1.5, 3].map((d) => ({ time: now + d * day, message: String(d) }));
        expect(eventsOutsideRetention(events, now, retentionMilliseconds("30d"), retentionMilliseconds("2d")).map((e) => e.message)).toEqual(["-31", "3"]);
        expect(retentionMilliseconds("1y")).toBe(365 * day);
        expect(retentionMilliseconds("12w")).toBe(84 * day);
        expect(retentionMilliseconds("36h")).toBe(1.5 * day);
        expect(() => retentionMilliseconds("30 days")).toThrow("is not a number of hours, days, weeks or years");
    });

    it("should refuse to export again a range of a log group imported before, saying which bounds export only what is missing", () => {
        const day = 86_400_000;
        const t0 = Date.parse("2026-12-01T00:00:00Z");
        const done = [{ logGroup: "/flask-app", from: t0 - 4 * day, to: t0 }];
        expect(exportOverlap(done, { logGroup: "/flask-app", from: t0 - 12 * day, to: t0 - 4 * day })).toBe(undefined);
        expect(exportOverlap(done, { logGroup: "/flask-app", from: t0, to: t0 + day })).toBe(undefined);
        expect(exportOverlap(done, { logGroup: "/other", from: t0 - day, to: t0 })).toBe(undefined);
        expect(exportOverlap(done, { logGroup: "/flask-app", from: t0 - 12 * day, to: t0 - 3 * day })).toBe(
            "/flask-app from 2026-11-27T00:00:00.000Z to 2026-12-01T00:00:00.000Z was exported and imported before, and 2026-11-19T00:00:00.000Z to 2026-11-28T00:00:00.000Z overlaps it: " +
                "export what lies before it with --export-to 2026-11-27T00:00:00.000Z, or after it with --export-from 2026-12-01T00:00:00.000Z",
        );
    });

    it("should read the store's retention from its own flags", () => {
        const metrics =
            'flag{name="futureRetention", value="2d", is_set="false"} 1\nflag{name="retentionPeriod", value="30d", is_set="true"} 1\nvl_rows_ingested_total 5\n';
        expect(storeFlag(metrics, "retentionPeriod")).toBe("30d");
        expect(storeFlag(metrics, "futureRetention")).toBe("2d");
        expect(storeFlag(metrics, "missing")).toBe(undefined);
    });
});

describe("the command line of import-logs", () => {
    const now = Date.parse("2026-12-03T12:00:00Z");
    const ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const files: Record<string, string> = { "stack-ca.crt": ca, "empty.crt": "" };
    const parse = (argv: string[], env: Record<string, string> = { STORE_PASSWORD: "pw", AWS_REGION: "us-east-1" }) =>
        parseImportLogsArgs(argv, env, now, (file) => {
            if (!(file in files)) throw new Error(`ENOENT: ${file}`);
            return files[file];
        });
    const base = ["--log-group", "/flask-app", "--bucket", "exports", "--store", "https://10.0.0.11:9428", "--ca", "stack-ca.crt"];

    it("should take the store, its CA and password, and default the prefix, user, ledger and region", () => {
        expect(parse(base)).toEqual({
            logGroup: "/flask-app",
            bucket: "exports",
            prefix: "cloudwatch-logs/flask-app",
            store: { url: "https://10.0.0.11:9428", caPem: ca, username: "monitoring", password: "pw" },
            ledgerFile: "import-logs.ledger.json",
            aws: { region: "us-east-1" },
        });
        expect(defaultExportPrefix("flask-app")).toBe("cloudwatch-logs/flask-app");
    });

    it("should start an export of a range given as dates, times, now or days ago", () => {
        expect(parse([...base, "--export-from", "30d"]).exportRange).toEqual({ from: now - 30 * 86_400_000, to: now });
        expect(parse([...base, "--export-from", "2026-11-01", "--export-to", "2026-11-02T06:00:00Z"]).exportRange).toEqual({
            from: Date.parse("2026-11-01"),
            to: Date.parse("2026-11-02T06:00:00Z"),
        });
        expect(parseTimeArg("yesterday", now)).toBe(undefined);
        expect(parseTimeArg("2026-13-45", now)).toBe(undefined);
    });

    it.each([
        [["--log-group", "/flask-app"], "--bucket is missing"],
        [[...base, "--verbose", "x"], "--verbose is not an option of import-logs"],
        [[...base, "--prefix"], "--prefix needs a value"],
        [[...base.slice(0, 1), "flask app!", ...base.slice(2)], '--log-group "flask app!" is not a CloudWatch Logs group name'],
        [[...base.slice(0, 5), "10.0.0.11:9428", ...base.slice(6)], '--store "10.0.0.11:9428" is not a URL'],
        [[...base.slice(0, 5), "https://10.0.0.11:9428/select", ...base.slice(6)], "give the store's address only"],
        [base.slice(0, 6), "--ca is missing: the store's certificate is signed by the stack's CA"],
        [[...base.slice(0, 7), "empty.crt"], "--ca empty.crt holds no certificate"],
        [[...base, "--export-from", "last week"], "--export-from last week is not a time"],
        [[...base, "--export-from", "1d", "--export-to", "2d"], "--export-from 1d is not before --export-to 2d"],
        [[...base, "--export-to", "now"], "--export-to now needs --export-from"],
        [[...base, "--region", "Virginia"], '--region "Virginia": give the log group\'s AWS region'],
    ])("should refuse %j, saying what to give", (argv, message) => {
        expect(() => parse(argv)).toThrow(message);
    });

    it("should ask for the store's password from the stack's output when STORE_PASSWORD is not set", () => {
        expect(() => parse(base, { AWS_REGION: "us-east-1" })).toThrow(
            'STORE_PASSWORD is not set: export STORE_PASSWORD="$(pulumi stack output webPassword --show-secrets)"',
        );
    });
});
