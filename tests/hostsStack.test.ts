import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { evaluateStack, resolveOutput, sharedFixture, stagedText, UserSettings } from "./support/stackUnderMocks";

const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key\n-----END OPENSSH PRIVATE KEY-----\n";
const onHosts = (hosts: string[], values: Record<string, unknown> = {}): UserSettings => ({
    values: { platform: "hosts", hosts, adminCidrs: ["10.77.0.0/24"], dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json"), ...values },
    secrets: { sshPrivateKey: privateKey, grafanaAdminPassword: "a-lab-admin-password" },
});
const staged = (stack: Awaited<ReturnType<typeof evaluateStack>>, suffix: string) => stagedText(stack.stagings().find((r) => r.name.endsWith(suffix))!);

describe("platform hosts under mocks", () => {
    it("should install the monitoring services and the app on two existing machines over SSH, creating no cloud resource", async () => {
        const stack = await evaluateStack("dev", onHosts(["monitoring=root@10.77.0.11", "app=admin@10.77.0.12:2222"]));
        expect(stack.resources.filter((r) => /^(linode|aws):/.test(r.type))).toEqual([]);
        expect(stack.get("command:remote:Command", "monitoring-ready").inputs.connection).toMatchObject({ host: "10.77.0.11", port: 22, user: "root" });
        expect(stack.get("command:remote:Command", "app-ready").inputs.connection).toMatchObject({ host: "10.77.0.12", port: 2222, user: "admin" });
        expect(stack.get("command:remote:Command", "app-ready").secretInputs).toContain("connection");
        const config = yaml.load(staged(stack, "prometheus.prometheus.yml")) as {
            scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
        };
        const targets = Object.fromEntries(config.scrape_configs.map((j) => [j.job_name, j.static_configs.flatMap((c) => c.targets)]));
        expect(targets).toEqual({
            prometheus: ["localhost:9090"],
            alertmanager: ["localhost:9093"],
            node: ["localhost:9100", "10.77.0.12:9100"],
            flask_app: ["10.77.0.12:8080"],
        });
        // The data directory is a plain directory here, not a mounted volume.
        expect(staged(stack, "prometheus.service")).not.toContain("RequiresMountsFor");
        expect(stack.get("grafana:oss/dataSource:DataSource", "grafana-content-prometheus").inputs.url).toBe("https://localhost:9090");
        const outputs: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(stack.outputs)) outputs[k] = typeof v === "string" ? v : (await resolveOutput(v as never)).value;
        expect(outputs).toMatchObject({
            platform: "hosts",
            prometheusUrl: "https://10.77.0.11:9090",
            grafanaUrl: "https://10.77.0.11:3000",
            flaskAppUrl: "http://10.77.0.12:8080",
            instanceIds: { monitoring: "10.77.0.11", app: "10.77.0.12" },
            networkPolicyIds: {},
        });
    });

    it("should put Grafana on its own machine in the three-machine layout, reading Prometheus over the network", async () => {
        const stack = await evaluateStack("dev", onHosts(["prometheus=root@10.77.0.11", "grafana=root@10.77.0.13", "app=root@10.77.0.12"]));
        expect(stack.get("monitoring:services:Grafana", "grafana")).toBeDefined();
        expect(stack.resources.some((r) => r.name === "monitoring-services-grafana")).toBe(false);
        expect(stack.get("command:remote:Command", "grafana-content-health").inputs.connection).toMatchObject({ host: "10.77.0.13" });
        expect(stack.get("grafana:oss/dataSource:DataSource", "grafana-content-prometheus").inputs.url).toBe("https://10.77.0.11:9090");
        expect(staged(stack, "prometheus.prometheus.yml")).toContain("10.77.0.13:9100");
        expect(staged(stack, "prometheus.rules.targets.yml")).toContain('count(up{job="node"}) < 3');
    });

    it("should sign in through the SSH agent of sshAgentSocket, with no private key in any step's connection", async () => {
        const socket = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "agent-")), "agent.sock");
        const server = net.createServer().listen(socket);
        await new Promise((resolve) => server.once("listening", resolve));
        try {
            const stack = await evaluateStack("dev", onHosts(["monitoring=root@10.77.0.11", "app=root@10.77.0.12"], { sshAgentSocket: socket }));
            const remote = stack.resources.filter((r) => r.type.startsWith("command:remote:"));
            expect(remote.length).toBeGreaterThan(20);
            for (const r of remote) {
                expect({ name: r.name, connection: r.inputs.connection }).toEqual({
                    name: r.name,
                    connection: expect.objectContaining({ agentSocketPath: socket }),
                });
                expect(r.inputs.connection).not.toHaveProperty("privateKey");
            }
        } finally {
            server.close();
        }
    });

    it("should reach every host through the jump host of sshJumpHost, with the same key", async () => {
        const stack = await evaluateStack(
            "dev",
            onHosts(["monitoring=root@10.77.0.11", "app=root@10.77.0.12"], { sshJumpHost: "deploy@bastion.example.com:2222" }),
        );
        const remote = stack.resources.filter((r) => r.type.startsWith("command:remote:"));
        for (const r of remote) {
            expect({ name: r.name, proxy: (r.inputs.connection as { proxy?: unknown }).proxy }).toEqual({
                name: r.name,
                proxy: expect.objectContaining({ host: "bastion.example.com", port: 2222, user: "deploy", privateKey: privateKey }),
            });
            expect(r.secretInputs).toContain("connection");
        }
    });

    it("should run guide 003's three-machine Docker layout on existing machines with hostsRuntime docker", async () => {
        const stack = await evaluateStack(
            "dev",
            onHosts(["prometheus=root@10.77.0.11", "grafana=root@10.77.0.13", "app=root@10.77.0.12"], { hostsRuntime: "docker" }),
        );
        // Docker is installed on every machine, and every container waits for it.
        for (const role of ["prometheus", "grafana", "app"]) {
            const docker = stack.get("command:remote:Command", `${role}-docker-install`);
            expect(String(docker.inputs.create)).toContain("docker.install-docker.sh");
        }
        const runScripts = stack.resources.filter((r) => r.type === "command:remote:CopyToRemote" && r.name.endsWith(".run.sh")).map((r) => r.name);
        expect(runScripts.sort()).toEqual([
            "app-node-exporter-service-stage-node-exporter.run.sh",
            "grafana-node-exporter-service-stage-node-exporter.run.sh",
            "grafana-service-stage-grafana.run.sh",
            "monitoring-services-alertmanager-service-stage-alertmanager.run.sh",
            "monitoring-services-node-exporter-service-stage-node-exporter.run.sh",
            "monitoring-services-prometheus-service-stage-prometheus.run.sh",
        ]);
        const prometheusRun = stack.get("command:remote:CopyToRemote", "monitoring-services-prometheus-service-stage-prometheus.run.sh");
        expect(prometheusRun.dependencies).toContain(stack.get("command:remote:Command", "prometheus-docker-install").urn);
        expect(staged(stack, "prometheus.run.sh")).toContain("prom/prometheus:v2.55.1");
        // No release tarball anywhere, and the same prometheus.yml as under systemd.
        expect(stack.resources.filter((r) => r.name.includes("install-release"))).toEqual([]);
        const systemd = await evaluateStack("dev", onHosts(["prometheus=root@10.77.0.11", "grafana=root@10.77.0.13", "app=root@10.77.0.12"]));
        expect(staged(stack, "prometheus.prometheus.yml")).toBe(staged(systemd, "prometheus.prometheus.yml"));
        // The Flask app stays a systemd service, as in guide 003.
        expect(stack.get("command:remote:CopyToRemote", "app-flask-app-service-stage-flask-app.service")).toBeDefined();
    });

    it.each([
        [["monitoring=root@10.77.0.11", "app=10.77.0.12"], 'hosts[1] = "app=10.77.0.12": is not role=user@address[:port]'],
        [["monitoring=root@10.77.0.11", "db=root@10.77.0.14", "app=root@10.77.0.12"], "role db (hosts[1]) is unknown"],
        [["monitoring=root@10.77.0.11"], "has roles monitoring; give each of monitoring and app"],
        [["monitoring=root@10.77.0.11", "app=root@10.77.0.12", "app=root@10.77.0.13"], "has roles app,app,monitoring"],
        [[], "names no machine besides node hosts"],
    ])("should refuse %j before creating anything", async (hosts, message) => {
        await expect(evaluateStack("dev", onHosts(hosts as string[]))).rejects.toThrow(message);
    });
});
