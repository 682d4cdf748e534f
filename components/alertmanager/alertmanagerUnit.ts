import { renderServiceUnit } from "../../runtimes/systemdUnit";
import type { ContainerSpec } from "../../runtimes/dockerContainer";

export interface AlertmanagerClusterFlags {
    readonly port: number;
    /** The address the peers reach this one at (its private address). */
    readonly advertiseAddress: string;
    /** The other replicas' addresses. */
    readonly peers: readonly string[];
    /** --cluster.tls-config: mutual TLS between the peers. */
    readonly tlsConfigFile: string;
}

export interface AlertmanagerFlagsInput {
    readonly port: number;
    readonly dataDir: string;
    readonly webFlags: readonly string[];
    /** Its cluster; undefined for a single Alertmanager. */
    readonly cluster?: AlertmanagerClusterFlags;
}

export function alertmanagerFlags(input: AlertmanagerFlagsInput): string[] {
    const cluster = input.cluster;
    return [
        "--config.file=/etc/alertmanager/alertmanager.yml",
        `--storage.path=${input.dataDir}`,
        `--web.listen-address=:${input.port}`,
        ...input.webFlags,
        ...(cluster
            ? [
                  `--cluster.listen-address=0.0.0.0:${cluster.port}`,
                  `--cluster.advertise-address=${cluster.advertiseAddress}:${cluster.port}`,
                  ...[...cluster.peers].sort().map((peer) => `--cluster.peer=${peer}:${cluster.port}`),
                  `--cluster.tls-config=${cluster.tlsConfigFile}`,
              ]
            : // A single Alertmanager: no gossip port.
              ["--cluster.listen-address="]),
    ];
}

export function renderAlertmanagerUnit(input: AlertmanagerFlagsInput): string {
    return renderServiceUnit({
        description: "Prometheus Alertmanager",
        user: "alertmanager",
        exec: ["/usr/local/bin/alertmanager", ...alertmanagerFlags(input)],
        writablePaths: [input.dataDir],
        reloadWithSighup: true,
    });
}

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
