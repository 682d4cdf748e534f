import type { ContainerSpec } from "../../runtimes/dockerContainer";
import { renderServiceUnit } from "../../runtimes/systemdUnit";
import { victoriaLogsConfigDir } from "./victoriaLogsConfig";

/** VictoriaLogs under systemd: its own user, writing its data directory only. */
export function renderVictoriaLogsUnit(input: { readonly flags: readonly string[]; readonly dataDir: string }): string {
    return renderServiceUnit({
        description: "VictoriaLogs, the log store",
        user: "victoria-logs",
        exec: ["/usr/local/bin/victoria-logs", ...input.flags],
        writablePaths: [input.dataDir],
        reloadWithSighup: false,
        requiresMountsFor: [input.dataDir],
        // It checks with mincore which pages of its mapped data are in memory, and panics when refused.
        extraSystemCalls: ["mincore"],
    });
}

/** VictoriaLogs in Docker, from the image of the same release, its data and configuration mounted at the same paths. */
export function victoriaLogsContainer(input: { readonly image: string; readonly flags: readonly string[]; readonly dataDir: string }): ContainerSpec {
    return {
        name: "victoria-logs",
        image: input.image,
        // nobody:nogroup, the group that may read its staged configuration.
        user: "65534:65534",
        volumes: [
            { source: input.dataDir, target: input.dataDir },
            { source: victoriaLogsConfigDir, target: victoriaLogsConfigDir, readOnly: true },
        ],
        args: [...input.flags],
        prepare: [
            `install -d -m 0750 -o 65534 -g 65534 ${input.dataDir}`,
            // Data a systemd install left (owned by its own user) becomes the container's.
            `chown -R 65534:65534 ${input.dataDir}`,
            `install -d -m 0755 ${victoriaLogsConfigDir}`,
        ],
    };
}
