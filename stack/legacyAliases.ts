import * as pulumi from "@pulumi/pulumi";
import type { Platform } from "../settings/choices";
import { monitoringGroupName } from "./placementPlan";

// Every alias of the program, in one place: the URNs under which stacks deployed by earlier releases
// declared a resource, so that `pulumi up` moves it instead of replacing it. tests/urnContinuity.test.ts
// keeps the URN lists of those stacks.

/** The type token of the Linode app host before it was named LinodeAppHost (FlaskAppHost, which also held the app's services). */
export const legacyAppHostType = "monitoring:linode:FlaskAppHost";

/** The type token of the AWS component before the one service layer, when it also held the services. */
export const legacyAwsType = "monitoring:aws:AwsDockerMonitoring";

/** The aliases of a placed service or secret, by its resource name (see stack/placementPlan.ts). */
export type LegacyAliases = Readonly<Record<string, pulumi.Input<string>[]>>;

/**
 * Where each platform declared its services before the one service layer: on Linode, the app's
 * services were children of the app host and the Grafana password a child of MonitoringServices;
 * on aws, the services were containers (monitoring:docker:ContainerService) and the app inside the
 * AWS component, named aws-<service>. Full URNs (pulumi.createUrn), which hold for top-level
 * resources too; children inherit them.
 */
export function legacyAliases(platform: Platform): LegacyAliases {
    switch (platform) {
        case "linode": {
            const appHost = pulumi.createUrn("app", legacyAppHostType);
            const group = pulumi.createUrn(monitoringGroupName, "monitoring:services:MonitoringServices");
            return {
                "app-node-exporter": [pulumi.createUrn("app-node-exporter", "monitoring:services:NodeExporter", appHost)],
                "app-flask-app": [pulumi.createUrn("app-flask-app", "monitoring:services:FlaskApp", appHost)],
                "grafana-admin-password": [
                    pulumi.createUrn(`${monitoringGroupName}-grafana-admin-password`, "random:index/randomPassword:RandomPassword", group),
                ],
            };
        }
        case "aws": {
            const parent = pulumi.createUrn("aws", legacyAwsType);
            const container = (name: string) => [pulumi.createUrn(name, "monitoring:docker:ContainerService", parent)];
            return {
                [`${monitoringGroupName}-prometheus`]: container("aws-prometheus"),
                [`${monitoringGroupName}-alertmanager`]: container("aws-alertmanager"),
                [`${monitoringGroupName}-node-exporter`]: container("aws-monitoring-node-exporter"),
                "app-node-exporter": container("aws-app-node-exporter"),
                "grafana-node-exporter": container("aws-grafana-node-exporter"),
                grafana: container("aws-grafana"),
                "app-flask-app": [pulumi.createUrn("aws-flask-app", "monitoring:services:FlaskApp", parent)],
            };
        }
        case "hosts":
            return {};
        default: {
            const unknown: never = platform;
            throw new Error(`platform ${String(unknown)} has no aliases`);
        }
    }
}
