import * as yaml from "js-yaml";
import { awsInvokes, evaluateStack, EvaluatedStack, RecordedResource, resolveOutput, sharedFixture, stagedText, UserSettings } from "./support/stackUnderMocks";
import { run, tempTree, pinnedAmtool } from "./support/tools";

const awsUser: UserSettings = {
    values: {
        sshPublicKeys: [
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx9xYxWq0Zg2c0f6l0m1d0v3c9b3m2o8p9q7r6s5t4u colleague@desk",
        ],
        adminCidrs: ["203.0.113.7/32"],
        viewerCidrs: ["198.51.100.0/24"],
        dashboard1860File: sharedFixture("grafana/node-exporter-full.variable.json"),
    },
    secrets: { sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key\n-----END OPENSSH PRIVATE KEY-----\n" },
};

const nameOf = (urn: string): string => urn.split("::").pop() ?? "";
const staged = (stack: EvaluatedStack, name: string): string => stagedText(stack.stagings().find((r) => r.name.endsWith(`-stage-${name}`))!);

describe("aws-dev stack (Pulumi.aws-dev.yaml) under mocks", () => {
    let stack: EvaluatedStack;
    beforeAll(async () => {
        stack = await evaluateStack("aws-dev", awsUser, awsInvokes);
    });

    it("should look up the newest Canonical Ubuntu 24.04 amd64 AMI, the default VPC and its subnets, and nothing else", () => {
        expect(stack.calls.map((c) => c.token).sort()).toEqual(["aws:ec2/getAmi:getAmi", "aws:ec2/getSubnets:getSubnets", "aws:ec2/getVpc:getVpc"]);
        const ami = stack.calls.find((c) => c.token === "aws:ec2/getAmi:getAmi")!.inputs;
        expect(ami).toMatchObject({ owners: ["099720109477"], mostRecent: true });
        expect(ami.filters).toEqual([
            { name: "name", values: ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"] },
            { name: "virtualization-type", values: ["hvm"] },
        ]);
        expect(stack.calls.find((c) => c.token === "aws:ec2/getVpc:getVpc")!.inputs).toEqual({ default: true });
    });

    it("should declare three instances, a key pair, an encrypted data volume and its attachment", () => {
        const instances = stack.resources.filter((r) => r.type === "aws:ec2/instance:Instance");
        expect(instances.map((i) => i.name).sort()).toEqual(["aws-app", "aws-grafana", "aws-monitoring"]);
        for (const instance of instances) {
            expect(nameOf(instance.parent)).toBe("aws");
            expect(instance.inputs).toMatchObject({
                ami: "ami-0fedcba9876543210",
                subnetId: "subnet-0aaaaaaaaaaaaaaaa",
                keyName: "mon-aws-dev",
                metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
                rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: 20, deleteOnTermination: true },
            });
            const role = (instance.inputs.tags as Record<string, string>).role;
            expect(instance.inputs.tags).toEqual({ stack: "aws-dev", project: "monitoring", "env-dev": "true", Name: `mon-aws-dev-${role}`, role });
            expect(String(instance.inputs.userData)).toContain("disable_root: false");
            expect(String(instance.inputs.userData)).toContain("colleague@desk");
            // Created inside its own security group: the instance's own inputs carry it, so it never
            // runs under the VPC's default group.
            const group = stack.get("aws:ec2/securityGroup:SecurityGroup", `aws-sg-${role === "prometheus" ? "monitoring" : role}`);
            expect({ role, groups: instance.inputs.vpcSecurityGroupIds }).toEqual({ role, groups: [group.id] });
            expect(instance.inputs).not.toHaveProperty("securityGroups");
        }
        expect(stack.get("aws:ec2/instance:Instance", "aws-app").inputs.instanceType).toBe("t3.micro");
        expect(stack.get("aws:ec2/instance:Instance", "aws-monitoring").inputs.instanceType).toBe("t3.medium");
        expect(stack.get("aws:ec2/instance:Instance", "aws-grafana").inputs.instanceType).toBe("t3.small");
        expect(stack.get("aws:ebs/volume:Volume", "aws-prometheus-data").inputs).toMatchObject({
            size: 20,
            type: "gp3",
            encrypted: true,
            availabilityZone: "us-east-1a",
        });
        expect(stack.get("aws:ec2/volumeAttachment:VolumeAttachment", "aws-prometheus-data-attachment").inputs).toMatchObject({
            deviceName: "/dev/sdf",
            stopInstanceBeforeDetaching: true,
        });
        expect(stack.get("aws:ec2/keyPair:KeyPair", "aws-key").inputs.publicKey).toContain("user@laptop");
    });

    it("should keep the data volume apart from the instance, mounted before Prometheus starts", () => {
        const mount = stack.get("command:remote:Command", "aws-mount-prometheus-data");
        expect(String(mount.inputs.create)).toBe(
            "env DEVICE=/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_awsprometheus-data-id MOUNTPOINT=/var/lib/prometheus bash -s",
        );
        expect(mount.dependencies.map(nameOf)).toContain("aws-prometheus-data-attachment");
        const prometheusRun = stack.get("command:remote:Command", "monitoring-services-prometheus-service-install");
        expect(prometheusRun.dependencies.map(nameOf)).toContain("monitoring-services-prometheus-service-stage-prometheus.run.sh");
        const copy = stack.get("command:remote:CopyToRemote", "monitoring-services-prometheus-service-stage-prometheus.run.sh");
        expect(copy.dependencies.map(nameOf)).toEqual(expect.arrayContaining(["aws-mount-prometheus-data", "aws-monitoring-docker-install"]));
    });

    /** Port -> sources for a role, from the separate ingress rule resources. */
    function ingressTable(role: string): Record<string, string[]> {
        const group = `aws-sg-${role}`;
        const table: Record<string, string[]> = {};
        for (const rule of stack.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
            if (rule.inputs.securityGroupId !== `${group}-id`) continue;
            expect(rule.inputs.fromPort).toBe(rule.inputs.toPort);
            expect(rule.inputs.ipProtocol).toBe("tcp");
            const source = rule.inputs.referencedSecurityGroupId
                ? `sg:${String(rule.inputs.referencedSecurityGroupId).replace(/^aws-sg-|-id$/g, "")}`
                : String(rule.inputs.cidrIpv4 ?? rule.inputs.cidrIpv6);
            (table[String(rule.inputs.fromPort)] ??= []).push(source);
        }
        for (const port of Object.keys(table)) table[port].sort();
        return table;
    }

    it("should expose each port only to its intended sources (security group exposure table)", () => {
        expect({ app: ingressTable("app"), monitoring: ingressTable("monitoring"), grafana: ingressTable("grafana") }).toEqual({
            app: { "22": ["203.0.113.7/32"], "9100": ["sg:monitoring"], "8080": ["sg:monitoring"] },
            monitoring: { "22": ["203.0.113.7/32"], "9090": ["203.0.113.7/32", "sg:grafana"], "9093": ["203.0.113.7/32"] },
            grafana: { "22": ["203.0.113.7/32"], "9100": ["sg:monitoring"], "3000": ["198.51.100.0/24"] },
        });
    });

    it("should open no port to 0.0.0.0/0 and keep no inline rules", () => {
        for (const rule of stack.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
            expect(rule.inputs.cidrIpv4).not.toBe("0.0.0.0/0");
            expect(rule.inputs.cidrIpv6).not.toBe("::/0");
        }
        for (const group of stack.resources.filter((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")) {
            expect(group.inputs.ingress).toBeUndefined();
            expect(group.inputs.egress).toBeUndefined();
            expect(group.inputs.vpcId).toBe("vpc-0123456789abcdef0");
        }
    });

    it("should allow only the outbound connections each role needs", () => {
        const egress = stack.resources
            .filter((r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")
            .map((r) => {
                const from = String(r.inputs.securityGroupId).replace(/^aws-sg-|-id$/g, "");
                const to = r.inputs.referencedSecurityGroupId
                    ? `sg:${String(r.inputs.referencedSecurityGroupId).replace(/^aws-sg-|-id$/g, "")}`
                    : String(r.inputs.cidrIpv4);
                return `${from} -> ${to}:${String(r.inputs.fromPort)}`;
            })
            .sort();
        expect(egress).toEqual(
            [
                "app -> 0.0.0.0/0:80",
                "app -> 0.0.0.0/0:443",
                "grafana -> 0.0.0.0/0:80",
                "grafana -> 0.0.0.0/0:443",
                "grafana -> sg:monitoring:9090",
                "monitoring -> 0.0.0.0/0:80",
                "monitoring -> 0.0.0.0/0:443",
                "monitoring -> sg:app:8080",
                "monitoring -> sg:app:9100",
                "monitoring -> sg:grafana:9100",
            ].sort(),
        );
    });

    it("should give the app an instance role that allows exactly cloudwatch:PutMetricData, and no access keys", () => {
        const policy = JSON.parse(String(stack.get("aws:iam/rolePolicy:RolePolicy", "aws-app-put-metric-data").inputs.policy));
        expect(policy).toEqual({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*", Condition: { StringEquals: { "cloudwatch:namespace": "FlaskApp" } } },
            ],
        });
        expect(stack.get("aws:ec2/instance:Instance", "aws-app").inputs.iamInstanceProfile).toBe("mon-aws-dev-app");
        expect(stack.get("aws:ec2/instance:Instance", "aws-monitoring").inputs.iamInstanceProfile).toBeUndefined();
        const app = stack.get("command:remote:Command", "app-flask-app-service-install");
        expect(app.inputs.stdin).toBe("");
        expect(String(app.inputs.create)).toContain("METRICS_MODE=both");
    });

    it("should run every container from a pinned image with --restart unless-stopped, in scripts that pass shellcheck", () => {
        const scripts = stack.resources.filter((r) => r.type === "command:remote:CopyToRemote" && String(r.inputs.remotePath).endsWith(".run.sh"));
        expect(scripts.map((s) => String(s.inputs.remotePath).split("/").pop()).sort()).toEqual([
            "alertmanager.run.sh",
            "grafana.run.sh",
            "node-exporter.run.sh",
            "node-exporter.run.sh",
            "node-exporter.run.sh",
            "prometheus.run.sh",
        ]);
        for (const script of scripts) {
            const text = stagedText(script);
            expect(text).toContain("--restart unless-stopped");
            expect(text).toMatch(/ (prom\/prometheus:v2\.55\.1|prom\/alertmanager:v0\.27\.0|prom\/node-exporter:v1\.8\.2|grafana\/grafana-oss:11\.3\.1)/);
            expect(text).not.toMatch(/:latest\b/);
            const dir = tempTree({ "run.sh": text });
            const result = run("shellcheck", ["--shell=bash", "--severity=style", `${dir}/run.sh`]);
            expect({ script: script.name, out: result.stdout, status: result.status }).toEqual({ script: script.name, out: "", status: 0 });
        }
        expect(staged(stack, "node-exporter.run.sh")).toContain("--pid host");
        expect(staged(stack, "node-exporter.run.sh")).toContain("--volume /:/host:ro,rslave");
        // The default collectors include systemd, which reads the host's units over its D-Bus socket.
        expect(staged(stack, "node-exporter.run.sh")).toContain("--volume /run/dbus/system_bus_socket:/var/run/dbus/system_bus_socket:ro");
        expect(staged(stack, "node-exporter.run.sh")).toMatch(
            /--collector\.interrupts \\\n +--collector\.processes \\\n +--collector\.systemd \\\n +--collector\.tcpstat /,
        );
    });

    it("should check Prometheus and Alertmanager configuration with the tools in their images, then reload with SIGHUP", () => {
        const prometheus = String(stack.get("command:remote:Command", "monitoring-services-prometheus-service-configure").inputs.create);
        expect(prometheus).toContain(
            "CHECK='docker run --rm --network none --user 0:0 --volume /var/lib/monitoring-stack:/var/lib/monitoring-stack:ro --entrypoint /bin/promtool prom/prometheus:v2.55.1 check config'",
        );
        // activate-config.sh reloads a container with docker kill --signal HUP.
        expect(prometheus).toContain("CONTAINER=prometheus");
        const alertmanager = String(stack.get("command:remote:Command", "monitoring-services-alertmanager-service-configure").inputs.create);
        expect(alertmanager).toContain("--entrypoint /bin/amtool prom/alertmanager:v0.27.0 check-config'");
    });

    it("should scrape the app and every node over private addresses, in a prometheus.yml promtool accepts", () => {
        const config = staged(stack, "prometheus.prometheus.yml");
        const parsed = yaml.load(config) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
        const targets = Object.fromEntries(parsed.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((c) => c.targets)]));
        expect(targets).toEqual({
            prometheus: ["localhost:9090"],
            alertmanager: ["localhost:9093"],
            node: ["localhost:9100", expect.stringMatching(/^172\.31\.0\.\d+:9100$/), expect.stringMatching(/^172\.31\.0\.\d+:9100$/)],
            flask_app: [expect.stringMatching(/^172\.31\.0\.\d+:8080$/)],
        });
        const rules = ["availability", "flask-app", "hosts", "meta", "targets"];
        const dir = tempTree({
            "prometheus.yml": config,
            ...Object.fromEntries(rules.map((r) => [`rules/${r}.yml`, staged(stack, `prometheus.rules.${r}.yml`)])),
            "alertmanager.yml": staged(stack, "alertmanager.alertmanager.yml"),
        });
        const check = run("promtool", ["check", "config", "prometheus.yml"], { cwd: dir });
        expect(check.stdout).toContain("SUCCESS: 5 rule files found");
        expect(check.status).toBe(0);
        expect(run(pinnedAmtool(), ["check-config", "alertmanager.yml"], { cwd: dir }).status).toBe(0);
    });

    it("should point Grafana's datasource at Prometheus's private address", () => {
        const datasource = stack.get("grafana:oss/dataSource:DataSource", "grafana-content-prometheus");
        expect(datasource.inputs.url).toMatch(/^https:\/\/172\.31\.0\.\d+:9090$/);
        const grafanaRun = stack.get("command:remote:Command", "grafana-service-install");
        expect(grafanaRun.secretInputs).toContain("stdin");
        expect(staged(stack, "grafana.run.sh")).toContain("GF_SECURITY_ADMIN_PASSWORD__FILE=/etc/grafana-secrets/admin-password");
    });

    it("should export the same output names as the Linode platform, plus ids per role", async () => {
        const values: Record<string, unknown> = {};
        for (const [key, output] of Object.entries(stack.outputs))
            values[key] = typeof output === "string" ? output : (await resolveOutput(output as never)).value;
        expect(Object.keys(values).sort()).toEqual(
            [
                "platform",
                "prometheusUrl",
                "alertmanagerUrl",
                "tlsCaCertificate",
                "webUsername",
                "webPassword",
                "grafanaUrl",
                "grafanaDatasourceUid",
                "dashboardUrls",
                "grafanaAdminPassword",
                "flaskAppUrl",
                "monitoringPublicIp",
                "monitoringPrivateIp",
                "appPublicIp",
                "appPrivateIp",
                "monitoringInstanceId",
                "appInstanceId",
                "instanceIds",
                "networkPolicyIds",
                "thanosQueryUrl",
                "metricsBucket",
                "logStoreUrl",
                "logAlertsUrl",
                "logExportBucket",
            ].sort(),
        );
        expect(values.platform).toBe("aws");
        expect(values.networkPolicyIds).toEqual({ app: "aws-sg-app-id", monitoring: "aws-sg-monitoring-id", grafana: "aws-sg-grafana-id" });
        expect(values.grafanaUrl).toMatch(/^https:\/\/203\.0\.113\.\d+:3000$/);
        expect((await resolveOutput(stack.outputs.grafanaAdminPassword as never)).secret).toBe(true);
    });
});

describe("aws settings under mocks", () => {
    it("should not look up an AMI when one is pinned, nor the VPC when the subnet is given", async () => {
        const stack = await evaluateStack(
            "aws-dev",
            { ...awsUser, values: { ...awsUser.values, awsAmiId: "ami-0123456789abcdef0", awsSubnetId: "subnet-0cccccccccccccccc" } },
            awsInvokes,
        );
        expect(stack.calls.map((c) => c.token)).toEqual(["aws:ec2/getSubnet:getSubnet"]);
        expect(stack.get("aws:ec2/instance:Instance", "aws-app").inputs).toMatchObject({ ami: "ami-0123456789abcdef0", subnetId: "subnet-0cccccccccccccccc" });
        expect(stack.get("aws:ec2/securityGroup:SecurityGroup", "aws-sg-app").inputs.vpcId).toBe("vpc-0fedcba9876543210");
    });

    it("should give the app no role in prometheus mode, and open SMTP egress when alert email is on", async () => {
        const stack = await evaluateStack(
            "aws-dev",
            {
                ...awsUser,
                values: {
                    ...awsUser.values,
                    appMetricsMode: "prometheus",
                    smtpSmarthost: "smtp.example.com:587",
                    smtpFrom: "a@example.com",
                    smtpTo: "b@example.com",
                },
            },
            awsInvokes,
        );
        expect(stack.resources.some((r: RecordedResource) => r.type.startsWith("aws:iam/"))).toBe(false);
        expect(
            stack.resources.some(
                (r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" && r.inputs.fromPort === 587 && r.inputs.cidrIpv4 === "0.0.0.0/0",
            ),
        ).toBe(true);
    });
});
