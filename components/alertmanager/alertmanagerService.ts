import * as pulumi from "@pulumi/pulumi";
import { alertmanagerContainer } from "./alertmanagerUnit";
import { releaseImage } from "../../runtimes/images";
import { renderAlertmanagerUnit } from "./alertmanagerUnit";
import type { ReleaseDownload } from "../../runtimes/releaseDownload";
import type { RemoteHost } from "../../remote/remoteHost";
import type { RemoteService } from "../../remote/remoteService";
import { installService, Runtime } from "../../runtimes/runtime";
import { HostWebSecurity, PeerTls, peerTlsConfigFiles, serviceWebSecurity } from "../../security/webSecurity";
import { peerTlsFiles, renderPeerTlsConfig } from "../../security/webConfig";

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
    /** Rendered alertmanager.yml; it names its secrets' files and holds none. */
    readonly config: pulumi.Input<string>;
    /** The receivers' secrets by their path in the configuration directory (alertmanagerSecretFiles), each a secret. */
    readonly secretFiles?: Readonly<Record<string, pulumi.Input<string>>>;
    /** TLS and basic authentication of its endpoint (settings webTls, webAuth); empty for plain HTTP. */
    readonly security: HostWebSecurity;
    /** Its cluster (setting alertmanagerReplicas above 1); undefined for a single Alertmanager. */
    readonly cluster?: AlertmanagerClusterArgs;
}

/** How one Alertmanager joins its cluster. */
export interface AlertmanagerClusterArgs {
    /** The gossip port (setting alertmanagerClusterPort). */
    readonly port: number;
    /** Its own address, as the peers reach it (the host's private address). */
    readonly advertiseAddress: pulumi.Input<string>;
    /** The other replicas' addresses. */
    readonly peers: pulumi.Input<pulumi.Input<string>[]>;
    /** The certificate it presents to its peers and the CA it checks theirs with (mutual TLS). */
    readonly tls: PeerTls;
}

/** Where Alertmanager reads alertmanager.yml and its files; the same path on the host and in its container. */
export const alertmanagerConfigDir = "/etc/alertmanager";

/**
 * Alertmanager, under systemd from the release tarball or in Docker from the image of the same
 * version. Its configuration is checked with amtool before it goes live, and applied with a reload.
 * With a cluster, it gossips with its peers over mutual TLS so that the replicas notify once.
 */
export class AlertmanagerService extends pulumi.ComponentResource {
    /** The install and configure steps. */
    readonly service: RemoteService;

    constructor(name: string, args: AlertmanagerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:Alertmanager", name, {}, opts);
        const dataDir = "/var/lib/alertmanager";
        const configDir = alertmanagerConfigDir;
        const web = serviceWebSecurity(configDir, args.security);
        const image = releaseImage(args.imageRepository, args.download.version);
        const cluster = args.cluster;
        // The flags name the peers' addresses: computed from the other hosts when clustered, known text otherwise.
        const clusterFlags = cluster
            ? pulumi.all([cluster.advertiseAddress, cluster.peers]).apply(([advertiseAddress, peers]) => ({
                  port: cluster.port,
                  advertiseAddress,
                  peers,
                  tlsConfigFile: `${configDir}/${peerTlsFiles.config}`,
              }))
            : undefined;
        const unitInput = { port: args.port, dataDir, webFlags: web.flags };
        const containerInput = { image, port: args.port, webFlags: web.flags };
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
                    unit: clusterFlags
                        ? clusterFlags.apply((flags) => renderAlertmanagerUnit({ ...unitInput, cluster: flags }))
                        : renderAlertmanagerUnit(unitInput),
                    configDir,
                    dataDir,
                }),
                docker: () => ({
                    container: alertmanagerContainer(containerInput),
                    ...(clusterFlags ? { computedContainer: clusterFlags.apply((flags) => alertmanagerContainer({ ...containerInput, cluster: flags })) } : {}),
                }),
                config: {
                    dir: configDir,
                    files: {
                        "alertmanager.yml": args.config,
                        ...(args.secretFiles ?? {}),
                        ...web.files,
                        ...(cluster
                            ? {
                                  [peerTlsFiles.config]: renderPeerTlsConfig(configDir),
                                  ...peerTlsConfigFiles(cluster.tls),
                              }
                            : {}),
                    },
                    main: "alertmanager.yml",
                    check: "amtool check-config",
                    // The cluster's certificate and key go when the cluster does, a channel's secret when the channel does.
                    managedDirs: ["cluster", "secrets"],
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
