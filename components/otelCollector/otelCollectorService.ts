import * as pulumi from "@pulumi/pulumi";
import type { RemoteHost } from "../../remote/remoteHost";
import type { RemoteService } from "../../remote/remoteService";
import type { ReleaseDownload } from "../../runtimes/releaseDownload";
import { installService, systemd } from "../../runtimes/runtime";
import { renderCurlConfig, webTlsFiles } from "../../security/webConfig";
import { curlConfigFile, HostWebSecurity } from "../../security/webSecurity";
import {
    otelCollectorConfigDir,
    otelCollectorConfigFile,
    otelCollectorEnvFile,
    otelCollectorLayout,
    otelCollectorStateDir,
    renderCollectorConfig,
    renderCollectorEnv,
    storeOtlpLogsPath,
} from "./otelCollectorConfig";
import { renderCollectorUnit } from "./otelCollectorUnit";
import { hostPort } from "../../settings/formats";
import type { LogsRemoteEndpoint } from "../../settings/logsRemoteEntries";

/** Arguments of {@link OtelCollectorService}. */
export interface OtelCollectorServiceArgs {
    readonly host: RemoteHost;
    /** The host's name in the stack, its records' host.name. */
    readonly hostName: string;
    /** Its release (otelcol-contrib). */
    readonly download: ReleaseDownload;
    /** Whether the Flask app writes its log file on this host. */
    readonly flaskAppLog: boolean;
    /** How this host reaches the store: localhost on the monitoring host, else the monitoring host's peer address. */
    readonly storeAddress: pulumi.Input<string>;
    readonly storePort: number;
    /** Bytes its sending queue may hold on disk (logsBufferSize). */
    readonly bufferBytes: number;
    /** Port of its health check on the loopback. */
    readonly healthPort: number;
    /** The stack's CA and credentials, with which it reaches the store. */
    readonly security: HostWebSecurity;
    /** Further endpoints it also sends to (logsRemote); secret when any holds a credential. */
    readonly remotes: pulumi.Input<readonly LogsRemoteEndpoint[]>;
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The OpenTelemetry Collector that ships one host's logs to the store: from the upstream
 * otelcol-contrib release under systemd on every host, whichever runtime runs the other services,
 * as its journald receiver runs the host's journalctl. `otelcol-contrib validate` checks a new
 * configuration before it goes live; a change restarts it, and its read positions and queue on disk
 * make that lossless.
 */
export class OtelCollectorService extends pulumi.ComponentResource {
    /** The install step. */
    readonly service: RemoteService;

    constructor(name: string, args: OtelCollectorServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:OtelCollector", name, {}, opts);
        const { tls, auth } = args.security;
        // The configuration names each endpoint and its URL; their credentials are only in the environment file.
        const remotes = pulumi.unsecret(
            pulumi.output(args.remotes).apply((list) => list.map(({ name, url, auth }) => ({ name, url, authorized: auth !== undefined }))),
        );
        const config = pulumi.all([args.storeAddress, remotes]).apply(([address, remoteList]) =>
            renderCollectorConfig({
                hostName: args.hostName,
                flaskAppLog: args.flaskAppLog,
                storeUrl: `${tls ? "https" : "http"}://${hostPort(address, args.storePort)}${storeOtlpLogsPath}`,
                storeTls: tls !== undefined,
                storeAuth: auth !== undefined,
                bufferBytes: args.bufferBytes,
                healthPort: args.healthPort,
                remotes: remoteList,
            }),
        );
        this.service = installService(
            name,
            { host: args.host, runtime: systemd, dependsOn: args.dependsOn },
            "otelcol",
            {
                systemd: () => ({
                    kind: "release",
                    download: args.download,
                    releaseName: "otelcol-contrib",
                    layout: otelCollectorLayout,
                    binaries: ["otelcol-contrib"],
                    user: "otelcol",
                    unit: renderCollectorUnit({ flaskAppLog: args.flaskAppLog }),
                    configDir: otelCollectorConfigDir,
                    dataDir: otelCollectorStateDir,
                    // Its credentials go with it.
                    removeConfigOnDelete: true,
                }),
                config: {
                    dir: otelCollectorConfigDir,
                    files: {
                        [otelCollectorConfigFile]: config,
                        ...(tls ? { [webTlsFiles.ca]: tls.caPem } : {}),
                        [otelCollectorEnvFile]: pulumi.secret(
                            pulumi
                                .all([auth?.password, args.remotes])
                                .apply(([password, remoteList]) =>
                                    renderCollectorEnv(auth && password !== undefined ? { username: auth.username, password } : undefined, remoteList),
                                ),
                        ),
                        [curlConfigFile]: renderCurlConfig(undefined),
                    },
                    main: otelCollectorConfigFile,
                    check: "otelcol-contrib validate --config",
                    port: args.healthPort,
                    scheme: "http",
                    curlConfig: curlConfigFile,
                    readyPath: "/",
                    restartOnChange: true,
                },
            },
            this,
        );
        this.registerOutputs({});
    }
}
