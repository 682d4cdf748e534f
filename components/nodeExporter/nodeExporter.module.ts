import type { Settings } from "../../settings/settings";
import { placement } from "../../stack/placementPlan";
import { releaseOf } from "../../stack/serviceArgs";
import type { ServiceModule } from "../../stack/serviceModule";
import { NodeExporterService, NodeExporterServiceArgs } from "./nodeExporterService";

/** node_exporter's release, image, port and collectors, the same on every host. */
export function nodeExporterArgsFrom(settings: Settings): Omit<NodeExporterServiceArgs, "host" | "runtime" | "security"> {
    return { ...releaseOf(settings, "nodeExporter"), port: settings.nodeExporterPort, collectors: settings.nodeExporterCollectors };
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
    deploy: (p, ctx) =>
        new NodeExporterService(p.name, { ...ctx.hostOf(p.host), ...nodeExporterArgsFrom(ctx.settings), security: ctx.securityOf(p.host) }, ctx.optionsOf(p)),
};
