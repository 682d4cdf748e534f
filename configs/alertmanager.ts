import * as yaml from "js-yaml";

/** SMTP delivery of alert email, as the guide sets it up. */
export interface EmailReceiverInput {
    /** host:port of the SMTP server. */
    readonly smarthost: string;
    readonly from: string;
    readonly to: string;
    /** Empty means no SMTP authentication. */
    readonly username: string;
    readonly password: string;
    readonly requireTls: boolean;
}

/** Everything alertmanager.yml depends on. */
export interface AlertmanagerConfigInput {
    /** Undefined means alerts are kept in Alertmanager and shown in its UI, but not sent anywhere. */
    readonly email?: EmailReceiverInput;
}

/** Renders alertmanager.yml. Deterministic; holds the SMTP password when one is set, so treat it as secret. */
export function renderAlertmanagerConfig(input: AlertmanagerConfigInput): string {
    const email = input.email;
    const global = email
        ? {
              smtp_smarthost: email.smarthost,
              smtp_from: email.from,
              smtp_require_tls: email.requireTls,
              ...(email.username !== "" ? { smtp_auth_username: email.username, smtp_auth_password: email.password } : {}),
          }
        : {};
    const receiver = email ? "email" : "null";
    const config = {
        global: { resolve_timeout: "5m", ...global },
        route: {
            receiver,
            group_by: ["alertname", "instance"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
        },
        receivers: [email ? { name: "email", email_configs: [{ to: email.to, send_resolved: true }] } : { name: "null" }],
    };
    return "# Rendered by the monitoring Pulumi program; changes here are overwritten.\n" + yaml.dump(config, { lineWidth: -1, noRefs: true });
}
