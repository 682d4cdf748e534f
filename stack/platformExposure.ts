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
 * With webAuth false, Prometheus, Alertmanager, node_exporter and Thanos answer anyone who reaches
 * them: that is allowed only where nothing but the stack's own hosts and adminCidrs reaches them.
 * A port open to another network (Linode's regional private network for replicas, which other
 * customers share) needs basic authentication.
 */
export function validateExposure(settings: Settings): SettingProblem[] {
    if (settings.webAuth || (settings.platform !== "linode" && settings.platform !== "aws")) return [];
    const admin = new Set(settings.adminCidrs);
    const beyond = platformExposure(settings, settings.platform).filter(
        (row) => !ownLogin.has(row.service) && row.sources.some((source) => source.kind === "cidr" && !admin.has(source.cidr)),
    );
    if (beyond.length === 0) return [];
    const where = [
        ...new Set(
            beyond.map(
                (row) =>
                    `${row.service} on the ${row.host} host (port ${row.port}, open to ${row.sources
                        .filter((s) => s.kind === "cidr" && !admin.has(s.cidr))
                        .map((s) => (s.kind === "cidr" ? s.cidr : ""))
                        .join(", ")})`,
            ),
        ),
    ];
    return [
        {
            key: "webAuth",
            value: false,
            message: `would leave without a password endpoints that networks beyond the stack's hosts and adminCidrs reach: ${where.join("; ")}`,
            fix: "pulumi config set webAuth true",
        },
    ];
}
