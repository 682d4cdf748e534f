import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { Settings } from "../../settings/settings";
import { placement } from "../../stack/placementPlan";
import type { ServiceModule } from "../../stack/serviceModule";
import { validateGrafana } from "./grafanaChecks";
import { GrafanaService, GrafanaServiceArgs } from "./grafanaService";
import { logsDatasourcePlugin } from "./importDashboard";

/** Grafana's package or image, port and plugins from the settings (the password is given separately). */
export function grafanaArgsFrom(settings: Settings): Omit<GrafanaServiceArgs, "host" | "runtime" | "security" | "adminPassword"> {
    return {
        version: settings.grafanaVersion,
        aptUrl: settings.grafanaAptUrl,
        aptKeyUrl: settings.grafanaAptKeyUrl,
        imageRepository: settings.grafanaImage,
        port: settings.grafanaPort,
        // The log store's datasource plugin, with logs.
        plugins: settings.logs
            ? [
                  {
                      id: logsDatasourcePlugin,
                      version: settings.grafanaLogsPluginVersion,
                      ...(settings.grafanaLogsPluginUrl !== "" ? { url: settings.grafanaLogsPluginUrl } : {}),
                  },
              ]
            : [],
    };
}

/** Grafana's admin password: the grafanaAdminPassword setting, or a generated one; secret either way. */
export function grafanaAdminPasswordFrom(settings: Settings, name: string, opts?: pulumi.CustomResourceOptions): pulumi.Output<string> {
    return pulumi.secret(settings.secrets.grafanaAdminPassword ?? new random.RandomPassword(name, { length: 24, special: false }, opts).result);
}

/** Grafana when it is on: in the monitoring host's group, or on a host of its own (aws; hosts with a grafana machine). */
export const grafanaModule: ServiceModule = {
    name: "grafana",
    validate: validateGrafana,
    // The viewers: on the monitoring host on linode when Grafana is on; on its own host on aws (where the platform leaves it out when off).
    exposure: ({ platform, input, viewers }) =>
        platform === "linode"
            ? input.grafanaEnabled
                ? [{ host: "monitoring", port: input.ports.grafana, service: "grafana", sources: viewers }]
                : []
            : [{ host: "grafana", port: input.ports.grafana, service: "grafana", sources: viewers }],
    placements: (input) =>
        input.grafanaEnabled
            ? [input.separateGrafana ? placement("grafana", "grafana", { name: "grafana" }) : placement("grafana", "monitoring", { grouped: true })]
            : [],
    deploy: (p, ctx) =>
        new GrafanaService(
            p.name,
            { ...ctx.hostOf(p.host), ...grafanaArgsFrom(ctx.settings), adminPassword: ctx.grafanaAdminPassword!, security: ctx.securityOf(p.host) },
            ctx.optionsOf(p),
        ),
};
