import { declareSettings } from "../../settings/declare";

/** Grafana, its datasource and dashboards. */
export const grafanaSettings = declareSettings({
    grafanaPort: { type: "integer", default: 3000, description: "Port of Grafana.", port: true },
    grafanaEnabled: { type: "boolean", default: true, description: "Whether Grafana is installed on the monitoring host." },
    grafanaVersion: { type: "string", default: "11.3.1", description: "Grafana package version installed from the apt repository." },
    grafanaImage: {
        type: "string",
        default: "grafana/grafana-oss",
        description:
            "Image repository of Grafana for the docker runtime, tagged <grafanaVersion>; or <repository>@sha256:<digest> to pin the image of that release by digest.",
    },
    grafanaAptUrl: {
        type: "string",
        default: "https://apt.grafana.com",
        description: "Grafana apt repository (suite stable, component main); point it at a mirror if needed.",
    },
    grafanaAptKeyUrl: {
        type: "string",
        default: "https://apt.grafana.com/gpg.key",
        description: "Armored signing key of the Grafana apt repository, installed as a signed-by keyring.",
    },
    grafanaAdminPassword: {
        type: "string",
        default: "",
        description: "Grafana admin password; empty means a generated one (stack output grafanaAdminPassword).",
        secret: true,
    },
    grafanaDatasourceUid: {
        type: "string",
        default: "prometheus",
        description: "Fixed uid of the Prometheus datasource in Grafana; every dashboard points at it.",
    },
    grafanaDatasourceUrl: {
        type: "string",
        default: "",
        description: "URL Grafana reaches Prometheus at; empty means the platform's own (http://localhost:<prometheusPort> on the single Linode host).",
    },
    grafanaLogsDatasourceUid: {
        type: "string",
        default: "victoria-logs",
        description: "Fixed uid of the log store's datasource in Grafana (with logs); the Flask dashboard's log panels point at it.",
    },
    grafanaLogsPluginVersion: {
        type: "string",
        default: "0.30.1",
        description:
            "Version of the VictoriaLogs datasource plugin (victoriametrics-logs-datasource, Apache-2.0, signed; Grafana 10.4 or newer) installed with logs, through grafana cli (which checks the catalog's checksum) or GF_INSTALL_PLUGINS in the docker runtime.",
    },
    grafanaLogsPluginUrl: {
        type: "string",
        default: "",
        description:
            "URL of the plugin's zip for a mirror (air-gapped installs), installed instead of the catalog's; empty means Grafana's plugin catalog at grafanaLogsPluginVersion.",
    },
    grafanaFolder: { type: "string", default: "Monitoring", description: "Grafana folder that holds the project's dashboards." },
    dashboard1860Revision: { type: "integer", default: 37, description: "Revision of grafana.com dashboard 1860, Node Exporter Full." },
    dashboard1860Url: {
        type: "string",
        default: "https://grafana.com/api/dashboards/1860/revisions/%{revision}/download",
        description: "Where dashboard 1860 is downloaded from at deploy time; %{revision} is replaced by dashboard1860Revision.",
    },
    dashboard1860Sha256: {
        type: "string",
        default: "",
        description: "sha256 the downloaded dashboard must have; empty means trust the first download and warn with its sha256 to pin.",
    },
    dashboard1860File: {
        type: "string",
        default: "",
        description: "Local JSON file of dashboard 1860 that replaces the download (air-gapped installs); either published form works.",
    },
});
