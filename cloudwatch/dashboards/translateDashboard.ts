import { createHash } from "crypto";
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as text from "@grafana/grafana-foundation-sdk/text";
import { findMapping } from "../metricMappings";
import type { BridgedMetric } from "../translateAlarms";
import type { CloudWatchDashboard, DashboardVariable, Widget } from "./dashboardBody";
import { relativeTime, translateMetricWidget } from "./metricWidget";
import { translateAlarmWidget, translateLogWidget, translateTextWidget } from "./otherWidgets";
import { logsDatasource, prometheusDatasource, WidgetContext, WidgetOutcome } from "./widgetOutcome";

/** One widget in the report: where it was, what it became, and how close. */
export interface WidgetReport {
    /** widgets[3] metric "EC2 CPU" */
    readonly widget: string;
    readonly status: WidgetOutcome["status"];
    readonly differences: readonly string[];
    readonly notes: readonly string[];
    readonly reason?: string;
}

/** A translated dashboard: Grafana's JSON in the grafana.com export form (datasources as inputs), and the report. */
export interface DashboardTranslation {
    readonly name: string;
    readonly uid: string;
    readonly title: string;
    /** The dashboard's JSON, with ${DS_PROMETHEUS} (and ${DS_VICTORIALOGS}) for the stack's import to fill in. */
    readonly json: string;
    readonly widgets: readonly WidgetReport[];
    readonly variables: readonly string[];
    readonly bridged: readonly BridgedMetric[];
}

/**
 * The Grafana uid of a CloudWatch dashboard, from its name: the same name gives the same uid, so a
 * re-run updates the dashboard rather than adding one. Grafana's uids are at most 40 characters of
 * letters, digits, - and _: a longer or changed name keeps a hash of the whole name.
 */
export function dashboardUid(name: string): string {
    const slug = name
        .toLowerCase()
        .replace(/[^a-z0-9_-]+/g, "-")
        .replace(/^-+|-+$/g, "");
    const uid = `cloudwatch-${slug}`;
    if (uid.length <= 40 && slug === name) return uid;
    const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
    return `${uid.slice(0, 31).replace(/-+$/, "")}-${hash}`;
}

function titleOf(widget: Widget): string {
    const title = widget.properties?.title;
    return typeof title === "string" ? title : "";
}

/** A widget's grid position: CloudWatch's grid is 24 columns, as Grafana's; sizes default as CloudWatch's (6 by 6). */
function gridPosOf(widget: Widget, fallbackY: number): dashboard.GridPos {
    return { x: widget.x ?? 0, y: widget.y ?? fallbackY, w: widget.width ?? 6, h: widget.height ?? 6 };
}

/** The dimension names the dashboard's variables set, and the Grafana variables they become. */
function variablesOf(
    variables: readonly DashboardVariable[],
    ctx: Omit<WidgetContext, "dimensionVariables">,
    widgets: readonly Widget[],
): { builders: dashboard.CustomVariableBuilder[] | dashboard.QueryVariableBuilder[]; dimensions: Map<string, string>; report: string[] } {
    const builders: (dashboard.CustomVariableBuilder | dashboard.QueryVariableBuilder)[] = [];
    const dimensions = new Map<string, string>();
    const report: string[] = [];
    for (const variable of variables) {
        const name = (variable.id ?? variable.property ?? "var").replace(/[^A-Za-z0-9_]/g, "_");
        if (variable.type !== "property" || !variable.property) {
            report.push(
                `pattern variable ${variable.id ?? variable.pattern ?? "?"} not translated: it replaces text anywhere in the widgets; give the widgets the values themselves`,
            );
            continue;
        }
        // The label the dimension has in the mapped series the widgets read, and one such series.
        let label: string | undefined;
        let series: string | undefined;
        for (const widget of widgets) {
            for (const row of (widget.properties?.metrics as unknown[][] | undefined) ?? []) {
                if (!Array.isArray(row) || typeof row[0] !== "string" || typeof row[1] !== "string" || row[0].startsWith(".")) continue;
                const mapping = findMapping(ctx.mappings, row[0], row[1]);
                const mapped = mapping ? mapping.dimensions[variable.property] : `dimension_${variable.property}`;
                if (typeof mapped === "string") {
                    label = mapped;
                    series = mapping ? (mapping.series ?? `${mapping.histogram}_count`) : undefined;
                }
            }
        }
        if (label === undefined) {
            report.push(`property variable ${name} (${variable.property}) not translated: no widget's metric has a label for that dimension`);
            continue;
        }
        dimensions.set(variable.property, name);
        const values = (variable.values ?? []).map((v) => v.value);
        const builder =
            values.length > 0 || series === undefined
                ? new dashboard.CustomVariableBuilder(name).values(values.join(",") || (variable.defaultValue ?? ""))
                : new dashboard.QueryVariableBuilder(name)
                      .datasource(prometheusDatasource)
                      .query(`label_values(${series}, ${label})`)
                      .refresh(dashboard.VariableRefresh.OnTimeRangeChanged);
        builder
            .label(variable.label ?? variable.property)
            .multi(true)
            .includeAll(true);
        if (variable.defaultValue) builder.current({ text: variable.defaultValue, value: variable.defaultValue });
        builders.push(builder);
        report.push(`property variable ${name}: ${variable.property} as the label ${label}${series ? ` (values from ${series})` : ""}`);
    }
    return { builders: builders as dashboard.CustomVariableBuilder[], dimensions, report };
}

