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
