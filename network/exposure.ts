/**
 * Who may reach which port of which host. One table drives the cloud firewalls and the tests, so
 * what is deployed and what is asserted cannot drift apart.
 */

/** The roles a host plays: monitoring runs Prometheus and Alertmanager (and Grafana on Linode). */
export type HostRole = "monitoring" | "app" | "grafana";

/** A source of traffic: a network from settings, or another host of the deployment. */
export type ExposureSource = { readonly kind: "cidr"; readonly cidr: string } | { readonly kind: "host"; readonly role: HostRole };

/** One open port. */
export interface Exposure {
    readonly host: HostRole;
    readonly port: number;
    /** What listens there. */
    readonly service: string;
    readonly sources: readonly ExposureSource[];
}

/** The settings the table depends on. */
export interface ExposureInput {
    readonly adminCidrs: readonly string[];
    /** Empty means adminCidrs. */
    readonly viewerCidrs: readonly string[];
    readonly appCidrs: readonly string[];
    readonly grafanaEnabled: boolean;
    /** The hosts of the Alertmanager replicas, the monitoring host first (one entry: no cluster). */
    readonly alertmanagerHosts?: readonly HostRole[];
    /** The hosts of the Prometheus replicas, the monitoring host first (one entry: one Prometheus). */
    readonly prometheusHosts?: readonly HostRole[];
    readonly ports: {
        readonly prometheus: number;
        readonly alertmanager: number;
        /** The Alertmanager cluster's gossip; used with more than one replica. */
        readonly alertmanagerCluster?: number;
        readonly nodeExporter: number;
        readonly grafana: number;
        readonly app: number;
        /** Thanos Query's HTTP API, when long-term storage is on (setting thanos). */
        readonly thanosQuery?: number;
        /** The gRPC port of the sidecars of further Prometheus replicas, which Query reaches (with thanos). */
        readonly thanosSidecarGrpc?: number;
        /** VictoriaLogs, the log store, when it is on (setting logs). */
        readonly victoriaLogs?: number;
        /** vmalert, the log rules' evaluator, when the log store is on (setting logs). */
        readonly vmalert?: number;
    };
}

/** Networks from settings as sources, each once. */
export const cidrs = (list: readonly string[]): ExposureSource[] => [...new Set(list)].map((cidr) => ({ kind: "cidr", cidr }));

/** Another host of the deployment as a source. */
export const fromHost = (role: HostRole): ExposureSource => ({ kind: "host", role });

/** The platforms whose firewalls the program makes (the hosts platform's are the user's). */
export type FirewallPlatform = "linode" | "aws";

/**
 * What a service's rows of the exposure table depend on: the platform, the settings' networks,
 * ports and replica hosts, and the audiences they make. Each service module gives its own rows
 * (its `exposure`); stack/exposureTables.ts gathers them with SSH for every host.
 */
export interface ExposureContext {
    readonly platform: FirewallPlatform;
    readonly input: ExposureInput;
    /** The admin networks. */
    readonly admin: ExposureSource[];
    /** The viewer networks, or the admins' when none are set. */
    readonly viewers: ExposureSource[];
}

/** The context of a platform's table. */
export function exposureContext(platform: FirewallPlatform, input: ExposureInput): ExposureContext {
    const admin = cidrs(input.adminCidrs);
    return { platform, input, admin, viewers: input.viewerCidrs.length > 0 ? cidrs(input.viewerCidrs) : admin };
}

/** On aws, who scrapes a host's exporters: every Prometheus replica but the one on that host (security groups name each other). */
export function awsScrapersOf(input: ExposureInput, host: HostRole): ExposureSource[] {
    return (input.prometheusHosts ?? ["monitoring"]).filter((role) => role !== host).map(fromHost);
}

/** SSH to every host of a platform's layout, from the admins. */
export function sshExposure(ctx: ExposureContext): Exposure[] {
    const hosts: HostRole[] = ctx.platform === "aws" ? ["app", "monitoring", "grafana"] : ["monitoring", "app"];
    return hosts.map((host) => ({ host, port: 22, service: "ssh", sources: ctx.admin }));
}

