import * as pulumi from "@pulumi/pulumi";
import { flaskAppServesMetrics } from "../components/flaskApp/flaskApp.module";
import type { NodeDiscovery } from "../components/prometheus/nodeDiscovery";
import { ScrapeTopology, withMonitoringHost } from "../components/prometheus/prometheusFiles";
import { replicaExternalLabels, thanosTargets } from "../components/thanos/thanosConfig";
import { nodeRole } from "../settings/choices";
import type { RemoteWriteEndpoint } from "../settings/remoteWriteEntries";
import type { Settings } from "../settings/settings";
import type { MonitoringLayout, PlacedHost, ProgramInputs } from "./layout";
import { Placement, placementsOf } from "./placementPlan";
import { serviceModules } from "./serviceModules";
import { peerAddress } from "../remote/remoteHost";

/**
 * What each Prometheus replica scrapes and where it alerts, from the plan: every host's
 * node_exporter, the app, the other replicas and Alertmanagers at their peer addresses, the
 * machines found by tag, the static and registered jobs, the bridge on the replica's loopback; the
 * same targets under the same names on every replica, which differ only in their replica label and
 * the Thanos components on their own host.
 */
export function scrapeTopologyOf(
    settings: Settings,
    layout: MonitoringLayout,
    inputs: ProgramInputs,
    plan: readonly Placement[],
    hostOf: (host: string) => PlacedHost,
): (replica: number) => pulumi.Output<ScrapeTopology> {
    const { monitoring, app, grafana: grafanaHost } = layout;
    const nodes = layout.nodes ?? [];
    const alertmanagers = placementsOf(plan, "alertmanager");
    const prometheusReplicas = placementsOf(plan, "prometheus");
    const target = (host: PlacedHost, port: number, role: string, labels: Readonly<Record<string, string>> = {}) =>
        peerAddress(host.host).apply((ip) => ({ address: `${ip}:${port}`, labels: { ...labels, role } }));
    const flaskAppMetrics = flaskAppServesMetrics(settings);
    const shared = pulumi
        .all([
            pulumi.output(layout.discovery),
            settings.remoteWrite,
            pulumi.all(alertmanagers.slice(1).map((r) => peerAddress(hostOf(r.host).host).apply((ip) => `${ip}:${settings.alertmanagerPort}`))),
            pulumi.all(prometheusReplicas.slice(1).map((r) => peerAddress(hostOf(r.host).host).apply((ip) => `${ip}:${settings.prometheusPort}`))),
            pulumi.all([
                target(app, settings.nodeExporterPort, "app"),
                ...(grafanaHost ? [target(grafanaHost, settings.nodeExporterPort, "grafana")] : []),
                ...nodes.map((node) => target(node, settings.nodeExporterPort, nodeRole, node.labels)),
                target(app, settings.appPort, "app"),
            ]),
        ])
        .apply(([discovery, remoteWrite, peers, prometheusPeers, targets]) => ({
            ...(peers.length > 0 ? { alertmanagerPeers: peers } : {}),
            ...(prometheusPeers.length > 0 ? { prometheusPeers } : {}),
            ...(discovery ? { discovery: { nodes: discovery as NodeDiscovery, port: settings.nodeExporterPort } } : {}),
            remoteWrite: remoteWrite as readonly RemoteWriteEndpoint[],
            nodes: targets.slice(0, -1),
            flaskApp: flaskAppMetrics ? targets.slice(-1) : [],
            // The static and registered jobs; those the services add follow per replica.
            extraJobs: inputs.scrapeJobs,
        }));
    // With Thanos or replicas, each replica's own labels and the Thanos components on its host.
    const own = (replica: number) => ({
        ...(settings.thanos || prometheusReplicas.length > 1 ? { externalLabels: replicaExternalLabels(settings.stack, replica) } : {}),
        ...(settings.thanos ? { thanos: { targets: thanosTargets(settings.thanosQueryPort, replica) } } : {}),
    });
    const ports = { prometheus: settings.prometheusPort, alertmanager: settings.alertmanagerPort, nodeExporter: settings.nodeExporterPort };
    // The monitoring host's own services are scraped at localhost, or at its private address where
    // Prometheus has replicas on other hosts, so that every replica names every target the same way.
    const monitoringAddress: pulumi.Input<string> = prometheusReplicas.length > 1 ? peerAddress(monitoring.host) : "localhost";
    return (replica) =>
        pulumi.all([shared, replica === 0 ? monitoringAddress : peerAddress(monitoring.host)]).apply(([scrapes, address]) =>
            withMonitoringHost(
                // The jobs the services add: at the monitoring host's address as this replica reaches it, or on its loopback (the bridge).
                {
                    ...scrapes,
                    extraJobs: [...scrapes.extraJobs, ...serviceModules.flatMap((module) => module.scrapeJobs?.(settings, address) ?? [])],
                    ...own(replica),
                },
                address,
                ports,
            ),
        );
}
