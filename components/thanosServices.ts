import * as pulumi from "@pulumi/pulumi";
import { releaseImage, thanosContainer } from "../configs/containers";
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
} from "../configs/thanos";
import { renderThanosUnit } from "../configs/units";
import type { ReleaseDownload } from "../remote/releaseDownload";
import type { RemoteHost } from "../remote/remoteHost";
import type { RemoteService } from "./remoteService";
import { installService, Runtime } from "../remote/runtime";
import { HostWebSecurity, serviceWebSecurity, webClientOutput } from "../remote/webSecurity";

/** Arguments of {@link ThanosServices}. */
export interface ThanosServicesArgs {
    /** The monitoring host, where Prometheus runs. */
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
    /** How long Thanos Compact keeps the metrics in the bucket. */
    readonly retention: string;
    /** Thanos Query's HTTP port. */
    readonly queryPort: number;
    /** Prometheus on the same host: its port and the TSDB the sidecar uploads from. */
    readonly prometheus: { readonly port: number; readonly dataDir: string; readonly dataDirIsMount: boolean };
    /** What the components wait for: Prometheus's install, the bucket, the role that may use it. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Long-term storage on the monitoring host with Thanos: the sidecar uploads Prometheus's blocks to
 * the bucket, Thanos Store serves them, Thanos Compact compacts, downsamples and applies the
 * retention, and Thanos Query answers PromQL over both, for Grafana. Each component is a service
 * of the one service layer (the release tarball under systemd, the image of the same version in
 * Docker); a change to its files restarts it, since Thanos does not reload them.
 */
export class ThanosServices extends pulumi.ComponentResource {
    readonly sidecar: RemoteService;
    readonly store: RemoteService;
    readonly compact: RemoteService;
    readonly query: RemoteService;

    constructor(name: string, args: ThanosServicesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:ThanosServices", name, {}, opts);
        const image = releaseImage(args.imageRepository, args.download.version);
        const objstore = pulumi.output(args.bucket).apply((bucket) => {
            const text = renderObjstoreConfig(bucket);
            return bucket.keys ? pulumi.secret(text) : pulumi.output(text);
        });
        const prometheusData = args.prometheus.dataDir;

        /** One component: its flags for both runtimes, its user, what it writes, its files besides the web security. */
        const component = (
            service: ThanosComponent,
            spec: {
                readonly flags: (secured: boolean, paths: { readonly tsdb: string; readonly data: string }) => string[];
                /** The user under systemd: the sidecar runs as Prometheus's, whose TSDB it records its uploads in. */
                readonly user: string;
                /** The directory it writes, on the host; under Docker it keeps the same path but for the TSDB (/prometheus, as in Prometheus's container). */
                readonly dataDir?: string;
                readonly files: Readonly<Record<string, pulumi.Input<string>>>;
                readonly port: number;
                readonly dependsOn: pulumi.Input<pulumi.Resource>[];
            },
        ): RemoteService => {
            const configDir = thanosConfigDir(service);
            const web = serviceWebSecurity(configDir, args.security);
            const secured = web.flags.length > 0;
            const isTsdb = spec.dataDir === prometheusData;
            return installService(
                `${name}-${service.replace(/^thanos-/, "")}`,
                { host: args.host, runtime: args.runtime, dependsOn: spec.dependsOn },
                service,
                {
                    systemd: () => ({
                        kind: "release",
                        download: args.download,
                        releaseName: "thanos",
                        binaries: ["thanos"],
                        user: spec.user,
                        unit: renderThanosUnit({
                            component: service,
                            user: spec.user,
                            flags: spec.flags(secured, { tsdb: prometheusData, data: spec.dataDir ?? "" }),
                            writablePaths: spec.dataDir ? [spec.dataDir] : [],
                            requiresMountsFor: isTsdb && args.prometheus.dataDirIsMount ? [prometheusData] : [],
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
                            image,
                            flags: spec.flags(secured, { tsdb: "/prometheus", data: spec.dataDir ?? "" }),
                            configDir,
                            dataDirs: spec.dataDir ? [{ source: spec.dataDir, target: isTsdb ? "/prometheus" : spec.dataDir }] : [],
                        }),
                    }),
                    config: {
                        dir: configDir,
                        files: { ...spec.files, ...web.files },
                        main: Object.keys(spec.files)[0],
                        port: spec.port,
                        scheme: web.scheme,
                        curlConfig: web.curlConfig,
                        restartOnChange: true,
                    },
                },
                this,
            );
        };

        // The sidecar reaches Prometheus as a client of the stack's endpoints: the CA and credentials, no server files.
        const prometheusClient = webClientOutput(thanosConfigDir("thanos-sidecar"), args.security).apply((client) =>
            client.auth ? pulumi.secret(renderSidecarPrometheusClient(client)) : pulumi.output(renderSidecarPrometheusClient(client)),
        );
        const scheme = args.security.tls ? "https" : "http";
        this.sidecar = component("thanos-sidecar", {
            flags: (secured, paths) => sidecarFlags({ secured, prometheusUrl: `${scheme}://localhost:${args.prometheus.port}`, tsdbPath: paths.tsdb }),
            user: "prometheus",
            dataDir: prometheusData,
            files: { [objstoreFile]: objstore, [sidecarClientFile]: prometheusClient },
            port: thanosPorts.sidecarHttp,
            dependsOn: args.dependsOn ?? [],
        });
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
        this.query = component("thanos-query", {
            flags: (secured) => queryFlags({ secured, port: args.queryPort }),
            user: "thanos",
            files: { [queryEndpointsFile]: renderQueryEndpoints() },
            port: args.queryPort,
            dependsOn: [this.compact.installCommand],
        });
        this.registerOutputs({});
    }
}
