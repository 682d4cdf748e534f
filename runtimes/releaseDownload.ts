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

/**
 * How a release's tarball is laid out, where it is not the Prometheus project's
 * (<name>-<version>.linux-<arch>.tar.gz holding <name>-<version>.linux-<arch>/, beside
 * sha256sums.txt). Each is a template: {name}, {version} and {arch} are filled in on the host.
 */
export interface ReleaseLayout {
    /** The tarball's file name, e.g. victoria-logs-linux-{arch}-v{version}.tar.gz. */
    readonly tarball: string;
    /** The file of sha256 sums beside it, e.g. victoria-logs-linux-{arch}-v{version}_checksums.txt. */
    readonly checksums: string;
    /** The directory in the tarball that holds the binaries; "." when they are at its top. */
    readonly topDir: string;
}

/** The install-release.sh parameters of a layout. */
export function layoutEnv(layout: ReleaseLayout | undefined): Record<string, string> {
    return layout ? { TARBALL: layout.tarball, CHECKSUMS: layout.checksums, TOP_DIR: layout.topDir } : {};
}
