import * as pulumi from "@pulumi/pulumi";
import { remote, types } from "@pulumi/command";
import * as fs from "fs";
import * as path from "path";
import { shellQuote } from "./shell";

/** An SSH connection to a host, as @pulumi/command takes it. */
export type Connection = types.input.remote.ConnectionArgs;

/**
 * How the deployment authenticates over SSH: through an SSH agent's socket (the key stays in the
 * agent and never enters the state), or with the private key itself (a secret: encrypted in the
 * state, in every step's connection).
 */
export type SshAuth = ({ readonly agentSocketPath: string } | { readonly privateKey: pulumi.Input<string> }) & {
    /** A jump host the deployment goes through (setting sshJumpHost), with the same credentials. */
    readonly jumpHost?: { readonly user: string; readonly host: string; readonly port: number };
};

/** The connection fields of an SshAuth: its credentials, and the jump host (`proxy`) with the same ones. */
export function sshAuthFields(auth: SshAuth): Pick<Connection, "agentSocketPath" | "privateKey" | "proxy"> {
    const credentials = "agentSocketPath" in auth ? { agentSocketPath: auth.agentSocketPath } : { privateKey: pulumi.secret(auth.privateKey) };
    return { ...credentials, ...(auth.jumpHost ? { proxy: { ...auth.jumpHost, ...credentials } } : {}) };
}

/** A host that services can be installed on, wherever it came from. */
export interface RemoteHost {
    /** How the deployment reaches the host over SSH. */
    readonly connection: pulumi.Input<Connection>;
    /** Completes once the host has booted and can take files; every step on the host waits for it. */
    readonly ready: pulumi.Resource;
    /** The host's private address where there is one (its public one otherwise), as the stack's outputs report it. */
    readonly privateIp: pulumi.Output<string>;
    /** Address the deployment and users reach the host at. */
    readonly publicIp: pulumi.Output<string>;
    /**
     * Address the stack's other hosts reach this one at, where it is not privateIp: on linode with
     * replicas, its address on the stack's VLAN.
     */
    readonly peerIp?: pulumi.Output<string>;
}

/** Every address a host is reached at: private, public and, where it has one, its peer address (what its certificate names). */
export function addressesOf(host: Pick<RemoteHost, "privateIp" | "publicIp" | "peerIp">): pulumi.Output<string[]> {
    return pulumi.all([host.privateIp, host.publicIp, ...(host.peerIp ? [host.peerIp] : [])]);
}

/** Where the stack's other hosts reach a host: its peer address, or its private one. */
export function peerAddress(host: Pick<RemoteHost, "privateIp" | "peerIp">): pulumi.Output<string> {
    return host.peerIp ?? host.privateIp;
}

/** Where rendered files are staged on every host before a step moves them into place. */
export const stageDir = "/var/lib/monitoring-stack/stage";

/** Reads one of the static files under configs/. */
export function readConfigFile(relativePath: string): string {
    return fs.readFileSync(path.join(__dirname, "..", "configs", relativePath), "utf8");
}

/** `env K=V ... bash <script>`, with every value quoted; keys in sorted order so the line is stable. */
export function scriptCommand(script: string, env: Readonly<Record<string, string>>): string {
    const assignments = Object.keys(env)
        .sort()
        .map((key) => `${key}=${shellQuote(env[key])}`);
    return ["env", ...assignments, "bash", script].join(" ");
}

/**
 * A command that reads its standard input to the end, then runs. The command provider sends a
 * resource's stdin to every command it runs for it, its delete command included; a command that
 * exits without reading it lets sshd close the session while the input is still being sent, and the
 * provider then fails the step with "EOF" (measured in the lab: 16 of 4,000 such deletes failed; none once they read it).
 */
export function afterReadingStdin(command: string): string {
    return `cat >/dev/null; ${command}`;
}

/**
 * The first step on a new host: waits (retrying the SSH dial for up to ~25 minutes) until the host
 * has booted and cloud-init is done, then makes the staging directory.
 */
export function waitForHost(name: string, connection: pulumi.Input<Connection>, opts: pulumi.CustomResourceOptions): remote.Command {
    const patient = pulumi.output(connection).apply((c) => ({ ...c, dialErrorLimit: 100, perDialTimeout: 15 }));
    return new remote.Command(
        name,
        {
            connection: patient,
            create: "bash -s",
            stdin: readConfigFile("scripts/host-ready.sh"),
        },
        opts,
    );
}
