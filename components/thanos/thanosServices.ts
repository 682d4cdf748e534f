import * as pulumi from "@pulumi/pulumi";
import { releaseImage } from "../../runtimes/images";
import { thanosContainer } from "./thanosUnit";
import {
    compactFlags,
    objstoreFile,
    queryEndpointsFile,
    queryFlags,
    renderObjstoreConfig,
    renderQueryEndpoints,
    renderSidecarPrometheusClient,
    sidecarClientFile,
    sidecarFlags,
    storeFlags,
    ThanosBucket,
    ThanosComponent,
    thanosConfigDir,
    thanosDataDirs,
    thanosPorts,
} from "./thanosConfig";
import { renderThanosUnit } from "./thanosUnit";
import type { ReleaseDownload } from "../../runtimes/releaseDownload";
import type { RemoteHost } from "../../remote/remoteHost";
import type { RemoteService } from "../../remote/remoteService";
import { installService, Runtime } from "../../runtimes/runtime";
import { clientPasswordFiles, HostWebSecurity, PeerTls, peerTlsConfigFiles, serviceWebSecurity, webClient } from "../../security/webSecurity";

/** Where Thanos runs, and what every component on that host shares. */
export interface ThanosPlacement {
    /** A host with Prometheus. */
    readonly host: RemoteHost;
    readonly runtime: Runtime;
    /** The host's certificate and the stack's credentials: every component's HTTP endpoint is secured as Prometheus's. */
    readonly security: HostWebSecurity;
    /** The Thanos release; its version also tags the image. */
    readonly download: ReleaseDownload;
    /** Image repository, or repository@sha256:digest (setting thanosImage). */
    readonly imageRepository: string;
    /** The bucket and, where the host has no role for it, its key pair (then a secret). */
    readonly bucket: pulumi.Input<ThanosBucket>;
    /** Prometheus on the same host: its port and the TSDB the sidecar uploads from. */
    readonly prometheus: { readonly port: number; readonly dataDir: string; readonly dataDirIsMount: boolean };
    /** What the components wait for: Prometheus's install, the bucket, the role that may use it. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Arguments of {@link ThanosServices}. */
export interface ThanosServicesArgs extends ThanosPlacement {
    /** How long Thanos Compact keeps the metrics in the bucket. */
    readonly retention: string;
    /** Thanos Query's HTTP port. */
    readonly queryPort: number;
    /**
     * The sidecars of the other Prometheus replicas (setting prometheusReplicas), host:port, and the
     * certificate Query presents to them; undefined with one Prometheus.
     */
    readonly peers?: { readonly sidecars: pulumi.Input<string[]>; readonly tls: PeerTls };
}

/** One component: its flags for both runtimes, its user, what it writes, its files besides the web security. */
interface ComponentSpec {
    readonly flags: (secured: boolean, paths: { readonly tsdb: string; readonly data: string }) => string[];
    /** The user under systemd: the sidecar runs as Prometheus's, whose TSDB it records its uploads in. */
    readonly user: string;
    /** The directory it writes, on the host; under Docker it keeps the same path but for the TSDB (/prometheus, as in Prometheus's container). */
    readonly dataDir?: string;
    readonly files: Readonly<Record<string, pulumi.Input<string>>>;
    /** Subdirectories of its configuration directory that are wholly its files (the peer certificates' cluster/). */
    readonly managedDirs?: readonly string[];
    readonly port: number;
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** One Thanos component as a service of the one service layer, on the host of `placement`. */
function installThanosComponent(
    parent: pulumi.Resource,
    name: string,
    placement: ThanosPlacement,
    service: ThanosComponent,
    spec: ComponentSpec,
): RemoteService {
    const configDir = thanosConfigDir(service);
    const web = serviceWebSecurity(configDir, placement.security);
    const secured = web.flags.length > 0;
    const prometheusData = placement.prometheus.dataDir;
    const isTsdb = spec.dataDir === prometheusData;
    return installService(
        `${name}-${service.replace(/^thanos-/, "")}`,
        { host: placement.host, runtime: placement.runtime, dependsOn: spec.dependsOn },
        service,
        {
            systemd: () => ({
                kind: "release",
                download: placement.download,
                releaseName: "thanos",
                binaries: ["thanos"],
                user: spec.user,
                unit: renderThanosUnit({
                    component: service,
                    user: spec.user,
                    flags: spec.flags(secured, { tsdb: prometheusData, data: spec.dataDir ?? "" }),
                    writablePaths: spec.dataDir ? [spec.dataDir] : [],
                    requiresMountsFor: isTsdb && placement.prometheus.dataDirIsMount ? [prometheusData] : [],
                }),
                configDir,
                // Prometheus's TSDB belongs to Prometheus's install; the others' data directories are their own.
                ...(spec.dataDir && !isTsdb ? { dataDir: spec.dataDir } : {}),
                // Its files hold the bucket's key pair or Prometheus's password.
                removeConfigOnDelete: true,
            }),
            docker: () => ({
                container: thanosContainer({
                    component: service,
                    image: releaseImage(placement.imageRepository, placement.download.version),
                    flags: spec.flags(secured, { tsdb: "/prometheus", data: spec.dataDir ?? "" }),
                    configDir,
                    dataDirs: spec.dataDir ? [{ source: spec.dataDir, target: isTsdb ? "/prometheus" : spec.dataDir }] : [],
                }),
            }),
            config: {
                dir: configDir,
                files: { ...spec.files, ...web.files },
                main: Object.keys(spec.files)[0],
                ...(spec.managedDirs ? { managedDirs: spec.managedDirs } : {}),
                port: spec.port,
                scheme: web.scheme,
                curlConfig: web.curlConfig,
                restartOnChange: true,
            },
        },
        parent,
    );
}

/** The bucket's configuration file, a secret when it holds the key pair. */
function objstoreText(bucket: pulumi.Input<ThanosBucket>): pulumi.Output<string> {
    return pulumi.output(bucket).apply((b) => {
        const text = renderObjstoreConfig(b);
        return b.keys ? pulumi.secret(text) : pulumi.output(text);
    });
}

/**
 * The sidecar next to Prometheus: it uploads each block of Prometheus's TSDB to the bucket and
 * answers Query's reads of recent data. With `peerTls` (the sidecar of a further Prometheus
 * replica) it serves gRPC to Query over mutual TLS; otherwise on the loopback only.
 */
export function installThanosSidecar(parent: pulumi.Resource, name: string, placement: ThanosPlacement, peerTls?: PeerTls): RemoteService {
    // The sidecar reaches Prometheus as a client of the stack's endpoints: the CA and credentials, no server files.
    // Its password by file, so the client configuration holds no secret. An Output, as it has always been staged (a Command).
    const prometheusClient = pulumi.output(renderSidecarPrometheusClient(webClient(thanosConfigDir("thanos-sidecar"), placement.security)));
    const scheme = placement.security.tls ? "https" : "http";
    return installThanosComponent(parent, name, placement, "thanos-sidecar", {
        flags: (secured, paths) =>
            sidecarFlags({
                secured,
                prometheusUrl: `${scheme}://localhost:${placement.prometheus.port}`,
                tsdbPath: paths.tsdb,
                ...(peerTls ? { servesPeers: true } : {}),
            }),
        user: "prometheus",
        dataDir: placement.prometheus.dataDir,
        files: {
            [objstoreFile]: objstoreText(placement.bucket),
            [sidecarClientFile]: prometheusClient,
            ...clientPasswordFiles(placement.security),
            ...(peerTls ? peerTlsConfigFiles(peerTls) : {}),
        },
        ...(peerTls ? { managedDirs: ["cluster"] } : {}),
        port: thanosPorts.sidecarHttp,
        dependsOn: placement.dependsOn ?? [],
    });
}

/**
 * Long-term storage on the monitoring host with Thanos: the sidecar uploads Prometheus's blocks to
 * the bucket, Thanos Store serves them, Thanos Compact compacts, downsamples and applies the
 * retention, and Thanos Query answers PromQL over both (and over the other Prometheus replicas'
 * sidecars), for Grafana. Each component is a service of the one service layer (the release tarball
 * under systemd, the image of the same version in Docker); a change to its files restarts it, since
 * Thanos does not reload them.
 */
export class ThanosServices extends pulumi.ComponentResource {
    readonly sidecar: RemoteService;
    readonly store: RemoteService;
    readonly compact: RemoteService;
    readonly query: RemoteService;

