import * as path from "path";
import Ajv, { ValidateFunction } from "ajv";
import { createGenerator } from "ts-json-schema-generator";

/*
 * Grafana's published dashboard schema: the types Grafana generates from its dashboard and panel
 * kinds and publishes as @grafana/schema (Apache-2.0), pinned to the Grafana release the stack
 * installs by default (grafanaVersion 11.3.1), turned into JSON Schema by ts-json-schema-generator
 * and checked with Ajv. Objects must not carry fields the schema does not know.
 */
const raw = path.join(__dirname, "..", "..", "node_modules", "@grafana", "schema", "dist", "esm", "raw");

/** The panel types whose options (and field config) the schema declares, and the file that declares them. */
const panelTypes: Record<string, string> = {
    timeseries: "timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen.d.ts",
    stat: "stat/panelcfg/x/StatPanelCfg_types.gen.d.ts",
    gauge: "gauge/panelcfg/x/GaugePanelCfg_types.gen.d.ts",
    bargauge: "bargauge/panelcfg/x/BarGaugePanelCfg_types.gen.d.ts",
    piechart: "piechart/panelcfg/x/PieChartPanelCfg_types.gen.d.ts",
    table: "table/panelcfg/x/TablePanelCfg_types.gen.d.ts",
    text: "text/panelcfg/x/TextPanelCfg_types.gen.d.ts",
    logs: "logs/panelcfg/x/LogsPanelCfg_types.gen.d.ts",
};

function compile(file: string, type: string): ValidateFunction {
    const schema = createGenerator({ path: file, type, skipTypeCheck: true, additionalProperties: false }).createSchema(type);
    return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

const cache = new Map<string, ValidateFunction>();
function validator(file: string, type: string): ValidateFunction {
    const key = `${file}#${type}`;
    if (!cache.has(key)) cache.set(key, compile(file, type));
    return cache.get(key)!;
}

function problems(validate: ValidateFunction, value: unknown, where: string): string[] {
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${where}${e.instancePath} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ""}`);
}

/**
 * What in a dashboard (the JSON Grafana stores) Grafana's schema refuses: the dashboard itself,
 * and each panel's options and field config against its panel type's. Empty when it validates.
 */
export function dashboardSchemaProblems(dashboard: unknown): string[] {
    const found = problems(validator(path.join(raw, "dashboard/x/dashboard_types.gen.d.ts"), "Dashboard"), dashboard, "dashboard");
    const panels = ((dashboard as { panels?: unknown[] }).panels ?? []) as {
        type?: string;
        options?: unknown;
        fieldConfig?: { defaults?: { custom?: unknown } };
    }[];
    panels.forEach((panel, i) => {
        const file = panel.type !== undefined ? panelTypes[panel.type] : undefined;
        if (file === undefined) return;
        found.push(...problems(validator(path.join(raw, "composable", file), "Options"), panel.options ?? {}, `panels[${i}] (${panel.type}) options`));
        const custom = panel.fieldConfig?.defaults?.custom;
        if (custom !== undefined && ["timeseries", "piechart", "table"].includes(panel.type!)) {
            found.push(
                ...problems(validator(path.join(raw, "composable", file), "FieldConfig"), custom, `panels[${i}] (${panel.type}) fieldConfig.defaults.custom`),
            );
        }
    });
    return found;
}

/** The panel types whose options the schema checks. */
export const schemaPanelTypes = Object.keys(panelTypes);
