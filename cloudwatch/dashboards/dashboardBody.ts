import * as path from "path";

/**
 * A CloudWatch dashboard as `aws cloudwatch get-dashboard` returns it (DashboardName, and
 * DashboardBody: the dashboard's JSON in a string), read into the fields the translator uses.
 * The body's format: "Dashboard Body Structure and Syntax" in the CloudWatch User Guide.
 */
export interface CloudWatchDashboard {
    readonly name: string;
    readonly body: DashboardBody;
}

export interface DashboardBody {
    readonly widgets: readonly Widget[];
    /** The time range's start when the dashboard loads: -PT3H, or an ISO 8601 time. */
    readonly start?: string;
    readonly end?: string;
    /** "auto" or "inherit": whether the dashboard's period overrides each graph's. */
    readonly periodOverride?: string;
    readonly variables?: readonly DashboardVariable[];
}

export interface Widget {
    readonly type: string;
    readonly x?: number;
    readonly y?: number;
    readonly width?: number;
    readonly height?: number;
    readonly properties?: Readonly<Record<string, unknown>>;
}

/** A dashboard variable: a property (a dimension's value in every widget) or a pattern (text replaced in every widget). */
export interface DashboardVariable {
    readonly type: "property" | "pattern";
    readonly id?: string;
    readonly label?: string;
    readonly property?: string;
    readonly pattern?: string;
    readonly inputType?: string;
    readonly defaultValue?: string;
    readonly values?: readonly { readonly value: string; readonly label?: string }[];
}

function fail(source: string, message: string, fix: string): never {
    throw new Error(`${source}: ${message}; ${fix}`);
}

const exportFix = "give the output of aws cloudwatch get-dashboard --dashboard-name <name> --output json";

/** Checks one widget's shape; `where` names it in errors. */
function checkWidget(widget: unknown, where: string, source: string): Widget {
    if (widget === null || typeof widget !== "object" || Array.isArray(widget)) fail(source, `${where} is not an object`, exportFix);
    const w = widget as Record<string, unknown>;
    if (typeof w.type !== "string") fail(source, `${where} has no type (metric, text, alarm, log, ...)`, exportFix);
    for (const key of ["x", "y", "width", "height"]) {
        if (w[key] !== undefined && (typeof w[key] !== "number" || !Number.isInteger(w[key]) || (w[key] as number) < 0)) {
            fail(source, `${where}.${key} is ${JSON.stringify(w[key])}, not a whole number of grid units`, exportFix);
        }
    }
    if (w.properties !== undefined && (w.properties === null || typeof w.properties !== "object" || Array.isArray(w.properties))) {
        fail(source, `${where}.properties is not an object`, exportFix);
    }
    return w as unknown as Widget;
}

/** Checks a DashboardBody's shape (an object with a widgets list); `source` names it in errors. */
export function checkDashboardBody(body: unknown, source: string): DashboardBody {
    if (body === null || typeof body !== "object" || Array.isArray(body)) fail(source, "the dashboard body is not an object", exportFix);
    const b = body as Record<string, unknown>;
    if (!Array.isArray(b.widgets)) fail(source, "the dashboard body has no widgets list", exportFix);
    const widgets = b.widgets.map((widget, i) => checkWidget(widget, `widgets[${i}]`, source));
    if (b.variables !== undefined) {
        if (!Array.isArray(b.variables)) fail(source, "variables is not a list", exportFix);
        b.variables.forEach((variable: unknown, i: number) => {
            const v = variable as Record<string, unknown>;
            if (v === null || typeof v !== "object" || (v.type !== "property" && v.type !== "pattern")) {
                fail(source, `variables[${i}] is not a property or pattern variable`, exportFix);
            }
        });
    }
    return { ...(b as object), widgets } as DashboardBody;
}

/**
 * Reads a file of `aws cloudwatch get-dashboard` output ({ DashboardName, DashboardBody }), or a
 * DashboardBody alone (then named after the file). Names the file and the problem otherwise.
 */
export function parseCloudWatchDashboard(text: string, source: string): CloudWatchDashboard {
    let doc: unknown;
    try {
        doc = JSON.parse(text);
    } catch (error) {
        fail(source, `not JSON (${(error as Error).message})`, exportFix);
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) fail(source, "not a JSON object", exportFix);
    const d = doc as Record<string, unknown>;
    if (typeof d.DashboardBody === "string") {
        if (typeof d.DashboardName !== "string" || d.DashboardName === "") fail(source, "DashboardBody without a DashboardName", exportFix);
        let body: unknown;
        try {
            body = JSON.parse(d.DashboardBody);
        } catch (error) {
            fail(source, `DashboardBody is not JSON (${(error as Error).message})`, exportFix);
        }
        return { name: d.DashboardName, body: checkDashboardBody(body, source) };
    }
    if (Array.isArray(d.widgets)) {
        return { name: path.basename(source).replace(/\.json$/i, ""), body: checkDashboardBody(d, source) };
    }
    return fail(source, "has neither DashboardBody nor widgets", exportFix);
}
