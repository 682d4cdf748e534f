import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import * as logs from "@grafana/grafana-foundation-sdk/logs";
import * as text from "@grafana/grafana-foundation-sdk/text";
import * as timeseries from "@grafana/grafana-foundation-sdk/timeseries";
import * as common from "@grafana/grafana-foundation-sdk/common";
import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import { logGroupSelector } from "../metricFilters";
import { alertNameOf, promDuration } from "../translateAlarms";
import type { Widget } from "./dashboardBody";
import { logsDatasource, PanelBuilderBase, prometheusDatasource, WidgetContext } from "./widgetOutcome";

type Translated = { panel: PanelBuilderBase<unknown>; differences: string[]; notes: string[] } | { reason: string };

/** A text widget: its Markdown in a text panel. */
export function translateTextWidget(widget: Widget): Translated {
    const props = (widget.properties ?? {}) as { markdown?: string; background?: string };
    if (typeof props.markdown !== "string") return { reason: "it has no markdown" };
    const panel = new text.PanelBuilder().mode(text.TextMode.Markdown).content(props.markdown);
    if (props.background === "transparent") panel.transparent(true);
    return { panel, differences: [], notes: [] };
}

/** The alarm name in a CloudWatch alarm ARN (arn:aws:cloudwatch:<region>:<account>:alarm:<name>). */
export function alarmNameOf(arn: string): string | undefined {
    return /^arn:aws[a-z-]*:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/.exec(arn)?.[1];
}

/** Escapes a value for a Prometheus regex matcher inside a double-quoted PromQL string. */
function regexLiteral(value: string): string {
    return value
        .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
        .replace(/\\/g, "\\\\")
        .replace(/"/g, '\\"');
}

/**
 * An alarm status widget (type alarm): Grafana's alert list, filtered on the alerts the widget's
 * alarms became (by alertname), in the states the widget shows.
 */
export function translateAlarmWidget(widget: Widget, ctx: WidgetContext): Translated {
    const props = (widget.properties ?? {}) as { alarms?: unknown; states?: unknown; sortBy?: string };
    if (!Array.isArray(props.alarms) || props.alarms.length === 0) return { reason: "it lists no alarms" };
    const differences: string[] = [];
    const notes: string[] = [];
    const alerts: string[] = [];
    for (const arn of props.alarms) {
        const name = typeof arn === "string" ? alarmNameOf(arn) : undefined;
        if (name === undefined) {
            differences.push(`${JSON.stringify(arn)} is not a CloudWatch alarm ARN and is left out`);
            continue;
        }
        if (ctx.alarmAlerts === undefined) {
            alerts.push(alertNameOf(name));
            continue;
        }
        const translated = ctx.alarmAlerts.get(name);
        if (translated === undefined) differences.push(`alarm ${name} was not translated (see the alarm report), so the list cannot show it`);
        else alerts.push(...translated);
    }
    if (ctx.alarmAlerts === undefined)
        notes.push("alert names derived from the alarm names, as the alarm translator names them; give the alarms (--alarms) to check them");
    if (alerts.length === 0) return { reason: differences.join("; ") || "none of its alarms became an alert" };
    const states = Array.isArray(props.states) ? (props.states as string[]) : ["ALARM", "INSUFFICIENT_DATA", "OK"];
    if (states.includes("INSUFFICIENT_DATA")) differences.push("INSUFFICIENT_DATA has no Prometheus state: alerts are firing, pending or inactive");
    if (props.sortBy === "stateUpdatedTimestamp" || props.sortBy === "timestamp") notes.push("sorted by the time of the last change, newest first");
    const panel = new dashboard.PanelBuilder()
        .type("alertlist")
        .datasource(prometheusDatasource)
        .options({
            viewMode: "list",
            groupMode: "default",
            groupBy: [],
            maxItems: 50,
            sortOrder: props.sortBy === "stateUpdatedTimestamp" || props.sortBy === "timestamp" ? 2 : 1,
            dashboardAlerts: false,
            alertName: "",
            alertInstanceLabelFilter: `{alertname=~"${[...new Set(alerts)].map(regexLiteral).join("|")}"}`,
            datasource: "${DS_PROMETHEUS}",
            stateFilter: { firing: states.includes("ALARM"), pending: states.includes("ALARM"), noData: false, normal: states.includes("OK"), error: true },
            folder: undefined,
            showInstances: true,
        });
    return { panel, differences, notes };
}

/** A Logs Insights query read into its log groups and commands. */
interface InsightsQuery {
    readonly logGroups: string[];
    readonly commands: { readonly name: string; readonly args: string }[];
}

function parseInsightsQuery(query: string): InsightsQuery {
    const logGroups: string[] = [];
    const commands: { name: string; args: string }[] = [];
    for (const part of query.split(/\n|\|/).map((p) => p.trim())) {
        if (part === "") continue;
        const source = /^SOURCE\s+'([^']+)'$/i.exec(part) ?? /^SOURCE\s+"([^"]+)"$/i.exec(part);
        if (source) {
            logGroups.push(source[1]);
            continue;
        }
        const [name, ...rest] = part.split(/\s+/);
        commands.push({ name: name.toLowerCase(), args: rest.join(" ") });
    }
    return { logGroups, commands };
}

