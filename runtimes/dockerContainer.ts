import * as crypto from "crypto";
import { shellQuote } from "../remote/shell";

/** A bind mount or named volume. */
export interface ContainerVolume {
    /** Host path (absolute) or named volume. */
    readonly source: string;
    readonly target: string;
    readonly readOnly?: boolean;
    /** Mount propagation, e.g. rslave for node-exporter's view of the host. */
    readonly propagation?: "rslave";
}

/** One long-running container, as the guide's docker run lines start them, made repeatable. */
export interface ContainerSpec {
    readonly name: string;
    /** Image pinned to a tag or digest. */
    readonly image: string;
    /** Host network: ports bind on the host, where the security groups guard them. */
    readonly volumes: readonly ContainerVolume[];
    readonly env?: Readonly<Record<string, string>>;
    /** Share the host's PID namespace (node-exporter). */
    readonly hostPid?: boolean;
    /** User to run as, e.g. 65534 (nobody). */
    readonly user?: string;
    /** Arguments after the image. */
    readonly args: readonly string[];
    /** Shell lines run before the container starts (directories, secrets from standard input). */
    readonly prepare?: readonly string[];
    /** Shell lines run after it started (readiness checks). */
    readonly verify?: readonly string[];
    /** Where its output goes: the host's journal (journald), or Docker's own files when absent. */
    readonly logDriver?: "journald";
}

/**
 * Renders the script that starts one container with `--restart unless-stopped`. The container
 * carries a label with the hash of its spec: running the script again changes nothing unless the
 * spec changed, and then the container is replaced.
 */
export function renderContainerScript(spec: ContainerSpec): string {
    const runArgs = [
        "--detach",
        `--name ${shellQuote(spec.name)}`,
        "--restart unless-stopped",
        "--network host",
        ...(spec.hostPid ? ["--pid host"] : []),
        ...(spec.user ? [`--user ${shellQuote(spec.user)}`] : []),
        ...(spec.logDriver ? [`--log-driver ${spec.logDriver}`] : []),
        '--label "monitoring.spec=$want"',
        ...spec.volumes.map(
            (v) =>
                `--volume ${shellQuote(`${v.source}:${v.target}${v.readOnly ? ":ro" : ""}${v.propagation ? `${v.readOnly ? "," : ":"}${v.propagation}` : ""}`)}`,
        ),
        ...Object.keys(spec.env ?? {})
            .sort()
            .map((key) => `--env ${shellQuote(`${key}=${spec.env![key]}`)}`),
        shellQuote(spec.image),
        ...spec.args.map(shellQuote),
    ];
    const want = crypto.createHash("sha256").update(JSON.stringify(spec)).digest("hex").slice(0, 16);
    const name = shellQuote(spec.name);
    return [
        "#!/bin/bash",
        `# Rendered by the monitoring Pulumi program: the ${spec.name} container.`,
        "set -euo pipefail",
        ...(spec.prepare ?? []),
        `want=${want}`,
        `have=$(docker inspect --format '{{ index .Config.Labels "monitoring.spec" }}' ${name} 2>/dev/null || true)`,
        `running=$(docker inspect --format '{{ .State.Running }}' ${name} 2>/dev/null || true)`,
        'if [ "$have" = "$want" ] && [ "$running" = true ]; then',
        `    echo "${spec.name}: unchanged"`,
        "else",
        // A present image is used as it is (an air-gapped site loads its images beforehand); a
        // pinned tag or digest names the same image wherever it comes from.
        `    docker image inspect ${shellQuote(spec.image)} >/dev/null 2>&1 || docker pull --quiet ${shellQuote(spec.image)}`,
        `    docker rm --force ${name} >/dev/null 2>&1 || true`,
        `    docker run ${runArgs.join(" \\\n        ")} >/dev/null`,
        `    echo "${spec.name}: started ${spec.image}"`,
        "fi",
        ...(spec.verify ?? []),
        "",
    ].join("\n");
}
