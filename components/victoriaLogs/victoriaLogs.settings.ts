import { declareSettings, releaseSettings } from "../../settings/declare";

/** The log store: VictoriaLogs on the monitoring host. */
export const victoriaLogsSettings = declareSettings({
    logs: {
        type: "boolean",
        default: false,
        description:
            "Move the hosts' logs off CloudWatch Logs: VictoriaLogs, the log store, on the monitoring host (TLS and basic authentication as every endpoint, retention by time and by disk), and an OpenTelemetry Collector on every host shipping the Flask app's log file and the systemd journal to it.",
    },
    logsRetention: {
        type: "string",
        default: "30d",
        description:
            "How long VictoriaLogs keeps log lines: a number of days, weeks or years (30d, 12w, 1y), at least 1d. Older lines are dropped, and refused at ingestion.",
    },
    logsRetentionSize: {
        type: "string",
        default: "10GB",
        description:
            "The most disk VictoriaLogs may use (such as 10GB); past it, it drops its oldest days. Its data is on the monitoring host's system disk: on aws it must leave 8 GiB of awsRootVolumeSizeGb to the system, images and releases.",
    },
    logsExportBucket: {
        type: "boolean",
        default: false,
        platforms: ["aws"],
        description:
            "On aws, with logs: create an S3 bucket CloudWatch Logs may export log groups into (create-export-task), with the policy it needs, for npm run import-logs (stack output logExportBucket): private, encrypted, objects expiring after 90 days, kept by destroy.",
    },
    victoriaLogsPort: { type: "integer", default: 9428, description: "Port of VictoriaLogs (ingestion and queries, over HTTPS).", port: true },
    ...releaseSettings("victoriaLogs", {
        name: "VictoriaLogs",
        version: "1.52.2",
        versionDescription: "Release of VictoriaLogs the log store runs.",
        downloadBaseUrl: "https://github.com/VictoriaMetrics/VictoriaLogs/releases/download",
        downloadBaseUrlDescription:
            "Base URL of VictoriaLogs releases: <base>/v<version>/victoria-logs-linux-<arch>-v<version>.tar.gz beside victoria-logs-linux-<arch>-v<version>_checksums.txt, as upstream publishes them.",
        image: "victoriametrics/victoria-logs",
    }),
});
