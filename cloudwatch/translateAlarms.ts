import * as yaml from "js-yaml";
import { ActionSeverity, actionSeverities, AlarmActionsPolicy, defaultActionsPolicy, isSnsTopic } from "./alarmActions";
import { findMapping, MetricMapping } from "./metricMappings";
import { filterOf, LogGroupMapping, logCondition, MetricFilter } from "./metricFilters";

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
    readonly ActionsEnabled?: boolean;
    readonly AlarmActions?: string[];
    readonly OKActions?: string[];
    readonly InsufficientDataActions?: string[];
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

/**
 * An alarm that became rules: translated when the rules fire and resolve as CloudWatch would and
 * notify as its actions did; approximated when something differs, each difference in
 * `approximations`. `notes` say what the translation did that changes nothing.
 */
export interface TranslatedAlarm {
    readonly alarm: string;
    readonly alerts: string[];
    readonly status: "translated" | "approximated";
    readonly approximations: string[];
    readonly notes: string[];
    /** Where its notifications go: "critical", "warning", "info", or "muted (...)". */
    readonly routing: string;
    /** Who evaluates its rules: Prometheus (an alarm on a metric) or vmalert over the log store (an alarm on a metric filter's metric). */
    readonly evaluator: "prometheus" | "vmalert";
}

/** An alarm that was not translated, and why. */
export interface UnsupportedAlarm {
    readonly alarm: string;
    readonly kind: "metric-math" | "anomaly-detection" | "composite" | "unsupported-statistic" | "unsupported-comparison" | "metric-filter" | "invalid";
    readonly reason: string;
}

/** A CloudWatch metric a translated alarm reads through the CloudWatch bridge (YACE): one without a mapping. */
export interface BridgedMetric {
    readonly namespace: string;
    readonly metric: string;
    readonly dimensions: readonly Dimension[];
    readonly statistic: string;
    /** The alarm's period, in seconds. */
    readonly period: number;
}

/** The translation of one describe-alarms document. */
export interface Translation {
    /** A Prometheus rule file (empty group list when nothing translated). */
    readonly rules: string;
    /** A vmalert rule file of LogsQL rules, for the alarms on metric filters' metrics; undefined when there is none. */
    readonly logRules?: string;
    readonly translated: TranslatedAlarm[];
    readonly unsupported: UnsupportedAlarm[];
    /** What the bridge must read for the translated rules to have their series, in alarm order. */
    readonly bridged: BridgedMetric[];
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

/** One CloudWatch metric with its statistic and period: what an alarm watches, or a dashboard graphs. */
export interface Source {
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

/** The statistic over one period, as PromQL evaluated at the period's end. */
export interface Expression {
    readonly expr: string;
    /** Series whose absence means no data. */
    readonly absent: string;
    readonly notes: string[];
    readonly approximations: string[];
}

/**
 * Offset that makes a range end just before the evaluation time: a range ending at a period's
 * boundary then holds the samples of [start, end), as a CloudWatch period does, not the sample at
 * the boundary, which belongs to the next period.
 */
const periodEnd = "offset 1ms";

/**
 * Where a period's samples end. An alarm counts the sample at a boundary in the next period, as
 * CloudWatch does (`offset 1ms`); a dashboard graphs the period that ends at each point, the
 * boundary's sample included, as a Grafana panel over the same series reads it.
 */
export type PeriodEnd = "exclusive" | "inclusive";

/** Whether a gauge is a plain series selector (its samples can be read directly) rather than an expression. */
function isSelector(promql: string): boolean {
    return /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^{}]*\})?$/.test(promql.trim());
}

function labelSelector(source: Source, mapping: MetricMapping | undefined, approximations: string[]): { selector: string; matchers: string; labels: string[] } {
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
            approximations.push(
                `dimension ${dimension.Name}=${dimension.Value} dropped: the Prometheus series have no such label, so every target's series are read`,
            );
        } else {
            matchers.push(`${label}=${quote(dimension.Value)}`);
            labels.push(label);
        }
    }
    return { selector: matchers.length > 0 ? `{${matchers.join(",")}}` : "", matchers: matchers.map((m) => `,${m}`).join(""), labels };
}

