import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { AddressInfo } from "net";
import { flaskDashboardSource, projectDashboards } from "../components/grafana/projectDashboards";
import { prepareDashboard } from "../components/grafana/importDashboard";
import { allPanels } from "./support/dashboardPanels";
import { loadDashboard1860 } from "../components/grafana/dashboard1860";
import { evaluateStack, EvaluatedStack, RecordedResource, sharedFixture } from "./support/stackUnderMocks";
import { run, tempTree } from "./support/tools";

const forms = {
    inputs: sharedFixture("grafana/node-exporter-full.inputs.json"),
    variable: sharedFixture("grafana/node-exporter-full.variable.json"),
};
const target = { datasourceUid: "prometheus", dashboardUid: "node-exporter-full" };

type Dashboard = { [key: string]: unknown; panels: unknown[]; templating: { list: { name: string; type: string; query?: unknown }[] } };
const exprsOf = (d: { panels?: unknown[] }): string[] => allPanels(d).flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? ""));

/** Every datasource reference in a dashboard, wherever it is. */
function datasourceRefs(value: unknown, out: unknown[] = []): unknown[] {
    if (Array.isArray(value)) value.forEach((v) => datasourceRefs(v, out));
    else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) {
            if (k === "datasource") out.push(v);
            datasourceRefs(v, out);
        }
    }
    return out;
}

describe.each(Object.entries(forms))("prepareDashboard on dashboard 1860, %s form", (_form, file) => {
    const original = fs.readFileSync(file, "utf8");
    const prepared = prepareDashboard(original, target, file);
    const before = JSON.parse(original) as Dashboard;
    const after = JSON.parse(prepared) as Dashboard;

    it("should leave no ${DS_PROMETHEUS} or ${ds_prometheus} anywhere", () => {
        expect(original).toMatch(/\$\{(DS_PROMETHEUS|ds_prometheus)\}/);
        expect(prepared).not.toMatch(/\$\{?(DS_PROMETHEUS|ds_prometheus)\}?/);
    });

    it("should point every Prometheus datasource reference at our uid", () => {
        const refs = datasourceRefs(after).filter((r) => r !== null && typeof r === "object" && (r as { type?: string }).type === "prometheus");
        expect(refs.length).toBeGreaterThan(100);
        for (const ref of refs) expect(ref).toEqual({ type: "prometheus", uid: "prometheus" });
    });

    it("should keep the panel count and every expr", () => {
        expect(allPanels(after).length).toBe(allPanels(before).length);
        expect(exprsOf(after)).toEqual(exprsOf(before));
        expect(exprsOf(after).length).toBeGreaterThan(250);
    });

    it("should drop __inputs, __requires and __elements, null the id and fix the uid", () => {
        expect(Object.keys(after)).not.toEqual(expect.arrayContaining(["__inputs"]));
        for (const key of ["__inputs", "__requires", "__elements"]) expect(after).not.toHaveProperty(key);
        expect(after.id).toBeNull();
        expect(after.uid).toBe("node-exporter-full");
        expect(after.title).toBe(before.title);
        expect(after.templating.list.map((v) => v.name)).toEqual(before.templating.list.map((v) => v.name));
    });

    it("should give the same bytes when run twice", () => {
        expect(prepareDashboard(prepared, target, file)).toBe(prepared);
    });
});

