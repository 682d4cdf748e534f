import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";

/** The team's dashboard: request rate of its own job, on the monitoring stack's datasource. */
function teamDashboard(uid: string): string {
    const datasource = { type: "prometheus", uid };
    return JSON.stringify({
        uid: "shop-api",
        title: "Shop API",
        tags: ["shop"],
        time: { from: "now-6h", to: "now" },
        panels: [
            {
                id: 1,
                type: "timeseries",
                title: "Requests per second",
                datasource,
                gridPos: { x: 0, y: 0, w: 24, h: 8 },
                targets: [{ refId: "A", datasource, expr: 'sum by (instance) (rate(http_requests_total{job="shop_api"}[$__rate_interval]))' }],
            },
        ],
    });
}

/**
 * A second program, as an application team would write it: it reads the monitoring stack's
 * outputs (docs/outputs.md) through a StackReference and declares one more dashboard in the same
 * Grafana, on the same datasource, without knowing which platform the monitoring stack runs on.
 * Every output it needs is read before anything is declared, so a missing one stops it at once.
 */
export = async () => {
    const config = new pulumi.Config();
    const stackName = config.require("monitoringStack");
    const monitoring = new pulumi.StackReference("monitoring", { name: stackName });
    const read = async (name: string): Promise<string> => {
        const details = await monitoring.getOutputDetails(name);
        const value = details.value ?? details.secretValue;
        if (typeof value !== "string" || value === "") {
            throw new Error(`monitoring stack ${stackName} has no output ${name} (is Grafana enabled there?); see docs/outputs.md`);
        }
        return value;
    };
    const [grafanaUrl, datasourceUid, adminPassword, prometheusUrl] = await Promise.all([
        read("grafanaUrl"),
        read("grafanaDatasourceUid"),
        read("grafanaAdminPassword"),
        read("prometheusUrl"),
    ]);

    const provider = new grafana.Provider("monitoring-grafana", { url: grafanaUrl, auth: pulumi.secret(`admin:${adminPassword}`), retries: 10 });
    const dashboard = new grafana.oss.Dashboard("shop-api", { configJson: teamDashboard(datasourceUid), overwrite: true }, { provider });

    return {
        dashboardUrl: dashboard.url,
        prometheusUrl,
        /** What this stack registers with monitoring (its metricsTargetStacks setting names this stack). */
        metricsTargets: [{ job: "shop_api", targets: ["10.0.1.5:8080"], labels: { team: "shop" } }],
    };
};
