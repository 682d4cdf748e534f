import * as pulumi from "@pulumi/pulumi";
import { RemoteHost, SshAuth, sshAuthFields, waitForHost } from "../../remote/remoteHost";
import { docker, installDocker, Runtime, systemd } from "../../runtimes/runtime";
import type { ExistingHost } from "../../settings/formats";
import type { Settings } from "../../settings/settings";
import { nodeRole, RuntimeKind } from "../../settings/choices";
import { deployMonitoringStack } from "../../stack/monitoringStack";
import { PlacedHost, ProgramInputs } from "../../stack/layout";
import type { StackOutputs } from "../../stack/outputs";
import type { ThanosBucket } from "../../components/thanos/thanosConfig";

/** A machine as a RemoteHost: reached over SSH at its address, which other hosts use too. */
function existingHost(name: string, host: ExistingHost, sshAuth: SshAuth): RemoteHost {
    const connection = { host: host.address, port: host.port, user: host.user, ...sshAuthFields(sshAuth) };
    const ready = waitForHost(`${name}-ready`, connection, {});
    return { connection, ready, privateIp: pulumi.output(host.address), publicIp: pulumi.output(host.address) };
}

/** The name of a node host's resources: node-<address>, such as node-10-0-0-7. */
export function nodeHostName(host: ExistingHost): string {
    return `${nodeRole}-${host.address.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

/** The bucket of an S3-compatible store the user runs (validation has required every field), its key pair a secret. */
function suppliedBucket(settings: Settings): pulumi.Output<ThanosBucket> {
    const s = settings.secrets;
    return pulumi.secret(
        pulumi.all([s.thanosBucketAccessKeyId!, s.thanosBucketSecretAccessKey!]).apply(([accessKeyId, secretAccessKey]) => ({
            bucket: settings.thanosBucket,
            endpoint: settings.thanosBucketEndpoint,
            region: settings.thanosBucketRegion,
            insecure: settings.thanosBucketInsecure,
            keys: { accessKeyId, secretAccessKey },
        })),
    );
}

/**
 * Machines that already exist (on premises, another cloud, the local lab), reached over SSH: the
 * same services as on the other platforms, under systemd or (hostsRuntime docker) in Docker. Two
 * machines (monitoring, app), or three with Grafana on its own (prometheus, grafana, app). Their
 * firewalls stay yours: the ports to open are those of network/exposure.ts. Any number of further
 * machines in the node role run node_exporter only, and are scraped with their labels.
 */
/** The runtime the services use on one machine: systemd, or Docker installed there first. */
function runtimeOn(name: string, host: RemoteHost, kind: RuntimeKind, journal: boolean): Runtime {
    switch (kind) {
        case "systemd":
            return systemd;
        case "docker":
            return docker(installDocker(`${name}-docker`, host).installCommand, { journal });
        default: {
            const unknown: never = kind;
            throw new Error(`hostsRuntime ${String(unknown)} has no runtime`);
        }
    }
}

export function deployHosts(settings: Settings, inputs: ProgramInputs): StackOutputs {
    const machines: Record<string, ExistingHost> = Object.fromEntries(settings.hosts.filter((h) => h.role !== nodeRole).map((h) => [h.role, h]));
    const place = (name: string, machine: ExistingHost): PlacedHost => {
        const host = existingHost(name, machine, inputs.sshAuth);
        return { host, runtime: runtimeOn(name, host, settings.hostsRuntime, settings.logs) };
    };
    const placed = (role: string): PlacedHost => place(role, machines[role]);
    const separateGrafana = "grafana" in machines;
    const monitoringRole = separateGrafana ? "prometheus" : "monitoring";
    // Existing machines have no cloud id: their addresses stand in.
    const nodeMachines = settings.hosts.filter((h) => h.role === nodeRole);
    const ids: Record<string, string> = Object.fromEntries([
        ...Object.entries(machines).map(([role, h]) => [role === "prometheus" ? "monitoring" : role, h.address]),
        ...nodeMachines.map((h) => [nodeHostName(h), h.address]),
    ]);
    return deployMonitoringStack(
        settings,
        {
            platform: "hosts",
            monitoring: placed(monitoringRole),
            app: placed("app"),
            grafana: separateGrafana ? placed("grafana") : undefined,
            nodes: nodeMachines.map((machine) => ({ name: nodeHostName(machine), ...place(nodeHostName(machine), machine), labels: machine.labels })),
            prometheusData: { dataDir: "/var/lib/prometheus", dataDirIsMount: false },
            ...(settings.thanos ? { thanosBucket: { bucket: suppliedBucket(settings) } } : {}),
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
