import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EngineEvent, LocalWorkspace, OpMap, Stack } from "@pulumi/pulumi/automation";
import { projectDir } from "../support/stackUnderMocks";

/** One resource step the engine reported: its operation and the resource's name and type. */
export interface EngineStep {
    readonly op: string;
    readonly name: string;
    readonly type: string;
    readonly urn: string;
}

/** What one engine operation reported, besides its own result object. */
export interface EngineReport {
    /** Every resource step other than `same`, in the order the engine reported them. */
    readonly steps: EngineStep[];
    /** The engine's summary: changes by operation. */
    readonly resourceChanges: OpMap;
    /** The engine's own duration of the operation, in seconds. */
    readonly engineSeconds: number;
    /** What the CLI printed, as a pull-request comment or a terminal shows it. */
    readonly stdout: string;
    /** The engine's events, as `pulumi preview --json` streams them (PULUMI_ENABLE_STREAMING_JSON_PREVIEW). */
    readonly events: EngineEvent[];
}

/** A timing row: engine-reported and wall-clock seconds of one phase. */
export interface Timing {
    readonly phase: string;
    readonly engineSeconds: number;
    readonly wallSeconds: number;
}

/** The lab's backend: a file backend under .lab/, where the lab's stacks live and die with its hosts. */
export const labBackendDir = path.join(projectDir, ".lab", "state");

/** The name of a resource from its URN (the part after the last "::"). */
export const nameOfUrn = (urn: string): string => urn.slice(urn.lastIndexOf("::") + 2);

/**
 * Settings as `pulumi config set --path` keys: an array becomes key[0], key[1], ..., an object in a
 * list key[0].field; values are text, as the CLI takes them. `secrets` names whole settings or
 * paths (remoteWrite[0].password) set with --secret.
 */
function pathConfig(values: Readonly<Record<string, unknown>>, secrets: readonly string[]): Record<string, { value: string; secret?: boolean }> {
    const config: Record<string, { value: string; secret?: boolean }> = {};
    const put = (path: string, value: unknown) => (config[path] = { value: String(value), ...(secrets.includes(path) ? { secret: true } : {}) });
    for (const [key, value] of Object.entries(values)) {
        if (Array.isArray(value)) {
            value.forEach((item, i) =>
                item !== null && typeof item === "object"
                    ? Object.entries(item as Record<string, unknown>).forEach(([field, v]) => put(`${key}[${i}].${field}`, v))
                    : put(`${key}[${i}]`, item),
            );
        } else {
            put(key, value);
        }
    }
    return config;
}

/**
 * The `lab` stack of this project, driven through the Automation API with the real engine (the
 * `pulumi` CLI found on PATH) on the lab's file backend: every phase of the lab's test is a real
 * `pulumi preview`, `up` or `destroy`.
 */
/**
 * The lab's backend: a local directory without metadata sidecars (metadata=skip, as the README
 * recommends for file backends: a CLI killed while writing a `.attrs` sidecar leaves it empty, and
 * every later command fails with "failed to load checkpoint: EOF"), and the passphrase of its secrets.
 */
const labEnv = { PULUMI_BACKEND_URL: `file://${labBackendDir}?metadata=skip`, PULUMI_CONFIG_PASSPHRASE: "lab", PULUMI_SKIP_UPDATE_CHECK: "true" };

export class LabStack {
    readonly timings: Timing[] = [];

    private constructor(readonly stack: Stack) {}

    /**
     * Creates the stack on a new backend; an earlier run's state is for hosts that no longer exist.
     * `workDir` is the program's directory: this tree, or another commit's (see withProgramOf).
     */
    static async create(stackName: string, workDir: string = projectDir): Promise<LabStack> {
        fs.rmSync(labBackendDir, { recursive: true, force: true });
        fs.mkdirSync(labBackendDir, { recursive: true });
        fs.rmSync(path.join(workDir, `Pulumi.${stackName}.yaml`), { force: true });
        const stack = await LocalWorkspace.createStack({ stackName, workDir }, { envVars: labEnv });
        return new LabStack(stack);
    }

    /**
     * The same stack (state and configuration) run by the program in another directory: how a user
     * who deployed one commit runs the next. The stack's file, with its encryption salt, goes along.
     */
    async withProgramOf(workDir: string): Promise<LabStack> {
        const file = `Pulumi.${this.stack.name}.yaml`;
        fs.copyFileSync(path.join(this.stack.workspace.workDir, file), path.join(workDir, file));
        return new LabStack(await LocalWorkspace.selectStack({ stackName: this.stack.name, workDir }, { envVars: labEnv }));
    }

    /** Replaces the stack's whole configuration with these settings (keys of Pulumi.yaml); `secrets` are set as secrets. */
    async configure(values: Readonly<Record<string, unknown>>, secrets: readonly string[] = []): Promise<void> {
        const current = Object.keys(await this.stack.getAllConfig());
        if (current.length > 0) await this.stack.removeAllConfig(current);
        await this.stack.setAllConfig(pathConfig(values, secrets), true);
    }

    /** The stack outputs, secrets shown. */
    async outputs(): Promise<Record<string, unknown>> {
        return Object.fromEntries(Object.entries(await this.stack.outputs()).map(([key, output]) => [key, output.value]));
    }

    /**
     * `pulumi stack export` as the state stores it (secrets encrypted), and with --show-secrets.
     * The Automation API's exportStack shows secrets, so the CLI is asked for both.
     */
    async exportState(): Promise<{ stored: string; shown: string }> {
        const exported = (...flags: string[]): string => {
            const cli = spawnSync("pulumi", ["stack", "export", ...flags, "--stack", this.stack.name], {
                cwd: projectDir,
                encoding: "utf8",
                env: { ...process.env, ...labEnv },
            });
            if (cli.status !== 0) throw new Error(`pulumi stack export ${flags.join(" ")} failed: ${cli.stderr}`);
            return cli.stdout;
        };
        return { stored: exported(), shown: exported("--show-secrets") };
    }

