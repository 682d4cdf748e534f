import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { parseAlarmActions } from "../cloudwatch/alarmActions";
import { builtinMappings, parseMappings } from "../cloudwatch/metricMappings";
import {
    alertNameOf,
    DescribeAlarmsOutput,
    formatReport,
    MetricAlarm,
    parseDescribeAlarms,
    promDuration,
    translateAlarms,
    translationCounts,
    yaceMetricName,
} from "../cloudwatch/translateAlarms";
import { run, runProjectScript, tempTree } from "./support/tools";

const fixtures = path.join(__dirname, "fixtures", "cloudwatch");
const fixture = parseDescribeAlarms(fs.readFileSync(path.join(fixtures, "describe-alarms.json"), "utf8"), "describe-alarms.json");
const userMappings = parseMappings(fs.readFileSync(path.join(fixtures, "mappings.yml"), "utf8"), "mappings.yml");
const actions = parseAlarmActions(fs.readFileSync(path.join(fixtures, "actions.yml"), "utf8"), "actions.yml");
const translation = translateAlarms(fixture, { mappings: builtinMappings(), actions });

type Rule = { alert: string; expr: string; for: string; labels: Record<string, string>; annotations: Record<string, string> };
const rulesOf = (text: string): Rule[] => (yaml.load(text) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);
const ruleNamed = (text: string, alert: string): Rule => rulesOf(text).find((r) => r.alert === alert)!;

/** A translated alarm's condition, taken apart: the statistic per period, the comparison, and M of N aligned periods. */
function conditionOf(rule: Rule): { perPeriod: string; operator: string; threshold: number; range: string; step: string; datapoints: number } {
    const match = /^count_over_time\(\((.*) (>|>=|<|<=) (\S+)\)\[(\w+):(\w+)\]\) >= (\d+)$/.exec(rule.expr);
    if (!match) throw new Error(`not an alarm condition: ${rule.expr}`);
    return { perPeriod: match[1], operator: match[2], threshold: Number(match[3]), range: match[4], step: match[5], datapoints: Number(match[6]) };
}
const perPeriod = (text: string, alert: string) => conditionOf(ruleNamed(text, alert)).perPeriod;

/** A plain metric alarm on the guide's latency metric, for table tests. */
function alarm(fields: Partial<MetricAlarm>): DescribeAlarmsOutput {
    return {
        MetricAlarms: [
            {
                AlarmName: "case",
                Namespace: "FlaskApp",
                MetricName: "EndpointLatency",
                Statistic: "Average",
                Dimensions: [],
                Period: 60,
                EvaluationPeriods: 2,
                Threshold: 0.5,
                ComparisonOperator: "GreaterThanThreshold",
                ...fields,
            },
        ],
    };
}

