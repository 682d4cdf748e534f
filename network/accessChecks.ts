import { portKeys } from "../settings/declarations";
import { isIntegerIn, jumpHostPattern, portRangeNote } from "../settings/formats";
import { sshPublicKeyProblem } from "../settings/sshPublicKeys";
import { Network, parseNetwork, publicReach, widestPrivateReach } from "./cidr";
import { problemList, SettingProblem } from "../settings/problems";
import type { SettingValues } from "../settings/values";

/** A share as a percentage a person reads: 100 %, 50 %, 0.45 %. */
function formatShare(share: number): string {
    return `${Number((share * 100).toPrecision(share >= 0.01 ? 3 : 2))} %`;
}

/** Who reaches what: SSH keys, the root password, the networks allowed in and the ports the services listen on. */
export function validateAccess(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    if (v.sshPublicKeys.length === 0 && v.platform !== "hosts") {
        problem(
            "sshPublicKeys",
            v.sshPublicKeys,
            "holds no SSH public key, so nobody could log in to the hosts",
            `pulumi config set --path 'sshPublicKeys[0]' "$(cat ~/.ssh/id_ed25519.pub)"`,
        );
    }
    v.sshPublicKeys.forEach((key, i) => {
        const why = sshPublicKeyProblem(key);
        if (why !== undefined) {
            problem(
                `sshPublicKeys[${i}]`,
                key.length > 40 ? `${key.slice(0, 40)}...` : key,
                why,
                `ssh-keygen -t ed25519 (if ~/.ssh/id_ed25519 does not exist yet), then pulumi config set --path 'sshPublicKeys[${i}]' "$(cat ~/.ssh/id_ed25519.pub)"`,
            );
        }
    });
    if (v.sshPrivateKey !== "" && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v.sshPrivateKey)) {
        problem("sshPrivateKey", "(hidden)", "is not a PEM or OpenSSH private key", "pulumi config set --secret sshPrivateKey < ~/.ssh/id_ed25519");
    }
    if (v.sshPrivateKey === "" && v.sshPrivateKeyFile.trim() === "") {
        problem(
            "sshPrivateKeyFile",
            v.sshPrivateKeyFile,
            "is empty and sshPrivateKey is not set, so the deployment cannot reach the hosts",
            "pulumi config set sshPrivateKeyFile ~/.ssh/id_ed25519",
        );
    }
    if (v.sshJumpHost !== "") {
        const port = Number(jumpHostPattern.exec(v.sshJumpHost)?.[3] ?? 22);
        if (!jumpHostPattern.test(v.sshJumpHost) || port < 1 || port > 65535) {
            problem(
                "sshJumpHost",
                v.sshJumpHost,
                `is not user@host[:port]${portRangeNote(v.sshJumpHost)}`,
                "pulumi config set sshJumpHost deploy@bastion.example.com",
            );
        }
    }
    if (v.rootPassword !== "" && v.rootPassword.length < 12) {
        problem(
            "rootPassword",
            "(hidden)",
            "is shorter than 12 characters",
            "pulumi config set --secret rootPassword <a longer password>, or rm it to have one generated",
        );
    }

    if (v.adminCidrs.length === 0) {
        problem(
            "adminCidrs",
            v.adminCidrs,
            "is empty, so nobody could reach SSH, Prometheus or Alertmanager",
            "pulumi config set --path 'adminCidrs[0]' <your-ip>/32",
        );
    }
    for (const key of ["adminCidrs", "viewerCidrs", "appCidrs"] as const) {
        const networks: Network[] = [];
        v[key].forEach((cidr, i) => {
            const network = parseNetwork(cidr);
            if (!network) {
                problem(`${key}[${i}]`, cidr, "is not a network in CIDR notation", `pulumi config set --path '${key}[${i}]' 203.0.113.7/32`);
            } else if (network.hostBitsSet) {
                problem(
                    `${key}[${i}]`,
                    cidr,
                    `has address bits set past its /${network.prefix} prefix, so it does not say which network is meant`,
                    `pulumi config set --path '${key}[${i}]' ${network.canonical} (or the host alone: /${network.family === "ipv4" ? 32 : 128})`,
                );
            } else if (network.canonical !== cidr) {
                const wide = !v.allowWorldOpenPorts && publicReach([network]).some((reach) => reach.internetWide);
                problem(
                    `${key}[${i}]`,
                    cidr,
                    `is an unusual spelling of ${network.canonical}${wide ? ", which opens the stack's ports to the internet" : ""}`,
                    wide
                        ? `list your own networks in ${key} (e.g. pulumi config set --path '${key}[${i}]' 203.0.113.7/32), or pulumi config set allowWorldOpenPorts true and write ${network.canonical}`
                        : `pulumi config set --path '${key}[${i}]' ${network.canonical}`,
                );
            } else {
                networks.push(network);
            }
        });
        for (const reach of publicReach(networks)) {
            if (!reach.internetWide || v.allowWorldOpenPorts) continue;
            const family = reach.family === "ipv4" ? "IPv4" : "IPv6";
            const widest = widestPrivateReach[reach.family];
            problem(
                key,
                v[key],
                `opens its ports to ${formatShare(reach.share)} of the public ${family} internet${reach.family === "ipv4" ? ` (${reach.addresses.toLocaleString("en-US")} addresses)` : ""}, more than one /${widest.prefix} holds, so it counts as open to everyone`,
                `list your own networks in ${key}, or pulumi config set allowWorldOpenPorts true if you mean it`,
            );
        }
    }

    const seenPorts = new Map<number, string>();
    for (const key of portKeys) {
        const port = v[key];
        if (!isIntegerIn(port, 1, 65535)) {
            problem(key, port, "is not a TCP port (1 to 65535)", `pulumi config set ${key} <1-65535>`);
        } else if (port === 22) {
            problem(key, port, "is the SSH port, which the deployment itself uses", `pulumi config set ${key} <another port>`);
        } else if (seenPorts.has(port)) {
            problem(key, port, `is also used by ${seenPorts.get(port)}`, `pulumi config set ${key} <a free port>`);
        } else {
            seenPorts.set(port, key);
        }
    }
    return problems;
}
