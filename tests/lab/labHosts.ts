import { spawnSync } from "child_process";
import * as http from "http";
import * as https from "https";
import * as fs from "fs";
import * as path from "path";
import { projectDir } from "../support/stackUnderMocks";

/** The versions of one release line: what the lab deploys first and what the program pins. */
export interface ReleaseVersions {
    readonly prometheus: string;
    readonly alertmanager: string;
    readonly nodeExporter: string;
}

/** The lab as lab/lab.sh up left it (.lab/env). */
export interface Lab {
    readonly monitoring: string;
    readonly app: string;
    /** A further machine, for the node role; it also holds the remote-write receiver (VictoriaMetrics). */
    readonly node: string;
    readonly receiverVersion: string;
    /** The Thanos release the program pins, built from its Go module and served by the mirror. */
    readonly thanosVersion: string;
    readonly mirror: string;
    readonly smtp: string;
    /** The AWS API emulator (moto) the CloudWatch bridge reads, and the Python that has boto3 to feed it. */
    readonly cloudwatch: string;
    readonly motoPython: string;
    readonly mailDir: string;
    readonly sshKey: string;
    /** The socket of the SSH agent that holds sshKey (setting sshAgentSocket). */
    readonly sshAgent: string;
    /** The releases the program pins by default, built from their Go modules. */
    readonly pinned: ReleaseVersions;
    /** Older releases (Debian's builds) the mirror also serves, to deploy before an upgrade. */
    readonly older: ReleaseVersions;
}

/** Reads .lab/env; fails saying how to start the lab when it is not up. */
export function readLab(): Lab {
    const file = path.join(projectDir, ".lab", "env");
    if (!fs.existsSync(file)) {
        throw new Error(`${file} is missing: start the lab first with sudo bash lab/lab.sh up (npm run test:lab does it)`);
    }
    const env = Object.fromEntries(
        fs
            .readFileSync(file, "utf8")
            .split("\n")
            .filter((l) => l.includes("="))
            .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    const versions = (prefix: string): ReleaseVersions => ({
        prometheus: env[`${prefix}PROMETHEUS_VERSION`],
        alertmanager: env[`${prefix}ALERTMANAGER_VERSION`],
        nodeExporter: env[`${prefix}NODE_EXPORTER_VERSION`],
    });
    return {
        monitoring: env.LAB_MONITORING,
        app: env.LAB_APP,
        node: env.LAB_NODE,
        receiverVersion: env.LAB_RECEIVER_VERSION,
        thanosVersion: env.THANOS_VERSION,
        mirror: env.LAB_MIRROR,
        smtp: env.LAB_SMTP,
        cloudwatch: env.LAB_CLOUDWATCH,
        motoPython: env.LAB_MOTO_PYTHON,
        mailDir: env.LAB_MAIL_DIR,
        sshKey: env.LAB_SSH_KEY,
        sshAgent: env.LAB_SSH_AGENT,
        pinned: versions(""),
        older: versions("OLDER_"),
    };
}

/** Runs a shell command on a lab host as root, with optional standard input. */
export function ssh(lab: Lab, host: string, command: string, input = ""): { status: number; stdout: string; stderr: string } {
    const result = spawnSync(
        "ssh",
        [
            "-i",
            lab.sshKey,
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "ConnectTimeout=5",
            `root@${host}`,
            command,
        ],
        { encoding: "utf8", input, timeout: 600_000 },
    );
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * How many SSH logins the host's sshd has accepted since it booted, this one included. Every
 * remote step of the command provider (a command or a file copy) is one login, so an unchanged
 * count (plus the one of this query) proves that nothing ran on the host.
 */
export function sshLogins(lab: Lab, host: string): number {
    const result = ssh(lab, host, "journalctl --boot --unit=ssh.service --output=cat --no-pager | grep -c 'Accepted publickey' || true");
    if (result.status !== 0) throw new Error(`reading sshd's journal on ${host} failed: ${result.stderr}`);
    return Number(result.stdout.trim());
}

/** How the test reaches the lab's secured endpoints: the stack's CA and the basic-auth credentials. */
export interface WebAccess {
    readonly ca?: string;
    readonly username?: string;
    readonly password?: string;
}

/**
 * GET `url` with Node's own HTTP client: over HTTPS the server's certificate must verify against
 * `access.ca` (and name the host), as for any careful client; credentials only when given.
 */
export function webGet(url: string, access: WebAccess = {}): Promise<{ status: number; body: string }> {
    const target = new URL(url);
    const client = target.protocol === "https:" ? https : http;
    const auth = access.username !== undefined ? `Basic ${Buffer.from(`${access.username}:${access.password ?? ""}`).toString("base64")}` : undefined;
    return new Promise((resolve, reject) => {
        const request = client.get(
            target,
            { ...(access.ca ? { ca: access.ca } : {}), headers: auth ? { authorization: auth } : {}, timeout: 10_000 },
            (response) => {
                let body = "";
                response.setEncoding("utf8");
                response.on("data", (chunk: string) => (body += chunk));
                response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
            },
        );
        request.on("timeout", () => request.destroy(new Error(`GET ${url} timed out`)));
        request.on("error", reject);
    });
}
