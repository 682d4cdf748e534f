import * as yaml from "js-yaml";
import { findMapping, MetricMapping } from "./metricMappings";

/** A dimension of a CloudWatch metric. */
export interface Dimension {
    readonly Name: string;
    readonly Value: string;
}

/** One entry of describe-alarms' Metrics (metric math and anomaly detection alarms). */
export interface MetricDataQuery {
    readonly Id: string;
    readonly Expression?: string;
    readonly ReturnData?: boolean;
    readonly MetricStat?: {
        readonly Metric: { readonly Namespace: string; readonly MetricName: string; readonly Dimensions?: Dimension[] };
        readonly Period: number;
        readonly Stat: string;
        readonly Unit?: string;
    };
}

/** A metric alarm, as `aws cloudwatch describe-alarms` prints it (fields the translator reads). */
export interface MetricAlarm {
    readonly AlarmName: string;
    readonly AlarmDescription?: string;
    readonly Namespace?: string;
    readonly MetricName?: string;
    readonly Dimensions?: Dimension[];
    readonly Statistic?: string;
    readonly ExtendedStatistic?: string;
    readonly Period?: number;
    readonly Unit?: string;
    readonly EvaluationPeriods: number;
    readonly DatapointsToAlarm?: number;
    readonly Threshold?: number;
    readonly ComparisonOperator: string;
    readonly TreatMissingData?: string;
    readonly Metrics?: MetricDataQuery[];
    readonly ThresholdMetricId?: string;
}

/** A composite alarm; never translated, always reported. */
export interface CompositeAlarm {
    readonly AlarmName: string;
    readonly AlarmRule: string;
    readonly AlarmDescription?: string;
}

/** The JSON of `aws cloudwatch describe-alarms`. */
export interface DescribeAlarmsOutput {
    readonly MetricAlarms?: MetricAlarm[];
    readonly CompositeAlarms?: CompositeAlarm[];
}

/** An alarm that became rules, with what the translation had to approximate. */
export interface TranslatedAlarm {
    readonly alarm: string;
    readonly alerts: string[];
    readonly notes: string[];
}

/** An alarm that was not translated, and why. */
export interface UnsupportedAlarm {
    readonly alarm: string;
    readonly kind: "metric-math" | "anomaly-detection" | "composite" | "unsupported-statistic" | "unsupported-comparison" | "invalid";
    readonly reason: string;
}

/** The translation of one describe-alarms document. */
export interface Translation {
    /** A Prometheus rule file (empty group list when nothing translated). */
    readonly rules: string;
    readonly translated: TranslatedAlarm[];
    readonly unsupported: UnsupportedAlarm[];
}

const operators: Record<string, string> = {
    GreaterThanThreshold: ">",
    GreaterThanOrEqualToThreshold: ">=",
    LessThanThreshold: "<",
    LessThanOrEqualToThreshold: "<=",
};
const bandOperators = ["LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"];

/** Seconds as the shortest Prometheus duration: 300 -> 5m, 90 -> 90s. */
export function promDuration(seconds: number): string {
    if (seconds % 3600 === 0) return `${seconds / 3600}h`;
    if (seconds % 60 === 0) return `${seconds / 60}m`;
    return `${seconds}s`;
}

/** A valid, readable alert name from an alarm name: "api 5xx - prod" -> "Api5xxProd". */
export function alertNameOf(alarmName: string): string {
    const words = alarmName.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
    const name = words.map((w) => w[0].toUpperCase() + w.slice(1)).join("");
    return /^[A-Za-z]/.test(name) ? name : `CloudWatch${name}`;
}

/** snake_case as YACE writes metric names: a word break only where a lower-case letter meets an upper-case one. */
function snake(name: string): string {
    return name
        .replace(/([a-z])([A-Z])/g, "$1_$2")
        .replace(/[^A-Za-z0-9]+/g, "_")
        .toLowerCase();
}

/**
 * The metric name YACE exports for a CloudWatch metric and statistic, aws_<namespace>_<metric>_<stat>:
 * AWS/ELB RequestCount Sum -> aws_elb_request_count_sum, AWS/EC2 CPUUtilization -> aws_ec2_cpuutilization_...
 */
