import type { CloudWatchWorkload } from "./workload";

/** cost/prices.json: dated list prices per provider and region. */
export interface PriceTable {
    readonly compiledOn: string;
    readonly cloudwatch: Record<string, CloudWatchPrices>;
    readonly aws: Record<string, AwsPrices>;
    readonly linode: Record<string, LinodePrices>;
}

export interface CloudWatchPrices {
    readonly source: string;
    readonly freeTier: { customMetrics: number; alarmMetrics: number; dashboards: number; apiRequests: number; logsGb: number };
    readonly customMetricTiers: { upTo: number | null; perMetric: number }[];
    readonly alarmPerMetric: number;
    readonly anomalyAlarmPerMetric: number;
    readonly dashboard: number;
    readonly apiPerThousandRequests: number;
    readonly getMetricDataPerThousandMetrics: number;
    readonly logsIngestedPerGb: number;
    readonly logsStoredPerGbMonth: number;
}

export interface AwsPrices {
    readonly source: string;
    readonly instanceHourly: Record<string, number>;
    readonly gp3PerGbMonth: number;
    readonly transferOutPerGb: number;
    readonly transferOutFreeGb: number;
}

export interface LinodePrices {
    readonly source: string;
    readonly instanceMonthly: Record<string, number>;
    readonly transferIncludedGb: Record<string, number>;
    readonly volumePerGbMonth: number;
    readonly transferOverPerGb: number;
    readonly regionsWithOtherPrices: string[];
}

/** One line of a bill: what, how many, and the monthly cost in USD. */
export interface CostLine {
    readonly item: string;
    readonly quantity: string;
    readonly monthly: number;
    /** CloudWatch Logs' lines: saved only where the stack runs the log store (setting logs). */
    readonly logs?: true;
}

const hoursPerMonth = 730;
const secondsPerMonth = hoursPerMonth * 3600;

/** The price of `count` custom metrics over the tiers, after the free ones. */
function tiered(count: number, tiers: CloudWatchPrices["customMetricTiers"]): number {
    let cost = 0;
    let from = 0;
    for (const tier of tiers) {
        const to = tier.upTo ?? Infinity;
        cost += Math.max(0, Math.min(count, to) - from) * tier.perMetric;
        from = to;
        if (count <= to) break;
    }
    return cost;
}

/** CloudWatch's monthly bill for a workload. */
export function cloudWatchCost(w: CloudWatchWorkload, p: CloudWatchPrices): CostLine[] {
    const free = p.freeTier;
    const freeAlarms = Math.min(free.alarmMetrics, w.alarmMetrics);
    const logsFree = Math.min(free.logsGb, w.logsIngestedGb);
    return [
        { item: "custom metrics", quantity: String(w.customMetrics), monthly: tiered(Math.max(0, w.customMetrics - free.customMetrics), p.customMetricTiers) },
        { item: "alarm metrics (standard)", quantity: String(w.alarmMetrics), monthly: (w.alarmMetrics - freeAlarms) * p.alarmPerMetric },
        { item: "alarm metrics (high-resolution, anomaly)", quantity: String(w.premiumAlarmMetrics), monthly: w.premiumAlarmMetrics * p.anomalyAlarmPerMetric },
        { item: "dashboards", quantity: String(w.dashboards), monthly: Math.max(0, w.dashboards - free.dashboards) * p.dashboard },
        { item: "API requests", quantity: String(w.apiRequests), monthly: (Math.max(0, w.apiRequests - free.apiRequests) / 1000) * p.apiPerThousandRequests },
        {
            item: "GetMetricData metrics",
            quantity: String(w.getMetricDataMetrics),
            monthly: (w.getMetricDataMetrics / 1000) * p.getMetricDataPerThousandMetrics,
        },
        { item: "logs ingested (GB)", quantity: String(w.logsIngestedGb), monthly: (w.logsIngestedGb - logsFree) * p.logsIngestedPerGb, logs: true },
        { item: "logs stored (GB-month)", quantity: String(w.logsStoredGb), monthly: w.logsStoredGb * p.logsStoredPerGbMonth, logs: true },
    ];
}

/**
 * What moving off CloudWatch saves per month: its whole bill where the stack also runs the log
 * store (setting logs), else all but CloudWatch Logs' lines, which stay; less the stack's bill.
 */
export function monthlySaving(cloudWatch: readonly CostLine[], stackMonthly: number, logsMoved: boolean): number {
    return total(cloudWatch.filter((line) => logsMoved || !line.logs)) - stackMonthly;
}

/** Gigabytes (10^9 bytes) CloudWatch Logs stores, from `aws logs describe-log-groups` (storedBytes per group). */
export function storedLogsGb(doc: { readonly logGroups?: readonly { readonly storedBytes?: number }[] }): number {
    return (doc.logGroups ?? []).reduce((sum, group) => sum + (group.storedBytes ?? 0), 0) / 1e9;
}

/**
 * Gigabytes CloudWatch Logs ingested, from `aws cloudwatch get-metric-statistics --namespace AWS/Logs
 * --metric-name IncomingBytes --statistics Sum` over a month (its datapoints summed).
 */
