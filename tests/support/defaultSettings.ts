import { loadSettings } from "../../stack/loadSettings";
import { Settings } from "../../settings/settings";

/** An SSH public key and an admin network: what every user must set. */
export const requiredUserValues: Record<string, string> = {
    "monitoring:sshPublicKeys": JSON.stringify(["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop"]),
    "monitoring:adminCidrs": JSON.stringify(["203.0.113.7/32"]),
};

/** Settings from Pulumi.yaml's defaults plus the required user values and `overrides` (raw config text by key). */
export function defaultSettings(overrides: Record<string, string> = {}, secretKeys: string[] = []): Settings {
    const values: Record<string, string> = { ...requiredUserValues };
    for (const [key, value] of Object.entries(overrides)) values[`monitoring:${key}`] = value;
    return loadSettings(
        { get: (k) => values[k], isSecret: (k) => secretKeys.includes(k.replace(/^monitoring:/, "")), keys: () => Object.keys(values) },
        "test",
    );
}