/**
 * The statistic of `source` over each period, as PromQL evaluated at the period's end, through its
 * mapping (or YACE's series when it has none); a string says why it has no translation.
 */
export function periodStatistic(source: Source, mapping: MetricMapping | undefined, sampleInterval: number, end: PeriodEnd = "exclusive"): Expression | string {
    const notes: string[] = [];
    const approximations: string[] = [];
    const p = percentile(source.statistic);
    const window = promDuration(source.period);
    /** A range over the period's samples, ending where `end` says. */
    const periodRange = () => `[${window}]${end === "exclusive" ? ` ${periodEnd}` : ""}`;
    const subqueryRange = (step: number) => `[${window}:${promDuration(step)}]${end === "exclusive" ? ` ${periodEnd}` : ""}`;
    let selection;
    try {
        selection = labelSelector(source, mapping, approximations);
    } catch (error) {
        return (error as Error).message;
    }
    const { selector, matchers, labels } = selection;
    if (!mapping) {
        const name = yaceMetricName(source.namespace, source.metric, source.statistic);
        approximations.push(
            `no mapping for ${source.namespace}/${source.metric}: reads ${name}, CloudWatch's own ${source.statistic} as YACE (yet-another-cloudwatch-exporter) exports it, some minutes behind CloudWatch; run YACE for this metric or add a mapping`,
        );
        const fn = source.statistic === "Maximum" ? "max" : source.statistic === "Minimum" ? "min" : "avg";
        return { expr: `${fn}_over_time(${name}${selector}${periodRange()})`, absent: `${name}${selector}`, notes, approximations };
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
        notes.push(`${source.statistic} is the mapping's own PromQL over the period`);
        return { expr, absent: absentSeries, notes, approximations };
    }
    if (mapping.histogram) {
        const h = mapping.histogram;
        const sumBy = `sum by (${by})`;
        switch (true) {
            case source.statistic === "Average":
                return {
                    expr: `${sumBy} (rate(${h}_sum${selector}${periodRange()})) / ${sumBy} (rate(${h}_count${selector}${periodRange()}))`,
                    absent: `${h}_count${selector}`,
                    notes,
                    approximations,
                };
            case source.statistic === "Sum":
                return { expr: `${sumBy} (increase(${h}_sum${selector}${periodRange()}))`, absent: `${h}_count${selector}`, notes, approximations };
            case source.statistic === "SampleCount":
                return { expr: `${sumBy} (increase(${h}_count${selector}${periodRange()}))`, absent: `${h}_count${selector}`, notes, approximations };
            case p !== undefined:
                approximations.push(`${source.statistic} is estimated from the histogram buckets (linear within a bucket), not from every request`);
                return {
                    expr: `histogram_quantile(${p}, sum by (${["le", ...labels].join(", ")}) (rate(${h}_bucket${selector}${periodRange()})))`,
                    absent: `${h}_count${selector}`,
                    notes,
                    approximations,
                };
            case source.statistic === "Maximum" || source.statistic === "Minimum":
                return `statistic ${source.statistic} has no histogram equivalent (a histogram keeps no exact maximum or minimum); use a percentile such as p99`;
            default:
                return unsupportedStatistic(source);
        }
    }
    if (mapping.rate) {
        return counterExpression(source, mapping.rate.replace(/%\{selector\}/g, selector).replace(/%\{matchers\}/g, matchers), `${mapping.series}${selector}`, {
            notes,
            approximations,
        });
    }
    if (!mapping.gauge) {
        return `statistic ${source.statistic} is not among the statistics the mapping of ${source.namespace}/${source.metric} lists`;
    }
    const gauge = mapping.gauge.replace(/%\{selector\}/g, selector).replace(/%\{matchers\}/g, matchers);
    // Every sample of the period: the series' own samples, or an expression evaluated at every scrape.
    let samples: string;
    if (isSelector(gauge)) {
        samples = `${gauge.trim()}${periodRange()}`;
    } else {
        samples = `(${gauge})${subqueryRange(sampleInterval)}`;
        approximations.push(
            `the statistic is taken over the expression evaluated every ${promDuration(sampleInterval)} (the scrape interval), not over CloudWatch's datapoints`,
        );
    }
    const absent = `${mapping.series}${selector}`;
    switch (true) {
        case source.statistic === "Average":
            return { expr: `avg_over_time(${samples})`, absent, notes, approximations };
        case source.statistic === "Maximum":
            return { expr: `max_over_time(${samples})`, absent, notes, approximations };
        case source.statistic === "Minimum":
            return { expr: `min_over_time(${samples})`, absent, notes, approximations };
        case p !== undefined:
            return { expr: `quantile_over_time(${p}, ${samples})`, absent, notes, approximations };
        case source.statistic === "Sum" || source.statistic === "SampleCount":
            return `statistic ${source.statistic} counts datapoints, and ${source.namespace}/${source.metric} is mapped to a level; add a statistics entry for it to the mapping`;
        default:
            return unsupportedStatistic(source);
    }
}

