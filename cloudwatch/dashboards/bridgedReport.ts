import type { BridgedMetric } from "../translateAlarms";

/** The CloudWatch metrics the dashboards read through the bridge (YACE), once each, for the report. */
export function bridgedReport(bridged: readonly BridgedMetric[]): string {
    const lines = [
        ...new Set(
            bridged.map(
                (m) =>
                    `  ${m.namespace} ${m.metric} ${m.statistic} every ${m.period}s${m.dimensions.length > 0 ? ` (${m.dimensions.map((d) => `${d.Name}=${d.Value}`).join(", ")})` : ""}`,
            ),
        ),
    ];
    if (lines.length === 0) return "";
    return [`the CloudWatch bridge reads ${lines.length} metric(s) for these dashboards (cloudwatchBridge true):`, ...lines].join("\n") + "\n";
}
