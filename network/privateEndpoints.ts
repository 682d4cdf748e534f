import * as ipaddr from "ipaddr.js";

/** Names that resolve only inside one's own network: single labels and the suffixes reserved for it. */
const privateSuffixes = [".internal", ".local", ".lan", ".home.arpa", ".localhost"];

/** Address ranges of one's own network: private, shared (CGNAT), loopback, link-local and unique-local. */
const privateRanges = ["private", "loopback", "linkLocal", "uniqueLocal", "carrierGradeNat"];

/**
 * Whether a host (a name or an address, as in a URL or host:port) is inside one's own network, where
 * plain HTTP may be a choice: an RFC 1918, shared, loopback, link-local or unique-local address, or
 * a name that resolves only there (one label, or .internal, .local, .lan, .home.arpa). Any other
 * name or address is taken as public.
 */
export function isPrivateHost(host: string): boolean {
    const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
    if (ipaddr.isValid(bare)) {
        const address = ipaddr.process(bare);
        return privateRanges.includes(address.range());
    }
    return !bare.includes(".") || bare === "localhost" || privateSuffixes.some((suffix) => bare.endsWith(suffix));
}

/** The host of an http(s) URL, or of host[:port]; undefined when neither parses. */
export function hostOf(urlOrHostPort: string): string | undefined {
    try {
        return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(urlOrHostPort) ? urlOrHostPort : `http://${urlOrHostPort}`).hostname;
    } catch {
        return undefined;
    }
}

/** Whether a URL is plain HTTP to a host outside one's own network. */
export function isPublicPlainHttp(url: string): boolean {
    const host = hostOf(url);
    return /^http:\/\//i.test(url) && host !== undefined && !isPrivateHost(host);
}
