import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

/** One entry of Pulumi.yaml's `config:` block. */
export interface SettingDeclaration {
    readonly type: "string" | "integer" | "boolean" | "array";
    /** Lists of strings, or of objects whose fields the program declares (remoteWrite). */
    readonly items?: { readonly type: "string" | "object" };
    readonly default?: unknown;
    readonly description: string;
    readonly secret?: boolean;
}

/** Path of the project file that declares every setting. */
export const projectFilePath = path.join(__dirname, "..", "Pulumi.yaml");

/** The project name, which is also the namespace of every setting (`<project>:<key>`). */
export function projectName(file = projectFilePath): string {
    return (yaml.load(fs.readFileSync(file, "utf8")) as { name: string }).name;
}

const declarationsByFile = new Map<string, Record<string, SettingDeclaration>>();

/** The `config:` block of Pulumi.yaml, in file order; read once per file (validators ask for defaults often). */
export function settingDeclarations(file = projectFilePath): Record<string, SettingDeclaration> {
    let declarations = declarationsByFile.get(file);
    if (!declarations) {
        const project = yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, SettingDeclaration> };
        declarations = project.config ?? {};
        declarationsByFile.set(file, declarations);
    }
    return declarations;
}

/** The default Pulumi.yaml declares for a setting, as text (for fix hints). */
export function settingDefault(key: string, file = projectFilePath): string {
    const value = settingDeclarations(file)[key]?.default;
    return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Settings this program once had, and what replaced them: a stack that still sets one is told
 * what to set instead, rather than having the value ignored.
 */
export const removedSettings: Readonly<Record<string, string>> = {
    dockerPrometheusImage: "prometheusImage (the repository) with prometheusVersion (the tag)",
    dockerAlertmanagerImage: "alertmanagerImage (the repository) with alertmanagerVersion (the tag)",
    dockerNodeExporterImage: "nodeExporterImage (the repository) with nodeExporterVersion (the tag)",
    dockerGrafanaImage: "grafanaImage (the repository) with grafanaVersion (the tag)",
};

/**
 * Whether a setting holds a secret. Optional secrets cannot carry `secret: true` in Pulumi.yaml
 * (the engine would refuse their plain-text default), so their description starts with "Secret.".
 */
export function isSecretSetting(declaration: SettingDeclaration): boolean {
    return declaration.secret === true || declaration.description.startsWith("Secret.");
}
