import * as pulumi from "@pulumi/pulumi";
import { awsScrapersOf, Exposure, ExposureContext, fromHost, HostRole } from "../../network/exposure";
import type { Settings } from "../../settings/settings";
import { placement, replicaHosts } from "../../stack/placementPlan";
import type { Placement } from "../../stack/placementPlan";
import { releaseOf } from "../../stack/serviceArgs";
import type { ServiceModule, StackContext } from "../../stack/serviceModule";
import { flaskAppServesMetrics } from "../flaskApp/flaskApp.module";
import type { AlertThresholds } from "./alertRules";
import { remoteWriteWarnings, validatePrometheus } from "./prometheusChecks";
import type { PrometheusFilesOptions } from "./prometheusFiles";
import { defaultPrometheusDataDir, PrometheusService, PrometheusServiceArgs } from "./prometheusService";

/** The alert rule thresholds of the settings. */
export function alertThresholdsFrom(settings: Settings): AlertThresholds {
    return {
        instanceDownFor: settings.alertInstanceDownFor,
        targetsMissingFor: settings.alertTargetsMissingFor,
        cpuUserRatio: settings.alertCpuUserRatio,
        cpuFor: settings.alertCpuFor,
        memoryAvailableRatio: settings.alertMemoryAvailableRatio,
        memoryFor: settings.alertMemoryFor,
        diskFillWarningHours: settings.alertDiskFillWarningHours,
        diskFillCriticalHours: settings.alertDiskFillCriticalHours,
        inodesFreeRatio: settings.alertInodesFreeRatio,
        clockOffsetSeconds: settings.alertClockOffsetSeconds,
        diskIoUtilization: settings.alertDiskIoUtilization,
        diskIoFor: settings.alertDiskIoFor,
        appLatencyAvgSeconds: settings.alertAppLatencyAvgSeconds,
        appLatencyP95Seconds: settings.alertAppLatencyP95Seconds,
        appLatencyFor: settings.alertAppLatencyFor,
        appErrorRatio: settings.alertAppErrorRatio,
        appErrorFor: settings.alertAppErrorFor,
        appNoTrafficFor: settings.alertAppNoTrafficFor,
        runbookBaseUrl: settings.runbookBaseUrl,
    };
}

/** Where a Prometheus keeps its data, and what it waits for: the platform's data volume for the first, the default directory elsewhere. */
export interface PrometheusData {
    readonly dataDir: string;
    readonly dataDirIsMount: boolean;
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** The data directory of a Prometheus placement. */
export function prometheusDataOf(p: Placement, ctx: StackContext): PrometheusData {
    return p.replica === 0
        ? ctx.layout.prometheusData
        : { dataDir: defaultPrometheusDataDir, dataDirIsMount: false, dependsOn: ctx.layout.prometheusReplicaDependsOn?.[p.host] };
}

/** Prometheus's release, image, port and retention, with where its data lives. */
export function prometheusArgsFrom(
    settings: Settings,
    data: PrometheusData,
): Omit<PrometheusServiceArgs, "host" | "runtime" | "security" | "topology" | "rules"> {
    return {
        ...releaseOf(settings, "prometheus"),
        port: settings.prometheusPort,
        retentionTime: settings.prometheusRetentionTime,
        retentionSize: settings.prometheusRetentionSize,
        uploadsBlocks: settings.thanos,
        ...data,
    };
}

/** What prometheus.yml's globals and the rule files depend on. */
export function prometheusRulesFrom(settings: Settings, extraRules: Readonly<Record<string, string>>): PrometheusFilesOptions {
    return {
        scrapeInterval: settings.scrapeInterval,
        evaluationInterval: settings.evaluationInterval,
        thresholds: alertThresholdsFrom(settings),
        flaskAppMetrics: flaskAppServesMetrics(settings),
        logs: settings.logs,
        extraRules,
    };
}

/**
 * Who reaches Prometheus: the admins everywhere; Grafana (its own host on aws); the other replicas,
 * which scrape each other (on linode over the stack's VLAN, which no firewall filters and only the
 * stack's instances join).
 */
function prometheusExposure({ platform, input, admin }: ExposureContext): Exposure[] {
    const port = input.ports.prometheus;
    const hosts = input.prometheusHosts ?? ["monitoring"];
    const others = (host: HostRole) => hosts.filter((role) => role !== host).map(fromHost);
    const replicas = hosts
        .filter((host) => host !== "monitoring")
        .map((host): Exposure => ({ host, port, service: "prometheus", sources: [...others(host), ...admin] }));
    if (platform === "linode") {
        return [{ host: "monitoring", port, service: "prometheus", sources: admin }, ...replicas];
    }
    const monitoringSources = [fromHost("grafana"), ...awsScrapersOf(input, "monitoring").filter((s) => s.kind === "host" && s.role !== "grafana"), ...admin];
    return [{ host: "monitoring", port, service: "prometheus", sources: monitoringSources }, ...replicas];
}

/** Prometheus: one replica per host (prometheusReplicas), the first in the monitoring host's group, each scraping the same targets. */
export const prometheusModule: ServiceModule = {
    name: "prometheus",
    validate: validatePrometheus,
    warnings: remoteWriteWarnings,
    exposure: prometheusExposure,
    placements: (input) =>
        replicaHosts(input, input.prometheusReplicas).map((host, replica) => placement("prometheus", host, { grouped: replica === 0, replica })),
    deploy: (p, ctx) =>
        new PrometheusService(
            p.name,
            {
                ...ctx.hostOf(p.host),
                security: ctx.securityOf(p.host),
                ...prometheusArgsFrom(ctx.settings, prometheusDataOf(p, ctx)),
                topology: ctx.scrapeTopology(p.replica!),
                rules: prometheusRulesFrom(ctx.settings, ctx.inputs.extraRules),
            },
            ctx.optionsOf(p),
        ),
};
