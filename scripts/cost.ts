// CloudWatch's monthly cost for a team's workload, next to the monitoring stack's on each platform:
//   npm run cost -- --metrics list-metrics.json --alarms describe-alarms.json [--usage usage.json] [--mappings m.yml]
//       [--dashboards N] [--api-requests N] [--get-metric-data N] [--logs-ingested-gb N] [--logs-stored-gb N]
//       [--log-groups describe-log-groups.json] [--log-ingestion incoming-bytes.json] [--logs true|false]
//       [--stack dev] [--platform linode|aws|hosts|all] [--region us-east-1] [--transfer-gb N]
//       [--bridge-metrics N] [--bridge-period SECONDS (default: the stack's cloudwatchBridgeInterval)] [--prices cost/prices.json]
// The stack's sizes are the program's settings: Pulumi.yaml's defaults, or Pulumi.<stack>.yaml's values;
// CloudWatch Logs' lines are saved only where those settings run the log store (logs; --logs says otherwise).
// Bad input exits 2 with what to fix.
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { builtinMappings, parseMappings } from "../cloudwatch/metricMappings";
import { parseDescribeAlarms, translateAlarms } from "../cloudwatch/translateAlarms";
import {
    breakEvenMetrics,
    bridgeCost,
    cloudWatchCost,
    CostLine,
    ingestedLogsGb,
    monthlySaving,
    PriceTable,
    stackCost,
    StackSizing,
    storedLogsGb,
    total,
} from "../cost/estimate";
import { ListMetricsOutput, UsageNumbers, workloadOf } from "../cost/workload";
import { projectName, settingDeclarations } from "../settings/schema";

const root = path.join(__dirname, "..");
const usageKeys: Record<string, keyof UsageNumbers> = {
    "--dashboards": "dashboards",
    "--api-requests": "apiRequests",
    "--get-metric-data": "getMetricDataMetrics",
    "--logs-ingested-gb": "logsIngestedGb",
    "--logs-stored-gb": "logsStoredGb",
};

function readJson(file: string, what: string): unknown {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new Error(`${file}: ${what} cannot be read (${(error as Error).message})`);
    }
}

function count(value: unknown, where: string): number {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new Error(`${where} is ${JSON.stringify(value)}; give a number of 0 or more`);
    return value;
}

/** The stack's settings: Pulumi.yaml's defaults, overridden by Pulumi.<stack>.yaml's plain values. */
function stackSettings(stack: string | undefined): Record<string, unknown> {
    const values: Record<string, unknown> = Object.fromEntries(Object.entries(settingDeclarations()).map(([k, d]) => [k, d.default]));
    if (!stack) return values;
    const file = path.join(root, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new Error(`--stack ${stack}: ${file} does not exist`);
    const config = ((yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> }) ?? {}).config ?? {};
    const prefix = `${projectName()}:`;
    for (const [key, value] of Object.entries(config)) if (key.startsWith(prefix)) values[key.slice(prefix.length)] = value;
    return values;
}

const money = (n: number) => `${n < 0 ? "-" : ""}$${Math.abs(n).toFixed(2)}`;
function table(title: string, lines: readonly CostLine[]): string {
    const width = Math.max(...lines.map((l) => l.item.length), 5);
    return [
        title,
        ...lines.map((l) => `  ${l.item.padEnd(width)}  ${l.quantity.padStart(12)}  ${money(l.monthly).padStart(10)}`),
        `  ${"total".padEnd(width)}  ${"".padStart(12)}  ${money(total(lines)).padStart(10)}`,
    ].join("\n");
}

