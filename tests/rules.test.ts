import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { fillPlaceholders, renderRuleFiles, ruleFileNames, ruleTemplate, ruleTemplateNames } from "../components/prometheus/alertRules";
import { alertThresholdsFrom } from "../components/prometheus/prometheus.module";
import { defaultSettings } from "./support/defaultSettings";
import { run, tempTree } from "./support/tools";

const testsDir = path.join(__dirname, "..", "configs", "rules", "tests");
const testFiles = fs.readdirSync(testsDir).filter((f) => f.endsWith(".test.yml"));

/** Rule files as deployed with Pulumi.yaml's default thresholds, for the topology the unit tests assume. */
const rendered = renderRuleFiles({
    thresholds: alertThresholdsFrom(defaultSettings()),
    flaskAppMetrics: true,
    logs: true,
    expectedTargets: { prometheus: 1, alertmanager: 1, node: 2, flask_app: 1 },
});

interface RuleGroup {
    rules: { alert?: string; labels?: Record<string, string>; annotations?: Record<string, string> }[];
}
const alerts = Object.values(rendered).flatMap((text) => (yaml.load(text) as { groups: RuleGroup[] }).groups.flatMap((g) => g.rules));
const alertNames = [...new Set(alerts.map((r) => r.alert!))].sort();

describe("alert rules", () => {
    it("should hold every alert the project promises", () => {
        expect(alertNames).toEqual(
            [
                "AlertmanagerFailedToSendAlerts",
                "AppHighAverageLatency",
                "AppHighErrorRatio",
                "AppHighP95Latency",
                "AppNoTraffic",
                "HighCPUUsage",
                "HostClockNotSynchronising",
                "HostDiskIoSaturated",
                "HostFilesystemFillingUp",
                "HostFilesystemFillingUpSoon",
                "HostInodesRunningOut",
                "HostMemoryPressure",
                "HostSystemdUnitFailed",
                "InstanceDown",
                "LogAlertsNotSent",
                "LogRulesFailing",
                "LogShipperDown",
                "LogStoreIngestionErrors",
                "LogStoreNearItsDiskCap",
                "LogStoreReadOnly",
                "LogStoreRowsDropped",
                "PrometheusConfigReloadFailed",
                "PrometheusNotConnectedToAlertmanagers",
                "PrometheusRuleEvaluationFailures",
                "TargetsMissing",
                "Watchdog",
            ].sort(),
        );
    });

    it("should give every alert a severity, a summary, a description and a runbook link", () => {
        for (const rule of alerts) {
            expect({ alert: rule.alert, severity: rule.labels?.severity }).toEqual({
                alert: rule.alert,
                severity: expect.stringMatching(/^(none|info|warning|critical)$/),
            });
            expect(Object.keys(rule.annotations ?? {}).sort()).toEqual(["description", "runbook_url", "summary"]);
            expect(rule.annotations!.runbook_url).toBe(`docs/runbooks.md#${rule.alert!.toLowerCase()}`);
        }
    });

    it("should have a runbook section for every alert in docs/runbooks.md", () => {
        const runbooks = fs.readFileSync(path.join(__dirname, "..", "docs", "runbooks.md"), "utf8");
        for (const name of alertNames) expect({ name, documented: runbooks.includes(`\n## ${name}\n`) }).toEqual({ name, documented: true });
    });

    it.each(Object.keys(rendered))("should pass promtool check rules: %s", (name) => {
        const dir = tempTree({ [`${name}.yml`]: rendered[name] });
        const result = run("promtool", ["check", "rules", `${name}.yml`], { cwd: dir });
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
    });

    it.each(testFiles)("should pass promtool test rules: %s", (testFile) => {
        const dir = tempTree({
            ...Object.fromEntries(Object.entries(rendered).map(([name, text]) => [`rules/${name}.yml`, text])),
            [`rules/tests/${testFile}`]: fs.readFileSync(path.join(testsDir, testFile), "utf8"),
        });
        const result = run("promtool", ["test", "rules", `rules/tests/${testFile}`], { cwd: dir });
        expect(result.stdout + result.stderr).toContain("SUCCESS");
        expect(result.status).toBe(0);
    });

    it("should test that every alert fires when it should and stays silent when it should", () => {
        const firing = new Set<string>();
        const silent = new Set<string>();
        for (const file of testFiles) {
            const doc = yaml.load(fs.readFileSync(path.join(testsDir, file), "utf8")) as {
                tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
            };
            for (const check of doc.tests.flatMap((t) => t.alert_rule_test ?? [])) {
                (check.exp_alerts && check.exp_alerts.length > 0 ? firing : silent).add(check.alertname);
            }
        }
        expect([...firing].sort()).toEqual(alertNames);
        // Watchdog always fires by design; every other alert has a silent case.
        expect([...silent].sort()).toEqual(alertNames.filter((n) => n !== "Watchdog"));
    });
});

describe("rule rendering", () => {
    it("should fill every placeholder with its setting", () => {
        const settings = defaultSettings({ alertCpuUserRatio: "0.9", alertCpuFor: "10m" });
        const hosts = renderRuleFiles({ thresholds: alertThresholdsFrom(settings), flaskAppMetrics: true, expectedTargets: {} }).hosts;
        expect(hosts).toContain('avg by (instance) (rate(node_cpu_seconds_total{mode="user"}[1m])) > 0.9\n        for: "10m"');
        for (const text of Object.values(rendered)) expect(text).not.toMatch(/%\{/);
    });

    it("should refuse a template placeholder without a value", () => {
        expect(() => fillPlaceholders("for: %{missing}", {})).toThrow("rule template placeholder %{missing} has no value");
    });

    it("should leave the app's rules out when the app reports to CloudWatch only", () => {
        expect(ruleFileNames({ flaskAppMetrics: false })).toEqual(["availability", "hosts", "meta", "targets"]);
        expect(ruleFileNames({ flaskAppMetrics: true, extra: { cloudwatch: "" } })).toEqual([
            "availability",
            "cloudwatch",
            "flask-app",
            "hosts",
            "meta",
            "targets",
        ]);
    });

    it("should keep every template loadable as YAML before rendering", () => {
        for (const name of ruleTemplateNames) expect(() => yaml.load(ruleTemplate(name))).not.toThrow();
    });
});
