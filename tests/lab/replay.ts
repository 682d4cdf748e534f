import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { EvaluatedStack, RecordedResource } from "../support/stackUnderMocks";
import { projectDir } from "../support/stackUnderMocks";

/** The lab as lab/lab.sh up left it (.lab/env). */
export interface Lab {
    readonly monitoring: string;
    readonly app: string;
    readonly mirror: string;
    readonly smtp: string;
    readonly mailDir: string;
    readonly sshKey: string;
    readonly versions: { prometheus: string; alertmanager: string; nodeExporter: string };
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
    return {
        monitoring: env.LAB_MONITORING,
        app: env.LAB_APP,
        mirror: env.LAB_MIRROR,
        smtp: env.LAB_SMTP,
        mailDir: env.LAB_MAIL_DIR,
        sshKey: env.LAB_SSH_KEY,
        versions: { prometheus: env.PROMETHEUS_VERSION, alertmanager: env.ALERTMANAGER_VERSION, nodeExporter: env.NODE_EXPORTER_VERSION },
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

const remoteTypes = ["command:remote:CopyToRemote", "command:remote:Command"];

/** The remote steps of an evaluated program, in an order that respects every dependency. */
export function remoteSteps(stack: EvaluatedStack): RecordedResource[] {
    const steps = stack.resources.filter((r) => remoteTypes.includes(r.type));
    const byUrn = new Map(steps.map((s) => [s.urn, s]));
    const done = new Set<string>();
    const ordered: RecordedResource[] = [];
    const visit = (step: RecordedResource, seen: Set<string>) => {
        if (done.has(step.urn)) return;
        if (seen.has(step.urn)) throw new Error(`dependency cycle at ${step.name}`);
        seen.add(step.urn);
        for (const dep of step.dependencies) {
            const before = byUrn.get(dep);
            if (before) visit(before, seen);
        }
        done.add(step.urn);
        ordered.push(step);
    };
    steps.forEach((s) => visit(s, new Set()));
    return ordered;
}

/** The inputs of a step that make the command provider act when they change. */
export function stepInputs(step: RecordedResource): string {
    return step.type === "command:remote:CopyToRemote"
        ? JSON.stringify([step.inputs.remotePath, step.inputs.source])
        : JSON.stringify([step.inputs.create, step.inputs.stdin ?? null]);
}

/**
 * Does over SSH what the command provider does for these steps: a copy writes its text to the
 * remote path, a command runs its `create` with its standard input. Stops at the first failure
 * and returns it, as `pulumi up` does.
 */
export function replay(lab: Lab, steps: readonly RecordedResource[]): { ran: string[]; failed?: { step: string; stderr: string } } {
    const ran: string[] = [];
    for (const step of steps) {
        const host = String((step.inputs.connection as { host: string }).host);
        const result =
            step.type === "command:remote:CopyToRemote"
                ? ssh(lab, host, `cat > ${String(step.inputs.remotePath)}`, (step.inputs.source as { text: string }).text)
                : ssh(lab, host, String(step.inputs.create), String(step.inputs.stdin ?? ""));
        ran.push(step.name);
        if (result.status !== 0) {
            return { ran, failed: { step: step.name, stderr: result.stderr + result.stdout } };
        }
    }
    return { ran };
}

/** The steps whose inputs differ between two evaluations (what an update would run), in order. */
export function changedSteps(before: EvaluatedStack, after: EvaluatedStack): RecordedResource[] {
    const previous = new Map(remoteSteps(before).map((s) => [s.name, stepInputs(s)]));
    return remoteSteps(after).filter((s) => previous.get(s.name) !== stepInputs(s));
}
