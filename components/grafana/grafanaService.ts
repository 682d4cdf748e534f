import * as pulumi from "@pulumi/pulumi";
import { GrafanaPlugin, grafanaContainer, grafanaTlsStaged, pluginsEnv } from "./grafanaUnit";
import { imageOf } from "../../runtimes/images";
import { renderGrafanaHardening } from "./grafanaUnit";
import type { HostWebSecurity } from "../../security/webSecurity";
import { readConfigFile, RemoteHost } from "../../remote/remoteHost";
import type { RemoteService } from "../../remote/remoteService";
import { installService, Runtime } from "../../runtimes/runtime";

/** The staged drop-in that confines the packaged grafana-server unit (install-grafana.sh installs it). */
const hardeningFile = "grafana.hardening.conf";

/** Arguments of {@link GrafanaService}. */
export interface GrafanaServiceArgs {
    /** The host to install on. */
    readonly host: RemoteHost;
    /** systemd (the apt package) or docker (the image of the same version). */
    readonly runtime: Runtime;
    /** Version of the apt package and of the image. */
    readonly version: string;
    /** The apt repository (suite stable, component main). */
    readonly aptUrl: string;
    /** Armored signing key of the repository. */
    readonly aptKeyUrl: string;
    /** Image repository, or repository@sha256:digest (setting grafanaImage). */
    readonly imageRepository: string;
    /** HTTP port. Default 3000 is set in Pulumi.yaml. */
    readonly port: number;
    /** Admin password (secret); passed on standard input, never on a command line. */
    readonly adminPassword: pulumi.Input<string>;
    /** The host's TLS certificate: Grafana serves HTTPS with it (setting webTls); none for plain HTTP. */
    readonly security: HostWebSecurity;
    /** Plugins installed beside it (the log store's datasource, with logs); those removed from the list are uninstalled. */
    readonly plugins?: readonly GrafanaPlugin[];
}

/**
 * Grafana, from its apt repository trusted through a signed-by keyring, or in Docker from the image
 * of the same version; either way with the admin password set before first start. Its content
 * (datasource, dashboards) is declared through the Grafana provider (GrafanaContent).
 */
export class GrafanaService extends pulumi.ComponentResource {
    /** The install step. */
    readonly service: RemoteService;

    constructor(name: string, args: GrafanaServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:Grafana", name, {}, opts);
        const password = pulumi.secret(args.adminPassword);
        const tls = args.security.tls;
        const tlsFiles: Record<string, pulumi.Input<string>> = tls
            ? {
                  [grafanaTlsStaged["server.crt"]]: tls.certPem,
                  [grafanaTlsStaged["server.key"]]: pulumi.secret(tls.keyPem),
                  [grafanaTlsStaged["ca.crt"]]: tls.caPem,
              }
            : {};
        this.service = installService(
            name,
            args,
            "grafana",
            {
                systemd: () => ({
                    kind: "script",
                    files: {
                        "grafana.install-grafana.sh": readConfigFile("scripts/install-grafana.sh"),
                        [hardeningFile]: renderGrafanaHardening(),
                        ...tlsFiles,
                    },
                    install: {
                        script: "grafana.install-grafana.sh",
                        reads: [hardeningFile, ...Object.keys(tlsFiles).sort()],
                        env: {
                            VERSION: args.version,
                            APT_URL: args.aptUrl,
                            KEY_URL: args.aptKeyUrl,
                            PORT: String(args.port),
                            PROTOCOL: tls ? "https" : "http",
                            // Only when there are plugins: a stack without them keeps the install step it was deployed with.
                            ...((args.plugins ?? []).length > 0 ? { PLUGINS: pluginsEnv(args.plugins!) } : {}),
                        },
                        stdin: password,
                        delete: "systemctl disable --now grafana-server",
                    },
                }),
                docker: () => ({
                    container: grafanaContainer({
                        image: imageOf(args.imageRepository, args.version),
                        port: args.port,
                        tls: tls !== undefined,
                        plugins: args.plugins ?? [],
                    }),
                    stdin: password,
                    files: tlsFiles,
                }),
            },
            this,
        );
        this.registerOutputs({});
    }
}
