import * as common from "@grafana/grafana-foundation-sdk/common";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as bargauge from "@grafana/grafana-foundation-sdk/bargauge";
import * as gauge from "@grafana/grafana-foundation-sdk/gauge";
import * as piechart from "@grafana/grafana-foundation-sdk/piechart";
import * as prometheus from "@grafana/grafana-foundation-sdk/prometheus";
import * as stat from "@grafana/grafana-foundation-sdk/stat";
import * as table from "@grafana/grafana-foundation-sdk/table";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import { findMapping } from "../metricMappings";
import { BridgedMetric, periodStatistic, promDuration } from "../translateAlarms";
import type { Widget } from "./dashboardBody";
import { translateMetricMath, RowQuery } from "./metricMath";
import { expandMetricRows, MetricRow } from "./metricRows";
import { PanelBuilderBase, prometheusDatasource, WidgetContext } from "./widgetOutcome";

/** A dimension value that a dashboard variable sets: a placeholder the selector turns into a regex match on the variable. */
export function variablePlaceholder(variable: string): string {
    return `__cloudwatch_variable_${variable}__`;
}

/** Turns the placeholders' exact matches into matches on the variable's values (All, several). */
function withVariables(promql: string): string {
    return promql.replace(
        /([A-Za-z_][A-Za-z0-9_]*)="__cloudwatch_variable_([A-Za-z0-9_]+)__"/g,
        (_m, label: string, variable: string) => `${label}=~"\${${variable}:regex}"`,
    );
}

/** A metric widget's own properties that the translation reads. */
interface MetricWidgetProperties {
    readonly metrics?: unknown;
    readonly view?: string;
    readonly stacked?: boolean;
    readonly stat?: string;
    readonly period?: number;
    readonly title?: string;
    readonly region?: string;
    readonly setPeriodToTimeRange?: boolean;
    readonly liveData?: boolean;
    readonly sparkline?: boolean;
    readonly trend?: boolean;
    readonly start?: string;
    readonly end?: string;
    readonly legend?: { readonly position?: string };
    readonly labels?: { readonly visible?: boolean };
    readonly yAxis?: { readonly left?: AxisProperties; readonly right?: AxisProperties };
    readonly annotations?: { readonly horizontal?: readonly unknown[]; readonly vertical?: readonly unknown[]; readonly alarms?: readonly string[] };
    readonly table?: { readonly summaryColumns?: readonly string[]; readonly showTimeSeriesData?: boolean };
}

interface AxisProperties {
    readonly min?: number;
    readonly max?: number;
    readonly label?: string;
    readonly showUnits?: boolean;
}

interface HorizontalAnnotation {
    readonly value: number;
    readonly label?: string;
    readonly color?: string;
    readonly fill?: string;
    readonly yAxis?: string;
    readonly visible?: boolean;
}

/** What the rows became: a query per shown row, and what the translation changed or could not do. */
interface RowQueries {
    readonly targets: { readonly row: MetricRow; readonly expr: string }[];
    readonly differences: string[];
    readonly notes: string[];
    readonly bridged: BridgedMetric[];
    readonly failed: string[];
}

/** The legend of a row from its label; CloudWatch's dynamic labels become Grafana's where they have one. */
function legendOf(row: MetricRow, differences: string[], labelOf: (dimension: string) => string | undefined): string | undefined {
    const label = row.options.label;
    if (label === undefined) return undefined;
    return label.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
        const dimension = /^PROP\('Dim\.([^']+)'\)$/.exec(inner)?.[1];
        if (dimension !== undefined && labelOf(dimension) !== undefined) return `{{${labelOf(dimension)}}}`;
        if (inner === "PROP('MetricName')" && row.metric) return row.metric.name;
        differences.push(`the dynamic label ${whole} of ${row.id} has no Grafana equivalent and is left out of its legend`);
        return "";
    });
}

