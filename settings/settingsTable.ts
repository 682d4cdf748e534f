import { isSecretSetting, settingDeclarations } from "./schema";

/** Markers around the generated settings table in README.md. */
export const tableStart = "<!-- settings-table:start (generated from Pulumi.yaml by npm run docs:settings) -->";
export const tableEnd = "<!-- settings-table:end -->";

function formatDefault(value: unknown): string {
    if (Array.isArray(value)) {
        return value.length === 0 ? "`[]`" : `\`${JSON.stringify(value)}\``;
    }
    return value === "" ? "(empty)" : `\`${String(value)}\``;
}

/** The README's settings table, rendered from Pulumi.yaml's config block. */
export function renderSettingsTable(): string {
    const rows = Object.entries(settingDeclarations()).map(([key, d]) => {
        const type = d.type === "array" ? `list of ${d.items?.type ?? "string"}` : d.type;
        const description = d.description.replace(/\|/g, "\\|");
        return `| \`${key}\` | ${type}${isSecretSetting(d) ? ", secret" : ""} | ${formatDefault(d.default)} | ${description} |`;
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
