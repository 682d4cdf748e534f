import * as yaml from "js-yaml";
import type { AlarmActionsPolicy } from "../cloudwatch/alarmActions";
import { MetricAlarm, translateAlarms } from "../cloudwatch/translateAlarms";
import { run, tempTree } from "./support/tools";

/*
 * When a translated alarm fires and resolves, against CloudWatch's own rule, minute by minute:
 * CloudWatch aggregates the samples of each period [kP, (k+1)P) into one datapoint with the
 * alarm's statistic, and is in ALARM while at least DatapointsToAlarm of the last
 * EvaluationPeriods complete periods breach. The reference model below computes that state at
 * every minute; promtool must find the translated rule firing at exactly those minutes.
 */
const sampleSeconds = 15;
const topic = "arn:aws:sns:us-east-1:123456789012:ops";
const actions: AlarmActionsPolicy = { topics: { [topic]: "warning" }, defaultSeverity: "warning", silentAlarms: "mute" };
const mapping = { namespace: "Test", metric: "Level", gauge: "level%{selector}", series: "level", dimensions: {} };

interface Shape {
    readonly name: string;
    readonly period: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    readonly statistic: "Average" | "Maximum" | "Minimum";
    readonly operator: "GreaterThanThreshold" | "LessThanThreshold";
    readonly threshold: number;
    /** The metric's value at a second. */
    readonly level: (second: number) => number;
    readonly minutes: number;
}

const compare = { GreaterThanThreshold: (v: number, t: number) => v > t, LessThanThreshold: (v: number, t: number) => v < t };
const statistic = {
    Average: (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length,
    Maximum: (xs: number[]) => Math.max(...xs),
    Minimum: (xs: number[]) => Math.min(...xs),
};

/** CloudWatch's state at minute `minute`: ALARM when M of the last N complete periods breach. */
function cloudWatchAlarm(shape: Shape, minute: number): boolean {
    const now = minute * 60;
    const lastComplete = Math.floor(now / shape.period) - 1;
    let breaching = 0;
    for (let k = lastComplete - shape.evaluationPeriods + 1; k <= lastComplete; k++) {
        if (k < 0) continue; // no data before the series starts: not breaching
        const samples: number[] = [];
        for (let s = k * shape.period; s < (k + 1) * shape.period; s += sampleSeconds) samples.push(shape.level(s));
        if (compare[shape.operator](statistic[shape.statistic](samples), shape.threshold)) breaching++;
    }
    return breaching >= shape.datapointsToAlarm;
}

const shapes: Shape[] = [
    {
        name: "Period 5m, 3 of 3, Average: a breach from minute 2 to minute 26",
        period: 300,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        statistic: "Average",
        operator: "GreaterThanThreshold",
        threshold: 80,
        level: (s) => (s >= 120 && s < 1560 ? 95 : 10),
        minutes: 45,
    },
    {
        name: "Period 1m, 3 of 5, Maximum: every other minute breaching, then steady",
        period: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        statistic: "Maximum",
        operator: "GreaterThanThreshold",
        threshold: 90,
        level: (s) => (s < 600 ? (Math.floor(s / 60) % 2 === 0 ? 95 : 20) : s < 900 ? 95 : 20),
        minutes: 25,
    },
    {
        name: "Period 1m, 3 of 3, Maximum: 95% for 45 s of every minute, 50% at the minute mark",
        period: 60,
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        statistic: "Maximum",
        operator: "GreaterThanThreshold",
        threshold: 90,
        level: (s) => (s >= 600 ? 10 : s % 60 === 0 ? 50 : 95),
        minutes: 20,
    },
    {
        name: "Period 1m, 2 of 2, Minimum: the same series dips to 50% once a minute",
        period: 60,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        statistic: "Minimum",
        operator: "LessThanThreshold",
        threshold: 60,
        level: (s) => (s >= 600 ? 95 : s % 60 === 0 ? 50 : 95),
        minutes: 20,
    },
    {
        name: "Period 2m, 1 of 2, Minimum: a single dip",
        period: 120,
        evaluationPeriods: 2,
        datapointsToAlarm: 1,
        statistic: "Minimum",
        operator: "LessThanThreshold",
        threshold: 5,
        level: (s) => (s >= 420 && s < 435 ? 1 : 50),
        minutes: 20,
    },
    {
        name: "Period 5m, 1 of 1, Average",
        period: 300,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        statistic: "Average",
        operator: "GreaterThanThreshold",
        threshold: 50,
        level: (s) => (s >= 300 && s < 900 ? 60 : 40),
        minutes: 25,
    },
];

describe("translated alarms fire and resolve when CloudWatch would, minute by minute (promtool test rules)", () => {
    it.each(shapes.map((shape) => [shape.name, shape] as const))("%s", (_name, shape) => {
        const alarm: MetricAlarm = {
            AlarmName: "timing",
            Namespace: "Test",
            MetricName: "Level",
            Statistic: shape.statistic,
            Period: shape.period,
            EvaluationPeriods: shape.evaluationPeriods,
            DatapointsToAlarm: shape.datapointsToAlarm,
            Threshold: shape.threshold,
            ComparisonOperator: shape.operator,
            AlarmActions: [topic],
            OKActions: [topic],
        };
        const translation = translateAlarms({ MetricAlarms: [alarm] }, { mappings: [mapping], actions, sampleInterval: sampleSeconds });
        expect(translation.translated.map((t) => [t.status, t.approximations])).toEqual([["translated", []]]);

        const samples = Array.from({ length: (shape.minutes * 60) / sampleSeconds + 1 }, (_, i) => shape.level(i * sampleSeconds));
        const expected = Array.from({ length: shape.minutes }, (_, i) => cloudWatchAlarm(shape, i + 1));
        // The series both fires and resolves, or stays quiet where it should: the test can fail.
        expect(expected).toContain(true);
        expect(expected.slice(expected.indexOf(true))).toContain(false);
        const tests = {
            rule_files: ["cloudwatch.yml"],
            evaluation_interval: "1m",
            tests: [
                {
                    interval: `${sampleSeconds}s`,
                    input_series: [{ series: 'level{instance="host:9100"}', values: samples.join(" ") }],
                    alert_rule_test: expected.map((firing, i) => ({
                        eval_time: `${i + 1}m`,
                        alertname: "Timing",
                        exp_alerts: firing
                            ? [
                                  {
                                      exp_labels: { severity: "warning", source: "cloudwatch", instance: "host:9100" },
                                      exp_annotations: expect.anything(),
                                  },
                              ]
                            : [],
                    })),
                },
            ],
        };
        // promtool compares annotations too: take them from the rule.
        const rule = (yaml.load(translation.rules) as { groups: { rules: { annotations: Record<string, string> }[] }[] }).groups[0].rules[0];
        for (const step of tests.tests[0].alert_rule_test) for (const a of step.exp_alerts) a.exp_annotations = rule.annotations;
        const dir = tempTree({ "cloudwatch.yml": translation.rules, "timing.test.yml": yaml.dump(tests, { lineWidth: -1 }) });
        const result = run("promtool", ["test", "rules", "timing.test.yml"], { cwd: dir });
        expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({ status: 0, output: expect.stringContaining("SUCCESS") });
    });
});
