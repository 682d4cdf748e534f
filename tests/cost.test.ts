import * as fs from "fs";
import * as path from "path";
import { builtinMappings } from "../cloudwatch/metricMappings";
import { parseDescribeAlarms, translateAlarms } from "../cloudwatch/translateAlarms";
import { breakEvenMetrics, bridgeCost, cloudWatchCost, MissingPriceError, PriceTable, stackCost, total } from "../cost/estimate";
import { CloudWatchWorkload, ListMetricsOutput, workloadOf } from "../cost/workload";
import { runProjectScript } from "./support/tools";

const root = path.join(__dirname, "..");
const prices = JSON.parse(fs.readFileSync(path.join(root, "cost", "prices.json"), "utf8")) as PriceTable;
const cw = prices.cloudwatch["us-east-1"];
const exampleMetrics = JSON.parse(fs.readFileSync(path.join(root, "examples", "cloudwatch-export", "list-metrics.json"), "utf8")) as ListMetricsOutput;
const alarmsFile = path.join(root, "tests", "fixtures", "cloudwatch", "describe-alarms.json");
const alarms = parseDescribeAlarms(fs.readFileSync(alarmsFile, "utf8"), alarmsFile);
const none = { dashboards: 0, apiRequests: 0, getMetricDataMetrics: 0, logsIngestedGb: 0, logsStoredGb: 0 };
const workload = (w: Partial<CloudWatchWorkload>): CloudWatchWorkload => ({
    customMetrics: 0,
    awsMetrics: 0,
    alarmMetrics: 0,
    premiumAlarmMetrics: 0,
    bridgedMetrics: 0,
    ...none,
    ...w,
});
const cost = (w: Partial<CloudWatchWorkload>) => Math.round(total(cloudWatchCost(workload(w), cw)) * 100) / 100;

