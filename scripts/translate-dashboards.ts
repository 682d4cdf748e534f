// CloudWatch dashboards to Grafana dashboards:
//   npm run translate-dashboards -- <get-dashboard.json>... --out <dir> [--mappings my-mappings.yml]
//                                   [--alarms describe-alarms.json] [--sample-interval 15s] [--no-logs] [--strict]
// Each file is the output of `aws cloudwatch get-dashboard --dashboard-name <name> --output json`
// (or a DashboardBody alone). Each dashboard is written to <dir>/<uid>.json, its uid derived from its
// name (a re-run overwrites it: Grafana updates rather than duplicates). The report (each widget
// translated, approximated and how, or not translated and why, and the CloudWatch metrics the bridge
// must read) goes to standard error. --alarms checks alarm status widgets against the translated
// alarms; --no-logs reports log widgets as not translated (the stack's logs off). --strict exits 1
// unless every widget was translated exactly; bad input exits 2, writing nothing.
import * as fs from "fs";
import * as path from "path";
import { parseDescribeAlarms, translateAlarms } from "../cloudwatch/translateAlarms";
import { parseCloudWatchDashboard } from "../cloudwatch/dashboards/dashboardBody";
import { alarmAlertsOf, formatDashboardReport, translateDashboard, widgetCounts } from "../cloudwatch/dashboards/translateDashboard";
import { bridgedReport } from "../cloudwatch/dashboards/bridgedReport";
import { optionValue, readMappings, runCommand, sampleIntervalSeconds, strictStatus } from "./translatorCli";

const usage =
    "usage: translate-dashboards <get-dashboard.json>... --out <dir> [--mappings file.yml] [--alarms describe-alarms.json] [--sample-interval 15s] [--no-logs] [--strict]";

function main(argv: string[]): number {
    const inputs: string[] = [];
    let out: string | undefined;
    let mappingsFile: string | undefined;
    let alarmsFile: string | undefined;
    let sampleInterval = "15s";
    let logs = true;
    let strict = false;
    const value = (i: number, option: string): string => optionValue(argv, i, option, usage);
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--strict") strict = true;
        else if (arg === "--no-logs") logs = false;
        else if (arg === "--out") out = value(++i, arg);
        else if (arg === "--mappings") mappingsFile = value(++i, arg);
        else if (arg === "--alarms") alarmsFile = value(++i, arg);
        else if (arg === "--sample-interval") sampleInterval = value(++i, arg);
        else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}; ${usage}`);
        else inputs.push(arg);
    }
    if (inputs.length === 0) throw new Error(`no dashboard given; ${usage}`);
    if (out === undefined) throw new Error(`--out <dir> is needed: where the Grafana dashboards are written; ${usage}`);
    const sampleSeconds = sampleIntervalSeconds(sampleInterval);
    const { mappings, logGroups } = readMappings(mappingsFile);
    const alarmAlerts = alarmsFile
        ? alarmAlertsOf(
              translateAlarms(parseDescribeAlarms(fs.readFileSync(alarmsFile, "utf8"), alarmsFile), {
                  mappings,
                  sampleInterval: sampleSeconds,
              }),
          )
        : undefined;
    // Every file is read and checked before any dashboard is written.
    const dashboards = inputs.map((file) => parseCloudWatchDashboard(fs.readFileSync(file, "utf8"), file));
    const names = new Map<string, string>();
    for (const [i, dashboard] of dashboards.entries()) {
        const earlier = names.get(dashboard.name);
        if (earlier !== undefined) throw new Error(`${inputs[i]} and ${earlier} are both the dashboard ${dashboard.name}; give each dashboard once`);
        names.set(dashboard.name, inputs[i]);
    }
    const translations = dashboards.map((dashboard) =>
        translateDashboard(dashboard, {
            mappings,
            sampleInterval: sampleSeconds,
            logs,
            logGroups,
            ...(alarmAlerts ? { alarmAlerts } : {}),
        }),
    );
    fs.mkdirSync(out, { recursive: true });
    for (const translation of translations) fs.writeFileSync(path.join(out, `${translation.uid}.json`), translation.json);
    process.stderr.write(formatDashboardReport(translations));
    process.stderr.write(bridgedReport(translations.flatMap((t) => t.bridged)));
    return strictStatus(strict, widgetCounts(translations));
}

runCommand("translate-dashboards", main);
