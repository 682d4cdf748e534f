import * as path from "path";
import type * as pulumiType from "@pulumi/pulumi";

/** Runs examples/consumer/index.ts under mocks, with the monitoring stack's outputs as given. */
async function evaluateConsumer(monitoringOutputs: Record<string, unknown>) {
    const registered: { type: string; name: string; inputs: Record<string, any> }[] = [];
    let program!: Record<string, unknown>;
    let pulumi!: typeof pulumiType;
    let error: unknown;
    jest.isolateModules(() => {
        pulumi = require("@pulumi/pulumi");
        void pulumi.runtime.setMocks(
            {
                newResource: (args) => {
                    if (args.type === "pulumi:pulumi:StackReference") {
                        return {
                            id: String(args.inputs.name),
                            state: { name: args.inputs.name, outputs: monitoringOutputs, secretOutputNames: ["grafanaAdminPassword"] },
                        };
                    }
                    registered.push({ type: args.type, name: args.name, inputs: args.inputs });
                    return { id: `${args.name}-id`, state: { ...args.inputs, url: `http://grafana.test/d/${args.name}` } };
                },
                call: (args) => {
                    throw new Error(`unmocked invoke ${args.token}`);
                },
            },
            "monitoring-consumer",
            "dev",
            false,
        );
        pulumi.runtime.setAllConfig({ "monitoring-consumer:monitoringStack": "acme/monitoring/dev" });
        try {
            program = require(path.join(__dirname, "..", "examples", "consumer", "index.ts"));
        } catch (e) {
            error = e;
        }
    });
    if (error) throw error;
    if (typeof program === "function") program = await (program as unknown as () => Promise<Record<string, unknown>>)();
    const resolve = (o: unknown) => (pulumi.Output.isInstance(o) ? (o as any).promise() : o);
    const outputs = Object.fromEntries(await Promise.all(Object.entries(program).map(async ([k, v]) => [k, await resolve(v)])));
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
    return { registered, outputs };
}

describe("examples/consumer", () => {
    const monitoringOutputs = {
        platform: "aws",
        grafanaUrl: "http://203.0.113.22:3000",
        grafanaDatasourceUid: "prometheus",
        grafanaAdminPassword: "from-the-monitoring-stack",
        prometheusUrl: "http://203.0.113.21:9090",
        alertmanagerUrl: "http://203.0.113.21:9093",
    };

    it("should point a Grafana provider at the monitoring stack's Grafana and add a dashboard on its datasource", async () => {
        const { registered, outputs } = await evaluateConsumer(monitoringOutputs);
        const provider = registered.find((r) => r.type === "pulumi:providers:grafana")!;
        expect(provider.inputs.url).toBe("http://203.0.113.22:3000");
        // The admin password stays secret on its way into the provider.
        expect(provider.inputs.auth).toEqual({
            "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
            value: "admin:from-the-monitoring-stack",
        });
        const dashboard = registered.find((r) => r.type === "grafana:oss/dashboard:Dashboard")!;
        const json = JSON.parse(String(dashboard.inputs.configJson));
        expect(json.panels[0].datasource).toEqual({ type: "prometheus", uid: "prometheus" });
        expect(outputs.prometheusUrl).toBe("http://203.0.113.21:9090");
        expect(outputs.metricsTargets).toEqual([{ job: "shop_api", targets: ["10.0.1.5:8080"], labels: { team: "shop" } }]);
    });

    it("should fail, naming the output, when the monitoring stack lacks one", async () => {
        const withoutUid: Record<string, unknown> = { ...monitoringOutputs };
        delete withoutUid.grafanaDatasourceUid;
        await expect(evaluateConsumer(withoutUid)).rejects.toThrow("monitoring stack acme/monitoring/dev has no output grafanaDatasourceUid");
    });
});
