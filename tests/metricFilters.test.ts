import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { parseAlarmActions } from "../cloudwatch/alarmActions";
import { filterPatternToLogsql } from "../cloudwatch/filterPattern";
import { parseDescribeMetricFilters } from "../cloudwatch/metricFilters";
import { builtinMappings, parseMappingFile, parseMappings } from "../cloudwatch/metricMappings";
import { formatReport, parseDescribeAlarms, translateAlarms } from "../cloudwatch/translateAlarms";
import { LocalLogStore, sendRecords, startLogStore } from "./support/logStore";
import { evaluateStack } from "./support/stackUnderMocks";
import { twoMachineHostsUser } from "./support/stackUsers";
import { pinnedBinary, run, runProjectScript, tempTree } from "./support/tools";

/*
 * Alarms on CloudWatch Logs metric filters' metrics, translated into vmalert log rules over the
 * log store: the filter patterns as LogsQL, the statistic and M of N periods, the report; every
 * rule parsed by the pinned vmalert, and its query run against the pinned VictoriaLogs on lines
 * whose CloudWatch datapoints are known.
 */
const fixtures = path.join(__dirname, "fixtures", "cloudwatch");
const read = (file: string) => fs.readFileSync(path.join(fixtures, file), "utf8");
const alarms = parseDescribeAlarms(read("describe-alarms-metric-filters.json"), "describe-alarms-metric-filters.json");
const metricFilters = parseDescribeMetricFilters(read("describe-metric-filters.json"), "describe-metric-filters.json");
const logGroups = parseMappingFile(read("mappings.yml"), "mappings.yml").logGroups;
const actions = parseAlarmActions(read("actions.yml"), "actions.yml");
const translation = translateAlarms(alarms, {
    mappings: [...parseMappings(read("mappings.yml"), "mappings.yml"), ...builtinMappings()],
    actions,
    metricFilters,
    logGroups,
    logs: true,
});
type LogRule = { alert: string; expr: string; for?: string; labels: Record<string, string> };
const logGroupsOf = (text: string) => (yaml.load(text) as { groups: { name: string; type: string; interval: string; rules: LogRule[] }[] }).groups;
const logRule = (alert: string) =>
    logGroupsOf(translation.logRules!)
        .flatMap((g) => g.rules)
        .find((r) => r.alert === alert)!;
const vmalertBinary = () => pinnedBinary("vmutils/v1.151.0/vmutils-linux-amd64-v1.151.0.tar.gz", "vmalert-prod");

describe("CloudWatch filter patterns as LogsQL", () => {
    it.each([
        ["every line", "", "*", []],
        ["a term", "ERROR", '"ERROR"', []],
        ["every term", "ERROR Exception", '"ERROR" "Exception"', []],
        ["a quoted phrase", '"put_metric_data failed"', '"put_metric_data failed"', []],
        ["any of the terms", "?ERROR ?CRITICAL", '("ERROR" OR "CRITICAL")', []],
        ["a term and an excluded one", "ERROR -Retrying", '"ERROR" NOT "Retrying"', []],
        ["an excluded term alone", "-DEBUG", '* NOT "DEBUG"', []],
        ["a regular expression", "%[Ee]rror|[Ff]ail%", '~"[Ee]rror|[Ff]ail"', []],
        ["a JSON string", '{ $.level = "ERROR" }', "*", ['| unpack_json from _msg fields (level) result_prefix "cw."', '| filter cw.level:="ERROR"']],
        [
            "JSON numbers, || and && and parentheses",
            '{ ($.status >= 500 || $.status = 429) && $.path != "/health" }',
            "*",
            [
                '| unpack_json from _msg fields (path, status) result_prefix "cw."',
                '| filter ((cw.status:>=500 or cw.status:range[429, 429]) and NOT cw.path:="/health")',
            ],
        ],
        ["a JSON boolean", "{ $.error IS TRUE }", "*", ['| unpack_json from _msg fields (error) result_prefix "cw."', '| filter cw.error:="true"']],
        ["a missing JSON field", "{ $.user NOT EXISTS }", "*", ['| unpack_json from _msg fields (user) result_prefix "cw."', '| filter cw.user:""']],
        ["a JSON prefix", "{ $.eventType = Upd* }", "*", ['| unpack_json from _msg fields (eventType) result_prefix "cw."', '| filter cw.eventType:="Upd"*']],
    ])("should translate %s", (_name, pattern, filter, pipes) => {
        expect(filterPatternToLogsql(pattern)).toEqual({ filter, pipes });
    });

    it.each([
        ["space-delimited patterns", "[ip, user, status=5*]", "space-delimited patterns ([field, field, ...]) are not translated"],
        ["array selectors", "{ $.items[0] = 1 }", "array selectors such as $.items[0] are not translated"],
        ["IS NULL", "{ $.x IS NULL }", "IS NULL is not translated"],
        ["? mixed with required terms", "?ERROR WARN", "? alternatives mixed with required or excluded terms are not translated"],
        ["a wildcard inside a value", '{ $.a = "x*y" }', 'the wildcard in "x*y" is translated only at the end of a value'],
        ["a comparison of a string with <", '{ $.a < "x" }', "< compares numbers"],
        ["an unclosed parenthesis", "{ ($.a = 1 }", "a ( without its )"],
    ])("should refuse %s with the reason", (_name, pattern, reason) => {
        const result = filterPatternToLogsql(pattern);
        expect("reason" in result ? result.reason : "").toContain(reason);
    });
});

