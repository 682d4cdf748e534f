// The log rules vmalert evaluates: the stack's own (configs/log-rules) and the user's files (setting logRuleFiles).
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { readConfigFile } from "../../remote/remoteHost";
import { SettingProblem, SettingsError } from "../../settings/problems";
import type { Settings } from "../../settings/settings";
import { fillPlaceholders } from "../prometheus/alertRules";
import { userLogRuleName } from "./vmalertConfig";

/** The stack's log rule files in configs/log-rules, without their .yml. */
export const stackLogRuleNames = ["flask-app", "services"] as const;

/** What the stack's log rules are rendered with; every one is a setting. */
export interface LogRuleValues {
    readonly logRulesInterval: string;
    readonly runbookBaseUrl: string;
}

/** The stack's log rule files by name, their placeholders filled. */
export function renderStackLogRules(values: LogRuleValues): Record<string, string> {
    return Object.fromEntries(stackLogRuleNames.map((name) => [name, fillPlaceholders(readConfigFile(`log-rules/${name}.yml`), { ...values })]));
}

/**
 * What is wrong with a user's rule file that the program can tell before anything is created: its
 * YAML and its shape (groups, each with a name and rules, each rule an alert or a record with an
 * expression), and a group type other than vlogs, as the stack's vmalert reads the log store only.
 * The LogsQL of each expression is vmalert's to judge (-dryRun on the host, before it goes live).
 */
export function userLogRuleProblems(text: string): string[] {
    let doc: unknown;
    try {
        doc = yaml.load(text);
    } catch (error) {
        return [`is not YAML: ${(error as Error).message.split("\n")[0]}`];
    }
    const groups = (doc as { groups?: unknown } | null)?.groups;
    if (!Array.isArray(groups) || groups.length === 0) return ["has no groups: a vmalert rule file is `groups:`, a list of groups with a name and rules"];
    const problems: string[] = [];
    groups.forEach((group: { name?: unknown; type?: unknown; rules?: unknown }, i) => {
        const where = typeof group?.name === "string" && group.name !== "" ? `group "${group.name}"` : `group ${i + 1}`;
        if (typeof group?.name !== "string" || group.name === "") problems.push(`${where} has no name`);
        if (group?.type !== undefined && group.type !== "vlogs") {
            problems.push(
                `${where} has type ${JSON.stringify(group.type)}: the stack's vmalert reads the log store only, so a group is type vlogs (or names no type)`,
            );
        }
        if (!Array.isArray(group?.rules) || group.rules.length === 0) {
            problems.push(`${where} has no rules`);
            return;
        }
        group.rules.forEach((rule: { alert?: unknown; record?: unknown; expr?: unknown }, j) => {
            const name = typeof rule?.alert === "string" ? rule.alert : typeof rule?.record === "string" ? rule.record : undefined;
            if (name === undefined) problems.push(`${where}, rule ${j + 1}, names no alert (or record)`);
            if (typeof rule?.expr !== "string" || rule.expr.trim() === "")
                problems.push(`${where}, rule ${name ?? j + 1}, has no expr (a LogsQL query ending in stats)`);
        });
    });
    return problems;
}

/**
 * The log rule files vmalert gets, by name: the stack's, then each of logRuleFiles as
 * user-<base name>. Every file is read and checked before any resource is declared; a problem
 * fails the deployment naming the setting, the file and the fix.
 */
export function logRuleFiles(
    settings: Pick<Settings, "logs" | "logRulesInterval" | "runbookBaseUrl" | "logRuleFiles">,
    readFile: (file: string) => string = (f) => fs.readFileSync(f, "utf8"),
): Record<string, string> {
    if (!settings.logs) return {};
    const files = renderStackLogRules({ logRulesInterval: settings.logRulesInterval, runbookBaseUrl: settings.runbookBaseUrl });
    const problems: SettingProblem[] = [];
    const problem = (file: string, message: string, fix: string) => problems.push({ key: "logRuleFiles", value: file, message, fix });
    for (const file of settings.logRuleFiles) {
        const name = userLogRuleName(file);
        if (name in files) {
            problem(file, `is deployed as rules/${name}.yml, as is another file of logRuleFiles`, "give each file of logRuleFiles its own base name");
            continue;
        }
        let text: string;
        try {
            text = readFile(path.resolve(file));
        } catch (error) {
            problem(file, `cannot be read: ${(error as Error).message}`, "point logRuleFiles at readable vmalert rule files, relative to the project");
            continue;
        }
        const found = userLogRuleProblems(text);
        for (const message of found) problem(file, message, "fix the file (vmalert's rule format, LogsQL expressions), or remove it from logRuleFiles");
        if (found.length === 0) files[name] = text;
    }
    if (problems.length > 0) throw new SettingsError(problems);
    return files;
}
