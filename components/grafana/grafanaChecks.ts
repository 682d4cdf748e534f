import { isBaseUrl, isIntegerIn, sha256Pattern, urlPattern, versionPattern } from "../../settings/formats";
import { imageProblems } from "../../runtimes/releaseChecks";
import { problemList, SettingProblem } from "../../settings/problems";
import type { SettingValues } from "../../settings/values";

/** -1, 0 or 1 as version a is older than, the same as or newer than b (x.y.z). */
function compareVersions(a: string, b: string): number {
    const [x, y] = [a, b].map((v) => v.split(/[.-]/).slice(0, 3).map(Number));
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
}

/** Grafana: its package version and apt repository, the admin password, the datasource, the folder and dashboard 1860. */
export function validateGrafana(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    if (!versionPattern.test(v.grafanaVersion)) {
        problem(
            "grafanaVersion",
            v.grafanaVersion,
            "must be an exact release version such as 1.2.3 (no 'v', no 'latest')",
            "pulumi config set grafanaVersion <x.y.z>",
        );
    }
    problems.push(...imageProblems("grafanaImage", v.grafanaImage, "grafanaVersion"));
    for (const key of ["grafanaAptUrl", "grafanaAptKeyUrl"] as const) {
        if (!isBaseUrl(v[key])) {
            problem(key, v[key], "must be an http(s) URL without a trailing slash", `pulumi config set ${key} <https://mirror.example/path>`);
        }
    }
    if (v.grafanaEnabled && v.grafanaAdminPassword !== "" && (v.grafanaAdminPassword.length < 12 || v.grafanaAdminPassword === "admin")) {
        problem(
            "grafanaAdminPassword",
            "(hidden)",
            "is shorter than 12 characters; Grafana never runs with a weak admin password",
            "pulumi config set --secret grafanaAdminPassword <a longer password>, or rm it to have one generated",
        );
    }

    if (!/^[a-zA-Z0-9_-]{1,40}$/.test(v.grafanaDatasourceUid)) {
        problem(
            "grafanaDatasourceUid",
            v.grafanaDatasourceUid,
            "must be 1 to 40 letters, digits, '-' or '_'",
            "pulumi config set grafanaDatasourceUid prometheus",
        );
    }
    if (v.grafanaDatasourceUrl !== "" && !urlPattern.test(v.grafanaDatasourceUrl)) {
        problem(
            "grafanaDatasourceUrl",
            v.grafanaDatasourceUrl,
            "must be an http(s) URL, or empty for the platform's own",
            "pulumi config set grafanaDatasourceUrl http://10.0.0.5:9090",
        );
    }
    if (!/^[a-zA-Z0-9_-]{1,40}$/.test(v.grafanaLogsDatasourceUid) || v.grafanaLogsDatasourceUid === v.grafanaDatasourceUid) {
        problem(
            "grafanaLogsDatasourceUid",
            v.grafanaLogsDatasourceUid,
            "must be 1 to 40 letters, digits, '-' or '_', and not the Prometheus datasource's uid (grafanaDatasourceUid)",
            "pulumi config set grafanaLogsDatasourceUid victoria-logs",
        );
    }
    if (!versionPattern.test(v.grafanaLogsPluginVersion)) {
        problem(
            "grafanaLogsPluginVersion",
            v.grafanaLogsPluginVersion,
            "must be an exact release of the VictoriaLogs datasource plugin such as 0.30.1 (no 'v', no 'latest')",
            "pulumi config set grafanaLogsPluginVersion 0.30.1",
        );
    }
    if (v.grafanaLogsPluginUrl !== "" && !/^https:\/\/\S+\.zip$/.test(v.grafanaLogsPluginUrl)) {
        problem(
            "grafanaLogsPluginUrl",
            v.grafanaLogsPluginUrl,
            "must be an https URL of the plugin's .zip, or empty for Grafana's plugin catalog",
            "pulumi config set grafanaLogsPluginUrl https://mirror.example/victoriametrics-logs-datasource-v0.30.1.zip",
        );
    }
    if (v.logs && v.grafanaEnabled && versionPattern.test(v.grafanaVersion) && compareVersions(v.grafanaVersion, "10.4.0") < 0) {
        problem(
            "grafanaVersion",
            v.grafanaVersion,
            "is older than 10.4.0, the first Grafana the VictoriaLogs datasource plugin runs on, and logs is on",
            "pulumi config set grafanaVersion 11.3.1 (or pulumi config set logs false)",
        );
    }
    if (v.grafanaFolder.trim() === "") {
        problem("grafanaFolder", v.grafanaFolder, "must not be empty", "pulumi config set grafanaFolder Monitoring");
    }
    if (!isIntegerIn(v.dashboard1860Revision, 1)) {
        problem(
            "dashboard1860Revision",
            v.dashboard1860Revision,
            "must be a revision number of dashboard 1860 (1 or more)",
            "pulumi config set dashboard1860Revision 37",
        );
    }
    if (!urlPattern.test(v.dashboard1860Url)) {
        problem(
            "dashboard1860Url",
            v.dashboard1860Url,
            "must be an http(s) URL",
            "pulumi config set dashboard1860Url 'https://mirror.example/1860/%{revision}.json'",
        );
    }
    if (v.dashboard1860Sha256 !== "" && !sha256Pattern.test(v.dashboard1860Sha256)) {
        problem(
            "dashboard1860Sha256",
            v.dashboard1860Sha256,
            "must be 64 lower-case hex digits, or empty",
            "pulumi config set dashboard1860Sha256 $(sha256sum 1860.json | cut -d' ' -f1)",
        );
    }
    if (!v.grafanaEnabled && v.grafanaAdminPassword !== "") {
        problem(
            "grafanaAdminPassword",
            "(hidden)",
            "is set but grafanaEnabled is false, so nothing would use it",
            "pulumi config rm grafanaAdminPassword, or pulumi config set grafanaEnabled true",
        );
    }
    return problems;
}
