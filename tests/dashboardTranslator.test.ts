import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { prepareDashboard } from "../components/grafana/importDashboard";
import { parseCloudWatchDashboard } from "../cloudwatch/dashboards/dashboardBody";
import { translateMetricMath } from "../cloudwatch/dashboards/metricMath";
import { expandMetricRows } from "../cloudwatch/dashboards/metricRows";
import { alarmAlertsOf, dashboardUid, DashboardTranslation, translateDashboard } from "../cloudwatch/dashboards/translateDashboard";
import { builtinMappings } from "../cloudwatch/metricMappings";
import { parseDescribeAlarms, translateAlarms } from "../cloudwatch/translateAlarms";
import { dashboardSchemaProblems } from "./support/grafanaSchema";
import { evaluateStack, sharedFixture, stagedText, UserSettings } from "./support/stackUnderMocks";
import { run, runProjectScript, tempTree } from "./support/tools";

const fixtures = path.join(__dirname, "fixtures", "cloudwatch", "dashboards");
const fixtureFiles = fs
    .readdirSync(fixtures)
    .filter((f) => f.endsWith(".json"))
    .sort();
const mappings = builtinMappings();
const alarms = translateAlarms(
    parseDescribeAlarms(fs.readFileSync(path.join(__dirname, "fixtures", "cloudwatch", "describe-alarms.json"), "utf8"), "describe-alarms.json"),
    {
        mappings,
    },
);
const options = { mappings, sampleInterval: 15, logs: true, logGroups: [], alarmAlerts: alarmAlertsOf(alarms) };
const translations: Record<string, DashboardTranslation> = Object.fromEntries(
    fixtureFiles.map((file) => {
        const translation = translateDashboard(parseCloudWatchDashboard(fs.readFileSync(path.join(fixtures, file), "utf8"), file), options);
        return [translation.name, translation];
    }),
);

type Panel = {
    id: number;
    type: string;
    title?: string;
    gridPos: object;
    targets?: { refId: string; expr: string; interval?: string; legendFormat?: string }[];
    options?: Record<string, unknown>;
};
const panelsOf = (name: string) => (JSON.parse(translations[name].json) as { panels: Panel[] }).panels;
const statuses = (name: string) => translations[name].widgets.map((w) => `${w.status}: ${w.widget}`);

/** The dashboard as the stack stores it: the export form's datasource inputs filled in by the same import as dashboard 1860's. */
function prepared(translation: DashboardTranslation): unknown {
    return JSON.parse(
        prepareDashboard(translation.json, { datasourceUid: "prometheus", dashboardUid: translation.uid, logsDatasourceUid: "victorialogs" }, translation.name),
    );
}

