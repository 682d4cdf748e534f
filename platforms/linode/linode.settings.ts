import { declareSettings } from "../../settings/declare";

/** The Linode platform: the two instances and the Prometheus volume. */
export const linodeSettings = declareSettings({
    region: { type: "string", default: "us-mia", description: "Linode region of both hosts.", platforms: ["linode"] },
    image: { type: "string", default: "linode/ubuntu24.04", description: "Linode image of both hosts.", platforms: ["linode"] },
    monitoringInstanceType: {
        type: "string",
        default: "g6-standard-4",
        description: "Linode type of the monitoring host (the guide's 8 GB shared plan).",
        platforms: ["linode"],
    },
    appInstanceType: { type: "string", default: "g6-nanode-1", description: "Linode type of the Flask app host.", platforms: ["linode"] },
    prometheusVolumeSizeGb: {
        type: "integer",
        default: 50,
        description: "Size of the Linode volume that holds the Prometheus data directory (10 or more).",
        platforms: ["linode", "aws"],
    },
    rootPassword: {
        type: "string",
        default: "",
        description: "Root password of the Linode hosts; empty means a generated one, kept secret in the state.",
        secret: true,
        platforms: ["linode"],
    },
});
