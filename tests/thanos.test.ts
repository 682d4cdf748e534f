import * as yaml from "js-yaml";
import { thanosBucketActions } from "../components/thanos/awsMetricsBucket";
import { settingDefault } from "../settings/schema";
import { awsInvokes, evaluateStack, resolveOutput, sharedFixture, stagedText, pinnedPromtoolCheck } from "./support/stackUnderMocks";
import { twoMachineHostsUser } from "./support/stackUsers";

const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop";
const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key\n-----END OPENSSH PRIVATE KEY-----\n";
const dashboard = { dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json") };
type Stack = Awaited<ReturnType<typeof evaluateStack>>;

const staged = (stack: Stack, suffix: string) => {
    const found = stack.stagings().find((r) => r.name.endsWith(suffix));
    if (!found)
        throw new Error(
            `nothing staged as *${suffix}; have ${stack
                .stagings()
                .map((r) => r.name)
                .join(", ")}`,
        );
    return found;
};
const stagedYaml = <T>(stack: Stack, suffix: string): T => yaml.load(stagedText(staged(stack, suffix))) as T;
const thanosServices = (stack: Stack) =>
    stack.resources
        .filter((r) => r.type === "monitoring:remote:RemoteService" && r.name.startsWith("monitoring-thanos-"))
        .map((r) => r.name)
        .sort();

const hostsBucket = {
    thanos: true,
    thanosBucket: "lab-metrics",
    thanosBucketEndpoint: "10.77.0.1:5055",
    thanosBucketRegion: "us-east-1",
    thanosBucketInsecure: true,
};
const hostsKeys = { thanosBucketAccessKeyId: "LABACCESSKEY", thanosBucketSecretAccessKey: "lab-secret-access-key" };

describe("long-term storage with Thanos (setting thanos)", () => {
    describe("on hosts, with an S3-compatible store the user runs", () => {
        let stack: Stack;
        beforeAll(async () => {
            stack = await evaluateStack("dev", twoMachineHostsUser(hostsBucket, hostsKeys));
        });

        it("should install the sidecar, store, compactor and query on the monitoring host, one install after another", () => {
            expect(thanosServices(stack)).toEqual([
                "monitoring-thanos-compact-service",
                "monitoring-thanos-query-service",
                "monitoring-thanos-sidecar-service",
                "monitoring-thanos-store-service",
            ]);
            // Everything of a component waits for what it names: its staged files first of all.
            const waitsFor = (component: string, urn: string) =>
                stack.resources.filter((r) => r.name.startsWith(`monitoring-thanos-${component}-service-stage-`)).every((r) => r.dependencies.includes(urn));
            const install = (component: string) => stack.get("command:remote:Command", `monitoring-thanos-${component}-service-install`).urn;
            expect({
                store: waitsFor("store", install("sidecar")),
                compact: waitsFor("compact", install("store")),
                query: waitsFor("query", install("compact")),
                // The sidecar starts once Prometheus runs.
                sidecar: waitsFor("sidecar", stack.get("command:remote:Command", "monitoring-services-prometheus-service-configure").urn),
            }).toEqual({ store: true, compact: true, query: true, sidecar: true });
        });

        it("should give every component the bucket's configuration with its key pair, as a secret", () => {
            for (const component of ["thanos-sidecar", "thanos-store", "thanos-compact"]) {
                const file = staged(stack, `${component}.objstore.yml`);
                expect(file.secretInputs).toContain("stdin");
                expect(yaml.load(stagedText(file))).toEqual({
                    type: "S3",
                    config: {
                        bucket: "lab-metrics",
                        endpoint: "10.77.0.1:5055",
                        region: "us-east-1",
                        insecure: true,
                        access_key: "LABACCESSKEY",
                        secret_key: "lab-secret-access-key",
                    },
                });
            }
            expect(stack.stagings().some((r) => r.name.startsWith("thanos-query.objstore"))).toBe(false);
        });

        it("should label Prometheus's blocks, cut them uncompacted, scrape the components and keep alerts free of the replica label, as the pinned promtool accepts", () => {
            const config = stagedYaml<{
                global: { external_labels?: Record<string, string> };
                alerting: { alert_relabel_configs?: unknown[] };
                scrape_configs: { job_name: string; scheme?: string; static_configs: { targets: string[] }[] }[];
            }>(stack, "prometheus.prometheus.yml");
            expect(config.global.external_labels).toEqual({ stack: "dev", replica: "0" });
            expect(config.alerting.alert_relabel_configs).toEqual([{ action: "labeldrop", regex: "replica" }]);
            const job = config.scrape_configs.find((j) => j.job_name === "thanos")!;
            expect(job.scheme).toBe("https");
            expect(job.static_configs.flatMap((c) => c.targets)).toEqual(["localhost:10902", "localhost:10906", "localhost:10912", "localhost:10904"]);
            const rules = stagedText(staged(stack, "prometheus.rules.targets.yml"));
            expect(rules).toContain('count(up{job="thanos"}) < 4');
            const check = pinnedPromtoolCheck(stack);
            expect(check.output).toContain("SUCCESS");
            expect(check.status).toBe(0);
            const unit = stagedText(staged(stack, "prometheus.service"));
            expect(unit).toContain("--storage.tsdb.min-block-duration=2h");
            expect(unit).toContain("--storage.tsdb.max-block-duration=2h");
        });

        it("should run the sidecar as Prometheus's user on its TSDB, reaching it over HTTPS with the stack's CA and credentials", () => {
            const unit = stagedText(staged(stack, "thanos-sidecar.service"));
            expect(unit).toMatch(/^User=prometheus$/m);
            expect(unit).toMatch(/^ReadWritePaths=\/var\/lib\/prometheus$/m);
            expect(unit).toContain("--prometheus.url=https://localhost:9090");
            expect(unit).toContain("--http.config=/etc/thanos-sidecar/web.yml");
            const client = staged(stack, "thanos-sidecar.prometheus-client.yml");
            // The password by file: the client configuration holds no secret, its password file is one.
            expect(client.secretInputs).not.toContain("stdin");
            expect(yaml.load(stagedText(client))).toEqual({
                basic_auth: { username: "monitoring", password_file: "/etc/thanos-sidecar/client.password" },
                tls_config: { ca_file: "/etc/thanos-sidecar/tls/ca.crt" },
            });
            const password = staged(stack, "thanos-sidecar.client.password");
            expect({ secret: password.secretInputs.includes("stdin"), text: stagedText(password) }).toEqual({
                secret: true,
                text: expect.stringMatching(/^generated-/),
            });
            expect(stagedText(staged(stack, "thanos-query.service"))).toContain("--http-address=0.0.0.0:10904");
            expect(stagedText(staged(stack, "thanos-compact.service"))).toContain("--retention.resolution-raw=365d");
        });

        it("should point Grafana's datasource at Thanos Query and export its URL and the bucket", async () => {
            expect(stack.get("grafana:oss/dataSource:DataSource", "grafana-content-prometheus").inputs.url).toBe("https://localhost:10904");
            expect(await resolveOutput(stack.outputs.thanosQueryUrl as never)).toEqual({ value: "https://10.77.0.11:10904", secret: false });
            expect(await resolveOutput(stack.outputs.metricsBucket as never)).toEqual({ value: "lab-metrics", secret: false });
        });
    });

    describe("on linode", () => {
        const linodeUser = (extra: Record<string, unknown> = {}, secrets: Record<string, string> = {}) => ({
            values: { sshPublicKeys: [key], adminCidrs: ["203.0.113.7/32"], ...dashboard, thanos: true, ...extra },
            secrets: { sshPrivateKey: privateKey, ...secrets },
        });

        it("should create a bucket and a key limited to read_write on it alone, and open Thanos Query to the admins only", async () => {
            const stack = await evaluateStack("dev", linodeUser());
            const bucket = stack.get("linode:index/objectStorageBucket:ObjectStorageBucket", "metrics-bucket");
            expect(bucket.inputs).toMatchObject({ region: "us-mia", label: "mon-dev-metrics-k3x9q2m7" });
            const key = stack.get("linode:index/objectStorageKey:ObjectStorageKey", "metrics-bucket-key");
            expect(key.inputs.bucketAccesses).toEqual([{ bucketName: "mon-dev-metrics-k3x9q2m7", region: "us-mia", permissions: "read_write" }]);
            expect(key.inputs.regions).toBeUndefined();
            const objstore = yaml.load(stagedText(staged(stack, "thanos-store.objstore.yml"))) as { config: Record<string, unknown> };
            expect(objstore.config).toEqual({
                bucket: "mon-dev-metrics-k3x9q2m7",
                endpoint: "us-mia-1.linodeobjects.com",
                region: "us-mia",
                insecure: false,
                access_key: "GENERATEDLINODEKEY",
                secret_key: "generated-linode-object-storage-secret",
            });
            const inbound = stack.get("linode:index/firewall:Firewall", "monitoring-firewall").inputs.inbounds as { ports: string; ipv4s?: string[] }[];
            expect(inbound.filter((rule) => rule.ports === "10904").map((rule) => rule.ipv4s)).toEqual([["203.0.113.7/32"]]);
            // Thanos waits for the bucket and its key.
            const sidecarSteps = stack.resources.filter((r) => r.name.startsWith("monitoring-thanos-sidecar-service-stage-"));
            expect(sidecarSteps.length).toBeGreaterThan(0);
            expect(sidecarSteps.every((r) => r.dependencies.includes(bucket.urn) && r.dependencies.includes(key.urn))).toBe(true);
        });

        it("should use an existing bucket and the user's key pair without creating either", async () => {
            const stack = await evaluateStack(
                "dev",
                linodeUser({ thanosBucket: "acme-metrics" }, { thanosBucketAccessKeyId: "USERKEY", thanosBucketSecretAccessKey: "user-secret" }),
            );
            expect(stack.resources.filter((r) => r.type.startsWith("linode:index/objectStorage")).map((r) => r.type)).toEqual([]);
            const objstore = yaml.load(stagedText(staged(stack, "thanos-sidecar.objstore.yml"))) as { config: Record<string, unknown> };
            expect(objstore.config).toMatchObject({ bucket: "acme-metrics", endpoint: "us-mia-1.linodeobjects.com", access_key: "USERKEY" });
        });
    });

    describe("on aws", () => {
        let stack: Stack;
        beforeAll(async () => {
            stack = await evaluateStack(
                "aws-dev",
                {
                    values: { platform: "aws", sshPublicKeys: [key], adminCidrs: ["203.0.113.7/32"], ...dashboard, thanos: true },
                    secrets: { sshPrivateKey: privateKey },
                },
                awsInvokes,
            );
        });

        it("should create a private bucket and allow the Prometheus instance's role that bucket alone, with no key pair", () => {
            const bucket = stack.get("aws:s3/bucket:Bucket", "metrics-bucket");
            expect(bucket.inputs.bucketPrefix).toBe("mon-aws-dev-metrics-");
            expect(stack.get("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "metrics-bucket-public-access-block").inputs).toMatchObject({
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            });
            const name = "mon-aws-dev-metrics-20261124000000000000000001";
            const statement = (policy: string) =>
                JSON.parse(String(stack.get("aws:iam/rolePolicy:RolePolicy", `aws-monitoring-${policy}`).inputs.policy)).Statement;
            expect(statement("thanos-bucket")).toEqual([{ Effect: "Allow", Action: [...thanosBucketActions.bucket], Resource: `arn:aws:s3:::${name}` }]);
            expect(statement("thanos-objects")).toEqual([
                { Effect: "Allow", Action: [...thanosBucketActions.objects.manage], Resource: `arn:aws:s3:::${name}/*` },
            ]);
            const objstore = yaml.load(stagedText(staged(stack, "thanos-sidecar.objstore.yml"))) as { config: Record<string, unknown> };
            expect(objstore.config).toEqual({ bucket: name, endpoint: "s3.us-east-1.amazonaws.com", region: "us-east-1", insecure: false, aws_sdk_auth: true });
            expect(stack.get("aws:ec2/instance:Instance", "aws-monitoring").inputs.iamInstanceProfile).toBe("mon-aws-dev-monitoring");
        });

        it("should encrypt and version the bucket it creates, and keep overwritten or deleted blocks 30 days", () => {
            const bucketId = stack.get("aws:s3/bucket:Bucket", "metrics-bucket").id;
            expect(
                stack.get("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "metrics-bucket-encryption").inputs,
            ).toEqual({
                bucket: bucketId,
                rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }],
            });
            expect(stack.get("aws:s3/bucketVersioning:BucketVersioning", "metrics-bucket-versioning").inputs).toEqual({
                bucket: bucketId,
                versioningConfiguration: { status: "Enabled" },
            });
            const [rule] = stack.get("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "metrics-bucket-lifecycle").inputs.rules as Record<
                string,
                unknown
            >[];
            expect(rule).toMatchObject({
                status: "Enabled",
                noncurrentVersionExpiration: { noncurrentDays: 30 },
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            });
        });

        it("should run the components in containers of the pinned image, and open Thanos Query to Grafana and the admins", () => {
            for (const component of ["thanos-sidecar", "thanos-store", "thanos-compact", "thanos-query"]) {
                expect(stagedText(staged(stack, `${component}.run.sh`))).toContain(`thanosio/thanos:v${settingDefault("thanosVersion")}`);
            }
            // The sidecar sees Prometheus's TSDB where Prometheus's container does.
            expect(stagedText(staged(stack, "thanos-sidecar.run.sh"))).toMatch(/--volume[= ]\/var\/lib\/prometheus:\/prometheus/);
            const rules = stack.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.fromPort === 10904);
            expect(rules.map((r) => String(r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId)).sort()).toEqual(["203.0.113.7/32", "aws-sg-grafana-id"]);
        });
    });

    it("should create nothing of Thanos and keep prometheus.yml and Prometheus's flags as before when thanos is off", async () => {
        const stack = await evaluateStack("dev", {
            values: { sshPublicKeys: [key], adminCidrs: ["203.0.113.7/32"], ...dashboard },
            secrets: { sshPrivateKey: privateKey },
        });
        expect(thanosServices(stack)).toEqual([]);
        expect(stack.resources.filter((r) => /objectStorage|s3\//.test(r.type))).toEqual([]);
        const config = stagedText(staged(stack, "prometheus.prometheus.yml"));
        expect(config).not.toContain("external_labels");
        expect(config).not.toContain("thanos");
        expect(stagedText(staged(stack, "prometheus.service"))).not.toContain("block-duration");
    });
});