describe("alarms on metric filters' metrics", () => {
    it("should report each alarm translated, approximated (and how) or not translated (and why)", () => {
        expect(formatReport(translation)).toBe(
            [
                "4 translated, 2 approximated, 2 not translated",
                "  translated   flask-app-errors -> FlaskAppErrors (log rule) [critical]",
                "      note: a log rule: vmalert counts the lines of /flask-app that the filter flask-app-errors matches, period by period",
                "      note: a period without a matching line counts 0, as the filter's defaultValue 0 publishes",
                "  translated   flask-app-severe-lines -> FlaskAppSevereLines (log rule) [critical]",
                "      note: a log rule: vmalert counts the lines of /flask-app that the filter flask-app-severe matches, period by period",
                "      note: a period without a matching line counts 0, as the filter's defaultValue 0 publishes",
                "  translated   flask-app-silent -> FlaskAppSilent (log rule) [critical]",
                "      note: a log rule: vmalert counts the lines of /flask-app that the filter flask-app-lines matches, period by period",
                "      note: a period without a matching line counts 0, as the filter's defaultValue 0 publishes",
                "  translated   flask-app-tracebacks -> FlaskAppTracebacks (log rule) [critical]",
                "      note: a log rule: vmalert counts the lines of /flask-app that the filter flask-app-tracebacks matches, period by period",
                "  approximated api-5xx -> Api5xx (log rule) [critical]",
                "      differs: log group /api/json has no logGroup entry in the mapping file: the rule reads the lines npm run import-logs brought from it (log_group); add an entry whose logsql selects where its lines arrive now",
                "      differs: 2 of 3 periods: the log rule fires after 2 consecutive breaching periods (vmalert's for)",
                "      note: a log rule: vmalert counts the lines of /api/json that the filter api-server-errors matches, period by period",
                "      note: a period without a matching line counts 0, as the filter's defaultValue 0 publishes",
                "  approximated api-checkout-slow -> ApiCheckoutSlow (log rule) [critical]",
                "      differs: log group /api/json has no logGroup entry in the mapping file: the rule reads the lines npm run import-logs brought from it (log_group); add an entry whose logsql selects where its lines arrive now",
                "      note: a log rule: vmalert counts the lines of /api/json that the filter api-checkout-latency matches, period by period",
                '  not translated api-4xx [metric-filter]: the filter pattern of api-access-4xx ("[ip, identity, user, timestamp, request, status_code = 4*, size]"): space-delimited patterns ([field, field, ...]) are not translated: extract the fields with LogsQL\'s extract pipe and write the rule by hand',
                "  not translated api-checkout-p99 [metric-filter]: statistic p99 of metricValue $.latency_ms is not translated; alarm on Sum, SampleCount, Average, Minimum or Maximum of a number or a $.field",
                "",
            ].join("\n"),
        );
    });

    it("should evaluate each alarm's period as a vmalert group of that interval, and wait M-1 periods for M of M", () => {
        expect(logGroupsOf(translation.logRules!).map((g) => [g.name, g.type, g.interval, g.rules.map((r) => r.alert)])).toEqual([
            ["cloudwatch-metric-filters-1m", "vlogs", "1m", ["Api5xx", "FlaskAppErrors", "FlaskAppSevereLines"]],
            ["cloudwatch-metric-filters-5m", "vlogs", "5m", ["ApiCheckoutSlow", "FlaskAppSilent", "FlaskAppTracebacks"]],
        ]);
        expect(logRule("FlaskAppErrors").for).toBeUndefined();
        expect(logRule("FlaskAppTracebacks").for).toBe("5m");
        expect(logRule("FlaskAppSilent").for).toBe("10m");
        expect(logRule("FlaskAppErrors")).toMatchObject({
            expr: 'service.name:="flask-app" "ERROR" | stats count() as value | filter value:>0',
            labels: { severity: "critical", source: "cloudwatch" },
        });
        // Only the alarms on metrics are Prometheus's; none here.
        expect(translation.rules).toContain("groups: []");
    });

    it("should leave an alarm on a filter's metric untranslated while the log store is off, and to the bridge without the filters", () => {
        const off = translateAlarms(alarms, { mappings: builtinMappings(), metricFilters, logGroups, logs: false });
        expect(off.unsupported.find((u) => u.alarm === "flask-app-errors")!.reason).toBe(
            "watches FlaskApp/Logs/ErrorCount, which the metric filter flask-app-errors counts in log group /flask-app: its rule counts lines in the log store, and logs is off (pulumi config set logs true)",
        );
        const withoutFilters = translateAlarms(alarms, { mappings: builtinMappings() });
        expect(withoutFilters.bridged.map((b) => b.metric)).toContain("ErrorCount");
        expect(withoutFilters.logRules).toBeUndefined();
    });

    it("should pass the pinned vmalert's -dryRun with every log rule it writes", () => {
        const dir = tempTree({ "cloudwatch-metric-filters.yml": translation.logRules! });
        const result = run(vmalertBinary(), ["-dryRun", "-rule.defaultRuleType=vlogs", "-rule", path.join(dir, "*.yml")]);
        expect({ status: result.status, errors: result.stderr.split("\n").filter((l) => /\t(error|fatal)\t/.test(l)) }).toEqual({ status: 0, errors: [] });
    });

    it.each([
        ["no metricFilters list", "{}", "has no metricFilters list"],
        [
            "a filter without its log group",
            '{"metricFilters":[{"filterName":"a","filterPattern":""}]}',
            "metricFilters[0] lacks filterName, filterPattern or logGroupName",
        ],
        [
            "a transformation without its value",
            '{"metricFilters":[{"filterName":"a","filterPattern":"","logGroupName":"/g","metricTransformations":[{"metricName":"m","metricNamespace":"n"}]}]}',
            "a metric transformation lacks metricName, metricNamespace or metricValue",
        ],
    ])("should refuse describe-metric-filters output with %s", (_name, text, message) => {
        expect(() => parseDescribeMetricFilters(text, "filters.json")).toThrow(message);
    });

    it("should refuse a logGroup entry whose logsql holds a pipe or another key", () => {
        expect(() => parseMappingFile('- logGroup: /a\n  logsql: "x | stats count()"\n', "m.yml")).toThrow("logsql must be a LogsQL filter");
        expect(() => parseMappingFile("- logGroup: /a\n  logsql: x\n  metric: y\n", "m.yml")).toThrow('unknown key "metric" in a logGroup entry');
        expect(parseMappings(read("mappings.yml"), "mappings.yml").map((m) => m.metric)).toEqual(["RequestCount"]);
    });
});

