import { declareSettings, releaseSettings } from "../../settings/declare";

/** Alertmanager: its release, cluster, receivers and routing. */
export const alertmanagerSettings = declareSettings({
    alertmanagerPort: { type: "integer", default: 9093, description: "Port of Alertmanager.", port: true },
    ...releaseSettings("alertmanager", {
        name: "Alertmanager",
        version: "0.27.0",
        versionDescription: "Alertmanager release installed on the monitoring host.",
        downloadBaseUrl: "https://github.com/prometheus/alertmanager/releases/download",
        image: "prom/alertmanager",
    }),
    alertmanagerReplicas: {
        type: "integer",
        default: 1,
        description:
            "How many Alertmanagers run as one cluster (gossip over mutual TLS with the stack's certificates, so webTls must be on): the first on the monitoring host, then on the Grafana host where it has its own (aws, hosts), then on the app host. Prometheus sends every alert to each; the cluster notifies once. 1: a single Alertmanager.",
    },
    alertmanagerClusterPort: {
        type: "integer",
        default: 9094,
        description: "Port of the Alertmanager cluster's gossip (TCP) between the replicas; used when alertmanagerReplicas is above 1.",
        port: true,
    },
    smtpSmarthost: { type: "string", default: "", description: "SMTP server for alert email, host:port; empty means no email receiver." },
    smtpFrom: { type: "string", default: "", description: "Sender address of alert email." },
    smtpTo: { type: "string", default: "", description: "Recipient address of alert email." },
    smtpUsername: { type: "string", default: "", description: "SMTP user name; empty means no SMTP authentication." },
    smtpPassword: { type: "string", default: "", description: "SMTP password.", secret: true },
    smtpRequireTls: { type: "boolean", default: true, description: "Whether Alertmanager requires STARTTLS with the SMTP server." },
    slackWebhookUrl: { type: "string", default: "", description: "Slack incoming-webhook URL; empty means no Slack receiver.", secret: true },
    slackChannel: { type: "string", default: "#alerts", description: "Slack channel alerts are posted to." },
    webhookUrl: { type: "string", default: "", description: "URL that receives Alertmanager's generic webhook JSON; empty means none.", secret: true },
    pagerdutyRoutingKey: { type: "string", default: "", description: "PagerDuty Events API v2 routing key; empty means no PagerDuty receiver.", secret: true },
    heartbeatWebhookUrl: {
        type: "string",
        default: "",
        description: "Dead man's switch URL that gets the always-firing Watchdog alert every minute; empty means Watchdog is dropped.",
        secret: true,
    },
    criticalReceivers: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Receivers of critical alerts, of email, slack, webhook, pagerduty; empty means every configured one.",
    },
    warningReceivers: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Receivers of warnings; empty means every configured one except pagerduty.",
    },
    alertGroupWait: {
        type: "string",
        default: "30s",
        description: "How long Alertmanager waits to gather a new group's alerts before the first notification.",
    },
    alertGroupInterval: {
        type: "string",
        default: "5m",
        description: "How long Alertmanager waits before notifying about changes (new or resolved alerts) in a group.",
    },
    alertRepeatInterval: {
        type: "string",
        default: "4h",
        description: "How long Alertmanager waits before repeating a notification of a group that still fires.",
    },
});
