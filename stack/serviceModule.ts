import * as pulumi from "@pulumi/pulumi";
import type { ScrapeTopology } from "../components/prometheus/prometheusFiles";
import type { Exposure, ExposureContext } from "../network/exposure";
import type { HostWebSecurity } from "../security/webSecurity";
import type { ScrapeJob } from "../settings/formats";
import type { SettingProblem } from "../settings/problems";
import type { Settings } from "../settings/settings";
import type { SettingValues } from "../settings/values";
import type { MonitoringLayout, PlacedHost, ProgramInputs } from "./layout";
import type { Placement, PlacementInput } from "./placementPlan";
import type { StackSecurity } from "./stackSecurity";

/**
 * What the composition hands a service module when it places the service: the settings, the hosts
 * the platform provides, the stack's certificates and credentials, the plan, and what the modules
 * before it deployed.
 */
export interface StackContext {
    readonly settings: Settings;
    readonly layout: MonitoringLayout;
    readonly inputs: ProgramInputs;
    readonly plan: readonly Placement[];
    readonly security: StackSecurity;
    /** A host of the plan, by role (monitoring, app, grafana) or node host name. */
    hostOf(host: string): PlacedHost;
    /** That host's TLS certificate and the stack's credentials. */
    securityOf(host: string): HostWebSecurity;
    /** The options of a placement's component: the monitoring host's group as parent when grouped, and its aliases from earlier releases. */
    optionsOf(placement: Placement, extra?: pulumi.ComponentResourceOptions): pulumi.ComponentResourceOptions;
    /** What a Prometheus replica scrapes and where it alerts (the same targets under the same names on every replica). */
    scrapeTopology(replica: number): pulumi.Output<ScrapeTopology>;
    /** Grafana's admin password (generated unless set), when Grafana is on. */
    readonly grafanaAdminPassword?: pulumi.Output<string>;
    /** The component a module deployed for a placement, by the placement's name. */
    deployed<T extends pulumi.ComponentResource>(name: string): T | undefined;
}

/**
 * A service as the shared machinery consumes it: the checks of its settings, where it runs, and how
 * one placement becomes its component. Each service's module lives in its folder
 * (`components/<service>/<service>.module.ts`); stack/serviceModules.ts registers them, one line
 * each. Its settings are declared in the slice beside it (settings/declarations.ts gathers those,
 * as the settings' types follow from them).
 */
export interface ServiceModule {
    /** The service's folder under components/. */
    readonly name: string;
    /** Problems with its settings; pure, run before any resource. */
    readonly validate?: (values: SettingValues) => SettingProblem[];
    /** Warnings about its settings that do not stop a deployment. */
    readonly warnings?: (values: SettingValues) => string[];
    /** Where it runs and under which names (see stack/placementPlan.ts). */
    readonly placements: (input: PlacementInput) => Placement[];
    /** The component of one placement. */
    readonly deploy: (placement: Placement, context: StackContext) => pulumi.ComponentResource;
    /**
     * Scrape jobs it adds to every Prometheus replica: at the monitoring host's address as that
     * replica reaches it (localhost, or its peer address where replicas run on other hosts), or at
     * fixed addresses (the bridge on each replica's loopback).
     */
    readonly scrapeJobs?: (settings: Settings, monitoringAddress: string) => ScrapeJob[];
    /** Who may reach the ports it serves, on the platforms whose firewalls the program makes (stack/exposureTables.ts). */
    readonly exposure?: (context: ExposureContext) => Exposure[];
}
