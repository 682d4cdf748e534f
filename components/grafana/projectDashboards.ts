import * as fs from "fs";
import * as path from "path";
import type { DashboardSpec } from "./grafanaContent";
import { prepareDashboard } from "./importDashboard";

/** The project's own Flask dashboard, in the grafana.com export form (with ${DS_PROMETHEUS}). */
export function flaskDashboardSource(): string {
    return fs.readFileSync(path.join(__dirname, "..", "..", "configs", "grafana", "flask-app.dashboard.json"), "utf8");
}

/**
 * The dashboards a deployment declares, prepared for import: Node Exporter Full (1860) and, when
 * the app serves Prometheus metrics, the Flask dashboard.
 */
export function projectDashboards(input: {
    dashboard1860: string;
    dashboard1860Origin: string;
    datasourceUid: string;
    flaskAppMetrics: boolean;
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
            configJson: prepareDashboard(flaskDashboardSource(), { datasourceUid: input.datasourceUid, dashboardUid: "flask-app" }, "flask-app.dashboard.json"),
        };
    }
    return dashboards;
}
