import { bridgeJob } from "../../settings/choices";
import type { Settings } from "../../settings/settings";
import { bridgeListenAddress } from "./bridgeConfig";
import { placement, replicaHosts } from "../../stack/placementPlan";
import { releaseOf } from "../../stack/serviceArgs";
import type { ServiceModule } from "../../stack/serviceModule";
import { CloudwatchBridgeService, CloudwatchBridgeServiceArgs } from "./cloudwatchBridgeService";

/** The CloudWatch bridge's settings: its release and image, the region, endpoint and poll interval. */
export function cloudwatchBridgeFrom(
    settings: Settings,
): Pick<CloudwatchBridgeServiceArgs, "download" | "imageRepository" | "region" | "endpoint" | "scrapingInterval"> {
    return {
        ...releaseOf(settings, "yace"),
        region: settings.cloudwatchBridgeRegion,
        endpoint: settings.cloudwatchBridgeEndpoint,
        scrapingInterval: settings.cloudwatchBridgeInterval,
    };
}

/** The CloudWatch bridge beside each Prometheus replica, which scrapes it on its loopback. */
export const cloudwatchBridgeModule: ServiceModule = {
    name: "cloudwatchBridge",
    // Each Prometheus replica scrapes the bridge beside it on its loopback.
    scrapeJobs: (settings) => (settings.cloudwatchBridge ? [{ job: bridgeJob, targets: [bridgeListenAddress] }] : []),
    placements: (input) =>
        input.cloudwatchBridge ? replicaHosts(input, input.prometheusReplicas).map((host, replica) => placement("cloudwatchBridge", host, { replica })) : [],
    deploy: (p, ctx) =>
        new CloudwatchBridgeService(
            p.name,
            {
                ...ctx.hostOf(p.host),
                ...cloudwatchBridgeFrom(ctx.settings),
                metrics: ctx.inputs.bridgedMetrics ?? [],
                // On aws the instance role reads CloudWatch; elsewhere the access key pair.
                accessKeys:
                    ctx.layout.platform === "aws"
                        ? undefined
                        : {
                              accessKeyId: ctx.settings.secrets.cloudwatchBridgeAccessKeyId!,
                              secretAccessKey: ctx.settings.secrets.cloudwatchBridgeSecretAccessKey!,
                          },
                dependsOn: p.host === "monitoring" ? ctx.layout.bridgeDependsOn : ctx.layout.prometheusReplicaDependsOn?.[p.host],
            },
            ctx.optionsOf(p),
        ),
};
