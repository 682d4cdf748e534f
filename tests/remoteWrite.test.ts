import * as yaml from "js-yaml";
import { apsWorkspaceArn } from "../components/prometheus/remoteWrite";
import { awsInvokes, evaluateStack, resolveOutput, sharedFixture, stagedText, UserSettings, pinnedPromtoolCheck } from "./support/stackUnderMocks";

const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop";
const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key\n-----END OPENSSH PRIVATE KEY-----\n";
const dashboard = { dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json") };
type Stack = Awaited<ReturnType<typeof evaluateStack>>;

const prometheusYml = (stack: Stack) => stack.stagings().find((r) => r.name.endsWith("prometheus.prometheus.yml"))!;
const remoteWriteOf = (stack: Stack) => (yaml.load(stagedText(prometheusYml(stack))) as { remote_write?: Record<string, unknown>[] }).remote_write;

/** The four receivers of the README's examples, as a user sets them. */
const receivers = [
    { name: "thanos", url: "https://thanos-receive.internal:19291/api/v1/receive", bearerToken: "thanos-tenant-token", maxShards: 20 },
    {
        name: "mimir",
        url: "https://mimir.internal/api/v1/push",
        username: "tenant-1",
        password: "mimir-password",
        keepMetrics: "node_.*|up|flask_.*",
        capacity: 20000,
        maxSamplesPerSend: 5000,
    },
    { name: "victoria", url: "http://10.0.0.30:8428/api/v1/write", dropMetrics: "go_.*" },
    { name: "amp", url: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-0123abcd-4567/api/v1/remote_write", sigv4Region: "us-east-1" },
];

describe("remote write", () => {
    it("should render each endpoint with its authentication, queue and relabelling, in a prometheus.yml the pinned promtool accepts, kept secret", async () => {
        const user: UserSettings = {
            values: { platform: "aws", sshPublicKeys: [key], adminCidrs: ["203.0.113.7/32"], ...dashboard },
            secrets: { sshPrivateKey: privateKey, remoteWrite: JSON.stringify(receivers) },
        };
        const stack = await evaluateStack("aws-dev", user, awsInvokes);
        expect(remoteWriteOf(stack)).toEqual([
            {
                url: receivers[0].url,
                name: "thanos",
                authorization: { credentials: "thanos-tenant-token" },
                queue_config: { max_shards: 20 },
            },
            {
                url: receivers[1].url,
                name: "mimir",
                basic_auth: { username: "tenant-1", password: "mimir-password" },
                queue_config: { capacity: 20000, max_samples_per_send: 5000 },
                write_relabel_configs: [{ source_labels: ["__name__"], regex: "node_.*|up|flask_.*", action: "keep" }],
            },
            { url: receivers[2].url, name: "victoria", write_relabel_configs: [{ source_labels: ["__name__"], regex: "go_.*", action: "drop" }] },
            { url: receivers[3].url, name: "amp", sigv4: { region: "us-east-1" } },
        ]);
        expect(prometheusYml(stack).secretInputs).toContain("stdin");
        const check = pinnedPromtoolCheck(stack);
        expect(check.output).toContain("SUCCESS");
        expect(check.status).toBe(0);
        // SigV4 without keys on aws: the Prometheus instance's role may write to that workspace, and do nothing else.
        const policy = JSON.parse(String(stack.get("aws:iam/rolePolicy:RolePolicy", "aws-monitoring-aps-remote-write").inputs.policy));
        expect(policy.Statement).toEqual([{ Effect: "Allow", Action: "aps:RemoteWrite", Resource: ["arn:aws:aps:us-east-1:*:workspace/ws-0123abcd-4567"] }]);
        expect(stack.get("aws:ec2/instance:Instance", "aws-monitoring").inputs.iamInstanceProfile).toBe("mon-aws-dev-monitoring");
    });

    it("should write nothing and keep prometheus.yml as before when remoteWrite is empty", async () => {
        const stack = await evaluateStack("dev", {
            values: { sshPublicKeys: [key], adminCidrs: ["203.0.113.7/32"], ...dashboard },
            secrets: { sshPrivateKey: privateKey },
        });
        expect(remoteWriteOf(stack)).toBeUndefined();
        expect(stack.resources.filter((r) => r.name.includes("aps-remote-write"))).toEqual([]);
    });

    it("should sign with a key pair off aws, and keep every credential out of the plain outputs", async () => {
        const amp = { url: receivers[3].url, sigv4Region: "us-east-1", accessKeyId: "AKIAEXAMPLEWRITER", secretAccessKey: "writer-secret-key" };
        const stack = await evaluateStack("dev", {
            values: { sshPublicKeys: [key], adminCidrs: ["203.0.113.7/32"], ...dashboard },
            secrets: { sshPrivateKey: privateKey, remoteWrite: JSON.stringify([amp]) },
        });
        expect(remoteWriteOf(stack)).toEqual([
            { url: amp.url, sigv4: { region: "us-east-1", access_key: "AKIAEXAMPLEWRITER", secret_key: "writer-secret-key" } },
        ]);
        for (const output of Object.values(stack.outputs)) {
            if (typeof output === "string") continue;
            const { value, secret } = await resolveOutput(output as never);
            if (!secret) expect(JSON.stringify(value)).not.toContain("writer-secret-key");
        }
    });

    it("should name the workspace of an Amazon Managed Service for Prometheus URL, and no other", () => {
        expect(apsWorkspaceArn(receivers[3].url)).toBe("arn:aws:aps:us-east-1:*:workspace/ws-0123abcd-4567");
        expect(apsWorkspaceArn(receivers[0].url)).toBeUndefined();
    });
});
