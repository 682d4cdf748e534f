// Rewrites what is generated from the settings' declarations (npm run generate:settings):
// Pulumi.yaml's config block and README.md's settings table.
import * as fs from "fs";
import * as path from "path";
import { withConfigBlock, withSettingsTable } from "../settings/generatedFiles";

const root = path.join(__dirname, "..");
for (const [file, rewrite] of [
    ["Pulumi.yaml", withConfigBlock],
    ["README.md", withSettingsTable],
] as const) {
    const full = path.join(root, file);
    const before = fs.readFileSync(full, "utf8");
    const after = rewrite(before);
    fs.writeFileSync(full, after);
    console.log(`${file}: ${before === after ? "already current" : "rewritten"} from the *.settings.ts declarations`);
}
