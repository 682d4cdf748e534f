import * as pulumi from "@pulumi/pulumi";
import { SettingProblem, SettingsError } from "../settings/problems";
import { Settings, toSettings } from "../settings/settings";
import { engineSettingSource, readSettingValues, SettingSource, SettingValues } from "../settings/values";
import { validateAccess } from "../network/accessChecks";
import { validateReleases } from "../runtimes/releaseChecks";
import { platformWarnings, validatePlatform } from "../settings/platformChecks";
import { validateWeb, webWarnings } from "../security/webChecks";
import { serviceModules } from "./serviceModules";
import { validateExposure } from "./platformExposure";

/**
 * Checks every setting, one validator per concern, each beside what it checks: the platform, the
 * networks, every release, each service's module, web security. Pure: the same values give the
 * same problems, and nothing is read from the environment. An empty list means the settings are good.
 */
export function validateSettings(v: SettingValues): SettingProblem[] {
    return [
        ...validatePlatform(v),
        ...validateAccess(v),
        ...validateReleases(v),
        ...serviceModules.flatMap((module) => module.validate?.(v) ?? []),
        ...validateWeb(v),
    ];
}

/** What the settings should know but that does not stop a deployment. */
export function settingWarnings(v: SettingValues): string[] {
    return [...webWarnings(v), ...platformWarnings(v), ...serviceModules.flatMap((module) => module.warnings?.(v) ?? [])];
}

/** Linode limits volume and firewall labels to 32 characters; the longest is <prefix>-<stack>-mon-data. */
export function validateLabels(values: Pick<SettingValues, "labelPrefix">, stack: string): SettingProblem[] {
    const longest = `${values.labelPrefix}-${stack}-mon-data`;
    return longest.length > 32
        ? [
              {
                  key: "labelPrefix",
                  value: values.labelPrefix,
                  message: `with stack "${stack}" makes the label "${longest}", longer than Linode's 32 characters`,
                  fix: "pulumi config set labelPrefix <a shorter prefix>",
              },
          ]
        : [];
}

/**
 * Reads and validates the settings of the running stack. Throws one SettingsError listing every
 * problem, before any resource is created.
 */
export function loadSettings(source: SettingSource = engineSettingSource, stack = pulumi.getStack()): Settings {
    const { values, problems } = readSettingValues(source);
    const allProblems = [...problems, ...validateSettings(values), ...validateLabels(values, stack)];
    if (allProblems.length > 0) {
        throw new SettingsError(allProblems);
    }
    const settings = toSettings(values, stack);
    // What the firewalls would open follows from the settings as a whole.
    const exposureProblems = validateExposure(settings);
    if (exposureProblems.length > 0) {
        throw new SettingsError(exposureProblems);
    }
    for (const warning of settingWarnings(values)) {
        pulumi.log.warn(warning);
    }
    return settings;
}
