import { declareSettings, releaseSettings } from "../../settings/declare";

/** The log shipper: an OpenTelemetry Collector on every host. */
export const otelCollectorSettings = declareSettings({
    logsBufferSize: {
        type: "string",
        default: "512MB",
        description:
            "How many bytes of log records each host's collector keeps on its disk while the log store cannot take them (such as 512MB); nothing is lost within it. Past it, the newest records are refused.",
    },
    logsRemote: {
        type: "array",
        items: { type: "object" },
        default: [],
        description:
            "Further endpoints each host's collector also sends its logs to over OTLP/HTTP (Loki 3, Grafana Cloud, Elastic, a VictoriaLogs cluster), each an object set with pulumi config set --path 'logsRemote[0].url' <url>: url (https, the OTLP base; /v1/logs is appended); name; username with password, or bearerToken (set both secrets with --secret). Each has its own queue of logsBufferSize on each host's disk.",
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
