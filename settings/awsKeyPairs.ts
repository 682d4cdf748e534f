import type { SettingValues } from "./values";

type KeyPair =
    | readonly ["appAwsAccessKeyId", "appAwsSecretAccessKey"]
    | readonly ["cloudwatchBridgeAccessKeyId", "cloudwatchBridgeSecretAccessKey"]
    | readonly ["thanosBucketAccessKeyId", "thanosBucketSecretAccessKey"];

/**
 * An AWS access key pair that only linode and hosts use: on aws an instance role replaces it (so a
 * key set there is refused), elsewhere both halves are required.
 */
export function checkAwsKeyPair(
    v: SettingValues,
    keys: KeyPair,
    problem: (key: string, value: unknown, message: string, fix: string) => void,
    why: { readonly role: string; readonly required: string },
): void {
    for (const key of keys) {
        if (v.platform === "aws" && v[key] !== "") {
            problem(key, "(hidden)", `is not used on aws, where ${why.role}`, `pulumi config rm ${key}`);
        } else if (v.platform !== "aws" && v[key] === "") {
            problem(key, "", `is required ${why.required}`, `pulumi config set --secret ${key} <value>`);
        }
    }
}

/** An access key pair set while the feature that uses it is off: refused, naming what turns it on. */
export function checkUnusedAwsKeyPair(
    v: SettingValues,
    keys: KeyPair,
    problem: (key: string, value: unknown, message: string, fix: string) => void,
    why: { readonly off: string; readonly turnOn: string },
): void {
    for (const key of keys) {
        if (v[key] !== "") problem(key, "(hidden)", `is set but ${why.off}, so nothing would use it`, `pulumi config rm ${key}, or ${why.turnOn}`);
    }
}
