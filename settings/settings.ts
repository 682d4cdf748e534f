import * as pulumi from "@pulumi/pulumi";
import * as os from "os";
import { parseRemoteWriteEntry, RemoteWriteEndpoint, remoteWriteSecretFields } from "./remoteWriteEntries";
import { LogsRemoteEndpoint, logsRemoteSecretFields, parseLogsRemoteEntry } from "./logsRemoteEntries";
import { AppMetricsMode, appMetricsModes, Platform, platforms, ReceiverKind, receiverKinds, RuntimeKind, runtimes } from "./choices";
import { ExistingHost, parseHost, parseScrapeJob, ScrapeJob } from "./formats";
import { SecretKey, secretKeys, SettingValues } from "./values";

/** Settings whose parsed form differs from the text the user sets. */
type ParsedKey =
    "platform" | "hostsRuntime" | "appMetricsMode" | "hosts" | "extraScrapeTargets" | "criticalReceivers" | "warningReceivers" | "remoteWrite" | "logsRemote";

/**
 * The settings model: every setting of Pulumi.yaml, validated and parsed once. Secrets are secret
 * Outputs that are undefined when the setting is empty; everything else is a plain, typed value,
 * so nothing downstream parses or casts a setting again.
 */
export type Settings = Omit<SettingValues, SecretKey | ParsedKey> & {
    readonly stack: string;
    readonly platform: Platform;
    /** How the hosts platform runs the services (linode always systemd, aws always docker). */
    readonly hostsRuntime: RuntimeKind;
    readonly appMetricsMode: AppMetricsMode;
    /** The machines of the hosts platform; empty on the other platforms. */
    readonly hosts: readonly ExistingHost[];
    /** The static scrape jobs of extraScrapeTargets. */
    readonly extraScrapeTargets: readonly ScrapeJob[];
    readonly criticalReceivers: readonly ReceiverKind[];
    readonly warningReceivers: readonly ReceiverKind[];
    /** The remote-write endpoints; a secret Output when any carries a credential. */
    readonly remoteWrite: pulumi.Output<readonly RemoteWriteEndpoint[]>;
    /** The URLs of the remote-write endpoints that sign with the instance's role (SigV4 without keys, on aws). */
    readonly remoteWriteSignedByRole: readonly string[];
    /** The further endpoints of the logs; a secret Output when any carries a credential. */
    readonly logsRemote: pulumi.Output<readonly LogsRemoteEndpoint[]>;
    readonly secrets: { readonly [K in SecretKey]: pulumi.Output<string> | undefined };
};

const oneOf =
    <T extends string>(choices: readonly T[]) =>
    (value: string): value is T =>
        (choices as readonly string[]).includes(value);

/** A value validation has accepted; a parse failure here is a bug in a validator, not a user error. */
function accepted<T>(key: string, value: T | undefined): T {
    if (value === undefined) {
        throw new Error(`internal error: the setting ${key} passed validation but does not parse; please report it`);
    }
    return value;
}

function receivers(key: "criticalReceivers" | "warningReceivers", values: readonly string[]): ReceiverKind[] {
    return values.map((value) => accepted(key, oneOf(receiverKinds)(value) ? value : undefined));
}

/** The endpoints of an object-list setting, secret as soon as one holds a credential (validation refused any stored in plain text). */
function endpointsOf<T>(
    entries: readonly Record<string, unknown>[],
    secretFields: readonly string[],
    parse: (entry: Record<string, unknown>, index: number) => T,
): pulumi.Output<readonly T[]> {
    const endpoints = entries.map(parse);
    const holdsCredentials = entries.some((entry) => secretFields.some((field) => entry[field] !== undefined && entry[field] !== ""));
    // Plain data, which Output's unwrapping leaves as it is.
    return (holdsCredentials ? pulumi.secret(endpoints) : pulumi.output(endpoints)) as unknown as pulumi.Output<readonly T[]>;
}

/** Turns validated plain values into the settings model: parsed values, secrets as secret Outputs. */
export function toSettings(values: SettingValues, stack: string): Settings {
    const secret = (value: string): pulumi.Output<string> | undefined => (value === "" ? undefined : pulumi.secret(value));
    const { platform, hostsRuntime, appMetricsMode, hosts, extraScrapeTargets, criticalReceivers, warningReceivers, remoteWrite, logsRemote, ...rest } = values;
    const plain: Record<string, unknown> = { ...rest };
    const secrets: Partial<Record<SecretKey, pulumi.Output<string> | undefined>> = {};
    for (const key of secretKeys) {
        secrets[key] = secret(values[key]);
        delete plain[key];
    }
    const parsedPlatform = accepted("platform", oneOf(platforms)(platform) ? platform : undefined);
    return {
        ...(plain as Omit<SettingValues, SecretKey | ParsedKey>),
        stack,
        platform: parsedPlatform,
        hostsRuntime: accepted("hostsRuntime", oneOf(runtimes)(hostsRuntime) ? hostsRuntime : undefined),
        appMetricsMode: accepted("appMetricsMode", oneOf(appMetricsModes)(appMetricsMode) ? appMetricsMode : undefined),
        hosts: parsedPlatform === "hosts" ? hosts.map((entry) => accepted("hosts", parseHost(entry))) : [],
        extraScrapeTargets: extraScrapeTargets.map((entry) => accepted("extraScrapeTargets", parseScrapeJob(entry))),
        criticalReceivers: receivers("criticalReceivers", criticalReceivers),
        warningReceivers: receivers("warningReceivers", warningReceivers),
        remoteWrite: endpointsOf(remoteWrite, remoteWriteSecretFields, (entry) => parseRemoteWriteEntry(entry)),
        remoteWriteSignedByRole: remoteWrite
            .map(parseRemoteWriteEntry)
            .filter((endpoint) => endpoint.auth?.kind === "sigv4" && endpoint.auth.accessKeyId === undefined)
            .map((endpoint) => endpoint.url),
        logsRemote: endpointsOf(logsRemote, logsRemoteSecretFields, parseLogsRemoteEntry),
        secrets: secrets as Settings["secrets"],
    };
}

/** A path with a leading ~ read as the user's home directory, as a shell would. */
export function expandHome(file: string): string {
    return file.replace(/^~(?=\/|$)/, os.homedir());
}
