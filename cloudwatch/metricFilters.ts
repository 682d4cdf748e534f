// CloudWatch Logs metric filters, and alarms on their metrics as vmalert log rules over the log store. Pure.
import { filterPatternToLogsql, jsonFieldPrefix } from "./filterPattern";

/** One metric a filter publishes, as `aws logs describe-metric-filters` prints it. */
export interface MetricTransformation {
    readonly metricName: string;
    readonly metricNamespace: string;
    /** "1", another number, or a JSON selector such as $.latency. */
    readonly metricValue: string;
    /** The value published for a period without a matching line; none publishes nothing. */
    readonly defaultValue?: number;
    readonly dimensions?: Readonly<Record<string, string>>;
    readonly unit?: string;
}

/** A metric filter (fields the translator reads). */
export interface MetricFilter {
    readonly filterName: string;
    readonly filterPattern: string;
    readonly logGroupName: string;
    readonly metricTransformations: readonly MetricTransformation[];
}

/** Where a CloudWatch log group's lines are in the log store: a LogsQL filter (from the mapping file's logGroup entries). */
export interface LogGroupMapping {
    readonly logGroup: string;
    readonly logsql: string;
}

/**
 * The LogsQL filter that selects a log group's lines in the log store: its logGroup entry's, or
 * the lines npm run import-logs brought from it (log_group), which the approximation says; `reader`
 * names what reads them in that sentence (rule, panel).
 */
export function logGroupSelector(logGroup: string, logGroups: readonly LogGroupMapping[], reader: string): { selector: string; approximation?: string } {
    const mapped = logGroups.find((g) => g.logGroup === logGroup);
    if (mapped) return { selector: mapped.logsql };
    return {
        selector: `log_group:=${JSON.stringify(logGroup)}`,
        approximation: `log group ${logGroup} has no logGroup entry in the mapping file: the ${reader} reads the lines npm run import-logs brought from it (log_group); add an entry whose logsql selects where its lines arrive now`,
    };
}

/** Checks the shape of a describe-metric-filters document; `source` names it in errors. */
export function parseDescribeMetricFilters(text: string, source: string): MetricFilter[] {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (error) {
        throw new Error(`${source}: not JSON (${(error as Error).message}); give the output of aws logs describe-metric-filters --output json`);
    }
    const filters = (doc as { metricFilters?: unknown } | null)?.metricFilters;
    if (!Array.isArray(filters)) throw new Error(`${source}: has no metricFilters list, as aws logs describe-metric-filters prints`);
    filters.forEach((filter: Record<string, unknown>, i) => {
        const where = `${source}: metricFilters[${i}]`;
        if (typeof filter?.filterName !== "string" || typeof filter.logGroupName !== "string" || typeof filter.filterPattern !== "string") {
            throw new Error(`${where} lacks filterName, filterPattern or logGroupName`);
        }
        if (!Array.isArray(filter.metricTransformations) || filter.metricTransformations.length === 0) {
            throw new Error(`${where} (${filter.filterName}) has no metricTransformations`);
        }
        for (const t of filter.metricTransformations as Record<string, unknown>[]) {
            if (typeof t?.metricName !== "string" || typeof t.metricNamespace !== "string" || typeof t.metricValue !== "string") {
                throw new Error(`${where} (${filter.filterName}): a metric transformation lacks metricName, metricNamespace or metricValue`);
            }
        }
    });
    return filters as MetricFilter[];
}

/** A mapping file's logGroup entry, checked; `where` names the file and the entry in errors. */
export function checkLogGroupEntry(entry: Record<string, unknown>, where: string): LogGroupMapping {
    for (const key of Object.keys(entry)) if (!["logGroup", "logsql"].includes(key)) throw new Error(`${where}: unknown key "${key}" in a logGroup entry`);
    if (typeof entry.logGroup !== "string" || entry.logGroup === "") throw new Error(`${where}: logGroup must be a log group's name, e.g. /flask-app`);
    if (typeof entry.logsql !== "string" || entry.logsql.trim() === "" || entry.logsql.includes("|")) {
        throw new Error(`${where}: logsql must be a LogsQL filter selecting the group's lines, without pipes, e.g. service.name:="flask-app"`);
    }
    return { logGroup: entry.logGroup, logsql: entry.logsql.trim() };
}

/** The filter and the metric of it that an alarm watches, if a metric filter publishes that metric. */
export function filterOf(
    filters: readonly MetricFilter[],
    namespace: string,
    metric: string,
): { filter: MetricFilter; metric: MetricTransformation } | undefined {
    for (const filter of filters) {
        const found = filter.metricTransformations.find((t) => t.metricNamespace === namespace && t.metricName === metric);
        if (found) return { filter, metric: found };
    }
    return undefined;
}

