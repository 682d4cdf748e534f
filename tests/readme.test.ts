import * as fs from "fs";
import * as path from "path";
import { renderSettingsTable, tableEnd, tableStart } from "../settings/settingsTable";
import { settingDeclarations } from "../settings/schema";
import { run } from "./support/tools";

const root = path.join(__dirname, "..");
const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");

describe("README", () => {
    it("should hold the settings table generated from Pulumi.yaml (npm run docs:settings)", () => {
        const table = readme.slice(readme.indexOf(tableStart), readme.indexOf(tableEnd) + tableEnd.length);
        expect(table).toBe(renderSettingsTable());
        for (const key of Object.keys(settingDeclarations())) expect(table).toContain(`| \`${key}\` |`);
    });

    it("should open with the deploy command and the test command, and both scripts exist", () => {
        const firstBlock = /```bash\n([\s\S]*?)```/.exec(readme)![1];
        const commands = firstBlock
            .split("\n")
            .filter((l) => l.trim() !== "")
            .map((l) => l.replace(/\s+#.*$/, ""));
        expect(commands).toEqual(["bash scripts/deploy.sh dev", "bash scripts/test.sh"]);
        expect(fs.existsSync(path.join(root, "scripts/deploy.sh"))).toBe(true);
        expect(fs.existsSync(path.join(root, "scripts/test.sh"))).toBe(true);
    });

    it("should have CI run the README's test command", () => {
        expect(fs.readFileSync(path.join(root, ".ci/run"), "utf8")).toContain("exec bash scripts/test.sh");
    });

    it.each(["scripts/deploy.sh", "scripts/test.sh", "scripts/install-test-tools.sh", "scripts/affected-stacks.sh", ".ci/run"])(
        "should pass shellcheck: %s",
        (script) => {
            const result = run("shellcheck", ["--shell=bash", "--severity=style", path.join(root, script)]);
            expect(result.stdout).toBe("");
            expect(result.status).toBe(0);
        },
    );
});
