import * as fs from "fs";
import * as path from "path";
import { renderSettingsTable, tableEnd, tableStart } from "../settings/generatedFiles";
import { settingDeclarations } from "../settings/schema";
import { run } from "./support/tools";

const root = path.join(__dirname, "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

describe("README", () => {
    it("should hold the settings table generated from the declarations (npm run generate:settings)", () => {
        const table = readme.slice(readme.indexOf(tableStart), readme.indexOf(tableEnd) + tableEnd.length);
        expect(table).toBe(renderSettingsTable());
        for (const key of Object.keys(settingDeclarations())) expect(table).toContain(`| \`${key}\` |`);
    });

    it("should open with the lab deploy command and the test command, and both scripts exist", () => {
        const firstBlock = /```bash\n([\s\S]*?)```/.exec(readme)![1];
        const commands = firstBlock
            .split("\n")
            .filter((l) => l.trim() !== "")
            .map((l) => l.replace(/\s+#.*$/, ""));
        expect(commands).toEqual(["bash scripts/lab-deploy.sh", "bash scripts/test.sh"]);
        expect(fs.existsSync(path.join(root, "scripts/lab-deploy.sh"))).toBe(true);
        expect(fs.existsSync(path.join(root, "scripts/test.sh"))).toBe(true);
    });

    it("should have CI run the README's test command", () => {
        expect(fs.readFileSync(path.join(root, ".ci/run"), "utf8")).toContain("exec bash scripts/test.sh");
    });

    const projectScripts = [
        ...["scripts", "lab"].flatMap((dir) =>
            fs
                .readdirSync(path.join(root, dir))
                .filter((f) => f.endsWith(".sh"))
                .map((f) => `${dir}/${f}`),
        ),
        ".ci/run",
    ];
    it.each(projectScripts)("should pass shellcheck: %s", (script) => {
        // -x follows the scripts they source (scripts/pulumi-engine.sh), from the project root.
        const result = run("shellcheck", ["-x", "--shell=bash", "--severity=style", script], { cwd: root });
        expect(result.stdout).toBe("");
        expect(result.status).toBe(0);
    });
});
