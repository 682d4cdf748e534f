import * as pulumi from "@pulumi/pulumi";
import { readConfigFile, RemoteHost } from "./remoteHost";
import { RemoteService } from "./remoteService";

/** Arguments of {@link GrafanaService}. */
export interface GrafanaServiceArgs {
    /** The host to install on. */
    readonly host: RemoteHost;
    /** Package version from the apt repository. */
    readonly version: string;
    /** The apt repository (suite stable, component main). */
    readonly aptUrl: string;
    /** Armored signing key of the repository. */
    readonly aptKeyUrl: string;
    /** HTTP port. Default 3000 is set in Pulumi.yaml. */
    readonly port: number;
    /** Admin password (secret); passed on standard input, never on a command line. */
    readonly adminPassword: pulumi.Input<string>;
}

/**
 * Grafana from its apt repository, trusted through a signed-by keyring, with the admin password
 * set before first start. Its content (datasource, dashboards) is declared elsewhere through the
 * Grafana provider, using this service's URL and password.
 */
export class GrafanaService extends pulumi.ComponentResource {
    /** The install step. */
    readonly service: RemoteService;

    constructor(name: string, args: GrafanaServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:Grafana", name, {}, opts);
        this.service = new RemoteService(
            `${name}-service`,
            {
                connection: args.host.connection,
                hostReady: args.host.ready,
                files: { "grafana.install-grafana.sh": readConfigFile("scripts/install-grafana.sh") },
                install: {
                    script: "grafana.install-grafana.sh",
                    reads: [],
                    env: { VERSION: args.version, APT_URL: args.aptUrl, KEY_URL: args.aptKeyUrl, PORT: String(args.port) },
                    stdin: pulumi.secret(args.adminPassword),
                    delete: "systemctl disable --now grafana-server",
                },
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}
