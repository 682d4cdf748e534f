import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import type { SettingDeclaration } from "./declare";
import { declarations } from "./declarations";

/** Path of the project file that declares every setting. */
export const projectFilePath = path.join(__dirname, "..", "Pulumi.yaml");

/** The project name, which is also the namespace of every setting (`<project>:<key>`). */
export function projectName(file = projectFilePath): string {
    return (yaml.load(fs.readFileSync(file, "utf8")) as { name: string }).name;
}

/** Every setting's declaration, in the order of Pulumi.yaml (settings/declarations.ts gathers them from their owners). */
export function settingDeclarations(): Readonly<Record<string, SettingDeclaration>> {
    return declarations;
}

/** A setting's default, as text (for fix hints). */
export function settingDefault(key: string): string {
    const value = settingDeclarations()[key]?.default;
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

/** Whether a setting holds a secret. */
export function isSecretSetting(declaration: SettingDeclaration): boolean {
    return declaration.secret === true;
}
