import { renderHardeningDropIn } from "../../runtimes/systemdUnit";
import type { ContainerSpec } from "../../runtimes/dockerContainer";

export function renderGrafanaHardening(): string {
    return renderHardeningDropIn({ writablePaths: ["/var/lib/grafana", "/var/log/grafana"], runtimeDirectory: "grafana" });
}

export const grafanaTlsDir = "/etc/grafana-secrets/tls";

export const grafanaTlsStaged = { "server.crt": "grafana.server.crt", "server.key": "grafana.server.key", "ca.crt": "grafana.ca.crt" } as const;

/** A Grafana plugin to install at a pinned version, from Grafana's catalog or a mirror's zip. */
export interface GrafanaPlugin {
    readonly id: string;
    readonly version: string;
    /** The zip to install instead of the catalog's; none for the catalog. */
    readonly url?: string;
}

/** The plugins as install-grafana.sh takes them: id@version or id@version@url, space-separated. */
export function pluginsEnv(plugins: readonly GrafanaPlugin[]): string {
    return plugins.map((p) => [p.id, p.version, ...(p.url ? [p.url] : [])].join("@")).join(" ");
}

/** GF_INSTALL_PLUGINS: "id version" from the catalog, or "url;id" from a mirror's zip, comma-separated. */
function installPluginsEnv(plugins: readonly GrafanaPlugin[]): Record<string, string> {
    return plugins.length > 0 ? { GF_INSTALL_PLUGINS: plugins.map((p) => (p.url ? `${p.url};${p.id}` : `${p.id} ${p.version}`)).join(",") } : {};
}

export function grafanaContainer(input: { image: string; port: number; tls: boolean; plugins: readonly GrafanaPlugin[] }): ContainerSpec {
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
            // Installed when the container starts, into its data volume.
            ...installPluginsEnv(input.plugins),
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