/** An outbound connection a role needs. */
export interface EgressRule {
    readonly from: HostRole;
    readonly protocol: "tcp";
    readonly port: number;
    /** A network, another role's hosts, or any address of the stack's VPC (machines found by tag). */
    readonly to: ExposureSource | { readonly kind: "vpc" };
    /** Why the connection is needed. */
    readonly purpose: string;
}

/**
 * The outbound connections of the AWS layout, and nothing more: HTTP(S) for packages, images,
 * webhooks and the AWS APIs, scrapes from Prometheus to the exporters (and to any instance of the
 * VPC when it finds instances by tag), Grafana to Prometheus, and SMTP when alert email is on. (DNS, NTP and instance metadata use AWS's link-local services, which security
 * groups do not filter.)
 */
export function awsEgress(input: {
    ports: ExposureInput["ports"];
    smtpPort?: number;
    discoversNodes?: boolean;
    alertmanagerHosts?: readonly HostRole[];
    prometheusHosts?: readonly HostRole[];
}): EgressRule[] {
    const replicas = input.alertmanagerHosts ?? ["monitoring"];
    const prometheusHosts = input.prometheusHosts ?? ["monitoring"];
    const cluster = input.ports.alertmanagerCluster;
    const anywhere: ExposureSource = { kind: "cidr", cidr: "0.0.0.0/0" };
    const web = (from: HostRole): EgressRule[] => [
        { from, protocol: "tcp", port: 80, to: anywhere, purpose: "packages" },
        { from, protocol: "tcp", port: 443, to: anywhere, purpose: "packages, images and webhooks" },
    ];
    const rules: EgressRule[] = [
        ...web("app"),
        ...web("monitoring"),
        ...web("grafana"),
        { from: "monitoring", protocol: "tcp", port: input.ports.nodeExporter, to: { kind: "host", role: "app" }, purpose: "scrape node_exporter" },
        { from: "monitoring", protocol: "tcp", port: input.ports.nodeExporter, to: { kind: "host", role: "grafana" }, purpose: "scrape node_exporter" },
        { from: "monitoring", protocol: "tcp", port: input.ports.app, to: { kind: "host", role: "app" }, purpose: "scrape the app" },
        ...(input.smtpPort !== undefined && input.smtpPort !== 80 && input.smtpPort !== 443
            ? [{ from: "monitoring" as const, protocol: "tcp" as const, port: input.smtpPort, to: anywhere, purpose: "alert email" }]
            : []),
        { from: "grafana", protocol: "tcp", port: input.ports.prometheus, to: { kind: "host", role: "monitoring" }, purpose: "query Prometheus" },
        ...(input.ports.thanosQuery !== undefined
            ? [
                  {
                      from: "grafana" as const,
                      protocol: "tcp" as const,
                      port: input.ports.thanosQuery,
                      to: { kind: "host" as const, role: "monitoring" as const },
                      purpose: "query Thanos",
                  },
              ]
            : []),
        // Prometheus alerts every Alertmanager; the replicas gossip with each other.
        ...(replicas.length > 1 && cluster !== undefined
            ? replicas.flatMap((from) => [
                  ...(from === "monitoring"
                      ? []
                      : [
                            {
                                from: "monitoring" as const,
                                protocol: "tcp" as const,
                                port: input.ports.alertmanager,
                                to: { kind: "host" as const, role: from },
                                purpose: "send alerts",
                            },
                        ]),
                  ...replicas
                      .filter((to) => to !== from)
                      .map((to) => ({
                          from,
                          protocol: "tcp" as const,
                          port: cluster,
                          to: { kind: "host" as const, role: to },
                          purpose: "Alertmanager cluster gossip",
                      })),
              ])
            : []),
        ...(input.discoversNodes
            ? [
                  {
                      from: "monitoring" as const,
                      protocol: "tcp" as const,
                      port: input.ports.nodeExporter,
                      to: { kind: "vpc" as const },
                      purpose: "scrape node_exporter on instances found by tag",
                  },
              ]
            : []),
        ...(prometheusHosts.length > 1 ? prometheusReplicaEgress(input, prometheusHosts, replicas) : []),
    ];
    // A connection needed for two reasons (Grafana's queries and a replica's scrapes) is one rule.
    const key = (r: EgressRule) => `${r.from} ${r.port} ${r.to.kind === "host" ? r.to.role : r.to.kind === "cidr" ? r.to.cidr : "vpc"}`;
    return rules.filter((r, i) => rules.findIndex((other) => key(other) === key(r)) === i);
}

