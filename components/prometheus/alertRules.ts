import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";

/** Thresholds and durations the alert rules are rendered with; every one is a setting. */
export interface AlertThresholds {
    readonly instanceDownFor: string;
    readonly cpuUserRatio: string;
    readonly cpuFor: string;
    readonly memoryAvailableRatio: string;
    readonly memoryFor: string;
    readonly diskFillWarningHours: number;
    readonly diskFillCriticalHours: number;
    readonly inodesFreeRatio: string;
    readonly clockOffsetSeconds: string;
    readonly diskIoUtilization: string;
    readonly diskIoFor: string;
    readonly appLatencyAvgSeconds: string;
    readonly appLatencyP95Seconds: string;
    readonly appLatencyFor: string;
    readonly appErrorRatio: string;
    readonly appErrorFor: string;
    readonly appNoTrafficFor: string;
    readonly targetsMissingFor: string;
    /** Where the runbooks are; each alert links to <base>#<alertname in lower case>. */
    readonly runbookBaseUrl: string;
}

/** The rule templates in components/prometheus/alertRules, without their .yml. */
export const ruleTemplateNames = ["meta", "availability", "hosts", "flask-app", "logs"] as const;
export type RuleTemplateName = (typeof ruleTemplateNames)[number];

/** The text of one rule template. */
export function ruleTemplate(name: RuleTemplateName): string {
    return fs.readFileSync(path.join(__dirname, "..", "..", "configs", "rules", `${name}.yml`), "utf8");
}

/**
 * Fills a template's %{name} placeholders. Fails on a placeholder without a value, so a typo in a
 * template cannot reach a host.
 */
export function fillPlaceholders(template: string, values: Readonly<Record<string, string | number>>): string {
    return template.replace(/%\{([A-Za-z0-9_]+)\}/g, (_match, key: string) => {
        if (!(key in values)) {
            throw new Error(`rule template placeholder %{${key}} has no value`);
        }
        return String(values[key]);
    });
}

/**
 * TargetsMissing for every job with an expected number of targets: fewer targets than expected,
 * or none at all, for targetsMissingFor.
 */
export function renderTargetsRules(expectedTargets: Readonly<Record<string, number>>, thresholds: AlertThresholds): string {
    const rules = Object.keys(expectedTargets)
        .sort()
        .map((job) => ({
            alert: "TargetsMissing",
            expr: `count(up{job="${job}"}) < ${expectedTargets[job]} or absent(up{job="${job}"})`,
            for: thresholds.targetsMissingFor,
            labels: { severity: "warning", job },
            annotations: {
                summary: `Job ${job} has fewer than ${expectedTargets[job]} targets`,
                description: `Prometheus scrapes fewer targets of job ${job} than the ${expectedTargets[job]} this deployment declares; a target was removed from the configuration or its discovery broke.`,
                runbook_url: `${thresholds.runbookBaseUrl}#targetsmissing`,
            },
        }));
    return (
        "# Rendered by the monitoring Pulumi program from the scrape jobs it configures.\n" +
        yaml.dump({ groups: [{ name: "targets", rules }] }, { lineWidth: -1 })
    );
}

/** What the rule files of one deployment depend on. */
export interface RuleFilesInput {
    readonly thresholds: AlertThresholds;
    /** Targets per job that Prometheus is configured with. */
    readonly expectedTargets: Readonly<Record<string, number>>;
    /** Whether the Flask app exposes Prometheus metrics (prometheus and both modes). */
    readonly flaskAppMetrics: boolean;
    /** Whether the log store runs (setting logs), so its alert rules apply. */
    readonly logs?: boolean;
    /** Extra rule files by name, such as rules translated from CloudWatch alarms. */
    readonly extra?: Readonly<Record<string, string>>;
}

/** The names of a deployment's rule files; they do not depend on target counts. */
export function ruleFileNames(input: Omit<RuleFilesInput, "expectedTargets" | "thresholds">): string[] {
    return [...ruleTemplateNames.filter((name) => applies(name, input)), "targets", ...Object.keys(input.extra ?? {})].sort();
}

/** Whether a rule template applies: the Flask app's when it serves metrics, the log store's when it runs, the others always. */
function applies(name: RuleTemplateName, input: Pick<RuleFilesInput, "flaskAppMetrics" | "logs">): boolean {
    return name === "flask-app" ? input.flaskAppMetrics : name === "logs" ? input.logs === true : true;
}

/** Every rule file of a deployment, by name (rendered to rules/<name>.yml). */
export function renderRuleFiles(input: RuleFilesInput): Record<string, string> {
    const values = { ...input.thresholds };
    const files: Record<string, string> = {};
    for (const name of ruleTemplateNames) {
        if (!applies(name, input)) {
            continue;
        }
        files[name] = fillPlaceholders(ruleTemplate(name), values);
    }
    files.targets = renderTargetsRules(input.expectedTargets, input.thresholds);
    for (const [name, text] of Object.entries(input.extra ?? {})) {
        if (name in files) {
            throw new Error(`extra rule file "${name}" would replace a built-in rule file`);
        }
        files[name] = text;
    }
    return files;
}