export function yaceMetricName(namespace: string, metric: string, statistic: string): string {
    const ns = namespace
        .replace(/^AWS\//, "")
        .replace(/[^A-Za-z0-9]+/g, "_")
        .toLowerCase();
    return `aws_${ns}_${snake(metric)}_${snake(statistic)}`;
}

function quote(value: string): string {
    return JSON.stringify(value);
}

function percentile(statistic: string): number | undefined {
    const match = /^p(\d{1,2}(\.\d+)?)$/.exec(statistic);
    // Through a string, so p99.9 becomes 0.999 and not 0.9990000000000001.
    return match ? Number((Number(match[1]) / 100).toPrecision(10)) : undefined;
}

interface Source {
    readonly namespace: string;
    readonly metric: string;
    readonly dimensions: readonly Dimension[];
    readonly statistic: string;
    readonly period: number;
    readonly unit?: string;
}

/** The metric an alarm watches, from its plain fields or a single-metric Metrics list. */
function sourceOf(alarm: MetricAlarm): Source | UnsupportedAlarm {
    if (alarm.ThresholdMetricId || bandOperators.includes(alarm.ComparisonOperator)) {
        return {
            alarm: alarm.AlarmName,
            kind: "anomaly-detection",
            reason: alarm.ThresholdMetricId
                ? `${alarm.ComparisonOperator} compares against the anomaly detection band ${alarm.ThresholdMetricId}; Prometheus has no band model, write a rule with the bounds you want`
                : `${alarm.ComparisonOperator} needs an anomaly detection band, and the alarm has none (no ThresholdMetricId)`,
        };
    }
    if (alarm.Metrics && alarm.Metrics.length > 0) {
        const single = alarm.Metrics.length === 1 && alarm.Metrics[0].MetricStat && !alarm.Metrics[0].Expression ? alarm.Metrics[0].MetricStat : undefined;
        if (!single) {
            const expressions = alarm.Metrics.filter((m) => m.Expression).map((m) => m.Expression);
            return {
                alarm: alarm.AlarmName,
                kind: "metric-math",
                reason: `metric math (${expressions.join("; ") || `${alarm.Metrics.length} metrics`}) is not translated; write the PromQL by hand from the mapped series`,
            };
        }
        return {
            namespace: single.Metric.Namespace,
            metric: single.Metric.MetricName,
            dimensions: single.Metric.Dimensions ?? [],
            statistic: single.Stat,
            period: single.Period,
            unit: single.Unit,
        };
    }
    const statistic = alarm.ExtendedStatistic ?? alarm.Statistic;
    if (!alarm.Namespace || !alarm.MetricName || !statistic || !alarm.Period) {
        return { alarm: alarm.AlarmName, kind: "invalid", reason: "has no Namespace, MetricName, Statistic/ExtendedStatistic or Period" };
    }
    return { namespace: alarm.Namespace, metric: alarm.MetricName, dimensions: alarm.Dimensions ?? [], statistic, period: alarm.Period, unit: alarm.Unit };
}

interface Expression {
    readonly expr: string;
    /** Series whose absence means no data. */
    readonly absent: string;
    readonly notes: string[];
}

function labelSelector(source: Source, mapping: MetricMapping | undefined, notes: string[]): { selector: string; matchers: string; labels: string[] } {
    const matchers: string[] = [];
    const labels: string[] = [];
    for (const dimension of source.dimensions) {
        if (!mapping) {
            matchers.push(`dimension_${dimension.Name}=${quote(dimension.Value)}`);
            continue;
        }
        if (!(dimension.Name in mapping.dimensions)) {
            throw new Error(`dimension ${dimension.Name} has no label in the mapping of ${source.namespace}/${source.metric}; add it to the mapping file`);
        }
        const label = mapping.dimensions[dimension.Name];
        if (label === null) {
            notes.push(`dimension ${dimension.Name}=${dimension.Value} dropped: the Prometheus series have no such label, so the rule covers every target`);
        } else {
            matchers.push(`${label}=${quote(dimension.Value)}`);
            labels.push(label);
        }
    }
    return { selector: matchers.length > 0 ? `{${matchers.join(",")}}` : "", matchers: matchers.map((m) => `,${m}`).join(""), labels };
}

function expressionOf(source: Source, mapping: MetricMapping | undefined): Expression | string {
    const notes: string[] = [];
    const p = percentile(source.statistic);
    const window = promDuration(source.period);
    let selection;
    try {
        selection = labelSelector(source, mapping, notes);
    } catch (error) {
        return (error as Error).message;
    }
    const { selector, matchers, labels } = selection;
    if (!mapping) {
        const name = yaceMetricName(source.namespace, source.metric, source.statistic);
        notes.push(
            `no mapping for ${source.namespace}/${source.metric}: uses ${name}, as YACE (yet-another-cloudwatch-exporter) exports it; run YACE for this metric or add a mapping`,
        );
        return { expr: `${name}${selector}`, absent: `${name}${selector}`, notes };
    }
    if (mapping.note) notes.push(mapping.note);
    const by = labels.join(", ");
    const absentSeries = `${mapping.series ?? `${mapping.histogram}_count`}${selector}`;
    const explicit = mapping.statistics?.[source.statistic];
    if (explicit) {
        const expr = explicit
            .replace(/%\{selector\}/g, selector)
            .replace(/%\{matchers\}/g, matchers)
            .replace(/%\{period\}/g, window);
        return { expr, absent: absentSeries, notes };
    }
    if (mapping.histogram) {
        const h = mapping.histogram;
        const sumBy = `sum by (${by})`;
        switch (true) {
            case source.statistic === "Average":
                return {
                    expr: `${sumBy} (rate(${h}_sum${selector}[${window}])) / ${sumBy} (rate(${h}_count${selector}[${window}]))`,
                    absent: `${h}_count${selector}`,
                    notes,
                };
            case source.statistic === "Sum":
                return { expr: `${sumBy} (increase(${h}_sum${selector}[${window}]))`, absent: `${h}_count${selector}`, notes };
            case source.statistic === "SampleCount":
                return { expr: `${sumBy} (increase(${h}_count${selector}[${window}]))`, absent: `${h}_count${selector}`, notes };
            case p !== undefined:
                notes.push(`${source.statistic} is estimated from the histogram buckets`);
                return {
                    expr: `histogram_quantile(${p}, sum by (${["le", ...labels].join(", ")}) (rate(${h}_bucket${selector}[${window}])))`,
                    absent: `${h}_count${selector}`,
                    notes,
                };
            case source.statistic === "Maximum" || source.statistic === "Minimum":
                return `statistic ${source.statistic} has no histogram equivalent (a histogram keeps no exact maximum or minimum); use a percentile such as p99`;
            default:
                return unsupportedStatistic(source);
        }
    }
    if (!mapping.gauge) {
        return `statistic ${source.statistic} is not among the statistics the mapping of ${source.namespace}/${source.metric} lists`;
    }
    const gauge = mapping.gauge.replace(/%\{selector\}/g, selector).replace(/%\{matchers\}/g, matchers);
    const over = (fn: string): string => `${fn}((${gauge})[${window}:1m])`;
    switch (true) {
        case source.statistic === "Average":
            return { expr: over("avg_over_time"), absent: `${mapping.series}${selector}`, notes };
        case source.statistic === "Maximum":
            return { expr: over("max_over_time"), absent: `${mapping.series}${selector}`, notes };
        case source.statistic === "Minimum":
            return { expr: over("min_over_time"), absent: `${mapping.series}${selector}`, notes };
        case p !== undefined:
            return { expr: `quantile_over_time(${p}, (${gauge})[${window}:1m])`, absent: `${mapping.series}${selector}`, notes };
        case source.statistic === "Sum" || source.statistic === "SampleCount":
            return `statistic ${source.statistic} counts datapoints, and ${source.namespace}/${source.metric} is mapped to a level; add a statistics entry for it to the mapping`;
        default:
            return unsupportedStatistic(source);
    }
}

function unsupportedStatistic(source: Source): string {
    return `statistic ${source.statistic} has no PromQL equivalent (trimmed means, winsorized means, percentile ranks and trimmed counts are not translated); use Average or a percentile`;
}

/** Options of the translation. */
export interface TranslateOptions {
    /** Mappings tried first (user mappings, then the built-in ones). */
    readonly mappings: readonly MetricMapping[];
    /** Severity label of every translated rule. */
    readonly severity?: string;
}

/**
 * Translates describe-alarms output into one Prometheus rule group. Pure and deterministic
 * (alarms in name order). Nothing is dropped silently: every alarm is in `translated` or in
 * `unsupported`, with the reason.
 */
export function translateAlarms(doc: DescribeAlarmsOutput, options: TranslateOptions): Translation {
    const translated: TranslatedAlarm[] = [];
    const unsupported: UnsupportedAlarm[] = [];
    const rules: object[] = [];
    const usedNames = new Set<string>();
    const uniqueName = (base: string): string => {
        let name = base;
        for (let i = 2; usedNames.has(name); i++) name = `${base}${i}`;
        usedNames.add(name);
        return name;
    };

    const alarms = [...(doc.MetricAlarms ?? [])].sort((a, b) => a.AlarmName.localeCompare(b.AlarmName));
    for (const alarm of alarms) {
        const source = sourceOf(alarm);
        if ("kind" in source) {
            unsupported.push(source);
            continue;
        }
        const operator = operators[alarm.ComparisonOperator];
        if (!operator) {
            unsupported.push({
                alarm: alarm.AlarmName,
                kind: "unsupported-comparison",
                reason: `ComparisonOperator ${alarm.ComparisonOperator} is not one of ${Object.keys(operators).join(", ")}`,
            });
            continue;
        }
        if (typeof alarm.Threshold !== "number") {
            unsupported.push({ alarm: alarm.AlarmName, kind: "invalid", reason: "has no Threshold" });
            continue;
        }
        const mapping = findMapping(options.mappings, source.namespace, source.metric);
        const expression = expressionOf(source, mapping);
        if (typeof expression === "string") {
            unsupported.push({ alarm: alarm.AlarmName, kind: "unsupported-statistic", reason: expression });
            continue;
        }
        const notes = [...expression.notes];
        let threshold = alarm.Threshold;
        if (mapping?.histogram && source.unit === "Milliseconds") {
            threshold = alarm.Threshold / 1000;
            notes.push(`threshold ${alarm.Threshold} ms became ${threshold} s, the unit of Prometheus histograms`);
        }
        const datapoints = alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods;
        if (datapoints < alarm.EvaluationPeriods) {
            notes.push(
                `${datapoints} of ${alarm.EvaluationPeriods} datapoints became ${datapoints} consecutive periods (for: ${promDuration(source.period * datapoints)})`,
            );
        }
        const forDuration = promDuration(source.period * datapoints);
        const alert = uniqueName(alertNameOf(alarm.AlarmName));
        const labels = { severity: options.severity ?? "warning", source: "cloudwatch" };
        const description =
            alarm.AlarmDescription ??
            `${source.namespace}/${source.metric} ${source.statistic} ${alarm.ComparisonOperator} ${alarm.Threshold} for ${datapoints} period(s) of ${source.period}s.`;
        rules.push({
            alert,
            expr: `${expression.expr} ${operator} ${threshold}`,
            for: forDuration,
            labels,
            annotations: { summary: alarm.AlarmName, description, cloudwatch_alarm: alarm.AlarmName },
        });
        const alerts = [alert];
        if (alarm.TreatMissingData === "breaching") {
            const missing = uniqueName(`${alert}NoData`);
            rules.push({
                alert: missing,
                expr: `absent(${expression.absent})`,
                for: forDuration,
                labels,
                annotations: {
                    summary: `${alarm.AlarmName}: no data`,
                    description: `No data for ${alarm.AlarmName}; CloudWatch treated missing data as breaching.`,
                    cloudwatch_alarm: alarm.AlarmName,
                },
            });
            alerts.push(missing);
        } else if (alarm.TreatMissingData === "ignore") {
            notes.push("TreatMissingData ignore: Prometheus keeps no alarm state across gaps; a gap resolves the alert");
        }
        translated.push({ alarm: alarm.AlarmName, alerts, notes });
    }
    for (const composite of [...(doc.CompositeAlarms ?? [])].sort((a, b) => a.AlarmName.localeCompare(b.AlarmName))) {
        unsupported.push({
            alarm: composite.AlarmName,
            kind: "composite",
            reason: `composite alarm (${composite.AlarmRule}) combines other alarms; use Alertmanager inhibition or a rule over ALERTS`,
        });
    }
    const text =
        "# Translated from CloudWatch alarms by the monitoring project's alarm translator.\n" +
        yaml.dump({ groups: rules.length > 0 ? [{ name: "cloudwatch-alarms", rules }] : [] }, { lineWidth: -1, noRefs: true });
    return { rules: text, translated, unsupported };
}

/** Checks the shape of a describe-alarms document; `source` names it in errors. */
export function parseDescribeAlarms(text: string, source: string): DescribeAlarmsOutput {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (error) {
        throw new Error(`${source}: not JSON (${(error as Error).message}); give the output of aws cloudwatch describe-alarms --output json`);
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
        throw new Error(`${source}: must be an object with MetricAlarms and/or CompositeAlarms, as aws cloudwatch describe-alarms prints`);
    }
    const d = doc as Record<string, unknown>;
    if (d.MetricAlarms === undefined && d.CompositeAlarms === undefined) {
        throw new Error(`${source}: has neither MetricAlarms nor CompositeAlarms`);
    }
    (Array.isArray(d.MetricAlarms) ? d.MetricAlarms : []).forEach((alarm: unknown, i: number) => {
        const a = alarm as Record<string, unknown>;
        if (typeof a?.AlarmName !== "string" || typeof a.ComparisonOperator !== "string" || typeof a.EvaluationPeriods !== "number") {
            throw new Error(`${source}: MetricAlarms[${i}] lacks AlarmName, ComparisonOperator or EvaluationPeriods`);
        }
    });
    return d as DescribeAlarmsOutput;
}

/** A human-readable report of a translation, for standard error. */
export function formatReport(translation: Translation): string {
    const lines = [`translated ${translation.translated.length} alarm(s), could not translate ${translation.unsupported.length}`];
    for (const t of translation.translated) {
        lines.push(`  ok   ${t.alarm} -> ${t.alerts.join(", ")}`);
        for (const note of t.notes) lines.push(`         note: ${note}`);
    }
    for (const u of translation.unsupported) lines.push(`  skip ${u.alarm} [${u.kind}]: ${u.reason}`);
    return lines.join("\n") + "\n";
}