describe("the translated log rules' queries, run against the pinned VictoriaLogs", () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "metric-filters-"));
    let store: LocalLogStore;
    // Two whole minutes in the past, so that the store has indexed them: a busy one, then a quiet one.
    const busy = Math.floor(Date.now() / 300_000) * 300_000 - 600_000;
    const quiet = busy + 60_000;
    const at = (offset: number) => new Date(busy + offset).toISOString();

    beforeAll(async () => {
        store = await startLogStore(work, { username: "monitoring", password: "a-long-enough-web-password" });
        const flask = (offset: number, line: string) => ({ _time: at(offset), _msg: line, "service.name": "flask-app", "host.name": "app" });
        const api = (offset: number, event: object | string) => ({
            _time: at(offset),
            _msg: typeof event === "string" ? event : JSON.stringify(event),
            log_group: "/api/json",
            log_stream: "i-0api",
            source: "cloudwatch-export",
        });
        const lines = [
            flask(1_000, "2026-12-03 10:00:01,000 INFO app A request was received at the root URL"),
            flask(2_000, "2026-12-03 10:00:02,000 ERROR app put_metric_data failed"),
            flask(3_000, '2026-12-03 10:00:03,000 ERROR app request failed\nTraceback (most recent call last):\n  File "app.py", line 52'),
            flask(4_000, "2026-12-03 10:00:04,000 CRITICAL app disk full"),
            flask(5_000, "2026-12-03 10:00:05,000 INFO app A request was received at the long-request URL. Slept for 2 seconds"),
            api(1_000, { status: 500, path: "/checkout/pay", latency_ms: 900 }),
            api(2_000, { status: 503, path: "/orders", latency_ms: 100 }),
            api(3_000, { status: 500, path: "/health", latency_ms: 5 }),
            api(4_000, { status: 200, path: "/checkout/cart", latency_ms: 700 }),
            api(5_000, "not JSON at all: status 500"),
        ];
        await sendRecords(store, lines, ["service.name", "host.name", "log_group", "log_stream"]);
    });

    afterAll(() => {
        store?.process.kill("SIGKILL");
        fs.rmSync(work, { recursive: true, force: true });
    });

    /** The rows of a stats query over [start, end), as vmalert asks it at the end of a period. */
    const statsAt = async (expr: string, start: number, end: number): Promise<number[]> => {
        const query = new URLSearchParams({
            query: expr,
            start: new Date(start).toISOString(),
            end: new Date(end - 1).toISOString(),
            time: new Date(end).toISOString(),
        });
        const response = await fetch(`http://127.0.0.1:${store.port}/select/logsql/stats_query?${query}`, { headers: { Authorization: store.authorization } });
        const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
        return body.data.result.map((r) => Number(r.value[1]));
    };
    /** A rule's datapoint: its query without the threshold. */
    const datapoint = (alert: string) => logRule(alert).expr.replace(/ \| filter value:[<>]=?-?[\d.]+$/, "");

    it.each([
        // alert, CloudWatch's datapoint for the busy minute (or 5 minutes), whether it breaches
        ["FlaskAppErrors", [2], true],
        ["FlaskAppSevereLines", [3], true],
        ["Api5xx", [2], false],
        ["ApiCheckoutSlow", [800], false],
        ["FlaskAppSilent", [5], false],
        ["FlaskAppTracebacks", [1], false],
    ])("should give %s CloudWatch's datapoint %j for the busy period, and breach: %s", async (alert, expected, breaches) => {
        const period = logGroupsOf(translation.logRules!).find((g) => g.rules.some((r) => r.alert === alert))!.interval === "1m" ? 60_000 : 300_000;
        expect(await statsAt(datapoint(alert), busy, busy + period)).toEqual(expected);
        expect((await statsAt(logRule(alert).expr, busy, busy + period)).length).toBe(breaches ? 1 : 0);
    });

    it("should give a quiet period 0 where the filter's defaultValue publishes 0, and no datapoint where it publishes none", async () => {
        expect(await statsAt(datapoint("FlaskAppErrors"), quiet, quiet + 60_000)).toEqual([0]);
        expect(await statsAt(logRule("FlaskAppErrors").expr, quiet, quiet + 60_000)).toEqual([]);
        expect(await statsAt(datapoint("FlaskAppTracebacks"), busy + 300_000, busy + 600_000)).toEqual([]);
        // No line for 5 minutes: the silent app's alarm breaches (0 < 1), as CloudWatch's defaultValue 0 makes it.
        expect(await statsAt(logRule("FlaskAppSilent").expr, busy + 300_000, busy + 600_000)).toEqual([0]);
    });
});

