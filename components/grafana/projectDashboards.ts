import * as fs from "fs";
import * as path from "path";
import type { DashboardSpec } from "./grafanaContent";
import { prepareDashboard } from "./importDashboard";

/** The project's own Flask dashboard, in the grafana.com export form (with ${DS_PROMETHEUS}). */
export function flaskDashboardSource(): string {
    return fs.readFileSync(path.join(__dirname, "..", "..", "configs", "grafana", "flask-app.dashboard.json"), "utf8");
}

/** The log panels of the Flask dashboard (with setting logs), in the grafana.com export form (with ${DS_VICTORIALOGS}). */
export function flaskLogPanelsSource(): string {
    return fs.readFileSync(path.join(__dirname, "..", "..", "configs", "grafana", "flask-app.logs-panels.json"), "utf8");
}

/** The Flask dashboard with its log panels below the others, and their datasource among its inputs. Pure. */
export function withLogPanels(dashboardText: string, panelsText: string): string {
    type Panel = { id?: number; gridPos: { y: number; h: number } };
    const dashboard = JSON.parse(dashboardText) as { __inputs: unknown[]; panels: Panel[] };
    const logs = JSON.parse(panelsText) as { __inputs: unknown[]; panels: Panel[] };
    const bottom = Math.max(...dashboard.panels.map((p) => p.gridPos.y + p.gridPos.h));
    const nextId = Math.max(...dashboard.panels.map((p) => p.id ?? 0)) + 1;
    return JSON.stringify({
        ...dashboard,
        __inputs: [...dashboard.__inputs, ...logs.__inputs],
        panels: [...dashboard.panels, ...logs.panels.map((p, i) => ({ id: nextId + i, ...p, gridPos: { ...p.gridPos, y: p.gridPos.y + bottom } }))],
    });
}

/**
 * The dashboards a deployment declares, prepared for import: Node Exporter Full (1860) and, when
 * the app serves Prometheus metrics, the Flask dashboard, with the app's log lines and error-line
 * rate below its latency panels when the log store runs (logsDatasourceUid).
 */
export function projectDashboards(input: {
    dashboard1860: string;
    dashboard1860Origin: string;
    datasourceUid: string;
    flaskAppMetrics: boolean;
    logsDatasourceUid?: string;
}): Record<string, DashboardSpec> {
    const dashboards: Record<string, DashboardSpec> = {
        "node-exporter-full": {
            uid: "node-exporter-full",
            configJson: prepareDashboard(
                input.dashboard1860,
                { datasourceUid: input.datasourceUid, dashboardUid: "node-exporter-full" },
                input.dashboard1860Origin,
            ),
        },
    };
    if (input.flaskAppMetrics) {
        dashboards["flask-app"] = {
            uid: "flask-app",
            configJson: prepareDashboard(
                input.logsDatasourceUid !== undefined ? withLogPanels(flaskDashboardSource(), flaskLogPanelsSource()) : flaskDashboardSource(),
                {
                    datasourceUid: input.datasourceUid,
                    dashboardUid: "flask-app",
                    ...(input.logsDatasourceUid !== undefined ? { logsDatasourceUid: input.logsDatasourceUid } : {}),
                },
                "flask-app.dashboard.json",
            ),
        };
    }
    return dashboards;
}
