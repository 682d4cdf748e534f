import { ReceiverKind, receiverKinds } from "../../settings/choices";
import * as yaml from "js-yaml";

/**
 * The files alertmanager.yml reads its secrets from, relative to its directory (each a secret file
 * of its own), so that alertmanager.yml holds none and a preview shows its routes line by line.
 */
export const alertmanagerSecretFiles = {
    smtpPassword: "secrets/smtp.password",
    slackWebhookUrl: "secrets/slack.url",
    webhookUrl: "secrets/webhook.url",
    pagerdutyRoutingKey: "secrets/pagerduty.key",
    heartbeatWebhookUrl: "secrets/heartbeat.url",
} as const;

/** SMTP delivery of alert email, as the guide sets it up. */
export interface EmailReceiverInput {
    /** host:port of the SMTP server. */
    readonly smarthost: string;
    readonly from: string;
    readonly to: string;
    /** Empty means no SMTP authentication. */
    readonly username: string;
    /** The file holding the SMTP password (with a username). */
    readonly passwordFile: string;
    readonly requireTls: boolean;
}

/** Everything alertmanager.yml depends on. Secrets are not in it: each is named by the path of its file. */
export interface AlertmanagerConfigInput {
    readonly email?: EmailReceiverInput;
    readonly slack?: { readonly webhookUrlFile: string; readonly channel: string };
    readonly webhook?: { readonly urlFile: string };
    readonly pagerduty?: { readonly routingKeyFile: string };
    /** Dead man's switch: Watchdog is sent here every minute; undefined means it is dropped. */
    readonly heartbeat?: { readonly urlFile: string };
    /** Channels of critical alerts; empty means every configured channel. */
    readonly criticalReceivers?: readonly ReceiverKind[];
    /** Channels of warnings; empty means every configured channel but PagerDuty. */
    readonly warningReceivers?: readonly ReceiverKind[];
    /** group_wait, group_interval and repeat_interval; defaults 30s, 5m, 4h. */
    readonly timing?: { readonly groupWait: string; readonly groupInterval: string; readonly repeatInterval: string };
}

/** The channels that are configured in `input`. */
export function configuredReceivers(input: AlertmanagerConfigInput): ReceiverKind[] {
    return receiverKinds.filter((kind) => input[kind] !== undefined);
}

function channelConfigs(input: AlertmanagerConfigInput, kinds: readonly ReceiverKind[], sendResolved = true): Record<string, unknown> {
    const configs: Record<string, unknown> = {};
    for (const kind of kinds) {
        switch (kind) {
            case "email":
                configs.email_configs = [{ to: input.email!.to, send_resolved: sendResolved }];
                break;
            case "slack":
                configs.slack_configs = [
                    {
                        api_url_file: input.slack!.webhookUrlFile,
                        channel: input.slack!.channel,
                        send_resolved: sendResolved,
                        title: "[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .Alerts | len }})",
                        text: "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ end }}",
                    },
                ];
                break;
            case "webhook":
                configs.webhook_configs = [{ url_file: input.webhook!.urlFile, send_resolved: sendResolved }];
                break;
            case "pagerduty":
                configs.pagerduty_configs = [{ routing_key_file: input.pagerduty!.routingKeyFile, send_resolved: sendResolved }];
                break;
            default: {
                const unknown: never = kind;
                throw new Error(`unknown receiver ${String(unknown)}`);
            }
        }
    }
    return configs;
}

/**
 * Renders alertmanager.yml: alerts grouped by alertname and instance, critical alerts to the
 * critical channels, everything else to the warning channels, a critical alert silencing the
 * warnings of its instance, and Watchdog to its own heartbeat route. Two labels a rule may set
 * (the CloudWatch alarm translator does, from the alarm's actions): notify="none" routes to no
 * receiver (the alert stays visible in Alertmanager), notify_resolved="false" to the same channels
 * without the resolved notification. Deterministic.
 */
export function renderAlertmanagerConfig(input: AlertmanagerConfigInput): string {
    const configured = configuredReceivers(input);
    for (const kind of [...(input.criticalReceivers ?? []), ...(input.warningReceivers ?? [])]) {
        if (!configured.includes(kind)) {
            throw new Error(`receiver "${kind}" is routed to but not configured`);
        }
    }
    const critical = input.criticalReceivers && input.criticalReceivers.length > 0 ? input.criticalReceivers : configured;
    const warning = input.warningReceivers && input.warningReceivers.length > 0 ? input.warningReceivers : configured.filter((k) => k !== "pagerduty");
    const email = input.email;
    const global = {
        resolve_timeout: "5m",
        ...(email
            ? {
                  smtp_smarthost: email.smarthost,
                  smtp_from: email.from,
                  smtp_require_tls: email.requireTls,
                  ...(email.username !== "" ? { smtp_auth_username: email.username, smtp_auth_password_file: email.passwordFile } : {}),
              }
            : {}),
    };
    const heartbeat = input.heartbeat ? "heartbeat" : "null";
    const config = {
        global,
        route: {
            receiver: "warning",
            group_by: ["alertname", "instance"],
            group_wait: input.timing?.groupWait ?? "30s",
            group_interval: input.timing?.groupInterval ?? "5m",
            repeat_interval: input.timing?.repeatInterval ?? "4h",
            routes: [
                { receiver: heartbeat, matchers: ['alertname="Watchdog"'], group_wait: "0s", group_interval: "1m", repeat_interval: "1m" },
                { receiver: "muted", matchers: ['notify="none"'] },
                { receiver: "critical-firing-only", matchers: ['severity="critical"', 'notify_resolved="false"'] },
                { receiver: "warning-firing-only", matchers: ['notify_resolved="false"'] },
                { receiver: "critical", matchers: ['severity="critical"'] },
            ],
        },
        inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["instance"] }],
        receivers: [
            { name: "critical", ...channelConfigs(input, critical) },
            { name: "warning", ...channelConfigs(input, warning) },
            { name: "critical-firing-only", ...channelConfigs(input, critical, false) },
            { name: "warning-firing-only", ...channelConfigs(input, warning, false) },
            { name: "muted" },
            input.heartbeat ? { name: "heartbeat", webhook_configs: [{ url_file: input.heartbeat.urlFile, send_resolved: false }] } : { name: "null" },
        ],
    };
    return "# Rendered by the monitoring Pulumi program; changes here are overwritten.\n" + yaml.dump(config, { lineWidth: -1, noRefs: true });
}
