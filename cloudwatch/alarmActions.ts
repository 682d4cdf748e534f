import * as yaml from "js-yaml";

/** The severities an alarm's actions can give its alert; Alertmanager routes critical and the rest. */
export const actionSeverities = ["critical", "warning", "info"] as const;
export type ActionSeverity = (typeof actionSeverities)[number];

/**
 * Where the actions of CloudWatch alarms go once Alertmanager replaces SNS: the severity of each
 * SNS topic's alarms, and what becomes of alarms that notify nobody in CloudWatch (ActionsEnabled
 * false, or no AlarmActions): muted (routed to no receiver, still visible in Alertmanager) or
 * notified like the rest.
 */
export interface AlarmActionsPolicy {
    readonly topics: Readonly<Record<string, ActionSeverity>>;
    /** Severity of alarms that notify SNS topics the file does not name. */
    readonly defaultSeverity: ActionSeverity;
    readonly silentAlarms: "mute" | "notify";
}

/** The policy when no actions file is given: every topic warning, silent alarms muted. */
export const defaultActionsPolicy: AlarmActionsPolicy = { topics: {}, defaultSeverity: "warning", silentAlarms: "mute" };

const snsArnPattern = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/;

/** Whether an alarm action is an SNS topic (others are EC2, Auto Scaling or Systems Manager actions). */
export function isSnsTopic(action: string): boolean {
    return snsArnPattern.test(action);
}

/**
 * Parses an actions file:
 *   topics: { <SNS topic ARN>: critical | warning | info }
 *   defaultSeverity: warning        (topics not listed)
 *   silentAlarms: mute | notify     (alarms with actions disabled or none)
 */
export function parseAlarmActions(text: string, source: string): AlarmActionsPolicy {
    let doc: unknown;
    try {
        doc = yaml.load(text);
    } catch (error) {
        throw new Error(`${source}: not YAML (${(error as Error).message.split("\n")[0]})`);
    }
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
        throw new Error(`${source}: must be a mapping with topics, defaultSeverity and silentAlarms`);
    }
    const d = doc as Record<string, unknown>;
    for (const key of Object.keys(d)) {
        if (!["topics", "defaultSeverity", "silentAlarms"].includes(key))
            throw new Error(`${source}: unknown key "${key}" (keys: topics, defaultSeverity, silentAlarms)`);
    }
    const severity = (value: unknown, where: string): ActionSeverity => {
        if (!(actionSeverities as readonly unknown[]).includes(value))
            throw new Error(`${source}: ${where} is ${JSON.stringify(value)}; use ${actionSeverities.join(", ")}`);
        return value as ActionSeverity;
    };
    const topics: Record<string, ActionSeverity> = {};
    const rawTopics = d.topics ?? {};
    if (rawTopics === null || typeof rawTopics !== "object" || Array.isArray(rawTopics))
        throw new Error(`${source}: topics must map SNS topic ARNs to severities`);
    for (const [arn, value] of Object.entries(rawTopics as Record<string, unknown>)) {
        if (!isSnsTopic(arn)) throw new Error(`${source}: topics key ${arn} is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)`);
        topics[arn] = severity(value, `topics.${arn}`);
    }
    const silentAlarms = d.silentAlarms ?? "mute";
    if (silentAlarms !== "mute" && silentAlarms !== "notify") throw new Error(`${source}: silentAlarms is ${JSON.stringify(silentAlarms)}; use mute or notify`);
    return { topics, defaultSeverity: d.defaultSeverity === undefined ? "warning" : severity(d.defaultSeverity, "defaultSeverity"), silentAlarms };
}
