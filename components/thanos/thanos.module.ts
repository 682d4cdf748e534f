import * as pulumi from "@pulumi/pulumi";
import { Exposure, ExposureContext, fromHost } from "../../network/exposure";
import { peerAddress, type RemoteHost } from "../../remote/remoteHost";
import { placement, placementsOf, replicaHosts } from "../../stack/placementPlan";
import type { Placement } from "../../stack/placementPlan";
import { releaseOf } from "../../stack/serviceArgs";
import type { ServiceModule, StackContext } from "../../stack/serviceModule";
import { prometheusDataOf } from "../prometheus/prometheus.module";
import type { PrometheusService } from "../prometheus/prometheusService";
import { validateThanos } from "./thanosChecks";
import { thanosPorts } from "./thanosConfig";
import { ThanosServices } from "./thanosServices";
import { ThanosSidecar } from "./thanosSidecar";

/** The bucket the platform provides, and what must exist before Thanos uses it. */
function bucketOf(ctx: StackContext) {
    const bucket = ctx.layout.thanosBucket;
    if (!bucket) {
        throw new Error(`internal error: the ${ctx.layout.platform} platform provides no bucket for thanos; please report it`);
    }
    return bucket;
}

/** The certificate a Thanos peer presents over gRPC; replicas with thanos need webTls, which the settings check. */
function peerTlsOf(ctx: StackContext, role: string, host: RemoteHost) {
    const tls = ctx.security.peerTls(role, host);
    if (!tls) throw new Error("internal error: prometheusReplicas above 1 with thanos needs webTls, which the settings check; please report it");
    return tls;
}

/** The Prometheus on a host, as its module deployed it. */
function prometheusOn(ctx: StackContext, host: string): { placement: Placement; service: PrometheusService } {
    const p = placementsOf(ctx.plan, "prometheus").find((r) => r.host === host)!;
    return { placement: p, service: ctx.deployed<PrometheusService>(p.name)! };
}

/** Thanos's components beside the first Prometheus (sidecar, store, compactor, query), once Prometheus runs and the bucket exists. */
function deployThanos(p: Placement, ctx: StackContext): ThanosServices {
    const { settings, layout } = ctx;
    const bucket = bucketOf(ctx);
    const sidecars = placementsOf(ctx.plan, "thanosSidecar");
    const prometheus = prometheusOn(ctx, p.host).service.service;
    return new ThanosServices(
        p.name,
        {
            ...ctx.hostOf(p.host),
            ...releaseOf(settings, "thanos"),
            bucket: bucket.bucket,
            security: ctx.securityOf(p.host),
            retention: settings.thanosRetention,
            queryPort: settings.thanosQueryPort,
            prometheus: { port: settings.prometheusPort, dataDir: layout.prometheusData.dataDir, dataDirIsMount: layout.prometheusData.dataDirIsMount },
            ...(sidecars.length > 0
                ? {
                      peers: {
                          sidecars: pulumi.all(sidecars.map((s) => peerAddress(ctx.hostOf(s.host).host).apply((ip) => `${ip}:${thanosPorts.sidecarGrpc}`))),
                          tls: peerTlsOf(ctx, p.host, ctx.hostOf(p.host).host),
                      },
                  }
                : {}),
            dependsOn: [prometheus.configureCommand ?? prometheus.installCommand, ...(bucket.dependsOn ?? [])],
        },
        ctx.optionsOf(p),
    );
}

/** A sidecar beside a further Prometheus replica, which Thanos Query reaches over mutual TLS. */
function deploySidecar(p: Placement, ctx: StackContext): ThanosSidecar {
    const bucket = bucketOf(ctx);
    const replica = prometheusOn(ctx, p.host);
    const installed = replica.service.service;
    const host = ctx.hostOf(p.host);
    return new ThanosSidecar(
        p.name,
        {
            ...host,
            ...releaseOf(ctx.settings, "thanos"),
            bucket: bucket.bucket,
            security: ctx.securityOf(p.host),
            prometheus: { port: ctx.settings.prometheusPort, ...prometheusDataOf(replica.placement, ctx) },
            peerTls: peerTlsOf(ctx, p.host, host.host),
            dependsOn: [
                installed.configureCommand ?? installed.installCommand,
                ...(bucket.dependsOn ?? []),
                ...(ctx.layout.prometheusReplicaDependsOn?.[p.host] ?? []),
            ],
        },
        ctx.optionsOf(p),
    );
}

/** Thanos Query for the admins (and Grafana's own host on aws), and each sidecar's gRPC for Query on the monitoring host. */
function thanosExposure({ platform, input, admin }: ExposureContext): Exposure[] {
    const { thanosQuery, thanosSidecarGrpc } = input.ports;
    const replicas = (input.prometheusHosts ?? []).filter((host) => host !== "monitoring");
    return [
        ...(thanosQuery !== undefined
            ? [
                  {
                      host: "monitoring" as const,
                      port: thanosQuery,
                      service: "thanos_query",
                      sources: [...(platform === "aws" ? [fromHost("grafana")] : []), ...admin],
                  },
              ]
            : []),
        ...(thanosSidecarGrpc !== undefined
            ? replicas.map((host): Exposure => ({ host, port: thanosSidecarGrpc, service: "thanos_sidecar", sources: [fromHost("monitoring")] }))
            : []),
    ];
}

/** Long-term storage (setting thanos): Thanos beside the first Prometheus, and a sidecar beside each further replica. */
export const thanosModule: ServiceModule = {
    name: "thanos",
    validate: validateThanos,
    exposure: thanosExposure,
    placements: (input) =>
        input.thanos
            ? [
                  placement("thanos", "monitoring"),
                  ...replicaHosts(input, input.prometheusReplicas)
                      .slice(1)
                      .map((host, i) => placement("thanosSidecar", host, { replica: i + 1 })),
              ]
            : [],
    deploy: (p, ctx) => (p.service === "thanos" ? deployThanos(p, ctx) : deploySidecar(p, ctx)),
};
