import { renderServiceUnit } from "../../runtimes/systemdUnit";
import type { ContainerSpec } from "../../runtimes/dockerContainer";

export interface PrometheusUnitInput {
    readonly version: string;
    readonly port: number;
    readonly retentionTime: string;
    readonly retentionSize: string;
    readonly dataDir: string;
    /** Whether the data directory is a mount the unit must wait for. */
    readonly dataDirIsMount: boolean;
    /** The --web.config.file flag when the endpoint is secured (security/webConfig.ts). */
    readonly webFlags: readonly string[];
    /** Whether a Thanos sidecar uploads its blocks, which it needs as cut, uncompacted. */
    readonly uploadsBlocks?: boolean;
}

export function prometheusFlags(input: {
    version: string;
    port: number;
    retentionTime: string;
    retentionSize: string;
    dataDir: string;
    consolesDir: string;
    webFlags: readonly string[];
    uploadsBlocks?: boolean;
}): string[] {
    // Prometheus 3 dropped the console templates the 2.x releases ship.
    const consoles = input.version.startsWith("2.")
        ? [`--web.console.templates=${input.consolesDir}/consoles`, `--web.console.libraries=${input.consolesDir}/console_libraries`]
        : [];
    return [
        "--config.file=/etc/prometheus/prometheus.yml",
        `--storage.tsdb.path=${input.dataDir}`,
        `--storage.tsdb.retention.time=${input.retentionTime}`,
        `--storage.tsdb.retention.size=${input.retentionSize}`,
        `--web.listen-address=:${input.port}`,
        ...input.webFlags,
        ...consoles,
        // Thanos's sidecar uploads each two-hour block once; Thanos Compact compacts them in the bucket.
        ...(input.uploadsBlocks ? ["--storage.tsdb.min-block-duration=2h", "--storage.tsdb.max-block-duration=2h"] : []),
    ];
}

export function renderPrometheusUnit(input: PrometheusUnitInput): string {
    return renderServiceUnit({
        description: "Prometheus",
        user: "prometheus",
        exec: ["/usr/local/bin/prometheus", ...prometheusFlags({ ...input, consolesDir: "/etc/prometheus" })],
        writablePaths: [input.dataDir],
        reloadWithSighup: true,
        requiresMountsFor: input.dataDirIsMount ? [input.dataDir] : [],
    });
}

export function prometheusContainer(input: {
    image: string;
    version: string;
    port: number;
    retentionTime: string;
    retentionSize: string;
    dataDir: string;
    webFlags: readonly string[];
    uploadsBlocks?: boolean;
}): ContainerSpec {
    return {
        name: "prometheus",
        image: input.image,
        user: "65534:65534",
        volumes: [
            { source: "/etc/prometheus", target: "/etc/prometheus", readOnly: true },
            { source: input.dataDir, target: "/prometheus" },
        ],
        args: prometheusFlags({
            version: input.version,
            port: input.port,
            retentionTime: input.retentionTime,
            retentionSize: input.retentionSize,
            dataDir: "/prometheus",
            consolesDir: "/usr/share/prometheus",
            webFlags: input.webFlags,
            uploadsBlocks: input.uploadsBlocks,
        }),
        prepare: [`install -d -m 0750 -o 65534 -g 65534 ${input.dataDir}`, "install -d -m 0755 /etc/prometheus"],
    };
}