describe("the price table", () => {
    it("should be dated and name a source for every provider and region", () => {
        expect(prices.compiledOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        for (const group of [prices.cloudwatch, prices.aws, prices.linode])
            for (const entry of Object.values(group)) expect(entry.source).toMatch(/^https:\/\//);
    });
});

describe("CloudWatch's bill", () => {
    it.each([
        ["the 10 free custom metrics", { customMetrics: 10 }, 0],
        ["110 custom metrics: 100 at $0.30", { customMetrics: 110 }, 30],
        ["10,010 metrics then 1,000 more at the second tier", { customMetrics: 11010 }, 10000 * 0.3 + 1000 * 0.1],
        ["12 alarm metrics: 10 free", { alarmMetrics: 12 }, 0.2],
        ["an anomaly detection alarm", { premiumAlarmMetrics: 1 }, 0.3],
        ["5 dashboards: 3 free", { dashboards: 5 }, 6],
        ["2 million API requests: 1 million free", { apiRequests: 2_000_000 }, 10],
        ["a million metrics through GetMetricData", { getMetricDataMetrics: 1_000_000 }, 10],
        ["10 GB of logs ingested: 5 free", { logsIngestedGb: 10 }, 2.5],
        ["100 GB of logs stored", { logsStoredGb: 100 }, 3],
    ])("should price %s", (_what, w, expected) => {
        expect(cost(w)).toBeCloseTo(expected, 2);
    });
});

describe("the workload of a team's exports", () => {
    it("should count custom series, AWS series, alarm metrics and the series the bridge reads for the translated alarms", () => {
        const w = workloadOf(exampleMetrics, alarms, none, translateAlarms(alarms, { mappings: builtinMappings() }).bridged);
        const custom = exampleMetrics.Metrics.filter((m) => !m.Namespace.startsWith("AWS/")).length;
        expect({ customMetrics: w.customMetrics, awsMetrics: w.awsMetrics }).toEqual({
            customMetrics: custom,
            awsMetrics: exampleMetrics.Metrics.length - custom,
        });
        // 14 alarms: one anomaly detection alarm is premium, the metric-math alarm counts its 2 metrics.
        expect({ alarmMetrics: w.alarmMetrics, premiumAlarmMetrics: w.premiumAlarmMetrics }).toEqual({ alarmMetrics: 14, premiumAlarmMetrics: 1 });
        // The load balancer's RequestCount and the database's FreeStorageSpace: EC2 CPU and the agent's metrics map to node_exporter.
        expect(w.bridgedMetrics).toBe(2);
    });

    it("should count a series once, whatever the order of its dimensions", () => {
        const twice: ListMetricsOutput = {
            Metrics: [
                {
                    Namespace: "App",
                    MetricName: "Latency",
                    Dimensions: [
                        { Name: "a", Value: "1" },
                        { Name: "b", Value: "2" },
                    ],
                },
                {
                    Namespace: "App",
                    MetricName: "Latency",
                    Dimensions: [
                        { Name: "b", Value: "2" },
                        { Name: "a", Value: "1" },
                    ],
                },
            ],
        };
        expect(workloadOf(twice, {}, none).customMetrics).toBe(1);
    });
});

describe("the stack's bill", () => {
    const sizing = { region: "us-mia", dataVolumeGb: 50, rootVolumeGb: 20, transferOutGb: 10 };

    it("should price the Linode monitoring host and its volume, within the included transfer", () => {
        expect(total(stackCost({ ...sizing, platform: "linode", instanceTypes: ["g6-standard-4"] }, prices))).toBeCloseTo(48 + 5, 2);
    });

    it("should price the two EC2 instances of the aws layout for 730 hours, their root volumes and the data volume", () => {
        const lines = stackCost({ ...sizing, platform: "aws", region: "us-east-1", instanceTypes: ["t3.medium", "t3.small"] }, prices);
        expect(total(lines)).toBeCloseTo((0.0416 + 0.0208) * 730 + (50 + 2 * 20) * 0.08, 2);
    });

    it.each([
        [
            "a Linode type it has no price for",
            { ...sizing, platform: "linode" as const, instanceTypes: ["g7-premium-64"] },
            "no price for Linode type g7-premium-64",
        ],
        [
            "a Linode region priced apart",
            { ...sizing, platform: "linode" as const, region: "br-gru", instanceTypes: ["g6-standard-4"] },
            "Linode prices br-gru differently",
        ],
        [
            "an AWS region it has no prices for",
            { ...sizing, platform: "aws" as const, region: "eu-west-1", instanceTypes: ["t3.medium"] },
            "no AWS prices for region eu-west-1",
        ],
    ])("should refuse %s, saying what to add", (_what, s, message) => {
        expect(() => stackCost(s, prices)).toThrow(MissingPriceError);
        expect(() => stackCost(s, prices)).toThrow(message);
    });

    it("should price the bridge's GetMetricData calls: each metric once per period for a month", () => {
        expect(bridgeCost(6, 300, cw).monthly).toBeCloseTo(((6 * (730 * 3600)) / 300 / 1000) * 0.01, 4);
    });

    it("should find the number of custom metrics at which CloudWatch costs as much as the stack", () => {
        const stack = 53;
        const even = breakEvenMetrics(workload({}), cw, stack)!;
        expect(cost({ customMetrics: even })).toBeGreaterThanOrEqual(stack);
        expect(cost({ customMetrics: even - 1 })).toBeLessThan(stack);
        expect(breakEvenMetrics(workload({ dashboards: 100 }), cw, stack)).toBe(0);
    });
});

describe("npm run cost", () => {
    const cli = (args: string[]) => runProjectScript("cost", args);
    const example = [
        "--metrics",
        "examples/cloudwatch-export/list-metrics.json",
        "--alarms",
        "tests/fixtures/cloudwatch/describe-alarms.json",
        "--usage",
        "examples/cloudwatch-export/usage.json",
    ];

    it("should print CloudWatch's bill, each platform's, the bridge and the side-by-side table for the repo's example exports, with the prices' date", () => {
        const result = cli(example);
        expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
        expect(result.stdout).toContain(`Prices of ${prices.compiledOn}`);
        for (const heading of [
            "CloudWatch, per month",
            "The monitoring stack on linode",
            "The monitoring stack on aws",
            "The monitoring stack on hosts",
            "Side by side, per month",
        ]) {
            expect(result.stdout).toContain(heading);
        }
        const printed = /^ {2}CloudWatch \$(\d+\.\d\d)$/m.exec(result.stdout)?.[1];
        const usage = JSON.parse(fs.readFileSync(path.join(root, "examples/cloudwatch-export/usage.json"), "utf8"));
        expect(printed).toBe(totalOf(usage).toFixed(2));
    });

    const totalOf = (usage: typeof none) => total(cloudWatchCost(workloadOf(exampleMetrics, alarms, usage), cw));

    it("should count CloudWatch Logs as saved only where the settings run the log store, and read its gigabytes from the exports", () => {
        const logs = [
            "--log-groups",
            "examples/cloudwatch-export/describe-log-groups.json",
            "--log-ingestion",
            "examples/cloudwatch-export/incoming-bytes.json",
        ];
        const withoutUsage = example.slice(0, 4);
        const off = cli([...withoutUsage, ...logs, "--platform", "hosts"]);
        expect(off.status).toBe(0);
        expect(off.stdout).toMatch(/logs ingested \(GB\) +40 +\$17\.50/);
        expect(off.stdout).toMatch(/logs stored \(GB-month\) +300 +\$9\.00/);
        const cloudWatch = Number(/^ {2}CloudWatch \$(\d+\.\d\d)$/m.exec(off.stdout)![1]);
        const saved = (stdout: string) => Number(/^ {2}hosts +\$0\.00 +\$\d+\.\d\d +\$(\d+\.\d\d)/m.exec(stdout)![1]);
        expect(saved(off.stdout)).toBeCloseTo(cloudWatch - 26.5, 2);
        expect(off.stdout).toContain("CloudWatch Logs' $26.50 per month is not counted as saved: logs is off in these settings");
        // A stack that runs the log store saves CloudWatch Logs too.
        const on = cli([...withoutUsage, ...logs, "--platform", "hosts", "--logs", "true"]);
        expect(on.status).toBe(0);
        expect(saved(on.stdout)).toBeCloseTo(cloudWatch, 2);
        expect(on.stdout).toContain("CloudWatch Logs' $26.50 per month is saved: the stack runs the log store (logs)");
        expect(cli([...withoutUsage, "--logs", "yes"]).stderr).toContain("--logs yes: give true (the stack runs the log store) or false");
    });

    it("should size the stack from a stack's settings", () => {
        const result = cli([...example, "--stack", "prod", "--platform", "linode"]);
        expect(result.status).toBe(0);
        expect(result.stdout).not.toContain("The monitoring stack on aws");
    });

    it.each([
        ["no exports", [], "give --metrics"],
        ["a negative count", [...example, "--dashboards", "-1"], "--dashboards is -1"],
        ["an unknown platform", [...example, "--platform", "gcp"], "--platform gcp: use linode, aws, hosts or all"],
        ["a region without prices", [...example, "--region", "eu-west-1"], "--region eu-west-1: cost/prices.json has CloudWatch prices for us-east-1 only"],
        ["an unknown option", [...example, "--colour", "red"], "unknown option --colour"],
    ])("should exit 2 on %s, saying what to fix", (_what, args, message) => {
        const result = cli(args as string[]);
        expect(result.status).toBe(2);
        expect(result.stderr).toContain(`cost: `);
        expect(result.stderr).toContain(message);
    });
});
