import * as yaml from "js-yaml";
import { awsInvokes, evaluateStack, EvaluatedStack, pinnedPromtoolCheck, resolveOutput, stagedText } from "./support/stackUnderMocks";
import { awsUser, twoMachineHostsUser } from "./support/stackUsers";

/*
 * The log store (setting logs): VictoriaLogs on the monitoring host, from its upstream release or
 * image, with the stack's TLS and basic authentication built in, scraped and alerted on.
 */
/** A staged file's resource, for what the engine keeps secret of it. */
const stagingOf = (stack: EvaluatedStack, name: string) => stack.stagings().find((r) => r.name === name)!;

describe("the log store (logs) on hosts under systemd", () => {
    let stack: EvaluatedStack;
    beforeAll(async () => {
        stack = await evaluateStack(
            "dev",
            twoMachineHostsUser({ logs: true, logsRetention: "14d", logsRetentionSize: "5GB" }, { webPassword: "a-long-enough-web-password" }),
        );
    });

    it("should install VictoriaLogs from its upstream release layout, checked by sha256, as its own user", () => {
        const install = stack.resources.find((r) => r.name === "monitoring-victoria-logs-service-install")!;
        const create = String(install.inputs.create);
        for (const env of [
            "NAME=victoria-logs",
            "VERSION=1.52.2",
            "BASE_URL=https://github.com/VictoriaMetrics/VictoriaLogs/releases/download",
            "TARBALL='victoria-logs-linux-{arch}-v{version}.tar.gz'",
            "CHECKSUMS='victoria-logs-linux-{arch}-v{version}_checksums.txt'",
            "TOP_DIR=.",
            "BINARIES=victoria-logs-prod:victoria-logs",
            "SERVICE_USER=victoria-logs",
        ]) {
            expect(create).toContain(env);
        }
    });

    it("should serve HTTPS (TLS 1.2 or newer) with the host's certificate and basic auth, the password only in a secret file", () => {
        const unit = stack.staged("monitoring-victoria-logs-service-stage-victoria-logs.service");
        for (const flag of [
            "-httpListenAddr=:9428",
            "-storageDataPath=/var/lib/victoria-logs",
            "-retentionPeriod=14d",
            "-retention.maxDiskSpaceUsageBytes=5GB",
            "-tls",
            "-tlsCertFile=/etc/victoria-logs/tls/server.crt",
            "-tlsKeyFile=/etc/victoria-logs/tls/server.key",
            "-tlsMinVersion=TLS12",
            "-httpAuth.username=monitoring",
            "-httpAuth.password=file:///etc/victoria-logs/http-auth.password",
        ]) {
            expect(unit).toContain(flag);
        }
        expect(unit).not.toContain("a-long-enough-web-password");
        const password = stagingOf(stack, "monitoring-victoria-logs-service-stage-victoria-logs.http-auth.password");
        expect(password.secretInputs).toContain("stdin");
        expect(stagedText(password)).toBe("a-long-enough-web-password");
        expect(stagingOf(stack, "monitoring-victoria-logs-service-stage-victoria-logs.tls.server.key").secretInputs).toContain("stdin");
    });

    it("should allow mincore after the deny list, as VictoriaLogs panics when it is refused", () => {
        const unit = stack.staged("monitoring-victoria-logs-service-stage-victoria-logs.service").split("\n");
        expect(unit.indexOf("SystemCallFilter=mincore")).toBeGreaterThan(unit.indexOf("SystemCallFilter=~@privileged @resources"));
    });

    it("should have each Prometheus scrape it over HTTPS with basic auth, alert on it, and keep prometheus.yml valid for the pinned promtool", () => {
        const config = yaml.load(stack.staged("monitoring-services-prometheus-service-stage-prometheus.prometheus.yml")) as {
            rule_files: string[];
            scrape_configs: { job_name: string; scheme?: string; basic_auth?: unknown; static_configs: { targets: string[] }[] }[];
        };
        const job = config.scrape_configs.find((j) => j.job_name === "victoria_logs")!;
        expect(job.static_configs).toEqual([{ targets: ["localhost:9428"] }]);
        expect(job.scheme).toBe("https");
        expect(job.basic_auth).toBeDefined();
        expect(config.rule_files).toContain("rules/logs.yml");
        const check = pinnedPromtoolCheck(stack);
        expect(check.status).toBe(0);
    });
});

