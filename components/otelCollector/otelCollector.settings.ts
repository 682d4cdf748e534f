import { declareSettings, releaseSettings } from "../../settings/declare";

/** The log shipper: an OpenTelemetry Collector on every host. */
export const otelCollectorSettings = declareSettings({
    logsBufferSize: {
        type: "string",
        default: "512MB",
        description:
            "How many bytes of log records each host's collector keeps on its disk while the log store cannot take them (such as 512MB); nothing is lost within it. Past it, the newest records are refused.",
    },
    otelCollectorHealthPort: {
        type: "integer",
        default: 13133,
        description: "Port of each collector's health check, on the host's loopback only (the install step waits for it).",
        port: true,
    },
    ...releaseSettings("otelCollector", {
        name: "otelcol-contrib",
        version: "0.160.0",
        versionDescription:
            "Release of otelcol-contrib, the OpenTelemetry Collector that ships each host's logs; it runs on the host in both runtimes, as its journald receiver runs journalctl.",
        downloadBaseUrl: "https://github.com/open-telemetry/opentelemetry-collector-releases/releases/download",
        downloadBaseUrlDescription:
            "Base URL of otelcol-contrib releases: <base>/v<version>/otelcol-contrib_<version>_linux_<arch>.tar.gz beside opentelemetry-collector-releases_otelcol-contrib_checksums.txt, as upstream publishes them.",
    }),
});
