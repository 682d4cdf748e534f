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

/** Address ranges [first, last] of one family, sorted and merged. */
function mergedRanges(networks: readonly Network[], family: Network["family"]): [bigint, bigint][] {
    const bits = BigInt(bitsOf[family]);
    const ranges = networks
        .filter((n) => n.family === family)
        .map((n) => [n.first, n.first + (1n << (bits - BigInt(n.prefix))) - 1n] as [bigint, bigint])
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const merged: [bigint, bigint][] = [];
    for (const [start, end] of ranges) {
        const last = merged[merged.length - 1];
        if (last && start <= last[1] + 1n) last[1] = end > last[1] ? end : last[1];
        else merged.push([start, end]);
    }
    return merged;
}

/** How many addresses two sorted, merged range lists share. */
function overlap(a: readonly [bigint, bigint][], b: readonly [bigint, bigint][]): bigint {
    let total = 0n;
    for (const [aStart, aEnd] of a) {
        for (const [bStart, bEnd] of b) {
            const start = aStart > bStart ? aStart : bStart;
            const end = aEnd < bEnd ? aEnd : bEnd;
            if (start <= end) total += end - start + 1n;
        }
    }
    return total;
}

function networksOf(texts: readonly string[]): Network[] {
    return texts.map((text) => parseNetwork(text)!);
}

/**
 * The public internet of each family: every IPv4 address but the special-purpose ones of RFC 6890
 * (private, shared, loopback, link-local, documentation, benchmarking, multicast, reserved), and
 * IPv6's global unicast space 2000::/3.
 */
const publicInternet = {
    ipv4: (() => {
        const special = mergedRanges(
            networksOf([
                "0.0.0.0/8",
                "10.0.0.0/8",
                "100.64.0.0/10",
                "127.0.0.0/8",
                "169.254.0.0/16",
                "172.16.0.0/12",
                "192.0.0.0/24",
                "192.0.2.0/24",
                "192.88.99.0/24",
                "192.168.0.0/16",
                "198.18.0.0/15",
                "198.51.100.0/24",
                "203.0.113.0/24",
                "224.0.0.0/3",
            ]),
            "ipv4",
        );
        // The complement of the special ranges.
        const ranges: [bigint, bigint][] = [];
        let next = 0n;
        for (const [start, end] of special) {
            if (start > next) ranges.push([next, start - 1n]);
            next = end + 1n;
        }
        if (next < 1n << 32n) ranges.push([next, (1n << 32n) - 1n]);
        return ranges;
    })(),
    ipv6: mergedRanges(networksOf(["2000::/3"]), "ipv6"),
};

/**
 * The widest a list of networks may open the stack's ports without allowWorldOpenPorts, in public
 * addresses: as many as one /8 of IPv4 (16,777,216) and one /32 of IPv6 (an ISP's allocation).
 */
export const widestPrivateReach = { ipv4: { prefix: 8, addresses: 1n << 24n }, ipv6: { prefix: 32, addresses: 1n << 96n } } as const;

/** How much of one family's public internet a list of networks opens. */
export interface PublicReach {
    readonly family: Network["family"];
    /** Public addresses the networks cover. */
    readonly addresses: bigint;
    /** Their share of the family's public internet, 0 to 1. */
    readonly share: number;
    /** Whether that is more than widestPrivateReach allows: the list is open to the internet. */
    readonly internetWide: boolean;
}

/**
 * Measures how much of the public internet the networks open, per family: `0.0.0.0/0` and its
 * spellings, `0.0.0.0/1`, `2000::/3` or four networks that leave out only multicast all measure as
 * internet-wide, where an office's /24 or a company's /48 does not.
 */
export function publicReach(networks: readonly Network[]): PublicReach[] {
    return (["ipv4", "ipv6"] as const).map((family) => {
        const addresses = overlap(mergedRanges(networks, family), publicInternet[family]);
        const total = publicInternet[family].reduce((sum, [start, end]) => sum + end - start + 1n, 0n);
        return {
            family,
            addresses,
            share: Number((addresses * 1_000_000n) / total) / 1_000_000,
            internetWide: addresses > widestPrivateReach[family].addresses,
        };
    });
}