describe("CloudWatch dashboards translated into Grafana dashboards (npm run translate-dashboards)", () => {
    it("should translate the fixtures with a status per widget, each difference and each reason named", () => {
        expect(Object.keys(translations).sort()).toEqual(["alb-prod", "flask-app", "lambda-thumbnails", "rds-orders", "web-fleet"]);
        expect(statuses("flask-app")).toEqual([
            'translated: widgets[0] metric "EndpointLatency of GET /"',
            'approximated: widgets[1] metric "p99 latency of GET /"',
            'translated: widgets[2] metric "Requests to GET /"',
            "not translated: widgets[3] explorer",
        ]);
        expect(statuses("web-fleet")).toEqual([
            "translated: widgets[0] text",
            'approximated: widgets[1] metric "EC2 CPU"',
            'approximated: widgets[2] metric "Busiest minute of web-1"',
            'approximated: widgets[3] metric "Memory used"',
            'approximated: widgets[4] metric "Disk used by mount"',
            'translated: widgets[5] alarm "Fleet alarms"',
        ]);
        expect(statuses("lambda-thumbnails")).toContain('not translated: widgets[5] log "Parsed duration"');
        expect(translations["lambda-thumbnails"].widgets[5].reason).toBe("its query is not translated: the command parse has no LogsQL equivalent here");
        expect(translations["alb-prod"].widgets[4].differences).toContain(
            "not shown: band: metric math ANOMALY_DETECTION_BAND(m1, 2): the function ANOMALY_DETECTION_BAND has no PromQL equivalent here",
        );
        // Every approximated widget names at least one difference; every widget not translated says why.
        for (const translation of Object.values(translations)) {
            for (const widget of translation.widgets) {
                if (widget.status === "approximated") expect(widget.differences.length).toBeGreaterThan(0);
                if (widget.status === "not translated") expect(widget.reason).toEqual(expect.any(String));
            }
        }
    });

    it("should keep each widget's place and size on the 24-column grid, with a text panel saying why where a widget is not translated", () => {
        const body = JSON.parse(JSON.parse(fs.readFileSync(path.join(fixtures, "web-fleet.json"), "utf8")).DashboardBody) as {
            widgets: { x: number; y: number; width: number; height: number }[];
        };
        expect(panelsOf("web-fleet").map((p) => p.gridPos)).toEqual(body.widgets.map((w) => ({ x: w.x, y: w.y, w: w.width, h: w.height })));
        const explorer = panelsOf("flask-app")[3];
        expect(explorer.type).toBe("text");
        expect(explorer.options?.content).toContain("Not translated from CloudWatch");
    });

    it("should read the guide's EndpointLatency through the alarms' mapping, at the widget's period, as the Flask dashboard's panel does", () => {
        const [latency] = panelsOf("flask-app")[0].targets!;
        expect(latency).toMatchObject({
            refId: "m1",
            interval: "60s",
            expr: 'sum by (path, method) (rate(flask_http_request_duration_seconds_sum{path="/",method="GET"}[1m])) / sum by (path, method) (rate(flask_http_request_duration_seconds_count{path="/",method="GET"}[1m]))',
        });
        expect(panelsOf("flask-app")[2].targets![0]).toMatchObject({
            legendFormat: "requests",
            expr: expect.stringContaining("increase(flask_http_request_duration_seconds_count"),
        });
    });

    it("should give the views their panels, stacked graphs, axes, thresholds and a metric math ratio over hidden rows", () => {
        expect(panelsOf("web-fleet").map((p) => p.type)).toEqual(["text", "timeseries", "stat", "gauge", "bargauge", "alertlist"]);
        expect(panelsOf("alb-prod").map((p) => p.type)).toEqual(["timeseries", "timeseries", "timeseries", "piechart", "timeseries", "alertlist"]);
        const ratio = panelsOf("alb-prod")[1];
        expect(ratio.targets!.map((t) => t.refId)).toEqual(["ratio"]);
        expect(ratio.targets![0].expr).toBe(
            '100 * (avg_over_time(aws_applicationelb_httpcode_target_5xx_count_sum{dimension_LoadBalancer="app/web-prod/50dc6c495c0c9188"}[5m])) / (avg_over_time(aws_applicationelb_request_count_sum{dimension_LoadBalancer="app/web-prod/50dc6c495c0c9188"}[5m]))',
        );
        const cpu = JSON.parse(translations["web-fleet"].json).panels[1];
        expect(cpu.fieldConfig.defaults).toMatchObject({
            min: 0,
            max: 100,
            thresholds: { mode: "absolute", steps: [{ color: "transparent" }, { value: 80, color: "#d62728" }] },
        });
        expect(cpu.fieldConfig.defaults.custom.thresholdsStyle).toEqual({ mode: "line" });
        const latency = JSON.parse(translations["alb-prod"].json).panels[2];
        expect(latency.fieldConfig.overrides).toEqual([
            {
                matcher: { id: "byFrameRefID", options: "m2" },
                properties: [
                    { id: "custom.axisPlacement", value: "right" },
                    { id: "custom.axisLabel", value: "Seconds (p99)" },
                    { id: "min", value: 0 },
                ],
            },
        ]);
        expect(JSON.parse(translations["alb-prod"].json).panels[0].fieldConfig.defaults.custom.stacking).toEqual({ mode: "normal" });
        expect(panelsOf("web-fleet")[2].options).toMatchObject({ reduceOptions: { calcs: ["max"] }, graphMode: "area" });
    });

    it("should turn a property variable into a template variable on the dimension's label, and dynamic labels into legends", () => {
        const rds = JSON.parse(translations["rds-orders"].json);
        expect(rds.templating.list).toEqual([
            expect.objectContaining({ name: "db", type: "custom", label: "Database", query: "orders-primary,orders-replica-1", multi: true, includeAll: true }),
        ]);
        expect(rds.panels[0].targets[0].expr).toBe('avg_over_time(aws_rds_cpuutilization_average{dimension_DBInstanceIdentifier=~"${db:regex}"}[5m])');
        expect(rds.panels[1].targets[0].legendFormat).toBe("Free storage of {{dimension_DBInstanceIdentifier}}");
    });

    it("should list the translated alarms' alerts in an alarm status widget, and say which alarms were not translated", () => {
        const list = panelsOf("web-fleet")[5];
        expect(list.options).toMatchObject({
            alertInstanceLabelFilter: '{alertname=~"Web1CPUHigh|MemoryUsed90|RootDisk85"}',
            stateFilter: { firing: true, normal: true },
        });
        const withoutOne = translateDashboard(parseCloudWatchDashboard(fs.readFileSync(path.join(fixtures, "web-fleet.json"), "utf8"), "web-fleet.json"), {
            ...options,
            alarmAlerts: new Map([["web-1 CPU high", ["Web1CPUHigh"]]]),
        });
        expect(withoutOne.widgets[5].differences).toContain("alarm memory-used-90 was not translated (see the alarm report), so the list cannot show it");
        // A widget that graphs an alarm shows the alarm's alerts, and says it no longer draws the graph.
        expect(panelsOf("alb-prod")[5].options).toMatchObject({ alertInstanceLabelFilter: '{alertname=~"ElbNoRequests|ElbNoRequestsNoData"}' });
        expect(translations["alb-prod"].widgets[5].differences).toEqual([
            "the alarm's graph (its metric and threshold) is shown as its alert's state in an alert list",
        ]);
    });

    it("should read a Logs Insights filter and a count by bin from the log store, and report log widgets when logs is off", () => {
        const [errors, perBin] = panelsOf("lambda-thumbnails").slice(3, 5);
        expect(errors.type).toBe("logs");
        expect(errors.targets![0]).toMatchObject({ expr: 'log_group:="/aws/lambda/make-thumbnail" _msg:~"ERROR"', maxLines: 50 });
        expect(perBin.targets![0]).toMatchObject({
            expr: 'log_group:="/aws/lambda/make-thumbnail" _msg:~"ERROR" | stats count() as lines',
            step: "5m",
            queryType: "statsRange",
        });
        expect(JSON.parse(translations["lambda-thumbnails"].json).__inputs.map((i: { name: string }) => i.name)).toEqual(["DS_PROMETHEUS", "DS_VICTORIALOGS"]);
        const off = translateDashboard(parseCloudWatchDashboard(fs.readFileSync(path.join(fixtures, "lambda-thumbnails.json"), "utf8"), "x"), {
            ...options,
            logs: false,
        });
        expect(off.widgets[3]).toMatchObject({
            status: "not translated",
            reason: "a Logs Insights query reads the log store, and logs is off (pulumi config set logs true)",
        });
    });

    it("should name each CloudWatch metric without a mapping for the bridge, as the alarms do", () => {
        expect(translations["lambda-thumbnails"].bridged.map((m) => `${m.metric} ${m.statistic} ${m.period}`)).toEqual([
            "Invocations Sum 60",
            "Errors Sum 60",
            "Duration p95 300",
            "Duration Maximum 300",
            "Invocations Sum 300",
        ]);
        expect(translations["flask-app"].bridged).toEqual([]);
    });

    it.each(fixtureFiles)("should write %s as a dashboard that validates against Grafana's published dashboard and panel schemas", (file) => {
        const translation = Object.values(translations).find((t) => `${t.name}.json` === file)!;
        expect(dashboardSchemaProblems(prepared(translation))).toEqual([]);
    });

    it("should find a dashboard the schema refuses: the check can fail", () => {
        const translation = translations["web-fleet"];
        const broken = prepared(translation) as { panels: { gridPos: unknown; options: Record<string, unknown> }[] };
        broken.panels[1].gridPos = { x: "left" };
        broken.panels[2].options.graphMode = "sparkline";
        expect(dashboardSchemaProblems(broken)).toEqual(
            expect.arrayContaining([
                expect.stringContaining("dashboard/panels/1/gridPos/x must be number"),
                expect.stringContaining("panels[2] (stat) options/graphMode must be equal to one of the allowed values"),
            ]),
        );
    });

    it("should write only PromQL that promtool's parser accepts, with the dashboard's variables filled in", () => {
        const exprs = Object.values(translations).flatMap((t) =>
            (JSON.parse(t.json).panels as Panel[]).flatMap((p) =>
                (p.targets ?? []).filter(() => (p as { datasource?: { type: string } }).datasource?.type === "prometheus").map((target) => target.expr),
            ),
        );
        expect(exprs.length).toBeGreaterThan(25);
        const rules = {
            groups: [
                { name: "panels", rules: exprs.map((expr, i) => ({ record: `panel:query${i}`, expr: expr.replace(/\$\{db:regex\}/g, "orders-primary") })) },
            ],
        };
        const result = run("promtool", ["check", "rules", "panels.yml"], { cwd: tempTree({ "panels.yml": yaml.dump(rules, { lineWidth: -1 }) }) });
        expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({
            status: 0,
            output: expect.stringContaining(`SUCCESS: ${exprs.length} rules found`),
        });
    });

    it("should derive the uid from the dashboard's name: a re-run updates the same dashboard, different names never collide", () => {
        expect(dashboardUid("web-fleet")).toBe("cloudwatch-web-fleet");
        expect(dashboardUid("Web Fleet")).toMatch(/^cloudwatch-web-fleet-[0-9a-f]{8}$/);
        expect(dashboardUid("Web Fleet")).not.toBe(dashboardUid("web fleet"));
        const long = dashboardUid("a-very-long-dashboard-name-for-the-orders-service-in-production");
        expect(long.length).toBeLessThanOrEqual(40);
        expect(dashboardUid("a-very-long-dashboard-name-for-the-orders-service-in-production")).toBe(long);
    });
});

