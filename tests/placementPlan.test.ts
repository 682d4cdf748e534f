import { Exposure, ExposureInput, HostRole } from "../network/exposure";
import { awsExposure, linodeExposure } from "../stack/exposureTables";
import { Platform } from "../settings/choices";
import { Placement, placementsOf, PlacementInput, replicaHosts } from "../stack/placementPlan";
import { planPlacements } from "../stack/serviceModules";

/**
 * The placement plan, without Pulumi: which service runs on which host under which name, checked as
 * properties over every combination of platform, layout and optional services, and against the
 * firewall tables the platforms open from the same replica hosts.
 */

/** Every input the settings allow: each platform and layout, every replica count its hosts take, each service on and off. */
function allInputs(): PlacementInput[] {
    const layouts: { platform: Platform; separateGrafana: boolean; nodes: string[] }[] = [
        { platform: "linode", separateGrafana: false, nodes: [] },
        { platform: "aws", separateGrafana: true, nodes: [] },
        { platform: "hosts", separateGrafana: false, nodes: [] },
        { platform: "hosts", separateGrafana: true, nodes: ["node-10-0-0-5", "node-10-0-0-6"] },
    ];
    const inputs: PlacementInput[] = [];
    for (const layout of layouts) {
        const hosts = layout.separateGrafana ? 3 : 2;
        for (let alertmanagerReplicas = 1; alertmanagerReplicas <= hosts; alertmanagerReplicas++) {
            for (let prometheusReplicas = 1; prometheusReplicas <= hosts; prometheusReplicas++) {
                for (const flags of [0, 1, 2, 3, 4, 5, 6, 7]) {
                    inputs.push({
                        ...layout,
                        alertmanagerReplicas,
                        prometheusReplicas,
                        grafanaEnabled: (flags & 1) !== 0,
                        thanos: (flags & 2) !== 0,
                        cloudwatchBridge: (flags & 4) !== 0,
                        logs: (flags & 4) !== 0,
                    });
                }
            }
        }
    }
    return inputs;
}

const hostsOf = (input: PlacementInput) => ["monitoring", "app", ...(input.separateGrafana ? ["grafana"] : []), ...input.nodes];
const on = (plan: readonly Placement[], service: Placement["service"]) => placementsOf(plan, service).map((p) => p.host);

describe("the placement plan", () => {
    const inputs = allInputs();

    it("should cover every layout and replica count the settings allow", () => {
        expect(inputs.length).toBe(8 * (4 + 9 + 4 + 9));
    });

    it.each(inputs.map((input) => [JSON.stringify(input), input] as const))("should place %s by the rules", (_name, input) => {
        const plan = planPlacements(input);
        // node_exporter on every host, once; the app on the app host.
        expect(on(plan, "nodeExporter").sort()).toEqual(hostsOf(input).sort());
        expect(on(plan, "flaskApp")).toEqual(["app"]);
        // Replicas one per host, as many as the settings ask, the first on the monitoring host in its group.
        for (const [service, count] of [
            ["prometheus", input.prometheusReplicas],
            ["alertmanager", input.alertmanagerReplicas],
        ] as const) {
            const replicas = placementsOf(plan, service);
            expect(replicas.map((p) => p.host)).toEqual(replicaHosts(input, count));
            expect(new Set(replicas.map((p) => p.host)).size).toBe(count);
            expect(replicas.map((p) => p.replica)).toEqual([...Array(count).keys()]);
            expect(replicas.map((p) => p.grouped)).toEqual(replicas.map((_, i) => i === 0));
        }
        // Grafana once when on: in the monitoring host's group, or on its own host.
        expect(on(plan, "grafana")).toEqual(input.grafanaEnabled ? [input.separateGrafana ? "grafana" : "monitoring"] : []);
        // Thanos beside the first Prometheus, a sidecar beside each further one; a bridge beside each.
        const prometheusHosts = on(plan, "prometheus");
        expect(on(plan, "thanos")).toEqual(input.thanos ? ["monitoring"] : []);
        expect(on(plan, "thanosSidecar")).toEqual(input.thanos ? prometheusHosts.slice(1) : []);
        expect(on(plan, "cloudwatchBridge")).toEqual(input.cloudwatchBridge ? prometheusHosts : []);
        // Names are URNs: unique, and grouped ones under MonitoringServices.
        expect(new Set(plan.map((p) => p.name)).size).toBe(plan.length);
        for (const p of plan) expect({ name: p.name, grouped: p.name.startsWith("monitoring-services-") }).toEqual({ name: p.name, grouped: p.grouped });
    });

    it("should keep the names stacks were deployed with", () => {
        const plan = planPlacements({
            platform: "aws",
            separateGrafana: true,
            nodes: [],
            alertmanagerReplicas: 3,
            prometheusReplicas: 3,
            grafanaEnabled: true,
            thanos: true,
            cloudwatchBridge: true,
            logs: true,
        });
        expect(plan.map((p) => `${p.service} ${p.host} ${p.name}`)).toEqual([
            "nodeExporter monitoring monitoring-services-node-exporter",
            "nodeExporter app app-node-exporter",
            "nodeExporter grafana grafana-node-exporter",
            "flaskApp app app-flask-app",
            "alertmanager monitoring monitoring-services-alertmanager",
            "alertmanager grafana grafana-alertmanager",
            "alertmanager app app-alertmanager",
            "prometheus monitoring monitoring-services-prometheus",
            "prometheus grafana grafana-prometheus",
            "prometheus app app-prometheus",
            "grafana grafana grafana",
            "thanos monitoring monitoring-thanos",
            "thanosSidecar grafana grafana-thanos",
            "thanosSidecar app app-thanos",
            "cloudwatchBridge monitoring monitoring-cloudwatch-bridge",
            "cloudwatchBridge grafana grafana-cloudwatch-bridge",
            "cloudwatchBridge app app-cloudwatch-bridge",
            "victoriaLogs monitoring monitoring-victoria-logs",
            "otelCollector monitoring monitoring-services-otel-collector",
            "otelCollector app app-otel-collector",
            "otelCollector grafana grafana-otel-collector",
            "vmalert monitoring monitoring-vmalert",
        ]);
    });
});

