import { discoveredNodesJob } from "../../settings/choices";
// Prometheus's own service discovery of the machines a team tags for monitoring: the scrape job of
// prometheus.yml, the tag's forms per cloud, and the least privileges discovery needs. Pure.

/** The Linode API scopes linode_sd_configs needs: the instances, and their addresses (/networking/ips). */
export const linodeDiscoveryScopes = ["linodes:read_only", "ips:read_only"] as const;

/** The EC2 calls ec2_sd_configs makes: the instances, and the zone ids it labels them with. */
export const ec2DiscoveryIamActions = ["ec2:DescribeInstances", "ec2:DescribeAvailabilityZones"] as const;

/** Machines found by tag: on Linode with a read-only token, on EC2 with the instance's role. */
export type NodeDiscovery =
    | {
          readonly provider: "linode";
          /** The Linode tag, as the instances carry it. */
          readonly tag: string;
          /** A token with linodeDiscoveryScopes only (secret). */
          readonly token: string;
          /** The stack's own instances, which have their own targets. */
          readonly excludeInstanceIds: readonly string[];
      }
    | {
          readonly provider: "ec2";
          readonly region: string;
          /** The tag's key, and its value (undefined: any value). */
          readonly tagKey: string;
          readonly tagValue?: string;
          readonly excludeInstanceIds: readonly string[];
      };

/** The tag of setting nodeDiscoveryTag on EC2: Key=Value, or Key for any value. */
export function parseEc2Tag(text: string): { tagKey: string; tagValue?: string } {
    const at = text.indexOf("=");
    return at < 0 ? { tagKey: text } : { tagKey: text.slice(0, at), tagValue: text.slice(at + 1) };
}

/** A literal as an RE2 pattern (Prometheus's relabelling regexes are anchored RE2). */
function literal(text: string): string {
    return text.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}

/** Drops the stack's own instances, by cloud id, when it has any. */
function excluding(idLabel: string, ids: readonly string[]): object[] {
    return ids.length === 0 ? [] : [{ source_labels: [idLabel], regex: ids.map(literal).join("|"), action: "drop" }];
}

/**
 * The scrape job of the machines found by tag, scraped as the stack's own node_exporters are
 * (`client`: scheme, CA and credentials) at their private address, with `instance` set to the
 * machine's name (Linode label, EC2 Name tag) and `role` node.
 */
export function renderDiscoveryJob(discovery: NodeDiscovery, port: number, client: Record<string, unknown>): object {
    const role = { target_label: "role", replacement: "node" };
    if (discovery.provider === "linode") {
        return {
            job_name: discoveredNodesJob,
            ...client,
            linode_sd_configs: [{ authorization: { credentials: discovery.token }, port }],
            relabel_configs: [
                // Linode lists the tags between commas: ,web,monitored,
                { source_labels: ["__meta_linode_tags"], regex: `.*,${literal(discovery.tag)},.*`, action: "keep" },
                ...excluding("__meta_linode_instance_id", discovery.excludeInstanceIds),
                { source_labels: ["__meta_linode_private_ipv4"], regex: "(.+)", replacement: `\${1}:${port}`, target_label: "__address__" },
                { source_labels: ["__meta_linode_instance_label"], target_label: "instance" },
                role,
            ],
        };
    }
    return {
        job_name: discoveredNodesJob,
        ...client,
        ec2_sd_configs: [
            {
                region: discovery.region,
                port,
                filters: [
                    discovery.tagValue === undefined
                        ? { name: "tag-key", values: [discovery.tagKey] }
                        : { name: `tag:${discovery.tagKey}`, values: [discovery.tagValue] },
                    { name: "instance-state-name", values: ["running"] },
                ],
            },
        ],
        relabel_configs: [
            ...excluding("__meta_ec2_instance_id", discovery.excludeInstanceIds),
            // EC2's default address is the private one; the Name tag, when set, names the instance.
            { source_labels: ["__meta_ec2_tag_Name"], regex: "(.+)", target_label: "instance" },
            role,
        ],
    };
}
