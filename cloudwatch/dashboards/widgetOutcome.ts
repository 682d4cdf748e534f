import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import type { LogGroupMapping } from "../metricFilters";
import type { MetricMapping } from "../metricMappings";
import type { BridgedMetric } from "../translateAlarms";

/** The datasources a translated dashboard names, in the grafana.com export form the stack's import fills in. */
export const prometheusDatasource: dashboard.DataSourceRef = { type: "prometheus", uid: "${DS_PROMETHEUS}" };
export const logsDatasource: dashboard.DataSourceRef = { type: "victoriametrics-logs-datasource", uid: "${DS_VICTORIALOGS}" };

/** The methods every panel builder of the SDK has that a widget's translation sets. */
export interface PanelBuilderBase<T> extends cog.Builder<dashboard.Panel> {
    title(title: string): T;
    description(description: string): T;
    gridPos(gridPos: dashboard.GridPos): T;
    datasource(datasource: dashboard.DataSourceRef): T;
    withTarget(target: cog.Builder<cog.Dataquery>): T;
    transparent(transparent: boolean): T;
}

/**
 * What one widget became: a panel, and how close it is. translated: it shows what CloudWatch
 * showed; approximated: every difference named; not translated: why (its place on the dashboard
 * then holds a text panel that says so).
 */
export interface WidgetOutcome {
    readonly panel: cog.Builder<dashboard.Panel>;
    readonly status: "translated" | "approximated" | "not translated";
    readonly differences: readonly string[];
    readonly notes: readonly string[];
    readonly reason?: string;
    /** CloudWatch metrics its queries read through the bridge (YACE): those without a mapping. */
    readonly bridged: readonly BridgedMetric[];
    /** Whether its queries read the log store. */
    readonly readsLogs: boolean;
}

/** What the translation of a dashboard's widgets reads beyond the widget itself. */
export interface WidgetContext {
    /** Mappings tried first (the user's, then the built-in ones), as for the alarms. */
    readonly mappings: readonly MetricMapping[];
    /** Seconds between samples (the scrape interval). */
    readonly sampleInterval: number;
    /** Whether the log store runs (setting logs): log widgets need it. */
    readonly logs: boolean;
    /** Where log groups' lines are in the log store (the mapping file's logGroup entries). */
    readonly logGroups: readonly LogGroupMapping[];
    /** The alerts each translated alarm became, by alarm name, when the alarms were given; else alert names are derived from alarm names. */
    readonly alarmAlerts?: ReadonlyMap<string, readonly string[]>;
    /** Dimension name to the Grafana variable that sets its value (the dashboard's property variables). */
    readonly dimensionVariables: ReadonlyMap<string, string>;
}
