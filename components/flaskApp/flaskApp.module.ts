import { awsScrapersOf, cidrs, fromHost } from "../../network/exposure";
import type { Settings } from "../../settings/settings";
import { placement } from "../../stack/placementPlan";
import type { ServiceModule } from "../../stack/serviceModule";
import { validateApp } from "./flaskAppChecks";
import { FlaskAppService, FlaskAppServiceArgs } from "./flaskAppService";

/** The Flask app as the settings describe it, with static AWS keys where the platform uses them. */
export function flaskAppArgsFrom(settings: Settings): Omit<FlaskAppServiceArgs, "host"> {
    return {
        metricsMode: settings.appMetricsMode,
        port: settings.appPort,
        awsRegion: settings.appAwsRegion,
        awsAccessKeyId: settings.secrets.appAwsAccessKeyId,
        awsSecretAccessKey: settings.secrets.appAwsSecretAccessKey,
    };
}

/** Whether the Flask app serves Prometheus metrics (appMetricsMode prometheus or both), so it is scraped and its rules and dashboard apply. */
export function flaskAppServesMetrics(settings: Pick<Settings, "appMetricsMode">): boolean {
    return settings.appMetricsMode !== "cloudwatch";
}

/** The guide's Flask app on the app host, after what the platform makes it wait for (its instance role on aws). */
export const flaskAppModule: ServiceModule = {
    name: "flaskApp",
    validate: validateApp,
    placements: () => [placement("flaskApp", "app")],
    // Its metrics for Prometheus (the monitoring host on linode, every replica but its own on aws), the app itself for appCidrs.
    exposure: ({ platform, input }) => [
        {
            host: "app",
            port: input.ports.app,
            service: "flask_app",
            sources: [...(platform === "linode" ? [fromHost("monitoring")] : awsScrapersOf(input, "app")), ...cidrs(input.appCidrs)],
        },
    ],
    deploy: (p, ctx) =>
        new FlaskAppService(
            p.name,
            { host: ctx.hostOf(p.host).host, ...flaskAppArgsFrom(ctx.settings) },
            ctx.optionsOf(p, { dependsOn: ctx.layout.appDependsOn }),
        ),
};
