// The ids a cloud accepts for regions and machine types, so that a typo is refused before
// anything is created instead of failing halfway through `pulumi up`. Pure data and lookups.
import { InstanceType } from "@pulumi/aws/types/enums/ec2";
import { version as awsProviderVersion } from "@pulumi/aws/package.json";

/**
 * Linode's core compute regions and its plan ids (shared, dedicated, high memory, premium and
 * GPU), compiled on the date below from Linode's published lists (API v4 `GET /regions` and
 * `GET /linode/types`, documented at techdocs.akamai.com). Ids Linode adds after that date are
 * accepted through the setting extraProviderIds.
 */
export const linodeCatalog = {
    compiledOn: "2026-11-24",
    regions: [
        "ap-northeast",
        "ap-south",
        "ap-southeast",
        "ap-west",
        "au-mel",
        "br-gru",
        "ca-central",
        "de-fra-2",
        "es-mad",
        "eu-central",
        "eu-west",
        "fr-par",
        "gb-lon",
        "id-cgk",
        "in-bom-2",
        "in-maa",
        "it-mil",
        "jp-osa",
        "jp-tyo-3",
        "nl-ams",
        "se-sto",
        "sg-sin-2",
        "us-central",
        "us-east",
        "us-iad",
        "us-lax",
        "us-mia",
        "us-ord",
        "us-sea",
        "us-southeast",
        "us-west",
    ],
    types: [
        "g6-nanode-1",
        ...[1, 2, 4, 6, 8, 16, 20, 24, 32].map((n) => `g6-standard-${n}`),
        ...[2, 4, 8, 16, 32, 48, 50, 56, 64].map((n) => `g6-dedicated-${n}`),
        ...[1, 2, 4, 8, 16].map((n) => `g7-highmem-${n}`),
        ...[2, 4, 8, 16, 32, 48, 50, 56, 64].map((n) => `g7-premium-${n}`),
        ...[1, 2, 3, 4].map((n) => `g1-gpu-rtx6000-${n}`),
    ],
} as const;

/**
 * EC2 instance types: the list the AWS provider publishes with each release (the InstanceType
 * enum of the installed @pulumi/aws, pinned by package-lock.json), extended by extraProviderIds.
 */
export const ec2Catalog = {
    source: `@pulumi/aws ${awsProviderVersion}`,
    instanceTypes: Object.values(InstanceType) as string[],
} as const;
