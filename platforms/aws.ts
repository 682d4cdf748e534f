import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AwsDockerMonitoring } from "../components/awsDockerMonitoring";
import { DashboardSpec, GrafanaContent } from "../components/grafanaContent";
import { awsEgress, awsExposure } from "../policy/exposure";
import type { Settings } from "../settings/settings";
import type { ScrapeJob } from "../settings/formats";
import { alertmanagerConfigFrom, alertThresholdsFrom, grafanaAdminPasswordFrom } from "./monitoringInputs";
import type { StackOutputs } from "./outputs";

/** Canonical's AWS account, owner of the official Ubuntu images. */
export const canonicalOwnerId = "099720109477";
/** Name pattern of Ubuntu 24.04 (noble) amd64 server images on gp3. */
export const ubuntuNobleAmiPattern = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*";

/** What the AWS platform takes besides the settings. */
export interface AwsInputs {
    readonly sshPrivateKey: pulumi.Input<string>;
    readonly extraRules: Readonly<Record<string, string>>;
    readonly dashboards: Readonly<Record<string, DashboardSpec>>;
    /** Static scrape jobs: extraScrapeTargets and the jobs other stacks register. */
    readonly scrapeJobs: readonly ScrapeJob[];
}

/** The AMI: the pinned one, or the newest Canonical Ubuntu 24.04 amd64 image. */
export function resolveAmi(settings: Pick<Settings, "awsAmiId">): pulumi.Input<string> {
    if (settings.awsAmiId !== "") {
        return settings.awsAmiId;
    }
    return aws.ec2
        .getAmiOutput({
            owners: [canonicalOwnerId],
            mostRecent: true,
            filters: [
                { name: "name", values: [ubuntuNobleAmiPattern] },
                { name: "virtualization-type", values: ["hvm"] },
            ],
        })
        .apply((ami) => ami.id);
}

/** VPC and subnet: from settings, the subnet's VPC, or the default VPC and one of its default subnets. */
export function resolveNetwork(settings: Pick<Settings, "awsVpcId" | "awsSubnetId">): { vpcId: pulumi.Input<string>; subnetId: pulumi.Input<string> } {
    if (settings.awsSubnetId !== "") {
        return {
            subnetId: settings.awsSubnetId,
            vpcId: settings.awsVpcId !== "" ? settings.awsVpcId : aws.ec2.getSubnetOutput({ id: settings.awsSubnetId }).apply((s) => s.vpcId),
        };
    }
    const useDefault = settings.awsVpcId === "";
    const vpcId = useDefault ? aws.ec2.getVpcOutput({ default: true }).apply((v) => v.id) : pulumi.output(settings.awsVpcId);
    const subnetId = vpcId.apply((id) =>
        aws.ec2
            .getSubnetsOutput({ filters: [{ name: "vpc-id", values: [id] }, ...(useDefault ? [{ name: "default-for-az", values: ["true"] }] : [])] })
            .apply((subnets) => {
                const sorted = [...subnets.ids].sort();
                if (sorted.length === 0) {
                    throw new Error(`VPC ${id} has no subnet to put the instances in; set awsSubnetId`);
                }
                return sorted[0];
            }),
    );
    return { vpcId, subnetId };
}

/**
 * The AWS layout of guide 003: three EC2 instances running the stack in Docker, the Flask app on
 * the app instance, Grafana's content through the provider. Outputs carry the same names as on
 * Linode, the "monitoring" host being the Prometheus instance.
 */
