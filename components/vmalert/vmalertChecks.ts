import { durationPattern, durationSeconds } from "../../settings/formats";
import { problemList, SettingProblem } from "../../settings/problems";
import { settingDefault } from "../../settings/schema";
import type { SettingValues } from "../../settings/values";

/** The shortest window worth counting: the collectors send within seconds, the store indexes within a second. */
const shortestInterval = 10;

/** Alerts on log lines: their interval, and rule files only where the log store runs. */
export function validateVmalert(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    if (!durationPattern.test(v.logRulesInterval) || durationSeconds(v.logRulesInterval) < shortestInterval) {
        problem(
            "logRulesInterval",
            v.logRulesInterval,
            `is not an interval vmalert takes for the log rules: a duration such as 30s, 1m or 5m, at least ${shortestInterval}s`,
            `pulumi config set logRulesInterval ${settingDefault("logRulesInterval")}`,
        );
    }
    if (v.logRuleFiles.length > 0 && !v.logs) {
        problem(
            "logRuleFiles",
            v.logRuleFiles,
            "are rules on log lines, and logs is off, so there is no log store for them to read",
            "pulumi config set logs true (or pulumi config rm logRuleFiles)",
        );
    }
    return problems;
}
