import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { settingDefault } from "../../settings/schema";

/** How to install each tool the tests run, on Debian or Ubuntu. */
const installHints: Record<string, string> = {
    promtool: "apt-get install prometheus",
    amtool: "apt-get install prometheus-alertmanager",
    shellcheck: "apt-get install shellcheck",
    "systemd-analyze": "apt-get install systemd",
    python3: "apt-get install python3",
    jq: "apt-get install jq",
    git: "apt-get install git",
    openssl: "apt-get install openssl",
    actionlint: "go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.7",
};

/** Where go install puts programs, searched after PATH. */
const goBin = (() => {
    const result = spawnSync("go", ["env", "GOPATH"], { encoding: "utf8" });
    return result.status === 0 ? path.join(result.stdout.trim(), "bin") : undefined;
})();

/** The path of a tool: on PATH, or installed by go install. */
function toolPath(tool: string): string | undefined {
    const found = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
    if (found.status === 0) return found.stdout.trim();
    if (goBin && fs.existsSync(path.join(goBin, tool))) return path.join(goBin, tool);
    return undefined;
}

/** Fails with an install hint when a tool the tests need is missing. Never skips. */
export function requireTool(tool: string): string {
    const found = toolPath(tool);
    if (!found) {
        throw new Error(`${tool} is not installed; install it with: ${installHints[tool] ?? tool} (bash .ci/run installs everything)`);
    }
    return found;
}

/** Runs a tool (by name from PATH, or a path such as a pinned binary's) and returns its exit status and output. */
export function run(tool: string, args: string[], options: { cwd?: string; input?: string } = {}): { status: number; stdout: string; stderr: string } {
    const result = spawnSync(path.isAbsolute(tool) ? tool : requireTool(tool), args, { encoding: "utf8", cwd: options.cwd, input: options.input });
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

/** Where scripts/install-test-tools.sh (lab/build-releases.sh) leaves the pinned releases. */
const releasesDir = process.env.MONITORING_RELEASES_DIR ?? "/var/cache/monitoring-lab/releases";
const pinnedTools = new Map<string, string>();

/**
 * A binary of a release the program pins, unpacked from the tarball lab/build-releases.sh built in
 * the upstream layout (`tarball` relative to the releases directory, `member` the file in it).
 * Fails with how to build it when it is missing; never falls back to another build.
 */
export function pinnedBinary(tarball: string, member: string): string {
    const key = `${tarball}:${member}`;
    const cached = pinnedTools.get(key);
    if (cached) return cached;
    const file = path.join(releasesDir, tarball);
    if (!fs.existsSync(file)) {
        throw new Error(
            `${file} is missing: build the pinned releases with bash lab/build-releases.sh ${releasesDir} (bash scripts/install-test-tools.sh does it)`,
        );
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pinned-release-"));
    const unpacked = spawnSync("tar", ["-xzf", file, "-C", dir, member], { encoding: "utf8" });
    if (unpacked.status !== 0) throw new Error(`unpacking ${member} from ${file} failed: ${unpacked.stderr}`);
    const tool = path.join(dir, member);
    pinnedTools.set(key, tool);
    return tool;
}

/** The promtool of the Prometheus release the program pins (prometheusVersion). Debian's promtool lacks some service discoveries. */
export function pinnedPromtool(version: string): string {
    const top = `prometheus-${version}.linux-amd64`;
    return pinnedBinary(`prometheus/v${version}/${top}.tar.gz`, `${top}/promtool`);
}

/** amtool of the Alertmanager release the program pins (Pulumi.yaml's alertmanagerVersion), as its checks on the hosts run it. */
export function pinnedAmtool(): string {
    const version = settingDefault("alertmanagerVersion") as string;
    const top = `alertmanager-${version}.linux-amd64`;
    return pinnedBinary(`alertmanager/v${version}/${top}.tar.gz`, `${top}/amtool`);
}

/** A port free on the loopback now. */
export async function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
        server.on("error", reject);
    });
}

/** The first value `probe` gives within `seconds` (asked every 250 ms; a probe that throws counts as none yet). */
export async function waitFor<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
        const value = await probe().catch(() => undefined);
        if (value !== undefined) return value;
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${what}: not within ${seconds} s`);
}

/** Runs one of the project's npm scripts (scripts/<name>.ts) as `npm run <name> -- args` does, from the project's directory. */
export function runProjectScript(name: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
    const root = path.join(__dirname, "..", "..");
    return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(root, "scripts", `${name}.ts`), ...args], {
        encoding: "utf8",
        cwd: root,
    });
}
