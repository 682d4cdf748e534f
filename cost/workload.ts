import type { BridgedMetric, DescribeAlarmsOutput } from "../cloudwatch/translateAlarms";

/** What a team pays CloudWatch for, per month: from its exports and its own numbers. */
export interface CloudWatchWorkload {
    /** Custom metric series (namespaces other than AWS/*): billed per metric. */
    readonly customMetrics: number;
    /** Metrics AWS services publish (AWS/*): free in CloudWatch, but read through the bridge. */
    readonly awsMetrics: number;
    /** Metrics watched by standard-resolution alarms (a metric-math alarm counts each metric). */
    readonly alarmMetrics: number;
    /** Metrics watched by high-resolution (Period under 60 s) or anomaly detection alarms. */
    readonly premiumAlarmMetrics: number;
    readonly dashboards: number;
    /** API requests other than GetMetricData (PutMetricData, GetMetricStatistics, ListMetrics...). */
    readonly apiRequests: number;
    /** Metrics requested through GetMetricData (dashboards and tools reading CloudWatch). */
    readonly getMetricDataMetrics: number;
    readonly logsIngestedGb: number;
    readonly logsStoredGb: number;
    /** Metric series the translated alarms read through the bridge (those without a Prometheus mapping). */
    readonly bridgedMetrics: number;
}

/** `aws cloudwatch list-metrics --output json`. */
export interface ListMetricsOutput {
    readonly Metrics: { readonly Namespace: string; readonly MetricName: string; readonly Dimensions?: { Name: string; Value: string }[] }[];
}

/** The numbers a team gives that no export holds (usage.json, or flags). */
export interface UsageNumbers {
    readonly dashboards: number;
    readonly apiRequests: number;
    readonly getMetricDataMetrics: number;
    readonly logsIngestedGb: number;
    readonly logsStoredGb: number;
}

type MetricRef = { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] };
const seriesKey = (m: MetricRef) =>
    `${m.Namespace}|${m.MetricName}|${[...(m.Dimensions ?? [])]
        .map((d) => `${d.Name}=${d.Value}`)
        .sort()
        .join(",")}`;
const isAwsNamespace = (namespace: string) => namespace.startsWith("AWS/");

/** The metrics an alarm watches: its own, or each MetricStat of its metric math. */
function alarmMetrics(alarm: NonNullable<DescribeAlarmsOutput["MetricAlarms"]>[number]): MetricRef[] {
    if (alarm.Metrics && alarm.Metrics.length > 0) return alarm.Metrics.flatMap((m) => (m.MetricStat ? [m.MetricStat.Metric] : []));
    return alarm.Namespace && alarm.MetricName ? [{ Namespace: alarm.Namespace, MetricName: alarm.MetricName, Dimensions: alarm.Dimensions }] : [];
}

/**
 * The workload of a team's exports and numbers; `bridged` is what the translation of the alarms
 * reads through the CloudWatch bridge. Pure.
 */
export function workloadOf(
    metrics: ListMetricsOutput,
    alarms: DescribeAlarmsOutput,
    usage: UsageNumbers,
    bridged: readonly BridgedMetric[] = [],
): CloudWatchWorkload {
    const series = new Map(metrics.Metrics.map((m) => [seriesKey(m), m]));
    const all = [...series.values()];
    let alarmCount = 0;
    let premiumCount = 0;
    for (const alarm of alarms.MetricAlarms ?? []) {
        const watched = alarmMetrics(alarm);
        const periods = [alarm.Period, ...(alarm.Metrics ?? []).map((m) => m.MetricStat?.Period)].filter((p): p is number => p !== undefined);
        const premium = alarm.ThresholdMetricId !== undefined || periods.some((p) => p < 60);
        if (premium) premiumCount += Math.max(1, watched.length);
        else alarmCount += Math.max(1, watched.length);
    }
    return {
        customMetrics: all.filter((m) => !isAwsNamespace(m.Namespace)).length,
        awsMetrics: all.filter((m) => isAwsNamespace(m.Namespace)).length,
        alarmMetrics: alarmCount,
        premiumAlarmMetrics: premiumCount,
        bridgedMetrics: new Set(bridged.map((m) => seriesKey({ Namespace: m.namespace, MetricName: m.metric, Dimensions: [...m.dimensions] }))).size,
        ...usage,
    };
}
