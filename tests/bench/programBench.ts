// npm run bench: how the program's evaluation grows with the number of monitored machines. Each size
// is evaluated under the test mocks (tests/support/stackUnderMocks.ts: no cloud, no engine) in a
// process of its own, so that memory is that evaluation's alone. Printed, never asserted.
//   npm run bench [-- 1 10 100 500]
import { spawnSync } from "child_process";
import * as path from "path";
import { evaluateStack, keepSdkPromiseRecords, sharedFixture } from "../support/stackUnderMocks";

const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-bench-key\n-----END OPENSSH PRIVATE KEY-----\n";

interface Measure {
    readonly nodes: number;
    readonly resources: number;
    readonly seconds: number;
    readonly peakRssMb: number;
    readonly heapMb: number;
}

/** node=root@10.78.x.y, one per machine, on the hosts platform beside the monitoring and app hosts. */
function nodeHosts(count: number): string[] {
    return Array.from({ length: count }, (_, i) => `node=root@10.78.${Math.floor(i / 250)}.${(i % 250) + 1} instance=bench-${i + 1}`);
}

/** One evaluation in this process: prints its measure as JSON. */
async function measureOne(nodes: number, asTests: boolean): Promise<void> {
    // What a deployment's evaluation costs: with the SDK's bookkeeping the tests skip (unless --as-tests).
    if (!asTests) keepSdkPromiseRecords();
    const start = process.hrtime.bigint();
    const stack = await evaluateStack("bench", {
        values: {
            platform: "hosts",
            hosts: ["monitoring=root@10.77.0.11", "app=root@10.77.0.12", ...nodeHosts(nodes)],
            adminCidrs: ["10.0.0.0/8"],
            dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json"),
        },
        secrets: { sshPrivateKey: privateKey, grafanaAdminPassword: "a-bench-admin-password" },
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const measure: Measure = {
        nodes,
        resources: stack.resources.length,
        seconds,
        peakRssMb: process.resourceUsage().maxRSS / 1024,
        heapMb: process.memoryUsage().heapUsed / 2 ** 20,
    };
    console.log(JSON.stringify(measure));
}

function table(measures: readonly Measure[]): string {
    const rows = measures.map((m, i) => {
        const before = measures[i - 1];
        const growth = before
            ? `+${(m.seconds - before.seconds).toFixed(2)} s, +${(m.peakRssMb - before.peakRssMb).toFixed(0)} MB for ${m.nodes - before.nodes} more (${(((m.seconds - before.seconds) * 1000) / (m.nodes - before.nodes)).toFixed(1)} ms per host)`
            : "-";
        return `| ${m.nodes} | ${m.resources} | ${m.seconds.toFixed(2)} | ${m.peakRssMb.toFixed(0)} | ${m.heapMb.toFixed(0)} | ${growth} |`;
    });
    return [
        "| node hosts | resources | evaluation s | peak RSS MB | heap MB | growth from the size before |",
        "| --- | --- | --- | --- | --- | --- |",
        ...rows,
    ].join("\n");
}

async function main(args: string[]): Promise<void> {
    if (args[0] === "--one") {
        await measureOne(Number(args[1]), args[2] === "--as-tests");
        return;
    }
    // --as-tests: evaluate as npm test does, without the SDK's stack trace of every promise.
    const asTests = args.includes("--as-tests");
    const numbers = args.filter((a) => a !== "--as-tests");
    const sizes = numbers.length > 0 ? numbers.map(Number) : [1, 10, 100, 500];
    const bad = sizes.find((n) => !Number.isInteger(n) || n < 0 || n > 5000);
    if (bad !== undefined) throw new Error(`bench: ${bad} is not a number of node hosts from 0 to 5000`);
    const measures: Measure[] = [];
    for (const nodes of sizes) {
        const child = spawnSync(process.execPath, [...process.execArgv, __filename, "--one", String(nodes), ...(asTests ? ["--as-tests"] : [])], {
            cwd: path.join(__dirname, "..", ".."),
            encoding: "utf8",
            maxBuffer: 64 * 2 ** 20,
        });
        const line = child.stdout.split("\n").find((l) => l.startsWith("{"));
        if (child.status !== 0 || !line) throw new Error(`bench: the evaluation with ${nodes} node hosts failed:\n${child.stderr.slice(-2000)}`);
        measures.push(JSON.parse(line) as Measure);
        process.stderr.write(`bench: ${nodes} node hosts evaluated\n`);
    }
    const how = asTests ? "as npm test evaluates it (no SDK stack trace per promise)" : "as a deployment evaluates it (the SDK's stack trace per promise kept)";
    console.log(`Program evaluation under mocks, ${how}, platform hosts, ${new Date().toISOString().slice(0, 10)}, Node ${process.version}:\n`);
    console.log(table(measures));
}

main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
});
