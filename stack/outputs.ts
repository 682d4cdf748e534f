import * as pulumi from "@pulumi/pulumi";

/**
 * The stack outputs, the same names on every platform, so that another stack can read them
 * without knowing where this one runs.
 */
export interface StackOutputs {
    readonly platform: string;
    readonly prometheusUrl: pulumi.Output<string>;
    readonly alertmanagerUrl: pulumi.Output<string>;
    /** The stack CA's certificate (PEM) that clients verify the endpoints with; empty when webTls is off. */
    readonly tlsCaCertificate: pulumi.Output<string>;
    /** The basic-auth user of Prometheus, Alertmanager and node_exporter; empty when webAuth is off. */
    readonly webUsername: pulumi.Output<string>;
    /** Secret: its password; empty when webAuth is off. */
    readonly webPassword: pulumi.Output<string>;
    /** Empty when Grafana is turned off. */
    readonly grafanaUrl: pulumi.Output<string>;
    /** uid of the Prometheus datasource in Grafana; empty when Grafana is turned off. */
    readonly grafanaDatasourceUid: pulumi.Output<string>;
    /** Dashboard URLs by short name (node-exporter-full, flask-app); empty when Grafana is turned off. */
    readonly dashboardUrls: pulumi.Output<Record<string, string>>;
    /** Secret; empty when Grafana is turned off. */
    readonly grafanaAdminPassword: pulumi.Output<string>;
    readonly flaskAppUrl: pulumi.Output<string>;
    readonly monitoringPublicIp: pulumi.Output<string>;
    readonly monitoringPrivateIp: pulumi.Output<string>;
    readonly appPublicIp: pulumi.Output<string>;
    readonly appPrivateIp: pulumi.Output<string>;
    readonly monitoringInstanceId: pulumi.Output<string>;
    readonly appInstanceId: pulumi.Output<string>;
    /** Instance id by role (monitoring, app, and grafana on aws). */
    readonly instanceIds: pulumi.Output<Record<string, string>>;
    /** Id of what guards each role's network: Linode firewall ids, AWS security group ids. */
    readonly networkPolicyIds: pulumi.Output<Record<string, string>>;
    /** Thanos Query's URL (PromQL over the bucket and Prometheus, secured as Prometheus); empty when thanos is off. */
    readonly thanosQueryUrl: pulumi.Output<string>;
    /** The bucket Thanos keeps the metrics in; empty when thanos is off. */
    readonly metricsBucket: pulumi.Output<string>;
    /** The log store's URL (LogsQL search, ingestion; secured as Prometheus); empty when logs is off. */
    readonly logStoreUrl: pulumi.Output<string>;
    /** vmalert's URL (the log rules, their last evaluation, the alerts on log lines); empty when logs is off. */
    readonly logAlertsUrl: pulumi.Output<string>;
    /** The bucket CloudWatch Logs exports into for npm run import-logs; empty unless logsExportBucket is set (aws). */
    readonly logExportBucket: pulumi.Output<string>;
}
