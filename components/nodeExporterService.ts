import * as pulumi from "@pulumi/pulumi";
import { renderNodeExporterUnit } from "../configs/units";
import { readConfigFile, RemoteHost } from "./remoteHost";
import { RemoteService } from "./remoteService";
import { ReleaseDownload, releaseEnv } from "./releaseDownload";

/** Arguments of {@link NodeExporterService}. */
export interface NodeExporterServiceArgs {
    /** The host to install on. */
    readonly host: RemoteHost;
    /** The release to install. */
    readonly download: ReleaseDownload;
    /** Listen port. Default 9100 is set in Pulumi.yaml. */
    readonly port: number;
    /** Optional collectors to enable (--collector.<name>); default in Pulumi.yaml (nodeExporterCollectors). */
    readonly collectors: readonly string[];
}

/** node_exporter as a systemd service from the release tarball; it runs on every host. */
export class NodeExporterService extends pulumi.ComponentResource {
    /** The install step. */
    readonly service: RemoteService;

    constructor(name: string, args: NodeExporterServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:NodeExporter", name, {}, opts);
        this.service = new RemoteService(
            `${name}-service`,
            {
                connection: args.host.connection,
                hostReady: args.host.ready,
                files: {
                    "node_exporter.install-release.sh": readConfigFile("scripts/install-release.sh"),
                    "node_exporter.service": renderNodeExporterUnit({ port: args.port, collectors: args.collectors }),
                },
                install: {
                    script: "node_exporter.install-release.sh",
                    reads: ["node_exporter.service"],
                    env: {
                        ...releaseEnv("node_exporter", args.download),
                        BINARIES: "node_exporter",
                        SERVICE: "node_exporter",
                        SERVICE_USER: "node_exporter",
                    },
                    delete: "systemctl disable --now node_exporter; rm -f /etc/systemd/system/node_exporter.service /var/lib/monitoring-stack/state/node_exporter.release; systemctl daemon-reload",
                },
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}