/** Whether a table lets `from` (a host of the stack) reach `port` on `host` by its role. */
function admits(table: readonly Exposure[], host: HostRole, port: number, from: HostRole): boolean {
    return table.some((rule) => rule.host === host && rule.port === port && rule.sources.some((s) => s.kind === "host" && s.role === from));
}

describe("the firewalls of the planned placements", () => {
    const ports = { prometheus: 9090, alertmanager: 9093, alertmanagerCluster: 9094, nodeExporter: 9100, grafana: 3000, app: 8080, thanosSidecarGrpc: 10901 };
    const cases = allInputs().filter((input) => input.platform !== "hosts" && input.grafanaEnabled && input.thanos);

    it.each(cases.map((input) => [`${input.platform}, ${input.prometheusReplicas} Prometheus, ${input.alertmanagerReplicas} Alertmanager`, input] as const))(
        "should let every planned connection through on %s",
        (_name, input) => {
            const plan = planPlacements(input);
            const prometheus = on(plan, "prometheus") as HostRole[];
            const alertmanager = on(plan, "alertmanager") as HostRole[];
            const exposureInput: ExposureInput = {
                adminCidrs: ["203.0.113.7/32"],
                viewerCidrs: [],
                appCidrs: [],
                grafanaEnabled: true,
                alertmanagerHosts: alertmanager,
                prometheusHosts: prometheus,
                ports,
            };
            const table = input.platform === "linode" ? linodeExposure(exposureInput) : awsExposure(exposureInput);
            // On linode with replicas both hosts join the stack's VLAN, which no firewall filters (asserted
            // under mocks in prometheusReplicas.test.ts); otherwise a firewall rule must admit each connection.
            const onVlan = input.platform === "linode" && (prometheus.length > 1 || alertmanager.length > 1);
            const hosts = hostsOf(input) as HostRole[];
            const missing: string[] = [];
            const need = (host: HostRole, port: number, from: HostRole, what: string) => {
                if (host !== from && !onVlan && !admits(table, host, port, from)) missing.push(`${what}: ${from} -> ${host}:${port}`);
            };
            for (const scraper of prometheus) {
                for (const host of hosts) need(host, ports.nodeExporter, scraper, "scrape node_exporter");
                need("app", ports.app, scraper, "scrape the app");
                for (const other of prometheus) need(other, ports.prometheus, scraper, "scrape the other Prometheus");
                for (const am of alertmanager) need(am, ports.alertmanager, scraper, "send alerts");
            }
            for (const am of alertmanager) for (const peer of alertmanager) if (alertmanager.length > 1) need(peer, ports.alertmanagerCluster, am, "gossip");
            for (const sidecar of on(plan, "thanosSidecar") as HostRole[]) need(sidecar, ports.thanosSidecarGrpc, "monitoring", "Thanos Query reads a sidecar");
            expect(missing).toEqual([]);
        },
    );
});
