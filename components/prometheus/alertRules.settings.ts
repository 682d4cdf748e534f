import { declareSettings } from "../../settings/declare";

/** The alert rules' thresholds and runbooks. */
export const alertRuleSettings = declareSettings({
    alertInstanceDownFor: { type: "string", default: "1m", description: "How long a target must be down before InstanceDown fires." },
    alertTargetsMissingFor: { type: "string", default: "10m", description: "How long a job may have fewer targets than deployed before TargetsMissing fires." },
    alertCpuUserRatio: { type: "string", default: "0.7", description: "User CPU share above which HighCPUUsage fires (the guide's 70%)." },
    alertCpuFor: { type: "string", default: "1m", description: "How long CPU must stay high before HighCPUUsage fires (the guide's 1m)." },
    alertMemoryAvailableRatio: { type: "string", default: "0.1", description: "Share of available memory below which HostMemoryPressure fires." },
    alertMemoryFor: { type: "string", default: "5m", description: "How long memory must stay low before HostMemoryPressure fires." },
    alertDiskFillWarningHours: {
        type: "integer",
        default: 24,
        description: "HostFilesystemFillingUp (warning) fires when a file system is predicted full within this many hours.",
    },
    alertDiskFillCriticalHours: {
        type: "integer",
        default: 4,
        description: "HostFilesystemFillingUpSoon (critical) fires when a file system is predicted full within this many hours.",
    },
    alertInodesFreeRatio: { type: "string", default: "0.05", description: "Share of free inodes below which HostInodesRunningOut fires." },
    alertClockOffsetSeconds: { type: "string", default: "0.05", description: "Clock offset in seconds above which HostClockNotSynchronising fires." },
    alertDiskIoUtilization: { type: "string", default: "0.9", description: "Share of time a disk is busy above which HostDiskIoSaturated fires." },
    alertDiskIoFor: { type: "string", default: "30m", description: "How long a disk must stay busy before HostDiskIoSaturated fires." },
    alertAppLatencyAvgSeconds: { type: "string", default: "0.5", description: "Average request latency in seconds above which AppHighAverageLatency fires." },
    alertAppLatencyP95Seconds: { type: "string", default: "1", description: "p95 request latency in seconds above which AppHighP95Latency fires." },
    alertAppLatencyFor: { type: "string", default: "5m", description: "How long latency must stay high before the latency alerts fire." },
    alertAppErrorRatio: { type: "string", default: "0.05", description: "Share of 5xx responses above which AppHighErrorRatio fires." },
    alertAppErrorFor: { type: "string", default: "5m", description: "How long the error ratio must stay high before AppHighErrorRatio fires." },
    alertAppNoTrafficFor: { type: "string", default: "30m", description: "How long the app may be up without requests before AppNoTraffic fires." },
    runbookBaseUrl: {
        type: "string",
        default: "docs/runbooks.md",
        description: "Where the runbooks are; each alert's runbook_url is <base>#<alert name in lower case>. Set it to where you publish docs/runbooks.md.",
    },
});
