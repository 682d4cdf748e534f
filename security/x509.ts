import type * as X509 from "@peculiar/x509";
import { webcrypto } from "crypto";

/**
 * @peculiar/x509, loaded on first use: it resolves its algorithm classes through tsyringe, which
 * needs the Reflect metadata polyfill loaded first. Loading it here, not at the top of the module,
 * keeps that order also where these functions run serialized (the dynamic providers of
 * stackSecrets.ts).
 */
function library(): typeof X509 {
    require("reflect-metadata");
    const x509 = require("@peculiar/x509") as typeof X509;
    x509.cryptoProvider.set(webcrypto as unknown as Crypto);
    return x509;
}

/** The hash of a certificate's signature ("SHA-1", "SHA-256", ...); undefined when the algorithm is not one the library knows. */
export function signatureHashOf(certPem: string): string | undefined {
    try {
        const algorithm = new (library().X509Certificate)(certPem).signatureAlgorithm as { hash?: { name?: string } };
        return algorithm.hash?.name;
    } catch {
        return undefined;
    }
}

/** A certificate and its private key, both PEM. */
export interface KeyPair {
    readonly certPem: string;
    readonly keyPem: string;
}

/** A server certificate, with when it stops being valid (ISO 8601). */
export interface IssuedCertificate extends KeyPair {
    readonly notAfter: string;
}

/** ECDSA P-256 with SHA-256: keys made by Node's OpenSSL, accepted by Go's TLS, curl and every browser. */
const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

const dayMs = 24 * 60 * 60 * 1000;

/** The longest a server certificate may last: the stack's own (tlsCertificateDays) and those it is given. Clients such as Apple's refuse longer ones. */
export const longestServerCertificateDays = 825;

function serialNumber(): string {
    // 16 random bytes, the top bit cleared so the DER integer stays positive.
    const bytes = webcrypto.getRandomValues(new Uint8Array(16));
    bytes[0] &= 0x7f;
    return Buffer.from(bytes).toString("hex");
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
    const x509 = library();
    const der = await webcrypto.subtle.exportKey("pkcs8", key);
    return x509.PemConverter.encode(der, "PRIVATE KEY");
}

async function importKey(pem: string): Promise<webcrypto.CryptoKey> {
    const x509 = library();
    return webcrypto.subtle.importKey("pkcs8", x509.PemConverter.decodeFirst(pem), algorithm, false, ["sign"]);
}

/** Escapes a value for a distinguished name (RFC 4514). */
function dnValue(value: string): string {
    return value.replace(/([,+"\\<>;=])/g, "\\$1").replace(/^([ #])/, "\\$1");
}

/**
 * A certificate authority of its own: a self-signed CA certificate (path length 0: it signs server
 * certificates only) and its key.
 */
export async function createCertificateAuthority(input: {
    readonly commonName: string;
    readonly validityDays: number;
    readonly now?: Date;
}): Promise<IssuedCertificate> {
    const x509 = library();
    const keys = (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
    const notBefore = input.now ?? new Date();
    const notAfter = new Date(notBefore.getTime() + input.validityDays * dayMs);
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: serialNumber(),
        name: `CN=${dnValue(input.commonName)}`,
        notBefore,
        notAfter,
        keys: keys as unknown as CryptoKeyPair,
        signingAlgorithm: algorithm,
        extensions: [
            new x509.BasicConstraintsExtension(true, 0, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
            await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as unknown as CryptoKey),
        ],
    });
    return { certPem: certificate.toString("pem"), keyPem: await keyPem(keys.privateKey), notAfter: notAfter.toISOString() };
}

/** What a server certificate names: the host's DNS names and IP addresses. */
export interface ServerIdentity {
    readonly commonName: string;
    readonly dnsNames: readonly string[];
    readonly ipAddresses: readonly string[];
    /** Also a client certificate (clientAuth), for peers that authenticate each other (the Alertmanager cluster). */
    readonly clientAuth?: boolean;
}

/** A server certificate for TLS (serverAuth, and clientAuth when the identity asks), signed by `ca`, valid for the identity's names and addresses. */
export async function createServerCertificate(
    ca: KeyPair,
    identity: ServerIdentity,
    input: { readonly validityDays: number; readonly now?: Date },
): Promise<IssuedCertificate> {
    const x509 = library();
    const caCertificate = new x509.X509Certificate(ca.certPem);
    const keys = (await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"])) as webcrypto.CryptoKeyPair;
    const notBefore = input.now ?? new Date();
    const notAfter = new Date(notBefore.getTime() + input.validityDays * dayMs);
    const names = [
        ...[...new Set(identity.dnsNames)].map((value) => ({ type: "dns" as const, value })),
        ...[...new Set(identity.ipAddresses)].map((value) => ({ type: "ip" as const, value })),
    ];
    const certificate = await x509.X509CertificateGenerator.create({
        serialNumber: serialNumber(),
        subject: `CN=${dnValue(identity.commonName)}`,
        issuer: caCertificate.subject,
        notBefore,
        notAfter,
        publicKey: keys.publicKey as unknown as CryptoKey,
        signingKey: (await importKey(ca.keyPem)) as unknown as CryptoKey,
        signingAlgorithm: algorithm,
        extensions: [
            new x509.BasicConstraintsExtension(false, undefined, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
            new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, ...(identity.clientAuth ? [x509.ExtendedKeyUsage.clientAuth] : [])]),
            new x509.SubjectAlternativeNameExtension(names),
            await x509.AuthorityKeyIdentifierExtension.create(caCertificate),
            await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as unknown as CryptoKey),
        ],
    });
    return { certPem: certificate.toString("pem"), keyPem: await keyPem(keys.privateKey), notAfter: notAfter.toISOString() };
}