/** A text panel where a widget was not translated, saying what it was and why. */
function notTranslatedPanel(widget: Widget, reason: string): text.PanelBuilder {
    return new text.PanelBuilder()
        .title(titleOf(widget) || `CloudWatch ${widget.type} widget`)
        .mode(text.TextMode.Markdown)
        .content(`**Not translated from CloudWatch** (${widget.type} widget): ${reason}`);
}

/** An alarm widget (a metric widget that graphs alarms: annotations.alarms, no metrics) as the alert list of those alarms. */
function alarmGraph(widget: Widget, alarms: unknown, ctx: WidgetContext): ReturnType<typeof translateAlarmWidget> {
    const list = translateAlarmWidget({ ...widget, properties: { alarms, states: ["ALARM", "OK"] } }, ctx);
    if ("reason" in list) return list;
    return { ...list, differences: ["the alarm's graph (its metric and threshold) is shown as its alert's state in an alert list", ...list.differences] };
}

function translateWidget(widget: Widget, ctx: WidgetContext): WidgetOutcome {
    const graphedAlarms =
        widget.type === "metric" && widget.properties?.metrics === undefined ? (widget.properties?.annotations as { alarms?: unknown })?.alarms : undefined;
    const outcome =
        graphedAlarms !== undefined
            ? alarmGraph(widget, graphedAlarms, ctx)
            : widget.type === "metric"
              ? translateMetricWidget(widget, ctx)
              : widget.type === "text"
                ? translateTextWidget(widget)
                : widget.type === "alarm"
                  ? translateAlarmWidget(widget, ctx)
                  : widget.type === "log"
                    ? translateLogWidget(widget, ctx)
                    : {
                          reason:
                              widget.type === "explorer"
                                  ? "a metrics explorer widget selects metrics by tags at view time; graph the metrics it shows with a metric widget"
                                  : `a ${widget.type} widget has no Grafana equivalent here`,
                      };
    if ("reason" in outcome) {
        return {
            panel: notTranslatedPanel(widget, outcome.reason),
            status: "not translated",
            differences: [],
            notes: [],
            reason: outcome.reason,
            bridged: [],
            readsLogs: false,
        };
    }
    const title = titleOf(widget);
    if (title !== "") outcome.panel.title(title);
    const bridged = "bridged" in outcome ? (outcome.bridged as BridgedMetric[]) : [];
    return {
        panel: outcome.panel,
        status: outcome.differences.length > 0 ? "approximated" : "translated",
        differences: outcome.differences,
        notes: outcome.notes,
        bridged,
        readsLogs: widget.type === "log",
    };
}

/** Options of the translation: the alarms' mappings and what the stack runs. */
export type TranslateDashboardOptions = Omit<WidgetContext, "dimensionVariables">;

/**
 * Translates one CloudWatch dashboard into a Grafana dashboard built with the Grafana foundation
 * SDK: each widget at its place and size, a panel per widget (a text panel saying why where a
 * widget is not translated), the property variables as template variables, the time range. Pure.
 */
