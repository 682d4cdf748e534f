import * as pulumi from "@pulumi/pulumi";
import { isSecretSetting, projectName, removedSettings, settingDeclarations } from "./schema";
import type { SettingDeclaration } from "./declare";
import { ObjectListKey, SecretKey, secretKeys, SettingValues } from "./declarations";
import type { SettingProblem } from "./problems";
import { nearestWord } from "./nearest";
import { remoteWriteSecretFields } from "./remoteWriteEntries";
import { logsRemoteSecretFields } from "./logsRemoteEntries";

export { secretKeys };
export type { SecretKey, SettingValues };

/**
 * The fields of object-list settings that hold credentials: a stack that stores one in plain text
 * is refused, as for a secret setting. Setting one with --secret makes the engine hand the whole
 * list to the program as a secret.
 */
export const objectListSecretFields: Readonly<Record<ObjectListKey, readonly string[]>> = {
    remoteWrite: remoteWriteSecretFields,
    logsRemote: logsRemoteSecretFields,
};

/** Where raw setting values come from: the running engine, or a test. */
export interface SettingSource {
    /** The raw value of `<project>:<key>` (JSON text for arrays), or undefined if unset. */
    readonly get: (fullKey: string) => string | undefined;
    /** Whether `<project>:<key>` was stored as a secret. */
    readonly isSecret: (fullKey: string) => boolean;
    /** Every key the stack sets, of every namespace (`<namespace>:<key>`). */
    readonly keys: () => readonly string[];
}

/** The settings of the running stack, as the engine hands them to the program. */
export const engineSettingSource: SettingSource = {
    get: (fullKey) => pulumi.runtime.getConfig(fullKey),
    isSecret: (fullKey) => {
        // The SDK tracks which keys are secret but does not declare the function in its typings.
        const runtimeConfig = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(k: string): boolean };
        return runtimeConfig.isConfigSecret(fullKey);
    },
    keys: () => Object.keys(pulumi.runtime.allConfig()),
};

function parseValue(key: string, raw: string, declaration: SettingDeclaration): { value?: unknown; problem?: SettingProblem } {
    const typeProblem = (expected: string, fix: string): { problem: SettingProblem } => ({
        problem: { key, value: raw, message: `must be ${expected}`, fix },
    });
    switch (declaration.type) {
        case "string":
            return { value: raw };
        case "integer":
            return /^-?\d+$/.test(raw.trim()) ? { value: Number(raw) } : typeProblem("a whole number", `pulumi config set ${key} <number>`);
        case "boolean":
            return raw === "true" || raw === "false" ? { value: raw === "true" } : typeProblem("true or false", `pulumi config set ${key} true`);
        case "array": {
            let parsed: unknown;
            try {
                parsed = JSON.parse(raw);
            } catch {
                parsed = undefined;
            }
            if (declaration.items?.type === "object") {
                return Array.isArray(parsed) && parsed.every((item) => item !== null && typeof item === "object" && !Array.isArray(item))
                    ? { value: parsed }
                    : typeProblem("a list of objects", `pulumi config set --path '${key}[0].<field>' <value>`);
            }
            return Array.isArray(parsed) && parsed.every((item) => typeof item === "string")
                ? { value: parsed }
                : typeProblem("a list of strings", `pulumi config set --path '${key}[0]' <value>`);
        }
    }
}

/** A key in the project's namespace that is not a setting: named with the nearest setting when one is close. */
function unknownSetting(key: string, value: string | undefined, known: readonly string[]): SettingProblem {
    const nearest = nearestWord(key, known);
    return nearest
        ? {
              key,
              value,
              message: `is not a setting of this program (did you mean ${nearest}?)`,
              fix: `pulumi config rm ${key} && pulumi config set ${nearest} <value> (see the README's settings table)`,
          }
        : {
              key,
              value,
              message: "is not a setting of this program (a typo?)",
              fix: `pulumi config rm ${key}; the settings are listed in the README`,
          };
}

/**
 * Reads every declared setting from `source`, applying Pulumi.yaml's defaults for unset keys as the
 * engine does. Returns the plain values, with type problems and plain-text secrets as problems.
 */
export function readSettingValues(source: SettingSource): { values: SettingValues; problems: SettingProblem[] } {
    const namespace = projectName();
    const values: Record<string, unknown> = {};
    const problems: SettingProblem[] = [];
    const declarations = settingDeclarations();
    for (const fullKey of source.keys()) {
        if (!fullKey.startsWith(`${namespace}:`)) continue;
        const key = fullKey.slice(namespace.length + 1);
        if (key in declarations) continue;
        problems.push(
            key in removedSettings
                ? {
                      key,
                      value: source.isSecret(fullKey) ? "(hidden)" : source.get(fullKey),
                      message: `is no longer a setting; ${removedSettings[key]} replaced it`,
                      fix: `pulumi config rm ${key}, then set ${removedSettings[key]}`,
                  }
                : unknownSetting(key, source.isSecret(fullKey) ? "(hidden)" : source.get(fullKey), Object.keys(declarations)),
        );
    }
    for (const [key, declaration] of Object.entries(declarations)) {
        const fullKey = `${namespace}:${key}`;
        const raw = source.get(fullKey);
        if (raw === undefined) {
            values[key] = declaration.default;
            continue;
        }
        const parsed = parseValue(key, raw, declaration);
        if (parsed.problem) {
            problems.push(parsed.problem);
            values[key] = declaration.default;
            continue;
        }
        values[key] = parsed.value;
        if (key in objectListSecretFields && !source.isSecret(fullKey)) {
            (parsed.value as Record<string, unknown>[]).forEach((item, i) => {
                const credentialed = typeof item.url === "string" ? /^([a-z][a-z0-9+.-]*:\/\/)([^/@\s]*:[^/@\s]*)@/i.exec(item.url) : null;
                if (credentialed) {
                    problems.push({
                        key: `${key}[${i}].url`,
                        value: (item.url as string).replace(credentialed[2], `${credentialed[2].split(":")[0]}:(hidden)`),
                        message: "holds a password in its URL (user:password@) but is stored in plain text in the stack file",
                        fix: `pulumi config set --path '${key}[${i}].url' ${(item.url as string).replace(`${credentialed[2]}@`, "")} && pulumi config set --path '${key}[${i}].username' ${credentialed[2].split(":")[0]} && pulumi config set --secret --path '${key}[${i}].password' <the password>`,
                    });
                }
                for (const field of objectListSecretFields[key as ObjectListKey]) {
                    if (item[field] !== undefined && item[field] !== "") {
                        problems.push({
                            key: `${key}[${i}].${field}`,
                            value: "(hidden)",
                            message: "holds a credential but is stored in plain text in the stack file",
                            fix: `pulumi config set --secret --path '${key}[${i}].${field}' <value>`,
                        });
                    }
                }
            });
        }
        if (isSecretSetting(declaration) && raw !== "" && !source.isSecret(fullKey)) {
            problems.push({
                key,
                value: "(hidden)",
                message: "is a secret but is stored in plain text in the stack file",
                fix: `pulumi config rm ${key} && pulumi config set --secret ${key} <value>`,
            });
        }
    }
    return { values: values as SettingValues, problems };
}