describe("CloudWatch's metrics list and metric math", () => {
    it("should expand the . and ... shorthands as CloudWatch does", () => {
        const rows = expandMetricRows([
            ["AWS/EC2", "CPUUtilization", "InstanceId", "i-1"],
            ["...", "i-2"],
            [".", "NetworkIn", ".", "i-3", { stat: "Sum", id: "net" }],
            ["...", { stat: "Maximum" }],
        ]);
        expect(Array.isArray(rows) && rows.map((r) => [r.id, r.metric?.name, r.metric?.dimensions.map((d) => d.Value).join(), r.options.stat])).toEqual([
            ["m1", "CPUUtilization", "i-1", undefined],
            ["m2", "CPUUtilization", "i-2", undefined],
            ["net", "NetworkIn", "i-3", "Sum"],
            ["m4", "NetworkIn", "i-3", "Maximum"],
        ]);
        expect(expandMetricRows([["AWS/EC2"]])).toBe('metrics[0] is not a namespace, a metric name and dimension name-value pairs (["AWS/EC2"])');
        expect(expandMetricRows("x")).toBe("properties.metrics is not a list");
    });

    const rows: Record<string, { promql: string } | { reason: string }> = { m1: { promql: "a" }, m2: { promql: "b" }, m3: { reason: "no mapping" } };
    const query = (id: string) => rows[id];
    it.each([
        ["m1 / m2 * 100", "(a) / (b) * 100"],
        ["(m1 + m2) / 2", "((a) + (b)) / 2"],
        ["SUM([m1, m2])", 'sum(label_replace((a), "cloudwatch_id", "m1", "", "") or label_replace((b), "cloudwatch_id", "m2", "", ""))'],
        ["MAX(METRICS())", 'max(label_replace((a), "cloudwatch_id", "m1", "", "") or label_replace((b), "cloudwatch_id", "m2", "", ""))'],
        ["RATE(m1)", "delta(((a))[5m:5m]) / 300"],
        ["DIFF(m2)", "delta(((b))[5m:5m])"],
        ["ABS(-m1)", "abs(-((a)))"],
        ["m1 / PERIOD(m1)", "(a) / 300"],
        ["FILL(m1, 0)", "((a)) or on() vector(0)"],
        ["2 ^ 3", "vector(2 ^ 3)"],
    ])("should translate %s", (expression, promql) => {
        expect(translateMetricMath(expression, query, ["m1", "m2"], 300)).toMatchObject({ promql });
    });

    it.each([
        ["ANOMALY_DETECTION_BAND(m1, 2)", "the function ANOMALY_DETECTION_BAND has no PromQL equivalent here"],
        ["SUM(m1)", "SUM of a single series is one number for the whole time range"],
        ["m1 + m3", "it reads m3, which is not translated (no mapping)"],
        ["m1 + m9", "it names m9, which is no row of the widget"],
        ["SEARCH('{AWS/EC2,InstanceId} CPUUtilization', \"Average\", 300)", "SEARCH with a text argument has no PromQL equivalent"],
        ["FILL(m1, REPEAT)", "it names REPEAT, which is no row of the widget"],
        ["m1 +", "expected a value at the end"],
    ])("should report %s as not translated", (expression, reason) => {
        const result = translateMetricMath(expression, query, ["m1", "m2"], 300);
        expect("reason" in result && result.reason).toContain(reason);
    });
});