describe("alarms on metric filters in the stack", () => {
    it("should deploy the log rules to vmalert, and no Prometheus rule file when every translated alarm is on a filter", async () => {
        const stack = await evaluateStack(
            "dev",
            twoMachineHostsUser({
                logs: true,
                cloudwatchAlarmsFile: path.join(fixtures, "describe-alarms-metric-filters.json"),
                cloudwatchMetricFiltersFile: path.join(fixtures, "describe-metric-filters.json"),
                cloudwatchMappingFile: path.join(fixtures, "mappings.yml"),
            }),
        );
        expect(stack.staged("monitoring-vmalert-service-stage-vmalert.rules.cloudwatch-metric-filters.yml")).toContain("alert: FlaskAppErrors");
        expect(stack.resources.filter((r) => r.name.includes("prometheus.rules.cloudwatch"))).toEqual([]);
    });
});

describe("translate-alarms CLI with metric filters", () => {
    const cli = (args: string[]) => runProjectScript("translate-alarms", args);

    it("should write the log rules to --log-rules, the Prometheus rules to stdout and the report to stderr", () => {
        const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "log-rules-")), "log-rules.yml");
        const result = cli([
            path.join(fixtures, "describe-alarms-metric-filters.json"),
            ...["--mappings", path.join(fixtures, "mappings.yml"), "--actions", path.join(fixtures, "actions.yml")],
            ...["--metric-filters", path.join(fixtures, "describe-metric-filters.json"), "--log-rules", out],
        ]);
        expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: formatReport(translation) });
        expect(fs.readFileSync(out, "utf8")).toBe(translation.logRules);
        expect(result.stdout).toBe(translation.rules);
    });

    it("should refuse --metric-filters without --log-rules, saying they go together", () => {
        const result = cli([
            path.join(fixtures, "describe-alarms-metric-filters.json"),
            "--metric-filters",
            path.join(fixtures, "describe-metric-filters.json"),
        ]);
        expect(result.status).toBe(2);
        expect(result.stderr).toContain("--metric-filters and --log-rules go together");
    });
});
