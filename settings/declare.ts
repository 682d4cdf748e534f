import type { Platform } from "./choices";

/** How a setting is set: its Pulumi config type. Lists hold strings, or objects whose fields the program declares (remoteWrite). */
export type SettingType = "string" | "integer" | "boolean" | "array";

/**
 * One setting, declared once beside what it configures: its type, default and meaning, and what the
 * program needs to know of it. Pulumi.yaml's `config:` block, the settings' TypeScript types, the
 * secret list, the per-platform list and the README table are generated from these (npm run
 * generate:settings; a test fails when a generated file is stale).
 */
export interface SettingDeclaration {
    readonly type: SettingType;
    /** For lists: strings, or objects (set with `pulumi config set --path 'key[0].field'`). */
    readonly items?: { readonly type: "string" | "object" };
    /** The value when the stack does not set it; secrets default to empty. */
    readonly default: string | number | boolean | readonly string[];
    /** What it means, for the README and `pulumi config`. */
    readonly description: string;
    /** Holds a secret: refused when stored in plain text, and kept secret in the state. */
    readonly secret?: boolean;
    /** A listening port: no two services may share one. */
    readonly port?: boolean;
    /** The platforms that read it; every platform when absent. */
    readonly platforms?: readonly Platform[];
    /** The release it pins, for the four settings of a release-installed service (see releaseSettings). */
    readonly release?: string;
}

/** A group of settings as its owner declares it; the literal types are kept so the settings' types follow from them. */
export function declareSettings<const T extends Record<string, SettingDeclaration>>(slice: T): T {
    return slice;
}

/** The settings of a release: `<prefix>Version`, `<prefix>DownloadBaseUrl`, `<prefix>Sha256`, and `<prefix>Image` for a service that also runs in Docker. */
export type ReleaseKey<P extends string, Image extends boolean = true> =
    `${P}Version` | `${P}DownloadBaseUrl` | `${P}Sha256` | (Image extends true ? `${P}Image` : never);

/** What a release-installed service says of its release; the rest of the four settings follows the same pattern for every release. */
export interface ReleaseSpec {
    /** How the docs name the software. */
    readonly name: string;
    /** The pinned release, x.y.z. */
    readonly version: string;
    readonly versionDescription: string;
    /** Where the release tarballs and their sha256sums.txt are: <base>/v<version>/<name>-<version>.linux-<arch>.tar.gz. */
    readonly downloadBaseUrl: string;
    /** When the layout needs saying; otherwise "same layout as prometheusDownloadBaseUrl". */
    readonly downloadBaseUrlDescription?: string;
    /** The image repository of the docker runtime, tagged v<version>; none for a service that runs on the host in both runtimes. */
    readonly image?: string;
}

/**
 * The release tuple of a service installed from an upstream release tarball (systemd) or its image
 * (docker), modelled once for every such service: the version, the download URL (a mirror's, for an
 * air-gapped user), the tarball's sha256 and the image repository. One check (runtimes/releaseChecks.ts)
 * and one mapper (stack/serviceArgs.ts releaseOf) serve them all.
 */
export function releaseSettings<const P extends string, const S extends ReleaseSpec>(
    prefix: P,
    spec: S,
): { readonly [K in ReleaseKey<P, S extends { readonly image: string } ? true : false>]: ReleaseDeclaration<P> } {
    const declaration = (defaultValue: string, description: string) => ({ type: "string" as const, default: defaultValue, description, release: prefix });
    return {
        [`${prefix}Version`]: declaration(spec.version, spec.versionDescription),
        [`${prefix}DownloadBaseUrl`]: declaration(
            spec.downloadBaseUrl,
            spec.downloadBaseUrlDescription ?? `Base URL of ${spec.name} releases, same layout as prometheusDownloadBaseUrl.`,
        ),
        [`${prefix}Sha256`]: declaration("", `sha256 of the ${spec.name} tarball; empty means the checksum file published beside the release is used.`),
        ...(spec.image !== undefined
            ? {
                  [`${prefix}Image`]: declaration(
                      spec.image,
                      `Image repository of ${spec.name} for the docker runtime, tagged v<${prefix}Version>; or <repository>@sha256:<digest> to pin the image of that release by digest.`,
                  ),
              }
            : {}),
    } as { readonly [K in ReleaseKey<P, S extends { readonly image: string } ? true : false>]: ReleaseDeclaration<P> };
}

/** One setting of a release. */
type ReleaseDeclaration<P extends string> = { readonly type: "string"; readonly default: string; readonly description: string; readonly release: P };
