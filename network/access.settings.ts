import { declareSettings } from "../settings/declare";

/** Who may reach which port. */
export const accessSettings = declareSettings({
    adminCidrs: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Networks allowed to reach SSH, Prometheus and Alertmanager (at least one, e.g. 203.0.113.7/32).",
    },
    viewerCidrs: { type: "array", items: { type: "string" }, default: [], description: "Networks allowed to reach Grafana; empty means adminCidrs." },
    appCidrs: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Networks allowed to reach the Flask app besides the monitoring host; empty means none.",
    },
    allowWorldOpenPorts: {
        type: "boolean",
        default: false,
        description:
            "Whether adminCidrs, viewerCidrs or appCidrs may open ports to the internet: without it a list whose networks cover more public addresses than one IPv4 /8 or one IPv6 /32 (0.0.0.0/0, 0.0.0.0/1, 2000::/3, ...) is refused.",
    },
});