describe("npm run translate-dashboards", () => {
    it("should write one dashboard per file under --out, report to standard error, and fail --strict on anything approximated", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "dashboards-"));
        const args = [path.join(fixtures, "flask-app.json"), path.join(fixtures, "web-fleet.json"), "--out", out];
        const result = runProjectScript("translate-dashboards", args);
        expect(result.status).toBe(0);
        expect(fs.readdirSync(out).sort()).toEqual(["cloudwatch-flask-app.json", "cloudwatch-web-fleet.json"]);
        expect(result.stderr).toContain("4 widgets translated, 5 approximated, 1 not translated");
        expect(runProjectScript("translate-dashboards", [...args, "--strict"]).status).toBe(1);
    });

    it.each([
        ["a file that is not JSON", "{", "not JSON"],
        [
            "a body without widgets",
            '{"DashboardName": "x", "DashboardBody": "{}"}',
            "the dashboard body has no widgets list; give the output of aws cloudwatch get-dashboard",
        ],
        ["a widget with a negative position", '{"widgets": [{"type": "text", "x": -1}]}', "widgets[0].x is -1, not a whole number of grid units"],
    ])("should refuse %s with exit 2, naming the file, and write nothing", (_name, text, message) => {
        const dir = tempTree({ "bad.json": text });
        const out = path.join(dir, "out");
        const result = runProjectScript("translate-dashboards", [path.join(dir, "bad.json"), "--out", out]);
        expect(result.status).toBe(2);
        expect(result.stderr).toContain("bad.json");
        expect(result.stderr).toContain(message);
        expect(fs.existsSync(out)).toBe(false);
    });
});

