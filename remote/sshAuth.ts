import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import { jumpHostPattern } from "../settings/formats";
import { SettingsError } from "../settings/problems";
import { expandHome, Settings } from "../settings/settings";
import type { SshAuth } from "./remoteHost";

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