export function deployAws(settings: Settings, inputs: AwsInputs): StackOutputs {
    const namePrefix = `${settings.labelPrefix}-${settings.stack}`;
    const tags: Record<string, string> = { stack: settings.stack, project: "monitoring", ...Object.fromEntries(settings.tags.map((t) => [t, "true"])) };
    const ports = {
        prometheus: settings.prometheusPort,
        alertmanager: settings.alertmanagerPort,
        nodeExporter: settings.nodeExporterPort,
        grafana: settings.grafanaPort,
        app: settings.appPort,
    };
    const exposureInput = {
        adminCidrs: settings.adminCidrs,
        viewerCidrs: settings.viewerCidrs,
        appCidrs: settings.appCidrs,
        grafanaEnabled: settings.grafanaEnabled,
        ports,
    };
    const smtpPort = settings.smtpSmarthost === "" ? undefined : Number(settings.smtpSmarthost.slice(settings.smtpSmarthost.lastIndexOf(":") + 1));
    const network = resolveNetwork(settings);
    const grafanaAdminPassword = settings.grafanaEnabled ? grafanaAdminPasswordFrom(settings, "grafana-admin-password") : undefined;
    const flaskAppMetrics = settings.appMetricsMode !== "cloudwatch";

    const stack = new AwsDockerMonitoring("aws", {
        namePrefix,
        tags,
        ami: resolveAmi(settings),
        vpcId: network.vpcId,
        subnetId: network.subnetId,
        instanceTypes: { app: settings.awsAppInstanceType, monitoring: settings.awsPrometheusInstanceType, grafana: settings.awsGrafanaInstanceType },
        rootVolumeSizeGb: settings.awsRootVolumeSizeGb,
        dataVolumeSizeGb: settings.prometheusVolumeSizeGb,
        sshPublicKeys: settings.sshPublicKeys,
        sshPrivateKey: inputs.sshPrivateKey,
        ingress: awsExposure(exposureInput).filter((rule) => settings.grafanaEnabled || rule.service !== "grafana"),
        egress: awsEgress({ ports, smtpPort }),
        images: {
            prometheus: settings.dockerPrometheusImage,
            alertmanager: settings.dockerAlertmanagerImage,
            nodeExporter: settings.dockerNodeExporterImage,
            grafana: settings.dockerGrafanaImage,
        },
        ports,
        nodeExporterCollectors: settings.nodeExporterCollectors,
        prometheus: {
            retentionTime: settings.prometheusRetentionTime,
            retentionSize: settings.prometheusRetentionSize,
            extraJobs: inputs.scrapeJobs,
            files: {
                scrapeInterval: settings.scrapeInterval,
                evaluationInterval: settings.evaluationInterval,
                thresholds: alertThresholdsFrom(settings),
                flaskAppMetrics,
                extraRules: inputs.extraRules,
            },
        },
        alertmanagerConfig: alertmanagerConfigFrom(settings),
        grafanaAdminPassword,
        app: { metricsMode: settings.appMetricsMode, port: settings.appPort, awsRegion: settings.appAwsRegion },
    });

    const prometheus = stack.instances.monitoring;
    const grafanaHost = stack.instances.grafana;
    const grafanaUrl = pulumi.interpolate`http://${grafanaHost.publicIp}:${settings.grafanaPort}`;
    const content =
        stack.grafana && grafanaAdminPassword
            ? new GrafanaContent("grafana-content", {
                  url: grafanaUrl,
                  adminPassword: grafanaAdminPassword,
                  host: { connection: stack.hosts.grafana.connection, port: settings.grafanaPort },
                  dependsOn: [stack.grafana.service.installCommand],
                  datasource: {
                      uid: settings.grafanaDatasourceUid,
                      // Grafana reaches Prometheus over the VPC, as in the guide.
                      url: settings.grafanaDatasourceUrl || pulumi.interpolate`http://${prometheus.privateIp}:${settings.prometheusPort}`,
                      scrapeInterval: settings.scrapeInterval,
                  },
                  folderTitle: settings.grafanaFolder,
                  dashboards: inputs.dashboards,
              })
            : undefined;
    const ids = (record: Readonly<Record<string, { id: pulumi.Output<string> }>>) =>
        pulumi.all(Object.fromEntries(Object.entries(record).map(([role, r]) => [role, r.id])));
    return {
        platform: "aws",
        prometheusUrl: pulumi.interpolate`http://${prometheus.publicIp}:${settings.prometheusPort}`,
        alertmanagerUrl: pulumi.interpolate`http://${prometheus.publicIp}:${settings.alertmanagerPort}`,
        grafanaUrl: content ? grafanaUrl : pulumi.output(""),
        grafanaDatasourceUid: content ? content.datasource.uid : pulumi.output(""),
        dashboardUrls: content ? content.dashboardUrls : pulumi.output<Record<string, string>>({}),
        grafanaAdminPassword: pulumi.secret(grafanaAdminPassword ?? pulumi.output("")),
        flaskAppUrl: pulumi.interpolate`http://${stack.instances.app.publicIp}:${settings.appPort}`,
        monitoringPublicIp: prometheus.publicIp,
        monitoringPrivateIp: prometheus.privateIp,
        appPublicIp: stack.instances.app.publicIp,
        appPrivateIp: stack.instances.app.privateIp,
        monitoringInstanceId: prometheus.id,
        appInstanceId: stack.instances.app.id,
        instanceIds: ids(stack.instances),
        networkPolicyIds: ids(stack.securityGroups.groups),
    };
}
