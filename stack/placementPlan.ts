import { replicaRoles, Platform } from "../settings/choices";

// Which service runs on which host, under which resource name: each service module says where it runs
// (its `placements`), stack/serviceModules.ts gathers them into the plan before any resource exists,
// and tests/placementPlan.test.ts checks the plan without Pulumi. The platforms open their firewalls
// from the same replica hosts.

/** The services the stack places. */
export type ServiceKind =
    | "nodeExporter"
    | "flaskApp"
    | "prometheus"
    | "alertmanager"
    | "grafana"
    | "thanos"
    | "thanosSidecar"
    | "cloudwatchBridge"
    | "victoriaLogs"
    | "otelCollector"
    | "vmalert";

/** The hosts every layout has, and Grafana's own host where the layout gives it one. */
export type ReplicaHost = ReturnType<typeof replicaRoles>[number];

/** One service on one host. */
export interface Placement {
    readonly service: ServiceKind;
    /** The host's role (monitoring, app, grafana) or a node host's name. */
    readonly host: string;
    /**
     * The component's resource name. Names are in URNs, so they are the names stacks were deployed
     * with: the monitoring host's Prometheus, Alertmanager, node_exporter and Grafana are children
     * of MonitoringServices (`monitoring-services-*`), the rest `<host>-<service>`.
     */
    readonly name: string;
    /** Placed inside MonitoringServices, the monitoring host's group. */
    readonly grouped: boolean;
    /** The replica's number for Prometheus and Alertmanager (0 on the monitoring host). */
    readonly replica?: number;
}

/** What the placements depend on: the platform's hosts and the settings that switch services on. */
export interface PlacementInput {
    readonly platform: Platform;
    /** Whether Grafana has a host of its own (aws; hosts with a grafana machine). */
    readonly separateGrafana: boolean;
    /** The node hosts' resource names (hosts platform, node role). */
    readonly nodes: readonly string[];
    readonly alertmanagerReplicas: number;
    readonly prometheusReplicas: number;
    readonly grafanaEnabled: boolean;
    readonly thanos: boolean;
    readonly cloudwatchBridge: boolean;
    /** The log store (setting logs). */
    readonly logs: boolean;
}

/** The name MonitoringServices has always had; its children's names start with it. */
export const monitoringGroupName = "monitoring-services";

const kebab: Readonly<Record<ServiceKind, string>> = {
    nodeExporter: "node-exporter",
    flaskApp: "flask-app",
    prometheus: "prometheus",
    alertmanager: "alertmanager",
    grafana: "grafana",
    thanos: "thanos",
    thanosSidecar: "thanos",
    cloudwatchBridge: "cloudwatch-bridge",
    victoriaLogs: "victoria-logs",
    otelCollector: "otel-collector",
    vmalert: "vmalert",
};

/** A placement of `service` on `host`, named `<host>-<service>`, or `monitoring-services-<service>` when grouped. */
export function placement(service: ServiceKind, host: string, extra: { grouped?: boolean; replica?: number; name?: string } = {}): Placement {
    const grouped = extra.grouped ?? false;
    return {
        service,
        host,
        name: extra.name ?? (grouped ? `${monitoringGroupName}-${kebab[service]}` : `${host}-${kebab[service]}`),
        grouped,
        ...(extra.replica !== undefined ? { replica: extra.replica } : {}),
    };
}

/** The hosts of the Prometheus or Alertmanager replicas, in order: the monitoring host, then Grafana's own, then the app host. */
export function replicaHosts(input: Pick<PlacementInput, "platform" | "separateGrafana">, count: number): ReplicaHost[] {
    return replicaRoles(input.platform, input.separateGrafana).slice(0, count);
}

/** The placements of one service, in plan order. */
export function placementsOf(plan: readonly Placement[], service: ServiceKind): Placement[] {
    return plan.filter((p) => p.service === service);
}
