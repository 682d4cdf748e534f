import * as yaml from "js-yaml";
import { discoveredNodesJob } from "../settings/choices";
import { ec2DiscoveryIamActions, linodeDiscoveryScopes } from "../components/prometheus/nodeDiscovery";
import { awsInvokes, evaluateStack, sharedFixture, stagedText, UserSettings, pinnedPromtoolCheck } from "./support/stackUnderMocks";

const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop";
const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key\n-----END OPENSSH PRIVATE KEY-----\n";
const dashboard = { dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json") };
type Stack = Awaited<ReturnType<typeof evaluateStack>>;
type ScrapeConfig = {
    job_name: string;
    scheme?: string;
    static_configs?: { targets: string[]; labels?: Record<string, string> }[];
    linode_sd_configs?: { authorization: { credentials: string }; port: number }[];
    ec2_sd_configs?: { region: string; port: number; filters: { name: string; values: string[] }[] }[];
    relabel_configs?: Record<string, unknown>[];
};
const staged = (stack: Stack, suffix: string) => stagedText(stack.stagings().find((r) => r.name.endsWith(suffix))!);
const scrapeConfigs = (stack: Stack) => (yaml.load(staged(stack, "prometheus.prometheus.yml")) as { scrape_configs: ScrapeConfig[] }).scrape_configs;

describe("node hosts on the hosts platform, under mocks", () => {
    const hosts = ["monitoring=root@10.77.0.11", "app=root@10.77.0.12", "node=root@10.77.0.21 instance=web-1 team=payments", "node=admin@10.77.0.22:2222"];
    let stack: Stack;
    beforeAll(async () => {
        stack = await evaluateStack("dev", {
            values: { platform: "hosts", hosts, adminCidrs: ["10.77.0.0/24"], ...dashboard },
            secrets: { sshPrivateKey: privateKey, grafanaAdminPassword: "a-lab-admin-password" },
        });
    });

    it("should run the same hardened node_exporter service on each node host, over its own SSH connection, with a certificate naming its address", () => {
        const services = stack.resources.filter((r) => r.type === "monitoring:services:NodeExporter").map((r) => r.name);
        expect(services).toEqual(expect.arrayContaining(["node-10-77-0-21-node-exporter", "node-10-77-0-22-node-exporter"]));
        expect(stack.get("command:remote:Command", "node-10-77-0-22-ready").inputs.connection).toMatchObject({ host: "10.77.0.22", port: 2222, user: "admin" });
        expect(staged(stack, "node-10-77-0-21-node-exporter-service-stage-node_exporter.service")).toBe(
            staged(stack, "app-node-exporter-service-stage-node_exporter.service"),
        );
        const certificate = stack.get("pulumi-nodejs:dynamic/tls:ServerCertificate", "node-10-77-0-21-certificate");
        expect(JSON.stringify(certificate.inputs.identity)).toContain("10.77.0.21");
    });

    it("should scrape each node host with its labels, instance named when the entry names it, and expect every one in TargetsMissing", () => {
        const node = scrapeConfigs(stack).find((j) => j.job_name === "node")!;
        expect(node.static_configs).toEqual(
            expect.arrayContaining([
                { targets: ["10.77.0.21:9100"], labels: { instance: "web-1", role: "node", team: "payments" } },
                { targets: ["10.77.0.22:9100"], labels: { role: "node" } },
            ]),
        );
        expect(staged(stack, "prometheus.rules.targets.yml")).toContain('count(up{job="node"}) < 4');
        const check = pinnedPromtoolCheck(stack);
        expect(check.stderr).toBe("");
        expect(check.status).toBe(0);
    });

    it("should list the node hosts among the instance ids", async () => {
        const { resolveOutput } = await import("./support/stackUnderMocks");
        const ids = (await resolveOutput(stack.outputs.instanceIds as never)).value;
        expect(ids).toEqual({ monitoring: "10.77.0.11", app: "10.77.0.12", "node-10-77-0-21": "10.77.0.21", "node-10-77-0-22": "10.77.0.22" });
    });
});

describe("discovery by tag on the clouds, under mocks", () => {
    const linodeUser = (values: Record<string, unknown> = {}, secrets: Record<string, string> = {}): UserSettings => ({
        values: { sshPublicKeys: [key], adminCidrs: ["203.0.113.7/32"], nodeDiscoveryTag: "monitored", ...dashboard, ...values },
        secrets: { sshPrivateKey: privateKey, ...secrets },
    });

    it("should find Linodes by tag with a token the stack creates with only the read-only scopes discovery needs, kept secret", async () => {
        const stack = await evaluateStack("dev", linodeUser());
        const token = stack.get("linode:index/token:Token", "node-discovery-token");
        expect(token.inputs.scopes).toBe("linodes:read_only ips:read_only");
        expect([...linodeDiscoveryScopes].sort()).toEqual(["ips:read_only", "linodes:read_only"]);
        const job = scrapeConfigs(stack).find((j) => j.job_name === discoveredNodesJob)!;
        expect(job.scheme).toBe("https");
        expect(job.linode_sd_configs).toEqual([{ authorization: { credentials: "generated-node-discovery-token-linode-token" }, port: 9100 }]);
        expect(job.relabel_configs).toEqual([
            { source_labels: ["__meta_linode_tags"], regex: ".*,monitored,.*", action: "keep" },
            { source_labels: ["__meta_linode_instance_id"], regex: expect.stringMatching(/^[^|]+\|[^|]+$/), action: "drop" },
            { source_labels: ["__meta_linode_private_ipv4"], regex: "(.+)", replacement: "${1}:9100", target_label: "__address__" },
            { source_labels: ["__meta_linode_instance_label"], target_label: "instance" },
            { target_label: "role", replacement: "node" },
        ]);
        const prometheusYml = stack.stagings().find((r) => r.name.endsWith("prometheus.prometheus.yml"))!;
        expect(prometheusYml.secretInputs).toContain("stdin");
        expect(staged(stack, "prometheus.rules.targets.yml")).toContain(`count(up{job="${discoveredNodesJob}"}) < 1`);
        const check = pinnedPromtoolCheck(stack);
        expect(check.stderr).toBe("");
        expect(check.status).toBe(0);
    });

    it("should use linodeDiscoveryToken instead of creating a token when it is set", async () => {
        const stack = await evaluateStack("dev", linodeUser({}, { linodeDiscoveryToken: "read-only-token-of-the-team" }));
        expect(stack.resources.filter((r) => r.type === "linode:index/token:Token")).toEqual([]);
        const job = scrapeConfigs(stack).find((j) => j.job_name === discoveredNodesJob)!;
        expect(job.linode_sd_configs![0].authorization.credentials).toBe("read-only-token-of-the-team");
    });

    it("should find EC2 instances by tag with a role that allows exactly DescribeInstances and DescribeAvailabilityZones, and reach them inside the VPC only", async () => {
        const stack = await evaluateStack(
            "aws-dev",
            {
                values: { platform: "aws", sshPublicKeys: [key], adminCidrs: ["203.0.113.7/32"], nodeDiscoveryTag: "monitoring=node", ...dashboard },
                secrets: { sshPrivateKey: privateKey },
            },
            awsInvokes,
        );
        const policy = JSON.parse(String(stack.get("aws:iam/rolePolicy:RolePolicy", "aws-monitoring-ec2-discovery").inputs.policy));
        expect(policy).toEqual({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:DescribeAvailabilityZones"], Resource: "*" }],
        });
        expect(policy.Statement[0].Action).toEqual([...ec2DiscoveryIamActions]);
        // The role holds nothing else: no CloudWatch policy without the bridge.
        expect(
            stack.resources
                .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy")
                .map((r) => r.name)
                .sort(),
        ).toEqual(["aws-app-put-metric-data", "aws-monitoring-ec2-discovery"]);
        expect(stack.get("aws:ec2/instance:Instance", "aws-monitoring").inputs.iamInstanceProfile).toBe("mon-aws-dev-monitoring");
        const egress = stack.get("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aws-sg-monitoring-out-tcp-9100-to-vpc");
        expect(egress.inputs).toMatchObject({ cidrIpv4: "172.31.0.0/16", fromPort: 9100, toPort: 9100 });
        const job = scrapeConfigs(stack).find((j) => j.job_name === discoveredNodesJob)!;
        expect(job.ec2_sd_configs).toEqual([
            {
                region: "us-east-1",
                port: 9100,
                filters: [
                    { name: "tag:monitoring", values: ["node"] },
                    { name: "instance-state-name", values: ["running"] },
                ],
            },
        ]);
        expect(job.relabel_configs).toEqual([
            { source_labels: ["__meta_ec2_instance_id"], regex: expect.stringMatching(/^[^|]+\|[^|]+\|[^|]+$/), action: "drop" },
            { source_labels: ["__meta_ec2_tag_Name"], regex: "(.+)", target_label: "instance" },
            { target_label: "role", replacement: "node" },
        ]);
        // Prometheus is installed once its role allows the reads.
        const waitsForRole = stack.resources.filter(
            (r) =>
                r.name.startsWith("monitoring-services-prometheus") &&
                r.dependencies.some((d) => d.endsWith("::aws-monitoring-profile")) &&
                r.dependencies.some((d) => d.endsWith("::aws-monitoring-ec2-discovery")),
        );
        expect(waitsForRole.length).toBeGreaterThan(0);
        const check = pinnedPromtoolCheck(stack);
        expect(check.stderr).toBe("");
        expect(check.status).toBe(0);
    });

    it("should match a tag key with any value when the tag has no =", async () => {
        const stack = await evaluateStack(
            "aws-dev",
            {
                values: { platform: "aws", sshPublicKeys: [key], adminCidrs: ["203.0.113.7/32"], nodeDiscoveryTag: "monitored", ...dashboard },
                secrets: { sshPrivateKey: privateKey },
            },
            awsInvokes,
        );
        const job = scrapeConfigs(stack).find((j) => j.job_name === discoveredNodesJob)!;
        expect(job.ec2_sd_configs![0].filters[0]).toEqual({ name: "tag-key", values: ["monitored"] });
    });

    it("should declare no discovery, token or EC2 policy when nodeDiscoveryTag is empty", async () => {
        const stack = await evaluateStack("dev", linodeUser({ nodeDiscoveryTag: "" }));
        expect(stack.resources.filter((r) => r.type === "linode:index/token:Token")).toEqual([]);
        expect(scrapeConfigs(stack).map((j) => j.job_name)).not.toContain(discoveredNodesJob);
    });
});
