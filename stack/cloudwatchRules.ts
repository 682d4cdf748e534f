import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { defaultActionsPolicy, parseAlarmActions } from "../cloudwatch/alarmActions";
import { builtinMappings, parseMappingFile } from "../cloudwatch/metricMappings";
import { parseDescribeMetricFilters } from "../cloudwatch/metricFilters";
import { BridgedMetric, parseDescribeAlarms, translateAlarms } from "../cloudwatch/translateAlarms";
import { alarmAlertsOf } from "../cloudwatch/dashboards/translateDashboard";
import { durationSeconds } from "../settings/formats";
import type { Settings } from "../settings/settings";
import { SettingsError } from "../settings/problems";

/** What the CloudWatch alarms become: rule files by name, and the metrics the bridge must read for them. */
export interface CloudwatchInputs {
    readonly ruleFiles: Readonly<Record<string, string>>;
    /** vmalert's rule file of the alarms on metric filters, by name (cloudwatch-metric-filters), when there are any. */
    readonly logRuleFiles: Readonly<Record<string, string>>;
    readonly bridged: readonly BridgedMetric[];
    /** The alerts each translated alarm became, by alarm name (what the dashboards' alarm status widgets list). */
    readonly alarmAlerts: ReadonlyMap<string, readonly string[]>;
}

/**
 * The rule file translated from the alarms in cloudwatchAlarmsFile, if that setting names one
 * ({ cloudwatch: <rules> }), and the CloudWatch metrics the bridge reads for them. Alarms that are
 * approximated or cannot be translated are reported as warnings of the deployment; unreadable
 * files fail it, naming the setting, before anything is created.
 */
export function cloudwatchRuleFiles(settings: Settings, readFile: (file: string) => string = (f) => fs.readFileSync(f, "utf8")): CloudwatchInputs {
    if (settings.cloudwatchAlarmsFile === "") {
        return { ruleFiles: {}, logRuleFiles: {}, bridged: [], alarmAlerts: new Map() };
    }
    const read = (
        key: "cloudwatchAlarmsFile" | "cloudwatchMappingFile" | "cloudwatchActionsFile" | "cloudwatchMetricFiltersFile",
        parse: (text: string, file: string) => unknown,
    ) => {
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
    const mappingFile =
        settings.cloudwatchMappingFile === ""
            ? { metrics: [], logGroups: [] }
            : (read("cloudwatchMappingFile", parseMappingFile) as ReturnType<typeof parseMappingFile>);
    const actions =
        settings.cloudwatchActionsFile === ""
            ? defaultActionsPolicy
            : (read("cloudwatchActionsFile", parseAlarmActions) as ReturnType<typeof parseAlarmActions>);
    const metricFilters =
        settings.cloudwatchMetricFiltersFile === ""
            ? []
            : (read("cloudwatchMetricFiltersFile", parseDescribeMetricFilters) as ReturnType<typeof parseDescribeMetricFilters>);
    const translation = translateAlarms(doc, {
        mappings: [...mappingFile.metrics, ...builtinMappings()],
        actions,
        sampleInterval: durationSeconds(settings.scrapeInterval),
        metricFilters,
        logGroups: mappingFile.logGroups,
        logs: settings.logs,
    });
    for (const skipped of translation.unsupported) {
        pulumi.log.warn(`CloudWatch alarm "${skipped.alarm}" was not translated (${skipped.kind}): ${skipped.reason}`);
    }
    for (const approximated of translation.translated.filter((t) => t.status === "approximated")) {
        pulumi.log.warn(`CloudWatch alarm "${approximated.alarm}" was approximated: ${approximated.approximations.join("; ")}`);
    }
    return {
        // The Prometheus rule file holds the alarms on metrics; those on metric filters are in vmalert's.
        ruleFiles: translation.translated.some((t) => t.evaluator === "prometheus") ? { cloudwatch: translation.rules } : {},
        logRuleFiles: translation.logRules ? { "cloudwatch-metric-filters": translation.logRules } : {},
        bridged: translation.bridged,
        alarmAlerts: alarmAlertsOf(translation),
    };
}
