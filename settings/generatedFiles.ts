import * as yaml from "js-yaml";
import { isSecretSetting, settingDeclarations } from "./schema";
import type { SettingDeclaration } from "./declare";
import { settingSlices } from "./declarations";

// The files generated from the settings' declarations (npm run generate:settings): Pulumi.yaml's
// `config:` block, which the engine reads, and the README's settings table. tests/settings.test.ts
// fails when either is stale.

/** Markers around the generated settings table in README.md. */
export const tableStart = "<!-- settings-table:start (generated from the *.settings.ts declarations by npm run generate:settings) -->";
export const tableEnd = "<!-- settings-table:end -->";

/** What the README and Pulumi.yaml say a setting means; an optional secret says so first, as `pulumi config` shows only the description. */
function describe(d: SettingDeclaration): string {
    return isSecretSetting(d) ? `Secret. ${d.description}` : d.description;
}

function formatDefault(value: unknown): string {
    if (Array.isArray(value)) {
        return value.length === 0 ? "`[]`" : `\`${JSON.stringify(value)}\``;
    }
    return value === "" ? "(empty)" : `\`${String(value)}\``;
}

/** The README's settings table. */
export function renderSettingsTable(): string {
    const rows = Object.entries(settingDeclarations()).map(([key, d]) => {
        const type = d.type === "array" ? `list of ${d.items?.type ?? "string"}` : d.type;
        const platforms = d.platforms ? ` (${d.platforms.join(", ")})` : "";
        return `| \`${key}\` | ${type}${isSecretSetting(d) ? ", secret" : ""}${platforms} | ${formatDefault(d.default)} | ${describe(d).replace(/\|/g, "\\|")} |`;
    });
    return [tableStart, "| Setting | Type | Default | Meaning |", "| --- | --- | --- | --- |", ...rows, tableEnd].join("\n");
}

/** README text with its settings table replaced by a freshly rendered one. */
export function withSettingsTable(readme: string): string {
    const start = readme.indexOf(tableStart);
    const end = readme.indexOf(tableEnd);
    if (start < 0 || end < start) {
        throw new Error(`README.md lacks the settings table markers ${tableStart} ... ${tableEnd}`);
    }
    return readme.slice(0, start) + renderSettingsTable() + readme.slice(end + tableEnd.length);
}

/** The line that opens the generated part of Pulumi.yaml; everything from it on is generated. */
export const configBlockStart = "# Generated from the *.settings.ts declarations by npm run generate:settings: edit those, not this block.";

/**
 * Pulumi.yaml's `config:` block: each setting's type, default and description, a blank line between
 * slices. Optional secrets carry an empty default and no `secret: true` (the engine would apply the
 * plain-text default and then refuse it for a key declared secret); the program refuses any of them
 * set without --secret. Values are written as JSON, which YAML reads unchanged.
 */
export function renderConfigBlock(): string {
    const lines = [
        configBlockStart,
        '# Optional secrets say "Secret." first and have an empty default; the program refuses any set without --secret.',
        "config:",
    ];
    settingSlices.forEach((slice, i) => {
        if (i > 0) lines.push("");
        for (const [key, d] of Object.entries(slice)) {
            lines.push(`  ${key}:`, `    type: ${d.type}`);
            if (d.items) lines.push("    items:", `      type: ${d.items.type}`);
            lines.push(`    default: ${yamlScalar(d.default)}`, `    description: ${JSON.stringify(describe(d))}`);
        }
    });
    return lines.join("\n") + "\n";
}

/** A default as Pulumi.yaml writes it: plain when YAML reads the same string back, JSON otherwise (lists, numbers, "", true). */
function yamlScalar(value: unknown): string {
    if (typeof value === "string" && value !== "") {
        const plain = yaml.dump(value, { lineWidth: -1 }).trimEnd();
        if (!/^['"]/.test(plain) && yaml.load(plain) === value) return plain;
    }
    return JSON.stringify(value);
}

/** Pulumi.yaml's text with its config block replaced by a freshly rendered one. */
export function withConfigBlock(projectFile: string): string {
    const start = projectFile.indexOf(configBlockStart);
    if (start < 0) {
        throw new Error(`Pulumi.yaml lacks the line that opens its generated config block: ${configBlockStart}`);
    }
    return projectFile.slice(0, start) + renderConfigBlock();
}
