import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { defaultActionsPolicy, parseAlarmActions } from "../cloudwatch/alarmActions";
import { builtinMappings, parseMappings } from "../cloudwatch/metricMappings";
import { BridgedMetric, parseDescribeAlarms, translateAlarms } from "../cloudwatch/translateAlarms";
import { durationSeconds } from "../settings/formats";
import type { Settings } from "../settings/settings";
import { SettingsError } from "../settings/problems";

/** What the CloudWatch alarms become: rule files by name, and the metrics the bridge must read for them. */
export interface CloudwatchInputs {
    readonly ruleFiles: Readonly<Record<string, string>>;
    readonly bridged: readonly BridgedMetric[];
}

/**
 * The rule file translated from the alarms in cloudwatchAlarmsFile, if that setting names one
 * ({ cloudwatch: <rules> }), and the CloudWatch metrics the bridge reads for them. Alarms that are
 * approximated or cannot be translated are reported as warnings of the deployment; unreadable
 * files fail it, naming the setting, before anything is created.
 */
export function cloudwatchRuleFiles(settings: Settings, readFile: (file: string) => string = (f) => fs.readFileSync(f, "utf8")): CloudwatchInputs {
    if (settings.cloudwatchAlarmsFile === "") {
        return { ruleFiles: {}, bridged: [] };
    }
    const read = (key: "cloudwatchAlarmsFile" | "cloudwatchMappingFile" | "cloudwatchActionsFile", parse: (text: string, file: string) => unknown) => {
        const file = path.resolve(settings[key]);
        try {
            return parse(readFile(file), file);
        } catch (error) {
            throw new SettingsError([
                { key, value: settings[key], message: `cannot be used: ${(error as Error).message}`, fix: `point ${key} at a readable file, or set it to ""` },
            ]);
        }
    };
    const doc = read("cloudwatchAlarmsFile", parseDescribeAlarms) as ReturnType<typeof parseDescribeAlarms>;
    const userMappings = settings.cloudwatchMappingFile === "" ? [] : (read("cloudwatchMappingFile", parseMappings) as ReturnType<typeof parseMappings>);
    const actions =
        settings.cloudwatchActionsFile === ""
            ? defaultActionsPolicy
            : (read("cloudwatchActionsFile", parseAlarmActions) as ReturnType<typeof parseAlarmActions>);
    const translation = translateAlarms(doc, {
        mappings: [...userMappings, ...builtinMappings()],
        actions,
        sampleInterval: durationSeconds(settings.scrapeInterval),
    });
    for (const skipped of translation.unsupported) {
        pulumi.log.warn(`CloudWatch alarm "${skipped.alarm}" was not translated (${skipped.kind}): ${skipped.reason}`);
    }
    for (const approximated of translation.translated.filter((t) => t.status === "approximated")) {
        pulumi.log.warn(`CloudWatch alarm "${approximated.alarm}" was approximated: ${approximated.approximations.join("; ")}`);
    }
    return { ruleFiles: translation.translated.length > 0 ? { cloudwatch: translation.rules } : {}, bridged: translation.bridged };
}