describe("translateAlarms on a realistic describe-alarms document", () => {
    it("should translate or report every alarm, none dropped", () => {
        const names = [...(fixture.MetricAlarms ?? []), ...(fixture.CompositeAlarms ?? [])].map((a) => a.AlarmName).sort();
        expect([...translation.translated.map((t) => t.alarm), ...translation.unsupported.map((u) => u.alarm)].sort()).toEqual(names);
    });

    it("should report metric math, anomaly detection, composite alarms and unsupported statistics with their reasons", () => {
        expect(translation.unsupported.map((u) => [u.alarm, u.kind])).toEqual([
            ["api-error-rate", "metric-math"],
            ["EC2 CPU trimmed mean", "unsupported-statistic"],
            ["flask-latency-max", "unsupported-statistic"],
            ["latency-anomaly", "anomaly-detection"],
            ["upper-band-without-band", "anomaly-detection"],
            ["web-down-composite", "composite"],
        ]);
        expect(translation.unsupported.find((u) => u.alarm === "api-error-rate")!.reason).toContain("m1 / m2 * 100");
        expect(translation.unsupported.find((u) => u.alarm === "upper-band-without-band")!.reason).toContain("has none");
    });

    it("should name the rules after the alarms and keep their names and descriptions", () => {
        expect(rulesOf(translation.rules).map((r) => r.alert)).toEqual([
            "ElbNoRequests",
            "ElbNoRequestsNoData",
            "FlaskRequestsPerMinuteLow",
            "FlaskRootLatencyHigh",
            "FlaskRootLatencyHighNoData",
            "FlaskRootP95Latency",
            "MemoryUsed90",
            "RdsFreeStorageLow",
            "RootDisk85",
            "Web1CPUHigh",
            "Web1CpuHigh",
        ]);
        const latency = ruleNamed(translation.rules, "FlaskRootLatencyHigh");
        expect(latency.annotations).toEqual({
            summary: "flask-root-latency-high",
            description: "GET / is slower than 500 ms on average",
            cloudwatch_alarm: "flask-root-latency-high",
        });
        expect(latency.labels).toEqual({ severity: "critical", source: "cloudwatch" });
    });

    it("should turn the guide's EndpointLatency into the guide's PromQL average per period, 3 of the last 5 aligned periods, no for", () => {
        const latency = ruleNamed(translation.rules, "FlaskRootLatencyHigh");
        expect(conditionOf(latency)).toEqual({
            perPeriod:
                'sum by (path, method) (rate(flask_http_request_duration_seconds_sum{path="/",method="GET"}[1m] offset 1ms)) / sum by (path, method) (rate(flask_http_request_duration_seconds_count{path="/",method="GET"}[1m] offset 1ms))',
            operator: ">",
            threshold: 0.5,
            range: "299s",
            step: "1m",
            datapoints: 3,
        });
        expect(latency.for).toBeUndefined();
    });

    it("should estimate percentiles from histogram buckets, convert milliseconds to seconds, and say it approximates", () => {
        expect(perPeriod(translation.rules, "FlaskRootP95Latency")).toBe(
            'histogram_quantile(0.95, sum by (le, path, method) (rate(flask_http_request_duration_seconds_bucket{path="/",method="GET"}[5m] offset 1ms)))',
        );
        expect(conditionOf(ruleNamed(translation.rules, "FlaskRootP95Latency")).threshold).toBe(1);
        const p95 = translation.translated.find((t) => t.alarm === "flask-root-p95-latency")!;
        expect(p95.status).toBe("approximated");
        expect(p95.approximations).toContain("p95 is estimated from the histogram buckets (linear within a bucket), not from every request");
    });

    it("should map EC2 and CloudWatch agent metrics to node_exporter, saying which dimensions it dropped", () => {
        // CPU from its counters: the Average over exactly the period, the Maximum over the period's per-minute values.
        expect(perPeriod(translation.rules, "Web1CpuHigh")).toBe('100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[1m])))');
        expect(translation.translated.find((t) => t.alarm === "web-1-cpu-high")!.notes).toContain("Average is the counters' increase over exactly each period");
        expect(perPeriod(translation.rules, "Web1CPUHigh")).toBe(
            'max_over_time((100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[1m]))))[299s:1m])',
        );
        expect(translation.translated.find((t) => t.alarm === "web-1 CPU high")!.approximations).toContain(
            "Maximum is over the period's per-minute values (the counters' increase over each minute): CloudWatch's when the metric is published every minute (EC2 detailed monitoring, the CloudWatch agent's default interval); with five-minute datapoints (basic monitoring) CloudWatch's Maximum of a five-minute period is its Average",
        );
        expect(perPeriod(translation.rules, "RootDisk85")).toBe(
            'avg_over_time((100 * (1 - node_filesystem_avail_bytes{mountpoint="/",fstype="ext4"} / node_filesystem_size_bytes{mountpoint="/",fstype="ext4"}))[5m:15s] offset 1ms)',
        );
        expect(translation.translated.find((t) => t.alarm === "root-disk-85")!.approximations).toEqual(
            expect.arrayContaining([
                expect.stringContaining("dimension device=nvme0n1p1 dropped"),
                expect.stringContaining("dimension host=ip-10-0-1-17 dropped"),
            ]),
        );
    });

    it("should fall back to YACE names for unmapped metrics, and add an absent() companion when missing data breaches", () => {
        expect(perPeriod(translation.rules, "ElbNoRequests")).toBe(
            'avg_over_time(aws_elb_request_count_sum{dimension_LoadBalancerName="web-prod"}[5m] offset 1ms)',
        );
        expect(ruleNamed(translation.rules, "ElbNoRequestsNoData").expr).toBe('absent(aws_elb_request_count_sum{dimension_LoadBalancerName="web-prod"})');
        expect(perPeriod(translation.rules, "RdsFreeStorageLow")).toBe(
            'min_over_time(aws_rds_free_storage_space_minimum{dimension_DBInstanceIdentifier="orders"}[5m] offset 1ms)',
        );
        expect(ruleNamed(translation.rules, "FlaskRootLatencyHighNoData").expr).toBe(
            'absent(flask_http_request_duration_seconds_count{path="/",method="GET"})',
        );
    });

    it("should translate a single-metric Metrics list like a plain alarm", () => {
        expect(perPeriod(translation.rules, "FlaskRequestsPerMinuteLow")).toBe(
            'sum by (path) (increase(flask_http_request_duration_seconds_count{path="/"}[1m] offset 1ms))',
        );
    });

    it("should use a user's mapping before the YACE fallback", () => {
        const withUser = translateAlarms(fixture, { mappings: [...userMappings, ...builtinMappings()] });
        expect(perPeriod(withUser.rules, "ElbNoRequests")).toBe('sum by (lb) (increase(lb_requests_total{lb="web-prod"}[5m]))');
        expect(ruleNamed(withUser.rules, "ElbNoRequestsNoData").expr).toBe('absent(lb_requests_total{lb="web-prod"})');
    });

    it("should produce rules that pass promtool check rules", () => {
        const dir = tempTree({ "cloudwatch.yml": translation.rules });
        const result = run("promtool", ["check", "rules", "cloudwatch.yml"], { cwd: dir });
        expect(result.stdout).toContain("SUCCESS: 11 rules found");
        expect(result.status).toBe(0);
    });

    it("should produce rules that fire on the replacement series (promtool test rules)", () => {
        const dir = tempTree({
            "cloudwatch.yml": translation.rules,
            "translated.test.yml": fs.readFileSync(path.join(fixtures, "translated.test.yml"), "utf8"),
        });
        const result = run("promtool", ["test", "rules", "translated.test.yml"], { cwd: dir });
        expect(result.stdout + result.stderr).toContain("SUCCESS");
        expect(result.status).toBe(0);
    });

    it("should be deterministic", () => {
        const reversed = { ...fixture, MetricAlarms: [...(fixture.MetricAlarms ?? [])].reverse() };
        expect(translateAlarms(reversed, { mappings: builtinMappings(), actions }).rules).toBe(translation.rules);
    });
});

