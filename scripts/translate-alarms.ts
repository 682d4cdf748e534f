// CloudWatch alarms to Prometheus rules:
//   npm run translate-alarms -- describe-alarms.json [--mappings my-mappings.yml] [--actions actions.yml]
//                               [--sample-interval 15s] [--metric-filters describe-metric-filters.json
//                               --log-rules log-rules.yml] [--strict] > rules.yml
// The rules go to standard output, the report (each alarm translated, approximated and how, or not
// translated and why) to standard error. With --metric-filters, the alarms on the metrics those
// filters publish become vmalert log rules, written to --log-rules. --strict exits 1 unless every
// alarm was translated exactly; bad input exits 2.
import * as fs from "fs";
import { defaultActionsPolicy, parseAlarmActions } from "../cloudwatch/alarmActions";
import { parseDescribeMetricFilters } from "../cloudwatch/metricFilters";
import { formatReport, parseDescribeAlarms, translateAlarms, translationCounts } from "../cloudwatch/translateAlarms";
import { optionValue, readMappings, runCommand, sampleIntervalSeconds, strictStatus } from "./translatorCli";

const usage =
    "usage: translate-alarms <describe-alarms.json> [--mappings file.yml] [--actions file.yml] [--sample-interval 15s] [--metric-filters describe-metric-filters.json --log-rules out.yml] [--strict]";

function main(argv: string[]): number {
    let input: string | undefined;
    let mappingsFile: string | undefined;
    let actionsFile: string | undefined;
    let sampleInterval = "15s";
    let metricFiltersFile: string | undefined;
    let logRulesFile: string | undefined;
    let strict = false;
    const value = (i: number, option: string): string => optionValue(argv, i, option, usage);
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--strict") strict = true;
        else if (arg === "--mappings") mappingsFile = value(++i, arg);
        else if (arg === "--actions") actionsFile = value(++i, arg);
        else if (arg === "--sample-interval") sampleInterval = value(++i, arg);
        else if (arg === "--metric-filters") metricFiltersFile = value(++i, arg);
        else if (arg === "--log-rules") logRulesFile = value(++i, arg);
        else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}; ${usage}`);
        else if (input === undefined) input = arg;
        else throw new Error(`unexpected argument ${arg}; ${usage}`);
    }
    if (!input) throw new Error(usage);
    if ((metricFiltersFile === undefined) !== (logRulesFile === undefined)) {
        throw new Error(`--metric-filters and --log-rules go together: the alarms on metric filters become the log rules written to --log-rules; ${usage}`);
    }
    const sampleSeconds = sampleIntervalSeconds(sampleInterval);
    const doc = parseDescribeAlarms(fs.readFileSync(input, "utf8"), input);
    const { mappings, logGroups } = readMappings(mappingsFile);
    const actions = actionsFile ? parseAlarmActions(fs.readFileSync(actionsFile, "utf8"), actionsFile) : defaultActionsPolicy;
    const translation = translateAlarms(doc, {
        mappings,
        actions,
        sampleInterval: sampleSeconds,
        ...(metricFiltersFile
            ? {
                  metricFilters: parseDescribeMetricFilters(fs.readFileSync(metricFiltersFile, "utf8"), metricFiltersFile),
                  logGroups,
                  logs: true,
              }
            : {}),
    });
    process.stdout.write(translation.rules);
    if (logRulesFile) fs.writeFileSync(logRulesFile, translation.logRules ?? "groups: []\n");
    process.stderr.write(formatReport(translation));
    return strictStatus(strict, translationCounts(translation));
}

runCommand("translate-alarms", main);
