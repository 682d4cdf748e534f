import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { parseAlarmActions } from "../cloudwatch/alarmActions";
import { builtinMappings } from "../cloudwatch/metricMappings";
import { parseDescribeAlarms, translateAlarms } from "../cloudwatch/translateAlarms";
import { renderBridgeConfig } from "../components/cloudwatchBridge/bridgeConfig";
import { awsInvokes, evaluateStack, sharedFixture, stagedText, UserSettings } from "./support/stackUnderMocks";

const fixtures = path.join(__dirname, "fixtures", "cloudwatch");
const alarmsFile = path.join(fixtures, "describe-alarms.json");
const translation = translateAlarms(parseDescribeAlarms(fs.readFileSync(alarmsFile, "utf8"), "describe-alarms.json"), {
    mappings: builtinMappings(),
    actions: parseAlarmActions(fs.readFileSync(path.join(fixtures, "actions.yml"), "utf8"), "actions.yml"),
});
const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop";
const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key\n-----END OPENSSH PRIVATE KEY-----\n";
const bridge = { cloudwatchAlarmsFile: alarmsFile, cloudwatchBridge: true, dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json") };

describe("the CloudWatch bridge's configuration", () => {
    it("should read exactly the metrics of the translated alarms that have no mapping, with their statistics and periods", () => {
        expect(translation.bridged.map((m) => `${m.namespace}/${m.metric} ${m.statistic} ${m.period}`)).toEqual([
            "AWS/ELB/RequestCount Sum 300",
            "AWS/RDS/FreeStorageSpace Minimum 300",
        ]);
        expect(yaml.load(renderBridgeConfig("eu-west-1", translation.bridged))).toEqual({
            apiVersion: "v1alpha1",
            static: [
                {
                    name: "elb-web-prod",
                    namespace: "AWS/ELB",
                    regions: ["eu-west-1"],
                    dimensions: [{ name: "LoadBalancerName", value: "web-prod" }],
                    metrics: [{ name: "RequestCount", statistics: ["Sum"], period: 300, length: 600 }],
                },
                {
                    name: "rds-orders",
                    namespace: "AWS/RDS",
                    regions: ["eu-west-1"],
                    dimensions: [{ name: "DBInstanceIdentifier", value: "orders" }],
                    metrics: [{ name: "FreeStorageSpace", statistics: ["Minimum"], period: 300, length: 600 }],
                },
            ],
        });
    });

    it("should merge the statistics of one metric and keep its shortest period", () => {
        const metric = { namespace: "AWS/SQS", metric: "ApproximateAgeOfOldestMessage", dimensions: [{ Name: "QueueName", Value: "jobs" }] };
        const config = yaml.load(
            renderBridgeConfig("us-east-1", [
                { ...metric, statistic: "Maximum", period: 300 },
                { ...metric, statistic: "Average", period: 60 },
            ]),
        ) as { static: { metrics: unknown[] }[] };
        expect(config.static[0].metrics).toEqual([{ name: "ApproximateAgeOfOldestMessage", statistics: ["Average", "Maximum"], period: 60, length: 120 }]);
    });
});

describe("the CloudWatch bridge under mocks", () => {
    it("should run YACE on the Linode monitoring host with the access key pair as a secret, scraped on the loopback, exposed nowhere", async () => {
        const user: UserSettings = {
            values: { sshPublicKeys: [key], adminCidrs: ["203.0.113.7/32"], ...bridge },
            secrets: { sshPrivateKey: privateKey, cloudwatchBridgeAccessKeyId: "AKIAEXAMPLEBRIDGE", cloudwatchBridgeSecretAccessKey: "bridge-secret-key" },
        };
        const stack = await evaluateStack("dev", user);
        const staged = (suffix: string) => stack.stagings().find((r) => r.name.endsWith(suffix))!;
        expect(stack.resources.filter((r) => r.type === "monitoring:services:CloudwatchBridge").map((r) => r.name)).toEqual(["monitoring-cloudwatch-bridge"]);
        expect(stagedText(staged("yace.config.yml"))).toBe(renderBridgeConfig("us-east-1", translation.bridged));
        expect(stagedText(staged("yace.credentials"))).toBe("[default]\naws_access_key_id = AKIAEXAMPLEBRIDGE\naws_secret_access_key = bridge-secret-key\n");
        expect(staged("yace.credentials").secretInputs).toContain("stdin");
        const unit = stagedText(staged("yace.service"));
        expect(unit).toContain("Environment=AWS_REGION=us-east-1\nEnvironment=AWS_SHARED_CREDENTIALS_FILE=/etc/yace/credentials\n");
        expect(unit).toContain("--listen-address=127.0.0.1:5000");
        const prometheus = yaml.load(stagedText(staged("prometheus.prometheus.yml"))) as {
            scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
        };
        expect(prometheus.scrape_configs.find((j) => j.job_name === "cloudwatch_bridge")!.static_configs).toEqual([{ targets: ["127.0.0.1:5000"] }]);
        const firewall = JSON.stringify(stack.resources.find((r) => r.type === "linode:index/firewall:Firewall")!.inputs);
        expect(firewall).not.toContain("5000");
    });

    it("should give the Prometheus instance on aws a role allowing only cloudwatch:GetMetricStatistics, and no access keys", async () => {
        const user: UserSettings = {
            values: { platform: "aws", sshPublicKeys: [key], adminCidrs: ["203.0.113.7/32"], ...bridge },
            secrets: { sshPrivateKey: privateKey },
        };
        const stack = await evaluateStack("aws-dev", user, awsInvokes);
        const policy = JSON.parse(String(stack.get("aws:iam/rolePolicy:RolePolicy", "aws-monitoring-cloudwatch-read").inputs.policy));
        expect(policy).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["cloudwatch:GetMetricStatistics"], Resource: "*" }] });
        expect(stack.get("aws:ec2/instance:Instance", "aws-monitoring").inputs.iamInstanceProfile).toBe("mon-aws-dev-monitoring");
        const credentials = stack.stagings().find((r) => r.name.endsWith("cloudwatch-bridge.credentials"))!;
        expect(stagedText(credentials)).toBe("# No access keys: the AWS SDK takes the instance role's credentials.\n");
        // The bridge waits for the role's profile and policy: its files are staged only after them, and installed after its files.
        const stage = stack.resources.find((r) => r.name === "monitoring-cloudwatch-bridge-service-stage-cloudwatch-bridge.run.sh")!;
        expect(stack.resources.find((r) => r.name === "monitoring-cloudwatch-bridge-service-install")!.dependencies).toContain(stage.urn);
        expect(stage.dependencies).toEqual(
            expect.arrayContaining([expect.stringContaining("aws-monitoring-profile"), expect.stringContaining("aws-monitoring-cloudwatch-read")]),
        );
    });

    it("should not exist when cloudwatchBridge is false", async () => {
        const stack = await evaluateStack("dev", {
            values: { sshPublicKeys: [key], adminCidrs: ["203.0.113.7/32"], cloudwatchAlarmsFile: alarmsFile, dashboard1860File: bridge.dashboard1860File },
            secrets: { sshPrivateKey: privateKey },
        });
        expect(stack.resources.filter((r) => /CloudwatchBridge|cloudwatch-bridge/.test(`${r.type} ${r.name}`))).toEqual([]);
    });
});
