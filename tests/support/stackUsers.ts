import * as path from "path";
import { awsInvokes, InvokeMocks, sharedFixture, UserSettings } from "./stackUnderMocks";

const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key\n-----END OPENSSH PRIVATE KEY-----\n";
const publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop";

/**
 * What a user sets for each committed stack before its first `pulumi up`, as the stack file's
 * comments ask, and the invokes its cloud answers. A new stack file needs an entry here.
 */
export const committedStackUsers: Record<string, { user: UserSettings; invokes: InvokeMocks }> = {
    dev: {
        user: {
            values: { sshPublicKeys: [publicKey], adminCidrs: ["203.0.113.7/32"], dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json") },
            secrets: { sshPrivateKey: privateKey },
        },
        invokes: {},
    },
    "aws-dev": {
        user: {
            values: {
                sshPublicKeys: [publicKey],
                adminCidrs: ["203.0.113.7/32"],
                dashboard1860File: sharedFixture("grafana/node-exporter-full.variable.json"),
            },
            secrets: { sshPrivateKey: privateKey },
        },
        invokes: awsInvokes,
    },
    prod: {
        user: {
            values: {
                sshPublicKeys: [publicKey],
                adminCidrs: ["203.0.113.7/32"],
                viewerCidrs: ["198.51.100.0/24"],
                dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json"),
            },
            secrets: { sshPrivateKey: privateKey, grafanaAdminPassword: "a-production-password", smtpPassword: "smtp-password" },
        },
        invokes: {},
    },
};

/**
 * A user of the hosts platform with two machines (monitoring, app) at the lab's addresses, plus
 * what a test adds: the settings a feature's tests start from.
 */
export function twoMachineHostsUser(values: Record<string, unknown> = {}, secrets: Record<string, string> = {}): UserSettings {
    return {
        values: {
            platform: "hosts",
            hosts: ["monitoring=root@10.77.0.11", "app=root@10.77.0.12"],
            adminCidrs: ["10.77.0.0/24"],
            dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json"),
            ...values,
        },
        secrets: { sshPrivateKey: privateKey, grafanaAdminPassword: "a-lab-admin-password", ...secrets },
    };
}

/** A user of the aws platform as the aws-dev stack's comments ask, plus what a test adds. */
export function awsUser(values: Record<string, unknown> = {}): UserSettings {
    const user = committedStackUsers["aws-dev"].user;
    return { values: { platform: "aws", ...user.values, ...values }, secrets: user.secrets };
}

/** Every optional service on: Thanos, the CloudWatch bridge, two Alertmanagers, two Prometheus servers, mail. */
const everyService = {
    thanos: true,
    thanosBucket: "lab-metrics",
    thanosBucketEndpoint: "10.77.0.1:5055",
    thanosBucketRegion: "us-east-1",
    thanosBucketInsecure: true,
    prometheusReplicas: 2,
    alertmanagerReplicas: 2,
    cloudwatchBridge: true,
    cloudwatchAlarmsFile: path.join(__dirname, "..", "fixtures", "cloudwatch", "describe-alarms.json"),
    smtpSmarthost: "smtp.example.com:587",
    smtpFrom: "alerts@example.com",
    smtpTo: "oncall@example.com",
    smtpUsername: "alerts",
};
const everySecret = {
    thanosBucketAccessKeyId: "LABACCESSKEY",
    thanosBucketSecretAccessKey: "lab-secret-access-key",
    cloudwatchBridgeAccessKeyId: "AKIAEXAMPLEBRIDGE",
    cloudwatchBridgeSecretAccessKey: "bridge-secret-key",
    smtpPassword: "smtp-password",
};
const threeMachines = ["monitoring=root@10.77.0.11", "app=root@10.77.0.12", "node=root@10.77.0.13"];
/** On linode and aws the stack makes its bucket and the instance roles read CloudWatch. */
const cloudBucket = { thanosBucketEndpoint: "", thanosBucketRegion: "", thanosBucketInsecure: false, thanosBucket: "" };
const { thanosBucketAccessKeyId, thanosBucketSecretAccessKey, cloudwatchBridgeAccessKeyId, cloudwatchBridgeSecretAccessKey, ...awsSecrets } = everySecret;
void [thanosBucketAccessKeyId, thanosBucketSecretAccessKey, cloudwatchBridgeAccessKeyId, cloudwatchBridgeSecretAccessKey];

/**
 * Configurations with every optional service on, on each platform and both runtimes of the hosts
 * platform: what the security invariants are checked on, and whose URNs deployed stacks keep.
 */
export const everyOptionalService: Record<string, { stack: string; user: UserSettings; invokes: InvokeMocks }> = {
    "hosts-systemd": { stack: "dev", user: twoMachineHostsUser({ ...everyService, hosts: threeMachines }, everySecret), invokes: {} },
    "hosts-docker": { stack: "dev", user: twoMachineHostsUser({ ...everyService, hosts: threeMachines, hostsRuntime: "docker" }, everySecret), invokes: {} },
    linode: {
        stack: "dev",
        user: {
            values: { ...committedStackUsers.dev.user.values, ...everyService, ...cloudBucket },
            secrets: { ...committedStackUsers.dev.user.secrets, ...everySecret },
        },
        invokes: {},
    },
    aws: {
        stack: "aws-dev",
        user: {
            values: { ...committedStackUsers["aws-dev"].user.values, ...everyService, ...cloudBucket },
            secrets: { ...committedStackUsers["aws-dev"].user.secrets, ...awsSecrets },
        },
        invokes: awsInvokes,
    },
};
