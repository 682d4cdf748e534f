import { declareSettings } from "../settings/declare";

/** The CloudWatch alarms translated into rules and routes, and the dashboards into Grafana's. */
export const cloudwatchSettings = declareSettings({
    cloudwatchAlarmsFile: {
        type: "string",
        default: "",
        description: "Output of `aws cloudwatch describe-alarms` (JSON) to translate into Prometheus rules and deploy; empty means none.",
    },
    cloudwatchDashboardsDir: {
        type: "string",
        default: "",
        description:
            "Directory of CloudWatch dashboards (`aws cloudwatch get-dashboard` output, one JSON file each) to translate into Grafana dashboards and deploy beside the others, in the same folder; their metrics read through the alarms' mappings (cloudwatchMappingFile). Empty means none.",
    },
    cloudwatchMetricFiltersFile: {
        type: "string",
        default: "",
        description:
            "Output of `aws logs describe-metric-filters` (JSON) beside cloudwatchAlarmsFile: an alarm on a metric one of these filters publishes becomes a log rule that vmalert evaluates over the log store (needs logs); the mapping file's logGroup entries say where each log group's lines are. Empty means none.",
    },
    cloudwatchMappingFile: {
        type: "string",
        default: "",
        description:
            "YAML file of extra CloudWatch-metric-to-PromQL mappings for the alarm translator, and of log groups to LogsQL filters (logGroup, logsql) for the alarms on metric filters; empty means the built-in ones only.",
    },
    cloudwatchActionsFile: {
        type: "string",
        default: "",
        description:
            "YAML file mapping the alarms' SNS topic ARNs to severities (topics), the severity of unlisted topics (defaultSeverity) and whether alarms that notify nobody are muted (silentAlarms: mute or notify); empty means every topic warning, silent alarms muted.",
    },
});
