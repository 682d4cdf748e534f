import * as pulumi from "@pulumi/pulumi";
import * as ipaddr from "ipaddr.js";
import { addressesOf, type RemoteHost } from "../remote/remoteHost";
import type { HostWebSecurity } from "../security/webSecurity";
import { CertificateAuthority, GeneratedPassword, ServerCertificate } from "../security/stackSecrets";
import { addressProblem, SuppliedCertificate, SuppliedCertificates } from "../security/suppliedCertificates";
import type { ServerIdentity } from "../security/x509";
import { SettingsError } from "../settings/problems";
import type { Settings } from "../settings/settings";

/** Days before the end of a certificate that `pulumi up` issues a new one. */
const renewBeforeDays = 30;

/** The stack's certificate authority, its credentials, and each host's security. */
export interface StackSecurity {
    /** The CA certificate (PEM) clients trust; undefined when webTls is off. */
    readonly caCertificate?: pulumi.Output<string>;
    /** The basic-auth user and its password (secret); undefined when webAuth is off. */
    readonly auth?: { readonly username: string; readonly password: pulumi.Output<string> };
    /**
     * The TLS certificate and credentials of one host, by role (monitoring, app, grafana, node) and,
     * where a role has many hosts (node), by the host's own name.
     */
    readonly forHost: (role: string, host: RemoteHost, name?: string) => HostWebSecurity;
    /**
     * The certificate a cluster peer on this host presents and accepts (serverAuth and clientAuth,
     * the same names as the host's): the stack's CA issues one per host; a supplied certificate
     * serves as both (tlsCertificateDir checks its clientAuth). Undefined when webTls is off.
     */
    readonly peerTls: (role: string, host: RemoteHost) => HostWebSecurity["tls"];
}

/** The names and addresses a host's certificate covers: how Prometheus, Grafana, the deployment and users reach it. */
export function hostIdentity(role: string, addresses: readonly string[]): ServerIdentity {
    const unique = [...new Set(addresses.filter((a) => a !== ""))];
    return {
        commonName: `monitoring ${role}`,
        dnsNames: ["localhost", ...unique.filter((a) => !ipaddr.isValid(a))],
        ipAddresses: ["127.0.0.1", "::1", ...unique.filter((a) => ipaddr.isValid(a)).map((a) => ipaddr.parse(a).toString())],
    };
}

/**
 * A supplied certificate once its host's addresses are known: it must name them (see
 * addressProblem). Fails before the certificate is staged on the host, so nothing there changes.
 */
function suppliedFor(role: string, certificate: SuppliedCertificate, host: RemoteHost, settings: Settings): pulumi.Output<string> {
    return addressesOf(host).apply((addresses) => {
        const problem = addressProblem(settings.tlsCertificateDir, role, certificate, addresses);
        if (problem) throw new SettingsError([problem]);
        return certificate.certPem;
    });
}

/**
 * The stack's TLS and authentication (settings webTls, webAuth): one CA per stack, a server
 * certificate per host signed by it, and one basic-auth user (webUsername, with webPassword or a
 * generated password). Keys and passwords are made once and kept in the state as secrets. With
 * certificates from tlsCertificateDir (`supplied`), those are used instead and no CA is made.
 */
export function deployStackSecurity(settings: Settings, supplied?: SuppliedCertificates): StackSecurity {
    const auth = settings.webAuth
        ? {
              username: settings.webUsername,
              password: pulumi.secret(settings.secrets.webPassword ?? new GeneratedPassword("web-password", { length: 32 }).value),
          }
        : undefined;
    if (supplied) {
        const caPem = pulumi.output(supplied.caPem);
        return {
            caCertificate: caPem,
            auth,
            forHost: (role, host) => {
                const certificate = supplied.byRole[role];
                if (!certificate) throw new Error(`internal error: tlsCertificateDir was not checked for role ${role}; please report it`);
                return { tls: { certPem: suppliedFor(role, certificate, host, settings), keyPem: pulumi.secret(certificate.keyPem), caPem }, auth };
            },
            peerTls: (role, host) => {
                const certificate = supplied.byRole[role];
                if (!certificate) throw new Error(`internal error: tlsCertificateDir was not checked for role ${role}; please report it`);
                return { certPem: suppliedFor(role, certificate, host, settings), keyPem: pulumi.secret(certificate.keyPem), caPem };
            },
        };
    }
    const ca = settings.webTls
        ? new CertificateAuthority("stack-ca", { commonName: `monitoring ${settings.stack} CA`, validityDays: 3650, renewBeforeDays: 365 })
        : undefined;
    const certificates = new Map<string, ServerCertificate>();
    // One peer certificate per host, whichever of its services (the Alertmanager cluster, Thanos) presents it.
    const peerCertificates = new Map<string, ServerCertificate>();
    return {
        caCertificate: ca?.certPem,
        auth,
        forHost: (role, host, name = role) => {
            if (!ca) return { auth };
            let certificate = certificates.get(name);
            if (!certificate) {
                certificate = new ServerCertificate(`${name}-certificate`, {
                    caCertPem: ca.certPem,
                    caKeyPem: ca.keyPem,
                    identity: addressesOf(host).apply((addresses) => hostIdentity(name, addresses)),
                    validityDays: settings.tlsCertificateDays,
                    renewBeforeDays,
                });
                certificates.set(name, certificate);
            }
            return { tls: { certPem: certificate.certPem, keyPem: certificate.keyPem, caPem: ca.certPem }, auth };
        },
        peerTls: (role, host) => {
            if (!ca) return undefined;
            let certificate = peerCertificates.get(role);
            if (!certificate) {
                certificate = new ServerCertificate(`${role}-peer-certificate`, {
                    caCertPem: ca.certPem,
                    caKeyPem: ca.keyPem,
                    identity: addressesOf(host).apply((addresses) => ({ ...hostIdentity(`${role} peer`, addresses), clientAuth: true })),
                    validityDays: settings.tlsCertificateDays,
                    renewBeforeDays,
                });
                peerCertificates.set(role, certificate);
            }
            return { certPem: certificate.certPem, keyPem: certificate.keyPem, caPem: ca.certPem };
        },
    };
}
