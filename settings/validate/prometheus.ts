import { optionalNodeExporterCollectors } from "../../configs/units";
import { parseEc2Tag } from "../../configs/nodeDiscovery";
import { builtInJobs } from "../choices";
import { durationPattern, durationSeconds, isBaseUrl, parseScrapeJob, sha256Pattern, sizeGigabytes, sizePattern, versionPattern } from "../formats";
import { settingDefault } from "../schema";
import { problemList, SettingProblem } from "../problems";
import type { SettingValues } from "../values";

/** The releases (versions, download URLs, checksums), node_exporter collectors, Prometheus retention and intervals, and extra scrape jobs. */
export function validatePrometheus(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    for (const key of ["prometheusVersion", "alertmanagerVersion", "nodeExporterVersion", "grafanaVersion", "yaceVersion"] as const) {
        if (!versionPattern.test(v[key])) {
            problem(key, v[key], "must be an exact release version such as 1.2.3 (no 'v', no 'latest')", `pulumi config set ${key} <x.y.z>`);
        }
    }
    for (const key of [
        "prometheusDownloadBaseUrl",
        "alertmanagerDownloadBaseUrl",
        "nodeExporterDownloadBaseUrl",
        "yaceDownloadBaseUrl",
        "grafanaAptUrl",
        "grafanaAptKeyUrl",
    ] as const) {
        if (!isBaseUrl(v[key])) {
            problem(key, v[key], "must be an http(s) URL without a trailing slash", `pulumi config set ${key} <https://mirror.example/path>`);
        }
    }
    for (const key of ["prometheusSha256", "alertmanagerSha256", "nodeExporterSha256", "yaceSha256"] as const) {
        if (v[key] !== "" && !sha256Pattern.test(v[key])) {
            problem(
                key,
                v[key],
                "must be 64 lower-case hex digits, or empty to use the release's sha256sums.txt",
                `pulumi config set ${key} $(sha256sum <tarball> | cut -d' ' -f1)`,
            );
        }
    }
    v.nodeExporterCollectors.forEach((collector, i) => {
        if (!(optionalNodeExporterCollectors as readonly string[]).includes(collector)) {
            problem(
                `nodeExporterCollectors[${i}]`,
                collector,
                `is not one of node_exporter's optional collectors (${optionalNodeExporterCollectors.join(", ")}); the others are on already`,
                `pulumi config set --path 'nodeExporterCollectors[${i}]' processes`,
            );
        }
    });
    if (new Set(v.nodeExporterCollectors).size !== v.nodeExporterCollectors.length) {
        problem("nodeExporterCollectors", v.nodeExporterCollectors, "names a collector twice", "list each collector once in nodeExporterCollectors");
    }
    for (const key of ["prometheusRetentionTime", "scrapeInterval", "evaluationInterval"] as const) {
        if (!durationPattern.test(v[key])) {
            problem(key, v[key], "is not a Prometheus duration such as 15s, 5m or 30d", `pulumi config set ${key} ${settingDefault(key)}`);
        } else if (durationSeconds(v[key]) === 0) {
            problem(key, v[key], "is zero, which Prometheus refuses", `pulumi config set ${key} ${settingDefault(key)}`);
        }
    }
    if (!sizePattern.test(v.prometheusRetentionSize)) {
        problem(
            "prometheusRetentionSize",
            v.prometheusRetentionSize,
            "is not a Prometheus size such as 40GB",
            "pulumi config set prometheusRetentionSize 40GB",
        );
    } else if (sizeGigabytes(v.prometheusRetentionSize) === 0) {
        problem(
            "prometheusRetentionSize",
            v.prometheusRetentionSize,
            "is zero, which turns the limit off",
            `pulumi config set prometheusRetentionSize ${settingDefault("prometheusRetentionSize")}`,
        );
    } else if (v.platform !== "hosts" && sizeGigabytes(v.prometheusRetentionSize) >= v.prometheusVolumeSizeGb) {
        problem(
            "prometheusRetentionSize",
            v.prometheusRetentionSize,
            `is not below the ${v.prometheusVolumeSizeGb} GB data volume (prometheusVolumeSizeGb)`,
            `pulumi config set prometheusRetentionSize ${Math.floor(v.prometheusVolumeSizeGb * 0.8)}GB`,
        );
    }
    const jobNames = new Set<string>(builtInJobs);
    v.extraScrapeTargets.forEach((entry, i) => {
        const job = parseScrapeJob(entry);
        if (!job) {
            problem(
                `extraScrapeTargets[${i}]`,
                entry,
                "is not 'job=host:port[,host:port...]' with a job name of letters, digits and '_'",
                `pulumi config set --path 'extraScrapeTargets[${i}]' 'postgres=10.0.0.5:9187'`,
            );
        } else if (jobNames.has(job.job)) {
            problem(
                `extraScrapeTargets[${i}]`,
                entry,
                `reuses the job name "${job.job}"`,
                `pulumi config set --path 'extraScrapeTargets[${i}]' '${job.job}_${i + 1}=${job.targets.join(",")}'`,
            );
        } else {
            jobNames.add(job.job);
        }
    });

    v.metricsTargetStacks.forEach((name, i) => {
        if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/.test(name)) {
            problem(
                `metricsTargetStacks[${i}]`,
                name,
                "is not a stack name such as acme/shop-api/prod",
                `pulumi config set --path 'metricsTargetStacks[${i}]' acme/shop-api/prod`,
            );
        }
    });
    if (new Set(v.metricsTargetStacks).size !== v.metricsTargetStacks.length) {
        problem("metricsTargetStacks", v.metricsTargetStacks, "names a stack twice", "list each stack once in metricsTargetStacks");
    }
    validateNodeDiscovery(v, problem);
    return problems;
}

/** The tag of nodeDiscoveryTag in each cloud's own rules, and the Linode token only where it is read. */
function validateNodeDiscovery(v: SettingValues, problem: ReturnType<typeof problemList>["problem"]): void {
    const tag = v.nodeDiscoveryTag;
    if (tag !== "" && v.platform === "linode" && !/^[^\s,]{3,50}$/.test(tag)) {
        // Linode tags are 3 to 50 characters; discovery lists them between commas.
        problem("nodeDiscoveryTag", tag, "is not a Linode tag: 3 to 50 characters, without spaces or commas", "pulumi config set nodeDiscoveryTag monitored");
    }
    if (tag !== "" && v.platform === "aws") {
        const { tagKey: key, tagValue: value } = parseEc2Tag(tag);
        if (
            !/^[\p{L}\p{N}\s_.:/=+@-]{1,128}$/u.test(key) ||
            key.startsWith("aws:") ||
            (value !== undefined && !/^[\p{L}\p{N}\s_.:/=+@-]{0,256}$/u.test(value))
        ) {
            problem(
                "nodeDiscoveryTag",
                tag,
                "is not an EC2 tag as Key=Value or Key (a key of 1 to 128 letters, digits, spaces and _.:/=+-@, not starting with aws:)",
                "pulumi config set nodeDiscoveryTag monitoring=node",
            );
        }
    }
    if (v.linodeDiscoveryToken !== "" && (tag === "" || v.platform !== "linode")) {
        problem(
            "linodeDiscoveryToken",
            "(hidden)",
            tag === ""
                ? "is set but nodeDiscoveryTag is empty, so nothing reads it"
                : `is set but only the linode platform reads it (platform is ${v.platform})`,
            tag === "" ? "pulumi config set nodeDiscoveryTag <tag>, or pulumi config rm linodeDiscoveryToken" : "pulumi config rm linodeDiscoveryToken",
        );
    }
}
