import { legacyAppHostType } from "../../stack/legacyAliases";
import * as pulumi from "@pulumi/pulumi";
import * as linode from "@pulumi/linode";
import { LinodeInstanceArgs, createLinodeInstance } from "./linodeInstance";
import { RemoteHost } from "../../remote/remoteHost";

/** Arguments of {@link LinodeAppHost}. */
export type LinodeAppHostArgs = LinodeInstanceArgs;

/**
 * The Linode instance of the guide's example Flask app, behind a firewall that lets only the
 * monitoring host scrape it. What runs on it (the app, node_exporter) is the shared composition's.
 */
export class LinodeAppHost extends pulumi.ComponentResource {
    readonly instance: linode.Instance;
    readonly firewall: linode.Firewall;
    readonly host: RemoteHost;

    constructor(name: string, args: LinodeAppHostArgs, opts?: pulumi.ComponentResourceOptions) {
        // Deployed before the one service layer as monitoring:linode:FlaskAppHost.
        super("monitoring:linode:LinodeAppHost", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), pulumi.createUrn(name, legacyAppHostType)] });
        const parts = createLinodeInstance(name, args, this);
        this.instance = parts.instance;
        this.firewall = parts.firewall;
        this.host = parts.host;
        this.registerOutputs({
            instanceId: this.instance.id,
            publicIp: this.instance.ipAddress,
            privateIp: this.instance.privateIpAddress,
        });
    }
}
