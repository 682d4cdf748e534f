import * as ipaddr from "ipaddr.js";

/** A network parsed from CIDR text: its family, the first address as a number, and the prefix length. */
export interface Network {
    readonly family: "ipv4" | "ipv6";
    readonly first: bigint;
    readonly prefix: number;
    /** The canonical spelling, e.g. 10.0.0.0/8 or 2001:db8::/32. */
    readonly canonical: string;
    /** Whether the text had bits set past the prefix (10.0.0.1/8). */
    readonly hostBitsSet: boolean;
}

const bitsOf = { ipv4: 32, ipv6: 128 } as const;

function toBigInt(address: ipaddr.IPv4 | ipaddr.IPv6): bigint {
    return address.toByteArray().reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

/**
 * Parses a network with ipaddr.js, in any spelling it accepts (`0.0.0.0/00`, `::/000`,
 * `::ffff:0:0/96`); undefined when the text is not a network. An IPv4-mapped IPv6 network is
 * read as the IPv4 network it covers.
 */
export function parseNetwork(text: string): Network | undefined {
    const match = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim());
    if (!match || !ipaddr.isValid(match[1])) return undefined;
    let address = ipaddr.parse(match[1]);
    let prefix = Number(match[2]);
    if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() && prefix >= 96) {
        address = (address as ipaddr.IPv6).toIPv4Address();
        prefix -= 96;
    }
    const family = address.kind();
    const bits = bitsOf[family];
    if (prefix > bits) return undefined;
    const value = toBigInt(address);
    const hostMask = (1n << BigInt(bits - prefix)) - 1n;
    const first = value & ~hostMask;
    const firstAddress = ipaddr.fromByteArray(Array.from({ length: bits / 8 }, (_, i) => Number((first >> BigInt(bits - 8 * (i + 1))) & 0xffn)));
    return { family, first, prefix, canonical: `${firstAddress.toString()}/${prefix}`, hostBitsSet: (value & hostMask) !== 0n };
}

/**
 * Whether the networks together cover every address of a family: the whole IPv4 or IPv6 internet,
 * however it is spelled (`0.0.0.0/0`, `0.0.0.0/00`, `0.0.0.0/1` with `128.0.0.0/1`, ...).
 */
export function coversWholeInternet(networks: readonly Network[]): "ipv4" | "ipv6" | undefined {
    for (const family of ["ipv4", "ipv6"] as const) {
        const bits = BigInt(bitsOf[family]);
        const ranges = networks
            .filter((n) => n.family === family)
            .map((n) => [n.first, n.first + (1n << (bits - BigInt(n.prefix))) - 1n] as const)
            .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
        let next = 0n;
        for (const [start, end] of ranges) {
            if (start > next) break;
            if (end + 1n > next) next = end + 1n;
        }
        if (next === 1n << bits) return family;
    }
    return undefined;
}
