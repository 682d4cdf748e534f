import { declareSettings, releaseSettings } from "../../settings/declare";

/** node_exporter on every host. */
export const nodeExporterSettings = declareSettings({
    nodeExporterPort: { type: "integer", default: 9100, description: "Port of node_exporter on every host.", port: true },
    ...releaseSettings("nodeExporter", {
        name: "node_exporter",
        version: "1.8.2",
        versionDescription: "node_exporter release installed on every host.",
        downloadBaseUrl: "https://github.com/prometheus/node_exporter/releases/download",
        image: "prom/node-exporter",
    }),
    nodeExporterCollectors: {
        type: "array",
        items: { type: "string" },
        default: ["systemd", "processes", "interrupts", "tcpstat"],
        description:
            "node_exporter collectors to enable besides its defaults (--collector.<name>): systemd units, process counts, interrupts and TCP states feed alerts and dashboard 1860's panels. Names from node_exporter's disabled-by-default list.",
    },
});
