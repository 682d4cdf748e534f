/**
 * Prepares a published Grafana dashboard for import as code, whichever form it was published in:
 * - the grafana.com export form: an `__inputs` list with a Prometheus datasource input such as
 *   DS_PROMETHEUS, referenced as `${DS_PROMETHEUS}`;
 * - the datasource-variable form: a `datasource` template variable such as ds_prometheus,
 *   referenced as `${ds_prometheus}`.
 * Every reference ends up pointing at one datasource uid; `__inputs`, `__requires` and
 * `__elements` go; `id` becomes null and `uid` a stable value. Panels, queries and variables are
 * otherwise left as they are. Pure and idempotent.
 */

/** The log store's datasource plugin (victoriametrics-logs-datasource). */
export const logsDatasourcePlugin = "victoriametrics-logs-datasource";

/** Where the dashboard goes. */
export interface DashboardImport {
    /** uid of the Prometheus datasource every reference should use. */
    readonly datasourceUid: string;
    /** uid of the log store's datasource, for a dashboard with log panels; none when logs is off. */
    readonly logsDatasourceUid?: string;
    /** Stable uid of the dashboard, so its URL does not change between deployments. */
    readonly dashboardUid: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface DashboardInput {
    name?: string;
    type?: string;
    pluginId?: string;
    value?: string;
}

/** Replaces `$name` and `${name}` (also `${name:format}`) in every string of a JSON value. */
function replaceReferences(value: Json, names: readonly string[], replacement: (name: string) => string): Json {
    if (typeof value === "string") {
        let out = value;
        for (const name of names) {
            out = out.replace(new RegExp(`\\$\\{${name}(:[a-z]+)?\\}|\\$${name}\\b`, "g"), () => replacement(name));
        }
        return out;
    }
    if (Array.isArray(value)) {
        return value.map((v) => replaceReferences(v, names, replacement));
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceReferences(v, names, replacement)]));
    }
    return value;
}

/** Why a text is not a Grafana dashboard ("not JSON (...)", "not a Grafana dashboard (no panels list)"), or undefined when it is one. */
export function dashboardShapeProblem(text: string): string | undefined {
    let dashboard: unknown;
    try {
        dashboard = JSON.parse(text);
    } catch (error) {
        return `is not JSON (${(error as Error).message})`;
    }
    if (dashboard === null || typeof dashboard !== "object" || Array.isArray(dashboard) || !Array.isArray((dashboard as { panels?: unknown }).panels)) {
        return "is not a Grafana dashboard (no panels list)";
    }
    return undefined;
}

/**
 * Returns the dashboard JSON ready for grafana.oss.Dashboard's configJson. Throws, naming the
 * input, for a datasource input or variable that is not Prometheus: such a dashboard needs
 * another datasource than the one this project provides.
 */
export function prepareDashboard(text: string, target: DashboardImport, source = "dashboard"): string {
    const shape = dashboardShapeProblem(text);
    if (shape !== undefined) throw new Error(`${source}: ${shape}`);
    const dashboard = JSON.parse(text) as { [key: string]: Json };

    const datasourceNames: string[] = [];
    const logsDatasourceNames: string[] = [];
    const constants: Record<string, string> = {};
    for (const input of (dashboard.__inputs ?? []) as DashboardInput[]) {
        if (input.type === "datasource") {
            if (input.pluginId === logsDatasourcePlugin && target.logsDatasourceUid !== undefined) {
                logsDatasourceNames.push(String(input.name));
                continue;
            }
            if (input.pluginId !== "prometheus") {
                throw new Error(
                    `${source}: input ${input.name} needs a ${input.pluginId ?? "unknown"} datasource; only Prometheus is provided${input.pluginId === logsDatasourcePlugin ? ", and the log store's datasource with logs on" : ""}`,
                );
            }
            datasourceNames.push(String(input.name));
        } else if (input.type === "constant") {
            constants[String(input.name)] = String(input.value ?? "");
        } else {
            throw new Error(`${source}: input ${input.name} of type ${input.type} cannot be filled in automatically`);
        }
    }
    const templating = dashboard.templating as { list?: { name?: string; type?: string; query?: Json }[] } | undefined;
    for (const variable of templating?.list ?? []) {
        if (variable.type === "datasource") {
            if (variable.query !== "prometheus") {
                throw new Error(`${source}: variable ${variable.name} selects a ${JSON.stringify(variable.query)} datasource; only Prometheus is provided`);
            }
            if (!datasourceNames.includes(String(variable.name))) datasourceNames.push(String(variable.name));
        }
    }

    const rest = Object.fromEntries(Object.entries(dashboard).filter(([key]) => !["__inputs", "__requires", "__elements"].includes(key)));
    let prepared = replaceReferences(rest, datasourceNames, () => target.datasourceUid) as { [key: string]: Json };
    prepared = replaceReferences(prepared, logsDatasourceNames, () => target.logsDatasourceUid!) as { [key: string]: Json };
    prepared = replaceReferences(prepared, Object.keys(constants), (name) => constants[name]) as { [key: string]: Json };
    prepared.id = null;
    prepared.uid = target.dashboardUid;
    return JSON.stringify(prepared, null, 2) + "\n";
}
