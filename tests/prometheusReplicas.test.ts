import * as path from "path";
import * as yaml from "js-yaml";
import type { Output } from "@pulumi/pulumi";
import { awsEgress } from "../network/exposure";
import { awsExposure, linodeExposure } from "../stack/exposureTables";
import {
    awsInvokes,
    evaluateStack,
    EvaluatedStack,
    RecordedResource,
    resolveOutput,
    sharedFixture,
    stagedText,
    pinnedPromtoolCheck,
} from "./support/stackUnderMocks";
import { twoMachineHostsUser } from "./support/stackUsers";

/**
 * Identical Prometheus servers (setting prometheusReplicas): the same targets under the same names
 * and the same rules on every replica, each with its own replica label, every alert to every
 * Alertmanager, and with Thanos a sidecar per replica that Query reaches over mutual TLS.
 */
const bucket = {
    thanos: true,
    thanosBucket: "lab-metrics",
    thanosBucketEndpoint: "10.77.0.1:5055",
    thanosBucketRegion: "us-east-1",
    thanosBucketInsecure: true,
};
const keys = { thanosBucketAccessKeyId: "LABACCESSKEY", thanosBucketSecretAccessKey: "lab-secret-access-key" };

interface PrometheusYaml {
    global: { external_labels?: Record<string, string> };
    alerting: { alert_relabel_configs?: unknown[]; alertmanagers: { static_configs: { targets: string[] }[] }[] };
    scrape_configs: { job_name: string; static_configs?: { targets: string[] }[] }[];
}
const stagedAs = (stack: EvaluatedStack, name: string): string => {
    const found = stack.stagings().find((r) => r.name === name);
    if (!found)
        throw new Error(
            `no staged ${name}; have ${stack
                .stagings()
                .map((r) => r.name)
                .join(", ")}`,
        );
    return stagedText(found);
};
const prometheusYaml = (stack: EvaluatedStack, service: string) =>
    yaml.load(stagedAs(stack, `${service}-service-stage-prometheus.prometheus.yml`)) as PrometheusYaml;
const targetsOf = (config: PrometheusYaml, job: string) =>
    config.scrape_configs
        .find((c) => c.job_name === job)!
        .static_configs!.flatMap((c) => c.targets)
        .sort();
/** prometheus.yml without what is the replica's own: its replica label and the Thanos components on its host. */
const shared = (config: PrometheusYaml) => ({
    ...config,
    global: { ...config.global, external_labels: { ...config.global.external_labels, replica: "-" } },
    scrape_configs: config.scrape_configs.filter((c) => c.job_name !== "thanos"),
});

