import * as pulumi from "@pulumi/pulumi";
import type { CloudwatchBridgeServiceArgs } from "../components/cloudwatchBridge/cloudwatchBridgeService";
import * as random from "@pulumi/random";
import { thanosPorts } from "../components/thanos/thanosConfig";
import type { FlaskAppServiceArgs } from "../components/flaskApp/flaskAppService";
import type { GrafanaServiceArgs } from "../components/grafana/grafanaService";
import type { MonitoringServicesArgs } from "./monitoringServices";
import type { AlertmanagerConfigInput } from "../components/alertmanager/alertmanagerConfig";
import type { AlertThresholds } from "../components/prometheus/alertRules";
import type { PrometheusFilesOptions } from "../components/prometheus/prometheusFiles";
import type { ReleaseDownload } from "../runtimes/releaseDownload";
import type { Settings } from "../settings/settings";
import type { ReleaseName } from "../settings/declarations";
import type { ExposureInput, HostRole } from "../network/exposure";

/** The alert rule thresholds of the settings. */
export function alertThresholdsFrom(settings: Settings): AlertThresholds {
    return {
        instanceDownFor: settings.alertInstanceDownFor,
        targetsMissingFor: settings.alertTargetsMissingFor,
        cpuUserRatio: settings.alertCpuUserRatio,
        cpuFor: settings.alertCpuFor,
        memoryAvailableRatio: settings.alertMemoryAvailableRatio,
        memoryFor: settings.alertMemoryFor,
        diskFillWarningHours: settings.alertDiskFillWarningHours,
        diskFillCriticalHours: settings.alertDiskFillCriticalHours,
        inodesFreeRatio: settings.alertInodesFreeRatio,
        clockOffsetSeconds: settings.alertClockOffsetSeconds,
        diskIoUtilization: settings.alertDiskIoUtilization,
        diskIoFor: settings.alertDiskIoFor,
        appLatencyAvgSeconds: settings.alertAppLatencyAvgSeconds,
        appLatencyP95Seconds: settings.alertAppLatencyP95Seconds,
        appLatencyFor: settings.alertAppLatencyFor,
        appErrorRatio: settings.alertAppErrorRatio,
        appErrorFor: settings.alertAppErrorFor,
        appNoTrafficFor: settings.alertAppNoTrafficFor,
        runbookBaseUrl: settings.runbookBaseUrl,
    };
}

/** Alertmanager's receivers and routing from the settings, secrets included (so a secret Output). */
export function alertmanagerConfigFrom(settings: Settings): pulumi.Output<AlertmanagerConfigInput> {
    const s = settings.secrets;
    return pulumi
        .all([s.smtpPassword ?? "", s.slackWebhookUrl ?? "", s.webhookUrl ?? "", s.pagerdutyRoutingKey ?? "", s.heartbeatWebhookUrl ?? ""])
        .apply(([smtpPassword, slackWebhookUrl, webhookUrl, pagerdutyRoutingKey, heartbeatWebhookUrl]) => ({
            ...(settings.smtpSmarthost !== ""
                ? {
                      email: {
                          smarthost: settings.smtpSmarthost,
                          from: settings.smtpFrom,
                          to: settings.smtpTo,
                          username: settings.smtpUsername,
                          password: smtpPassword,
                          requireTls: settings.smtpRequireTls,
                      },
                  }
                : {}),
            ...(slackWebhookUrl !== "" ? { slack: { webhookUrl: slackWebhookUrl, channel: settings.slackChannel } } : {}),
            ...(webhookUrl !== "" ? { webhook: { url: webhookUrl } } : {}),
            ...(pagerdutyRoutingKey !== "" ? { pagerduty: { routingKey: pagerdutyRoutingKey } } : {}),
            ...(heartbeatWebhookUrl !== "" ? { heartbeat: { url: heartbeatWebhookUrl } } : {}),
            timing: { groupWait: settings.alertGroupWait, groupInterval: settings.alertGroupInterval, repeatInterval: settings.alertRepeatInterval },
            criticalReceivers: settings.criticalReceivers,
            warningReceivers: settings.warningReceivers,
        }));
}

/** A release a service pins, as its component takes it: where the tarball is and how it is verified, and the image of the docker runtime. */
export function releaseOf(settings: Settings, release: ReleaseName): { download: ReleaseDownload; imageRepository: string } {
    return {
        download: { version: settings[`${release}Version`], baseUrl: settings[`${release}DownloadBaseUrl`], sha256: settings[`${release}Sha256`] },
        imageRepository: settings[`${release}Image`],
    };
}

