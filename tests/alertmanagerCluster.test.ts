import * as yaml from "js-yaml";
import { awsInvokes, evaluateStack, sharedFixture, stagedText } from "./support/stackUnderMocks";
import { twoMachineHostsUser } from "./support/stackUsers";
import { run, tempTree, pinnedAmtool } from "./support/tools";

const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop";
const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key\n-----END OPENSSH PRIVATE KEY-----\n";
const dashboard = { dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json") };
type Stack = Awaited<ReturnType<typeof evaluateStack>>;
const staged = (stack: Stack, suffix: string) => stagedText(stack.stagings().find((r) => r.name.endsWith(suffix))!);
/** A unit's or script's lines with their continuations joined. */
const joined = (text: string) => text.replace(/ \\\n\s*/g, " ");
const execLine = (unit: string) =>
    joined(unit)
        .split("\n")
        .find((l) => l.startsWith("ExecStart="))!;

describe("an Alertmanager cluster on the hosts platform, under mocks", () => {
    let stack: Stack;
    beforeAll(async () => {
        stack = await evaluateStack("dev", twoMachineHostsUser({ alertmanagerReplicas: 2 }));
    });

    it("should run a second Alertmanager on the app host, each joining the other over mutual TLS at its private address", () => {
        expect(stack.get("monitoring:services:Alertmanager", "app-alertmanager")).toBeDefined();
        const monitoring = execLine(staged(stack, "monitoring-services-alertmanager-service-stage-alertmanager.service"));
        const app = execLine(staged(stack, "app-alertmanager-service-stage-alertmanager.service"));
        expect(monitoring).toContain("--cluster.listen-address=0.0.0.0:9094 --cluster.advertise-address=10.77.0.11:9094 --cluster.peer=10.77.0.12:9094");
        expect(app).toContain("--cluster.listen-address=0.0.0.0:9094 --cluster.advertise-address=10.77.0.12:9094 --cluster.peer=10.77.0.11:9094");
        for (const line of [monitoring, app]) expect(line).toContain("--cluster.tls-config=/etc/alertmanager/cluster/tls.yml");
        // Mutual TLS between the peers, as Alertmanager's --cluster.tls-config reads it.
        expect(yaml.load(staged(stack, "app-alertmanager-service-stage-alertmanager.cluster.tls.yml"))).toEqual({
            tls_server_config: {
                cert_file: "/etc/alertmanager/cluster/peer.crt",
                key_file: "/etc/alertmanager/cluster/peer.key",
                client_auth_type: "RequireAndVerifyClientCert",
                client_ca_file: "/etc/alertmanager/cluster/ca.crt",
                min_version: "TLS12",
            },
            tls_client_config: {
                cert_file: "/etc/alertmanager/cluster/peer.crt",
                key_file: "/etc/alertmanager/cluster/peer.key",
                ca_file: "/etc/alertmanager/cluster/ca.crt",
                min_version: "TLS12",
            },
        });
        // The peer certificates are the stack CA's, for server and client, naming each host; their keys are secrets.
        for (const [role, address] of [
            ["monitoring", "10.77.0.11"],
            ["app", "10.77.0.12"],
        ]) {
            const identity = stack.get("pulumi-nodejs:dynamic/tls:ServerCertificate", `${role}-peer-certificate`).inputs.identity as Record<string, unknown>;
            expect(identity).toMatchObject({ clientAuth: true, ipAddresses: expect.arrayContaining([address]) });
        }
        const key = stack.resources.find((r) => r.name === "app-alertmanager-service-stage-alertmanager.cluster.peer.key")!;
        expect(key.secretInputs).toContain("stdin");
        // Both replicas get the same alertmanager.yml.
        expect(staged(stack, "app-alertmanager-service-stage-alertmanager.alertmanager.yml")).toBe(
            staged(stack, "monitoring-services-alertmanager-service-stage-alertmanager.alertmanager.yml"),
        );
    });

    it("should send every alert to both, scrape both, and expect both in TargetsMissing, in files promtool and amtool accept", () => {
        const config = yaml.load(staged(stack, "prometheus.prometheus.yml")) as {
            alerting: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
            scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
        };
        expect(config.alerting.alertmanagers[0].static_configs).toEqual([{ targets: ["localhost:9093", "10.77.0.12:9093"] }]);
        expect(config.scrape_configs.find((j) => j.job_name === "alertmanager")!.static_configs).toEqual([{ targets: ["localhost:9093", "10.77.0.12:9093"] }]);
        expect(staged(stack, "prometheus.rules.targets.yml")).toContain('count(up{job="alertmanager"}) < 2');
        const dir = tempTree({
            "alertmanager.yml": staged(stack, "app-alertmanager-service-stage-alertmanager.alertmanager.yml"),
        });
        expect(run(pinnedAmtool(), ["check-config", "alertmanager.yml"], { cwd: dir }).status).toBe(0);
    });

    it("should keep a single Alertmanager without a gossip port when alertmanagerReplicas is 1", async () => {
        const single = await evaluateStack("dev", {
            values: { platform: "hosts", hosts: ["monitoring=root@10.77.0.11", "app=root@10.77.0.12"], adminCidrs: ["10.77.0.0/24"], ...dashboard },
            secrets: { sshPrivateKey: privateKey, grafanaAdminPassword: "a-lab-admin-password" },
        });
        expect(execLine(staged(single, "monitoring-services-alertmanager-service-stage-alertmanager.service"))).toMatch(/--cluster\.listen-address=$/);
        expect(single.resources.filter((r) => /app-alertmanager|peer-certificate/.test(r.name))).toEqual([]);
    });
});

describe("an Alertmanager cluster on the clouds, under mocks", () => {
    it("should put three replicas on the three EC2 instances, the gossip port open only between their security groups", async () => {
        const stack = await evaluateStack(
            "aws-dev",
            {
                values: { platform: "aws", sshPublicKeys: [key], adminCidrs: ["203.0.113.7/32"], alertmanagerReplicas: 3, ...dashboard },
                secrets: { sshPrivateKey: privateKey },
            },
            awsInvokes,
        );
        expect(
            stack.resources
                .filter((r) => r.type === "monitoring:services:Alertmanager")
                .map((r) => r.name)
                .sort(),
        ).toEqual(["app-alertmanager", "grafana-alertmanager", "monitoring-services-alertmanager"]);
        const gossipIn = stack.resources
            .filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.fromPort === 9094)
            .map((r) => r.name)
            .sort();
        expect(gossipIn).toEqual([
            "aws-sg-app-in-9094-from-grafana",
            "aws-sg-app-in-9094-from-monitoring",
            "aws-sg-grafana-in-9094-from-app",
            "aws-sg-grafana-in-9094-from-monitoring",
            "aws-sg-monitoring-in-9094-from-app",
            "aws-sg-monitoring-in-9094-from-grafana",
        ]);
        for (const r of stack.resources.filter((r) => r.name.includes("-in-9094-"))) expect(r.inputs.cidrIpv4).toBeUndefined();
        expect(stack.resources.filter((r) => r.name.includes("-out-tcp-9094-")).length).toBe(6);
        expect(stack.get("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aws-sg-monitoring-out-tcp-9093-to-app")).toBeDefined();
        // In the docker runtime the container's arguments carry the peers.
        expect(joined(staged(stack, "grafana-alertmanager-service-stage-alertmanager.run.sh"))).toMatch(
            /--cluster\.peer=172\.31\.0\.\d+:9094 --cluster\.peer=172\.31\.0\.\d+:9094 --cluster\.tls-config=\/etc\/alertmanager\/cluster\/tls\.yml/,
        );
    });

    it("should put both Linodes on the stack's VLAN for the gossip, open no gossip port in a firewall, and the app host's Alertmanager to Prometheus and the admins", async () => {
        const stack = await evaluateStack("dev", {
            values: { sshPublicKeys: [key], adminCidrs: ["203.0.113.7/32"], alertmanagerReplicas: 2, ...dashboard },
            secrets: { sshPrivateKey: privateKey },
        });
        const inbound = (firewall: string) => stack.get("linode:index/firewall:Firewall", firewall).inputs.inbounds as { label: string; ipv4s: string[] }[];
        for (const firewall of ["monitoring-firewall", "app-firewall"]) {
            expect(inbound(firewall).map((rule) => rule.label)).not.toContain("alertmanager-cluster-9094");
            // Single addresses of the stack's own hosts only: never the region's private network, which other customers share.
            expect(
                inbound(firewall)
                    .flatMap((rule) => rule.ipv4s ?? [])
                    .filter((cidr) => cidr.startsWith("192.168.") && !cidr.endsWith("/32")),
            ).toEqual([]);
        }
        expect(inbound("app-firewall").find((rule) => rule.label === "alertmanager-9093")!.ipv4s).toEqual(expect.arrayContaining(["203.0.113.7/32"]));
        const vlanOf = (instance: string) =>
            (stack.get("linode:index/instance:Instance", instance).inputs.interfaces as { purpose: string; label?: string; ipamAddress?: string }[]).find(
                (i) => i.purpose === "vlan",
            );
        expect([vlanOf("monitoring-instance"), vlanOf("app-instance")]).toEqual([
            { purpose: "vlan", label: "mon-dev-peers", ipamAddress: "10.254.254.1/24" },
            { purpose: "vlan", label: "mon-dev-peers", ipamAddress: "10.254.254.2/24" },
        ]);
        // Each Alertmanager advertises its VLAN address and finds the other there.
        const exec = (name: string) => execLine(staged(stack, `${name}-service-stage-alertmanager.service`));
        expect(exec("monitoring-services-alertmanager")).toContain("--cluster.advertise-address=10.254.254.1:9094");
        expect(exec("monitoring-services-alertmanager")).toContain("--cluster.peer=10.254.254.2:9094");
        expect(exec("app-alertmanager")).toContain("--cluster.peer=10.254.254.1:9094");
    });
});
