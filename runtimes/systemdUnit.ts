/** A long-running service as systemd should run it. */
export interface ServiceUnitInput {
    readonly description: string;
    /** The unprivileged user and group the service runs as. */
    readonly user: string;
    /** Further groups whose files it reads (the journal's, an app's log directory). */
    readonly supplementaryGroups?: readonly string[];
    /** The program and its arguments, one per line in the unit. */
    readonly exec: readonly string[];
    /** Directories the service may write; everything else is read-only. */
    readonly writablePaths: readonly string[];
    /** Whether `systemctl reload` sends SIGHUP (Prometheus and Alertmanager reread their config). */
    readonly reloadWithSighup: boolean;
    readonly workingDirectory?: string;
    /** Environment files, read by systemd as root. */
    readonly environmentFiles?: readonly string[];
    /** Environment variables (nothing secret: the unit file is world-readable). */
    readonly environment?: Readonly<Record<string, string>>;
    /** ProtectHome value; node_exporter needs read-only to report /home's filesystem. */
    readonly protectHome?: "yes" | "read-only";
    /** Mounts the service needs before it starts, such as the Prometheus data volume. */
    readonly requiresMountsFor?: readonly string[];
    /**
     * Which processes it may see in /proc: only its own (default), or all (node_exporter counts
     * every process and reads their states).
     */
    readonly processes?: "own" | "all";
    /** Socket families it may open; default IPv4, IPv6 and Unix sockets (node_exporter also reads netlink). */
    readonly addressFamilies?: readonly string[];
    /**
     * Whether it reads the kernel clock's discipline (adjtimex, node_exporter's timex collector):
     * then the clock is not hidden from it, and without CAP_SYS_TIME it still cannot set it.
     */
    readonly readsClock?: boolean;
    /**
     * System calls it needs beyond a service's (@system-service), allowed by name: VictoriaLogs asks
     * the kernel with mincore whether the pages of a mapped file are in memory, and panics when refused.
     */
    readonly extraSystemCalls?: readonly string[];
    /**
     * Whether it follows the host's journal (journalctl --follow, the collector's journald
     * receiver). Measured on the lab's hosts (systemd 252): with ProtectKernelTunables,
     * ProtectControlGroups, ProtectProc and KeyringMode=private all set, journalctl --follow of the
     * system journal prints nothing, though it reads the journal; only without all four does it
     * follow. Those four are left out for it; the rest of the confinement stays.
     */
    readonly readsJournal?: boolean;
}

/** What hardening needs to know of a service. */
export type HardeningInput = Pick<
    ServiceUnitInput,
    "writablePaths" | "protectHome" | "processes" | "addressFamilies" | "readsClock" | "extraSystemCalls" | "readsJournal"
>;

/**
 * The [Service] directives that confine a service: no privileges or capabilities, its own user
 * namespace, a read-only system, private /tmp and devices, no access to the clock, kernel,
 * hostname or other processes, the system calls of a service only, IP and Unix sockets only.
 */
function hardening(input: HardeningInput): string[] {
    return [
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        `ProtectHome=${input.protectHome ?? "yes"}`,
        ...(input.writablePaths.length > 0 ? [`ReadWritePaths=${input.writablePaths.join(" ")}`] : []),
        "PrivateTmp=yes",
        "PrivateDevices=yes",
        ...(input.readsJournal ? [] : ["ProtectKernelTunables=yes"]),
        "ProtectKernelModules=yes",
        ...(input.readsJournal ? [] : ["ProtectControlGroups=yes"]),
        // Its own mount namespace, so it cannot install mounts others see (the host's still reach it).
        "PrivateMounts=yes",
        `RestrictAddressFamilies=${(input.addressFamilies ?? ["AF_INET", "AF_INET6", "AF_UNIX"]).join(" ")}`,
        "RestrictNamespaces=yes",
        "RestrictRealtime=yes",
        "RestrictSUIDSGID=yes",
        "LockPersonality=yes",
        "CapabilityBoundingSet=",
        "AmbientCapabilities=",
        "PrivateUsers=yes",
        ...(input.processes === "all" || input.readsJournal ? [] : ["ProtectProc=invisible"]),
        ...(input.readsClock ? [] : ["ProtectClock=yes"]),
        "ProtectKernelLogs=yes",
        "ProtectHostname=yes",
        "RemoveIPC=yes",
        ...(input.readsJournal ? [] : ["KeyringMode=private"]),
        "DevicePolicy=closed",
        "MemoryDenyWriteExecute=yes",
        "SystemCallArchitectures=native",
        "SystemCallFilter=@system-service",
        "SystemCallFilter=~@privileged @resources",
        // After the deny list, which would take them out again (@privileged holds @clock).
        ...(input.readsClock ? ["SystemCallFilter=adjtimex clock_adjtime"] : []),
        ...(input.extraSystemCalls && input.extraSystemCalls.length > 0 ? [`SystemCallFilter=${input.extraSystemCalls.join(" ")}`] : []),
        "SystemCallErrorNumber=EPERM",
        // A service that writes nothing creates nothing others may read.
        `UMask=${input.writablePaths.length === 0 ? "0077" : "0027"}`,
    ];
}

/**
 * A drop-in (/etc/systemd/system/<unit>.d/*.conf) that confines a service whose unit a package
 * ships, such as Grafana's: the same directives as the units this program writes, plus a runtime
 * directory under /run when the service writes one there (its pid file).
 */
export function renderHardeningDropIn(input: HardeningInput & { readonly runtimeDirectory?: string }): string {
    return [
        "# Rendered by the monitoring Pulumi program; changes here are overwritten.",
        "[Service]",
        ...(input.runtimeDirectory ? [`RuntimeDirectory=${input.runtimeDirectory}`, "RuntimeDirectoryMode=0750"] : []),
        ...hardening(input),
        "",
    ].join("\n");
}

/**
 * Renders a hardened systemd service unit: no privileges or capabilities, its own user namespace,
 * a read-only system, private /tmp and devices, no access to the clock, kernel, hostname or other
 * processes, the system calls of a service only, and network families limited to IP and Unix
 * sockets. `systemd-analyze security` rates every unit the program writes 2.0 or lower (tested in
 * tests/renderers.test.ts and measured on the lab's running hosts).
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
        ...(input.supplementaryGroups && input.supplementaryGroups.length > 0 ? [`SupplementaryGroups=${input.supplementaryGroups.join(" ")}`] : []),
        ...(input.workingDirectory ? [`WorkingDirectory=${input.workingDirectory}`] : []),
        ...(input.environmentFiles ?? []).map((file) => `EnvironmentFile=${file}`),
        ...Object.keys(input.environment ?? {})
            .sort()
            .map((key) => `Environment=${key}=${input.environment![key]}`),
        `ExecStart=${input.exec.join(" \\\n    ")}`,
        ...(input.reloadWithSighup ? ["ExecReload=/bin/kill -HUP $MAINPID"] : []),
        "Restart=on-failure",
        "RestartSec=5s",
        "TimeoutStopSec=60s",
        ...hardening(input),
        "",
        "[Install]",
        "WantedBy=multi-user.target",
        "",
    ];
    return lines.join("\n");
}