    constructor(name: string, args: ThanosServicesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:ThanosServices", name, {}, opts);
        const objstore = objstoreText(args.bucket);
        const component = (service: ThanosComponent, spec: ComponentSpec) => installThanosComponent(this, name, args, service, spec);

        this.sidecar = installThanosSidecar(this, name, args);
        // One install at a time: the components share the release's binary and its install record.
        const afterSidecar = [this.sidecar.installCommand];
        this.store = component("thanos-store", {
            flags: (secured, paths) => storeFlags({ secured, dataDir: paths.data }),
            user: "thanos",
            dataDir: thanosDataDirs["thanos-store"],
            files: { [objstoreFile]: objstore },
            port: thanosPorts.storeHttp,
            dependsOn: afterSidecar,
        });
        this.compact = component("thanos-compact", {
            flags: (secured, paths) => compactFlags({ secured, dataDir: paths.data, retention: args.retention }),
            user: "thanos",
            dataDir: thanosDataDirs["thanos-compact"],
            files: { [objstoreFile]: objstore },
            port: thanosPorts.compactHttp,
            dependsOn: [this.store.installCommand],
        });
        const peers = args.peers;
        this.query = component("thanos-query", {
            flags: (secured) => queryFlags({ secured, port: args.queryPort }),
            user: "thanos",
            files: {
                [queryEndpointsFile]: peers ? pulumi.output(peers.sidecars).apply(renderQueryEndpoints) : renderQueryEndpoints(),
                ...(peers ? peerTlsConfigFiles(peers.tls) : {}),
            },
            ...(peers ? { managedDirs: ["cluster"] } : {}),
            port: args.queryPort,
            dependsOn: [this.compact.installCommand],
        });
        this.registerOutputs({});
    }
}
