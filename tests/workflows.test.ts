import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { projectDir } from "./support/stackUnderMocks";
import { requireTool, run } from "./support/tools";

const workflowsDir = path.join(projectDir, ".github", "workflows");
const workflows = fs.readdirSync(workflowsDir).filter((f) => f.endsWith(".yml"));

describe("GitHub workflows", () => {
    it("should pass actionlint", () => {
        const result = run(
            "actionlint",
            workflows.map((w) => path.join(workflowsDir, w)),
        );
        expect(result.stdout + result.stderr).toBe("");
        expect(result.status).toBe(0);
    });

    it("should preview with a comment on pull requests, and deploy prod only through the protected production environment", () => {
        const pr = yaml.load(fs.readFileSync(path.join(workflowsDir, "pull-request.yml"), "utf8")) as any;
        // The preview streams its events; the comment begins with the summary read from them, the raw diff below.
        const previewRun = pr.jobs.preview.steps.map((s: any) => String(s.run ?? "")).join("\n");
        expect(previewRun).toContain('PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json >"$RUNNER_TEMP/events.jsonl"');
        expect(previewRun).toContain('pulumi preview --diff --color never | tee "$RUNNER_TEMP/preview.txt"');
        expect(previewRun).toContain(
            'npm run -s preview-summary -- "$STACK" "$RUNNER_TEMP/events.jsonl" "$RUNNER_TEMP/preview.txt" > "$RUNNER_TEMP/comment.md"',
        );
        expect(previewRun).toContain('gh pr comment "$PR" --body-file "$RUNNER_TEMP/comment.md"');
        expect(pr.jobs.preview.needs).toEqual(["test", "affected"]);
        const deploy = yaml.load(fs.readFileSync(path.join(workflowsDir, "deploy.yml"), "utf8")) as any;
        expect(deploy.on.push.branches).toEqual(["main"]);
        expect(deploy.jobs.up.strategy.matrix.include).toEqual([
            { stack: "dev", environment: "dev" },
            { stack: "prod", environment: "production" },
        ]);
        expect(deploy.jobs.up.strategy["max-parallel"]).toBe(1);
        expect(deploy.jobs.up.environment).toBe("${{ matrix.environment }}");
        // The deployment key reaches the hosts through an SSH agent; no key file, no key in the state.
        const up = deploy.jobs.up.steps.find((s: any) => String(s.uses).startsWith("pulumi/actions@"));
        expect(JSON.parse(up.with["config-map"])).toEqual({
            sshAgentSocket: { value: "${{ runner.temp }}/monitoring-agent.sock", secret: false },
            // GitHub's runners reach the hosts through the jump host of a repository variable.
            sshJumpHost: { value: "${{ vars.SSH_JUMP_HOST }}", secret: false },
        });
        expect(deploy.jobs.up["runs-on"]).toBe("${{ vars.DEPLOY_RUNNER || 'ubuntu-24.04' }}");
        // The preview sets the same settings as the deploy's config-map, to the same values.
        const previewStep = pr.jobs.preview.steps.find((s: any) => s.name === "Preview");
        for (const [key, { value }] of Object.entries(JSON.parse(up.with["config-map"])) as [string, { value: string }][]) {
            const asShell = value.replace("${{ runner.temp }}", "$RUNNER_TEMP").replace("${{ vars.SSH_JUMP_HOST }}", "$SSH_JUMP_HOST");
            expect(previewStep.run).toContain(`pulumi config set ${key} "${asShell}"`);
        }
        expect(previewStep.env.SSH_JUMP_HOST).toBe("${{ vars.SSH_JUMP_HOST }}");
        const script = deploy.jobs.up.steps.map((s: any) => String(s.run ?? "")).join("\n");
        expect(script).toContain('ssh-agent -a "$RUNNER_TEMP/monitoring-agent.sock"');
        expect(script).not.toMatch(/> ?~\/\.ssh\/id_/);
    });
});

describe("scripts/affected-stacks.sh", () => {
    requireTool("git");
    requireTool("jq");
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "affected-"));
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" }).trim();
    const write = (file: string, text: string) => {
        fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
        fs.writeFileSync(path.join(repo, file), text);
    };
    const commit = (files: Record<string, string>): string => {
        for (const [file, text] of Object.entries(files)) write(file, text);
        git("add", "-A");
        git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "change");
        return git("rev-parse", "HEAD");
    };
    const affected = (base: string, head: string): string[] => {
        const result = spawnSync("bash", [path.join(projectDir, "scripts", "affected-stacks.sh"), base, head], { cwd: repo, encoding: "utf8" });
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        return JSON.parse(result.stdout);
    };
    git("init", "-q");
    const base = commit({ "Pulumi.yaml": "name: m\n", "Pulumi.dev.yaml": "a: 1\n", "Pulumi.prod.yaml": "a: 1\n", "index.ts": "1\n", "README.md": "x\n" });

    it.each([
        ["a stack file", { "Pulumi.prod.yaml": "a: 2\n" }, ["prod"]],
        ["the program", { "components/x.ts": "2\n" }, ["dev", "prod"]],
        ["Pulumi.yaml", { "Pulumi.yaml": "name: m2\n" }, ["dev", "prod"]],
        ["docs and tests only", { "README.md": "y\n", "tests/a.test.ts": "1\n" }, []],
    ])("should list the stacks a change to %s affects", (_name, files, stacks) => {
        git("checkout", "-q", base);
        const head = commit(files as Record<string, string>);
        expect(affected(base, head)).toEqual(stacks);
    });
});