/** Each row as PromQL: metrics through the alarms' mappings (or the bridge's series), expressions through metric math. */
function rowQueries(rows: readonly MetricRow[], props: MetricWidgetProperties, ctx: WidgetContext): RowQueries {
    const differences: string[] = [];
    const notes: string[] = [];
    const bridged: BridgedMetric[] = [];
    const failed: string[] = [];
    const period = props.period ?? 300;
    const byId = new Map(rows.map((row) => [row.id, row]));
    const resolved = new Map<string, RowQuery>();
    const resolving = new Set<string>();
    const regions = new Set(rows.map((row) => row.options.region ?? props.region).filter((r) => r !== undefined));
    if (regions.size > 1) differences.push(`its metrics come from several regions (${[...regions].join(", ")}); Prometheus has them all in one place`);

    const query = (id: string): RowQuery | undefined => {
        const row = byId.get(id);
        if (!row) return undefined;
        const known = resolved.get(id);
        if (known) return known;
        if (resolving.has(id)) return { reason: `${id} refers to itself through its expression` };
        resolving.add(id);
        let result: RowQuery;
        if (row.metric) {
            const source = {
                namespace: row.metric.namespace,
                metric: row.metric.name,
                dimensions: row.metric.dimensions.map((d) => {
                    const variable = ctx.dimensionVariables.get(d.Name);
                    return variable ? { Name: d.Name, Value: variablePlaceholder(variable) } : d;
                }),
                statistic: row.options.stat ?? props.stat ?? "Average",
                period: row.options.period ?? period,
            };
            const mapping = findMapping(ctx.mappings, source.namespace, source.metric);
            const statistic = periodStatistic(source, mapping, ctx.sampleInterval, "inclusive");
            if (typeof statistic === "string") {
                result = { reason: statistic };
            } else {
                result = { promql: withVariables(statistic.expr) };
                differences.push(...statistic.approximations.map((a) => `${row.id} (${source.namespace}/${source.metric}): ${a}`));
                notes.push(...statistic.notes.map((n) => `${row.id}: ${n}`));
                if (!mapping) bridged.push({ ...source, dimensions: row.metric.dimensions });
            }
            if (row.options.accountId !== undefined)
                differences.push(`${row.id} is read from account ${row.options.accountId} in CloudWatch; Prometheus has no accounts`);
        } else {
            const math = translateMetricMath(
                row.expression!,
                query,
                rows.filter((r) => r.metric).map((r) => r.id),
                row.options.period ?? period,
            );
            if ("reason" in math) {
                result = math;
            } else {
                result = { promql: math.promql };
                differences.push(...math.approximations.map((a) => `${row.id}: ${a}`));
            }
        }
        resolving.delete(id);
        resolved.set(id, result);
        return result;
    };

    const targets: { row: MetricRow; expr: string }[] = [];
    for (const row of rows) {
        const result = query(row.id)!;
        if (row.options.visible === false) continue;
        if ("reason" in result) failed.push(`${row.id}: ${result.reason}`);
        else targets.push({ row, expr: result.promql });
    }
    return { targets, differences, notes, bridged, failed };
}

/** Grafana's reduction of a series for a statistic over the whole time range (setPeriodToTimeRange). */
function rangeCalculation(statistic: string, differences: string[]): string {
    switch (statistic) {
        case "Maximum":
            return "max";
        case "Minimum":
            return "min";
        case "Sum":
        case "SampleCount":
            return "sum";
        case "Average":
            return "mean";
        default:
            differences.push(`the whole time range's ${statistic} is the mean of the periods' ${statistic} (setPeriodToTimeRange)`);
            return "mean";
    }
}

/** A relative CloudWatch time (-PT3H, -P7D) as Grafana's relative time (3h, 7d), or undefined. */
export function relativeTime(start: string): string | undefined {
    const match = /^-P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(start);
    if (!match || match.slice(1).every((part) => part === undefined)) return undefined;
    const [weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => Number(part ?? 0));
    return promDuration(weeks * 604800 + days * 86400 + hours * 3600 + minutes * 60 + seconds);
}

/** The horizontal annotations that are shown, as Grafana thresholds (sorted), and what they lose. */
function thresholdsOf(props: MetricWidgetProperties, differences: string[]): { steps: dashboard.Threshold[]; fill: boolean } | undefined {
    const annotations: HorizontalAnnotation[] = [];
    for (const entry of props.annotations?.horizontal ?? []) {
        if (Array.isArray(entry)) {
            differences.push("a band between two horizontal annotations is shown as its two lines");
            annotations.push(...(entry as HorizontalAnnotation[]));
        } else {
            annotations.push(entry as HorizontalAnnotation);
        }
    }
    const shown = annotations.filter((a) => a.visible !== false && typeof a.value === "number");
    if (shown.length === 0) return undefined;
    if (shown.some((a) => a.label)) differences.push("the horizontal annotations' labels are not shown: Grafana thresholds have no label");
    if (shown.some((a) => a.yAxis === "right")) differences.push("a horizontal annotation on the right axis is drawn against the left one");
    if (shown.some((a) => a.fill === "below")) differences.push('an annotation filled "below" is filled above its value');
    const steps: dashboard.Threshold[] = [
        { value: null as unknown as number, color: "transparent" },
        ...[...shown].sort((a, b) => a.value - b.value).map((a) => ({ value: a.value, color: a.color ?? "red" })),
    ];
    return { steps, fill: shown.some((a) => a.fill === "above" || a.fill === "below") };
}

