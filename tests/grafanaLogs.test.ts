import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { flaskDashboardSource, flaskLogPanelsSource, withLogPanels } from "../components/grafana/projectDashboards";
import { prepareDashboard } from "../components/grafana/importDashboard";
import { LocalLogStore, sendRecords, startLogStore } from "./support/logStore";
import { awsInvokes, evaluateStack, EvaluatedStack } from "./support/stackUnderMocks";
import { awsUser, twoMachineHostsUser } from "./support/stackUsers";

/*
 * The log store in Grafana (setting logs): the VictoriaLogs datasource plugin at its pinned version
 * in both runtimes, the datasource as code with the stack's CA and credentials, and the Flask
 * dashboard's log panels, whose queries run against the pinned VictoriaLogs.
 */
type Panel = { type: string; title: string; datasource?: { type: string; uid: string }; targets?: { expr: string; queryType?: string; step?: string }[] };
const panelsOf = (stack: EvaluatedStack) =>
    (JSON.parse(String(stack.get("grafana:oss/dashboard:Dashboard", "grafana-content-dashboard-flask-app").inputs.configJson)) as { panels: Panel[] }).panels;

describe("the log store in Grafana (logs) on hosts under systemd", () => {
    let stack: EvaluatedStack;
    beforeAll(async () => {
        stack = await evaluateStack("dev", twoMachineHostsUser({ logs: true }, { webPassword: "a-long-enough-web-password" }));
    });

    it("should install the datasource plugin at its pinned version with Grafana", () => {
        const create = String(stack.resources.find((r) => r.name === "monitoring-services-grafana-service-install")!.inputs.create);
        expect(create).toContain("PLUGINS=victoriametrics-logs-datasource@0.30.1");
    });

    it("should declare the log store's datasource with a fixed uid, over HTTPS verified with the stack's CA, with basic auth", () => {
        const datasource = stack.get("grafana:oss/dataSource:DataSource", "grafana-content-logs");
        expect(datasource.inputs).toMatchObject({
            name: "VictoriaLogs",
            type: "victoriametrics-logs-datasource",
            uid: "victoria-logs",
            url: "https://localhost:9428",
            accessMode: "proxy",
            basicAuthEnabled: true,
            basicAuthUsername: "monitoring",
            jsonDataEncoded: '{"tlsAuthWithCACert":true}',
        });
        expect(datasource.inputs).not.toHaveProperty("isDefault");
        const secure = JSON.parse(String(datasource.inputs.secureJsonDataEncoded)) as Record<string, string>;
        expect(secure.basicAuthPassword).toBe("a-long-enough-web-password");
        expect(secure.tlsCACert).toMatch(/^-----BEGIN CERTIFICATE-----/);
        expect(datasource.secretInputs).toContain("secureJsonDataEncoded");
        const dashboard = stack.get("grafana:oss/dashboard:Dashboard", "grafana-content-dashboard-flask-app");
        expect(dashboard.dependencies.map((d) => d.split("::").pop())).toContain("grafana-content-logs");
    });

    it("should put the app's error-line rate and its log lines below the Flask dashboard's latency panels, on the logs datasource", () => {
        const panels = panelsOf(stack);
        const logs = panels.filter((p) => p.datasource?.type === "victoriametrics-logs-datasource");
        expect(logs.map((p) => [p.type, p.title, p.datasource!.uid, p.targets![0].queryType])).toEqual([
            ["timeseries", "Error lines per minute, by host", "victoria-logs", "statsRange"],
            ["logs", "The app's log lines, newest first", "victoria-logs", "instant"],
        ]);
        expect(panels.filter((p) => p.datasource?.type === "prometheus").length).toBe(5);
        expect(JSON.stringify(panels)).not.toContain("${DS_");
        // Below every other panel, with ids of their own.
        const prepared = JSON.parse(
            prepareDashboard(withLogPanels(flaskDashboardSource(), flaskLogPanelsSource()), { datasourceUid: "p", logsDatasourceUid: "l", dashboardUid: "f" }),
        ) as { panels: { id: number; gridPos: { y: number; h: number } }[] };
        const ids = prepared.panels.map((p) => p.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(prepared.panels.slice(-3).map((p) => p.gridPos.y)).toEqual([27, 28, 36]);
    });

    it("should install nothing of it and leave the Grafana install step and the Flask dashboard as they were when logs is off", async () => {
        const off = await evaluateStack("dev", twoMachineHostsUser({}, { webPassword: "a-long-enough-web-password" }));
        expect(String(off.resources.find((r) => r.name === "monitoring-services-grafana-service-install")!.inputs.create)).not.toContain("PLUGINS");
        expect(off.resources.filter((r) => r.name === "grafana-content-logs")).toEqual([]);
        expect(panelsOf(off).filter((p) => p.datasource?.type === "victoriametrics-logs-datasource")).toEqual([]);
    });

    it("should refuse the log panels where the log store's datasource is not given", () => {
        expect(() =>
            prepareDashboard(withLogPanels(flaskDashboardSource(), flaskLogPanelsSource()), { datasourceUid: "p", dashboardUid: "f" }, "flask"),
        ).toThrow(
            "flask: input DS_VICTORIALOGS needs a victoriametrics-logs-datasource datasource; only Prometheus is provided, and the log store's datasource with logs on",
        );
    });
});

describe("the log store in Grafana in the docker runtime and on aws", () => {
    it("should pre-install the plugin in Grafana's container with GF_INSTALL_PLUGINS", async () => {
        const stack = await evaluateStack("dev", twoMachineHostsUser({ logs: true, hostsRuntime: "docker" }));
        expect(stack.staged("monitoring-services-grafana-service-stage-grafana.run.sh")).toContain(
            "--env 'GF_INSTALL_PLUGINS=victoriametrics-logs-datasource 0.30.1'",
        );
    });

    it("should install a mirror's zip when grafanaLogsPluginUrl is set", async () => {
        const url = "https://mirror.example/victoriametrics-logs-datasource-v0.30.1.zip";
        const stack = await evaluateStack("dev", twoMachineHostsUser({ logs: true, grafanaLogsPluginUrl: url }));
        expect(String(stack.resources.find((r) => r.name === "monitoring-services-grafana-service-install")!.inputs.create)).toContain(
            `PLUGINS=victoriametrics-logs-datasource@0.30.1@${url}`,
        );
    });

    it("should reach the store over the private network from Grafana's own host on aws", async () => {
        const stack = await evaluateStack("aws-dev", awsUser({ logs: true }), awsInvokes);
        expect(String(stack.get("grafana:oss/dataSource:DataSource", "grafana-content-logs").inputs.url)).toMatch(/^https:\/\/172\.31\.\d+\.\d+:9428$/);
    });
});

describe("the Flask dashboard's log panels, their queries run against the pinned VictoriaLogs", () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "log-panels-"));
    let store: LocalLogStore;
    const panels = (JSON.parse(flaskLogPanelsSource()) as { panels: Panel[] }).panels.filter((p) => p.targets);
    const now = Date.now();

    beforeAll(async () => {
        store = await startLogStore(work, { username: "monitoring", password: "a-long-enough-web-password" });
        const line = (secondsAgo: number, level: string, message: string) => ({
            _time: new Date(now - secondsAgo * 1000).toISOString(),
            _msg: `2026-12-03 10:00:00,000 ${level} app ${message}`,
            "service.name": "flask-app",
            "host.name": "app",
            severity_text: level,
        });
        await sendRecords(
            store,
            [line(200, "INFO", "A request was received at the root URL"), line(150, "ERROR", "put_metric_data failed"), line(90, "ERROR", "request failed")],
            ["service.name", "host.name"],
        );
    });

    afterAll(() => {
        store?.process.kill("SIGKILL");
        fs.rmSync(work, { recursive: true, force: true });
    });

    const ask = async (endpoint: string, params: Record<string, string>) => {
        const response = await fetch(`http://127.0.0.1:${store.port}/select/logsql/${endpoint}?${new URLSearchParams(params)}`, {
            headers: { Authorization: store.authorization },
        });
        expect(response.status).toBe(200);
        return response.text();
    };

    it("should count the error lines per minute by host, as the plugin asks stats_query_range", async () => {
        const target = panels.find((p) => p.type === "timeseries")!.targets![0];
        const body = JSON.parse(
            await ask("stats_query_range", {
                query: target.expr,
                start: String(Math.floor((now - 600_000) / 1000)),
                end: String(Math.floor(now / 1000)),
                step: target.step!,
            }),
        ) as { data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
        expect(body.data.result.map((r) => [r.metric["host.name"], r.values.reduce((sum, [, v]) => sum + Number(v), 0)])).toEqual([["app", 2]]);
    });

    it("should list the app's lines, as the plugin asks query", async () => {
        const target = panels.find((p) => p.type === "logs")!.targets![0];
        const rows = (await ask("query", { query: target.expr, start: String(Math.floor((now - 600_000) / 1000)), end: String(Math.floor(now / 1000)) }))
            .split("\n")
            .filter((l) => l !== "");
        expect(rows).toHaveLength(3);
    });
});