describe("Prometheus replicas (setting prometheusReplicas)", () => {
    describe("two on hosts, with Thanos and two Alertmanagers", () => {
        let stack: EvaluatedStack;
        beforeAll(async () => {
            stack = await evaluateStack("dev", twoMachineHostsUser({ ...bucket, prometheusReplicas: 2, alertmanagerReplicas: 2 }, keys));
        });

        it("should run the second Prometheus on the app host, with a sidecar only there", () => {
            const services = stack.resources
                .filter((r) => r.type === "monitoring:remote:RemoteService" && /prometheus|thanos/.test(r.name))
                .map((r) => r.name)
                .sort();
            expect(services).toEqual([
                "app-prometheus-service",
                "app-thanos-sidecar-service",
                "monitoring-services-prometheus-service",
                "monitoring-thanos-compact-service",
                "monitoring-thanos-query-service",
                "monitoring-thanos-sidecar-service",
                "monitoring-thanos-store-service",
            ]);
        });

        it("should scrape the same targets under the same names from both, and alert both Alertmanagers", () => {
            const [first, second] = [prometheusYaml(stack, "monitoring-services-prometheus"), prometheusYaml(stack, "app-prometheus")];
            expect(shared(second)).toEqual(shared(first));
            expect(targetsOf(first, "prometheus")).toEqual(["10.77.0.11:9090", "10.77.0.12:9090"]);
            expect(targetsOf(first, "alertmanager")).toEqual(["10.77.0.11:9093", "10.77.0.12:9093"]);
            expect(targetsOf(first, "node")).toEqual(["10.77.0.11:9100", "10.77.0.12:9100"]);
            expect(first.alerting.alertmanagers[0].static_configs[0].targets.sort()).toEqual(["10.77.0.11:9093", "10.77.0.12:9093"]);
            // The rule files too, TargetsMissing expecting both Prometheus servers.
            const rules = (service: string) =>
                stack
                    .stagings()
                    .filter((r) => r.name.startsWith(`${service}-service-stage-prometheus.rules.`))
                    .map((r) => [
                        r.name.replace(`${service}-service-stage-`, ""),
                        stagedText(r)
                            // The Thanos components on each host are its own: four beside the first, the sidecar beside the second.
                            .split("\n")
                            .map((line) => (line.includes("thanos") ? line.replace(/\b[14]\b/g, "N") : line))
                            .join("\n"),
                    ]);
            expect(rules("app-prometheus")).toEqual(rules("monitoring-services-prometheus"));
            expect(stagedAs(stack, "app-prometheus-service-stage-prometheus.rules.targets.yml")).toContain('up{job="prometheus"}) < 2');
        });

        it("should label each replica and drop the label from alerts", () => {
            const [first, second] = [prometheusYaml(stack, "monitoring-services-prometheus"), prometheusYaml(stack, "app-prometheus")];
            expect([first.global.external_labels, second.global.external_labels]).toEqual([
                { stack: "dev", replica: "0" },
                { stack: "dev", replica: "1" },
            ]);
            expect(second.alerting.alert_relabel_configs).toEqual([{ action: "labeldrop", regex: "replica" }]);
            expect(targetsOf(second, "thanos")).toEqual(["localhost:10902"]);
        });

        it.each(["monitoring-services-prometheus", "app-prometheus"])("should pass the pinned promtool (%s)", (service) => {
            const result = pinnedPromtoolCheck(stack, service);
            expect(result.output).toContain("SUCCESS");
            expect(result.status).toBe(0);
        });

        it("should let Query read the app host's sidecar over mutual TLS, and the sidecar admit only the stack's CA", () => {
            const endpoints = yaml.load(stagedAs(stack, "monitoring-thanos-query-service-stage-thanos-query.endpoints.yml")) as { endpoints: unknown[] };
            expect(endpoints.endpoints).toEqual([
                { address: "127.0.0.1:10901", strict: true },
                { address: "127.0.0.1:10905", strict: true },
                {
                    address: "10.77.0.12:10901",
                    strict: true,
                    client_config: {
                        tls_config: {
                            enabled: true,
                            cert_file: "/etc/thanos-query/cluster/peer.crt",
                            key_file: "/etc/thanos-query/cluster/peer.key",
                            ca_file: "/etc/thanos-query/cluster/ca.crt",
                        },
                    },
                },
            ]);
            const unit = stagedAs(stack, "app-thanos-sidecar-service-stage-thanos-sidecar.service");
            expect(unit).toContain("--grpc-address=0.0.0.0:10901");
            expect(unit).toContain("--grpc-server-tls-client-ca=/etc/thanos-sidecar/cluster/ca.crt");
            expect(stagedAs(stack, "monitoring-thanos-sidecar-service-stage-thanos-sidecar.service")).toContain("--grpc-address=127.0.0.1:10901");
            const key = stack.stagings().find((r) => r.name === "app-thanos-sidecar-service-stage-thanos-sidecar.cluster.peer.key") as RecordedResource;
            expect(key.secretInputs).toContain("stdin");
            // One peer certificate per host, shared by its Alertmanager and its Thanos.
            expect(
                stack.resources
                    .filter((r) => r.name.endsWith("-peer-certificate"))
                    .map((r) => r.name)
                    .sort(),
            ).toEqual(["app-peer-certificate", "monitoring-peer-certificate"]);
        });
    });

    describe("two on linode, with Thanos and two Alertmanagers: over the stack's VLAN", () => {
        let stack: EvaluatedStack;
        beforeAll(async () => {
            stack = await evaluateStack("dev", {
                values: {
                    sshPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop"],
                    adminCidrs: ["203.0.113.7/32"],
                    dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json"),
                    thanos: true,
                    prometheusReplicas: 2,
                    alertmanagerReplicas: 2,
                },
                secrets: { sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key\n-----END OPENSSH PRIVATE KEY-----\n" },
            });
        });

        it("should reach every other host's services at its VLAN address, from both replicas alike", () => {
            const [first, second] = ["monitoring-services-prometheus", "app-prometheus"].map((service) => prometheusYaml(stack, service));
            expect(targetsOf(first, "node")).toEqual(["10.254.254.1:9100", "10.254.254.2:9100"]);
            expect(shared(first)).toEqual(shared(second));
            expect(first.alerting.alertmanagers.flatMap((a) => a.static_configs.flatMap((c) => c.targets)).sort()).toEqual([
                "10.254.254.1:9093",
                "10.254.254.2:9093",
            ]);
            const endpoints = yaml.load(stagedAs(stack, "monitoring-thanos-query-service-stage-thanos-query.endpoints.yml")) as {
                endpoints: { address: string }[];
            };
            expect(endpoints.endpoints.map((e) => e.address)).toContain("10.254.254.2:10901");
        });

        it("should name each host's VLAN address in its certificates, besides its private and public ones", () => {
            for (const name of ["monitoring-certificate", "app-certificate", "monitoring-peer-certificate", "app-peer-certificate"]) {
                const identity = stack.resources.find((r) => r.name === name)!.inputs.identity as { ipAddresses: string[] };
                const vlan = name.startsWith("monitoring") ? "10.254.254.1" : "10.254.254.2";
                expect({ name, names: identity.ipAddresses.includes(vlan), private: identity.ipAddresses.some((ip) => ip.startsWith("192.168.")) }).toEqual({
                    name,
                    names: true,
                    private: true,
                });
            }
        });

        it("should keep the outputs' private addresses Linode's own", async () => {
            const addresses = await Promise.all(
                [stack.outputs.monitoringPrivateIp, stack.outputs.appPrivateIp].map((o) => resolveOutput(o as Output<unknown>)),
            );
            expect(addresses.map((ip) => String(ip.value).startsWith("192.168."))).toEqual([true, true]);
        });
    });

    it("should leave a single Prometheus's files as they were: no external labels without thanos", async () => {
        const stack = await evaluateStack("dev", twoMachineHostsUser());
        const config = prometheusYaml(stack, "monitoring-services-prometheus");
        expect(config.global.external_labels).toBeUndefined();
        expect(targetsOf(config, "prometheus")).toEqual(["localhost:9090"]);
        expect(stack.resources.some((r) => r.name === "app-prometheus")).toBe(false);
    });

    it("should label the replicas without thanos too, for receivers that deduplicate remote write", async () => {
        const stack = await evaluateStack("dev", twoMachineHostsUser({ prometheusReplicas: 2 }));
        expect(prometheusYaml(stack, "app-prometheus").global.external_labels).toEqual({ stack: "dev", replica: "1" });
        expect(stack.resources.some((r) => r.name.startsWith("app-thanos"))).toBe(false);
    });

    describe("firewalls", () => {
        const ports = { prometheus: 9090, alertmanager: 9093, nodeExporter: 9100, grafana: 3000, app: 5000, thanosQuery: 10904, thanosSidecarGrpc: 10901 };
        const input = { adminCidrs: ["203.0.113.7/32"], viewerCidrs: [], appCidrs: [], grafanaEnabled: true, ports };
        const open = (table: ReturnType<typeof linodeExposure>, host: string, port: number) =>
            table.filter((r) => r.host === host && r.port === port).flatMap((r) => r.sources.map((s) => (s.kind === "cidr" ? s.cidr : s.role)));

        it("should open on linode no port to the region's private network: the replicas reach each other over the stack's VLAN", () => {
            const table = linodeExposure({ ...input, prometheusHosts: ["monitoring", "app"] });
            expect(table.flatMap((r) => r.sources).filter((s) => s.kind === "cidr" && s.cidr.startsWith("192.168."))).toEqual([]);
            expect(open(table, "monitoring", 9100)).toEqual([]);
            expect(open(table, "monitoring", 9090)).toEqual(["203.0.113.7/32"]);
            expect(open(table, "app", 9090)).toEqual(["monitoring", "203.0.113.7/32"]);
            expect(open(table, "app", 10901)).toEqual(["monitoring"]);
        });

        it("should let every replica on aws scrape every other host and alert every Alertmanager, and nothing more", () => {
            const hosts = { alertmanagerHosts: ["monitoring", "grafana"] as const, prometheusHosts: ["monitoring", "grafana"] as const };
            const table = awsExposure({ ...input, ...hosts });
            expect(open(table, "app", 9100)).toEqual(["monitoring", "grafana"]);
            expect(open(table, "monitoring", 9100)).toEqual(["grafana"]);
            expect(open(table, "monitoring", 9093)).toEqual(["grafana", "203.0.113.7/32"]);
            expect(open(table, "grafana", 9090)).toEqual(["monitoring", "203.0.113.7/32"]);
            expect(open(table, "grafana", 10901)).toEqual(["monitoring"]);
            const egress = awsEgress({ ports, ...hosts }).map((r) => `${r.from}->${r.to.kind === "host" ? r.to.role : r.to.kind}:${r.port}`);
            expect(egress).toEqual(
                expect.arrayContaining([
                    "grafana->app:9100",
                    "grafana->monitoring:9100",
                    "grafana->app:5000",
                    "grafana->monitoring:9093",
                    "grafana->monitoring:9090",
                    "monitoring->grafana:9090",
                    "monitoring->grafana:10901",
                ]),
            );
            expect(new Set(egress).size).toBe(egress.length);
        });
    });

    describe.each([1, 2, 3])("the aws instance roles with %i Prometheus replica(s), every AWS call on", (replicas) => {
        let stack: EvaluatedStack;
        beforeAll(async () => {
            stack = await evaluateStack(
                "aws-dev",
                {
                    values: {
                        sshPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop"],
                        adminCidrs: ["203.0.113.7/32"],
                        dashboard1860File: sharedFixture("grafana/node-exporter-full.variable.json"),
                        thanos: true,
                        prometheusReplicas: replicas,
                        cloudwatchBridge: true,
                        cloudwatchAlarmsFile: path.join(__dirname, "fixtures", "cloudwatch", "describe-alarms.json"),
                        nodeDiscoveryTag: "monitoring=node",
                        appMetricsMode: "cloudwatch",
                    },
                    secrets: {
                        sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key\n-----END OPENSSH PRIVATE KEY-----\n",
                        remoteWrite: JSON.stringify([
                            {
                                name: "amp",
                                url: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123abcd-4567/api/v1/remote_write",
                                sigv4Region: "us-east-1",
                            },
                        ]),
                    },
                },
                awsInvokes,
            );
        });
        /** Each inline policy of a host's role, as "policy: actions". */
        const actionsOf = (role: string) =>
            stack.resources
                .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.startsWith(`aws-${role}-`))
                .map((r) => {
                    const [statement] = JSON.parse(String(r.inputs.policy)).Statement as { Action: string | string[] }[];
                    return `${r.name.replace(`aws-${role}-`, "")}: ${[statement.Action].flat().join(" ")}`;
                })
                .sort();
        const prometheusHost = (manage: boolean) => [
            "aps-remote-write: aps:RemoteWrite",
            "cloudwatch-read: cloudwatch:GetMetricStatistics",
            "ec2-discovery: ec2:DescribeInstances ec2:DescribeAvailabilityZones",
            "thanos-bucket: s3:ListBucket",
            `thanos-objects: s3:GetObject s3:PutObject${manage ? " s3:DeleteObject" : ""}`,
        ];
        // The placement plan puts the replicas on monitoring, then grafana, then app.
        const expected: Record<number, Record<string, string[]>> = {
            1: { monitoring: prometheusHost(true), grafana: [], app: ["put-metric-data: cloudwatch:PutMetricData"] },
            2: { monitoring: prometheusHost(true), grafana: prometheusHost(false), app: ["put-metric-data: cloudwatch:PutMetricData"] },
            3: {
                monitoring: prometheusHost(true),
                grafana: prometheusHost(false),
                app: [...prometheusHost(false), "put-metric-data: cloudwatch:PutMetricData"].sort(),
            },
        };

        it.each(["monitoring", "grafana", "app"])("should give the %s instance's role what its own services call, and nothing else", (role) => {
            expect(actionsOf(role)).toEqual(expected[replicas][role]);
            const profile = stack.get("aws:ec2/instance:Instance", `aws-${role}`).inputs.iamInstanceProfile;
            expect(profile).toBe(expected[replicas][role].length > 0 ? `mon-aws-dev-${role}` : undefined);
        });

        it("should let only the monitoring instance, where Thanos Compact runs, delete from the metrics bucket", () => {
            const deleters = ["monitoring", "grafana", "app"].filter((role) => actionsOf(role).some((a) => a.includes("s3:DeleteObject")));
            expect(deleters).toEqual(["monitoring"]);
        });
    });
});
