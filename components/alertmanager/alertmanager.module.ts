import * as pulumi from "@pulumi/pulumi";
import { awsScrapersOf, Exposure, ExposureContext, ExposureSource, fromHost, HostRole } from "../../network/exposure";
import { peerAddress } from "../../remote/remoteHost";
import type { Settings } from "../../settings/settings";
import { placement, placementsOf, replicaHosts } from "../../stack/placementPlan";
import { releaseOf } from "../../stack/serviceArgs";
import type { ServiceModule, StackContext } from "../../stack/serviceModule";
import type { Placement } from "../../stack/placementPlan";
import { validateAlerting } from "./alertingChecks";
import { AlertmanagerConfigInput, alertmanagerSecretFiles, renderAlertmanagerConfig } from "./alertmanagerConfig";
import { AlertmanagerClusterArgs, alertmanagerConfigDir, AlertmanagerService } from "./alertmanagerService";

/** The configured channels' secrets by the path of their file in Alertmanager's directory (each a secret Output). */
export function alertmanagerSecretsFrom(settings: Settings): Record<string, pulumi.Output<string>> {
    const s = settings.secrets;
    const present: [keyof typeof alertmanagerSecretFiles, pulumi.Output<string> | undefined][] = [
        ["smtpPassword", settings.smtpSmarthost !== "" && settings.smtpUsername !== "" ? (s.smtpPassword ?? pulumi.secret("")) : undefined],
        ["slackWebhookUrl", s.slackWebhookUrl],
        ["webhookUrl", s.webhookUrl],
        ["pagerdutyRoutingKey", s.pagerdutyRoutingKey],
        ["heartbeatWebhookUrl", s.heartbeatWebhookUrl],
    ];
    return Object.fromEntries(present.filter(([, value]) => value !== undefined).map(([key, value]) => [alertmanagerSecretFiles[key], value!]));
}

/** Alertmanager's receivers and routing from the settings; its secrets are named by their files (alertmanagerSecretsFrom). */
export function alertmanagerConfigFrom(settings: Settings, configDir: string): AlertmanagerConfigInput {
    const s = settings.secrets;
    const file = (key: keyof typeof alertmanagerSecretFiles) => `${configDir}/${alertmanagerSecretFiles[key]}`;
    return {
        ...(settings.smtpSmarthost !== ""
            ? {
                  email: {
                      smarthost: settings.smtpSmarthost,
                      from: settings.smtpFrom,
                      to: settings.smtpTo,
                      username: settings.smtpUsername,
                      passwordFile: file("smtpPassword"),
                      requireTls: settings.smtpRequireTls,
                  },
              }
            : {}),
        ...(s.slackWebhookUrl ? { slack: { webhookUrlFile: file("slackWebhookUrl"), channel: settings.slackChannel } } : {}),
        ...(s.webhookUrl ? { webhook: { urlFile: file("webhookUrl") } } : {}),
        ...(s.pagerdutyRoutingKey ? { pagerduty: { routingKeyFile: file("pagerdutyRoutingKey") } } : {}),
        ...(s.heartbeatWebhookUrl ? { heartbeat: { urlFile: file("heartbeatWebhookUrl") } } : {}),
        timing: { groupWait: settings.alertGroupWait, groupInterval: settings.alertGroupInterval, repeatInterval: settings.alertRepeatInterval },
        criticalReceivers: settings.criticalReceivers,
        warningReceivers: settings.warningReceivers,
    };
}

/** Alertmanager's release, image and port (its configuration is given separately). */
export function alertmanagerArgsFrom(settings: Settings): { download: ReturnType<typeof releaseOf>["download"]; imageRepository: string; port: number } {
    return { ...releaseOf(settings, "alertmanager"), port: settings.alertmanagerPort };
}

/** How one replica joins the cluster: its own address, the others', and its peer certificate; none for a single Alertmanager. */
function clusterOf(p: Placement, ctx: StackContext): AlertmanagerClusterArgs | undefined {
    const replicas = placementsOf(ctx.plan, "alertmanager");
    if (replicas.length < 2) return undefined;
    const own = ctx.hostOf(p.host).host;
    return {
        port: ctx.settings.alertmanagerClusterPort,
        advertiseAddress: peerAddress(own),
        peers: replicas.filter((r) => r.host !== p.host).map((r) => peerAddress(ctx.hostOf(r.host).host)),
        tls: ctx.security.peerTls(p.host, own)!,
    };
}

/**
 * Who reaches Alertmanager: the admins, and every Prometheus replica that alerts it (on linode the
 * monitoring host's, and a replica on the app host over the stack's VLAN, which no firewall filters
 * and only the stack's instances join; on aws every replica but its own host's); and between the
 * replicas, the gossip port (the VLAN on linode; the other replicas' groups on aws).
 */
function alertmanagerExposure({ platform, input, admin }: ExposureContext): Exposure[] {
    const port = input.ports.alertmanager;
    const hosts = input.alertmanagerHosts ?? ["monitoring"];
    const gossip = input.ports.alertmanagerCluster;
    const alerters = (host: HostRole): ExposureSource[] => (platform === "linode" ? [fromHost("monitoring")] : awsScrapersOf(input, host));
    const monitoring: Exposure =
        platform === "linode"
            ? { host: "monitoring", port, service: "alertmanager", sources: admin }
            : { host: "monitoring", port, service: "alertmanager", sources: [...awsScrapersOf(input, "monitoring"), ...admin] };
    if (hosts.length < 2 || gossip === undefined) return [monitoring];
    return [
        monitoring,
        ...hosts.flatMap((host): Exposure[] => [
            ...(host === "monitoring" ? [] : [{ host, port, service: "alertmanager", sources: [...alerters(host), ...admin] }]),
            ...(platform === "linode"
                ? []
                : [{ host, port: gossip, service: "alertmanager_cluster", sources: hosts.filter((peer) => peer !== host).map(fromHost) }]),
        ]),
    ];
}

/** Alertmanager: one replica per host (alertmanagerReplicas), the first in the monitoring host's group, gossiping over mutual TLS when there are more. */
export const alertmanagerModule: ServiceModule = {
    name: "alertmanager",
    validate: validateAlerting,
    exposure: alertmanagerExposure,
    placements: (input) =>
        replicaHosts(input, input.alertmanagerReplicas).map((host, replica) => placement("alertmanager", host, { grouped: replica === 0, replica })),
    deploy: (p, ctx) =>
        new AlertmanagerService(
            p.name,
            {
                ...ctx.hostOf(p.host),
                ...alertmanagerArgsFrom(ctx.settings),
                // An Output, as it has always been staged (a Command); it holds no secret.
                config: pulumi.output(renderAlertmanagerConfig(alertmanagerConfigFrom(ctx.settings, alertmanagerConfigDir))),
                secretFiles: alertmanagerSecretsFrom(ctx.settings),
                security: ctx.securityOf(p.host),
                cluster: clusterOf(p, ctx),
            },
            ctx.optionsOf(p),
        ),
};