/** The panel of a view, with what the view's options become. */
function viewPanel(props: MetricWidgetProperties, statistic: string, differences: string[]): PanelBuilderBase<unknown> & { unit?: unknown } {
    const view = props.view ?? "timeSeries";
    const reduce = new common.ReduceDataOptionsBuilder().calcs([props.setPeriodToTimeRange ? rangeCalculation(statistic, differences) : "lastNotNull"]);
    const left = props.yAxis?.left;
    switch (view) {
        case "timeSeries": {
            const panel = new timeseries.PanelBuilder();
            if (props.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)).fillOpacity(30);
            const position = props.legend?.position ?? "bottom";
            if (position === "hidden") panel.legend(new common.VizLegendOptionsBuilder().showLegend(false).displayMode(common.LegendDisplayMode.Hidden));
            else
                panel.legend(
                    new common.VizLegendOptionsBuilder()
                        .showLegend(true)
                        .displayMode(common.LegendDisplayMode.List)
                        .placement(position === "right" ? common.LegendPlacement.Right : common.LegendPlacement.Bottom),
                );
            if (left?.label) panel.axisLabel(left.label);
            if (props.setPeriodToTimeRange)
                differences.push("setPeriodToTimeRange applies to single values, gauges, bars, pies and tables; the graph keeps its period");
            return panel;
        }
        case "singleValue": {
            const panel = new stat.PanelBuilder()
                .reduceOptions(reduce)
                .graphMode(props.sparkline ? common.BigValueGraphMode.Area : common.BigValueGraphMode.None);
            if (props.trend !== false) {
                panel.showPercentChange(true).percentChangeColorMode(common.PercentChangeColorMode.Standard);
                differences.push("the trend is Grafana's percent change over the time range, not CloudWatch's change since the datapoint before");
            }
            return panel;
        }
        case "gauge":
            return new gauge.PanelBuilder().reduceOptions(reduce).showThresholdMarkers(true);
        case "bar":
            return new bargauge.PanelBuilder()
                .reduceOptions(reduce)
                .displayMode(common.BarGaugeDisplayMode.Basic)
                .orientation(common.VizOrientation.Horizontal);
        case "pie": {
            const panel = new piechart.PanelBuilder().reduceOptions(reduce);
            if (props.labels?.visible !== false) panel.displayLabels([piechart.PieChartLabels.Name, piechart.PieChartLabels.Percent]);
            return panel;
        }
        case "table": {
            const panel = new table.PanelBuilder().frameIndex(0).showHeader(true);
            const summary = (props.table?.summaryColumns ?? []).map((c) => ({ AVG: "mean", MAX: "max", MIN: "min", SUM: "sum" })[c]);
            if (summary.length > 0 && summary.every((c) => c !== undefined)) {
                panel.withTransformation({ id: "reduce", options: { mode: "seriesToRows", reducers: summary, includeTimeField: false } });
                if (props.table?.showTimeSeriesData !== false)
                    differences.push("the table shows the summary columns; the datapoints, which CloudWatch adds as columns, are in the panel's data");
            } else {
                panel.withTransformation({ id: "reduce", options: { mode: "seriesToRows", reducers: ["lastNotNull"], includeTimeField: false } });
                differences.push("the table has a row per metric with its latest value; CloudWatch's datapoint columns are in the panel's data");
            }
            return panel;
        }
        default:
            throw new Error(`view ${view}`);
    }
}

/** The views a metric widget can have, as CloudWatch names them. */
const views = ["timeSeries", "singleValue", "gauge", "bar", "pie", "table"];

/**
 * A metric widget as a panel of its view on the Prometheus datasource, one query per shown row,
 * at the widget's period (the query's minimum step, and the window of each statistic).
 */
