import type { Dimension } from "../translateAlarms";

/** A metric row's rendering properties (the object that may end the row). */
export interface RowOptions {
    readonly id?: string;
    readonly label?: string;
    readonly stat?: string;
    readonly period?: number;
    readonly yAxis?: "left" | "right";
    readonly visible?: boolean;
    readonly color?: string;
    readonly region?: string;
    readonly accountId?: string;
    readonly expression?: string;
}

/** One entry of a metric widget's metrics list, with CloudWatch's shorthands ("." and "...") expanded. */
export interface MetricRow {
    /** The row's id: its own, or m1, m2, ... by position, as CloudWatch names rows without one. */
    readonly id: string;
    /** A metric, or a metric math expression over other rows. */
    readonly metric?: { readonly namespace: string; readonly name: string; readonly dimensions: readonly Dimension[] };
    readonly expression?: string;
    readonly options: RowOptions;
}

/**
 * Expands a metric widget's metrics list. In a row, "." repeats the previous row's value at that
 * position, and "..." the previous row's values from there on, up to the values that follow it
 * (["...", "i-0def"] is the previous metric with its last dimension value changed). Returns a
 * reason string for a list it cannot read.
 */
export function expandMetricRows(metrics: unknown): MetricRow[] | string {
    if (!Array.isArray(metrics)) return "properties.metrics is not a list";
    const rows: MetricRow[] = [];
    let previous: string[] = [];
    for (const [index, entry] of metrics.entries()) {
        if (!Array.isArray(entry)) return `metrics[${index}] is not a list`;
        const last = entry[entry.length - 1];
        const hasOptions = last !== null && typeof last === "object" && !Array.isArray(last);
        const options = (hasOptions ? last : {}) as RowOptions;
        const values = hasOptions ? entry.slice(0, -1) : entry;
        if (values.some((v) => typeof v !== "string")) return `metrics[${index}] holds a value that is not a string`;
        const id = typeof options.id === "string" && options.id !== "" ? options.id : `m${index + 1}`;
        if (values.length === 0) {
            if (typeof options.expression !== "string") return `metrics[${index}] has neither a metric nor an expression`;
            rows.push({ id, expression: options.expression, options });
            continue;
        }
        const expanded: string[] = [];
        for (const [i, value] of (values as string[]).entries()) {
            if (value === "...") {
                const after = values.length - i - 1;
                expanded.push(...previous.slice(expanded.length, Math.max(expanded.length, previous.length - after)));
            } else if (value === ".") {
                const repeated = previous[expanded.length];
                if (repeated === undefined) return `metrics[${index}] repeats a value (".") the row before does not have`;
                expanded.push(repeated);
            } else {
                expanded.push(value);
            }
        }
        if (expanded.length < 2 || expanded.length % 2 !== 0) {
            return `metrics[${index}] is not a namespace, a metric name and dimension name-value pairs (${JSON.stringify(expanded)})`;
        }
        previous = expanded;
        const dimensions: Dimension[] = [];
        for (let i = 2; i < expanded.length; i += 2) dimensions.push({ Name: expanded[i], Value: expanded[i + 1] });
        rows.push({ id, metric: { namespace: expanded[0], name: expanded[1], dimensions }, options });
    }
    return rows;
}
