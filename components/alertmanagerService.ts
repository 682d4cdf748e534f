import * as pulumi from "@pulumi/pulumi";
import { alertmanagerContainer, releaseImage } from "../configs/containers";
import { renderAlertmanagerUnit } from "../configs/units";
import type { ReleaseDownload } from "../remote/releaseDownload";
import type { RemoteHost } from "../remote/remoteHost";
import type { RemoteService } from "./remoteService";
import { installService, Runtime } from "../remote/runtime";
import { HostWebSecurity, serviceWebSecurity } from "../remote/webSecurity";

/** Arguments of {@link AlertmanagerService}. */
export interface AlertmanagerServiceArgs {
    /** The host to install on. */
    readonly host: RemoteHost;
    /** systemd (the release tarball) or docker (the image of the same version). */
    readonly runtime: Runtime;
    /** The release: its version also tags the image. */
    readonly download: ReleaseDownload;
    /** Image repository, or repository@sha256:digest (setting alertmanagerImage). */
    readonly imageRepository: string;
    /** Listen port. Default 9093 is set in Pulumi.yaml. */
    readonly port: number;
    /** Rendered alertmanager.yml; secret when it holds an SMTP password. */
    readonly config: pulumi.Input<string>;
    /** TLS and basic authentication of its endpoint (settings webTls, webAuth); `unsecured` for plain HTTP. */
    readonly security: HostWebSecurity;
}

/**
 * Alertmanager, under systemd from the release tarball or in Docker from the image of the same
 * version. Its configuration is checked with amtool before it goes live, and applied with a reload.
 */
export class AlertmanagerService extends pulumi.ComponentResource {
    /** The install and configure steps. */
    readonly service: RemoteService;

    constructor(name: string, args: AlertmanagerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:Alertmanager", name, {}, opts);
        const dataDir = "/var/lib/alertmanager";
        const configDir = "/etc/alertmanager";
        const web = serviceWebSecurity(configDir, args.security);
        this.service = installService(
            name,
            args,
            "alertmanager",
            {
                systemd: () => ({
                    kind: "release",
                    download: args.download,
                    binaries: ["alertmanager", "amtool"],
                    user: "alertmanager",
                    unit: renderAlertmanagerUnit({ port: args.port, dataDir, webFlags: web.flags }),
                    configDir,
                    dataDir,
                }),
                docker: () => ({
                    container: alertmanagerContainer({
                        image: releaseImage(args.imageRepository, args.download.version),
                        port: args.port,
                        webFlags: web.flags,
                    }),
                }),
                config: {
                    dir: configDir,
                    files: { "alertmanager.yml": args.config, ...web.files },
                    main: "alertmanager.yml",
                    check: "amtool check-config",
                    port: args.port,
                    scheme: web.scheme,
                    curlConfig: web.curlConfig,
                    reloadMetric: "alertmanager_config_last_reload",
                },
            },
            this,
        );
        this.registerOutputs({});
    }
}
