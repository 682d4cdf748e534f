import { declareSettings } from "../settings/declare";

/** The CloudWatch alarms translated into rules and routes. */
export const cloudwatchSettings = declareSettings({
    cloudwatchAlarmsFile: {
        type: "string",
        default: "",
        description: "Output of `aws cloudwatch describe-alarms` (JSON) to translate into Prometheus rules and deploy; empty means none.",
    },
    cloudwatchMappingFile: {
        type: "string",
        default: "",
        description: "YAML file of extra CloudWatch-metric-to-PromQL mappings for the alarm translator; empty means the built-in ones only.",
    },
    cloudwatchActionsFile: {
        type: "string",
        default: "",
        description:
            "YAML file mapping the alarms' SNS topic ARNs to severities (topics), the severity of unlisted topics (defaultSeverity) and whether alarms that notify nobody are muted (silentAlarms: mute or notify); empty means every topic warning, silent alarms muted.",
    },
});
