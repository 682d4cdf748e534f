// npm run bench:logs: what the log path costs, with the pinned otelcol-contrib and VictoriaLogs and
// the app host's collector configuration as the program renders it, on this machine. Printed,
// never asserted:
//   - lines per second one collector ships from the app's log file to the store (a backlog of
//     --lines lines, as after an outage of the store);
//   - CPU and memory of the collector and of the store at --rate lines per second for --seconds;
//   - bytes on the store's disk per line, and per line as the store counts its data.
//   npm run bench:logs [-- --lines 200000 --rate 1000 --seconds 60]
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { collectorBinary, flaskAppLine, flaskAppLinesStored, localCollector, LocalLogStore, startLogStore } from "../support/logStore";
import { evaluateStack, sharedFixture } from "../support/stackUnderMocks";
import { waitFor } from "../support/tools";

const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-bench-key\n-----END OPENSSH PRIVATE KEY-----\n";
const auth = { username: "monitoring", password: "a-long-enough-web-password" };
const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

function option(name: string, fallback: number): number {
    const at = process.argv.indexOf(`--${name}`);
    const value = at === -1 ? fallback : Number(process.argv[at + 1]);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} takes a whole number above 0`);
    return value;
}

/** CPU seconds a process has used (user and system), from /proc. */
function cpuSeconds(pid: number): number {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Resident memory of a process, in MiB. */
function rssMib(pid: number): number {
    const line = fs
        .readFileSync(`/proc/${pid}/status`, "utf8")
        .split("\n")
        .find((l) => l.startsWith("VmRSS:"))!;
    return Number(line.split(/\s+/)[1]) / 1024;
}

/**
 * A line as the app's logging format writes it (local time, as Python's logging does), with what
 * makes real lines differ: a request id, a client address, a path and a duration. Repeated text
 * compresses far better than this, so the bytes per line are not flattered by it.
 */
function appLine(at: Date, i: number): string {
    const id = crypto.randomBytes(8).toString("hex");
    const client = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const paths = ["/", "/long-request", "/api/orders", "/api/orders/" + (i % 9973), "/health"];
    return flaskAppLine(at, "INFO", "app", `request ${id} from ${client} GET ${paths[i % paths.length]} 200 in ${(i * 7919) % 5000} ms`);
}

async function storeMetric(store: LocalLogStore, name: string): Promise<number> {
    const text = await (await fetch(`http://127.0.0.1:${store.port}/metrics`, { headers: { Authorization: store.authorization } })).text();
    return text
        .split("\n")
        .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
        .reduce((sum, l) => sum + Number(l.split(" ").pop()), 0);
}

async function main(): Promise<void> {
    const backlog = option("lines", 200_000);
    const rate = option("rate", 1_000);
    const seconds = option("seconds", 60);
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "logs-bench-"));
    const processes: ChildProcess[] = [];
    try {
        const stack = await evaluateStack("bench", {
            values: {
                platform: "hosts",
                hosts: ["monitoring=root@10.77.0.11", "app=root@10.77.0.12"],
                adminCidrs: ["10.0.0.0/8"],
                logs: true,
                webTls: false,
                dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json"),
            },
            secrets: { sshPrivateKey: privateKey, grafanaAdminPassword: "a-bench-admin-password", webPassword: auth.password },
        });
        const store = await startLogStore(work, auth);
        processes.push(store.process);
        const logFile = path.join(work, "flask-app.log");
        fs.writeFileSync(logFile, "");
        const local = await localCollector(stack, work, logFile, store);
        const collector = spawn(collectorBinary(), [`--config=${local.config}`], { env: { ...process.env, ...local.env }, stdio: "ignore" });
        processes.push(collector);
        await waitFor("the collector", 30, async () => ((await fetch(`http://127.0.0.1:${local.healthPort}/`)).ok ? true : undefined));
        await new Promise((r) => setTimeout(r, 2_000));

        // A backlog, as the app leaves it while the store is away: how fast one collector ships it.
        const base = Date.now() - 3_600_000;
        const chunk: string[] = [];
        for (let i = 0; i < backlog; i++) chunk.push(appLine(new Date(base + i), i));
        const started = Date.now();
        fs.appendFileSync(logFile, chunk.join(""));
        await waitFor(`${backlog} lines in the store`, 600, async () => ((await flaskAppLinesStored(store)) >= backlog ? true : undefined));
        const shipSeconds = (Date.now() - started) / 1000;

        // A steady rate: CPU and memory of each.
        const cpuBefore = { collector: cpuSeconds(collector.pid!), store: cpuSeconds(store.process.pid!) };
        const peak = { collector: 0, store: 0 };
        const steadyStart = Date.now();
        for (let tick = 0; tick < seconds * 10; tick++) {
            const lines: string[] = [];
            for (let i = 0; i < rate / 10; i++) lines.push(appLine(new Date(), i));
            fs.appendFileSync(logFile, lines.join(""));
            if (tick % 10 === 0) {
                peak.collector = Math.max(peak.collector, rssMib(collector.pid!));
                peak.store = Math.max(peak.store, rssMib(store.process.pid!));
            }
            const next = steadyStart + (tick + 1) * 100;
            await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
        }
        const elapsed = (Date.now() - steadyStart) / 1000;
        const cpu = {
            collector: ((cpuSeconds(collector.pid!) - cpuBefore.collector) / elapsed) * 100,
            store: ((cpuSeconds(store.process.pid!) - cpuBefore.store) / elapsed) * 100,
        };
        const total = backlog + rate * seconds;
        await waitFor(`${total} lines in the store`, 120, async () => ((await flaskAppLinesStored(store)) >= total ? true : undefined));

        // Bytes per line, once the store has written its in-memory parts.
        await new Promise((r) => setTimeout(r, 10_000));
        const diskBytes = Number(execFileSync("du", ["-sb", path.join(work, "store")], { encoding: "utf8" }).split("\t")[0]);
        const dataBytes = await storeMetric(store, "vl_data_size_bytes");
        const lineBytes = Buffer.byteLength(appLine(new Date(), 0));
        const rows = [
            ["one collector shipping a backlog", `${Math.round(backlog / shipSeconds)} lines/s (${backlog} lines in ${shipSeconds.toFixed(1)} s)`],
            [`collector at ${rate} lines/s for ${seconds} s`, `${cpu.collector.toFixed(1)} % of a core, ${peak.collector.toFixed(0)} MiB resident at most`],
            [`store at ${rate} lines/s`, `${cpu.store.toFixed(1)} % of a core, ${peak.store.toFixed(0)} MiB resident at most`],
            ["bytes on disk per line", `${(diskBytes / total).toFixed(1)} (the store's data directory after ${total} lines of ${lineBytes} bytes)`],
            ["bytes per line, as the store counts its data", `${(dataBytes / total).toFixed(1)} (vl_data_size_bytes)`],
        ];
        console.log(`| the log path on this machine (${os.cpus().length} cores), pinned releases | figure |\n| --- | --- |`);
        for (const [what, figure] of rows) console.log(`| ${what} | ${figure} |`);
    } finally {
        for (const p of processes) p.kill("SIGKILL");
        fs.rmSync(work, { recursive: true, force: true });
    }
}

main().then(
    () => process.exit(0),
    (error: Error) => {
        console.error(`bench:logs: ${error.message}`);
        process.exit(1);
    },
);