/** How often a CloudWatch source publishes a datapoint at most (detailed monitoring, the agent's default interval): one minute. */
const datapointSeconds = 60;

/**
 * The statistic of a level derived from counters (CPU from node_cpu_seconds_total), from the
 * counters themselves rather than from a rate sampled at every scrape, which smears a change across
 * the period's boundary. Average: the increase over exactly the period, so the period holds exactly
 * the work done in it (no `offset`: the sample at a boundary ends one period's increase and starts
 * the next's). Maximum, Minimum, pNN: over the period's per-minute values, each the increase over
 * exactly its minute, as CloudWatch's over datapoints published every minute.
 */
function counterExpression(
    source: Source,
    rate: string,
    absent: string,
    report: { readonly notes: string[]; readonly approximations: string[] },
): Expression | string {
    const over = (seconds: number) => rate.replace(/%\{range\}/g, `[${promDuration(seconds)}]`);
    if (source.statistic === "Average") {
        const notes = [...report.notes, "Average is the counters' increase over exactly each period"];
        return { expr: over(source.period), absent, notes, approximations: report.approximations };
    }
    const p = percentile(source.statistic);
    const fn =
        source.statistic === "Maximum"
            ? "max_over_time("
            : source.statistic === "Minimum"
              ? "min_over_time("
              : p !== undefined
                ? `quantile_over_time(${p}, `
                : undefined;
    if (fn === undefined) {
        return source.statistic === "Sum" || source.statistic === "SampleCount"
            ? `statistic ${source.statistic} counts datapoints, and ${source.namespace}/${source.metric} is a level derived from counters; add a statistics entry for it to the mapping`
            : unsupportedStatistic(source);
    }
    const step = Math.min(datapointSeconds, source.period);
    if (source.period % step !== 0) return `period ${source.period}s is not a whole number of minutes, so ${source.statistic} has no per-minute values to take`;
    const approximations = [
        ...report.approximations,
        `${source.statistic} is over the period's per-minute values (the counters' increase over each minute): CloudWatch's when the metric is published every minute (EC2 detailed monitoring, the CloudWatch agent's default interval); with five-minute datapoints (basic monitoring) CloudWatch's ${source.statistic} of a five-minute period is its Average`,
    ];
    // The steps fall on the minutes that end inside the period: one second short of it, as in alarmExpression.
    return { expr: `${fn}(${over(step)})[${promDuration(source.period - 1)}:${promDuration(step)}])`, absent, notes: report.notes, approximations };
}

function unsupportedStatistic(source: Source): string {
    return `statistic ${source.statistic} has no PromQL equivalent (trimmed means, winsorized means, percentile ranks and trimmed counts are not translated); use Average or a percentile`;
}

