// The shapes a setting's text may take, and the parsers that turn it into typed values. Pure.

export const versionPattern = /^\d+\.\d+\.\d+$/;
export const durationPattern = /^(\d+(ms|s|m|h|d|w|y))+$/;
export const sizePattern = /^\d+(B|KB|MB|GB|TB|PB|EB)$/;

/** Seconds in a Prometheus duration such as 1h30m (durationPattern must hold). */
export function durationSeconds(text: string): number {
    const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
    return [...text.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)].reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
}

/** Gigabytes in a Prometheus size such as 500MB, counted as Prometheus counts them (1GB = 1024MB) (sizePattern must hold). */
export function sizeGigabytes(text: string): number {
    const [, n, u] = /^(\d+)([KMGTPE]?B)$/.exec(text)!;
    const power: Record<string, number> = { B: 0, KB: 1, MB: 2, GB: 3, TB: 4, PB: 5, EB: 6 };
    return Number(n) * 1024 ** (power[u] - 3);
}

/** A size counted in decimal units, as VictoriaLogs counts its disk (1GB = 10^9 bytes): a whole number above zero of KB, MB, GB or TB. */
export const decimalSizePattern = /^[1-9]\d*(KB|MB|GB|TB)$/;

/** Bytes in a decimal size such as 512MB (decimalSizePattern must hold). */
export function decimalBytes(text: string): number {
    const [, n, u] = /^(\d+)([KMGT]B)$/.exec(text)!;
    return Number(n) * 1000 ** { KB: 1, MB: 2, GB: 3, TB: 4 }[u as "KB" | "MB" | "GB" | "TB"];
}

export const sha256Pattern = /^[0-9a-f]{64}$/;
export const labelPattern = /^[a-zA-Z][a-zA-Z0-9_.-]{0,30}$/;
export const linodeTypePattern = /^g\d+-[a-z0-9]+(-[a-z0-9]+)*$/;
export const linodeRegionPattern = /^[a-z]{2}-[a-z]+(-\d+)?$/;
export const linodeImagePattern = /^(linode|private)\/[a-z0-9._-]+$/;
export const ec2InstanceTypePattern = /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/;
export const awsRegionPattern = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
export const sshKeyPattern =
    /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+=*( .*)?$/;
/** A jump host: user@host[:port]. */
export const jumpHostPattern = /^([a-z_][a-z0-9_.-]*)@([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/;
export const emailPattern = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
export const hostPortPattern = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;
export const urlPattern = /^https?:\/\/[^\s/]+(\/\S*)?$/;

/** Whether `text` is an http(s) base URL that paths are appended to: a URL without a trailing slash. */
export function isBaseUrl(text: string): boolean {
    return urlPattern.test(text) && !text.endsWith("/");
}
export const jobNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** An image repository (registry host[:port]/path) with no tag, optionally pinned to a digest. */
export const imageRepositoryPattern = /^([a-z0-9.-]+(:\d{1,5})?\/)?[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*(@sha256:[0-9a-f]{64})?$/;

/** A static scrape job: from `job=host:port[,host:port...]` in settings, or another stack's metricsTargets. */
export interface ScrapeJob {
    readonly job: string;
    readonly targets: readonly string[];
    /** Labels added to every target of the job. */
    readonly labels?: Readonly<Record<string, string>>;
    /** Scraped with the stack's TLS and basic authentication, as Prometheus scrapes the stack's own services. */
    readonly secured?: boolean;
}

/** host:port as a URL names it: an IPv6 address in brackets. */
export function hostPort(address: string, port: number): string {
    return `${address.includes(":") ? `[${address}]` : address}:${port}`;
}

/** Whether `target` is host:port with a valid port. */
export function isHostPort(target: string): boolean {
    return hostPortPattern.test(target) && Number(target.slice(target.lastIndexOf(":") + 1)) <= 65535;
}

/** Whether `name` is a valid Prometheus job name. */
export function isJobName(name: string): boolean {
    return jobNamePattern.test(name);
}

/** Parses one extraScrapeTargets entry, or returns undefined if it is malformed. */
export function parseScrapeJob(entry: string): ScrapeJob | undefined {
    const match = /^([^=]+)=(.+)$/.exec(entry);
    if (!match || !jobNamePattern.test(match[1])) {
        return undefined;
    }
    const targets = match[2].split(",").map((t) => t.trim());
    return targets.every((t) => hostPortPattern.test(t) && Number(t.slice(t.lastIndexOf(":") + 1)) <= 65535) ? { job: match[1], targets } : undefined;
}

/** A Prometheus label name a user may set on a target (names starting with __ are Prometheus's own). */
export const targetLabelPattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A machine of the hosts platform, parsed from role=user@address[:port] [label=value ...]. */
export interface ExistingHost {
    readonly role: string;
    readonly user: string;
    readonly address: string;
    readonly port: number;
    /** Labels of its scrape targets (node hosts), such as { instance: "web-1", team: "payments" }. */
    readonly labels: Readonly<Record<string, string>>;
}

/** Parses one hosts entry, or returns undefined if it is malformed. */
export function parseHost(entry: string): ExistingHost | undefined {
    const [machine, ...labelTexts] = entry.trim().split(/\s+/);
    const match = /^([a-z]+)=([a-z_][a-z0-9_-]*)@([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/.exec(machine);
    if (!match) {
        return undefined;
    }
    const labels: Record<string, string> = {};
    for (const text of labelTexts) {
        const label = /^([^=]+)=(.+)$/.exec(text);
        if (!label || !targetLabelPattern.test(label[1]) || label[1] in labels) return undefined;
        labels[label[1]] = label[2];
    }
    const port = match[4] === undefined ? 22 : Number(match[4]);
    return port >= 1 && port <= 65535 ? { role: match[1], user: match[2], address: match[3].replace(/^\[|\]$/g, ""), port, labels } : undefined;
}

/** The ports in host:port text (one or several, comma-separated) that are not TCP ports (1 to 65535). */
export function portsOutOfRange(text: string): number[] {
    return [...text.matchAll(/:(\d+)(?=$|[\s,/])/g)].map((m) => Number(m[1])).filter((port) => port < 1 || port > 65535);
}

/** " (port 99999 is not a TCP port: 1 to 65535)" when the text has such a port, else "": what a parse error adds. */
export function portRangeNote(text: string): string {
    const ports = portsOutOfRange(text);
    return ports.length === 0 ? "" : ` (port ${ports.join(" and ")} is not a TCP port: 1 to 65535)`;
}

/** Whether a setting's value is a whole number from min to max, both included. */
export function isIntegerIn(value: unknown, min: number, max: number = Number.MAX_SAFE_INTEGER): boolean {
    return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max;
}
