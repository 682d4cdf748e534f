import * as pulumi from "@pulumi/pulumi";
import * as linode from "@pulumi/linode";
import { remote } from "@pulumi/command";
import { LinodeInstanceArgs, createLinodeInstance } from "./linodeInstance";
import { readConfigFile, RemoteHost } from "../../remote/remoteHost";

/** Arguments of {@link LinodeMonitoringHost}. */
export interface LinodeMonitoringHostArgs extends LinodeInstanceArgs {
    /** Size of the data volume in GB. Default 50 is set in Pulumi.yaml. */
    readonly volumeSizeGb: number;
    /** Where the volume is mounted; default /var/lib/prometheus. */
    readonly dataMountPoint?: string;
}

/**
 * The Linode instance that runs Prometheus, Alertmanager, node_exporter and Grafana: a firewall
 * that drops inbound traffic by default, and a separate volume for the Prometheus data directory
 * so that the time series survive the instance being replaced.
 */
export class LinodeMonitoringHost extends pulumi.ComponentResource {
    readonly instance: linode.Instance;
    readonly firewall: linode.Firewall;
    readonly volume: linode.Volume;
    /** Mounts the volume; services that store data wait for it. */
    readonly volumeMount: remote.Command;
    /** The host, for service components. */
    readonly host: RemoteHost;
    /** Where the data volume is mounted. */
    readonly dataMountPoint: string;

    constructor(name: string, args: LinodeMonitoringHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:linode:LinodeMonitoringHost", name, {}, opts);
        const parts = createLinodeInstance(name, args, this);
        this.instance = parts.instance;
        this.firewall = parts.firewall;
        this.host = parts.host;
        this.dataMountPoint = args.dataMountPoint ?? "/var/lib/prometheus";

        this.volume = new linode.Volume(
            `${name}-data`,
            {
                label: `${args.label}-data`.slice(0, 32),
                region: args.region,
                size: args.volumeSizeGb,
                linodeId: this.instance.id.apply(Number),
                tags: [...args.tags],
            },
            { parent: this },
        );
        this.volumeMount = new remote.Command(
            `${name}-mount-data`,
            {
                connection: this.host.connection,
                create: pulumi.interpolate`env DEVICE=${this.volume.filesystemPath} MOUNTPOINT=${this.dataMountPoint} bash -s`,
                stdin: readConfigFile("scripts/mount-volume.sh"),
            },
            { parent: this, dependsOn: [this.host.ready, this.volume] },
        );
        this.registerOutputs({
            instanceId: this.instance.id,
            publicIp: this.instance.ipAddress,
            privateIp: this.instance.privateIpAddress,
            volumeId: this.volume.id,
        });
    }
}
