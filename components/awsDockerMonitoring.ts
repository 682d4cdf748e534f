import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { remote } from "@pulumi/command";
import type { AlertmanagerConfigInput } from "../configs/alertmanager";
import { renderAlertmanagerConfig } from "../configs/alertmanager";
import { alertmanagerContainer, grafanaContainer, nodeExporterContainer, prometheusContainer } from "../configs/containers";
import { PrometheusFilesOptions, prometheusRuleNames, renderPrometheusFiles } from "../configs/monitoringConfig";
import type { EgressRule, Exposure, HostRole } from "../policy/exposure";
import type { ScrapeJob } from "../settings/formats";
import { ContainerService } from "./containerService";
import { FlaskAppService, FlaskAppServiceArgs } from "./flaskAppService";
import { MonitoringSecurityGroups } from "./monitoringSecurityGroups";
import { readConfigFile, RemoteHost, waitForHost } from "./remoteHost";
import { RemoteService } from "./remoteService";

/** The three roles of guide 003, in the order their instances are declared. */
export const awsRoles: readonly HostRole[] = ["app", "monitoring", "grafana"];

/** Arguments of {@link AwsDockerMonitoring}. */
export interface AwsDockerMonitoringArgs {
    /** <labelPrefix>-<stack>: names of groups, keys, roles and instances. */
    readonly namePrefix: string;
    /** Tags of every resource, the stack's among them; the role is added per instance. */
    readonly tags: Readonly<Record<string, string>>;
    readonly ami: pulumi.Input<string>;
    readonly vpcId: pulumi.Input<string>;
    readonly subnetId: pulumi.Input<string>;
    readonly instanceTypes: Readonly<Record<"app" | "monitoring" | "grafana", string>>;
    readonly rootVolumeSizeGb: number;
    /** Size of the EBS volume for the Prometheus data. */
    readonly dataVolumeSizeGb: number;
    /** OpenSSH public keys; the first becomes the EC2 key pair, all are authorized for root. */
    readonly sshPublicKeys: readonly string[];
    readonly sshPrivateKey: pulumi.Input<string>;
    readonly ingress: readonly Exposure[];
    readonly egress: readonly EgressRule[];
    readonly images: Readonly<Record<"prometheus" | "alertmanager" | "nodeExporter" | "grafana", string>>;
    readonly ports: Readonly<Record<"prometheus" | "alertmanager" | "nodeExporter" | "grafana" | "app", number>>;
    /** node_exporter's optional collectors to enable (setting nodeExporterCollectors). */
    readonly nodeExporterCollectors: readonly string[];
    readonly prometheus: {
        readonly retentionTime: string;
        readonly retentionSize: string;
        readonly files: PrometheusFilesOptions;
        readonly extraJobs: readonly ScrapeJob[];
    };
    readonly alertmanagerConfig: pulumi.Input<AlertmanagerConfigInput>;
    /** Secret; undefined means no Grafana instance content (the container still runs only if enabled). */
    readonly grafanaAdminPassword?: pulumi.Input<string>;
    /** The Flask app, run as the same systemd service as on Linode. */
    readonly app: Omit<FlaskAppServiceArgs, "host" | "awsAccessKeyId" | "awsSecretAccessKey">;
}

/**
 * Guide 003 as code: three Ubuntu 24.04 EC2 instances (app, prometheus, grafana) running the
 * stack in Docker with pinned images, behind least-privilege security groups. IMDSv2 only,
 * encrypted volumes, the Prometheus data on its own EBS volume that outlives the instance, and an
 * instance role allowing only cloudwatch:PutMetricData when the app reports to CloudWatch.
 */
export class AwsDockerMonitoring extends pulumi.ComponentResource {
    readonly securityGroups: MonitoringSecurityGroups;
    readonly keyPair: aws.ec2.KeyPair;
    readonly instances: Readonly<Record<string, aws.ec2.Instance>>;
    readonly dataVolume: aws.ebs.Volume;
    readonly hosts: Readonly<Record<string, RemoteHost>>;
    readonly appRole?: aws.iam.Role;
    readonly appPolicy?: aws.iam.RolePolicy;
    readonly grafana?: ContainerService;

