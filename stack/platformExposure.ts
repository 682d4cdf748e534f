import type { Exposure, FirewallPlatform, HostRole } from "../network/exposure";
import type { SettingProblem } from "../settings/problems";
import type { Settings } from "../settings/settings";
import { exposureTable } from "./exposureTables";
import { replicaHosts } from "./placementPlan";
import { exposureInputFrom } from "./serviceArgs";

/** What answers without a password when webAuth is false: everything but SSH, Grafana (its own login) and the Flask app. */
const ownLogin = new Set(["ssh", "grafana", "flask_app"]);

/** The firewall rows of a cloud layout, as the platform makes them. */
export function platformExposure(settings: Settings, platform: FirewallPlatform): Exposure[] {
    const layout = { platform, separateGrafana: platform === "aws" } as const;
    return exposureTable(
        platform,
        exposureInputFrom(
            settings,
            replicaHosts(layout, settings.alertmanagerReplicas) as HostRole[],
            replicaHosts(layout, settings.prometheusReplicas) as HostRole[],
        ),
    );
}

/**
 * The rows of a firewall table that would answer without a password when webAuth is false and that
 * a network beyond the stack's hosts and adminCidrs reaches: "service on the host host (port N, open
 * to cidr)". Empty for every layout the program makes today (replicas on linode reach each other
 * over the stack's VLAN); the check keeps a future row from opening one.
 */
export function passwordlessReach(table: readonly Exposure[], adminCidrs: readonly string[]): string[] {
    const admin = new Set(adminCidrs);
    const beyond = (row: Exposure) =>
        row.sources.filter((source) => source.kind === "cidr" && !admin.has(source.cidr)).map((s) => (s.kind === "cidr" ? s.cidr : ""));
    const reached = table.filter((row) => !ownLogin.has(row.service)).map((row) => ({ row, networks: beyond(row) }));
    return [
        ...new Set(
            reached
                .filter(({ networks }) => networks.length > 0)
                .map(({ row, networks }) => `${row.service} on the ${row.host} host (port ${row.port}, open to ${networks.join(", ")})`),
        ),
    ];
}

/**
 * With webAuth false, Prometheus, Alertmanager, node_exporter and Thanos answer anyone who reaches
 * them: that is allowed only where nothing but the stack's own hosts and adminCidrs reaches them.
 */
export function validateExposure(settings: Settings): SettingProblem[] {
    if (settings.webAuth || (settings.platform !== "linode" && settings.platform !== "aws")) return [];
    const where = passwordlessReach(platformExposure(settings, settings.platform), settings.adminCidrs);
    return where.length === 0
        ? []
        : [
              {
                  key: "webAuth",
                  value: false,
                  message: `would leave without a password endpoints that networks beyond the stack's hosts and adminCidrs reach: ${where.join("; ")}`,
                  fix: "pulumi config set webAuth true",
              },
          ];
}