/** What an alarm on a filter's metric asks, as the translator has read it. */
export interface LogAlarm {
    readonly filter: MetricFilter;
    readonly metric: MetricTransformation;
    readonly statistic: string;
    /** LogsQL's comparison of the alarm: >, >=, < or <=. */
    readonly operator: string;
    readonly threshold: number;
    readonly treatMissingData?: string;
    /** Dimensions the alarm selects (a filter's dimensions come from the lines' fields). */
    readonly dimensions: number;
}

/** An alarm's condition over one period of log lines, as LogsQL, and what differs from CloudWatch. */
export interface LogCondition {
    readonly expr: string;
    readonly approximations: string[];
    readonly notes: string[];
}

const statisticFunctions: Readonly<Record<string, string>> = { Sum: "sum", Average: "avg", Minimum: "min", Maximum: "max" };

/**
 * The LogsQL whose one row, with the field `value`, is the period's datapoint when the alarm
 * breaches, and no row when it does not: the lines of the filter's log group that its pattern
 * matches, their count or the statistic of the field metricValue names, then the threshold. A
 * count over no lines is a row with 0: kept where the filter's defaultValue publishes 0 for such a
 * period, dropped where it publishes nothing (no datapoint, which does not breach).
 */
export function logCondition(alarm: LogAlarm, logGroups: readonly LogGroupMapping[]): LogCondition | string {
    const { filter, metric } = alarm;
    const approximations: string[] = [];
    const notes: string[] = [];
    if (alarm.dimensions > 0 || Object.keys(metric.dimensions ?? {}).length > 0) {
        return `the metric filter ${filter.filterName} publishes dimensions from the lines' fields, which are not translated; alarm on the metric without dimensions, or write the rule with stats by (field)`;
    }
    const match = filterPatternToLogsql(filter.filterPattern);
    if ("reason" in match) return `the filter pattern of ${filter.filterName} (${JSON.stringify(filter.filterPattern)}): ${match.reason}`;
    const { selector, approximation } = logGroupSelector(filter.logGroupName, logGroups, "rule");
    if (approximation) approximations.push(approximation);
    const pipes = [...match.pipes];
    const field = /^\$\.([A-Za-z0-9_@.-]+)$/.exec(metric.metricValue)?.[1];
    const constant = /^-?\d+(\.\d+)?$/.test(metric.metricValue) ? Number(metric.metricValue) : undefined;
    let stats: string;
    let countsLines: boolean;
    if (alarm.statistic === "SampleCount") {
        stats = "stats count() as value";
        countsLines = true;
    } else if (constant !== undefined && alarm.statistic === "Sum") {
        stats = constant === 1 ? "stats count() as value" : `stats count() as lines | math lines * ${constant} as value`;
        countsLines = true;
    } else if (field !== undefined && alarm.statistic in statisticFunctions) {
        if (match.pipes.length === 0) pipes.push(`| unpack_json from _msg fields (${field}) result_prefix ${JSON.stringify(jsonFieldPrefix)}`);
        else
            pipes[0] = pipes[0].replace(
                /fields \(([^)]*)\)/,
                (_all, list: string) => `fields (${[...new Set([...list.split(", "), field])].sort().join(", ")})`,
            );
        stats = `stats count() as lines, ${statisticFunctions[alarm.statistic]}(${jsonFieldPrefix}${field}) as value | filter lines:>0 | fields value`;
        countsLines = false;
    } else if (constant !== undefined) {
        return `statistic ${alarm.statistic} of a metric filter whose metricValue is the constant ${metric.metricValue} is that constant whenever a line matches; alarm on Sum or SampleCount`;
    } else {
        return `statistic ${alarm.statistic} of metricValue ${metric.metricValue} is not translated; alarm on Sum, SampleCount, Average, Minimum or Maximum of a number or a $.field`;
    }
    const keepsEmptyPeriods = countsLines && metric.defaultValue === 0;
    if (metric.defaultValue !== undefined && metric.defaultValue !== 0) {
        approximations.push(`defaultValue ${metric.defaultValue} is not reproduced: a period without a matching line has no datapoint here`);
    } else if (metric.defaultValue === 0 && !countsLines) {
        approximations.push(
            `defaultValue 0 is not reproduced for ${alarm.statistic} of ${metric.metricValue}: a period without a matching line has no datapoint here`,
        );
    }
    if (!keepsEmptyPeriods && alarm.treatMissingData === "breaching") {
        approximations.push("missing data as breaching is not reproduced: a period without a matching line does not alarm");
    }
    if (keepsEmptyPeriods) notes.push("a period without a matching line counts 0, as the filter's defaultValue 0 publishes");
    const emptyPeriods = countsLines && !keepsEmptyPeriods ? " | filter value:>0" : "";
    const expr = [
        [selector, match.filter === "*" ? "" : match.filter].filter((part) => part !== "").join(" "),
        ...pipes,
        `| ${stats}${emptyPeriods}`,
        `| filter value:${alarm.operator}${alarm.threshold}`,
    ].join(" ");
    return { expr, approximations, notes };
}
