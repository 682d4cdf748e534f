import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** How to install each tool the tests run, on Debian or Ubuntu. */
const installHints: Record<string, string> = {
    promtool: "apt-get install prometheus",
    amtool: "apt-get install prometheus-alertmanager",
    shellcheck: "apt-get install shellcheck",
    "systemd-analyze": "apt-get install systemd",
    python3: "apt-get install python3",
};

/** Fails with an install hint when a tool the tests need is missing. Never skips. */
export function requireTool(tool: string): void {
    const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
    if (found.status !== 0) {
        throw new Error(`${tool} is not installed; install it with: ${installHints[tool] ?? tool} (bash .ci/run installs everything)`);
    }
}

/** Runs a tool and returns its exit status and output. */
export function run(tool: string, args: string[], options: { cwd?: string; input?: string } = {}): { status: number; stdout: string; stderr: string } {
    requireTool(tool);
    const result = spawnSync(tool, args, { encoding: "utf8", cwd: options.cwd, input: options.input });
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary directory with the given files (relative paths) written into it. */
export function tempTree(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "monitoring-test-"));
    for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), content);
    }
    return dir;
}
