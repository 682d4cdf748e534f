// vmalert, which evaluates the log rules against the log store: its flags, release layout and rule files. Pure.
import * as path from "path";
import type { ReleaseLayout } from "../../runtimes/releaseDownload";
import { webTlsFiles } from "../../security/webConfig";

/** Where vmalert reads its rules, certificate, key, CA and password file; the same path on the host and in its container. */
export const vmalertConfigDir = "/etc/vmalert";

/** Its rule files, relative to the configuration directory: the stack's and the user's, each rules/<name>.yml. */
export const vmalertRulesDir = "rules";

/** The glob its -rule flag and its check read: every rule file, re-read on each reload. */
export const vmalertRuleGlob = `${vmalertRulesDir}/*.yml`;

/** The stack's password file, relative to the configuration directory (secret): its own basic auth, the store's and the Alertmanagers'. */
export const vmalertPasswordFile = "http-auth.password";

/** Its release as upstream publishes it: vmutils, with the binary vmalert-prod at the top of the tarball. */
export const vmalertLayout: ReleaseLayout = {
    tarball: "vmutils-linux-{arch}-v{version}.tar.gz",
    checksums: "vmutils-linux-{arch}-v{version}_checksums.txt",
    topDir: ".",
};

/** What its flags depend on. */
export interface VmalertFlagsInput {
    readonly port: number;
    /** The store, as vmalert reaches it (scheme://host:port). */
    readonly storeUrl: string;
    /** The stack's Alertmanagers, as vmalert reaches them (scheme://host:port), the monitoring host's first. */
    readonly alertmanagerUrls: readonly string[];
    /** How often it evaluates the rules, and the window each evaluation counts (logRulesInterval). */
    readonly interval: string;
    /** Where its alerts link to: its own page, as the admins reach it. */
    readonly externalUrl: string;
    /** HTTPS with the host's certificate, and the stack's CA for the store and the Alertmanagers (webTls). */
    readonly tls: boolean;
    /** The stack's basic-auth user name (webAuth), or none. */
    readonly username?: string;
}

/**
 * Its command-line flags. Every rule file is read as LogsQL (type vlogs) unless its group says
 * otherwise, and the store, the Alertmanagers and its own page use the stack's certificates and
 * credentials, the password from a file so it appears in no unit or process list. Each rule counts
 * the lines of the last interval (aligned to it, so consecutive windows neither overlap nor leave a
 * gap), 30 s behind the clock (vmalert's default -rule.evalDelay) for lines still on their way.
 */
export function vmalertFlags(input: VmalertFlagsInput): string[] {
    const passwordFile = `${vmalertConfigDir}/${vmalertPasswordFile}`;
    const ca = `${vmalertConfigDir}/${webTlsFiles.ca}`;
    return [
        `-httpListenAddr=:${input.port}`,
        `-rule=${vmalertConfigDir}/${vmalertRuleGlob}`,
        "-rule.defaultRuleType=vlogs",
        `-evaluationInterval=${input.interval}`,
        `-datasource.url=${input.storeUrl}`,
        ...input.alertmanagerUrls.map((url) => `-notifier.url=${url}`),
        `-external.url=${input.externalUrl}`,
        ...(input.tls
            ? [
                  "-tls",
                  `-tlsCertFile=${vmalertConfigDir}/${webTlsFiles.cert}`,
                  `-tlsKeyFile=${vmalertConfigDir}/${webTlsFiles.key}`,
                  "-tlsMinVersion=TLS12",
                  `-datasource.tlsCAFile=${ca}`,
                  `-notifier.tlsCAFile=${ca}`,
              ]
            : []),
        ...(input.username !== undefined
            ? [
                  `-httpAuth.username=${input.username}`,
                  `-httpAuth.password=file://${passwordFile}`,
                  `-datasource.basicAuth.username=${input.username}`,
                  `-datasource.basicAuth.passwordFile=${passwordFile}`,
                  `-notifier.basicAuth.username=${input.username}`,
                  `-notifier.basicAuth.passwordFile=${passwordFile}`,
              ]
            : []),
    ];
}

/** The check a candidate configuration passes before it goes live: vmalert parses every rule file, each LogsQL expression included. */
export const vmalertCheck = "vmalert -dryRun -rule.defaultRuleType=vlogs -rule";

/** The name a user's rule file is deployed under: user-<its base name>.yml, apart from the stack's own. */
export function userLogRuleName(file: string): string {
    return `user-${path.basename(file).replace(/\.ya?ml$/i, "")}`;
}