describe("the stack deploys the dashboards of cloudwatchDashboardsDir (under mocks)", () => {
    const user: UserSettings = {
        values: {
            sshPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop"],
            adminCidrs: ["203.0.113.7/32"],
            dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json"),
            cloudwatchDashboardsDir: fixtures,
            cloudwatchAlarmsFile: path.join(__dirname, "fixtures", "cloudwatch", "describe-alarms.json"),
            cloudwatchBridge: true,
            logs: true,
        },
        secrets: {
            sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key\n-----END OPENSSH PRIVATE KEY-----\n",
            cloudwatchBridgeAccessKeyId: "AKIAEXAMPLEBRIDGE",
            cloudwatchBridgeSecretAccessKey: "bridge-secret-key",
        },
    };

    it("should declare each translated dashboard beside dashboard 1860, wired to the stack's datasources, and have the bridge read their metrics", async () => {
        const stack = await evaluateStack("dev", user);
        const dashboards = stack.resources.filter((r) => r.type === "grafana:oss/dashboard:Dashboard");
        const byUid = Object.fromEntries(dashboards.map((d) => [JSON.parse(String(d.inputs.configJson)).uid, d]));
        expect(Object.keys(byUid).sort()).toEqual([
            "cloudwatch-alb-prod",
            "cloudwatch-flask-app",
            "cloudwatch-lambda-thumbnails",
            "cloudwatch-rds-orders",
            "cloudwatch-web-fleet",
            "flask-app",
            "node-exporter-full",
        ]);
        // The same folder as the others; the datasources are the stack's, no input left to fill in.
        expect(new Set(dashboards.map((d) => JSON.stringify(d.inputs.folder))).size).toBe(1);
        const lambda = String(byUid["cloudwatch-lambda-thumbnails"].inputs.configJson);
        expect(lambda).not.toMatch(/\$\{DS_/);
        expect(lambda).toMatch(/"uid": "prometheus"/);
        expect(lambda).toMatch(/"type": "victoriametrics-logs-datasource",\s*"uid": "victoria-logs"/);
        const config = stagedText(stack.stagings().find((r) => r.name.endsWith("yace.config.yml"))!);
        expect(config).toContain("AWS/Lambda");
        expect(config).toContain("AWS/ApplicationELB");
        expect(config).toContain("AWS/ELB");
    });

    it("should refuse an unreadable cloudwatchDashboardsDir, or one holding a file that is no dashboard, before creating anything", async () => {
        await expect(evaluateStack("dev", { ...user, values: { ...user.values, cloudwatchDashboardsDir: "no/such/dir" } })).rejects.toThrow(
            /cloudwatchDashboardsDir = "no\/such\/dir": cannot be read: ENOENT/,
        );
        const dir = tempTree({ "orders.json": '{"DashboardName": "orders", "DashboardBody": "{\\"widgets\\": 3}"}' });
        await expect(evaluateStack("dev", { ...user, values: { ...user.values, cloudwatchDashboardsDir: dir } })).rejects.toThrow(
            /cloudwatchDashboardsDir = ".*": cannot be used: .*orders.json: the dashboard body has no widgets list/,
        );
    });
});
