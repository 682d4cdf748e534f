import * as pulumi from "@pulumi/pulumi";
import {
    clientPasswordFile,
    hashWebPassword,
    peerTlsFiles,
    renderCurlConfig,
    renderWebConfig,
    WebClient,
    webConfigFile,
    webConfigFlags,
    webTlsFiles,
} from "./webConfig";

/**
 * How the endpoints on one host are secured: the host's TLS certificate (signed by the stack's CA)
 * and the basic-auth credentials, both secrets where they hold keys or passwords.
 */
export interface HostWebSecurity {
    /** The host's certificate and key, and the CA certificate clients verify it with; absent when webTls is off. */
    readonly tls?: { readonly certPem: pulumi.Input<string>; readonly keyPem: pulumi.Input<string>; readonly caPem: pulumi.Input<string> };
    /** The basic-auth user; absent when webAuth is off. */
    readonly auth?: { readonly username: string; readonly password: pulumi.Input<string> };
}

/** What a service's configuration directory gains from its web security, and how to reach it. */
export interface ServiceWebSecurity {
    /** Files by path relative to the configuration directory: web.yml, the certificates, the checks' curl configuration. */
    readonly files: Readonly<Record<string, pulumi.Input<string>>>;
    /** What a service that is also a client of the stack's endpoints adds: the password file its client configuration names. */
    readonly clientFiles: Readonly<Record<string, pulumi.Input<string>>>;
    /** The service's --web.config.file flag, or none. */
    readonly flags: readonly string[];
    readonly scheme: "http" | "https";
    /** The curl configuration of the host's own checks, relative to the configuration directory. */
    readonly curlConfig: string;
    /** How a client reading configDir reaches the stack's secured endpoints (no secret: the password is in clientFiles). */
    readonly client: WebClient;
}

/** The curl configuration's name in a configuration directory. */
export const curlConfigFile = "probe.curlrc";

/** The client view of a host's security from a service reading its files in `configDir`: the CA, and the password by file. */
export function webClient(configDir: string, security: HostWebSecurity): WebClient {
    return {
        tls: security.tls !== undefined,
        caFile: `${configDir}/${webTlsFiles.ca}`,
        ...(security.auth ? { auth: { username: security.auth.username, passwordFile: `${configDir}/${clientPasswordFile}` } } : {}),
    };
}

/** The basic-auth password as a secret Output, undefined when webAuth is off. */
function webPassword(security: HostWebSecurity): pulumi.Output<string | undefined> {
    return security.auth ? pulumi.secret(pulumi.output(security.auth.password)) : pulumi.output(undefined);
}

/** The password file a client configuration in `configDir` names (secret), or none when webAuth is off. */
export function clientPasswordFiles(security: HostWebSecurity): Record<string, pulumi.Input<string>> {
    return security.auth ? { [clientPasswordFile]: webPassword(security) as pulumi.Output<string> } : {};
}

/** The host's own checks' curl configuration in `configDir`: the CA, and the credentials (secret when it holds them). */
function curlConfigOf(configDir: string, security: HostWebSecurity): pulumi.Input<string> {
    const caFile = security.tls ? `${configDir}/${webTlsFiles.ca}` : undefined;
    const username = security.auth?.username;
    // An Output either way: the file has always been staged as a computed file (a Command), and its resource stays that type.
    return username === undefined
        ? pulumi.output(renderCurlConfig(caFile))
        : (webPassword(security).apply((password) => renderCurlConfig(caFile, { username, password: password ?? "" })) as pulumi.Output<string>);
}

/**
 * The web security of one service whose files live in `configDir` (as the service sees them: the
 * same path on the host and in its container): web.yml with the bcrypt hash, the host's
 * certificate, key and CA, and the curl configuration the host's checks use.
 */
export function serviceWebSecurity(configDir: string, security: HostWebSecurity): ServiceWebSecurity {
    const password = webPassword(security);
    const username = security.auth?.username;
    const options = password.apply((plain) => ({
        tls: security.tls !== undefined,
        users: username && plain !== undefined ? { [username]: hashWebPassword(username, plain) } : {},
    }));
    const secured = security.tls !== undefined || security.auth !== undefined;
    return {
        files: {
            ...(secured ? { [webConfigFile]: options.apply((o) => renderWebConfig(configDir, o)) } : {}),
            ...(security.tls
                ? { [webTlsFiles.cert]: security.tls.certPem, [webTlsFiles.key]: pulumi.secret(security.tls.keyPem), [webTlsFiles.ca]: security.tls.caPem }
                : {}),
            [curlConfigFile]: curlConfigOf(configDir, security),
        },
        clientFiles: clientPasswordFiles(security),
        flags: webConfigFlags(configDir, secured),
        scheme: security.tls ? "https" : "http",
        curlConfig: curlConfigFile,
        client: webClient(configDir, security),
    };
}

/**
 * The files of a service whose TLS and basic authentication are its own flags (VictoriaLogs,
 * vmalert: -tls*, -httpAuth.*), in `configDir`: the host's certificate, key and CA, the password
 * file `passwordFile` (secret) its flags read, and the curl configuration the host's checks use.
 */
export function builtInSecurityFiles(configDir: string, security: HostWebSecurity, passwordFile: string): Record<string, pulumi.Input<string>> {
    const { tls, auth } = security;
    return {
        ...(tls ? { [webTlsFiles.cert]: tls.certPem, [webTlsFiles.key]: pulumi.secret(tls.keyPem), [webTlsFiles.ca]: tls.caPem } : {}),
        ...(auth ? { [passwordFile]: pulumi.secret(pulumi.output(auth.password)) } : {}),
        [curlConfigFile]: curlConfigOf(configDir, security),
    };
}

/** A host's certificate for mutual TLS with its peers (StackSecurity.peerTls). */
export type PeerTls = NonNullable<HostWebSecurity["tls"]>;

/** The peer certificate, key (secret) and CA as files of a configuration directory (under cluster/). */
export function peerTlsConfigFiles(tls: PeerTls): Record<string, pulumi.Input<string>> {
    return { [peerTlsFiles.cert]: tls.certPem, [peerTlsFiles.key]: pulumi.secret(tls.keyPem), [peerTlsFiles.ca]: tls.caPem };
}