/** A Logs Insights filter on @message as LogsQL: like /regex/ or like "text" (a substring), or a reason. */
function messageFilter(args: string): string | { reason: string } {
    const regex = /^@message\s+like\s+\/(.*)\/$/.exec(args);
    if (regex) return `_msg:~${JSON.stringify(regex[1])}`;
    const substring = /^@message\s+like\s+["'](.*)["']$/.exec(args);
    if (substring) return `_msg:~${JSON.stringify(substring[1].replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))}`;
    return { reason: `the filter ${args} is not a like on @message` };
}

/**
 * A log widget (a Logs Insights query) on the log store's datasource, when its query is a filter
 * on the message (a logs panel, newest first, as many lines as its limit) or a count of lines per
 * time bin (a graph); any other query is reported.
 */
export function translateLogWidget(widget: Widget, ctx: WidgetContext): Translated {
    const props = (widget.properties ?? {}) as { query?: string; view?: string; stacked?: boolean };
    if (typeof props.query !== "string") return { reason: "it has no query" };
    if (!ctx.logs) return { reason: "a Logs Insights query reads the log store, and logs is off (pulumi config set logs true)" };
    const query = parseInsightsQuery(props.query);
    if (query.logGroups.length === 0) return { reason: "its query names no log group (SOURCE '<group>')" };
    const differences: string[] = [];
    const selectors = query.logGroups.map((group) => {
        const { selector, approximation } = logGroupSelector(group, ctx.logGroups, "panel");
        if (approximation) differences.push(approximation);
        return selector;
    });
    const filters: string[] = [selectors.length === 1 ? selectors[0] : `(${selectors.join(" or ")})`];
    let limit = 1000;
    let bin: number | undefined;
    for (const command of query.commands) {
        switch (command.name) {
            case "fields":
            case "display":
                differences.push(`${command.name} ${command.args}: the panel shows whole lines, with their fields in the details`);
                break;
            case "filter": {
                const filter = messageFilter(command.args);
                if (typeof filter !== "string") return { reason: `its query is not translated: ${filter.reason}` };
                filters.push(filter);
                break;
            }
            case "sort":
                if (!/^@timestamp\s+desc$/i.test(command.args)) differences.push(`sort ${command.args}: the lines are newest first`);
                break;
            case "limit":
                limit = Number(command.args) || limit;
                break;
            case "stats": {
                const count = /^count\(\*?\)(?:\s+as\s+\w+)?\s+by\s+bin\((\d+)([smhd])\)$/i.exec(command.args);
                if (!count) return { reason: `its query is not translated: stats ${command.args} is not count(*) by bin(...)` };
                bin = Number(count[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[count[2].toLowerCase() as "s" | "m" | "h" | "d"];
                break;
            }
            default:
                return { reason: `its query is not translated: the command ${command.name} has no LogsQL equivalent here` };
        }
    }
    const logsql = filters.join(" ");
    if (bin !== undefined) {
        const target = {
            datasource: logsDatasource,
            refId: "A",
            queryType: "statsRange",
            editorMode: "code",
            expr: `${logsql} | stats count() as lines`,
            step: promDuration(bin),
        } as unknown as cog.Dataquery;
        const panel = new timeseries.PanelBuilder()
            .datasource(logsDatasource)
            .withTarget({ build: () => target })
            .drawStyle(props.view === "bar" ? common.GraphDrawStyle.Bars : common.GraphDrawStyle.Line)
            .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom))
            .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending));
        if (props.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
        return { panel, differences, notes: [`lines per ${promDuration(bin)} from the log store`] };
    }
    const target = {
        datasource: logsDatasource,
        refId: "A",
        queryType: "instant",
        editorMode: "code",
        expr: logsql,
        maxLines: limit,
    } as unknown as cog.Dataquery;
    const panel = new logs.PanelBuilder()
        .datasource(logsDatasource)
        .withTarget({ build: () => target })
        .showTime(true)
        .wrapLogMessage(true)
        .enableLogDetails(true)
        .sortOrder(common.LogsSortOrder.Descending)
        .dedupStrategy(common.LogsDedupStrategy.None);
    if (props.view !== undefined && props.view !== "table") differences.push(`the ${props.view} view of the lines is a logs panel`);
    return { panel, differences, notes: [] };
}
