import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as ipaddr from "ipaddr.js";
import { replicaRoles, nodeRole } from "../settings/choices";
import { SettingProblem, SettingsError } from "../settings/problems";
import { expandHome, Settings } from "../settings/settings";
import { longestServerCertificateDays, signatureHashOf } from "./x509";

/*
 * Certificates the user brings instead of the stack's own CA (setting tlsCertificateDir): a
 * directory holding ca.crt (what clients trust) and, for each host role, <role>.crt (the server
 * certificate, optionally followed by its intermediates) and <role>.key. Every file is checked
 * before any resource is declared: it parses, no certificate file holds a private key (ca.crt
 * becomes the stack output tlsCaCertificate, and certificates are staged in plain text), the key is
 * the certificate's, the chain reaches ca.crt, every certificate is valid now and strong (RSA of
 * 2048 bits or more, or ECDSA on P-256, P-384 or P-521, or Ed25519; no SHA-1 or MD5 signature), the
 * host's certificate is not a CA's, lasts at most 825 days, is meant for a server and names
 * localhost (each host checks its own services there).
 */

/** One host's certificate from the directory; the key is kept as a secret by the caller. */
export interface SuppliedCertificate {
    readonly certPem: string;
    readonly keyPem: string;
    /** The names and addresses the certificate covers, to check a host's addresses once they are known. */
    readonly covers: (address: string) => boolean;
}

/** The CA bundle and each role's certificate. */
export interface SuppliedCertificates {
    readonly caPem: string;
    readonly byRole: Readonly<Record<string, SuppliedCertificate>>;
}

/** The host roles that get a certificate on this stack's layout (Grafana shares the monitoring host's unless it has its own). */
export function certificateRoles(settings: Pick<Settings, "platform" | "hosts">): string[] {
    const separateGrafana = settings.platform === "aws" || (settings.platform === "hosts" && settings.hosts.some((h) => h.role === "grafana"));
    // Node hosts share one certificate, node.crt, that names each of them.
    const nodes = settings.hosts.some((h) => h.role === nodeRole) ? [nodeRole] : [];
    return [...(separateGrafana ? ["monitoring", "grafana", "app"] : ["monitoring", "app"]), ...nodes];
}

/** The addresses each role is known by before anything is created (the hosts platform's addresses). */
function knownAddresses(settings: Pick<Settings, "platform" | "hosts">): Record<string, string[]> {
    const addresses: Record<string, string[]> = {};
    for (const host of settings.hosts) (addresses[host.role === "prometheus" ? "monitoring" : host.role] ??= []).push(host.address);
    return addresses;
}

const serverAuth = "1.3.6.1.5.5.7.3.1";
const clientAuth = "1.3.6.1.5.5.7.3.2";
const renewWarningDays = 30;
const day = 24 * 60 * 60 * 1000;

/** The key types and curves a supplied certificate may use: what Go's TLS, curl and browsers accept with a margin. */
const strongCurves = ["prime256v1", "secp384r1", "secp521r1"];
const shortestRsaBits = 2048;
const weakHashes = ["SHA-1", "MD5", "MD2"];

/** Why a certificate is too weak to trust, or undefined when it is not. */
function weakness(cert: crypto.X509Certificate): string | undefined {
    const key = cert.publicKey;
    const details = key.asymmetricKeyDetails ?? {};
    if ((key.asymmetricKeyType === "rsa" || key.asymmetricKeyType === "rsa-pss") && (details.modulusLength ?? 0) < shortestRsaBits) {
        return `has an RSA key of ${details.modulusLength} bits (at least ${shortestRsaBits} are needed)`;
    }
    if (key.asymmetricKeyType === "ec" && !strongCurves.includes(details.namedCurve ?? "")) {
        return `has an EC key on ${details.namedCurve}, which TLS clients do not accept (use P-256, P-384 or P-521)`;
    }
    if (!["rsa", "rsa-pss", "ec", "ed25519"].includes(key.asymmetricKeyType ?? "")) {
        return `has a ${key.asymmetricKeyType} key (use RSA of ${shortestRsaBits} bits or more, ECDSA P-256 or Ed25519)`;
    }
    const hash = signatureHashOf(cert.toString());
    if (hash !== undefined && weakHashes.includes(hash)) return `is signed with ${hash}, which can be forged (sign with SHA-256 or stronger)`;
    return undefined;
}

const privateKeyBlock = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

