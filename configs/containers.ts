import type { ContainerSpec } from "./docker";
import { AlertmanagerClusterFlags, alertmanagerFlags, nodeExporterFlags, prometheusFlags } from "./units";

/**
 * The image of a service: its repository tagged with the service's version (the same version
 * setting as the release tarball), or the repository pinned to a digest when it names one
 * (`prom/prometheus@sha256:...`; the version setting must then name the digest's release).
 */
export function imageOf(repository: string, tag: string): string {
    return repository.includes("@sha256:") ? repository : `${repository}:${tag}`;
}

/** The image of a Prometheus-project release (Prometheus, Alertmanager, node_exporter), tagged v<version> as upstream tags them. */
export function releaseImage(repository: string, version: string): string {
    return imageOf(repository, `v${version}`);
}

/** node-exporter as its documentation runs it in Docker: host network and PID, the host's / read-only. */
export function nodeExporterContainer(input: { image: string; port: number; collectors: readonly string[]; webFlags: readonly string[] }): ContainerSpec {
    // The systemd collector asks systemd over the host's D-Bus socket.
    const dbus = input.collectors.includes("systemd")
        ? [{ source: "/run/dbus/system_bus_socket", target: "/var/run/dbus/system_bus_socket", readOnly: true }]
        : [];
    return {
        name: "node-exporter",
        image: input.image,
        hostPid: true,
        volumes: [
            { source: "/", target: "/host", readOnly: true, propagation: "rslave" },
            ...dbus,
            { source: "/etc/node_exporter", target: "/etc/node_exporter", readOnly: true },
        ],
        args: ["--path.rootfs=/host", ...nodeExporterFlags(input)],
        prepare: ["install -d -m 0755 /etc/node_exporter"],
    };
}

/** Prometheus in Docker, with the same flags as the systemd service and its data on the EBS volume. */
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

/** Alertmanager in Docker: alone, or a member of its cluster (gossip on the host's network, as the container's). */
export function alertmanagerContainer(input: { image: string; port: number; webFlags: readonly string[]; cluster?: AlertmanagerClusterFlags }): ContainerSpec {
    return {
        name: "alertmanager",
        image: input.image,
        volumes: [
            { source: "/etc/alertmanager", target: "/etc/alertmanager", readOnly: true },
            { source: "alertmanager-data", target: "/alertmanager" },
        ],
        args: alertmanagerFlags({ port: input.port, dataDir: "/alertmanager", webFlags: input.webFlags, cluster: input.cluster }),
        prepare: ["install -d -m 0755 /etc/alertmanager"],
    };
}

/** Where Grafana's TLS files are on the host, under either runtime. */
export const grafanaTlsDir = "/etc/grafana-secrets/tls";

/** Grafana's TLS files by name in grafanaTlsDir, and the staged names the deployment copies them under. */
export const grafanaTlsStaged = { "server.crt": "grafana.server.crt", "server.key": "grafana.server.key", "ca.crt": "grafana.ca.crt" } as const;

/**
 * Grafana in Docker. Its admin password arrives on standard input and is set before Grafana first
 * starts (so never admin/admin); an existing admin gets it reset.
 */
export function grafanaContainer(input: { image: string; port: number; tls: boolean }): ContainerSpec {
    const scheme = input.tls ? "https" : "http";
    const curl = input.tls ? `curl -fsS --cacert ${grafanaTlsDir}/ca.crt` : "curl -fsS";
    return {
        name: "grafana",
        image: input.image,
        volumes: [
            { source: "grafana-data", target: "/var/lib/grafana" },
            { source: "/etc/grafana-secrets", target: "/etc/grafana-secrets", readOnly: true },
        ],
        env: {
            GF_SECURITY_ADMIN_PASSWORD__FILE: "/etc/grafana-secrets/admin-password",
            GF_SERVER_HTTP_PORT: String(input.port),
            GF_USERS_ALLOW_SIGN_UP: "false",
            GF_ANALYTICS_REPORTING_ENABLED: "false",
            ...(input.tls
                ? {
                      GF_SERVER_PROTOCOL: "https",
                      GF_SERVER_CERT_FILE: "/etc/grafana-secrets/tls/server.crt",
                      GF_SERVER_CERT_KEY: "/etc/grafana-secrets/tls/server.key",
                  }
                : {}),
        },
        args: [],
        prepare: [
            "password=$(cat)",
            'if [ "${#password}" -lt 12 ]; then echo "the Grafana admin password on standard input is missing or shorter than 12 characters" >&2; exit 1; fi',
            "install -d -m 0750 -o 472 -g 0 /etc/grafana-secrets",
            "umask 077",
            "printf '%s' \"$password\" >/etc/grafana-secrets/admin-password",
            "chown 472:0 /etc/grafana-secrets/admin-password",
            ...(input.tls
                ? [
                      // The host's certificate, staged by the deployment; the container reads it as user 472.
                      "install -d -m 0750 -o 472 -g 0 /etc/grafana-secrets/tls",
                      ...Object.entries(grafanaTlsStaged).map(
                          ([file, staged]) => `install -m 0640 -o 472 -g 0 /var/lib/monitoring-stack/stage/${staged} /etc/grafana-secrets/tls/${file}`,
                      ),
                  ]
                : []),
        ],
        verify: [
            `for _ in $(seq 1 60); do ${curl} ${scheme}://localhost:${input.port}/api/health >/dev/null 2>&1 && break; sleep 2; done`,
            `if ! ${curl} -o /dev/null -u "admin:$password" ${scheme}://localhost:${input.port}/api/user; then`,
            "    printf '%s\\n' \"$password\" | docker exec -i grafana grafana cli admin reset-admin-password --password-from-stdin >/dev/null",
            `    ${curl} -o /dev/null -u "admin:$password" ${scheme}://localhost:${input.port}/api/user`,
            "fi",
        ],
    };
}

/** The CloudWatch bridge (YACE) in Docker, with the same flags and environment as the systemd service. */
export function bridgeContainer(input: {
    image: string;
    args: readonly string[];
    environment: Readonly<Record<string, string>>;
    configDir: string;
}): ContainerSpec {
    return {
        name: "cloudwatch-bridge",
        image: input.image,
        // nobody:nogroup, the group that may read its staged configuration.
        user: "65534:65534",
        volumes: [{ source: input.configDir, target: input.configDir, readOnly: true }],
        env: input.environment,
        args: [...input.args],
        prepare: [`install -d -m 0755 ${input.configDir}`],
    };
}

/** A Thanos component in Docker, as nobody, with the same flags as under systemd, its configuration read-only and its data directories writable. */
export function thanosContainer(input: {
    readonly component: string;
    readonly image: string;
    readonly flags: readonly string[];
    readonly configDir: string;
    /** Host directories it writes, by the path it sees them at. */
    readonly dataDirs: readonly { readonly source: string; readonly target: string }[];
}): ContainerSpec {
    return {
        name: input.component,
        image: input.image,
        user: "65534:65534",
        volumes: [{ source: input.configDir, target: input.configDir, readOnly: true }, ...input.dataDirs],
        args: [...input.flags],
        prepare: [`install -d -m 0755 ${input.configDir}`, ...input.dataDirs.map((d) => `install -d -m 0750 -o 65534 -g 65534 ${d.source}`)],
    };
}
