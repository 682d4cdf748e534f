import { releaseNames } from "../settings/declarations";
import { imageRepositoryPattern, isBaseUrl, sha256Pattern, versionPattern } from "../settings/formats";
import { problemList, SettingProblem } from "../settings/problems";
import { settingDefault } from "../settings/schema";
import type { SettingValues } from "../settings/values";
import { isPublicPlainHttp } from "../network/privateEndpoints";

/**
 * Every release a service pins (settings/declare.ts releaseSettings), checked the same way: an exact
 * version, a download URL a mirror can stand in for, the tarball's sha256 when given, and an image
 * repository whose tag follows the version.
 */
export function validateReleases(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    for (const release of releaseNames) {
        const version = `${release}Version` as const;
        const baseUrl = `${release}DownloadBaseUrl` as const;
        const sha256 = `${release}Sha256` as const;
        const image = `${release}Image` as const;
        if (!versionPattern.test(v[version])) {
            problem(
                version,
                v[version],
                `must be an exact release version such as ${settingDefault(version)} (no 'v', no 'latest')`,
                `pulumi config set ${version} <x.y.z>`,
            );
        }
        if (!isBaseUrl(v[baseUrl])) {
            problem(baseUrl, v[baseUrl], "must be an http(s) URL without a trailing slash", `pulumi config set ${baseUrl} <https://mirror.example/path>`);
        }
        if (isBaseUrl(v[baseUrl]) && isPublicPlainHttp(v[baseUrl]) && v[sha256] === "") {
            problem(
                baseUrl,
                v[baseUrl],
                `fetches the release and its sha256sums.txt over plain HTTP from a public address, so anyone on the way can swap both; plain HTTP is for a mirror inside your network, or with ${sha256} pinned`,
                `pulumi config set ${baseUrl} ${v[baseUrl].replace(/^http:/i, "https:")} (or pin the tarball: pulumi config set ${sha256} <its sha256>)`,
            );
        }
        if (v[sha256] !== "" && !sha256Pattern.test(v[sha256])) {
            problem(
                sha256,
                v[sha256],
                "must be 64 lower-case hex digits, or empty to use the release's sha256sums.txt",
                `pulumi config set ${sha256} $(sha256sum <tarball> | cut -d' ' -f1)`,
            );
        }
        // A release that runs on the host in both runtimes has no image.
        if (image in v) problems.push(...imageProblems(image, v[image as keyof SettingValues] as string, version));
    }
    return problems;
}

/**
 * An image repository setting: without a tag, since the tag comes from the version setting (a tag
 * here would be a second source), or pinned by digest.
 */
export function imageProblems(key: string, value: string, versionKey: string): SettingProblem[] {
    return imageRepositoryPattern.test(value)
        ? []
        : [
              {
                  key,
                  value,
                  message: `must be an image repository without a tag (the tag follows ${versionKey}), or <repository>@sha256:<64 hex digits>`,
                  fix: `pulumi config set ${key} ${settingDefault(key)} && pulumi config set ${versionKey} <x.y.z>`,
              },
          ];
}
