// VictoriaLogs, the log store: its flags and the files of its configuration directory. Pure.
import type { ReleaseLayout } from "../../runtimes/releaseDownload";
import { webTlsFiles } from "../../security/webConfig";

/** Where VictoriaLogs reads its certificate, key and password file; the same path on the host and in its container. */
export const victoriaLogsConfigDir = "/etc/victoria-logs";

/** The password file of its basic authentication, relative to the configuration directory (secret). */
export const victoriaLogsPasswordFile = "http-auth.password";

/** Its release as upstream publishes it: the binary victoria-logs-prod at the top of the tarball. */
export const victoriaLogsLayout: ReleaseLayout = {
    tarball: "victoria-logs-linux-{arch}-v{version}.tar.gz",
    checksums: "victoria-logs-linux-{arch}-v{version}_checksums.txt",
    topDir: ".",
};

/** What its flags depend on. */
export interface VictoriaLogsFlagsInput {
    readonly port: number;
    readonly dataDir: string;
    /** Retention by time, e.g. 30d. */
    readonly retention: string;
    /** Retention by disk, e.g. 10GB. */
    readonly retentionSize: string;
    /** HTTPS with the host's certificate (webTls). */
    readonly tls: boolean;
    /** The basic-auth user name (webAuth), or none. */
    readonly username?: string;
}

/**
 * Its command-line flags: HTTPS (TLS 1.2 or newer) with the host's certificate and basic
 * authentication built in, the password read from a file so it appears in no unit or process list,
 * and retention by time and by disk.
 */
export function victoriaLogsFlags(input: VictoriaLogsFlagsInput): string[] {
    return [
        `-httpListenAddr=:${input.port}`,
        `-storageDataPath=${input.dataDir}`,
        `-retentionPeriod=${input.retention}`,
        `-retention.maxDiskSpaceUsageBytes=${input.retentionSize}`,
        ...(input.tls
            ? [
                  "-tls",
                  `-tlsCertFile=${victoriaLogsConfigDir}/${webTlsFiles.cert}`,
                  `-tlsKeyFile=${victoriaLogsConfigDir}/${webTlsFiles.key}`,
                  "-tlsMinVersion=TLS12",
              ]
            : []),
        ...(input.username !== undefined
            ? [`-httpAuth.username=${input.username}`, `-httpAuth.password=file://${victoriaLogsConfigDir}/${victoriaLogsPasswordFile}`]
            : []),
    ];
}

/** Retention by time as VictoriaLogs takes it: a whole number of hours, days, weeks or years, at least a day. */
export const retentionPattern = /^([1-9]\d*)([hdwy])$/;

/** How many days a retention such as 30d, 12w or 1y covers. */
export function retentionDays(text: string): number {
    const match = retentionPattern.exec(text);
    if (!match) return NaN;
    const count = Number(match[1]);
    return { h: count / 24, d: count, w: count * 7, y: count * 365 }[match[2] as "h" | "d" | "w" | "y"];
}
