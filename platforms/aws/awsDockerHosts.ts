import { legacyAwsType } from "../../stack/legacyAliases";
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { remote } from "@pulumi/command";
import type { EgressRule, Exposure, HostRole } from "../../network/exposure";
import { MonitoringSecurityGroups } from "./monitoringSecurityGroups";
import { readConfigFile, RemoteHost, SshAuth, sshAuthFields, waitForHost } from "../../remote/remoteHost";
import { RemoteService } from "../../remote/remoteService";
import { installDocker } from "../../runtimes/runtime";
import type { RoleStatements } from "./instanceRoles";

/** The three roles of guide 003, in the order their instances are declared. */
export const awsRoles: readonly HostRole[] = ["app", "monitoring", "grafana"];

/** Arguments of {@link AwsDockerHosts}. */
export interface AwsDockerHostsArgs {
    /** <labelPrefix>-<stack>: names of groups, keys, roles and instances. */
    readonly namePrefix: string;
    /** Tags of every resource, the stack's among them; the role is added per instance. */
    readonly tags: Readonly<Record<string, string>>;
    readonly ami: pulumi.Input<string>;
    readonly vpcId: pulumi.Input<string>;
    /** The VPC's network: where instances found by tag may be. */
    readonly vpcCidr?: pulumi.Input<string>;
    readonly subnetId: pulumi.Input<string>;
    readonly instanceTypes: Readonly<Record<"app" | "monitoring" | "grafana", string>>;
    readonly rootVolumeSizeGb: number;
    /** Size of the EBS volume for the Prometheus data. */
    readonly dataVolumeSizeGb: number;
    /** OpenSSH public keys; the first becomes the EC2 key pair, all are authorized for root. */
    readonly sshPublicKeys: readonly string[];
    readonly sshAuth: SshAuth;
    readonly ingress: readonly Exposure[];
    readonly egress: readonly EgressRule[];
    /** Each instance role's statements (instanceRoleStatements); an instance without any gets no role. */
    readonly roleStatements: Readonly<Record<HostRole, RoleStatements>>;
    /** The instances that run a Prometheus replica, the monitoring instance first: what waits for their roles. */
    readonly prometheusHosts: readonly HostRole[];
}

/**
 * An EC2 instance role with inline policies of one statement each, and its instance profile: the
 * role and profile named <namePrefix>-<role>, each policy <name>-<role>-<policyName>.
 */
function instanceRole(
    name: string,
    role: string,
    args: Pick<AwsDockerHostsArgs, "namePrefix" | "tags">,
    statements: Readonly<RoleStatements>,
    parent: pulumi.Resource,
): { role: aws.iam.Role; policies: aws.iam.RolePolicy[]; profile: aws.iam.InstanceProfile } {
    const iamRole = new aws.iam.Role(
        `${name}-${role}-role`,
        {
            name: `${args.namePrefix}-${role}`,
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
            }),
            tags: args.tags,
        },
        { parent },
    );
    const policies = Object.entries(statements).map(
        ([policyName, statement]) =>
            new aws.iam.RolePolicy(
                `${name}-${role}-${policyName}`,
                // A statement may name a resource created with the stack (its bucket's ARN).
                { role: iamRole.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: [statement] }) },
                { parent },
            ),
    );
    const profile = new aws.iam.InstanceProfile(
        `${name}-${role}-profile`,
        { name: `${args.namePrefix}-${role}`, role: iamRole.name, tags: args.tags },
        { parent },
    );
    return { role: iamRole, policies, profile };
}

/**
 * The hosts of guide 003: three Ubuntu 24.04 EC2 instances (app, prometheus, grafana) with Docker,
 * behind least-privilege security groups. IMDSv2 only, encrypted volumes, the Prometheus data on
 * its own EBS volume mounted on the prometheus instance, and an instance role allowing only
 * cloudwatch:PutMetricData when the app reports to CloudWatch. The services on them are the shared
 * composition's, in the docker runtime.
 */
export class AwsDockerHosts extends pulumi.ComponentResource {
    readonly securityGroups: MonitoringSecurityGroups;
    readonly keyPair: aws.ec2.KeyPair;
    readonly instances: Readonly<Record<string, aws.ec2.Instance>>;
    readonly dataVolume: aws.ebs.Volume;
    readonly hosts: Readonly<Record<string, RemoteHost>>;
    readonly appRole?: aws.iam.Role;
    readonly appPolicy?: aws.iam.RolePolicy;
    /** The Prometheus instance's role when it reads CloudWatch (the bridge) or finds instances by tag: those reads only. */
    readonly monitoringRole?: aws.iam.Role;
    readonly monitoringPolicies: aws.iam.RolePolicy[] = [];
    /** Docker's install step on each host, by role: what the docker runtime waits for. */
    readonly docker: Readonly<Record<string, RemoteService>>;
    /** The mounted data volume: Prometheus installs after it. */
    readonly dataMount: remote.Command;
    /** Where Prometheus keeps its data on the prometheus instance. */
    readonly dataDir = "/var/lib/prometheus";
    /** What the Flask app waits for: its instance profile and policy, when it has them. */
    readonly appDependsOn: pulumi.Resource[];
    /** What the services that use the Prometheus instance's role wait for (the bridge, discovery): its profile and policies. */
    readonly monitoringRoleDependsOn: pulumi.Resource[];
    /** The same for each instance with a Prometheus replica, by role (the monitoring instance's included). */
    readonly prometheusRoleDependsOn: Readonly<Record<string, pulumi.Resource[]>>;

