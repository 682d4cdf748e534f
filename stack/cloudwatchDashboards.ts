import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { DashboardSpec } from "../components/grafana/grafanaContent";
import { prepareDashboard } from "../components/grafana/importDashboard";
import { parseCloudWatchDashboard } from "../cloudwatch/dashboards/dashboardBody";
import { translateDashboard } from "../cloudwatch/dashboards/translateDashboard";
import { builtinMappings, parseMappingFile } from "../cloudwatch/metricMappings";
import type { BridgedMetric } from "../cloudwatch/translateAlarms";
import { durationSeconds } from "../settings/formats";
import { SettingsError } from "../settings/problems";
import type { Settings } from "../settings/settings";

/** What the CloudWatch dashboards become: Grafana dashboards by uid, prepared for import, and the metrics the bridge reads for them. */
export interface CloudwatchDashboards {
    readonly dashboards: Readonly<Record<string, DashboardSpec>>;
    readonly bridged: readonly BridgedMetric[];
}

/**
 * The dashboards translated from every JSON file in cloudwatchDashboardsDir (none when it is
 * empty), wired to the stack's datasources as the other dashboards are, keyed by their uid (from
 * the CloudWatch dashboard's name, so a re-run updates them). Widgets that are approximated or not
 * translated are warnings of the deployment; an unreadable directory or file fails it, naming the
 * setting, before anything is created.
 */
export function cloudwatchDashboards(
    settings: Settings,
    alarmAlerts: ReadonlyMap<string, readonly string[]>,
    readFile: (file: string) => string = (f) => fs.readFileSync(f, "utf8"),
    listDir: (dir: string) => string[] = (d) => fs.readdirSync(d),
): CloudwatchDashboards {
    if (settings.cloudwatchDashboardsDir === "") return { dashboards: {}, bridged: [] };
    const fail = (key: "cloudwatchDashboardsDir" | "cloudwatchMappingFile", message: string, fix: string): never => {
        throw new SettingsError([{ key, value: settings[key], message, fix }]);
    };
    const dir = path.resolve(settings.cloudwatchDashboardsDir);
    let files: string[] = [];
    try {
        files = listDir(dir)
            .filter((f) => f.endsWith(".json"))
            .sort();
    } catch (error) {
        fail(
            "cloudwatchDashboardsDir",
            `cannot be read: ${(error as Error).message}`,
            'point cloudwatchDashboardsDir at a directory of aws cloudwatch get-dashboard outputs, or set it to ""',
        );
    }
    if (files.length === 0) {
        fail(
            "cloudwatchDashboardsDir",
            "holds no .json file",
            "save each dashboard there with aws cloudwatch get-dashboard --dashboard-name <name> --output json > <dir>/<name>.json",
        );
    }
    let mappingFile: ReturnType<typeof parseMappingFile> = { metrics: [], logGroups: [] };
    if (settings.cloudwatchMappingFile !== "") {
        try {
            mappingFile = parseMappingFile(readFile(path.resolve(settings.cloudwatchMappingFile)), settings.cloudwatchMappingFile);
        } catch (error) {
            fail("cloudwatchMappingFile", `cannot be used: ${(error as Error).message}`, 'point cloudwatchMappingFile at a readable file, or set it to ""');
        }
    }
    const sources = files.map((file) => {
        try {
            return parseCloudWatchDashboard(readFile(path.join(dir, file)), path.join(dir, file));
        } catch (error) {
            return fail(
                "cloudwatchDashboardsDir",
                `cannot be used: ${(error as Error).message}`,
                "export the dashboard again, or remove the file from the directory",
            );
        }
    });
    const dashboards: Record<string, DashboardSpec> = {};
    const bridged: BridgedMetric[] = [];
    const byName = new Map<string, string>();
    for (const [i, source] of sources.entries()) {
        const earlier = byName.get(source.name);
        if (earlier !== undefined) {
            fail("cloudwatchDashboardsDir", `holds the dashboard ${source.name} twice (${earlier} and ${files[i]})`, "keep one file per dashboard");
        }
        byName.set(source.name, files[i]);
        const translation = translateDashboard(source, {
            mappings: [...mappingFile.metrics, ...builtinMappings()],
            sampleInterval: durationSeconds(settings.scrapeInterval),
            logs: settings.logs,
            logGroups: mappingFile.logGroups,
            ...(settings.cloudwatchAlarmsFile !== "" ? { alarmAlerts } : {}),
        });
        for (const widget of translation.widgets.filter((w) => w.status !== "translated")) {
            pulumi.log.warn(
                `CloudWatch dashboard "${source.name}", ${widget.widget}: ${widget.status === "not translated" ? `not translated: ${widget.reason}` : `approximated: ${widget.differences.join("; ")}`}`,
            );
        }
        dashboards[translation.uid] = {
            uid: translation.uid,
            configJson: prepareDashboard(
                translation.json,
                {
                    datasourceUid: settings.grafanaDatasourceUid,
                    dashboardUid: translation.uid,
                    ...(settings.logs ? { logsDatasourceUid: settings.grafanaLogsDatasourceUid } : {}),
                },
                files[i],
            ),
        };
        bridged.push(...translation.bridged);
    }
    return { dashboards, bridged };
}
