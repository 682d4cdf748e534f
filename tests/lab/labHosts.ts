import { spawnSync } from "child_process";
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
    readonly mirror: string;
    readonly smtp: string;
    readonly mailDir: string;
    readonly sshKey: string;
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
        mirror: env.LAB_MIRROR,
        smtp: env.LAB_SMTP,
        mailDir: env.LAB_MAIL_DIR,
        sshKey: env.LAB_SSH_KEY,
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
