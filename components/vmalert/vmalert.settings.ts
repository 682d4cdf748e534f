import { declareSettings, releaseSettings } from "../../settings/declare";

/** Alerts on log lines: vmalert on the monitoring host, evaluating log rules against the store. */
export const vmalertSettings = declareSettings({
    logRulesInterval: {
        type: "string",
        default: "1m",
        description:
            "How often vmalert evaluates the log rules, and the window of log lines each evaluation counts (such as 1m): a rule that counts error lines fires for a window that holds one and resolves after the first window without. At least 10s.",
    },
    logRuleFiles: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
            'Your own vmalert rule files (YAML, groups of LogsQL rules, type vlogs by default) deployed beside the stack\'s log rules, such as ["rules/payments-logs.yml"]; paths relative to the project. vmalert -dryRun checks them on the host before they go live; a file it refuses fails the up and the running rules stay.',
    },
    vmalertPort: { type: "integer", default: 8880, description: "Port of vmalert (its rules and alerts page, its metrics; over HTTPS).", port: true },
    ...releaseSettings("vmalert", {
        name: "vmalert",
        version: "1.151.0",
        versionDescription: "Release of vmalert (VictoriaMetrics' vmutils) that evaluates the log rules and sends their alerts to the stack's Alertmanagers.",
        downloadBaseUrl: "https://github.com/VictoriaMetrics/VictoriaMetrics/releases/download",
        downloadBaseUrlDescription:
            "Base URL of vmutils releases (which hold vmalert): <base>/v<version>/vmutils-linux-<arch>-v<version>.tar.gz beside vmutils-linux-<arch>-v<version>_checksums.txt, as upstream publishes them.",
        image: "victoriametrics/vmalert",
    }),
});
