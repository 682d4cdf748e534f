import { awsScrapersOf, Exposure, ExposureContext } from "../../network/exposure";
import { placement } from "../../stack/placementPlan";
import { releaseOf } from "../../stack/serviceArgs";
import type { ServiceModule } from "../../stack/serviceModule";
import type { VictoriaLogsService } from "../victoriaLogs/victoriaLogsService";
import { validateVmalert } from "./vmalertChecks";
import { VmalertService } from "./vmalertService";

/** The job of vmalert's own metrics (rule evaluations, errors, notifications sent). */
export const vmalertJob = "vmalert";

/** Who reaches vmalert: the admins (its rules and alerts page), and the Prometheus replicas on other hosts, which scrape it. */
function vmalertExposure({ input, admin }: ExposureContext): Exposure[] {
    const port = input.ports.vmalert;
    if (port === undefined) return [];
    return [{ host: "monitoring", port, service: "vmalert", sources: [...awsScrapersOf(input, "monitoring"), ...admin] }];
}

/**
 * Alerts on log lines (with setting logs): vmalert beside the store on the monitoring host,
 * evaluating the stack's and the user's log rules and sending to every Alertmanager of the stack.
 */
export const vmalertModule: ServiceModule = {
    name: "vmalert",
    validate: validateVmalert,
    exposure: vmalertExposure,
    scrapeJobs: (settings, monitoringAddress) =>
        settings.logs ? [{ job: vmalertJob, targets: [`${monitoringAddress}:${settings.vmalertPort}`], secured: true }] : [],
    placements: (input) => (input.logs ? [placement("vmalert", "monitoring")] : []),
    deploy: (p, ctx) => {
        const { settings } = ctx;
        const monitoring = ctx.hostOf(p.host);
        const store = ctx.deployed<VictoriaLogsService>("monitoring-victoria-logs");
        return new VmalertService(
            p.name,
            {
                ...monitoring,
                ...releaseOf(settings, "vmalert"),
                port: settings.vmalertPort,
                storePort: settings.victoriaLogsPort,
                alertmanagers: ctx.scrapeTopology(0).apply((topology) => [topology.alertmanager, ...(topology.alertmanagerPeers ?? [])]),
                publicAddress: monitoring.host.publicIp,
                interval: settings.logRulesInterval,
                rules: ctx.inputs.logRules,
                security: ctx.securityOf(p.host),
                // It reads the store: it starts once the store answers.
                ...(store ? { dependsOn: [store.service] } : {}),
            },
            ctx.optionsOf(p),
        );
    },
};