describe("translateAlarms branches", () => {
    it.each([
        ["GreaterThanThreshold", ">"],
        ["GreaterThanOrEqualToThreshold", ">="],
        ["LessThanThreshold", "<"],
        ["LessThanOrEqualToThreshold", "<="],
    ])("should translate %s to %s", (operator, symbol) => {
        const out = translateAlarms(alarm({ ComparisonOperator: operator }), { mappings: builtinMappings() });
        expect(conditionOf(ruleNamed(out.rules, "Case")).operator).toBe(symbol);
    });

    it.each(["LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"])(
        "should report the band operator %s as unsupported",
        (operator) => {
            const out = translateAlarms(alarm({ ComparisonOperator: operator }), { mappings: builtinMappings() });
            expect(out.unsupported).toEqual([expect.objectContaining({ kind: "anomaly-detection" })]);
            expect(out.translated).toEqual([]);
        },
    );

    it.each([
        ["Sum", "sum by () (increase(flask_http_request_duration_seconds_sum[1m] offset 1ms))"],
        ["SampleCount", "sum by () (increase(flask_http_request_duration_seconds_count[1m] offset 1ms))"],
        ["p99.9", "histogram_quantile(0.999, sum by (le) (rate(flask_http_request_duration_seconds_bucket[1m] offset 1ms)))"],
    ])("should translate the histogram statistic %s", (statistic, expr) => {
        const fields = statistic.startsWith("p") ? { Statistic: undefined, ExtendedStatistic: statistic } : { Statistic: statistic };
        expect(perPeriod(translateAlarms(alarm(fields), { mappings: builtinMappings() }).rules, "Case")).toBe(expr);
    });

    it.each([
        ["Minimum", "min_over_time"],
        ["p90", "quantile_over_time(0.9, "],
    ])("should translate the gauge statistic %s", (statistic, fn) => {
        const fields = statistic.startsWith("p") ? { ExtendedStatistic: statistic, Statistic: undefined } : { Statistic: statistic };
        const out = translateAlarms(alarm({ ...fields, Namespace: "CWAgent", MetricName: "mem_used_percent", Threshold: 90 }), { mappings: builtinMappings() });
        expect(perPeriod(out.rules, "Case").startsWith(fn)).toBe(true);
    });

    it("should report a gauge summed over a period as unsupported", () => {
        const out = translateAlarms(alarm({ Namespace: "CWAgent", MetricName: "mem_used_percent", Statistic: "Sum" }), { mappings: builtinMappings() });
        expect(out.unsupported[0].reason).toContain("add a statistics entry");
    });

    it.each([
        ["Minimum", 300, 'min_over_time((100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[1m]))))[299s:1m])'],
        ["p90", 600, 'quantile_over_time(0.9, (100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[1m]))))[599s:1m])'],
        ["Maximum", 30, 'max_over_time((100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[30s]))))[29s:30s])'],
    ])("should take the counter-derived statistic %s over the per-minute values of a %ss period", (statistic, period, expr) => {
        const fields = statistic.startsWith("p") ? { ExtendedStatistic: statistic, Statistic: undefined } : { Statistic: statistic };
        const out = translateAlarms(alarm({ ...fields, Namespace: "AWS/EC2", MetricName: "CPUUtilization", Period: period, Threshold: 90 }), {
            mappings: builtinMappings(),
        });
        expect(perPeriod(out.rules, "Case")).toBe(expr);
    });

    it.each([
        ["Sum", 300, "counts datapoints, and AWS/EC2/CPUUtilization is a level derived from counters; add a statistics entry"],
        ["Maximum", 90, "period 90s is not a whole number of minutes"],
    ])("should report the counter-derived statistic %s over %ss as unsupported", (statistic, period, reason) => {
        const out = translateAlarms(alarm({ Namespace: "AWS/EC2", MetricName: "CPUUtilization", Statistic: statistic, Period: period }), {
            mappings: builtinMappings(),
        });
        expect(out.unsupported[0].reason).toContain(reason);
    });

    it("should report a dimension the mapping does not know", () => {
        const out = translateAlarms(alarm({ Dimensions: [{ Name: "Region", Value: "eu" }] }), { mappings: builtinMappings() });
        expect(out.unsupported[0].reason).toBe("dimension Region has no label in the mapping of FlaskApp/EndpointLatency; add it to the mapping file");
    });

    it("should give colliding alert names a number", () => {
        const doc = { MetricAlarms: [alarm({ AlarmName: "api latency" }).MetricAlarms![0], alarm({ AlarmName: "api-latency" }).MetricAlarms![0]] };
        expect(rulesOf(translateAlarms(doc, { mappings: builtinMappings() }).rules).map((r) => r.alert)).toEqual(["ApiLatency", "ApiLatency2"]);
    });

    it("should write an empty rule file when nothing translates", () => {
        const out = translateAlarms({ CompositeAlarms: [{ AlarmName: "c", AlarmRule: "ALARM(a)" }] }, { mappings: [] });
        expect(yaml.load(out.rules)).toEqual({ groups: [] });
    });
});

