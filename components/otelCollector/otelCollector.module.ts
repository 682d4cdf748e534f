import type { FlaskAppService } from "../flaskApp/flaskAppService";
import { peerAddress } from "../../remote/remoteHost";
import { decimalBytes } from "../../settings/formats";
import { placement } from "../../stack/placementPlan";
import { downloadOf } from "../../stack/serviceArgs";
import type { ServiceModule } from "../../stack/serviceModule";
import { validateOtelCollector } from "./otelCollectorChecks";
import { OtelCollectorService } from "./otelCollectorService";

/**
 * The log shipper (with setting logs): an OpenTelemetry Collector on every host, the monitoring
 * host (in its group), the app host, Grafana's own host and every node host, sending to the store
 * on the monitoring host. It serves nothing beyond its loopback, so it opens no port.
 */
export const otelCollectorModule: ServiceModule = {
    name: "otelCollector",
    validate: validateOtelCollector,
    placements: (input) =>
        input.logs
            ? [
                  placement("otelCollector", "monitoring", { grouped: true }),
                  placement("otelCollector", "app"),
                  ...(input.separateGrafana ? [placement("otelCollector", "grafana")] : []),
                  ...input.nodes.map((node) => placement("otelCollector", node)),
              ]
            : [],
    deploy: (p, ctx) => {
        const { settings } = ctx;
        const flaskApp = p.host === "app" ? ctx.deployed<FlaskAppService>("app-flask-app") : undefined;
        return new OtelCollectorService(
            p.name,
            {
                host: ctx.hostOf(p.host).host,
                hostName: p.host,
                download: downloadOf(settings, "otelCollector"),
                flaskAppLog: p.host === "app",
                storeAddress: p.host === "monitoring" ? "localhost" : peerAddress(ctx.layout.monitoring.host),
                storePort: settings.victoriaLogsPort,
                bufferBytes: decimalBytes(settings.logsBufferSize),
                healthPort: settings.otelCollectorHealthPort,
                security: ctx.securityOf(p.host),
                remotes: settings.logsRemote,
                // The app's user and group exist before the collector joins its group to read its log.
                ...(flaskApp ? { dependsOn: [flaskApp.service] } : {}),
            },
            ctx.optionsOf(p),
        );
    },
};