/** Options of the translation. */
export interface TranslateOptions {
    /** Mappings tried first (user mappings, then the built-in ones). */
    readonly mappings: readonly MetricMapping[];
    /** Where the alarms' actions go (an actions file); default: every SNS topic warning, silent alarms muted. */
    readonly actions?: AlarmActionsPolicy;
    /** Seconds between samples (Prometheus's scrape interval): the step at which expressions are read. Default 15. */
    readonly sampleInterval?: number;
    /**
     * The metric filters of `aws logs describe-metric-filters`: an alarm on a metric one of them
     * publishes becomes a log rule over the log store (vmalert), which counts the lines itself.
     */
    readonly metricFilters?: readonly MetricFilter[];
    /** Where the filters' log groups are in the log store (the mapping file's logGroup entries). */
    readonly logGroups?: readonly LogGroupMapping[];
    /** Whether the log store runs (setting logs); without it, alarms on metric filters are not translated. */
    readonly logs?: boolean;
}

/** Labels and report lines of an alarm's routing. */
interface Routing {
    readonly labels: Record<string, string>;
    readonly routing: string;
    readonly approximations: string[];
    readonly notes: string[];
}

/**
 * What an alarm's actions become: the alert's severity from the SNS topics it notifies (the most
 * severe), muted (label notify="none", no receiver) when CloudWatch would notify nobody, and no
 * resolved notification (notify_resolved="false") when the alarm has no OKActions.
 */
function routingOf(alarm: MetricAlarm, policy: AlarmActionsPolicy): Routing {
    const approximations: string[] = [];
    const notes: string[] = [];
    const actions = alarm.AlarmActions ?? [];
    const topics = actions.filter(isSnsTopic);
    for (const other of actions.filter((a) => !isSnsTopic(a))) {
        approximations.push(`alarm action ${other} is not an SNS topic (an EC2, Auto Scaling or Systems Manager action) and is not reproduced`);
    }
    if ((alarm.InsufficientDataActions ?? []).length > 0) {
        approximations.push(
            "InsufficientDataActions are not reproduced (Prometheus has no INSUFFICIENT_DATA state; TreatMissingData breaching adds a no-data alert)",
        );
    }
    const silentBecause =
        alarm.ActionsEnabled === false
            ? "its actions are disabled (ActionsEnabled false)"
            : topics.length === 0
              ? actions.length === 0
                  ? "it has no alarm actions"
                  : "none of its alarm actions is an SNS topic"
              : undefined;
    if (silentBecause && policy.silentAlarms === "mute") {
        return {
            labels: { severity: policy.defaultSeverity, notify: "none" },
            routing: `muted: ${silentBecause}, so CloudWatch notifies nobody`,
            approximations,
            notes,
        };
    }
    if (silentBecause) notes.push(`${silentBecause}; notified anyway (silentAlarms: notify)`);
    const severities = topics.map((topic) => {
        const mapped = policy.topics[topic];
        if (!mapped) approximations.push(`SNS topic ${topic} is not in the actions file: routed as ${policy.defaultSeverity}`);
        return mapped ?? policy.defaultSeverity;
    });
    const severity: ActionSeverity = actionSeverities.find((s) => severities.includes(s)) ?? policy.defaultSeverity;
    const resolved = (alarm.OKActions ?? []).length > 0;
    if (!resolved) notes.push("no OKActions: no resolved notification");
    return { labels: { severity, ...(resolved ? {} : { notify_resolved: "false" }) }, routing: severity, approximations, notes };
}

/**
 * The alarm's condition as CloudWatch evaluates it: the statistic of each period, aligned on period
 * boundaries as CloudWatch's datapoints are (a subquery's steps fall on multiples of its step), and
 * at least M (DatapointsToAlarm) of the last N (EvaluationPeriods) complete periods breaching. The
 * rule fires at the first evaluation after the period that makes M of N ends, and resolves at the
 * first one after fewer than M of the last N breach: when CloudWatch goes to ALARM and back to OK.
 * No `for`: the periods are the waiting. See docs/cloudwatch-alarms.md.
 */
export function alarmExpression(
    perPeriod: string,
    operator: string,
    threshold: number,
    period: number,
    evaluationPeriods: number,
    datapointsToAlarm: number,
): string {
    // The range holds exactly N aligned steps: it is one second shorter than N periods.
    return `count_over_time((${perPeriod} ${operator} ${threshold})[${promDuration(period * evaluationPeriods - 1)}:${promDuration(period)}]) >= ${datapointsToAlarm}`;
}