    constructor(name: string, args: AwsDockerHostsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Deployed before the one service layer as monitoring:aws:AwsDockerMonitoring, with the services inside.
        super("monitoring:aws:AwsDockerHosts", name, {}, { ...opts, aliases: [...(opts?.aliases ?? []), pulumi.createUrn(name, legacyAwsType)] });
        const parent = { parent: this };
        this.securityGroups = new MonitoringSecurityGroups(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                vpcCidr: args.vpcCidr,
                namePrefix: args.namePrefix,
                roles: awsRoles,
                ingress: args.ingress,
                egress: args.egress,
                tags: args.tags,
            },
            parent,
        );
        this.keyPair = new aws.ec2.KeyPair(`${name}-key`, { keyName: args.namePrefix, publicKey: args.sshPublicKeys[0], tags: args.tags }, parent);

        const roles: Partial<Record<HostRole, ReturnType<typeof instanceRole>>> = {};
        for (const role of awsRoles) {
            if (Object.keys(args.roleStatements[role]).length > 0) roles[role] = instanceRole(name, role, args, args.roleStatements[role], this);
        }
        [this.appRole, this.appPolicy] = [roles.app?.role, roles.app?.policies[0]];
        [this.monitoringRole, this.monitoringPolicies] = [roles.monitoring?.role, roles.monitoring?.policies ?? []];

        // Root logs in with the configured keys, as on Linode, so the same scripts run unchanged.
        const userData = [
            "#cloud-config",
            "disable_root: false",
            "ssh_authorized_keys:",
            ...args.sshPublicKeys.map((key) => `  - ${JSON.stringify(key)}`),
            "",
        ].join("\n");
        const instances: Record<string, aws.ec2.Instance> = {};
        const hosts: Record<string, RemoteHost> = {};
        const ready: Record<string, pulumi.Resource> = {};
        for (const role of awsRoles) {
            const type = args.instanceTypes[role as "app" | "monitoring" | "grafana"];
            instances[role] = new aws.ec2.Instance(
                `${name}-${role}`,
                {
                    ami: args.ami,
                    instanceType: type,
                    subnetId: args.subnetId,
                    vpcSecurityGroupIds: [this.securityGroups.groups[role].id],
                    keyName: this.keyPair.keyName,
                    associatePublicIpAddress: true,
                    userData,
                    metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
                    rootBlockDevice: { encrypted: true, volumeType: "gp3", volumeSize: args.rootVolumeSizeGb, deleteOnTermination: true },
                    ...(roles[role] ? { iamInstanceProfile: roles[role].profile.name } : {}),
                    tags: { ...args.tags, Name: `${args.namePrefix}-${role}`, role },
                    volumeTags: { ...args.tags, role },
                },
                { parent: this, dependsOn: this.securityGroups.ingressRules },
            );
            const connection = { host: instances[role].publicIp, user: "root", ...sshAuthFields(args.sshAuth) };
            ready[role] = waitForHost(`${name}-${role}-ready`, connection, { parent: this, dependsOn: [instances[role], ...this.securityGroups.egressRules] });
            hosts[role] = { connection, ready: ready[role], privateIp: instances[role].privateIp, publicIp: instances[role].publicIp };
        }
        this.instances = instances;
        this.hosts = hosts;

        // Prometheus data: its own encrypted volume, kept when the instance is replaced.
        const monitoring = instances.monitoring;
        this.dataVolume = new aws.ebs.Volume(
            `${name}-prometheus-data`,
            {
                availabilityZone: monitoring.availabilityZone,
                size: args.dataVolumeSizeGb,
                type: "gp3",
                encrypted: true,
                tags: { ...args.tags, Name: `${args.namePrefix}-prometheus-data`, role: "monitoring" },
            },
            parent,
        );
        const attachment = new aws.ec2.VolumeAttachment(
            `${name}-prometheus-data-attachment`,
            { deviceName: "/dev/sdf", volumeId: this.dataVolume.id, instanceId: monitoring.id, stopInstanceBeforeDetaching: true },
            parent,
        );
        this.dataMount = new remote.Command(
            `${name}-mount-prometheus-data`,
            {
                connection: hosts.monitoring.connection,
                // Nitro instances name EBS volumes by their id, not by the requested device name.
                create: pulumi.interpolate`env DEVICE=/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${this.dataVolume.id.apply((id) => id.replace("-", ""))} MOUNTPOINT=${this.dataDir} bash -s`,
                stdin: readConfigFile("scripts/mount-volume.sh"),
            },
            { parent: this, dependsOn: [ready.monitoring, attachment] },
        );
        this.docker = Object.fromEntries(awsRoles.map((role) => [role, installDocker(`${name}-${role}-docker`, hosts[role], parent)]));
        const roleDependsOn = (role: HostRole): pulumi.Resource[] => (roles[role] ? [roles[role].profile, ...roles[role].policies] : []);
        this.appDependsOn = roleDependsOn("app");
        this.monitoringRoleDependsOn = roleDependsOn("monitoring");
        this.prometheusRoleDependsOn = Object.fromEntries(args.prometheusHosts.map((role) => [role, roleDependsOn(role)]));
        this.registerOutputs({});
    }
}