function main(argv: string[]): void {
    const options: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith("--") || argv[i + 1] === undefined || argv[i + 1].startsWith("--"))
            throw new Error(`${arg}: options take a value; see the comment at the top of scripts/cost.ts`);
        options[arg] = argv[++i];
    }
    const known = [
        "--metrics",
        "--alarms",
        "--usage",
        "--stack",
        "--platform",
        "--region",
        "--transfer-gb",
        "--bridge-metrics",
        "--bridge-period",
        "--prices",
        "--log-groups",
        "--log-ingestion",
        "--logs",
        ...Object.keys(usageKeys),
    ];
    for (const key of Object.keys(options)) if (!known.includes(key)) throw new Error(`unknown option ${key} (options: ${known.join(", ")})`);
    if (!options["--metrics"] || !options["--alarms"])
        throw new Error("give --metrics (aws cloudwatch list-metrics --output json) and --alarms (aws cloudwatch describe-alarms --output json)");

    const metrics = readJson(options["--metrics"], "the list-metrics export") as ListMetricsOutput;
    if (!Array.isArray(metrics?.Metrics))
        throw new Error(`${options["--metrics"]}: has no Metrics list; give the output of aws cloudwatch list-metrics --output json`);
    const alarms = parseDescribeAlarms(fs.readFileSync(options["--alarms"], "utf8"), options["--alarms"]);
    const fromFile = (options["--usage"] ? readJson(options["--usage"], "the usage numbers") : {}) as Record<string, unknown>;
    const usage = Object.fromEntries(
        Object.entries(usageKeys).map(([flag, key]) => [
            key,
            options[flag] !== undefined ? count(Number(options[flag]), flag) : count(fromFile[key] ?? 0, `${options["--usage"]}: ${key}`),
        ]),
    ) as unknown as UsageNumbers;
    // CloudWatch Logs' exports, where given, over the numbers of usage.json (a flag still wins).
    const exported: Partial<UsageNumbers> = {
        ...(options["--log-groups"] && options["--logs-stored-gb"] === undefined
            ? { logsStoredGb: storedLogsGb(readJson(options["--log-groups"], "the describe-log-groups export") as never) }
            : {}),
        ...(options["--log-ingestion"] && options["--logs-ingested-gb"] === undefined
            ? { logsIngestedGb: ingestedLogsGb(readJson(options["--log-ingestion"], "the IncomingBytes statistics") as never) }
            : {}),
    };
    Object.assign(usage, exported);
    // The bridge reads what the translated alarms need and no mapping provides: the translator says which.
    const mappings = [
        ...(options["--mappings"] ? parseMappings(fs.readFileSync(options["--mappings"], "utf8"), options["--mappings"]) : []),
        ...builtinMappings(),
    ];
    const workload = workloadOf(metrics, alarms, usage, translateAlarms(alarms, { mappings }).bridged);

    const prices = readJson(options["--prices"] ?? path.join(root, "cost", "prices.json"), "the price table") as PriceTable;
    const region = options["--region"] ?? "us-east-1";
    const cw = prices.cloudwatch[region];
    if (!cw) throw new Error(`--region ${region}: cost/prices.json has CloudWatch prices for ${Object.keys(prices.cloudwatch).join(", ")} only`);
    const s = stackSettings(options["--stack"]);
    const transferOutGb = count(Number(options["--transfer-gb"] ?? 10), "--transfer-gb");
    const bridgePeriod = count(Number(options["--bridge-period"] ?? s.cloudwatchBridgeInterval), "--bridge-period");
    const bridgedMetrics = options["--bridge-metrics"] !== undefined ? count(Number(options["--bridge-metrics"]), "--bridge-metrics") : workload.bridgedMetrics;
    const sizings: Record<string, StackSizing> = {
        linode: {
            platform: "linode",
            region: String(s.region),
            instanceTypes: [String(s.monitoringInstanceType)],
            dataVolumeGb: Number(s.prometheusVolumeSizeGb),
            rootVolumeGb: 0,
            transferOutGb,
        },
        aws: {
            platform: "aws",
            region,
            instanceTypes: [String(s.awsPrometheusInstanceType), String(s.awsGrafanaInstanceType)],
            dataVolumeGb: Number(s.prometheusVolumeSizeGb),
            rootVolumeGb: Number(s.awsRootVolumeSizeGb),
            transferOutGb,
        },
        hosts: { platform: "hosts", region: "", instanceTypes: [], dataVolumeGb: 0, rootVolumeGb: 0, transferOutGb: 0 },
    };
    const chosen = options["--platform"] === undefined || options["--platform"] === "all" ? Object.keys(sizings) : [options["--platform"]];
    for (const platform of chosen) if (!sizings[platform]) throw new Error(`--platform ${platform}: use linode, aws, hosts or all`);

    const cloudWatch = cloudWatchCost(workload, cw);
    const out = [
        `Prices of ${prices.compiledOn} (cost/prices.json); CloudWatch in ${region}: ${cw.source}`,
        "",
        table("CloudWatch, per month", cloudWatch),
        "",
    ];
    const bridge = bridgeCost(bridgedMetrics, bridgePeriod, cw);
    if (options["--logs"] !== undefined && !["true", "false"].includes(options["--logs"])) {
        throw new Error(`--logs ${options["--logs"]}: give true (the stack runs the log store) or false`);
    }
    const logsMoved = options["--logs"] !== undefined ? options["--logs"] === "true" : s.logs === true;
    const logsMonthly = total(cloudWatch.filter((line) => line.logs));
    const rows: string[] = [];
    for (const platform of chosen) {
        const lines = stackCost(sizings[platform], prices);
        out.push(
            table(`The monitoring stack on ${platform}, per month${platform === "hosts" ? "" : ` (${sizings[platform].instanceTypes.join(", ")})`}`, lines),
            "",
        );
        const stack = total(lines);
        const during = stack + bridge.monthly;
        const even = breakEvenMetrics(workload, cw, stack);
        rows.push(
            `  ${platform.padEnd(7)} ${money(stack).padStart(10)} ${money(during).padStart(14)} ${money(monthlySaving(cloudWatch, stack, logsMoved)).padStart(14)}   ${even === undefined ? "never" : even === 0 ? "already, with no custom metric" : `${even} custom metrics`}`,
        );
    }
    out.push(
        `${bridge.item}, ${bridge.quantity} (what the translated alarms read through it): ${money(bridge.monthly)} per month while it runs`,
        "",
        "Side by side, per month",
        `  ${"".padEnd(7)} ${"stack".padStart(10)} ${"with bridge".padStart(14)} ${"saved".padStart(14)}   break-even (CloudWatch costs as much at)`,
        ...rows,
        `  CloudWatch ${money(total(cloudWatch))}`,
        "",
        logsMoved
            ? `CloudWatch Logs' ${money(logsMonthly)} per month is saved: the stack runs the log store (logs), which keeps up to logsRetentionSize (${String(s.logsRetentionSize)}) for logsRetention (${String(s.logsRetention)}) on the monitoring host's disk.`
            : `CloudWatch Logs' ${money(logsMonthly)} per month is not counted as saved: logs is off in these settings, so the logs stay there. pulumi config set logs true moves them (--logs true counts it).`,
    );
    process.stdout.write(out.join("\n") + "\n");
}

try {
    main(process.argv.slice(2));
} catch (error) {
    process.stderr.write(`cost: ${(error as Error).message}\n`);
    process.exitCode = 2;
}