export function ingestedLogsGb(doc: { readonly Label?: string; readonly Datapoints?: readonly { readonly Sum?: number }[] }): number {
    return (doc.Datapoints ?? []).reduce((sum, point) => sum + (point.Sum ?? 0), 0) / 1e9;
}

/** The monitoring stack's sizes on a platform: the program's settings. */
export interface StackSizing {
    readonly platform: "linode" | "aws" | "hosts";
    readonly region: string;
    /** Linode: the monitoring type; aws: the Prometheus and Grafana types. */
    readonly instanceTypes: readonly string[];
    readonly dataVolumeGb: number;
    /** aws: each instance's root volume. */
    readonly rootVolumeGb: number;
    /** Data leaving the cloud per month (dashboards viewed from outside, alerts, remote write). */
    readonly transferOutGb: number;
}

/** Thrown when the price table lacks what an estimate needs; says what to add. */
export class MissingPriceError extends Error {}

/** The monitoring stack's monthly bill on a platform (the app's own host is there either way, so it is left out). */
export function stackCost(s: StackSizing, table: PriceTable): CostLine[] {
    if (s.platform === "hosts") return [{ item: "machines you already have", quantity: "-", monthly: 0 }];
    if (s.platform === "linode") {
        const p = table.linode.core;
        if (p.regionsWithOtherPrices.includes(s.region)) {
            throw new MissingPriceError(
                `Linode prices ${s.region} differently from its core regions; cost/prices.json has only the core prices (add a "${s.region}" entry)`,
            );
        }
        const lines = s.instanceTypes.map((type) => {
            const monthly = p.instanceMonthly[type];
            if (monthly === undefined) throw new MissingPriceError(`no price for Linode type ${type} in cost/prices.json (linode.core.instanceMonthly)`);
            return { item: `instance ${type}`, quantity: "1", monthly };
        });
        const included = s.instanceTypes.reduce((sum, type) => sum + (p.transferIncludedGb[type] ?? 0), 0);
        return [
            ...lines,
            { item: "data volume (GB)", quantity: String(s.dataVolumeGb), monthly: s.dataVolumeGb * p.volumePerGbMonth },
            { item: "transfer out (GB)", quantity: String(s.transferOutGb), monthly: Math.max(0, s.transferOutGb - included) * p.transferOverPerGb },
        ];
    }
    const p = table.aws[s.region];
    if (!p) throw new MissingPriceError(`no AWS prices for region ${s.region} in cost/prices.json (aws.${s.region})`);
    const lines = s.instanceTypes.map((type) => {
        const hourly = p.instanceHourly[type];
        if (hourly === undefined)
            throw new MissingPriceError(`no price for EC2 type ${type} in ${s.region} in cost/prices.json (aws.${s.region}.instanceHourly)`);
        return { item: `instance ${type}`, quantity: "1", monthly: hourly * hoursPerMonth };
    });
    const ebsGb = s.dataVolumeGb + s.rootVolumeGb * s.instanceTypes.length;
    return [
        ...lines,
        { item: "EBS gp3 (GB)", quantity: String(ebsGb), monthly: ebsGb * p.gp3PerGbMonth },
        { item: "transfer out (GB)", quantity: String(s.transferOutGb), monthly: Math.max(0, s.transferOutGb - p.transferOutFreeGb) * p.transferOutPerGb },
    ];
}

/**
 * The CloudWatch bridge (YACE) while it runs: one GetMetricStatistics request per bridged metric
 * every poll (setting cloudwatchBridgeInterval), at the API request price (the free million is
 * left to the team's other calls).
 */
export function bridgeCost(bridgedMetrics: number, intervalSeconds: number, p: CloudWatchPrices): CostLine {
    const requests = bridgedMetrics * Math.ceil(secondsPerMonth / intervalSeconds);
    return {
        item: `CloudWatch bridge: GetMetricStatistics per metric every ${intervalSeconds}s`,
        quantity: `${bridgedMetrics} metrics`,
        monthly: (requests / 1000) * p.apiPerThousandRequests,
    };
}

export const total = (lines: readonly CostLine[]) => lines.reduce((sum, line) => sum + line.monthly, 0);

/**
 * The number of custom metrics at which CloudWatch costs as much as `stackMonthly`, all else in
 * the workload unchanged; 0 when CloudWatch already costs more without any custom metric, and
 * undefined when no number of metrics would (it cannot happen with positive prices).
 */
export function breakEvenMetrics(w: CloudWatchWorkload, p: CloudWatchPrices, stackMonthly: number): number | undefined {
    const at = (metrics: number) => total(cloudWatchCost({ ...w, customMetrics: metrics }, p));
    if (at(0) >= stackMonthly) return 0;
    let high = 1;
    while (at(high) < stackMonthly) {
        high *= 2;
        if (high > 1e9) return undefined;
    }
    let low = 0;
    while (high - low > 1) {
        const mid = Math.floor((low + high) / 2);
        if (at(mid) >= stackMonthly) high = mid;
        else low = mid;
    }
    return high;
}