/**
 * Translates describe-alarms output into one Prometheus rule group. Pure and deterministic
 * (alarms in name order). Nothing is dropped silently: every alarm is in `translated` or in
 * `unsupported`, with the reason.
 */
export function translateAlarms(doc: DescribeAlarmsOutput, options: TranslateOptions): Translation {
    const translated: TranslatedAlarm[] = [];
    const unsupported: UnsupportedAlarm[] = [];
    const bridged: BridgedMetric[] = [];
    const rules: object[] = [];
    /** The log rules by period: one vmalert group each, evaluated every period over that period's lines. */
    const logGroups: Record<number, object[]> = {};
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
        const filtered = filterOf(options.metricFilters ?? [], source.namespace, source.metric);
        if (filtered) {
            const where = `${source.namespace}/${source.metric}, which the metric filter ${filtered.filter.filterName} counts in log group ${filtered.filter.logGroupName}`;
            if (!options.logs) {
                unsupported.push({
                    alarm: alarm.AlarmName,
                    kind: "metric-filter",
                    reason: `watches ${where}: its rule counts lines in the log store, and logs is off (pulumi config set logs true)`,
                });
                continue;
            }
            const condition = logCondition(
                {
                    filter: filtered.filter,
                    metric: filtered.metric,
                    statistic: source.statistic,
                    operator,
                    threshold: alarm.Threshold,
                    treatMissingData: alarm.TreatMissingData,
                    dimensions: source.dimensions.length,
                },
                options.logGroups ?? [],
            );
            if (typeof condition === "string") {
                unsupported.push({ alarm: alarm.AlarmName, kind: "metric-filter", reason: condition });
                continue;
            }
            const routing = routingOf(alarm, options.actions ?? defaultActionsPolicy);
            const datapoints = alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods;
            const approximations = [...condition.approximations, ...routing.approximations];
            if (datapoints < alarm.EvaluationPeriods) {
                approximations.push(
                    `${datapoints} of ${alarm.EvaluationPeriods} periods: the log rule fires after ${datapoints} consecutive breaching periods (vmalert's for)`,
                );
            }
            const alert = uniqueName(alertNameOf(alarm.AlarmName));
            const group = (logGroups[source.period] ??= []);
            group.push({
                alert,
                expr: condition.expr,
                ...(datapoints > 1 ? { for: promDuration(source.period * (datapoints - 1)) } : {}),
                labels: { ...routing.labels, source: "cloudwatch" },
                annotations: {
                    summary: alarm.AlarmName,
                    description:
                        alarm.AlarmDescription ??
                        `${source.statistic} of ${where} ${alarm.ComparisonOperator} ${alarm.Threshold} for ${datapoints} of ${alarm.EvaluationPeriods} period(s) of ${source.period}s.`,
                    cloudwatch_alarm: alarm.AlarmName,
                },
            });
            translated.push({
                alarm: alarm.AlarmName,
                alerts: [alert],
                status: approximations.length > 0 ? "approximated" : "translated",
                approximations,
                notes: [
                    `a log rule: vmalert counts the lines of ${filtered.filter.logGroupName} that the filter ${filtered.filter.filterName} matches, period by period`,
                    ...condition.notes,
                    ...routing.notes,
                ],
                routing: routing.routing,
                evaluator: "vmalert",
            });
            continue;
        }
        const mapping = findMapping(options.mappings, source.namespace, source.metric);
        const expression = periodStatistic(source, mapping, options.sampleInterval ?? 15);
        if (typeof expression === "string") {
            unsupported.push({ alarm: alarm.AlarmName, kind: "unsupported-statistic", reason: expression });
            continue;
        }
        if (!mapping) bridged.push(source);
        const routing = routingOf(alarm, options.actions ?? defaultActionsPolicy);
        const notes = [...expression.notes, ...routing.notes];
        const approximations = [...expression.approximations, ...routing.approximations];
        let threshold = alarm.Threshold;
        if (mapping?.histogram && source.unit === "Milliseconds") {
            threshold = alarm.Threshold / 1000;
            notes.push(`threshold ${alarm.Threshold} ms became ${threshold} s, the unit of Prometheus histograms`);
        }
        const datapoints = alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods;
        const alert = uniqueName(alertNameOf(alarm.AlarmName));
        const labels = { ...routing.labels, source: "cloudwatch" };
        const description =
            alarm.AlarmDescription ??
            `${source.namespace}/${source.metric} ${source.statistic} ${alarm.ComparisonOperator} ${alarm.Threshold} for ${datapoints} of ${alarm.EvaluationPeriods} period(s) of ${source.period}s.`;
        rules.push({
            alert,
            expr: alarmExpression(expression.expr, operator, threshold, source.period, alarm.EvaluationPeriods, datapoints),
            labels,
            annotations: { summary: alarm.AlarmName, description, cloudwatch_alarm: alarm.AlarmName },
        });
        const alerts = [alert];
        if (alarm.TreatMissingData === "breaching") {
            const missing = uniqueName(`${alert}NoData`);
            rules.push({
                alert: missing,
                expr: `absent(${expression.absent})`,
                for: promDuration(source.period * datapoints),
                labels,
                annotations: {
                    summary: `${alarm.AlarmName}: no data`,
                    description: `No data for ${alarm.AlarmName}; CloudWatch treated missing data as breaching.`,
                    cloudwatch_alarm: alarm.AlarmName,
                },
            });
            alerts.push(missing);
            approximations.push(
                `missing data as breaching: a separate ${missing} alert after ${datapoints} period(s) without any data, not missing datapoints counted among breaching ones`,
            );
        } else if (alarm.TreatMissingData === "ignore") {
            approximations.push("TreatMissingData ignore: Prometheus keeps no alarm state across gaps; a gap resolves the alert");
        }
        translated.push({
            alarm: alarm.AlarmName,
            alerts,
            status: approximations.length > 0 ? "approximated" : "translated",
            approximations,
            notes,
            routing: routing.routing,
            evaluator: "prometheus",
        });
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
    const periods = Object.keys(logGroups)
        .map(Number)
        .sort((a, b) => a - b);
    const logRules =
        periods.length > 0
            ? "# Translated from CloudWatch alarms on metric filters by the monitoring project's alarm translator.\n" +
              yaml.dump(
                  {
                      groups: periods.map((period) => ({
                          name: `cloudwatch-metric-filters-${promDuration(period)}`,
                          type: "vlogs",
                          interval: promDuration(period),
                          rules: logGroups[period],
                      })),
                  },
                  { lineWidth: -1, noRefs: true },
              )
            : undefined;
    return { rules: text, ...(logRules ? { logRules } : {}), translated, unsupported, bridged };
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

/** How many alarms were translated, approximated and not translated. */
export function translationCounts(translation: Translation): { translated: number; approximated: number; notTranslated: number } {
    const approximated = translation.translated.filter((t) => t.status === "approximated").length;
    return { translated: translation.translated.length - approximated, approximated, notTranslated: translation.unsupported.length };
}

/** A human-readable report of a translation, for standard error: each alarm translated, approximated (and how) or not translated (and why). */
export function formatReport(translation: Translation): string {
    const counts = translationCounts(translation);
    const lines = [`${counts.translated} translated, ${counts.approximated} approximated, ${counts.notTranslated} not translated`];
    for (const status of ["translated", "approximated"] as const) {
        for (const t of translation.translated.filter((a) => a.status === status)) {
            const where = t.evaluator === "vmalert" ? " (log rule)" : "";
            lines.push(`  ${status === "translated" ? "translated  " : "approximated"} ${t.alarm} -> ${t.alerts.join(", ")}${where} [${t.routing}]`);
            for (const difference of t.approximations) lines.push(`      differs: ${difference}`);
            for (const note of t.notes) lines.push(`      note: ${note}`);
        }
    }
    for (const u of translation.unsupported) lines.push(`  not translated ${u.alarm} [${u.kind}]: ${u.reason}`);
    return lines.join("\n") + "\n";
}