export function translateMetricWidget(
    widget: Widget,
    ctx: WidgetContext,
): { panel: PanelBuilderBase<unknown>; differences: string[]; notes: string[]; bridged: BridgedMetric[] } | { reason: string } {
    const props = (widget.properties ?? {}) as MetricWidgetProperties;
    const view = props.view ?? "timeSeries";
    if (!views.includes(view)) return { reason: `its view ${view} is not one of ${views.join(", ")}` };
    const rows = expandMetricRows(props.metrics);
    if (typeof rows === "string") return { reason: rows };
    const queries = rowQueries(rows, props, ctx);
    if (queries.targets.length === 0) {
        return { reason: queries.failed.length > 0 ? queries.failed.join("; ") : "it shows no metric (every row is hidden)" };
    }
    const differences = [...queries.differences, ...queries.failed.map((f) => `not shown: ${f}`)];
    const statistics = [...new Set(queries.targets.map((t) => t.row.options.stat ?? props.stat ?? "Average"))];
    if (props.setPeriodToTimeRange && statistics.length > 1) {
        differences.push(`its rows' statistics (${statistics.join(", ")}) are reduced over the time range as the first one's`);
    }
    const statistic = statistics[0];
    const panel = viewPanel(props, statistic, differences);
    const period = props.period ?? 300;
    const labelOf = (dimension: string) => {
        for (const target of queries.targets) {
            const mapping = target.row.metric && findMapping(ctx.mappings, target.row.metric.namespace, target.row.metric.name);
            if (mapping && typeof mapping.dimensions[dimension] === "string") return mapping.dimensions[dimension] as string;
            if (!mapping && target.row.metric) return `dimension_${dimension}`;
        }
        return undefined;
    };
    for (const { row, expr } of queries.targets) {
        const target = new prometheus.DataqueryBuilder()
            .datasource(prometheusDatasource)
            .refId(row.id)
            .expr(expr)
            .interval(`${row.options.period ?? period}s`);
        const legend = legendOf(row, differences, labelOf);
        if (legend !== undefined) target.legendFormat(legend);
        panel.withTarget(target);
    }
    const right = queries.targets.filter((t) => t.row.options.yAxis === "right");
    if (panel instanceof timeseries.PanelBuilder) {
        for (const { row } of right) {
            panel.overrideByQuery(row.id, [
                { id: "custom.axisPlacement", value: "right" },
                ...(props.yAxis?.right?.label ? [{ id: "custom.axisLabel", value: props.yAxis.right.label }] : []),
                ...(props.yAxis?.right?.min !== undefined ? [{ id: "min", value: props.yAxis.right.min }] : []),
                ...(props.yAxis?.right?.max !== undefined ? [{ id: "max", value: props.yAxis.right.max }] : []),
            ]);
        }
    } else if (right.length > 0) {
        differences.push("a right axis exists only on graphs; its metrics share the panel's one scale");
    }
    const minMax = panel as unknown as { min(n: number): unknown; max(n: number): unknown; thresholds(t: dashboard.ThresholdsConfigBuilder): unknown };
    if (props.yAxis?.left?.min !== undefined) minMax.min(props.yAxis.left.min);
    if (props.yAxis?.left?.max !== undefined) minMax.max(props.yAxis.left.max);
    const thresholds = thresholdsOf(props, differences);
    if (thresholds) {
        minMax.thresholds(new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(thresholds.steps));
        if (panel instanceof timeseries.PanelBuilder) {
            panel.thresholdsStyle(
                new common.GraphThresholdsStyleConfigBuilder().mode(
                    thresholds.fill ? common.GraphThresholdsStyleMode.LineAndArea : common.GraphThresholdsStyleMode.Line,
                ),
            );
        }
    }
    if ((props.annotations?.vertical ?? []).length > 0) differences.push("vertical annotations (marks at fixed times) are not translated");
    if (props.liveData) differences.push("liveData: the current, still incomplete period is not shown; each point is a whole period");
    if (props.start !== undefined) {
        const from = relativeTime(props.start);
        if (from !== undefined && props.end === undefined) {
            (panel as unknown as { timeFrom(t: string): unknown }).timeFrom(from);
        } else {
            differences.push(`its own time range (${props.start}${props.end ? ` to ${props.end}` : ""}) is not kept: the panel follows the dashboard's`);
        }
    }
    panel.datasource(prometheusDatasource);
    return { panel, differences, notes: queries.notes, bridged: queries.bridged };
}
