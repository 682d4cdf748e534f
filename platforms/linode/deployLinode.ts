import * as pulumi from "@pulumi/pulumi";
import * as linode from "@pulumi/linode";
import * as random from "@pulumi/random";
import { linodeDiscoveryScopes, NodeDiscovery } from "../../components/prometheus/nodeDiscovery";
import { LinodeAppHost } from "./linodeAppHost";
import { LinodeMonitoringHost } from "./linodeMonitoringHost";
import { linodePeerNetwork } from "./linodeInstance";
import { LinodeMetricsBucket } from "../../components/thanos/linodeMetricsBucket";
import { systemd } from "../../runtimes/runtime";
import { resolveRules } from "../../network/exposure";
import { platformExposure } from "../../stack/platformExposure";
import type { Settings } from "../../settings/settings";
import { deployMonitoringStack } from "../../stack/monitoringStack";
import { ProgramInputs } from "../../stack/layout";
import type { StackOutputs } from "../../stack/outputs";

/** Cloud labels of the two hosts: <labelPrefix>-<stack>-mon and <labelPrefix>-<stack>-app. */
export function linodeLabels(settings: Pick<Settings, "labelPrefix" | "stack">): { monitoring: string; app: string } {
    const base = `${settings.labelPrefix}-${settings.stack}`;
    return { monitoring: `${base}-mon`, app: `${base}-app` };
}

/**
 * Discovery of the Linodes tagged nodeDiscoveryTag: with linodeDiscoveryToken, or a token the stack
 * creates with the read-only scopes discovery needs and nothing else (revoked on destroy).
 */
function linodeDiscovery(settings: Settings, ownInstanceIds: pulumi.Output<string>[]): pulumi.Output<NodeDiscovery> {
    const token =
        settings.secrets.linodeDiscoveryToken ??
        new linode.Token("node-discovery-token", {
            label: `${settings.labelPrefix}-${settings.stack}-node-discovery`,
            scopes: linodeDiscoveryScopes.join(" "),
        }).token;
    return pulumi
        .all([pulumi.secret(token), ...ownInstanceIds])
        .apply(([credentials, ...ids]) => ({ provider: "linode" as const, tag: settings.nodeDiscoveryTag, token: credentials, excludeInstanceIds: ids }));
}

/**
 * The Linode layout of guide 000: a monitoring host (Prometheus, Alertmanager, node_exporter,
 * Grafana, a data volume) and a Flask app host (the app and node_exporter), each behind a firewall.
 */
export function deployLinode(settings: Settings, inputs: ProgramInputs): StackOutputs {
    const { sshAuth } = inputs;
    const labels = linodeLabels(settings);
    const tags = [...new Set([...settings.tags, `stack-${settings.stack}`])];
    const rootPassword =
        settings.secrets.rootPassword ?? new random.RandomPassword("root-password", { length: 32, special: true, overrideSpecial: "-_.~" }).result;
    // The replicas' hosts as the placement plan puts them, so the firewalls open what the services need.
    const exposure = platformExposure(settings, "linode");
    const common = { region: settings.region, image: settings.image, tags, authorizedKeys: settings.sshPublicKeys, rootPassword, sshAuth };
    // Replicas on both hosts reach each other over the stack's VLAN: the region's private network is
    // shared with other customers, and each firewall is made before the other host's address exists.
    const peers = settings.prometheusReplicas > 1 || settings.alertmanagerReplicas > 1;
    const vlanOf = (role: "monitoring" | "app") =>
        peers
            ? { vlan: { label: `${settings.labelPrefix}-${settings.stack}-peers`.replace(/[^A-Za-z0-9_-]/g, "-"), address: linodePeerNetwork.addresses[role] } }
            : {};

    const monitoring = new LinodeMonitoringHost("monitoring", {
        ...common,
        label: labels.monitoring,
        type: settings.monitoringInstanceType,
        volumeSizeGb: settings.prometheusVolumeSizeGb,
        firewallRules: resolveRules(exposure, "monitoring", () => []),
        ...vlanOf("monitoring"),
    });
    const monitoringAddresses = pulumi.all([monitoring.instance.ipAddress, monitoring.instance.privateIpAddress]);
    const app = new LinodeAppHost("app", {
        ...common,
        label: labels.app,
        type: settings.appInstanceType,
        firewallRules: monitoringAddresses.apply((addresses) => resolveRules(exposure, "app", () => addresses)),
        ...vlanOf("app"),
    });

    const discovery = settings.nodeDiscoveryTag === "" ? undefined : linodeDiscovery(settings, [monitoring.instance.id, app.instance.id]);
    const metricsBucket = settings.thanos
        ? new LinodeMetricsBucket("metrics-bucket", {
              region: settings.region,
              namePrefix: `${settings.labelPrefix}-${settings.stack}`,
              existingBucket: settings.thanosBucket,
              endpoint: settings.thanosBucketEndpoint,
              keys: settings.secrets.thanosBucketAccessKeyId
                  ? { accessKeyId: settings.secrets.thanosBucketAccessKeyId, secretAccessKey: settings.secrets.thanosBucketSecretAccessKey! }
                  : undefined,
          })
        : undefined;

    return deployMonitoringStack(
        settings,
        {
            platform: "linode",
            monitoring: { host: monitoring.host, runtime: systemd },
            app: { host: app.host, runtime: systemd },
            prometheusData: { dataDir: monitoring.dataMountPoint, dataDirIsMount: true, dependsOn: [monitoring.volumeMount] },
            discovery,
            ...(metricsBucket ? { thanosBucket: { bucket: metricsBucket.bucket, dependsOn: metricsBucket.dependsOn } } : {}),
            ids: {
                monitoringInstanceId: monitoring.instance.id,
                appInstanceId: app.instance.id,
                instanceIds: pulumi.all({ monitoring: monitoring.instance.id, app: app.instance.id }),
                networkPolicyIds: pulumi.all({ monitoring: monitoring.firewall.id, app: app.firewall.id }),
            },
        },
        inputs,
    );
}
