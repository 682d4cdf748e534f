// Rewrites the settings table in README.md from Pulumi.yaml (npm run docs:settings).
import * as fs from "fs";
import * as path from "path";
import { withSettingsTable } from "../settings/settingsTable";

const readmePath = path.join(__dirname, "..", "README.md");
fs.writeFileSync(readmePath, withSettingsTable(fs.readFileSync(readmePath, "utf8")));
console.log(`settings table in ${readmePath} rewritten from Pulumi.yaml`);
