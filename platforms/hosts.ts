import * as pulumi from "@pulumi/pulumi";
import { RemoteHost, SshAuth, sshAuthFields, waitForHost } from "../remote/remoteHost";
import { docker, installDocker, systemd } from "../remote/runtime";
import type { ExistingHost } from "../settings/formats";
import type { Settings } from "../settings/settings";
import { deployMonitoringStack, PlacedHost, ProgramInputs } from "./monitoringStack";
import type { StackOutputs } from "./outputs";

/** A machine as a RemoteHost: reached over SSH at its address, which other hosts use too. */
function existingHost(host: ExistingHost, sshAuth: SshAuth): RemoteHost {
    const connection = { host: host.address, port: host.port, user: host.user, ...sshAuthFields(sshAuth) };
    const ready = waitForHost(`${host.role}-ready`, connection, {});
    return { connection, ready, privateIp: pulumi.output(host.address), publicIp: pulumi.output(host.address) };
}

/**
 * Machines that already exist (on premises, another cloud, the local lab), reached over SSH: the
 * same services as on the other platforms, under systemd or (hostsRuntime docker) in Docker. Two
 * machines (monitoring, app), or three with Grafana on its own (prometheus, grafana, app). Their
 * firewalls stay yours: the ports to open are those of network/exposure.ts.
 */
export function deployHosts(settings: Settings, inputs: ProgramInputs): StackOutputs {
    const machines: Record<string, ExistingHost> = Object.fromEntries(settings.hosts.map((h) => [h.role, h]));
    const placed = (role: string): PlacedHost => {
        const host = existingHost(machines[role], inputs.sshAuth);
        return { host, runtime: settings.hostsRuntime === "docker" ? docker(installDocker(`${role}-docker`, host).installCommand) : systemd };
    };
    const separateGrafana = "grafana" in machines;
    const monitoringRole = separateGrafana ? "prometheus" : "monitoring";
    // Existing machines have no cloud id: their addresses stand in.
    const ids = Object.fromEntries(Object.entries(machines).map(([role, h]) => [role === "prometheus" ? "monitoring" : role, h.address]));
    return deployMonitoringStack(
        settings,
        {
            platform: "hosts",
            monitoring: placed(monitoringRole),
            app: placed("app"),
            grafana: separateGrafana ? placed("grafana") : undefined,
            prometheusData: { dataDir: "/var/lib/prometheus", dataDirIsMount: false },
            ids: {
                monitoringInstanceId: pulumi.output(machines[monitoringRole].address),
                appInstanceId: pulumi.output(machines.app.address),
                instanceIds: pulumi.output(ids),
                networkPolicyIds: pulumi.output<Record<string, string>>({}),
            },
        },
        inputs,
    );
}
