import * as pulumi from "@pulumi/pulumi";
import { renderAlertmanagerUnit } from "../configs/units";
import { readConfigFile, RemoteHost } from "./remoteHost";
import { RemoteService } from "./remoteService";
import { activateConfigStep, activateScriptFile } from "./activateConfig";
import { ReleaseDownload, releaseEnv } from "./releaseDownload";

/** Arguments of {@link AlertmanagerService}. */
export interface AlertmanagerServiceArgs {
    /** The host to install on. */
    readonly host: RemoteHost;
    /** The release to install. */
    readonly download: ReleaseDownload;
    /** Listen port. Default 9093 is set in Pulumi.yaml. */
    readonly port: number;
    /** Rendered alertmanager.yml; secret when it holds an SMTP password. */
    readonly config: pulumi.Input<string>;
}

/**
 * Alertmanager as a systemd service from the release tarball. Its configuration is checked with
 * amtool on the host before it goes live, and applied with a reload.
 */
export class AlertmanagerService extends pulumi.ComponentResource {
    /** The install and configure steps. */
    readonly service: RemoteService;

    constructor(name: string, args: AlertmanagerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:Alertmanager", name, {}, opts);
        const dataDir = "/var/lib/alertmanager";
        this.service = new RemoteService(
            `${name}-service`,
            {
                connection: args.host.connection,
                hostReady: args.host.ready,
                files: {
                    "alertmanager.install-release.sh": readConfigFile("scripts/install-release.sh"),
                    ...activateScriptFile("alertmanager"),
                    "alertmanager.service": renderAlertmanagerUnit({ port: args.port, dataDir }),
                    "alertmanager.alertmanager.yml": args.config,
                },
                install: {
                    script: "alertmanager.install-release.sh",
                    reads: ["alertmanager.service"],
                    env: {
                        ...releaseEnv("alertmanager", args.download),
                        BINARIES: "alertmanager amtool",
                        SERVICE: "alertmanager",
                        SERVICE_USER: "alertmanager",
                        CONFIG_DIR: "/etc/alertmanager",
                        DATA_DIR: dataDir,
                    },
                    delete: "systemctl disable --now alertmanager; rm -f /etc/systemd/system/alertmanager.service /var/lib/monitoring-stack/state/alertmanager.release; systemctl daemon-reload",
                },
                configure: activateConfigStep({
                    service: "alertmanager",
                    group: "alertmanager",
                    dir: "/etc/alertmanager",
                    files: { "alertmanager.alertmanager.yml": "alertmanager.yml" },
                    main: "alertmanager.yml",
                    check: "/usr/local/bin/amtool check-config",
                    port: args.port,
                    reloadMetric: "alertmanager_config_last_reload",
                }),
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}