describe("translator helpers", () => {
    it.each([
        [60, "1m"],
        [300, "5m"],
        [90, "90s"],
        [3600, "1h"],
        [86400, "24h"],
    ])("promDuration(%s) should be %s", (seconds, duration) => expect(promDuration(seconds)).toBe(duration));

    it.each([
        ["web-1 CPU high", "Web1CPUHigh"],
        ["5xx errors", "CloudWatch5xxErrors"],
        ["already_Named", "AlreadyNamed"],
    ])("alertNameOf(%s) should be %s", (name, alert) => expect(alertNameOf(name)).toBe(alert));

    it.each([
        ["AWS/ELB", "RequestCount", "Sum", "aws_elb_request_count_sum"],
        ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", "aws_applicationelb_httpcode_target_5xx_count_sum"],
        ["AWS/RDS", "FreeStorageSpace", "Minimum", "aws_rds_free_storage_space_minimum"],
        ["AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", "aws_sqs_approximate_age_of_oldest_message_maximum"],
        ["AWS/EC2", "CPUUtilization", "Average", "aws_ec2_cpuutilization_average"],
    ])("yaceMetricName(%s, %s, %s) should be %s", (ns, metric, stat, name) => expect(yaceMetricName(ns, metric, stat)).toBe(name));

    it.each([
        ["not a list", "namespace: x", "must be a YAML list of mappings"],
        ["an unknown key", "- {namespace: A, metric: B, histogram: h, colour: red}", 'entry 1: unknown key "colour"'],
        [
            "both kinds",
            "- {namespace: A, metric: B, histogram: h, gauge: 'up', series: up}",
            "must have one of histogram, gauge and rate, not histogram and gauge",
        ],
        ["a rate without its range", "- {namespace: A, metric: B, rate: 'rate(x_total[5m])', series: x_total}", "rate of A/B must be PromQL with %{range}"],
        ["a gauge without series", "- {namespace: A, metric: B, gauge: 'up'}", "needs series"],
        ["a bad label", "- {namespace: A, metric: B, histogram: h, dimensions: {Host: 'bad-label'}}", "dimension Host must map to a label name or null"],
    ])("parseMappings should reject %s", (_name, text, message) => {
        expect(() => parseMappings(text, "m.yml")).toThrow(message);
    });

    it.each([
        ["not JSON", "{", "not JSON"],
        ["a list", "[]", "must be an object with MetricAlarms"],
        ["no alarms", "{}", "has neither MetricAlarms nor CompositeAlarms"],
        [
            "an alarm without a name",
            '{"MetricAlarms": [{"ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1}]}',
            "MetricAlarms[0] lacks AlarmName",
        ],
    ])("parseDescribeAlarms should reject %s", (_name, text, message) => {
        expect(() => parseDescribeAlarms(text, "in.json")).toThrow(`in.json: `);
        expect(() => parseDescribeAlarms(text, "in.json")).toThrow(message);
    });
});

