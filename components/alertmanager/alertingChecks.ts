import { receiverKinds } from "../../settings/choices";
import {
    awsRegionPattern,
    durationPattern,
    durationSeconds,
    emailPattern,
    hostPortPattern,
    isBaseUrl,
    isIntegerIn,
    parseHost,
    urlPattern,
    portRangeNote,
    portsOutOfRange,
} from "../../settings/formats";
import { settingDefault } from "../../settings/schema";
import { checkAwsKeyPair, checkUnusedAwsKeyPair } from "../../settings/awsKeyPairs";
import { problemList, SettingProblem } from "../../settings/problems";
import { replicaRoles, Platform } from "../../settings/choices";
import { isPublicPlainHttp } from "../../network/privateEndpoints";
import type { SettingValues } from "../../settings/values";

/** Alert delivery and rules: receivers and their secrets, routing, timings and thresholds, runbooks. */
export function validateAlerting(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    const places = replicaRoles(
        v.platform as Platform,
        v.hosts.some((entry) => parseHost(entry)?.role === "grafana"),
    );
    const replicas = (key: "alertmanagerReplicas" | "prometheusReplicas", what: string, tlsNeededFor?: string) => {
        const value = v[key];
        if (!isIntegerIn(value, 1, places.length)) {
            problem(
                key,
                value,
                `must be 1 to ${places.length} on this layout: one ${what} per host (${places.join(", ")})`,
                `pulumi config set ${key} ${Math.min(Math.max(1, Math.trunc(value) || 1), places.length)}`,
            );
        } else if (value > 1 && tlsNeededFor && !v.webTls) {
            problem(
                key,
                value,
                `is above 1 but webTls is off: ${tlsNeededFor}, and webTls off means there are none`,
                `pulumi config set ${key} 1, or pulumi config set webTls true`,
            );
        }
    };
    replicas("alertmanagerReplicas", "Alertmanager", "the replicas gossip over mutual TLS with the stack's certificates");
    replicas(
        "prometheusReplicas",
        "Prometheus",
        v.thanos ? "with thanos, Thanos Query reaches each replica's sidecar over mutual TLS with the stack's certificates" : undefined,
    );
    if (v.smtpSmarthost !== "") {
        if (!hostPortPattern.test(v.smtpSmarthost) || portsOutOfRange(v.smtpSmarthost).length > 0) {
            problem(
                "smtpSmarthost",
                v.smtpSmarthost,
                `must be host:port${portRangeNote(v.smtpSmarthost)}`,
                "pulumi config set smtpSmarthost smtp.example.com:587",
            );
        }
        for (const key of ["smtpFrom", "smtpTo"] as const) {
            if (!emailPattern.test(v[key])) {
                problem(key, v[key], "must be an email address when smtpSmarthost is set", `pulumi config set ${key} alerts@example.com`);
            }
        }
        if (v.smtpUsername !== "" && v.smtpPassword === "") {
            problem("smtpPassword", "", "is empty while smtpUsername is set", "pulumi config set --secret smtpPassword <password>");
        }
        if (v.smtpUsername === "" && v.smtpPassword !== "") {
            problem(
                "smtpPassword",
                "(hidden)",
                "is set but smtpUsername is empty, so nothing would use it",
                "pulumi config set smtpUsername <user>, or pulumi config rm smtpPassword",
            );
        }
    } else {
        for (const key of ["smtpTo", "smtpUsername"] as const) {
            if (v[key] !== "") {
                problem(
                    key,
                    v[key],
                    "is set but smtpSmarthost is empty, so no mail would be sent",
                    `pulumi config set smtpSmarthost smtp.example.com:587, or pulumi config rm ${key}`,
                );
            }
        }
        if (v.smtpPassword !== "") {
            problem(
                "smtpPassword",
                "(hidden)",
                "is set but smtpSmarthost is empty, so nothing would use it",
                "pulumi config set smtpSmarthost smtp.example.com:587, or pulumi config rm smtpPassword",
            );
        }
    }

    for (const key of ["slackWebhookUrl", "webhookUrl", "heartbeatWebhookUrl"] as const) {
        if (v[key] !== "" && !urlPattern.test(v[key])) {
            problem(key, "(hidden)", "must be an http(s) URL", `pulumi config set --secret ${key} https://...`);
        }
    }
    if (
        v.slackWebhookUrl !== "" &&
        urlPattern.test(v.slackWebhookUrl) &&
        !/^https:\/\/hooks\.slack(-gov)?\.com\/(services|workflows|triggers)\/\S+$/.test(v.slackWebhookUrl)
    ) {
        problem(
            "slackWebhookUrl",
            "(hidden)",
            "is not a Slack incoming-webhook URL (https://hooks.slack.com/services/...)",
            "pulumi config set --secret slackWebhookUrl <the URL of the app's Incoming Webhooks page>",
        );
    }
    if (v.slackWebhookUrl !== "" && !/^[#@][\w.-]+$/.test(v.slackChannel)) {
        problem("slackChannel", v.slackChannel, "must be a channel (#name) or a user (@name)", "pulumi config set slackChannel '#alerts'");
    }
    if (v.pagerdutyRoutingKey !== "" && !/^[A-Za-z0-9]{32}$/.test(v.pagerdutyRoutingKey)) {
        problem(
            "pagerdutyRoutingKey",
            "(hidden)",
            "must be the 32-character routing key of a PagerDuty Events API v2 integration",
            "pulumi config set --secret pagerdutyRoutingKey <key>",
        );
    }
    const configured = new Set<string>([
        ...(v.smtpSmarthost !== "" ? ["email"] : []),
        ...(v.slackWebhookUrl !== "" ? ["slack"] : []),
        ...(v.webhookUrl !== "" ? ["webhook"] : []),
        ...(v.pagerdutyRoutingKey !== "" ? ["pagerduty"] : []),
    ]);
    // A receiver's secret that no route uses is a mistake: the alerts it was meant for go elsewhere.
    if (v.criticalReceivers.length > 0 && v.warningReceivers.length > 0) {
        const routed = new Set([...v.criticalReceivers, ...v.warningReceivers]);
        for (const [receiver, key] of [
            ["slack", "slackWebhookUrl"],
            ["webhook", "webhookUrl"],
            ["pagerduty", "pagerdutyRoutingKey"],
        ] as const) {
            if (v[key] !== "" && !routed.has(receiver)) {
                problem(
                    key,
                    "(hidden)",
                    `is set but neither criticalReceivers nor warningReceivers routes to ${receiver}`,
                    `pulumi config set --path 'criticalReceivers[${v.criticalReceivers.length}]' ${receiver}, or pulumi config rm ${key}`,
                );
            }
        }
    }
    for (const key of ["criticalReceivers", "warningReceivers"] as const) {
        v[key].forEach((receiver, i) => {
            if (!(receiverKinds as readonly string[]).includes(receiver)) {
                const usable = [...configured];
                problem(
                    `${key}[${i}]`,
                    receiver,
                    `is not a receiver; receivers are ${receiverKinds.join(", ")}`,
                    usable.length > 0 ? `pulumi config set --path '${key}[${i}]' ${usable[0]}` : `pulumi config rm --path '${key}[${i}]'`,
                );
            } else if (!configured.has(receiver)) {
                const setting = { email: "smtpSmarthost", slack: "slackWebhookUrl", webhook: "webhookUrl", pagerduty: "pagerdutyRoutingKey" }[
                    receiver as (typeof receiverKinds)[number]
                ];
                problem(
                    `${key}[${i}]`,
                    receiver,
                    `names a receiver that is not configured (${setting} is empty)`,
                    `set ${setting}, or remove ${receiver} from ${key}`,
                );
            }
        });
    }

    for (const key of [
        "alertGroupWait",
        "alertGroupInterval",
        "alertRepeatInterval",
        "alertInstanceDownFor",
        "alertTargetsMissingFor",
        "alertCpuFor",
        "alertMemoryFor",
        "alertDiskIoFor",
        "alertAppLatencyFor",
        "alertAppErrorFor",
        "alertAppNoTrafficFor",
    ] as const) {
        if (!durationPattern.test(v[key])) {
            problem(key, v[key], "is not a Prometheus duration such as 30s, 5m or 1h", `pulumi config set ${key} ${settingDefault(key)}`);
        } else if (durationSeconds(v[key]) === 0 && !["alertGroupWait", "alertInstanceDownFor", "alertTargetsMissingFor"].includes(key)) {
            // A wait of 0 is meaningful for the first notification and the "for" of an alert; an interval of 0 is not.
            problem(key, v[key], "is zero, which Alertmanager refuses", `pulumi config set ${key} ${settingDefault(key)}`);
        }
    }
    for (const key of ["alertCpuUserRatio", "alertMemoryAvailableRatio", "alertInodesFreeRatio", "alertDiskIoUtilization", "alertAppErrorRatio"] as const) {
        const ratio = Number(v[key]);
        if (!/^\d*\.?\d+$/.test(v[key]) || !(ratio > 0 && ratio <= 1)) {
            problem(key, v[key], `must be a ratio above 0 and at most 1, such as ${settingDefault(key)}`, `pulumi config set ${key} ${settingDefault(key)}`);
        }
    }
    for (const key of ["alertClockOffsetSeconds", "alertAppLatencyAvgSeconds", "alertAppLatencyP95Seconds"] as const) {
        if (!/^\d*\.?\d+$/.test(v[key]) || !(Number(v[key]) > 0)) {
            problem(key, v[key], `must be a positive number of seconds, such as ${settingDefault(key)}`, `pulumi config set ${key} ${settingDefault(key)}`);
        }
    }
    for (const key of ["alertDiskFillWarningHours", "alertDiskFillCriticalHours"] as const) {
        if (!isIntegerIn(v[key], 1, 24 * 30)) {
            problem(key, v[key], "must be a whole number of hours from 1 to 720", `pulumi config set ${key} ${settingDefault(key)}`);
        }
    }
    if (v.alertDiskFillCriticalHours >= v.alertDiskFillWarningHours) {
        problem(
            "alertDiskFillCriticalHours",
            v.alertDiskFillCriticalHours,
            `must be less than alertDiskFillWarningHours (${v.alertDiskFillWarningHours}), or the critical alert fires first`,
            "pulumi config set alertDiskFillCriticalHours 4",
        );
    }
    if (!/^[^\s#]+$/.test(v.runbookBaseUrl)) {
        problem(
            "runbookBaseUrl",
            v.runbookBaseUrl,
            "must be a URL or path without spaces or '#'",
            "pulumi config set runbookBaseUrl https://git.example.com/monitoring/blob/main/docs/runbooks.md",
        );
    }
    if (v.cloudwatchMappingFile !== "" && v.cloudwatchAlarmsFile === "" && v.cloudwatchDashboardsDir === "") {
        problem(
            "cloudwatchMappingFile",
            v.cloudwatchMappingFile,
            "is set but cloudwatchAlarmsFile and cloudwatchDashboardsDir are empty, so nothing is translated with it",
            "pulumi config set cloudwatchAlarmsFile <describe-alarms.json> (or cloudwatchDashboardsDir <dir>), or pulumi config rm cloudwatchMappingFile",
        );
    }
    if (v.cloudwatchDashboardsDir !== "" && !v.grafanaEnabled) {
        problem(
            "cloudwatchDashboardsDir",
            v.cloudwatchDashboardsDir,
            "is set but grafanaEnabled is false, so no dashboard is deployed",
            "pulumi config set grafanaEnabled true, or pulumi config rm cloudwatchDashboardsDir",
        );
    }
    for (const key of ["cloudwatchActionsFile", "cloudwatchMetricFiltersFile"] as const) {
        if (v[key] !== "" && v.cloudwatchAlarmsFile === "") {
            problem(
                key,
                v[key],
                "is set but cloudwatchAlarmsFile is empty, so no alarm is translated with it",
                `pulumi config set cloudwatchAlarmsFile <describe-alarms.json>, or pulumi config rm ${key}`,
            );
        }
    }
    if (v.cloudwatchMetricFiltersFile !== "" && !v.logs) {
        problem(
            "cloudwatchMetricFiltersFile",
            v.cloudwatchMetricFiltersFile,
            "makes the alarms on metric filters log rules, which count lines in the log store, and logs is off",
            "pulumi config set logs true (or pulumi config rm cloudwatchMetricFiltersFile)",
        );
    }
    if (v.cloudwatchBridge) {
        if (v.cloudwatchAlarmsFile === "" && v.cloudwatchDashboardsDir === "") {
            problem(
                "cloudwatchBridge",
                v.cloudwatchBridge,
                "is true but cloudwatchAlarmsFile and cloudwatchDashboardsDir are empty: the bridge reads the metrics of the translated alarms and dashboards",
                "pulumi config set cloudwatchAlarmsFile <describe-alarms.json> (or cloudwatchDashboardsDir <dir>), or pulumi config set cloudwatchBridge false",
            );
        }
        if (!awsRegionPattern.test(v.cloudwatchBridgeRegion)) {
            problem(
                "cloudwatchBridgeRegion",
                v.cloudwatchBridgeRegion,
                "is not an AWS region id",
                `pulumi config set cloudwatchBridgeRegion ${settingDefault("cloudwatchBridgeRegion")}`,
            );
        }
        if (v.cloudwatchBridgeEndpoint !== "" && !isBaseUrl(v.cloudwatchBridgeEndpoint)) {
            problem(
                "cloudwatchBridgeEndpoint",
                v.cloudwatchBridgeEndpoint,
                "must be an http(s) URL without a trailing slash, or empty for AWS's own endpoints",
                "pulumi config set cloudwatchBridgeEndpoint https://monitoring.us-east-1.amazonaws.com",
            );
        }
        if (isBaseUrl(v.cloudwatchBridgeEndpoint) && isPublicPlainHttp(v.cloudwatchBridgeEndpoint)) {
            problem(
                "cloudwatchBridgeEndpoint",
                v.cloudwatchBridgeEndpoint,
                "is plain HTTP to a public address; the bridge's requests carry AWS signatures and the answers are the metrics it alarms on. Plain HTTP is for an endpoint inside your network (a test double such as moto)",
                `pulumi config set cloudwatchBridgeEndpoint ${v.cloudwatchBridgeEndpoint.replace(/^http:/i, "https:")}`,
            );
        }
        if (!isIntegerIn(v.cloudwatchBridgeInterval, 10, 3600)) {
            problem(
                "cloudwatchBridgeInterval",
                v.cloudwatchBridgeInterval,
                "must be 10 to 3600 seconds",
                `pulumi config set cloudwatchBridgeInterval ${settingDefault("cloudwatchBridgeInterval")}`,
            );
        }
        checkAwsKeyPair(v, ["cloudwatchBridgeAccessKeyId", "cloudwatchBridgeSecretAccessKey"], problem, {
            role: "the Prometheus instance gets a role allowing only cloudwatch:GetMetricStatistics",
            required: `on ${v.platform}, where the bridge has no instance role`,
        });
    } else {
        checkUnusedAwsKeyPair(v, ["cloudwatchBridgeAccessKeyId", "cloudwatchBridgeSecretAccessKey"], problem, {
            off: "cloudwatchBridge is false",
            turnOn: "pulumi config set cloudwatchBridge true",
        });
    }
    return problems;
}
