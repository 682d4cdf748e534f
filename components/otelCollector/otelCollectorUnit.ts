import { renderServiceUnit } from "../../runtimes/systemdUnit";
import { otelCollectorConfigDir, otelCollectorConfigFile, otelCollectorEnvFile, otelCollectorStateDir } from "./otelCollectorConfig";

/**
 * The collector under systemd, in both runtimes: its journald receiver runs the host's journalctl.
 * Its own user reads the journal (group systemd-journal) and, on the app host, the Flask app's log
 * directory (group flask-app); it writes its state directory only.
 */
export function renderCollectorUnit(input: { readonly flaskAppLog: boolean }): string {
    return renderServiceUnit({
        description: "OpenTelemetry Collector, the host's log shipper",
        user: "otelcol",
        supplementaryGroups: ["systemd-journal", ...(input.flaskAppLog ? ["flask-app"] : [])],
        environmentFiles: [`-${otelCollectorConfigDir}/${otelCollectorEnvFile}`],
        exec: ["/usr/local/bin/otelcol-contrib", `--config=${otelCollectorConfigDir}/${otelCollectorConfigFile}`],
        writablePaths: [otelCollectorStateDir],
        reloadWithSighup: false,
        readsJournal: true,
    });
}
