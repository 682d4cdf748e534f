import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { EgressRule, Exposure, HostRole } from "../../network/exposure";

/** Arguments of {@link MonitoringSecurityGroups}. */
export interface MonitoringSecurityGroupsArgs {
    readonly vpcId: pulumi.Input<string>;
    /** <prefix>-<role> names the groups. */
    readonly namePrefix: string;
    /** The roles that get a group. */
    readonly roles: readonly HostRole[];
    /** Who may reach which port (network/exposure.ts). */
    readonly ingress: readonly Exposure[];
    /** Where each role may connect to. */
    readonly egress: readonly EgressRule[];
    /** The VPC's network, for egress rules to any address of it. */
    readonly vpcCidr?: pulumi.Input<string>;
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * One security group per role, with every rule a separate SecurityGroupIngressRule or
 * SecurityGroupEgressRule (never inline). Host sources become references to the other group, so
 * the rules follow instances that are replaced. AWS's default allow-all egress is not kept: only
 * the listed egress exists.
 */
export class MonitoringSecurityGroups extends pulumi.ComponentResource {
    /** Group by role. */
    readonly groups: Readonly<Record<string, aws.ec2.SecurityGroup>>;
    readonly ingressRules: aws.vpc.SecurityGroupIngressRule[] = [];
    readonly egressRules: aws.vpc.SecurityGroupEgressRule[] = [];

    constructor(name: string, args: MonitoringSecurityGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:aws:MonitoringSecurityGroups", name, {}, opts);
        const groups: Record<string, aws.ec2.SecurityGroup> = {};
        for (const role of args.roles) {
            groups[role] = new aws.ec2.SecurityGroup(
                `${name}-${role}`,
                {
                    name: `${args.namePrefix}-${role}`,
                    description: `${role} hosts of ${args.namePrefix}`,
                    vpcId: args.vpcId,
                    tags: { ...args.tags, Name: `${args.namePrefix}-${role}`, role },
                },
                { parent: this },
            );
        }
        this.groups = groups;
        const target = (source: EgressRule["to"]) => {
            switch (source.kind) {
                case "host":
                    return { referencedSecurityGroupId: groups[source.role].id };
                case "vpc":
                    if (args.vpcCidr === undefined) throw new Error("internal error: an egress rule to the VPC needs vpcCidr; please report it");
                    return { cidrIpv4: args.vpcCidr };
                default:
                    return source.cidr.includes(":") ? { cidrIpv6: source.cidr } : { cidrIpv4: source.cidr };
            }
        };
        const label = (source: EgressRule["to"]) => (source.kind === "host" ? source.role : source.kind === "vpc" ? "vpc" : source.cidr.replace(/[/:.]/g, "-"));
        for (const rule of args.ingress) {
            for (const source of rule.sources) {
                this.ingressRules.push(
                    new aws.vpc.SecurityGroupIngressRule(
                        `${name}-${rule.host}-in-${rule.port}-from-${label(source)}`,
                        {
                            securityGroupId: groups[rule.host].id,
                            ipProtocol: "tcp",
                            fromPort: rule.port,
                            toPort: rule.port,
                            description: rule.service,
                            ...target(source),
                            tags: args.tags,
                        },
                        { parent: this },
                    ),
                );
            }
        }
        for (const rule of args.egress) {
            this.egressRules.push(
                new aws.vpc.SecurityGroupEgressRule(
                    `${name}-${rule.from}-out-${rule.protocol}-${rule.port}-to-${label(rule.to)}`,
                    {
                        securityGroupId: groups[rule.from].id,
                        ipProtocol: rule.protocol,
                        fromPort: rule.port,
                        toPort: rule.port,
                        description: rule.purpose,
                        ...target(rule.to),
                        tags: args.tags,
                    },
                    { parent: this },
                ),
            );
        }
        this.registerOutputs({ groupIds: pulumi.all(Object.fromEntries(Object.entries(groups).map(([role, g]) => [role, g.id]))) });
    }
}
