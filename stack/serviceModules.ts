import { alertmanagerModule } from "../components/alertmanager/alertmanager.module";
import { cloudwatchBridgeModule } from "../components/cloudwatchBridge/cloudwatchBridge.module";
import { flaskAppModule } from "../components/flaskApp/flaskApp.module";
import { grafanaModule } from "../components/grafana/grafana.module";
import { nodeExporterModule } from "../components/nodeExporter/nodeExporter.module";
import { prometheusModule } from "../components/prometheus/prometheus.module";
import { thanosModule } from "../components/thanos/thanos.module";
import { victoriaLogsModule } from "../components/victoriaLogs/victoriaLogs.module";
import { otelCollectorModule } from "../components/otelCollector/otelCollector.module";
import { vmalertModule } from "../components/vmalert/vmalert.module";
import type { Placement, PlacementInput } from "./placementPlan";
import type { ServiceModule } from "./serviceModule";

/**
 * Every service of the stack, one line each, in the order they are placed (a service placed after
 * another may use what that one deployed: Thanos waits for Prometheus).
 */
export const serviceModules: readonly ServiceModule[] = [
    nodeExporterModule,
    flaskAppModule,
    alertmanagerModule,
    prometheusModule,
    grafanaModule,
    thanosModule,
    cloudwatchBridgeModule,
    victoriaLogsModule,
    otelCollectorModule,
    vmalertModule,
];

/** The plan, placement by placement, with the module that deploys each. */
export function planByModule(input: PlacementInput): { module: ServiceModule; placement: Placement }[] {
    return serviceModules.flatMap((module) => module.placements(input).map((placement) => ({ module, placement })));
}

/** The plan: every module's placements, in the order they are deployed. */
export function planPlacements(input: PlacementInput): Placement[] {
    return planByModule(input).map(({ placement }) => placement);
}
