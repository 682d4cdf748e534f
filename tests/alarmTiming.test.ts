import * as yaml from "js-yaml";
import type { AlarmActionsPolicy } from "../cloudwatch/alarmActions";
import type { MetricMapping } from "../cloudwatch/metricMappings";
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

/** The values CloudWatch aggregates in period k of a gauge: its samples in [kP, (k+1)P). */
function gaugeValues(shape: Shape, k: number): number[] {
    const samples: number[] = [];
    for (let s = k * shape.period; s < (k + 1) * shape.period; s += sampleSeconds) samples.push(shape.level(s));
    return samples;
}

/** CloudWatch's state at minute `minute`: ALARM when M of the last N complete periods breach. */
function cloudWatchAlarm(shape: Shape, minute: number, values: (shape: Shape, k: number) => number[] = gaugeValues): boolean {
    const now = minute * 60;
    const lastComplete = Math.floor(now / shape.period) - 1;
    let breaching = 0;
    for (let k = lastComplete - shape.evaluationPeriods + 1; k <= lastComplete; k++) {
        if (k < 0) continue; // no data before the series starts: not breaching
        if (compare[shape.operator](statistic[shape.statistic](values(shape, k)), shape.threshold)) breaching++;
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

/**
 * Translates the shape's alarm on `metric`, runs promtool over the metric's samples (every 15 s)
 * and checks the rule fires at exactly the minutes `expected` says; returns the translation's
 * approximations.
 */
function expectFiringAt(shape: Shape, metric: { name: string; mapping: MetricMapping; series: string; samples: number[] }, expected: boolean[]): string[] {
    const alarm: MetricAlarm = {
        AlarmName: "timing",
        Namespace: "Test",
        MetricName: metric.name,
        Statistic: shape.statistic,
        Period: shape.period,
        EvaluationPeriods: shape.evaluationPeriods,
        DatapointsToAlarm: shape.datapointsToAlarm,
        Threshold: shape.threshold,
        ComparisonOperator: shape.operator,
        AlarmActions: [topic],
        OKActions: [topic],
    };
    const translation = translateAlarms({ MetricAlarms: [alarm] }, { mappings: [metric.mapping], actions, sampleInterval: sampleSeconds });
    expect(translation.unsupported).toEqual([]);
    // The series both fires and resolves, or stays quiet where it should: the test can fail.
    expect(expected).toContain(true);
    expect(expected.slice(expected.indexOf(true))).toContain(false);
    // promtool compares annotations too: take them from the rule.
    const rule = (yaml.load(translation.rules) as { groups: { rules: { annotations: Record<string, string> }[] }[] }).groups[0].rules[0];
    const tests = {
        rule_files: ["cloudwatch.yml"],
        evaluation_interval: "1m",
        tests: [
            {
                interval: `${sampleSeconds}s`,
                input_series: [{ series: `${metric.series}{instance="host:9100"}`, values: metric.samples.join(" ") }],
                alert_rule_test: expected.map((firing, i) => ({
                    eval_time: `${i + 1}m`,
                    alertname: "Timing",
                    exp_alerts: firing
                        ? [{ exp_labels: { severity: "warning", source: "cloudwatch", instance: "host:9100" }, exp_annotations: rule.annotations }]
                        : [],
                })),
            },
        ],
    };
    const dir = tempTree({ "cloudwatch.yml": translation.rules, "timing.test.yml": yaml.dump(tests, { lineWidth: -1 }) });
    const result = run("promtool", ["test", "rules", "timing.test.yml"], { cwd: dir });
    expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({ status: 0, output: expect.stringContaining("SUCCESS") });
    return translation.translated[0].approximations;
}

describe("translated alarms fire and resolve when CloudWatch would, minute by minute (promtool test rules)", () => {
    it.each(shapes.map((shape) => [shape.name, shape] as const))("%s", (_name, shape) => {
        const samples = Array.from({ length: (shape.minutes * 60) / sampleSeconds + 1 }, (_, i) => shape.level(i * sampleSeconds));
        const expected = Array.from({ length: shape.minutes }, (_, i) => cloudWatchAlarm(shape, i + 1));
        expect(expectFiringAt(shape, { name: "Level", mapping, series: "level", samples }, expected)).toEqual([]);
    });
});

/*
 * A level derived from a counter, as CPUUtilization is from node_cpu_seconds_total: the shape's
 * level is the percentage of each second spent busy, the counter the seconds spent busy so far.
 * CloudWatch's datapoints are the busy share of each minute (detailed monitoring); a period's
 * Average is the share of the whole period, its Maximum the busiest minute.
 */
const counterMapping: MetricMapping = {
    namespace: "Test",
    metric: "Busy",
    rate: "100 * rate(busy_seconds_total%{selector}%{range})",
    series: "busy_seconds_total",
    dimensions: {},
};

/** The busy share of each second of [from, to), in percent. */
function busyShares(shape: Shape, from: number, to: number): number[] {
    return Array.from({ length: to - from }, (_, i) => shape.level(from + i));
}

/** CloudWatch's values of period k of a counter-derived level: the busy share of each minute of it. */
function minuteValues(shape: Shape, k: number): number[] {
    const minute = Math.min(60, shape.period);
    return Array.from({ length: shape.period / minute }, (_, m) => {
        const start = k * shape.period + m * minute;
        return statistic.Average(busyShares(shape, start, start + minute));
    });
}

/** The counter at every scrape: the busy seconds before it. */
function busyCounter(shape: Shape): number[] {
    let busy = 0;
    return Array.from({ length: (shape.minutes * 60) / sampleSeconds + 1 }, (_, i) => {
        if (i > 0) busy += (statistic.Average(busyShares(shape, (i - 1) * sampleSeconds, i * sampleSeconds)) * sampleSeconds) / 100;
        return Number(busy.toFixed(6));
    });
}

const counterShapes: Shape[] = [
    {
        name: "Period 5m, 2 of 2, Average above 80: idle, then fully busy from exactly a period boundary (minute 10) to minute 25",
        period: 300,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        statistic: "Average",
        operator: "GreaterThanThreshold",
        threshold: 80,
        level: (s) => (s >= 600 && s < 1500 ? 100 : 2),
        minutes: 40,
    },
    {
        name: "Period 5m, 1 of 1, Average above 40: fully busy from the middle of a period (minute 12.5) to minute 22.5",
        period: 300,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        statistic: "Average",
        operator: "GreaterThanThreshold",
        threshold: 40,
        level: (s) => (s >= 750 && s < 1350 ? 100 : 2),
        minutes: 35,
    },
    {
        name: "Period 1m, 1 of 1, Average above 10: a 10 s burst between two scrapes, which a sampled rate misses",
        period: 60,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        statistic: "Average",
        operator: "GreaterThanThreshold",
        threshold: 10,
        level: (s) => (s >= 603 && s < 613 ? 100 : 1),
        minutes: 15,
    },
    {
        name: "Period 5m, 1 of 1, Maximum above 50: 40 s busy in one minute, a period Average of 14%",
        period: 300,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        statistic: "Maximum",
        operator: "GreaterThanThreshold",
        threshold: 50,
        level: (s) => (s >= 790 && s < 830 ? 100 : 1),
        minutes: 25,
    },
];

describe("alarms on a level derived from counters fire and resolve when CloudWatch would, minute by minute (promtool test rules)", () => {
    it.each(counterShapes.map((shape) => [shape.name, shape] as const))("%s", (_name, shape) => {
        const expected = Array.from({ length: shape.minutes }, (_, i) => cloudWatchAlarm(shape, i + 1, minuteValues));
        const approximations = expectFiringAt(
            shape,
            { name: "Busy", mapping: counterMapping, series: "busy_seconds_total", samples: busyCounter(shape) },
            expected,
        );
        // The Average is exact; the Maximum holds where the metric is published every minute, and says so.
        expect(approximations).toEqual(shape.statistic === "Average" ? [] : [expect.stringContaining("per-minute values")]);
    });

    it("should go to ALARM one period before the earlier translation (a rate over 2m sampled at every scrape) on the step at a period boundary, as CloudWatch does", () => {
        const shape = counterShapes[0];
        const cloudWatch = Array.from({ length: shape.minutes }, (_, i) => cloudWatchAlarm(shape, i + 1, minuteValues));
        expect(cloudWatch.indexOf(true) + 1).toBe(20);
        // The earlier mapping's first busy period averages below 80 (the rate's window reaches into the idle one before).
        const sampledRate: MetricMapping = { ...counterMapping, rate: undefined, gauge: "100 * rate(busy_seconds_total%{selector}[2m])" };
        // It goes to ALARM one period after CloudWatch (minute 25), and back to OK with it (minute 30).
        const onePeriodLate = cloudWatch.map((firing, i) => firing && i + 1 >= 20 + shape.period / 60);
        expectFiringAt(shape, { name: "Busy", mapping: sampledRate, series: "busy_seconds_total", samples: busyCounter(shape) }, onePeriodLate);
    });
});
