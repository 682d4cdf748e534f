import * as pulumi from "@pulumi/pulumi";
import * as linode from "@pulumi/linode";
import type { ResolvedRule } from "../../network/exposure";
import { RemoteHost, SshAuth, sshAuthFields, waitForHost } from "../../remote/remoteHost";

/** What both Linode hosts are made of. */
export interface LinodeInstanceArgs {
    /** Linode label, unique in the account. */
    readonly label: string;
    readonly region: string;
    /** Linode type, e.g. g6-standard-4. */
    readonly type: string;
    /** Image, e.g. linode/ubuntu24.04. */
    readonly image: string;
    readonly tags: readonly string[];
    /** Public keys authorized for root. */
    readonly authorizedKeys: readonly string[];
    /** Root password (secret). */
    readonly rootPassword: pulumi.Input<string>;
    /** Inbound rules; everything else is dropped. */
    readonly firewallRules: pulumi.Input<ResolvedRule[]>;
    /** How the deployment authenticates to the host as root: an SSH agent, or the private key (secret). */
    readonly sshAuth: SshAuth;
    /** The stack's VLAN and this host's address on it, where the hosts reach each other (replicas). */
    readonly vlan?: { readonly label: string; readonly address: string };
}

/**
 * The network the replicas of a Linode stack reach each other on: a VLAN of the stack's own, which
 * only instances attached to it join and which Cloud Firewalls do not filter. Its addresses are
 * chosen here, so each firewall and certificate can name them before any instance exists.
 */
export const linodePeerNetwork = { prefix: 24, addresses: { monitoring: "10.254.254.1", app: "10.254.254.2" } } as const;

/** The resources of one Linode host. */
export interface LinodeInstanceParts {
    readonly instance: linode.Instance;
    readonly firewall: linode.Firewall;
    readonly host: RemoteHost;
}

/** Renders resolved rules as Linode firewall inbound rules. */
export function linodeInbounds(rules: readonly ResolvedRule[]): linode.types.input.FirewallInbound[] {
    return rules.map((rule) => ({
        label: rule.label,
        action: "ACCEPT",
        protocol: "TCP",
        ports: String(rule.port),
        ...(rule.ipv4.length > 0 ? { ipv4s: rule.ipv4 } : {}),
        ...(rule.ipv6.length > 0 ? { ipv6s: rule.ipv6 } : {}),
    }));
}

/**
 * A Linode instance with a private address, created behind a firewall that drops inbound traffic
 * by default, and its ready step. Children are named <name>-instance, <name>-firewall, <name>-ready.
 */
export function createLinodeInstance(name: string, args: LinodeInstanceArgs, parent: pulumi.Resource): LinodeInstanceParts {
    // The firewall exists first and the instance is created with it attached (firewallId), so the
    // host never boots reachable from anywhere. The firewall does not list the instance itself:
    // its `linodes` are then read from Linode, which keeps the attachment of hosts created before.
    const firewall = new linode.Firewall(
        `${name}-firewall`,
        {
            label: `${args.label}-fw`,
            inboundPolicy: "DROP",
            outboundPolicy: "ACCEPT",
            inbounds: pulumi.output(args.firewallRules).apply(linodeInbounds),
            tags: [...args.tags],
        },
        { parent },
    );
    const instance = new linode.Instance(
        `${name}-instance`,
        {
            label: args.label,
            region: args.region,
            type: args.type,
            image: args.image,
            rootPass: args.rootPassword,
            authorizedKeys: [...args.authorizedKeys],
            privateIp: true,
            // The public interface first (the public and private IPv4 addresses), then the stack's VLAN.
            ...(args.vlan
                ? {
                      interfaces: [
                          { purpose: "public" },
                          { purpose: "vlan", label: args.vlan.label, ipamAddress: `${args.vlan.address}/${linodePeerNetwork.prefix}` },
                      ],
                  }
                : {}),
            firewallId: firewall.id.apply(Number),
            tags: [...args.tags],
        },
        // A change of firewallId would replace the instance: hosts created before it was set
        // keep theirs, attached through the firewall.
        { parent, ignoreChanges: ["firewallId"] },
    );
    const connection = {
        host: instance.ipAddress,
        user: "root",
        ...sshAuthFields(args.sshAuth),
    };
    // The firewall must be in place before the host is reached, so SSH is never open to all.
    const ready = waitForHost(`${name}-ready`, connection, { parent, dependsOn: [firewall] });
    return {
        instance,
        firewall,
        host: {
            connection,
            ready,
            privateIp: instance.privateIpAddress,
            publicIp: instance.ipAddress,
            ...(args.vlan ? { peerIp: pulumi.output(args.vlan.address) } : {}),
        },
    };
}
