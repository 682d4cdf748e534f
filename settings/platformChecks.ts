import { hostLayouts, nodeRole, Platform, platforms, reservedTargetLabels, runtimes } from "../settings/choices";
import {
    ec2InstanceTypePattern,
    ExistingHost,
    isIntegerIn,
    labelPattern,
    linodeImagePattern,
    linodeRegionPattern,
    linodeTypePattern,
    parseHost,
    portRangeNote,
} from "../settings/formats";
import { nearestChoice, nearestWord } from "../settings/nearest";
import { ec2Catalog, linodeCatalog } from "../settings/providerCatalogs";
import { problemList, SettingProblem } from "../settings/problems";
import type { SettingValues } from "../settings/values";
import { settingDeclarations, settingDefault } from "../settings/schema";

/** Where the stack runs: the platform, labels and tags, and what each platform needs (Linode types and regions, the hosts and their roles, EC2 types, ids and images). */
export function validatePlatform(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    const extraIds = new Set(v.extraProviderIds);
    /** Refuses an id the provider does not list (nor extraProviderIds), with the nearest listed one as the fix. */
    const shapes: Record<string, RegExp> = {
        "Linode region": linodeRegionPattern,
        "Linode type": linodeTypePattern,
        "EC2 instance type": ec2InstanceTypePattern,
    };
    const catalogued = (key: keyof SettingValues & string, value: string, what: string, listed: readonly string[], source: string) => {
        if (listed.includes(value)) return;
        const a = /^[AEIOU]/.test(what) ? "an" : "a";
        const nearest = nearestWord(value, listed) ?? settingDefault(key);
        if (extraIds.has(value)) {
            // extraProviderIds admits ids newer than the lists, of the right kind only.
            if (!shapes[what].test(value)) {
                problem(
                    key,
                    value,
                    `is not shaped like ${a} ${what}, though extraProviderIds lists it (it admits new ids of the right kind only)`,
                    `pulumi config set ${key} ${String(nearest)}`,
                );
            }
            return;
        }
        problem(
            key,
            value,
            `is not ${a} ${what} (${source})`,
            `pulumi config set ${key} ${String(nearest)} (or, for ${a} ${what} added since, pulumi config set --path 'extraProviderIds[0]' ${value})`,
        );
    };
    v.extraProviderIds.forEach((id, i) => {
        if (!linodeRegionPattern.test(id) && !linodeTypePattern.test(id) && !ec2InstanceTypePattern.test(id)) {
            problem(
                `extraProviderIds[${i}]`,
                id,
                "is not shaped like a Linode region (us-mia), a Linode type (g6-standard-4) or an EC2 instance type (t3.medium)",
                `pulumi config rm --path 'extraProviderIds[${i}]'`,
            );
        }
    });
    if (!(platforms as readonly string[]).includes(v.platform)) {
        problem(
            "platform",
            v.platform,
            `is not a platform this program deploys to (${platforms.join(", ")})`,
            `pulumi config set platform ${nearestChoice(v.platform, platforms) ?? "linode"} (or ${platforms.filter((p) => p !== (nearestChoice(v.platform, platforms) ?? "linode")).join(", or ")})`,
        );
    }
    if (!labelPattern.test(v.labelPrefix)) {
        problem(
            "labelPrefix",
            v.labelPrefix,
            "must start with a letter and hold at most 31 letters, digits, '-', '_' or '.'",
            "pulumi config set labelPrefix mon",
        );
    }
    for (const tag of v.tags) {
        if (tag.length < 3 || tag.length > 50) {
            problem("tags", v.tags, `tag "${tag}" must be 3 to 50 characters long (a Linode limit)`, "pulumi config set --path 'tags[0]' team-observability");
        }
    }

    if (v.platform === "linode") {
        catalogued("region", v.region, "Linode region", [...linodeCatalog.regions], `listed on ${linodeCatalog.compiledOn}; see \`linode-cli regions list\``);
        if (!linodeImagePattern.test(v.image)) {
            problem("image", v.image, "is not a Linode image id", "pulumi config set image linode/ubuntu24.04");
        }
        for (const key of ["monitoringInstanceType", "appInstanceType"] as const) {
            catalogued(key, v[key], "Linode type", [...linodeCatalog.types], `listed on ${linodeCatalog.compiledOn}; see \`linode-cli linodes types\``);
        }
        if (!isIntegerIn(v.prometheusVolumeSizeGb, 10, 10240)) {
            problem(
                "prometheusVolumeSizeGb",
                v.prometheusVolumeSizeGb,
                "must be from 10 to 10240 (Linode volume limits)",
                "pulumi config set prometheusVolumeSizeGb 50",
            );
        }
    }
    if (v.platform === "hosts") {
        const parsed = v.hosts.map((entry, i) => {
            const host = parseHost(entry);
            if (!host) {
                // The machine without the labels that do not parse, when the machine itself does.
                const [machine, ...labels] = entry.trim().split(/\s+/);
                const name = (label: string) => label.split("=")[0];
                const wellFormed = labels.filter((label, j) => parseHost(`${machine} ${label}`) && !labels.slice(0, j).some((l) => name(l) === name(label)));
                const kept = parseHost(machine) ? [machine, ...wellFormed] : [];
                problem(
                    `hosts[${i}]`,
                    entry,
                    `is not role=user@address[:port], followed on node hosts by label=value pairs (label names are letters, digits and _, each once)${portRangeNote(entry.trim().split(/\s+/)[0])}`,
                    kept.length > 0
                        ? `pulumi config set --path 'hosts[${i}]' '${kept.join(" ")}'`
                        : `pulumi config set --path 'hosts[${i}]' <role>=<user>@<address> (such as monitoring=root@10.0.0.5, or node=root@10.0.0.7 instance=web-1 team=payments)`,
                );
            }
            return host;
        });
        const known = new Set<string>([...hostLayouts.flat(), nodeRole]);
        // The entry as it should read, with only the labels kept.
        const entryText = (host: ExistingHost, labels: readonly [string, string][]) =>
            `${host.role}=${host.user}@${host.address}${host.port === 22 ? "" : `:${host.port}`}${labels.map(([name, value]) => ` ${name}=${value}`).join("")}`;
        const firstIndexOf = new Map<string, number>();
        parsed.forEach((host, i) => {
            if (!host) return;
            if (!known.has(host.role)) {
                problem(
                    "hosts",
                    v.hosts,
                    `role ${host.role} (hosts[${i}]) is unknown; roles are monitoring and app, or prometheus, grafana and app, and any number of node`,
                    `pulumi config set --path 'hosts[${i}]' '${entryText({ ...host, role: nodeRole }, [])}' (a machine that only runs node_exporter), or pulumi config rm --path 'hosts[${i}]'`,
                );
            } else if (host.role !== nodeRole && Object.keys(host.labels).length > 0) {
                problem(
                    `hosts[${i}]`,
                    v.hosts[i],
                    `sets labels on the ${host.role} host; only node hosts take labels`,
                    `pulumi config set --path 'hosts[${i}]' '${entryText(host, [])}'`,
                );
            }
            const isReserved = (name: string) => (reservedTargetLabels as readonly string[]).includes(name) || name.startsWith("__");
            const reserved = Object.keys(host.labels).filter(isReserved);
            if (host.role === nodeRole && reserved.length > 0) {
                problem(
                    `hosts[${i}]`,
                    v.hosts[i],
                    `sets ${reserved.join(", ")}, which the program sets itself (job, role) or Prometheus reserves (names starting with __)`,
                    `pulumi config set --path 'hosts[${i}]' '${entryText(
                        host,
                        Object.entries(host.labels).filter(([name]) => !isReserved(name)),
                    )}'`,
                );
            }
            // A dotted address with a leading zero is read as octal by some tools and as decimal by others: which machine is meant?
            const octets = /^\d+(\.\d+){3}$/.test(host.address) ? host.address.split(".") : [];
            if (octets.some((octet) => /^0\d/.test(octet) || Number(octet) > 255)) {
                const decimal = octets.map((octet) => String(Number(octet))).join(".");
                problem(
                    `hosts[${i}]`,
                    v.hosts[i],
                    octets.some((octet) => Number(octet) > 255)
                        ? `has ${host.address}, which is not an IPv4 address (an octet above 255)`
                        : `has ${host.address}, whose leading zero some tools read as octal: SSH could reach one machine and the certificate name another`,
                    octets.some((octet) => Number(octet) > 255)
                        ? `pulumi config set --path 'hosts[${i}]' ${host.role}=${host.user}@<the machine's address>`
                        : `pulumi config set --path 'hosts[${i}]' '${entryText({ ...host, address: decimal }, Object.entries(host.labels))}'`,
                );
            }
            // Every machine of the stack runs node_exporter already: a node entry for one of them would install it twice.
            const first = firstIndexOf.get(host.address);
            if (first !== undefined && (host.role === nodeRole || parsed[first]?.role === nodeRole)) {
                problem(
                    "hosts",
                    v.hosts,
                    `names ${host.address} twice (hosts[${first}] and hosts[${i}]), once as a node host; every host of the stack runs node_exporter already`,
                    `pulumi config rm --path 'hosts[${i}]'`,
                );
            } else if (first !== undefined) {
                problem(
                    "hosts",
                    v.hosts,
                    `names ${host.address} for both ${parsed[first]!.role} (hosts[${first}]) and ${host.role} (hosts[${i}]); each role needs a machine of its own (both would run node_exporter${host.role === "app" || parsed[first]!.role === "app" ? ", and the app host's ports" : ""} on the same ports)`,
                    `pulumi config set --path 'hosts[${i}]' ${host.role}=${host.user}@<another machine's address>`,
                );
            }
            firstIndexOf.set(host.address, first ?? i);
        });
        const valid = parsed.filter((h): h is ExistingHost => h !== undefined);
        const roles = valid.map((h) => h.role).filter((role) => role !== nodeRole);
        const sorted = [...roles].sort().join(",");
        if (roles.every((r) => known.has(r)) && parsed.every((h) => h !== undefined) && !hostLayouts.some((layout) => layout.join(",") === sorted)) {
            problem(
                "hosts",
                v.hosts,
                roles.length === 0
                    ? "names no machine besides node hosts"
                    : `has roles ${sorted}; give each of monitoring and app, or each of prometheus, grafana and app, exactly once (and node any number of times)`,
                "pulumi config set --path 'hosts[0]' monitoring=root@10.0.0.5 && pulumi config set --path 'hosts[1]' app=root@10.0.0.6",
            );
        }
    }
    if (v.platform === "aws") {
        for (const key of ["awsAppInstanceType", "awsPrometheusInstanceType", "awsGrafanaInstanceType"] as const) {
            catalogued(key, v[key], "EC2 instance type", ec2Catalog.instanceTypes, `the types of ${ec2Catalog.source}`);
        }
        const ids = { awsAmiId: /^ami-[0-9a-f]{8,17}$/, awsVpcId: /^vpc-[0-9a-f]{8,17}$/, awsSubnetId: /^subnet-[0-9a-f]{8,17}$/ } as const;
        for (const key of Object.keys(ids) as (keyof typeof ids)[]) {
            if (v[key] !== "" && !ids[key].test(v[key])) {
                const example = { awsAmiId: "ami-0abcdef1234567890", awsVpcId: "vpc-0abcdef1234567890", awsSubnetId: "subnet-0abcdef1234567890" }[key];
                problem(key, v[key], `is not an ${key.slice(3)} id such as ${example}, or empty`, `pulumi config set ${key} ${example}`);
            }
        }
        if (!isIntegerIn(v.awsRootVolumeSizeGb, 8, 16384)) {
            problem("awsRootVolumeSizeGb", v.awsRootVolumeSizeGb, "must be from 8 to 16384", "pulumi config set awsRootVolumeSizeGb 20");
        }
        if (!isIntegerIn(v.prometheusVolumeSizeGb, 1, 16384)) {
            problem("prometheusVolumeSizeGb", v.prometheusVolumeSizeGb, "must be from 1 to 16384 (EBS limits)", "pulumi config set prometheusVolumeSizeGb 50");
        }
    }
    if (!(runtimes as readonly string[]).includes(v.hostsRuntime)) {
        problem(
            "hostsRuntime",
            v.hostsRuntime,
            `must be one of ${runtimes.join(", ")}`,
            `pulumi config set hostsRuntime ${nearestChoice(v.hostsRuntime, runtimes) ?? settingDefault("hostsRuntime")}`,
        );
    }
    return problems;
}

/** A warning for each setting changed from its default that the stack's platform does not read. */
export function platformWarnings(v: SettingValues): string[] {
    return Object.entries(settingDeclarations())
        .flatMap(([key, declaration]) => (declaration.platforms ? [[key, declaration] as const] : []))
        .filter(
            ([key, declaration]) =>
                !declaration.platforms!.includes(v.platform as Platform) &&
                JSON.stringify(v[key as keyof SettingValues]) !== JSON.stringify(declaration.default),
        )
        .map(([key, { platforms: used }]) => [key, used!] as const)
        .map(
            ([key, used]) =>
                `${key} is set, but only the ${used.join(" and ")} platform${used.length > 1 ? "s read" : " reads"} it; on ${v.platform} it changes nothing. Remove it with: pulumi config rm ${key}`,
        );
}