describe("translate-alarms CLI", () => {
    const cli = (args: string[]) => runProjectScript("translate-alarms", args);

    it("should print the rules on stdout and the report on stderr", () => {
        const result = cli([path.join(fixtures, "describe-alarms.json"), "--actions", path.join(fixtures, "actions.yml")]);
        expect(result.status).toBe(0);
        expect(result.stdout).toBe(translation.rules);
        expect(result.stderr.split("\n")[0]).toMatch(/^\d+ translated, \d+ approximated, 6 not translated$/);
        expect(result.stderr).toContain("not translated web-down-composite [composite]");
    });

    it("should exit 1 with --strict when an alarm was not translated", () => {
        expect(cli([path.join(fixtures, "describe-alarms.json"), "--strict"]).status).toBe(1);
    });

    it("should exit 2 with a clear message on bad input", () => {
        const result = cli([path.join(fixtures, "mappings.yml")]);
        expect(result.status).toBe(2);
        expect(result.stderr).toMatch(/^translate-alarms: .*mappings\.yml: not JSON/);
    });
});

describe("routing from the alarms' actions", () => {
    const routed = (name: string) => translation.translated.find((t) => t.alarm === name)!;

    it("should give each alarm the severity of its SNS topics, mute those that notify nobody, and drop resolved notifications without OKActions", () => {
        expect(ruleNamed(translation.rules, "FlaskRootLatencyHigh").labels).toEqual({ severity: "critical", source: "cloudwatch" });
        expect(ruleNamed(translation.rules, "Web1CpuHigh").labels).toEqual({ severity: "warning", notify: "none", source: "cloudwatch" });
        expect(routed("web-1-cpu-high").routing).toBe("muted: its actions are disabled (ActionsEnabled false), so CloudWatch notifies nobody");
        expect(routed("memory-used-90").routing).toBe("muted: it has no alarm actions, so CloudWatch notifies nobody");
        expect(ruleNamed(translation.rules, "RootDisk85").labels).toEqual({ severity: "warning", notify_resolved: "false", source: "cloudwatch" });
        expect(routed("root-disk-85").approximations).toContain(
            "alarm action arn:aws:automate:us-east-1:ec2:reboot is not an SNS topic (an EC2, Auto Scaling or Systems Manager action) and is not reproduced",
        );
        expect(routed("rds-free-storage-low").approximations).toContain(
            "SNS topic arn:aws:sns:us-east-1:123456789012:dba-pager is not in the actions file: routed as warning",
        );
    });

    it("should notify silent alarms when the actions file says so, and take the most severe topic", () => {
        const both = { ...actions, silentAlarms: "notify" as const };
        const out = translateAlarms(
            alarm({ ActionsEnabled: false, AlarmActions: ["arn:aws:sns:us-east-1:123456789012:ops-warnings", "arn:aws:sns:us-east-1:123456789012:oncall"] }),
            { mappings: builtinMappings(), actions: both },
        );
        expect(ruleNamed(out.rules, "Case").labels).toEqual({ severity: "critical", notify_resolved: "false", source: "cloudwatch" });
    });

    it("should report each alarm as translated, approximated with what differs, or not translated with why", () => {
        const report = formatReport(translation);
        expect(report.split("\n")[0]).toBe(
            `${translationCounts(translation).translated} translated, ${translationCounts(translation).approximated} approximated, 6 not translated`,
        );
        expect(report).toMatch(/^ {2}translated {3}flask-requests-per-minute-low -> FlaskRequestsPerMinuteLow \[warning\]$/m);
        expect(report).toMatch(/^ {2}approximated flask-root-p95-latency -> FlaskRootP95Latency \[warning\]\n {6}differs: p95 is estimated/m);
        expect(routed("flask-root-latency-high").status).toBe("approximated");
    });

    it.each([
        ["not a mapping", "- a", "must be a mapping"],
        ["an unknown key", "colour: red", 'unknown key "colour"'],
        ["a topic that is not an ARN", "topics: {ops: critical}", "topics key ops is not an SNS topic ARN"],
        ["an unknown severity", "topics: {'arn:aws:sns:us-east-1:123456789012:ops': page}", 'is "page"; use critical, warning, info'],
        ["an unknown silentAlarms", "silentAlarms: drop", 'silentAlarms is "drop"; use mute or notify'],
    ])("parseAlarmActions should refuse %s, naming the file", (_what, text, message) => {
        expect(() => parseAlarmActions(text, "actions.yml")).toThrow(`actions.yml: `);
        expect(() => parseAlarmActions(text, "actions.yml")).toThrow(message);
    });
});
