import { awsScrapersOf, Exposure, ExposureContext, fromHost } from "../../network/exposure";
import type { Settings } from "../../settings/settings";
import { placement } from "../../stack/placementPlan";
import { releaseOf } from "../../stack/serviceArgs";
import type { ServiceModule } from "../../stack/serviceModule";
import { NodeExporterService, NodeExporterServiceArgs } from "./nodeExporterService";

/** node_exporter's release, image, port and collectors, the same on every host. */
export function nodeExporterArgsFrom(settings: Settings): Omit<NodeExporterServiceArgs, "host" | "runtime" | "security"> {
    return { ...releaseOf(settings, "nodeExporter"), port: settings.nodeExporterPort, collectors: settings.nodeExporterCollectors };
}

/**
 * Who scrapes node_exporter: on linode the monitoring host (a replica on the app host scrapes the
 * monitoring host's over the stack's VLAN, which no firewall filters); on aws every Prometheus
 * replica but the host's own.
 */
function nodeExporterExposure({ platform, input }: ExposureContext): Exposure[] {
    const port = input.ports.nodeExporter;
    if (platform === "linode") {
        return [{ host: "app", port, service: "node_exporter", sources: [fromHost("monitoring")] }];
    }
    return [
        { host: "app", port, service: "node_exporter", sources: awsScrapersOf(input, "app") },
        ...((input.prometheusHosts ?? ["monitoring"]).length > 1
            ? [{ host: "monitoring" as const, port, service: "node_exporter", sources: awsScrapersOf(input, "monitoring") }]
            : []),
        { host: "grafana", port, service: "node_exporter", sources: awsScrapersOf(input, "grafana") },
    ];
}

/** node_exporter on every host: the monitoring host (in its group), the app host, Grafana's own host, every node host. */
export const nodeExporterModule: ServiceModule = {
    name: "nodeExporter",
    placements: (input) => [
        placement("nodeExporter", "monitoring", { grouped: true }),
        placement("nodeExporter", "app"),
        ...(input.separateGrafana ? [placement("nodeExporter", "grafana")] : []),
        ...input.nodes.map((node) => placement("nodeExporter", node)),
    ],
    exposure: nodeExporterExposure,
    deploy: (p, ctx) =>
        new NodeExporterService(p.name, { ...ctx.hostOf(p.host), ...nodeExporterArgsFrom(ctx.settings), security: ctx.securityOf(p.host) }, ctx.optionsOf(p)),
};