export function translateDashboard(source: CloudWatchDashboard, options: TranslateDashboardOptions): DashboardTranslation {
    const { body } = source;
    const variables = variablesOf(body.variables ?? [], options, body.widgets);
    const ctx: WidgetContext = { ...options, dimensionVariables: variables.dimensions };
    const uid = dashboardUid(source.name);
    const builder = new dashboard.DashboardBuilder(source.name)
        .uid(uid)
        .tags(["cloudwatch"])
        .description(`Translated from the CloudWatch dashboard ${source.name} by npm run translate-dashboards.`)
        .editable()
        .time({
            from: relativeTime(body.start ?? "-PT3H") !== undefined ? `now-${relativeTime(body.start ?? "-PT3H")}` : (body.start ?? "now-3h"),
            to: body.end ?? "now",
        });
    for (const variable of variables.builders) builder.withVariable(variable);

    const reports: WidgetReport[] = [];
    const bridged: BridgedMetric[] = [];
    let readsLogs = false;
    let bottom = 0;
    body.widgets.forEach((widget, i) => {
        const outcome = translateWidget(widget, ctx);
        const gridPos = gridPosOf(widget, bottom);
        bottom = Math.max(bottom, gridPos.y + gridPos.h);
        (outcome.panel as unknown as { id(n: number): unknown; gridPos(g: dashboard.GridPos): unknown }).id(i + 1);
        (outcome.panel as unknown as { gridPos(g: dashboard.GridPos): unknown }).gridPos(gridPos);
        builder.withPanel(outcome.panel);
        bridged.push(...outcome.bridged);
        readsLogs ||= outcome.readsLogs;
        const title = titleOf(widget);
        reports.push({
            widget: `widgets[${i}] ${widget.type}${title ? ` ${JSON.stringify(title)}` : ""}`,
            status: outcome.status,
            differences: outcome.differences,
            notes: outcome.notes,
            ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
        });
    });
    const inputs = [
        { name: "DS_PROMETHEUS", label: "Prometheus", description: "", type: "datasource", pluginId: "prometheus", pluginName: "Prometheus" },
        ...(readsLogs
            ? [
                  {
                      name: "DS_VICTORIALOGS",
                      label: "VictoriaLogs",
                      description: "The log store (setting logs)",
                      type: "datasource",
                      pluginId: logsDatasource.type,
                      pluginName: "VictoriaLogs",
                  },
              ]
            : []),
    ];
    const built = builder.build();
    // The SDK (Grafana 11.6's schema) writes an interval variable's auto fields and allowCustomValue
    // on every variable; Grafana 11.3's schema, the release the stack installs, declares none of them.
    const templating = {
        list: (built.templating.list ?? []).map((variable) =>
            Object.fromEntries(Object.entries(variable).filter(([key]) => !["auto", "auto_min", "auto_count", "allowCustomValue"].includes(key))),
        ),
    };
    const json = JSON.stringify({ __inputs: inputs, ...built, templating }, null, 2) + "\n";
    return { name: source.name, uid, title: source.name, json, widgets: reports, variables: variables.report, bridged };
}

/** How many widgets were translated, approximated and not translated. */
export function widgetCounts(translations: readonly DashboardTranslation[]): { translated: number; approximated: number; notTranslated: number } {
    const all = translations.flatMap((t) => t.widgets);
    return {
        translated: all.filter((w) => w.status === "translated").length,
        approximated: all.filter((w) => w.status === "approximated").length,
        notTranslated: all.filter((w) => w.status === "not translated").length,
    };
}

/** The report, for standard error: per dashboard, each widget translated, approximated (every difference) or not translated (why). */
export function formatDashboardReport(translations: readonly DashboardTranslation[]): string {
    const counts = widgetCounts(translations);
    const lines = [`${counts.translated} widgets translated, ${counts.approximated} approximated, ${counts.notTranslated} not translated`];
    for (const t of translations) {
        lines.push(`dashboard ${t.name} -> uid ${t.uid}`);
        for (const variable of t.variables) lines.push(`  ${variable}`);
        for (const w of t.widgets) {
            lines.push(`  ${w.status === "not translated" ? "not translated" : w.status.padEnd(14)} ${w.widget}${w.reason ? `: ${w.reason}` : ""}`);
            for (const difference of w.differences) lines.push(`      differs: ${difference}`);
            for (const note of w.notes) lines.push(`      note: ${note}`);
        }
    }
    return lines.join("\n") + "\n";
}

/** The alerts each translated alarm became, by alarm name: what alarm status widgets list. */
export function alarmAlertsOf(translation: {
    readonly translated: readonly { readonly alarm: string; readonly alerts: readonly string[] }[];
}): Map<string, readonly string[]> {
    return new Map(translation.translated.map((t) => [t.alarm, t.alerts]));
}
