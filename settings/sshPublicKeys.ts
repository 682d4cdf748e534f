import { sshKeyPattern } from "./formats";

/** The strings of an OpenSSH public key blob (RFC 4253 section 6.6): each a 4-byte length, then its bytes. */
function blobStrings(blob: Buffer): Buffer[] | undefined {
    const parts: Buffer[] = [];
    let at = 0;
    while (at < blob.length) {
        if (at + 4 > blob.length) return undefined;
        const length = blob.readUInt32BE(at);
        if (at + 4 + length > blob.length) return undefined;
        parts.push(blob.subarray(at + 4, at + 4 + length));
        at += 4 + length;
    }
    return parts;
}

/** Bits of an SSH mpint's magnitude (leading zero bytes, kept for the sign, do not count). */
function mpintBits(value: Buffer): number {
    let start = 0;
    while (start < value.length && value[start] === 0) start++;
    if (start === value.length) return 0;
    return (value.length - start - 1) * 8 + (32 - Math.clz32(value[start]));
}

/** The smallest RSA modulus OpenSSH's ssh-keygen makes by default and NIST still allows. */
export const minimumRsaBits = 2048;

/**
 * Why an authorized_keys line would not be a key worth installing, or undefined when it is:
 * not the OpenSSH format, a blob that is not base64 of SSH strings, a blob of another type than
 * the line says, or an RSA key under 2048 bits.
 */
export function sshPublicKeyProblem(line: string): string | undefined {
    const trimmed = line.trim();
    if (!sshKeyPattern.test(trimmed)) return "is not an OpenSSH public key line";
    const [type, encoded] = trimmed.split(/\s+/);
    const parts = blobStrings(Buffer.from(encoded, "base64"));
    if (parts === undefined || parts.length < 2 || Buffer.from(encoded, "base64").toString("base64") !== encoded) {
        return "is not an OpenSSH public key line: its key is not whole (copied in part?)";
    }
    const inner = parts[0].toString("latin1");
    if (inner !== type) return `says ${type} but holds a ${inner} key: the line was edited`;
    if (type === "ssh-rsa") {
        const bits = parts.length >= 3 ? mpintBits(parts[2]) : 0;
        if (bits < minimumRsaBits) return `is an RSA key of ${bits} bits; keys under ${minimumRsaBits} bits can be broken`;
    }
    return undefined;
}
