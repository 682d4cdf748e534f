/** A long-running service as systemd should run it. */
export interface ServiceUnitInput {
    readonly description: string;
    /** The unprivileged user and group the service runs as. */
    readonly user: string;
    /** The program and its arguments, one per line in the unit. */
    readonly exec: readonly string[];
    /** Directories the service may write; everything else is read-only. */
    readonly writablePaths: readonly string[];
    /** Whether `systemctl reload` sends SIGHUP (Prometheus and Alertmanager reread their config). */
    readonly reloadWithSighup: boolean;
    readonly workingDirectory?: string;
    /** Environment files, read by systemd as root. */
    readonly environmentFiles?: readonly string[];
    /** ProtectHome value; node_exporter needs read-only to report /home's filesystem. */
    readonly protectHome?: "yes" | "read-only";
    /** Mounts the service needs before it starts, such as the Prometheus data volume. */
    readonly requiresMountsFor?: readonly string[];
}

/**
 * Renders a hardened systemd service unit: no privileges, a read-only system, private /tmp and
 * devices, and network families limited to IP and Unix sockets.
 */
export function renderServiceUnit(input: ServiceUnitInput): string {
    const lines = [
        "# Rendered by the monitoring Pulumi program; changes here are overwritten.",
        "[Unit]",
        `Description=${input.description}`,
        "Wants=network-online.target",
        "After=network-online.target",
        ...(input.requiresMountsFor && input.requiresMountsFor.length > 0 ? [`RequiresMountsFor=${input.requiresMountsFor.join(" ")}`] : []),
        "",
        "[Service]",
        "Type=simple",
        `User=${input.user}`,
        `Group=${input.user}`,
        ...(input.workingDirectory ? [`WorkingDirectory=${input.workingDirectory}`] : []),
        ...(input.environmentFiles ?? []).map((file) => `EnvironmentFile=${file}`),
        `ExecStart=${input.exec.join(" \\\n    ")}`,
        ...(input.reloadWithSighup ? ["ExecReload=/bin/kill -HUP $MAINPID"] : []),
        "Restart=on-failure",
        "RestartSec=5s",
        "TimeoutStopSec=60s",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        `ProtectHome=${input.protectHome ?? "yes"}`,
        ...(input.writablePaths.length > 0 ? [`ReadWritePaths=${input.writablePaths.join(" ")}`] : []),
        "PrivateTmp=yes",
        "PrivateDevices=yes",
        "ProtectKernelTunables=yes",
        "ProtectKernelModules=yes",
        "ProtectControlGroups=yes",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK",
        "RestrictNamespaces=yes",
        "RestrictRealtime=yes",
        "RestrictSUIDSGID=yes",
        "LockPersonality=yes",
        "CapabilityBoundingSet=",
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ];
    return lines.join("\n");
}