    constructor(name: string, args: AwsDockerMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:aws:AwsDockerMonitoring", name, {}, opts);
        const parent = { parent: this };
        this.securityGroups = new MonitoringSecurityGroups(
            `${name}-sg`,
            { vpcId: args.vpcId, namePrefix: args.namePrefix, roles: awsRoles, ingress: args.ingress, egress: args.egress, tags: args.tags },
            parent,
        );
        this.keyPair = new aws.ec2.KeyPair(`${name}-key`, { keyName: args.namePrefix, publicKey: args.sshPublicKeys[0], tags: args.tags }, parent);

        let appProfile: aws.iam.InstanceProfile | undefined;
        if (args.app.metricsMode !== "prometheus") {
            // The app reports to CloudWatch with an instance role, never with access keys.
            this.appRole = new aws.iam.Role(
                `${name}-app-role`,
                {
                    name: `${args.namePrefix}-app`,
                    assumeRolePolicy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
                    }),
                    tags: args.tags,
                },
                parent,
            );
            this.appPolicy = new aws.iam.RolePolicy(
                `${name}-app-put-metric-data`,
                {
                    role: this.appRole.id,
                    policy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Effect: "Allow",
                                Action: "cloudwatch:PutMetricData",
                                Resource: "*",
                                Condition: { StringEquals: { "cloudwatch:namespace": "FlaskApp" } },
                            },
                        ],
                    }),
                },
                parent,
            );
            appProfile = new aws.iam.InstanceProfile(
                `${name}-app-profile`,
                { name: `${args.namePrefix}-app`, role: this.appRole.name, tags: args.tags },
                parent,
            );
        }

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
                    ...(role === "app" && appProfile ? { iamInstanceProfile: appProfile.name } : {}),
                    tags: { ...args.tags, Name: `${args.namePrefix}-${role}`, role },
                    volumeTags: { ...args.tags, role },
                },
                { parent: this, dependsOn: this.securityGroups.ingressRules },
            );
            const connection = { host: instances[role].publicIp, user: "root", privateKey: pulumi.secret(args.sshPrivateKey) };
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
        const dataDir = "/var/lib/prometheus";
        const mount = new remote.Command(
            `${name}-mount-prometheus-data`,
            {
                connection: hosts.monitoring.connection,
                // Nitro instances name EBS volumes by their id, not by the requested device name.
                create: pulumi.interpolate`env DEVICE=/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${this.dataVolume.id.apply((id) => id.replace("-", ""))} MOUNTPOINT=${dataDir} bash -s`,
                stdin: readConfigFile("scripts/mount-volume.sh"),
            },
            { parent: this, dependsOn: [ready.monitoring, attachment] },
        );

        const docker: Record<string, RemoteService> = {};
        for (const role of awsRoles) {
            docker[role] = new RemoteService(
                `${name}-${role}-docker`,
                {
                    connection: hosts[role].connection,
                    hostReady: hosts[role].ready,
                    files: { "docker.install-docker.sh": readConfigFile("scripts/install-docker.sh") },
                    install: { script: "docker.install-docker.sh", reads: [], env: {} },
                },
                parent,
            );
            new ContainerService(
                `${name}-${role}-node-exporter`,
                {
                    host: hosts[role],
                    container: nodeExporterContainer({
                        image: args.images.nodeExporter,
                        port: args.ports.nodeExporter,
                        collectors: args.nodeExporterCollectors,
                    }),
                    dependsOn: [docker[role].installCommand],
                },
                parent,
            );
        }

        const files = pulumi.all([instances.app.privateIp, instances.grafana.privateIp]).apply(([appIp, grafanaIp]) =>
            renderPrometheusFiles(
                {
                    prometheus: `localhost:${args.ports.prometheus}`,
                    alertmanager: `localhost:${args.ports.alertmanager}`,
                    nodes: [
                        { address: `localhost:${args.ports.nodeExporter}`, labels: { role: "monitoring" } },
                        { address: `${appIp}:${args.ports.nodeExporter}`, labels: { role: "app" } },
                        { address: `${grafanaIp}:${args.ports.nodeExporter}`, labels: { role: "grafana" } },
                    ],
                    flaskApp: args.prometheus.files.flaskAppMetrics ? [{ address: `${appIp}:${args.ports.app}`, labels: { role: "app" } }] : [],
                    extraJobs: args.prometheus.extraJobs,
                },
                args.prometheus.files,
            ),
        );
        const ruleFiles = Object.fromEntries(
            prometheusRuleNames(args.prometheus.files).map((rule) => [`rules/${rule}.yml`, files.rules.apply((r) => r[rule])]),
        );
        new ContainerService(
            `${name}-prometheus`,
            {
                host: hosts.monitoring,
                container: prometheusContainer({
                    image: args.images.prometheus,
                    port: args.ports.prometheus,
                    retentionTime: args.prometheus.retentionTime,
                    retentionSize: args.prometheus.retentionSize,
                    dataDir,
                }),
                dependsOn: [docker.monitoring.installCommand, mount],
                config: {
                    dir: "/etc/prometheus",
                    files: { "prometheus.yml": files.config, ...ruleFiles },
                    main: "prometheus.yml",
                    check: "/bin/promtool check config",
                    managedDirs: ["rules"],
                    port: args.ports.prometheus,
                    reloadMetric: "prometheus_config_last_reload",
                },
            },
            parent,
        );
        new ContainerService(
            `${name}-alertmanager`,
            {
                host: hosts.monitoring,
                container: alertmanagerContainer({ image: args.images.alertmanager, port: args.ports.alertmanager }),
                dependsOn: [docker.monitoring.installCommand],
                config: {
                    dir: "/etc/alertmanager",
                    files: { "alertmanager.yml": pulumi.output(args.alertmanagerConfig).apply(renderAlertmanagerConfig) },
                    main: "alertmanager.yml",
                    check: "/bin/amtool check-config",
                    port: args.ports.alertmanager,
                    reloadMetric: "alertmanager_config_last_reload",
                },
            },
            parent,
        );
        if (args.grafanaAdminPassword !== undefined) {
            this.grafana = new ContainerService(
                `${name}-grafana`,
                {
                    host: hosts.grafana,
                    container: grafanaContainer({ image: args.images.grafana, port: args.ports.grafana }),
                    dependsOn: [docker.grafana.installCommand],
                    stdin: pulumi.secret(args.grafanaAdminPassword),
                },
                parent,
            );
        }
        new FlaskAppService(
            `${name}-flask-app`,
            { host: hosts.app, ...args.app },
            { parent: this, dependsOn: appProfile ? [appProfile, this.appPolicy!] : [] },
        );
        this.registerOutputs({});
    }
}
