import * as pulumi from "@pulumi/pulumi";
import * as linode from "@pulumi/linode";
import { FlaskAppService, FlaskAppServiceArgs } from "./flaskAppService";
import { LinodeInstanceArgs, createLinodeInstance } from "./linodeInstance";
import { NodeExporterService, NodeExporterServiceArgs } from "./nodeExporterService";
import { RemoteHost } from "./remoteHost";

/** Arguments of {@link FlaskAppHost}. */
export interface FlaskAppHostArgs extends LinodeInstanceArgs {
    /** The app as the guide runs it. */
    readonly app: Omit<FlaskAppServiceArgs, "host">;
    /** node_exporter, as on every host. */
    readonly nodeExporter: Omit<NodeExporterServiceArgs, "host">;
}

/**
 * The Linode instance of the guide's example Flask app: the app as the systemd service flask-app,
 * and node_exporter, behind a firewall that lets only the monitoring host scrape them.
 */
export class FlaskAppHost extends pulumi.ComponentResource {
    readonly instance: linode.Instance;
    readonly firewall: linode.Firewall;
    readonly host: RemoteHost;
    readonly app: FlaskAppService;
    readonly nodeExporter: NodeExporterService;

    constructor(name: string, args: FlaskAppHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:linode:FlaskAppHost", name, {}, opts);
        const parts = createLinodeInstance(name, args, this);
        this.instance = parts.instance;
        this.firewall = parts.firewall;
        this.host = parts.host;
        this.nodeExporter = new NodeExporterService(`${name}-node-exporter`, { host: this.host, ...args.nodeExporter }, { parent: this });
        this.app = new FlaskAppService(`${name}-flask-app`, { host: this.host, ...args.app }, { parent: this });
        this.registerOutputs({
            instanceId: this.instance.id,
            publicIp: this.instance.ipAddress,
            privateIp: this.instance.privateIpAddress,
        });
    }
}