/**
 * What further Prometheus replicas add: each scrapes every host but its own (node_exporter, the
 * app, the other replicas), alerts every Alertmanager, and finds instances by tag as the first
 * does; the monitoring host's Prometheus scrapes them, and its Thanos Query reads their sidecars.
 */
function prometheusReplicaEgress(
    input: { ports: ExposureInput["ports"]; discoversNodes?: boolean },
    prometheusHosts: readonly HostRole[],
    alertmanagerHosts: readonly HostRole[],
): EgressRule[] {
    const rule = (from: HostRole, port: number, to: HostRole, purpose: string): EgressRule => ({
        from,
        protocol: "tcp",
        port,
        to: { kind: "host", role: to },
        purpose,
    });
    const hosts: HostRole[] = ["monitoring", "app", "grafana"];
    return prometheusHosts.flatMap((from) => [
        ...(from === "monitoring"
            ? []
            : [
                  ...hosts.filter((to) => to !== from).map((to) => rule(from, input.ports.nodeExporter, to, "scrape node_exporter")),
                  ...(from === "app" ? [] : [rule(from, input.ports.app, "app", "scrape the app")]),
                  ...alertmanagerHosts.filter((to) => to !== from).map((to) => rule(from, input.ports.alertmanager, to, "send alerts")),
                  ...(input.discoversNodes
                      ? [
                            {
                                from,
                                protocol: "tcp" as const,
                                port: input.ports.nodeExporter,
                                to: { kind: "vpc" as const },
                                purpose: "scrape node_exporter on instances found by tag",
                            },
                        ]
                      : []),
              ]),
        ...prometheusHosts.filter((to) => to !== from).map((to) => rule(from, input.ports.prometheus, to, "scrape the other Prometheus replicas")),
        ...(from !== "monitoring" && input.ports.thanosSidecarGrpc !== undefined
            ? [rule("monitoring", input.ports.thanosSidecarGrpc, from, "Thanos Query reads the replica's sidecar")]
            : []),
    ]);
}

/** A firewall rule with every host source resolved to addresses. */
export interface ResolvedRule {
    readonly label: string;
    readonly port: number;
    readonly ipv4: string[];
    readonly ipv6: string[];
}

/**
 * Resolves the rules of one host: host sources become /32 networks of that host's addresses.
 * Rules are labelled <service>-<port>, sorted by port.
 */
export function resolveRules(table: readonly Exposure[], host: HostRole, addressesOf: (role: HostRole) => readonly string[]): ResolvedRule[] {
    return table
        .filter((rule) => rule.host === host)
        .sort((a, b) => a.port - b.port)
        .map((rule) => {
            const networks = rule.sources.flatMap((source) =>
                source.kind === "cidr"
                    ? [source.cidr]
                    : addressesOf(source.role).map((address) => (address.includes(":") ? `${address}/128` : `${address}/32`)),
            );
            const unique = [...new Set(networks)];
            return {
                label: `${rule.service}-${rule.port}`.replace(/_/g, "-"),
                port: rule.port,
                ipv4: unique.filter((n) => !n.includes(":")),
                ipv6: unique.filter((n) => n.includes(":")),
            };
        });
}
