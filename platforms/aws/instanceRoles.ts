import type * as pulumi from "@pulumi/pulumi";
import { bridgeIamActions } from "../../components/cloudwatchBridge/bridgeConfig";
import { ec2DiscoveryIamActions } from "../../components/prometheus/nodeDiscovery";
import { apsRemoteWriteAction, apsWorkspaceArn } from "../../components/prometheus/remoteWrite";
import { thanosBucketStatements } from "../../components/thanos/awsMetricsBucket";
import type { HostRole } from "../../network/exposure";

/** An IAM policy statement, by the name of the inline policy that holds it. */
export type RoleStatements = Record<string, Record<string, unknown>>;

/** What runs on the instances that needs AWS's APIs. */
export interface InstanceRoleInput {
    /** The Flask app reports to CloudWatch (on the app instance). */
    readonly appReportsToCloudWatch: boolean;
    /** The instances with a Prometheus replica, the first (the monitoring instance) first: each runs Prometheus, and the bridge when it is on. */
    readonly prometheusHosts: readonly HostRole[];
    /** The CloudWatch bridge runs beside each Prometheus replica. */
    readonly readsCloudWatch: boolean;
    /** Each Prometheus finds instances by tag. */
    readonly discoversInstances: boolean;
    /** Remote-write URLs each Prometheus signs with its role (Amazon Managed Service for Prometheus). */
    readonly remoteWritesTo: readonly string[];
    /** Thanos's bucket, when thanos is on: Store and Compact beside the first Prometheus, a sidecar beside each further one. */
    readonly thanosBucketArn?: pulumi.Input<string>;
}

/**
 * Each instance role's statements: what the services on that instance call, and nothing else. The
 * app's role allows cloudwatch:PutMetricData in the FlaskApp namespace; an instance with a
 * Prometheus replica gets the reads of discovery and the bridge and aps:RemoteWrite on the named
 * workspaces; Thanos's bucket may be managed (deleted from) only by the first Prometheus's
 * instance, where Compact runs, and only uploaded to by the others. An instance without any
 * statement gets no role.
 */
export function instanceRoleStatements(input: InstanceRoleInput): Record<HostRole, RoleStatements> {
    const prometheusStatements = (first: boolean): RoleStatements => ({
        ...(input.readsCloudWatch ? { "cloudwatch-read": { Effect: "Allow", Action: [...bridgeIamActions], Resource: "*" } } : {}),
        ...(input.discoversInstances ? { "ec2-discovery": { Effect: "Allow", Action: [...ec2DiscoveryIamActions], Resource: "*" } } : {}),
        ...(input.remoteWritesTo.length > 0
            ? {
                  "aps-remote-write": {
                      Effect: "Allow",
                      Action: apsRemoteWriteAction,
                      Resource: [...new Set(input.remoteWritesTo.map((url) => apsWorkspaceArn(url) ?? "*"))].sort(),
                  },
              }
            : {}),
        ...(input.thanosBucketArn !== undefined ? thanosBucketStatements(input.thanosBucketArn, first ? "manage" : "upload") : {}),
    });
    const statementsOf = (role: HostRole): RoleStatements => ({
        // The app reports to CloudWatch with an instance role, never with access keys.
        ...(role === "app" && input.appReportsToCloudWatch
            ? {
                  "put-metric-data": {
                      Effect: "Allow",
                      Action: "cloudwatch:PutMetricData",
                      Resource: "*",
                      Condition: { StringEquals: { "cloudwatch:namespace": "FlaskApp" } },
                  },
              }
            : {}),
        ...(input.prometheusHosts.includes(role) ? prometheusStatements(input.prometheusHosts[0] === role) : {}),
    });
    return { app: statementsOf("app"), monitoring: statementsOf("monitoring"), grafana: statementsOf("grafana") };
}
