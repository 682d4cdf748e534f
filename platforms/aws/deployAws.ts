import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { AwsDockerHosts } from "./awsDockerHosts";
import { instanceRoleStatements } from "./instanceRoles";
import { AwsMetricsBucket } from "../../components/thanos/awsMetricsBucket";
import { AwsLogExportBucket } from "../../components/victoriaLogs/awsLogExportBucket";
import { NodeDiscovery, parseEc2Tag } from "../../components/prometheus/nodeDiscovery";
import { docker } from "../../runtimes/runtime";
import { replicaHosts } from "../../stack/placementPlan";
import { awsEgress } from "../../network/exposure";
import { awsExposure } from "../../stack/exposureTables";
import type { Settings } from "../../settings/settings";
import { deployMonitoringStack } from "../../stack/monitoringStack";
import { ProgramInputs } from "../../stack/layout";
import { exposureInputFrom } from "../../stack/serviceArgs";
import type { StackOutputs } from "../../stack/outputs";

/** Canonical's AWS account, owner of the official Ubuntu images. */
export const canonicalOwnerId = "099720109477";
/** Name pattern of Ubuntu 24.04 (noble) amd64 server images on gp3. */
export const ubuntuNobleAmiPattern = "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*";

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
export function deployAws(settings: Settings, inputs: ProgramInputs): StackOutputs {
    const namePrefix = `${settings.labelPrefix}-${settings.stack}`;
    const tags: Record<string, string> = { stack: settings.stack, project: "monitoring", ...Object.fromEntries(settings.tags.map((t) => [t, "true"])) };
    // The replicas' hosts as the placement plan puts them, so the security groups and roles open what the services need.
    const alertmanagerHosts = replicaHosts({ platform: "aws", separateGrafana: true }, settings.alertmanagerReplicas);
    const prometheusHosts = replicaHosts({ platform: "aws", separateGrafana: true }, settings.prometheusReplicas);
    const exposureInput = exposureInputFrom(settings, alertmanagerHosts, prometheusHosts);
    const ports = exposureInput.ports;
    const smtpPort = settings.smtpSmarthost === "" ? undefined : Number(settings.smtpSmarthost.slice(settings.smtpSmarthost.lastIndexOf(":") + 1));
    const network = resolveNetwork(settings);
    const discoversNodes = settings.nodeDiscoveryTag !== "";
    const metricsBucket = settings.thanos ? new AwsMetricsBucket("metrics-bucket", { namePrefix, existingBucket: settings.thanosBucket, tags }) : undefined;
    const logExportBucket = settings.logs && settings.logsExportBucket ? new AwsLogExportBucket("log-export-bucket", { namePrefix, tags }) : undefined;

    const stack = new AwsDockerHosts("aws", {
        namePrefix,
        tags,
        ami: resolveAmi(settings),
        vpcId: network.vpcId,
        ...(discoversNodes ? { vpcCidr: aws.ec2.getVpcOutput({ id: network.vpcId }).cidrBlock } : {}),
        subnetId: network.subnetId,
        instanceTypes: { app: settings.awsAppInstanceType, monitoring: settings.awsPrometheusInstanceType, grafana: settings.awsGrafanaInstanceType },
        rootVolumeSizeGb: settings.awsRootVolumeSizeGb,
        dataVolumeSizeGb: settings.prometheusVolumeSizeGb,
        sshPublicKeys: settings.sshPublicKeys,
        sshAuth: inputs.sshAuth,
        ingress: awsExposure(exposureInput).filter((rule) => settings.grafanaEnabled || rule.service !== "grafana"),
        egress: awsEgress({ ports, smtpPort, discoversNodes, alertmanagerHosts, prometheusHosts }),
        roleStatements: instanceRoleStatements({
            appReportsToCloudWatch: settings.appMetricsMode !== "prometheus",
            prometheusHosts,
            readsCloudWatch: settings.cloudwatchBridge,
            discoversInstances: discoversNodes,
            remoteWritesTo: settings.remoteWriteSignedByRole,
            thanosBucketArn: metricsBucket?.arn,
        }),
        prometheusHosts,
    });
    const discovery = discoversNodes
        ? pulumi
              .all([aws.getRegionOutput().region, ...Object.values(stack.instances).map((i) => i.id)])
              .apply(([region, ...ids]): NodeDiscovery => ({ provider: "ec2", region, ...parseEc2Tag(settings.nodeDiscoveryTag), excludeInstanceIds: ids }))
        : undefined;
    const placed = (role: "monitoring" | "app" | "grafana") => ({
        host: stack.hosts[role],
        runtime: docker(stack.docker[role].installCommand, { journal: settings.logs }),
    });
    const ids = (record: Readonly<Record<string, { id: pulumi.Output<string> }>>) =>
        pulumi.all(Object.fromEntries(Object.entries(record).map(([role, r]) => [role, r.id])));
    return deployMonitoringStack(
        settings,
        {
            platform: "aws",
            monitoring: placed("monitoring"),
            app: placed("app"),
            grafana: placed("grafana"),
            // With discovery or SigV4 by role, Prometheus starts once its role allows the calls.
            prometheusData: {
                dataDir: stack.dataDir,
                dataDirIsMount: true,
                dependsOn: [stack.dataMount, ...(discoversNodes ? stack.monitoringRoleDependsOn : [])],
            },
            discovery,
            ...(metricsBucket
                ? { thanosBucket: { bucket: metricsBucket.bucket, dependsOn: [...metricsBucket.dependsOn, ...stack.monitoringRoleDependsOn] } }
                : {}),
            ...(logExportBucket ? { logExportBucket: logExportBucket.bucket } : {}),
            appDependsOn: stack.appDependsOn,
            bridgeDependsOn: stack.monitoringRoleDependsOn,
            prometheusReplicaDependsOn: stack.prometheusRoleDependsOn,
            ids: {
                monitoringInstanceId: stack.instances.monitoring.id,
                appInstanceId: stack.instances.app.id,
                instanceIds: ids(stack.instances),
                networkPolicyIds: ids(stack.securityGroups.groups),
            },
        },
        inputs,
    );
}