describe("the log store in the docker runtime", () => {
    it("should run the image of the same release, its data and configuration mounted", async () => {
        const stack = await evaluateStack("dev", twoMachineHostsUser({ logs: true, hostsRuntime: "docker" }));
        const script = stack.staged("monitoring-victoria-logs-service-stage-victoria-logs.run.sh");
        expect(script).toContain("victoriametrics/victoria-logs:v1.52.2");
        expect(script).toContain("--volume /var/lib/victoria-logs:/var/lib/victoria-logs");
        expect(script).toContain("--volume /etc/victoria-logs:/etc/victoria-logs:ro");
        // Data a systemd install left behind (owned by its user) is the container's user's before it starts.
        expect(script.indexOf("chown -R 65534:65534 /var/lib/victoria-logs")).toBeLessThan(script.indexOf("docker run"));
    });
});

describe("the log store on the clouds", () => {
    it("should open its port on aws to the app and Grafana instances and the admins only", async () => {
        const stack = await evaluateStack("aws-dev", awsUser({ logs: true }), awsInvokes);
        const rules = stack.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.fromPort === 9428);
        expect(rules.map((r) => String(r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId)).sort()).toEqual([
            "203.0.113.7/32",
            "aws-sg-app-id",
            "aws-sg-grafana-id",
        ]);
    });

    it("should make on aws, when asked, the private bucket CloudWatch Logs exports into, with only the policy exports need", async () => {
        const stack = await evaluateStack("aws-dev", awsUser({ logs: true, logsExportBucket: true }), awsInvokes);
        const ofBucket = stack.resources.filter((r) => r.parent.endsWith("::log-export-bucket"));
        expect(ofBucket.map((r) => r.type.split(":").pop()).sort()).toEqual([
            "Bucket",
            "BucketLifecycleConfiguration",
            "BucketPolicy",
            "BucketPublicAccessBlock",
            "BucketServerSideEncryptionConfiguration",
        ]);
        const bucket = ofBucket.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        expect(bucket.inputs.bucketPrefix).toBe("mon-aws-dev-log-exports-");
        const policy = JSON.parse(String(ofBucket.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy")!.inputs.policy)) as {
            Statement: { Action: string; Principal: unknown; Resource: string; Condition: Record<string, Record<string, unknown>> }[];
        };
        expect(policy.Statement.map((st) => [st.Action, st.Principal, st.Resource.replace(/^arn:aws:s3:::[^/]+/, "<bucket>")])).toEqual([
            ["s3:GetBucketAcl", { Service: "logs.us-east-1.amazonaws.com" }, "<bucket>"],
            ["s3:PutObject", { Service: "logs.us-east-1.amazonaws.com" }, "<bucket>/*"],
        ]);
        for (const statement of policy.Statement) {
            expect(statement.Condition.StringEquals["aws:SourceAccount"]).toEqual(["111122223333"]);
            expect(statement.Condition.ArnLike["aws:SourceArn"]).toEqual(["arn:aws:logs:us-east-1:111122223333:log-group:*"]);
        }
        expect(policy.Statement[1].Condition.StringEquals["s3:x-amz-acl"]).toBe("bucket-owner-full-control");
        expect(ofBucket.find((r) => r.type.endsWith("BucketPublicAccessBlock"))!.inputs).toMatchObject({
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
        expect(await resolveOutput(stack.outputs.logExportBucket as never)).toEqual({
            value: expect.stringMatching(/^mon-aws-dev-log-exports-/),
            secret: false,
        });
        const withoutIt = await evaluateStack("aws-dev", awsUser({ logs: true }), awsInvokes);
        expect(withoutIt.resources.filter((r) => r.name.startsWith("log-export-bucket"))).toEqual([]);
        expect(await resolveOutput(withoutIt.outputs.logExportBucket as never)).toEqual({ value: "", secret: false });
    });

    it("should create nothing of it when logs is off", async () => {
        const stack = await evaluateStack("dev", twoMachineHostsUser());
        expect(stack.resources.filter((r) => r.name.includes("victoria-logs"))).toEqual([]);
    });
});
