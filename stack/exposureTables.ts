import { Exposure, ExposureInput, exposureContext, FirewallPlatform, sshExposure } from "../network/exposure";
import { serviceModules } from "./serviceModules";

/**
 * Who may reach which port of which host on a platform whose firewalls the program makes: SSH from
 * the admins on every host, and each service's own rows (its module's `exposure`). One table drives
 * the Linode firewalls, the AWS security groups and their tests.
 */
export function exposureTable(platform: FirewallPlatform, input: ExposureInput): Exposure[] {
    const context = exposureContext(platform, input);
    return [...sshExposure(context), ...serviceModules.flatMap((module) => module.exposure?.(context) ?? [])];
}

/** The exposure of the Linode layout: everything not listed is dropped. */
export const linodeExposure = (input: ExposureInput): Exposure[] => exposureTable("linode", input);

/** The exposure of the three-instance AWS layout of guide 003. */
export const awsExposure = (input: ExposureInput): Exposure[] => exposureTable("aws", input);
