/** Where a Prometheus-project release comes from and how it is verified. */
export interface ReleaseDownload {
    /** Exact version, e.g. 2.55.1. */
    readonly version: string;
    /** Base URL; the tarball is <base>/v<version>/<name>-<version>.linux-<arch>.tar.gz. */
    readonly baseUrl: string;
    /** Expected tarball sha256; empty means the release's sha256sums.txt. */
    readonly sha256: string;
}

/** The install-release.sh parameters for one release. */
export function releaseEnv(name: string, download: ReleaseDownload): Record<string, string> {
    return { NAME: name, VERSION: download.version, BASE_URL: download.baseUrl, SHA256: download.sha256 };
}
