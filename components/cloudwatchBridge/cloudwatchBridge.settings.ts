import { declareSettings, releaseSettings } from "../../settings/declare";

/** The CloudWatch bridge (YACE) for the AWS metrics the translated alarms read. */
export const cloudwatchBridgeSettings = declareSettings({
    cloudwatchBridge: {
        type: "boolean",
        default: false,
        description:
            "Run the CloudWatch bridge (YACE) on the monitoring host while you move: it reads the CloudWatch metrics the translated alarms watch that have no Prometheus mapping (load balancers, RDS, SQS...), and Prometheus scrapes it. Needs cloudwatchAlarmsFile; turn it off once the move is done.",
    },
    cloudwatchBridgeRegion: { type: "string", default: "us-east-1", description: "AWS region the bridge reads CloudWatch in." },
    cloudwatchBridgeEndpoint: {
        type: "string",
        default: "",
        description: "AWS API endpoint the bridge calls instead of AWS's own (a VPC endpoint, or an emulator); empty means AWS's.",
    },
    cloudwatchBridgeInterval: {
        type: "integer",
        default: 300,
        description: "Seconds between the bridge's reads of CloudWatch (each reads every bridged metric once: the API cost in npm run cost), 10 to 3600.",
    },
    cloudwatchBridgeAccessKeyId: {
        type: "string",
        default: "",
        description:
            "AWS access key id the bridge reads CloudWatch with on linode and hosts (allow it cloudwatch:GetMetricStatistics only); on aws the Prometheus instance's role is used.",
        secret: true,
    },
    cloudwatchBridgeSecretAccessKey: { type: "string", default: "", description: "AWS secret access key of cloudwatchBridgeAccessKeyId.", secret: true },
    ...releaseSettings("yace", {
        name: "YACE",
        version: "0.62.1",
        versionDescription: "Release of YACE (yet-another-cloudwatch-exporter) the bridge runs.",
        downloadBaseUrl: "https://github.com/prometheus-community/yet-another-cloudwatch-exporter/releases/download",
        downloadBaseUrlDescription:
            "Base URL of YACE releases, same layout as prometheusDownloadBaseUrl (yet-another-cloudwatch-exporter-<version>.linux-<arch>.tar.gz).",
        image: "prometheuscommunity/yet-another-cloudwatch-exporter",
    }),
});