describe("prepareDashboard refusals", () => {
    const inputs = JSON.parse(fs.readFileSync(forms.inputs, "utf8"));

    it("should reject a datasource input that is not Prometheus", () => {
        const influx = {
            ...inputs,
            __inputs: [...inputs.__inputs, { name: "DS_INFLUXDB", label: "influx", type: "datasource", pluginId: "influxdb", pluginName: "InfluxDB" }],
        };
        expect(() => prepareDashboard(JSON.stringify(influx), target, "1860.json")).toThrow(
            "1860.json: input DS_INFLUXDB needs a influxdb datasource; only Prometheus is provided",
        );
    });

    it("should reject a datasource variable of another kind", () => {
        const variable = JSON.parse(fs.readFileSync(forms.variable, "utf8"));
        variable.templating.list.push({ name: "ds_loki", type: "datasource", query: "loki" });
        expect(() => prepareDashboard(JSON.stringify(variable), target, "1860.json")).toThrow('variable ds_loki selects a "loki" datasource');
    });

    it("should fill constant inputs and reject other input kinds", () => {
        const withConstant = {
            ...inputs,
            __inputs: [...inputs.__inputs, { name: "VAR_SITE", type: "constant", value: "eu-1" }],
            title: "Nodes of ${VAR_SITE}",
        };
        expect(JSON.parse(prepareDashboard(JSON.stringify(withConstant), target)).title).toBe("Nodes of eu-1");
        const withPanel = { ...inputs, __inputs: [{ name: "PANEL", type: "panel" }] };
        expect(() => prepareDashboard(JSON.stringify(withPanel), target, "x.json")).toThrow(
            "x.json: input PANEL of type panel cannot be filled in automatically",
        );
    });

    it("should reject text that is not a dashboard", () => {
        expect(() => prepareDashboard("{", target, "x.json")).toThrow("x.json: is not JSON");
        expect(() => prepareDashboard('{"title": "no panels"}', target, "x.json")).toThrow("x.json: is not a Grafana dashboard (no panels list)");
    });
});

describe("Flask dashboard", () => {
    const dashboard = JSON.parse(flaskDashboardSource());

    it("should hold the guide's average latency, rate, error ratio, p95 and the CloudWatch row", () => {
        const exprs = exprsOf(dashboard).join("\n");
        expect(exprs).toContain(
            'flask_http_request_duration_seconds_sum{method="GET",path="/",status="200",instance=~"$instance"}\n  / flask_http_request_duration_seconds_count{method="GET",path="/",status="200",instance=~"$instance"}',
        );
        expect(exprs).toContain("sum by (path, status) (rate(flask_http_request_duration_seconds_count");
        expect(exprs).toContain('status=~"5.."');
        expect(exprs).toContain("histogram_quantile(0.95, sum by (le, path)");
        const row = allPanels(dashboard).find((p) => (p as { title?: string }).title?.startsWith("CloudWatch EndpointLatency"));
        expect(row).toBeDefined();
        expect(exprs).toContain("sum by (path, method)");
    });

    it("should have every PromQL expression accepted by promtool, variables substituted", () => {
        const exprs = exprsOf(dashboard).map((e) => e.replace(/\$__rate_interval|\$__interval/g, "1m").replace(/\$instance/g, ".*"));
        expect(exprs.length).toBe(6);
        const rules = { groups: [{ name: "dashboard", rules: exprs.map((expr, i) => ({ record: `dashboard:expr${i}`, expr })) }] };
        const dir = tempTree({ "dashboard.yml": JSON.stringify(rules) });
        const result = run("promtool", ["check", "rules", "dashboard.yml"], { cwd: dir });
        expect(result.stdout).toContain("SUCCESS: 6 rules found");
        expect(result.status).toBe(0);
    });

    it("should be prepared like any published dashboard, and left out when the app reports only to CloudWatch", () => {
        const text = fs.readFileSync(forms.variable, "utf8");
        const both = projectDashboards({ dashboard1860: text, dashboard1860Origin: "f", datasourceUid: "prom", flaskAppMetrics: true });
        expect(Object.keys(both)).toEqual(["node-exporter-full", "flask-app"]);
        expect(both["flask-app"].configJson).not.toContain("${DS_PROMETHEUS}");
        expect(JSON.parse(both["flask-app"].configJson).uid).toBe("flask-app");
        expect(Object.keys(projectDashboards({ dashboard1860: text, dashboard1860Origin: "f", datasourceUid: "prom", flaskAppMetrics: false }))).toEqual([
            "node-exporter-full",
        ]);
    });
});

