import { Exposure, ExposureContext, fromHost } from "../../network/exposure";
import type { Settings } from "../../settings/settings";
import { placement } from "../../stack/placementPlan";
import { releaseOf } from "../../stack/serviceArgs";
import type { ServiceModule } from "../../stack/serviceModule";
import { validateVictoriaLogs } from "./victoriaLogsChecks";
import { VictoriaLogsService, VictoriaLogsServiceArgs } from "./victoriaLogsService";

/** The job of VictoriaLogs's own metrics. */
export const victoriaLogsJob = "victoria_logs";

/** Where VictoriaLogs keeps its data on the monitoring host. */
export const victoriaLogsDataDir = "/var/lib/victoria-logs";

/** VictoriaLogs's settings: its release and image, port and retention. */
export function victoriaLogsFrom(settings: Settings): Pick<VictoriaLogsServiceArgs, "download" | "imageRepository" | "port" | "retention" | "retentionSize"> {
    return {
        ...releaseOf(settings, "victoriaLogs"),
        port: settings.victoriaLogsPort,
        retention: settings.logsRetention,
        retentionSize: settings.logsRetentionSize,
    };
}

/** Who reaches VictoriaLogs: the admins, and the stack's other hosts, whose collectors send it their logs. */
function victoriaLogsExposure({ platform, input, admin }: ExposureContext): Exposure[] {
    const port = input.ports.victoriaLogs;
    if (port === undefined) return [];
    const senders = platform === "aws" ? [fromHost("app"), fromHost("grafana")] : [fromHost("app")];
    return [{ host: "monitoring", port, service: "victoria_logs", sources: [...senders, ...admin] }];
}

/** The log store (setting logs): VictoriaLogs on the monitoring host, its own metrics scraped by every Prometheus replica. */
export const victoriaLogsModule: ServiceModule = {
    name: "victoriaLogs",
    validate: validateVictoriaLogs,
    exposure: victoriaLogsExposure,
    scrapeJobs: (settings, monitoringAddress) =>
        settings.logs ? [{ job: victoriaLogsJob, targets: [`${monitoringAddress}:${settings.victoriaLogsPort}`], secured: true }] : [],
    placements: (input) => (input.logs ? [placement("victoriaLogs", "monitoring")] : []),
    deploy: (p, ctx) =>
        new VictoriaLogsService(
            p.name,
            {
                ...ctx.hostOf(p.host),
                ...victoriaLogsFrom(ctx.settings),
                dataDir: victoriaLogsDataDir,
                security: ctx.securityOf(p.host),
            },
            ctx.optionsOf(p),
        ),
};
