import * as fs from "fs";
import * as path from "path";
import { run, tempTree } from "./tools";

/** What a test certificate is like: its names, its lifetime, who signs it and how. */
export interface TestCertificateSpec {
    /** subjectAltName entries, e.g. ["DNS:localhost", "IP:127.0.0.1"]. */
    readonly sans: readonly string[];
    /** How long it lasts from now (tests move their clock instead of back-dating certificates). */
    readonly days?: number;
    /** Extended key usage; default serverAuth. */
    readonly extendedKeyUsage?: string;
    /** Sign with this CA's key instead of the directory's ca. */
    readonly signer?: "ca" | "other-ca";
    /** Encrypt the key with a passphrase. */
    readonly passphrase?: string;
    /** The key, as openssl req -newkey takes it; default an EC key on P-256. */
    readonly key?: readonly string[];
    /** The signature's digest; default openssl's (SHA-256). */
    readonly digest?: "sha1" | "sha256";
    /** Mark it a CA (basicConstraints CA:TRUE). */
    readonly ca?: boolean;
}

const p256 = ["ec", "-pkeyopt", "ec_paramgen_curve:P-256"];

function openssl(args: string[], cwd: string): void {
    const result = run("openssl", args, { cwd });
    if (result.status !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${result.stderr}`);
}

/**
 * A tlsCertificateDir made by the real openssl: ca.crt (and a second, unrelated CA, other-ca, for
 * certificates that must not verify), then one certificate and key per call of `issue`.
 */
export function testPki(options: { readonly caDays?: number } = {}): { dir: string; issue: (role: string, spec: TestCertificateSpec) => void } {
    const dir = tempTree({});
    for (const ca of ["ca", "other-ca"]) {
        openssl(
            [
                "req",
                "-x509",
                "-newkey",
                ...p256,
                "-nodes",
                "-keyout",
                `${ca}.key`,
                "-out",
                `${ca}.crt`,
                "-days",
                String(options.caDays ?? 3650),
                "-subj",
                `/CN=test ${ca}`,
            ],
            dir,
        );
    }
    const issue = (role: string, spec: TestCertificateSpec) => {
        const ext = path.join(dir, `${role}.ext`);
        fs.writeFileSync(
            ext,
            `subjectAltName=${spec.sans.join(",")}\nextendedKeyUsage=${spec.extendedKeyUsage ?? "serverAuth"}\n${spec.ca ? "basicConstraints=critical,CA:TRUE\n" : ""}`,
        );
        openssl(["req", "-newkey", ...(spec.key ?? p256), "-nodes", "-keyout", `${role}.key`, "-out", `${role}.csr`, "-subj", `/CN=${role}`], dir);
        const signer = spec.signer ?? "ca";
        openssl(
            [
                "x509",
                "-req",
                "-in",
                `${role}.csr`,
                "-CA",
                `${signer}.crt`,
                "-CAkey",
                `${signer}.key`,
                "-CAcreateserial",
                "-out",
                `${role}.crt`,
                "-extfile",
                ext,
                "-days",
                String(spec.days ?? 90),
                ...(spec.digest ? [`-${spec.digest}`] : []),
            ],
            dir,
        );
        if (spec.passphrase) {
            openssl(["pkey", "-in", `${role}.key`, "-out", `${role}.key.encrypted`, "-aes256", "-passout", `pass:${spec.passphrase}`], dir);
            fs.renameSync(path.join(dir, `${role}.key.encrypted`), path.join(dir, `${role}.key`));
        }
    };
    return { dir, issue };
}
