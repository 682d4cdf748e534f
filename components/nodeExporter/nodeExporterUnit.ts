import { renderServiceUnit } from "../../runtimes/systemdUnit";
import type { ContainerSpec } from "../../runtimes/dockerContainer";

export const optionalNodeExporterCollectors = [
    "buddyinfo",
    "cgroups",
    "cpu_vulnerabilities",
    "drbd",
    "drm",
    "ethtool",
    "interrupts",
    "ksmd",
    "lnstat",
    "logind",
    "meminfo_numa",
    "mountstats",
    "network_route",
    "ntp",
    "perf",
    "processes",
    "qdisc",
    "runit",
    "slabinfo",
    "softirqs",
    "supervisord",
    "sysctl",
    "systemd",
    "tcpstat",
    "wifi",
    "xfrm",
    "zoneinfo",
] as const;

export function nodeExporterFlags(input: { readonly port: number; readonly collectors: readonly string[]; readonly webFlags: readonly string[] }): string[] {
    return [`--web.listen-address=:${input.port}`, ...input.webFlags, ...[...input.collectors].sort().map((c) => `--collector.${c}`)];
}

export function renderNodeExporterUnit(input: { readonly port: number; readonly collectors: readonly string[]; readonly webFlags: readonly string[] }): string {
    return renderServiceUnit({
        description: "Prometheus node_exporter",
        user: "node_exporter",
        exec: ["/usr/local/bin/node_exporter", ...nodeExporterFlags(input)],
        writablePaths: [],
        reloadWithSighup: false,
        protectHome: "read-only",
        processes: "all",
        readsClock: true,
        // Network device statistics come over netlink.
        addressFamilies: ["AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK"],
    });
}

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