describe("loadDashboard1860", () => {
    const body = fs.readFileSync(forms.inputs, "utf8");
    const bodySha = require("crypto").createHash("sha256").update(body).digest("hex");
    let server: http.Server;
    let baseUrl: string;
    let requests: string[];

    beforeAll(async () => {
        server = http.createServer((req, res) => {
            requests.push(req.url ?? "");
            if (req.url === "/api/dashboards/1860/revisions/37/download") {
                res.writeHead(200, { "content-type": "application/json" }).end(body);
            } else {
                res.writeHead(404).end("not found");
            }
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
    beforeEach(() => {
        requests = [];
    });

    const io = (warnings: string[] = []) => ({
        fetch: (url: string, init: { signal: AbortSignal }) => fetch(url, init),
        cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), "dash-cache-")),
        warn: (m: string) => warnings.push(m),
    });
    const settings = (overrides: Partial<{ dashboard1860Sha256: string; dashboard1860File: string; dashboard1860Revision: number }> = {}) => ({
        dashboard1860Revision: 37,
        dashboard1860Url: `${baseUrl}/api/dashboards/1860/revisions/%{revision}/download`,
        dashboard1860Sha256: bodySha,
        dashboard1860File: "",
        ...overrides,
    });

    it("should download the pinned revision, verify it and cache it", async () => {
        const cache = io();
        const first = await loadDashboard1860(settings(), cache);
        expect(first).toEqual({ text: body, sha256: bodySha, origin: `${baseUrl}/api/dashboards/1860/revisions/37/download` });
        const second = await loadDashboard1860(settings(), cache);
        expect(second.text).toBe(body);
        expect(second.origin.startsWith(cache.cacheDir)).toBe(true);
        expect(requests).toEqual(["/api/dashboards/1860/revisions/37/download"]);
    });

    it("should fail, naming the checksum setting and the actual sha256, on a mismatch", async () => {
        const wrong = "0".repeat(64);
        await expect(loadDashboard1860(settings({ dashboard1860Sha256: wrong }), io())).rejects.toThrow(
            `dashboard1860Sha256 = "${wrong}": does not match ${baseUrl}`,
        );
        await expect(loadDashboard1860(settings({ dashboard1860Sha256: wrong }), io())).rejects.toThrow(`whose sha256 is ${bodySha}`);
    });

    it("should fail, naming the URL setting, when the download fails", async () => {
        await expect(loadDashboard1860(settings({ dashboard1860Revision: 999 }), io())).rejects.toThrow(
            `dashboard1860Url = "${baseUrl}/api/dashboards/1860/revisions/999/download": could not be downloaded (HTTP 404)`,
        );
    });

    it("should warn with the sha256 to pin when no checksum is set", async () => {
        const warnings: string[] = [];
        await loadDashboard1860(settings({ dashboard1860Sha256: "" }), io(warnings));
        expect(warnings).toEqual([
            `dashboard 1860 from ${baseUrl}/api/dashboards/1860/revisions/37/download is not pinned; pin it with: pulumi config set dashboard1860Sha256 ${bodySha}`,
        ]);
    });

    it("should read a local file instead of downloading, for air-gapped installs", async () => {
        const loaded = await loadDashboard1860(settings({ dashboard1860File: forms.variable, dashboard1860Sha256: "" }), io());
        expect(loaded.origin).toBe(forms.variable);
        expect(requests).toEqual([]);
        await expect(loadDashboard1860(settings({ dashboard1860File: "/no/such/1860.json" }), io())).rejects.toThrow(
            'dashboard1860File = "/no/such/1860.json": cannot be read',
        );
    });

    it("should refuse a file that is not a dashboard, naming the setting, before anything is declared", async () => {
        const notJson = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dash-")), "1860.html");
        fs.writeFileSync(notJson, "<!doctype html><title>Grafana Labs</title>");
        await expect(loadDashboard1860(settings({ dashboard1860File: notJson, dashboard1860Sha256: "" }), io())).rejects.toThrow(
            new RegExp(`dashboard1860File = "${notJson}": names ${notJson}, which is not JSON \\(.*\\)\\. Fix: point it at the dashboard's JSON`),
        );
        const noPanels = path.join(path.dirname(notJson), "panels.json");
        fs.writeFileSync(noPanels, '{"title": "no panels"}');
        await expect(loadDashboard1860(settings({ dashboard1860File: noPanels, dashboard1860Sha256: "" }), io())).rejects.toThrow(
            "which is not a Grafana dashboard (no panels list)",
        );
    });
});

describe("Grafana content in the dev stack under mocks", () => {
    let stack: EvaluatedStack;
    const user = {
        values: {
            sshPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop"],
            adminCidrs: ["203.0.113.7/32"],
            dashboard1860File: forms.variable,
        },
        secrets: {
            sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nkey\n-----END OPENSSH PRIVATE KEY-----\n",
            grafanaAdminPassword: "a-grafana-admin-password",
        },
    };
    beforeAll(async () => {
        stack = await evaluateStack("dev", user);
    });
    const deps = (r: RecordedResource) => r.dependencies.map((d) => d.split("::").pop());

    it("should wait for Grafana's install and health before the provider, and for the datasource before dashboards", () => {
        const health = stack.get("command:remote:Command", "grafana-content-health");
        expect(deps(health)).toContain("monitoring-services-grafana-service-install");
        expect(String(health.inputs.create)).toContain("curl -fsS --cacert /etc/grafana-secrets/tls/ca.crt https://localhost:3000/api/health");
        const provider = stack.get("pulumi:providers:grafana", "grafana-content-provider");
        expect(deps(provider)).toContain("grafana-content-health");
        expect(provider.inputs).toMatchObject({ url: expect.stringMatching(/^https:\/\/198\.51\.100\.\d+:3000$/), retries: "10" });
        // The admin password goes only to a certificate the stack's CA signed.
        expect(provider.inputs.caCert).toMatch(/^-----BEGIN CERTIFICATE-----/);
        expect(provider.inputs).not.toHaveProperty("insecureSkipVerify");
        expect(provider.secretInputs).toContain("auth");
        expect(provider.inputs.auth).toBe("admin:a-grafana-admin-password");
        for (const name of ["grafana-content-dashboard-node-exporter-full", "grafana-content-dashboard-flask-app"]) {
            const dashboard = stack.get("grafana:oss/dashboard:Dashboard", name);
            expect(deps(dashboard)).toEqual(expect.arrayContaining(["grafana-content-prometheus", "grafana-content-folder"]));
            expect(dashboard.inputs.folder).toBe("monitoring");
            expect(String(dashboard.inputs.configJson)).not.toMatch(/\$\{(DS_PROMETHEUS|ds_prometheus)\}/);
        }
    });

    it("should declare the Prometheus datasource with a fixed uid as the default, at localhost on the single host, over verified HTTPS with basic auth", () => {
        const datasource = stack.get("grafana:oss/dataSource:DataSource", "grafana-content-prometheus");
        expect(datasource.inputs).toMatchObject({
            uid: "prometheus",
            type: "prometheus",
            url: "https://localhost:9090",
            isDefault: true,
            basicAuthEnabled: true,
            basicAuthUsername: "monitoring",
            jsonDataEncoded: '{"httpMethod":"POST","timeInterval":"15s","tlsAuthWithCACert":true}',
        });
        const secure = JSON.parse(String(datasource.inputs.secureJsonDataEncoded)) as Record<string, string>;
        expect(Object.keys(secure).sort()).toEqual(["basicAuthPassword", "tlsCACert"]);
        expect(secure.tlsCACert).toMatch(/^-----BEGIN CERTIFICATE-----/);
        expect(datasource.secretInputs).toContain("secureJsonDataEncoded");
    });

    it("should create nothing when the dashboard cannot be downloaded", async () => {
        const failing = { ...user, values: { ...user.values, dashboard1860File: "", dashboard1860Url: "http://127.0.0.1:9/1860/%{revision}" } };
        let error: { message?: string; registered?: RecordedResource[] } = {};
        await evaluateStack("dev", failing).catch((e) => (error = e));
        expect(error.message).toContain('dashboard1860Url = "http://127.0.0.1:9/1860/37": could not be downloaded');
        expect(error.registered).toEqual([]);
    });
});
