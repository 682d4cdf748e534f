import * as pulumi from "@pulumi/pulumi";
import type { RemoteHost } from "../../remote/remoteHost";
import type { RemoteService } from "../../remote/remoteService";
import { releaseImage } from "../../runtimes/images";
import type { ReleaseDownload } from "../../runtimes/releaseDownload";
import { installService, Runtime } from "../../runtimes/runtime";
import { builtInSecurityFiles, curlConfigFile, HostWebSecurity } from "../../security/webSecurity";
import { victoriaLogsConfigDir, victoriaLogsFlags, victoriaLogsLayout, victoriaLogsPasswordFile } from "./victoriaLogsConfig";
import { renderVictoriaLogsUnit, victoriaLogsContainer } from "./victoriaLogsUnit";

/** Arguments of {@link VictoriaLogsService}. */
export interface VictoriaLogsServiceArgs {
    readonly host: RemoteHost;
    readonly runtime: Runtime;
    /** Its release; the version also tags the image. */
    readonly download: ReleaseDownload;
    /** Image repository, or repository@sha256:digest (setting victoriaLogsImage). */
    readonly imageRepository: string;
    readonly port: number;
    /** Where it keeps its data. */
    readonly dataDir: string;
    /** Retention by time (logsRetention) and by disk (logsRetentionSize). */
    readonly retention: string;
    readonly retentionSize: string;
    /** The host's certificate and the basic-auth user, as every endpoint of the stack. */
    readonly security: HostWebSecurity;
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * VictoriaLogs, the log store, on the monitoring host: under systemd from its upstream release
 * tarball, or in Docker from the image of the same release. HTTPS with the host's certificate and
 * basic authentication are its own (-tls, -httpAuth.*), the password read from a file; a change of
 * certificate or password restarts it, as it has no reload.
 */
export class VictoriaLogsService extends pulumi.ComponentResource {
    /** The install step. */
    readonly service: RemoteService;

    constructor(name: string, args: VictoriaLogsServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:VictoriaLogs", name, {}, opts);
        const { tls, auth } = args.security;
        const flags = victoriaLogsFlags({
            port: args.port,
            dataDir: args.dataDir,
            retention: args.retention,
            retentionSize: args.retentionSize,
            tls: tls !== undefined,
            ...(auth ? { username: auth.username } : {}),
        });
        this.service = installService(
            name,
            args,
            "victoria-logs",
            {
                systemd: () => ({
                    kind: "release",
                    download: args.download,
                    releaseName: "victoria-logs",
                    layout: victoriaLogsLayout,
                    binaries: ["victoria-logs-prod:victoria-logs"],
                    user: "victoria-logs",
                    unit: renderVictoriaLogsUnit({ flags, dataDir: args.dataDir }),
                    configDir: victoriaLogsConfigDir,
                    dataDir: args.dataDir,
                    // Its password file goes with it.
                    removeConfigOnDelete: true,
                }),
                docker: () => ({
                    container: victoriaLogsContainer({ image: releaseImage(args.imageRepository, args.download.version), flags, dataDir: args.dataDir }),
                }),
                config: {
                    dir: victoriaLogsConfigDir,
                    files: {
                        ...builtInSecurityFiles(victoriaLogsConfigDir, args.security, victoriaLogsPasswordFile),
                    },
                    main: curlConfigFile,
                    port: args.port,
                    scheme: tls ? "https" : "http",
                    curlConfig: curlConfigFile,
                    readyPath: "/health",
                    restartOnChange: true,
                },
            },
            this,
        );
        this.registerOutputs({});
    }
}
