import { declareSettings } from "../settings/declare";

/** TLS and basic authentication of every web endpoint. */
export const webSettings = declareSettings({
    webTls: {
        type: "boolean",
        default: true,
        description:
            "Serve Prometheus, Alertmanager, node_exporter and Grafana over HTTPS, each host with a certificate from the stack's own certificate authority (stack output tlsCaCertificate; renewed by pulumi up). Turn off only where something in front of them terminates TLS: the program warns.",
    },
    webAuth: {
        type: "boolean",
        default: true,
        description:
            "Require HTTP basic authentication (webUsername and webPassword) on Prometheus, Alertmanager and node_exporter; Prometheus and Grafana use the same credentials. Turn off only where something in front of them authenticates: the program warns.",
    },
    webUsername: { type: "string", default: "monitoring", description: "User name of the basic authentication." },
    webPassword: {
        type: "string",
        default: "",
        description:
            "Password of the basic authentication (16 characters or more); empty means a generated one, kept secret in the state (stack output webPassword).",
        secret: true,
    },
    tlsCertificateDays: {
        type: "integer",
        default: 397,
        description: "How many days each host's certificate is valid; pulumi up issues a new one in its last 30 days (30 to 825).",
    },
    tlsCertificateDir: {
        type: "string",
        default: "",
        description:
            "A directory of certificates you issue instead of the stack's CA: ca.crt, and monitoring, app (and grafana on three-host layouts) .crt and .key; each must name localhost and its host's addresses (see Secure by default).",
    },
});
