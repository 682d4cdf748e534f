import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { checkLogGroupEntry, LogGroupMapping } from "./metricFilters";

/** How one CloudWatch metric maps to Prometheus series. */
export interface MetricMapping {
    readonly namespace: string;
    readonly metric: string;
    /** Base name of a Prometheus histogram (<base>_bucket, _sum, _count). */
    readonly histogram?: string;
    /** An instant PromQL expression with %{selector} / %{matchers} placeholders. */
    readonly gauge?: string;
    /**
     * A level derived from counters: PromQL of rates with %{range} where each range selector's range
     * goes (`rate(x_total%{selector}%{range})`), so the translator can take the counters' increase
     * over exactly the period, or over each minute of it, as CloudWatch's datapoints are.
     */
    readonly rate?: string;
    /** PromQL per statistic (Sum, p99, ...), with %{selector}, %{matchers} and %{period}; wins over histogram, gauge and rate. */
    readonly statistics?: Readonly<Record<string, string>>;
    /** Metric whose absence means "no data"; defaults to <histogram>_count. */
    readonly series?: string;
    /** CloudWatch dimension name to Prometheus label, or null when the series has no such label. */
    readonly dimensions: Readonly<Record<string, string | null>>;
    readonly note?: string;
}

/** Checks one entry of a mapping file and names the problem, with the file and entry index. */
function checkMapping(entry: unknown, where: string): MetricMapping {
    const fail = (message: string): never => {
        throw new Error(`${where}: ${message}`);
    };
    if (entry === null || typeof entry !== "object") fail("must be a mapping with namespace, metric, and histogram or gauge");
    const e = entry as Record<string, unknown>;
    for (const key of Object.keys(e)) {
        if (!["namespace", "metric", "histogram", "gauge", "rate", "statistics", "series", "dimensions", "note"].includes(key)) fail(`unknown key "${key}"`);
    }
    if (typeof e.namespace !== "string" || e.namespace === "") fail("namespace must be a non-empty string, e.g. AWS/EC2");
    if (typeof e.metric !== "string" || e.metric === "") fail("metric must be a non-empty string, e.g. CPUUtilization");
    const kinds = ["histogram", "gauge", "rate"].filter((kind) => e[kind] !== undefined);
    if (kinds.length > 1) fail(`${e.namespace}/${e.metric} must have one of histogram, gauge and rate, not ${kinds.join(" and ")}`);
    if (kinds.length === 0 && e.statistics === undefined) fail(`${e.namespace}/${e.metric} needs histogram, gauge, rate or statistics`);
    if (e.statistics !== undefined) {
        if (
            typeof e.statistics !== "object" ||
            Array.isArray(e.statistics) ||
            Object.values(e.statistics as object).some((v) => typeof v !== "string" || v.trim() === "")
        ) {
            fail("statistics must map statistic names (Sum, p99, ...) to PromQL expressions");
        }
    }
    if (e.histogram !== undefined && (typeof e.histogram !== "string" || !/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(e.histogram)))
        fail("histogram must be a metric name");
    if (e.gauge !== undefined && (typeof e.gauge !== "string" || e.gauge.trim() === "")) fail("gauge must be a PromQL expression");
    if (e.rate !== undefined && (typeof e.rate !== "string" || !e.rate.includes("%{range}"))) {
        fail(
            `rate of ${e.namespace}/${e.metric} must be PromQL with %{range} where each range goes, e.g. rate(node_cpu_seconds_total{mode="idle"%{matchers}}%{range})`,
        );
    }
    if (e.histogram === undefined && e.series === undefined) fail(`${e.namespace}/${e.metric} needs series, the metric whose absence means no data`);
    const dimensions = (e.dimensions ?? {}) as Record<string, unknown>;
    if (typeof dimensions !== "object" || Array.isArray(dimensions)) fail("dimensions must map dimension names to label names or null");
    for (const [dimension, label] of Object.entries(dimensions)) {
        if (label !== null && (typeof label !== "string" || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label))) {
            fail(`dimension ${dimension} must map to a label name or null`);
        }
    }
    return e as unknown as MetricMapping;
}

/** Whether a mapping file's entry maps a log group (logGroup, logsql) rather than a metric. */
function isLogGroupEntry(entry: unknown): entry is Record<string, unknown> {
    return entry !== null && typeof entry === "object" && "logGroup" in entry;
}

/**
 * Parses a mapping file, read once: its metric entries, and its logGroup entries, which say where a
 * log group's lines are in the log store (for the alarms on metric filters); `source` names it in errors.
 */
export function parseMappingFile(text: string, source: string): { metrics: MetricMapping[]; logGroups: LogGroupMapping[] } {
    const doc = yaml.load(text);
    if (!Array.isArray(doc)) {
        throw new Error(`${source}: must be a YAML list of mappings`);
    }
    const metrics: MetricMapping[] = [];
    const logGroups: LogGroupMapping[] = [];
    doc.forEach((entry, i) => {
        const where = `${source}, entry ${i + 1}`;
        if (isLogGroupEntry(entry)) logGroups.push(checkLogGroupEntry(entry, where));
        else metrics.push(checkMapping(entry, where));
    });
    return { metrics, logGroups };
}

/** Parses a mapping file's metric entries; `source` names it in errors. */
export function parseMappings(text: string, source: string): MetricMapping[] {
    return parseMappingFile(text, source).metrics;
}

/** The built-in mappings: the guide's app, EC2 CPU, and the CloudWatch agent's memory and disk. */
export function builtinMappings(): MetricMapping[] {
    const file = path.join(__dirname, "builtin-mappings.yml");
    return parseMappings(fs.readFileSync(file, "utf8"), file);
}

/** Finds the mapping of a metric; user mappings come first, so they win. */
export function findMapping(mappings: readonly MetricMapping[], namespace: string, metric: string): MetricMapping | undefined {
    return mappings.find((m) => m.namespace === namespace && m.metric === metric);
}
