import * as pulumi from "@pulumi/pulumi";
import { nodeExporterContainer } from "./nodeExporterUnit";
import { releaseImage } from "../../runtimes/images";
import { renderNodeExporterUnit } from "./nodeExporterUnit";
import type { ReleaseDownload } from "../../runtimes/releaseDownload";
import type { RemoteHost } from "../../remote/remoteHost";
import type { RemoteService } from "../../remote/remoteService";
import { installService, Runtime } from "../../runtimes/runtime";
import { HostWebSecurity, serviceWebSecurity } from "../../security/webSecurity";

/** Arguments of {@link NodeExporterService}. */
export interface NodeExporterServiceArgs {
    /** The host to install on. */
    readonly host: RemoteHost;
    /** systemd (the release tarball) or docker (the image of the same version). */
    readonly runtime: Runtime;
    /** The release: its version also tags the image. */
    readonly download: ReleaseDownload;
    /** Image repository, or repository@sha256:digest (setting nodeExporterImage). */
    readonly imageRepository: string;
    /** Listen port. Default 9100 is set in Pulumi.yaml. */
    readonly port: number;
    /** Optional collectors to enable (--collector.<name>); default in Pulumi.yaml (nodeExporterCollectors). */
    readonly collectors: readonly string[];
    /** TLS and basic authentication of its endpoint (settings webTls, webAuth); empty for plain HTTP. */
    readonly security: HostWebSecurity;
}

/** node_exporter, on every host: under systemd from the release tarball, or in Docker with the host's / read-only. */
export class NodeExporterService extends pulumi.ComponentResource {
    /** The install step. */
    readonly service: RemoteService;

    constructor(name: string, args: NodeExporterServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:NodeExporter", name, {}, opts);
        const configDir = "/etc/node_exporter";
        const web = serviceWebSecurity(configDir, args.security);
        this.service = installService(
            name,
            args,
            "node_exporter",
            {
                systemd: () => ({
                    kind: "release",
                    download: args.download,
                    binaries: ["node_exporter"],
                    user: "node_exporter",
                    unit: renderNodeExporterUnit({ port: args.port, collectors: args.collectors, webFlags: web.flags }),
                    configDir,
                }),
                docker: () => ({
                    container: nodeExporterContainer({
                        image: releaseImage(args.imageRepository, args.download.version),
                        port: args.port,
                        collectors: args.collectors,
                        webFlags: web.flags,
                    }),
                }),
                // Its web configuration and certificate; node_exporter reads them on every request, so nothing reloads.
                config: {
                    dir: configDir,
                    files: web.files,
                    main: web.curlConfig,
                    port: args.port,
                    scheme: web.scheme,
                    curlConfig: web.curlConfig,
                    readyPath: "/metrics",
                },
            },
            this,
        );
        this.registerOutputs({});
    }
}