    /**
     * The resources the engine's state holds: the program's own, and the default providers that
     * the engine adds (counted by destroy, not by up or preview).
     */
    async resourceCount(): Promise<{ program: number; providers: number }> {
        const state = await this.stack.exportStack();
        const types: string[] = (state.deployment.resources ?? []).map((r: { type: string }) => r.type);
        const providers = types.filter((t) => t.startsWith("pulumi:providers:")).length;
        return { program: types.length - providers, providers };
    }

    private async run<T>(
        phase: string,
        operation: (onEvent: (event: EngineEvent) => void) => Promise<T & { stdout: string }>,
    ): Promise<{ result: T & { stdout: string }; report: EngineReport }> {
        const steps: EngineStep[] = [];
        const events: EngineEvent[] = [];
        let summary: { resourceChanges: OpMap; durationSeconds: number } | undefined;
        const onEvent = (event: EngineEvent) => {
            events.push(event);
            const pre = event.resourcePreEvent?.metadata;
            if (pre && pre.op !== "same") steps.push({ op: pre.op, urn: pre.urn, type: pre.type, name: nameOfUrn(pre.urn) });
            if (event.summaryEvent) summary = event.summaryEvent;
        };
        const start = Date.now();
        let result: T & { stdout: string };
        try {
            result = await operation(onEvent);
        } finally {
            this.timings.push({ phase, engineSeconds: summary?.durationSeconds ?? NaN, wallSeconds: (Date.now() - start) / 1000 });
        }
        return {
            result,
            report: { steps, resourceChanges: summary?.resourceChanges ?? {}, engineSeconds: summary?.durationSeconds ?? NaN, stdout: result.stdout, events },
        };
    }

    /** `pulumi preview --diff`, failing when `expectNoChanges` is set and there are changes. */
    async preview(phase: string, options: { expectNoChanges?: boolean } = {}): Promise<EngineReport> {
        const { report } = await this.run(phase, (onEvent) => this.stack.preview({ diff: true, onEvent, ...options }));
        return report;
    }

    /** `pulumi up`, failing when `expectNoChanges` is set and there are changes. */
    async up(phase: string, options: { expectNoChanges?: boolean } = {}): Promise<EngineReport> {
        const { report } = await this.run(phase, (onEvent) => this.stack.up({ onEvent, ...options }));
        return report;
    }

    /** `pulumi destroy`. */
    async destroy(phase: string): Promise<EngineReport> {
        const { report } = await this.run(phase, (onEvent) => this.stack.destroy({ onEvent }));
        return report;
    }

    /** Runs a `pulumi` command of this stack's CLI with the lab's backend, as a user types it. */
    cli(args: readonly string[]): { status: number; output: string } {
        const result = spawnSync("pulumi", [...args, "--stack", this.stack.name], {
            cwd: this.stack.workspace.workDir,
            encoding: "utf8",
            env: { ...process.env, ...labEnv },
        });
        return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
    }

    /**
     * `pulumi up --yes` through the CLI, with a fault injected while it runs: `fault` is called once,
     * as soon as `when` holds for what the CLI printed so far; the up then goes on or dies as it
     * will. Resolves when the CLI has exited and the fault has ended.
     */
    async upWithFault(
        phase: string,
        when: (output: string) => boolean,
        fault: (up: { pid: number }) => Promise<void>,
    ): Promise<{ status: number | null; signal: string | null; output: string; faultAfterSeconds: number }> {
        const start = Date.now();
        // Its own process group, as a terminal or a CI job runs it: a kill of the group is what closing either does.
        const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", this.stack.name], {
            cwd: this.stack.workspace.workDir,
            env: { ...process.env, ...labEnv },
            detached: true,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        let faulted: Promise<void> | undefined;
        let faultAfterSeconds = NaN;
        const exited = new Promise<{ status: number | null; signal: string | null }>((resolve) =>
            child.on("close", (status, signal) => resolve({ status, signal })),
        );
        const onData = (chunk: Buffer) => {
            output += chunk.toString();
            if (faulted === undefined && when(output)) {
                faultAfterSeconds = (Date.now() - start) / 1000;
                faulted = fault({ pid: child.pid! });
            }
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        const { status, signal } = await exited;
        await faulted;
        this.timings.push({ phase, engineSeconds: NaN, wallSeconds: (Date.now() - start) / 1000 });
        return { status, signal, output, faultAfterSeconds };
    }

    /** Whether a lock of this stack is left on the backend (a killed `pulumi up` leaves its lock). */
    isLocked(): boolean {
        // A file backend keeps locks under .pulumi/locks/organization/<project>/<stack>/.
        const dir = path.join(labBackendDir, ".pulumi", "locks", "organization", "monitoring", this.stack.name);
        return fs.existsSync(dir) && fs.readdirSync(dir).length > 0;
    }

    /** The operations the state holds as begun but never finished (what an interrupted up leaves). */
    async pendingOperations(): Promise<string[]> {
        const state = await this.stack.exportStack();
        return ((state.deployment.pending_operations ?? []) as { type: string; resource: { urn: string } }[]).map(
            (op) => `${op.type} ${nameOfUrn(op.resource.urn)}`,
        );
    }

    /** Removes the stack and its configuration file once its resources are gone. */
    async remove(): Promise<void> {
        await this.stack.workspace.removeStack(this.stack.name);
    }
}
