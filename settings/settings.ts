import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as os from "os";
import { ReceiverKind, receiverKinds } from "../configs/alertmanager";
import { parseRemoteWriteEntry, RemoteWriteEndpoint, remoteWriteSecretFields } from "../configs/remoteWrite";
import { AppMetricsMode, appMetricsModes, Platform, platforms } from "./choices";
import { ExistingHost, jumpHostPattern, parseHost, parseScrapeJob, ScrapeJob } from "./formats";
import { SettingsError } from "./problems";
import type { SshAuth } from "../remote/remoteHost";
import { validateLabels, validateSettings } from "./validate";
import { platformWarnings } from "./validate/platform";
import { remoteWriteWarnings } from "./validate/prometheus";
import { webWarnings } from "./validate/web";
import { engineSettingSource, readSettingValues, SecretKey, secretKeys, SettingSource, SettingValues } from "./values";

/** Settings whose parsed form differs from the text the user sets. */
type ParsedKey = "platform" | "appMetricsMode" | "hosts" | "extraScrapeTargets" | "criticalReceivers" | "warningReceivers" | "remoteWrite";

/**
 * The settings model: every setting of Pulumi.yaml, validated and parsed once. Secrets are secret
 * Outputs that are undefined when the setting is empty; everything else is a plain, typed value,
 * so nothing downstream parses or casts a setting again.
 */
export type Settings = Omit<SettingValues, SecretKey | ParsedKey> & {
    readonly stack: string;
    readonly platform: Platform;
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

/** The remote-write endpoints, secret as soon as one holds a credential (validation refused any stored in plain text). */
function remoteWriteOf(entries: readonly Record<string, unknown>[]): pulumi.Output<readonly RemoteWriteEndpoint[]> {
    const endpoints = entries.map(parseRemoteWriteEntry);
    const holdsCredentials = entries.some((entry) => remoteWriteSecretFields.some((field) => entry[field] !== undefined && entry[field] !== ""));
    return holdsCredentials ? pulumi.secret(endpoints) : pulumi.output(endpoints);
}

/** Turns validated plain values into the settings model: parsed values, secrets as secret Outputs. */
export function toSettings(values: SettingValues, stack: string): Settings {
    const secret = (value: string): pulumi.Output<string> | undefined => (value === "" ? undefined : pulumi.secret(value));
    const { platform, appMetricsMode, hosts, extraScrapeTargets, criticalReceivers, warningReceivers, remoteWrite, ...rest } = values;
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
        appMetricsMode: accepted("appMetricsMode", oneOf(appMetricsModes)(appMetricsMode) ? appMetricsMode : undefined),
        hosts: parsedPlatform === "hosts" ? hosts.map((entry) => accepted("hosts", parseHost(entry))) : [],
        extraScrapeTargets: extraScrapeTargets.map((entry) => accepted("extraScrapeTargets", parseScrapeJob(entry))),
        criticalReceivers: receivers("criticalReceivers", criticalReceivers),
        warningReceivers: receivers("warningReceivers", warningReceivers),
        remoteWrite: remoteWriteOf(remoteWrite),
        remoteWriteSignedByRole: remoteWrite
            .map(parseRemoteWriteEntry)
            .filter((endpoint) => endpoint.auth?.kind === "sigv4" && endpoint.auth.accessKeyId === undefined)
            .map((endpoint) => endpoint.url),
        secrets: secrets as Settings["secrets"],
    };
}

/**
 * Reads and validates the settings of the running stack. Throws one SettingsError listing every
 * problem, before any resource is created.
 */
export function loadSettings(source: SettingSource = engineSettingSource, stack = pulumi.getStack()): Settings {
    const { values, problems } = readSettingValues(source);
    const allProblems = [...problems, ...validateSettings(values), ...validateLabels(values, stack)];
    if (allProblems.length > 0) {
        throw new SettingsError(allProblems);
    }
    for (const warning of [...webWarnings(values), ...platformWarnings(values), ...remoteWriteWarnings(values)]) {
        pulumi.log.warn(warning);
    }
    return toSettings(values, stack);
}

/** A path with a leading ~ read as the user's home directory, as a shell would. */
export function expandHome(file: string): string {
    return file.replace(/^~(?=\/|$)/, os.homedir());
}

/**
 * How the deployment authenticates over SSH: the agent at sshAgentSocket when it is set (it must
 * be a socket), otherwise the private key of resolveSshPrivateKey, kept in the state as a secret.
 */
export function resolveSshAuth(settings: Settings, readFile?: (file: string) => string): SshAuth {
    if (settings.sshAgentSocket !== "") {
        const socket = expandHome(settings.sshAgentSocket);
        let isSocket = false;
        try {
            isSocket = fs.statSync(socket).isSocket();
        } catch {
            isSocket = false;
        }
        if (!isSocket) {
            throw new SettingsError([
                {
                    key: "sshAgentSocket",
                    value: settings.sshAgentSocket,
                    message: "is not the socket of a running SSH agent",
                    fix: `ssh-agent -a ${settings.sshAgentSocket} && SSH_AUTH_SOCK=${settings.sshAgentSocket} ssh-add ~/.ssh/id_ed25519, or pulumi config rm sshAgentSocket`,
                },
            ]);
        }
        return { agentSocketPath: socket, ...jumpHostOf(settings) };
    }
    return { privateKey: resolveSshPrivateKey(settings, readFile), ...jumpHostOf(settings) };
}

/** The jump host of sshJumpHost, when set (validation has accepted its form). */
function jumpHostOf(settings: Settings): Pick<SshAuth, "jumpHost"> {
    const match = jumpHostPattern.exec(settings.sshJumpHost);
    return match ? { jumpHost: { user: match[1], host: match[2].replace(/^\[|\]$/g, ""), port: Number(match[3] ?? 22) } } : {};
}

/**
 * The private key the deployment reaches the hosts with: sshPrivateKey if set, otherwise the
 * contents of sshPrivateKeyFile. Fails with the setting's name when the file cannot be read.
 */
export function resolveSshPrivateKey(settings: Settings, readFile: (file: string) => string = (f) => fs.readFileSync(f, "utf8")): pulumi.Output<string> {
    if (settings.secrets.sshPrivateKey) {
        return settings.secrets.sshPrivateKey;
    }
    const file = expandHome(settings.sshPrivateKeyFile);
    let text: string;
    try {
        text = readFile(file);
    } catch (error) {
        throw new SettingsError([
            {
                key: "sshPrivateKeyFile",
                value: settings.sshPrivateKeyFile,
                message: `cannot be read (${(error as Error).message})`,
                fix: "pulumi config set sshPrivateKeyFile <path of your private key>, or pulumi config set --secret sshPrivateKey < <key file>",
            },
        ]);
    }
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
        throw new SettingsError([
            {
                key: "sshPrivateKeyFile",
                value: settings.sshPrivateKeyFile,
                message: `holds no private key (${text.trim() === "" ? "the file is empty" : "it is not a PEM or OpenSSH private key; a .pub file holds the public half"})`,
                fix: "pulumi config set sshPrivateKeyFile <path of your private key, such as ~/.ssh/id_ed25519>",
            },
        ]);
    }
    return pulumi.secret(text);
}