function pemBlocks(text: string): string[] {
    return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

/** Whether a certificate names `address`: as an IP address in its SAN, or as a DNS name. */
export function certificateCovers(cert: crypto.X509Certificate, address: string): boolean {
    return ipaddr.isValid(address) ? cert.checkIP(ipaddr.parse(address).toString()) !== undefined : cert.checkHost(address) !== undefined;
}

/**
 * Reads and checks the certificates of tlsCertificateDir. Returns undefined when the setting is
 * empty; throws one SettingsError listing every problem otherwise. `warn` receives certificates
 * that end within 30 days.
 */
export function readSuppliedCertificates(
    settings: Pick<Settings, "tlsCertificateDir" | "webTls" | "platform" | "hosts"> &
        Partial<Pick<Settings, "alertmanagerReplicas" | "prometheusReplicas" | "thanos">>,
    warn: (message: string) => void,
    now: Date = new Date(),
): SuppliedCertificates | undefined {
    if (settings.tlsCertificateDir === "" || !settings.webTls) return undefined;
    const dir = expandHome(settings.tlsCertificateDir);
    const problems: SettingProblem[] = [];
    const problem = (file: string, message: string, fix: string) =>
        problems.push({ key: "tlsCertificateDir", value: settings.tlsCertificateDir, message: `${file} ${message}`, fix });
    const read = (file: string): string | undefined => {
        try {
            return fs.readFileSync(path.join(dir, file), "utf8");
        } catch (error) {
            problem(
                file,
                `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
                `put ${file} in ${dir}, or pulumi config rm tlsCertificateDir to have the stack issue its own`,
            );
            return undefined;
        }
    };
    const parse = (file: string, text: string): crypto.X509Certificate[] => {
        const blocks = pemBlocks(text);
        try {
            if (blocks.length === 0) throw new Error("no PEM certificate in it");
            return blocks.map((block) => new crypto.X509Certificate(block));
        } catch (error) {
            problem(file, `holds no readable certificate (${(error as Error).message})`, `put the PEM certificate in ${file} (-----BEGIN CERTIFICATE-----)`);
            return [];
        }
    };

    const caText = read("ca.crt");
    if (caText !== undefined && privateKeyBlock.test(caText)) {
        problem(
            "ca.crt",
            "holds a private key beside the CA certificate; the stack publishes ca.crt (stack output tlsCaCertificate) and stages it in plain text",
            "keep only the certificates in ca.crt: openssl x509 -in ca.crt -out ca.only.crt && mv ca.only.crt ca.crt, and keep the CA's key off this machine",
        );
    }
    const cas = caText === undefined ? [] : parse("ca.crt", caText);
    /** A subject or issuer on one line: "CN=x, O=y". */
    const oneLine = (name: string) => name.replace(/\n/g, ", ");
    const subjectOf = (cert: crypto.X509Certificate) => oneLine(cert.subject);
    const checkTrusted = (file: string, cert: crypto.X509Certificate, fix: string) => {
        if (Date.parse(cert.validTo) <= now.getTime() || Date.parse(cert.validFrom) > now.getTime()) {
            problem(file, `holds ${subjectOf(cert)}, which is not valid now (valid ${cert.validFrom} to ${cert.validTo})`, fix);
        }
        const weak = weakness(cert);
        if (weak) problem(file, `holds ${subjectOf(cert)}, which ${weak}`, fix);
    };
    for (const ca of cas) checkTrusted("ca.crt", ca, "put a current CA certificate with a strong key in ca.crt, and reissue the hosts' certificates from it");
    const byRole: Record<string, SuppliedCertificate> = {};
    const addresses = knownAddresses(settings);
    // The hosts of the Alertmanager cluster's replicas, and with Thanos those of the Prometheus
    // replicas (Query and the sidecars): their certificates also authenticate them to each other.
    const clusters = [
        { setting: "alertmanagerReplicas", replicas: settings.alertmanagerReplicas ?? 1, what: "the Alertmanager on the ROLE host presents to its peers" },
        {
            setting: "prometheusReplicas",
            replicas: settings.thanos ? (settings.prometheusReplicas ?? 1) : 1,
            what: "Thanos on the ROLE host presents to the other Prometheus replicas' Thanos",
        },
    ].filter((c) => c.replicas > 1);
    const roles: readonly string[] = replicaRoles(
        settings.platform,
        settings.hosts.some((h) => h.role === "grafana"),
    );
    const peerOf = (role: string) => clusters.find((c) => roles.slice(0, c.replicas).includes(role));
    for (const role of certificateRoles(settings)) {
        const certFile = `${role}.crt`;
        const keyFile = `${role}.key`;
        const certText = read(certFile);
        const keyText = read(keyFile);
        if (certText === undefined || keyText === undefined) continue;
        if (privateKeyBlock.test(certText)) {
            problem(
                certFile,
                `holds a private key beside the certificate; certificates are staged in plain text, keys only as secrets`,
                `keep only the certificates in ${certFile} (openssl x509 -in ${certFile} -out ${role}.only.crt && mv ${role}.only.crt ${certFile}) and the key in ${keyFile}`,
            );
            continue;
        }
        const chain = parse(certFile, certText);
        if (chain.length === 0) continue;
        const [leaf] = chain;
        let key: crypto.KeyObject | undefined;
        try {
            key = crypto.createPrivateKey(keyText);
        } catch (error) {
            const encrypted = /ENCRYPTED/.test(keyText) || /passphrase/i.test((error as Error).message);
            problem(
                keyFile,
                encrypted ? "is encrypted with a passphrase" : `holds no private key (${(error as Error).message})`,
                encrypted
                    ? `openssl pkey -in ${keyFile} -out ${keyFile}.plain && mv ${keyFile}.plain ${keyFile} (the services read it unattended; openssl truncates a file it both reads and writes)`
                    : `put ${role}'s PEM private key in ${keyFile}`,
            );
        }
        if (key && !leaf.checkPrivateKey(key)) {
            problem(keyFile, `is not the key of ${certFile} (${subjectOf(leaf)})`, `put the key that ${certFile} was issued for in ${keyFile}`);
        }
        const links = chain.every((cert, i) => i === chain.length - 1 || (cert.checkIssued(chain[i + 1]) && cert.verify(chain[i + 1].publicKey)));
        const last = chain[chain.length - 1];
        const anchored = cas.some((ca) => last.fingerprint256 === ca.fingerprint256 || (last.checkIssued(ca) && last.verify(ca.publicKey)));
        if (cas.length > 0 && !(links && anchored)) {
            problem(
                certFile,
                `is not signed by ca.crt (issuer: ${oneLine(last.issuer)})`,
                `put the CA that issued it in ca.crt, and any intermediates after the certificate in ${certFile}`,
            );
        }
        const notBefore = Date.parse(leaf.validFrom);
        const notAfter = Date.parse(leaf.validTo);
        const reissue = `issue ${role} a new certificate and put it in ${certFile}`;
        if (notAfter <= now.getTime() || notBefore > now.getTime()) {
            problem(certFile, `is not valid now (valid ${leaf.validFrom} to ${leaf.validTo})`, reissue);
        } else if (notAfter - now.getTime() < renewWarningDays * day) {
            warn(`tlsCertificateDir: ${certFile} ends on ${leaf.validTo}; put a renewed one in ${settings.tlsCertificateDir} and run pulumi up`);
        }
        if (notAfter - notBefore > longestServerCertificateDays * day) {
            problem(
                certFile,
                `lasts ${Math.round((notAfter - notBefore) / day)} days (valid ${leaf.validFrom} to ${leaf.validTo}); TLS clients refuse server certificates of more than ${longestServerCertificateDays}`,
                `issue ${role} a certificate of ${longestServerCertificateDays} days or fewer (openssl x509 -req ... -days 397) and put it in ${certFile}`,
            );
        }
        if (leaf.ca || cas.some((ca) => ca.fingerprint256 === leaf.fingerprint256)) {
            problem(
                certFile,
                `is a CA certificate (${subjectOf(leaf)}, basicConstraints CA:TRUE), so ${keyFile} would let the host issue certificates that every client of the stack trusts`,
                `issue ${role} a server certificate (basicConstraints CA:FALSE) from the CA and put it in ${certFile}`,
            );
        }
        const weakLeaf = weakness(leaf);
        if (weakLeaf) problem(certFile, weakLeaf, `${reissue}, with a strong key and a SHA-256 signature`);
        for (const intermediate of chain.slice(1))
            checkTrusted(certFile, intermediate, `put current intermediates with strong keys after the certificate in ${certFile}`);
        if (leaf.keyUsage !== undefined && !leaf.keyUsage.includes(serverAuth)) {
            problem(
                certFile,
                "is not for servers (its extended key usage lacks serverAuth)",
                `issue ${role} a server certificate (extendedKeyUsage = serverAuth)`,
            );
        }
        const peer = peerOf(role);
        if (peer && leaf.keyUsage !== undefined && !leaf.keyUsage.includes(clientAuth)) {
            problem(
                certFile,
                `is not also a client certificate (its extended key usage lacks clientAuth), which ${peer.what.replace("ROLE", role)} (${peer.setting} ${peer.replicas})`,
                `issue ${role} a certificate with extendedKeyUsage = serverAuth, clientAuth, or pulumi config set ${peer.setting} 1`,
            );
        }
        for (const name of ["localhost", ...(addresses[role] ?? [])]) {
            if (!certificateCovers(leaf, name)) {
                problem(
                    certFile,
                    `does not name ${name} (it names ${leaf.subjectAltName ?? "no subject alternative name"})`,
                    `issue ${role} a certificate whose subjectAltName includes ${ipaddr.isValid(name) ? `IP:${name}` : `DNS:${name}`}`,
                );
            }
        }
        byRole[role] = { certPem: certText, keyPem: keyText, covers: (address) => certificateCovers(leaf, address) };
    }
    if (problems.length > 0) throw new SettingsError(problems);
    return { caPem: caText!, byRole };
}

/**
 * The problem of a supplied certificate that does not name its host's addresses, once they are
 * known: Prometheus scrapes the private one; the deployment and Grafana's provider reach the public one.
 */
export function addressProblem(dir: string, role: string, certificate: SuppliedCertificate, addresses: readonly string[]): SettingProblem | undefined {
    const missing = [...new Set(addresses)].filter((address) => address !== "" && !certificate.covers(address));
    return missing.length === 0
        ? undefined
        : {
              key: "tlsCertificateDir",
              value: dir,
              message: `${role}.crt does not name ${missing.join(" and ")}, the ${role} host's address${missing.length > 1 ? "es" : ""}`,
              fix: `issue ${role} a certificate whose subjectAltName includes ${missing.map((a) => (ipaddr.isValid(a) ? `IP:${a}` : `DNS:${a}`)).join(", ")}, or pulumi config rm tlsCertificateDir`,
          };
}