/** The CloudWatch bridge's settings: its release and image, the region, endpoint and poll interval. */
export function cloudwatchBridgeFrom(
    settings: Settings,
): Pick<CloudwatchBridgeServiceArgs, "download" | "imageRepository" | "region" | "endpoint" | "scrapingInterval"> {
    return {
        ...releaseOf(settings, "yace"),
        region: settings.cloudwatchBridgeRegion,
        endpoint: settings.cloudwatchBridgeEndpoint,
        scrapingInterval: settings.cloudwatchBridgeInterval,
    };
}

/** Prometheus's settings for MonitoringServices, with where its data lives. */
export function prometheusSettingsFrom(
    settings: Settings,
    data: { dataDir: string; dataDirIsMount: boolean; dependsOn?: pulumi.Input<pulumi.Resource>[] },
): MonitoringServicesArgs["prometheus"] {
    return {
        ...releaseOf(settings, "prometheus"),
        port: settings.prometheusPort,
        retentionTime: settings.prometheusRetentionTime,
        retentionSize: settings.prometheusRetentionSize,
        uploadsBlocks: settings.thanos,
        ...data,
    };
}

/** Whether the Flask app serves Prometheus metrics (appMetricsMode prometheus or both), so it is scraped and its rules and dashboard apply. */
export function flaskAppServesMetrics(settings: Pick<Settings, "appMetricsMode">): boolean {
    return settings.appMetricsMode !== "cloudwatch";
}

/** What prometheus.yml's globals and the rule files depend on. */
export function prometheusRulesFrom(settings: Settings, extraRules: Readonly<Record<string, string>>): PrometheusFilesOptions {
    return {
        scrapeInterval: settings.scrapeInterval,
        evaluationInterval: settings.evaluationInterval,
        thresholds: alertThresholdsFrom(settings),
        flaskAppMetrics: flaskAppServesMetrics(settings),
        extraRules,
    };
}

/** Alertmanager's release, image and port (its configuration is given separately). */
export function alertmanagerSettingsFrom(settings: Settings): Omit<MonitoringServicesArgs["alertmanager"], "config"> {
    return { ...releaseOf(settings, "alertmanager"), port: settings.alertmanagerPort };
}

/** node_exporter's release, image, port and collectors, the same on every host. */
export function nodeExporterSettingsFrom(settings: Settings): MonitoringServicesArgs["nodeExporter"] {
    return {
        ...releaseOf(settings, "nodeExporter"),
        port: settings.nodeExporterPort,
        collectors: settings.nodeExporterCollectors,
    };
}

/** Grafana's package or image and port from the settings (the password is given separately). */
export function grafanaSettingsFrom(settings: Settings): Omit<GrafanaServiceArgs, "host" | "runtime" | "security" | "adminPassword"> {
    return {
        version: settings.grafanaVersion,
        aptUrl: settings.grafanaAptUrl,
        aptKeyUrl: settings.grafanaAptKeyUrl,
        imageRepository: settings.grafanaImage,
        port: settings.grafanaPort,
    };
}

/** The Flask app as the settings describe it, with static AWS keys where the platform uses them. */
export function flaskAppFrom(settings: Settings): Omit<FlaskAppServiceArgs, "host"> {
    return {
        metricsMode: settings.appMetricsMode,
        port: settings.appPort,
        awsRegion: settings.appAwsRegion,
        awsAccessKeyId: settings.secrets.appAwsAccessKeyId,
        awsSecretAccessKey: settings.secrets.appAwsSecretAccessKey,
    };
}

/** Grafana's admin password: the grafanaAdminPassword setting, or a generated one; secret either way. */
export function grafanaAdminPasswordFrom(settings: Settings, name: string, opts?: pulumi.CustomResourceOptions): pulumi.Output<string> {
    return pulumi.secret(settings.secrets.grafanaAdminPassword ?? new random.RandomPassword(name, { length: 24, special: false }, opts).result);
}

/** Who may reach which port, as the settings say, with the hosts of the Alertmanager replicas (the monitoring host first). */
export function exposureInputFrom(settings: Settings, alertmanagerHosts: readonly HostRole[], prometheusHosts: readonly HostRole[]): ExposureInput {
    return {
        adminCidrs: settings.adminCidrs,
        viewerCidrs: settings.viewerCidrs,
        appCidrs: settings.appCidrs,
        grafanaEnabled: settings.grafanaEnabled,
        alertmanagerHosts,
        prometheusHosts,
        ports: {
            prometheus: settings.prometheusPort,
            alertmanager: settings.alertmanagerPort,
            alertmanagerCluster: settings.alertmanagerClusterPort,
            nodeExporter: settings.nodeExporterPort,
            grafana: settings.grafanaPort,
            app: settings.appPort,
            ...(settings.thanos ? { thanosQuery: settings.thanosQueryPort } : {}),
            ...(settings.thanos && prometheusHosts.length > 1 ? { thanosSidecarGrpc: thanosPorts.sidecarGrpc } : {}),
        },
    };
}
