// The command line of npm run import-logs, checked before anything is read or sent. Pure.
import type { ImportLogsOptions } from "./importLogs";

export const importLogsUsage =
    "usage: import-logs --log-group <name> --bucket <bucket> --store https://<monitoring address>:9428 --ca stack-ca.crt " +
    "[--prefix <prefix>] [--export-from <time> [--export-to <time>]] [--user monitoring] [--ledger import-logs.ledger.json] [--region <region>] [--endpoint-url <url>]; " +
    "the store's password in STORE_PASSWORD";

/** A time on the command line: an ISO 8601 date or time, `now`, or a number of days ago (30d). */
export function parseTimeArg(text: string, now: number): number | undefined {
    if (text === "now") return now;
    const daysAgo = /^(\d+)d$/.exec(text);
    if (daysAgo) return now - Number(daysAgo[1]) * 86_400_000;
    if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(text)) return undefined;
    const time = Date.parse(text);
    return Number.isNaN(time) ? undefined : time;
}

/** The prefix an export of a log group goes under when none is given: cloudwatch-logs/<group>. */
export function defaultExportPrefix(logGroup: string): string {
    return `cloudwatch-logs/${logGroup.replace(/^\/+/, "")}`;
}

/** The options of a run, from its arguments and environment; a clear error for each bad one. */
export function parseImportLogsArgs(
    argv: readonly string[],
    env: Readonly<Record<string, string | undefined>>,
    now: number,
    readFile: (file: string) => string,
): Omit<ImportLogsOptions, "log"> {
    const flags: Record<string, string> = {};
    const known = [
        "--log-group",
        "--bucket",
        "--prefix",
        "--export-from",
        "--export-to",
        "--store",
        "--ca",
        "--user",
        "--ledger",
        "--region",
        "--endpoint-url",
    ];
    for (let i = 0; i < argv.length; i++) {
        const flag = argv[i];
        if (!known.includes(flag)) throw new Error(`${flag} is not an option of import-logs; ${importLogsUsage}`);
        const value = argv[i + 1];
        if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value; ${importLogsUsage}`);
        flags[flag] = value;
        i++;
    }
    for (const required of ["--log-group", "--bucket", "--store"]) {
        if (flags[required] === undefined) throw new Error(`${required} is missing; ${importLogsUsage}`);
    }
    if (!/^[.\-_/#A-Za-z0-9]{1,512}$/.test(flags["--log-group"])) {
        throw new Error(
            `--log-group ${JSON.stringify(flags["--log-group"])} is not a CloudWatch Logs group name: letters, digits and . - _ / # only, as aws logs describe-log-groups lists them`,
        );
    }
    let store: URL;
    try {
        store = new URL(flags["--store"]);
    } catch {
        throw new Error(`--store ${JSON.stringify(flags["--store"])} is not a URL: give the store as https://<monitoring address>:9428`);
    }
    if ((store.protocol !== "https:" && store.protocol !== "http:") || (store.pathname !== "/" && store.pathname !== "")) {
        throw new Error(`--store ${flags["--store"]}: give the store's address only, as https://<monitoring address>:9428`);
    }
    const password = env.STORE_PASSWORD;
    if (password === undefined || password === "") {
        throw new Error(`STORE_PASSWORD is not set: export STORE_PASSWORD="$(pulumi stack output webPassword --show-secrets)"`);
    }
    let caPem: string | undefined;
    if (flags["--ca"] !== undefined) {
        caPem = readFile(flags["--ca"]);
        if (!caPem.includes("-----BEGIN CERTIFICATE-----")) {
            throw new Error(`--ca ${flags["--ca"]} holds no certificate: pulumi stack output tlsCaCertificate > ${flags["--ca"]}`);
        }
    } else if (store.protocol === "https:") {
        throw new Error(
            `--ca is missing: the store's certificate is signed by the stack's CA; pulumi stack output tlsCaCertificate > stack-ca.crt, then --ca stack-ca.crt`,
        );
    }
    const region = flags["--region"] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (region === undefined || !/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(region)) {
        throw new Error(`--region ${JSON.stringify(region ?? "")}: give the log group's AWS region, such as us-east-1 (or set AWS_REGION)`);
    }
    let exportRange: { from: number; to: number } | undefined;
    if (flags["--export-from"] !== undefined) {
        const from = parseTimeArg(flags["--export-from"], now);
        const to = parseTimeArg(flags["--export-to"] ?? "now", now);
        if (from === undefined)
            throw new Error(
                `--export-from ${flags["--export-from"]} is not a time: give 2026-11-01, 2026-11-01T08:00:00Z, now, or a number of days ago such as 30d`,
            );
        if (to === undefined)
            throw new Error(
                `--export-to ${flags["--export-to"]} is not a time: give 2026-11-30, 2026-11-30T08:00:00Z, now, or a number of days ago such as 1d`,
            );
        if (from >= to)
            throw new Error(`--export-from ${flags["--export-from"]} is not before --export-to ${flags["--export-to"] ?? "now"}: give an earlier start`);
        exportRange = { from, to };
    } else if (flags["--export-to"] !== undefined) {
        throw new Error(
            `--export-to ${flags["--export-to"]} needs --export-from: give the start of the range to export, or neither to import what was exported before`,
        );
    }
    return {
        logGroup: flags["--log-group"],
        bucket: flags["--bucket"],
        prefix: (flags["--prefix"] ?? defaultExportPrefix(flags["--log-group"])).replace(/^\/+|\/+$/g, ""),
        ...(exportRange ? { exportRange } : {}),
        store: { url: `${store.protocol}//${store.host}`, ...(caPem ? { caPem } : {}), username: flags["--user"] ?? "monitoring", password },
        ledgerFile: flags["--ledger"] ?? "import-logs.ledger.json",
        aws: { region, ...(flags["--endpoint-url"] ? { endpoint: flags["--endpoint-url"] } : {}) },
    };
}
