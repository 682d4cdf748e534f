import { optionalNodeExporterCollectors } from "../nodeExporter/nodeExporterUnit";
import { parseEc2Tag } from "./nodeDiscovery";
import { isPublicPlainHttp } from "../../network/privateEndpoints";
import { relabelRegexpErrors } from "./relabelRegexpCheck";
import { RemoteWriteField, remoteWriteFields, remoteWriteSecretFields } from "../../settings/remoteWriteEntries";
import { basicAuthPairProblems, entryFieldProblems } from "../../settings/objectListChecks";
import { nearestChoice } from "../../settings/nearest";
import { builtInJobs } from "../../settings/choices";
import {
    awsRegionPattern,
    durationPattern,
    durationSeconds,
    isIntegerIn,
    parseScrapeJob,
    sizeGigabytes,
    sizePattern,
    urlPattern,
    portRangeNote,
} from "../../settings/formats";
import { settingDefault } from "../../settings/schema";
import { problemList, SettingProblem } from "../../settings/problems";
import type { SettingValues } from "../../settings/values";

/** The releases (versions, download URLs, checksums), node_exporter collectors, Prometheus retention and intervals, and extra scrape jobs. */
export function validatePrometheus(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    v.nodeExporterCollectors.forEach((collector, i) => {
        if (!(optionalNodeExporterCollectors as readonly string[]).includes(collector)) {
            problem(
                `nodeExporterCollectors[${i}]`,
                collector,
                `is not one of node_exporter's optional collectors (${optionalNodeExporterCollectors.join(", ")}); the others are on already`,
                nearestChoice(collector, optionalNodeExporterCollectors) !== undefined
                    ? `pulumi config set --path 'nodeExporterCollectors[${i}]' ${nearestChoice(collector, optionalNodeExporterCollectors)}`
                    : `pulumi config rm --path 'nodeExporterCollectors[${i}]' (or name one of the optional collectors)`,
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
    // Compared with the data volume only when its size is itself valid: a fix computed from a bad size would be bad too.
    const volumeGb = v.platform !== "hosts" && isIntegerIn(v.prometheusVolumeSizeGb, 10, 10240) ? v.prometheusVolumeSizeGb : undefined;
    const fittingSize = volumeGb === undefined ? settingDefault("prometheusRetentionSize") : `${Math.min(40, Math.floor(volumeGb * 0.8))}GB`;
    if (!sizePattern.test(v.prometheusRetentionSize)) {
        problem(
            "prometheusRetentionSize",
            v.prometheusRetentionSize,
            "is not a Prometheus size such as 40GB",
            `pulumi config set prometheusRetentionSize ${fittingSize}`,
        );
    } else if (sizeGigabytes(v.prometheusRetentionSize) === 0) {
        problem(
            "prometheusRetentionSize",
            v.prometheusRetentionSize,
            "is zero, which turns the limit off",
            `pulumi config set prometheusRetentionSize ${fittingSize}`,
        );
    } else if (volumeGb !== undefined && sizeGigabytes(v.prometheusRetentionSize) >= volumeGb) {
        problem(
            "prometheusRetentionSize",
            v.prometheusRetentionSize,
            `is not below the ${volumeGb} GB data volume (prometheusVolumeSizeGb)`,
            `pulumi config set prometheusRetentionSize ${Math.floor(volumeGb * 0.8)}GB`,
        );
    }
    const jobNames = new Set<string>(builtInJobs);
    v.extraScrapeTargets.forEach((entry, i) => {
        const job = parseScrapeJob(entry);
        if (!job) {
            problem(
                `extraScrapeTargets[${i}]`,
                entry,
                `is not 'job=host:port[,host:port...]' with a job name of letters, digits and '_'${portRangeNote(entry)}`,
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
    validateRemoteWrite(v, problem);
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

/** Each remoteWrite entry: known fields of the right type, a URL, one way to authenticate, sane queue sizes, valid regexes. */
function validateRemoteWrite(v: SettingValues, problem: ReturnType<typeof problemList>["problem"]): void {
    const names = new Map<string, number>();
    v.remoteWrite.forEach((entry, i) => {
        const at = (field: string) => `remoteWrite[${i}].${field}`;
        const set = (field: string) => `pulumi config set --path '${at(field)}'`;
        const shown = (field: RemoteWriteField) => ((remoteWriteSecretFields as readonly string[]).includes(field) ? "(hidden)" : entry[field]);
        entryFieldProblems("remoteWrite", entry, i, remoteWriteFields, remoteWriteSecretFields, problem);
        const text = (field: RemoteWriteField) => (typeof entry[field] === "string" ? (entry[field] as string) : "");
        if (!urlPattern.test(text("url"))) {
            problem(at("url"), entry.url, "must be the endpoint's http(s) URL", `${set("url")} https://receiver.example:19291/api/v1/receive`);
        } else if (isPublicPlainHttp(text("url")) && (["username", "bearerToken"] as const).some((field) => text(field) !== "")) {
            problem(
                at("url"),
                entry.url,
                "is plain HTTP to a public address, and the entry's credentials would cross the internet readable; plain HTTP is for a receiver inside your network",
                `${set("url")} ${text("url").replace(/^http:/i, "https:")}`,
            );
        }
        const ways = (["username", "bearerToken", "sigv4Region"] as const).filter((field) => text(field) !== "");
        if (ways.length > 1) {
            problem(
                `remoteWrite[${i}]`,
                ways.join(" and "),
                "sets more than one way to authenticate; Prometheus uses one per endpoint",
                `pulumi config rm --path '${at(ways[1])}'`,
            );
        }
        basicAuthPairProblems("remoteWrite", entry, i, problem);
        if (text("sigv4Region") !== "" && !awsRegionPattern.test(text("sigv4Region"))) {
            problem(at("sigv4Region"), text("sigv4Region"), "is not an AWS region id", `${set("sigv4Region")} us-east-1`);
        }
        const keys = (["accessKeyId", "secretAccessKey"] as const).filter((field) => text(field) !== "");
        if (keys.length > 0 && text("sigv4Region") === "") {
            problem(
                at(keys[0]),
                shown(keys[0]),
                "is set but sigv4Region is not: access keys sign requests only with SigV4",
                `${set("sigv4Region")} <region>, or pulumi config rm --path '${at(keys[0])}'`,
            );
        } else if (keys.length === 1) {
            const missing = keys[0] === "accessKeyId" ? "secretAccessKey" : "accessKeyId";
            problem(
                at(missing),
                "",
                "is empty but its other half is set: SigV4 needs the access key id and the secret access key",
                `pulumi config set${missing === "secretAccessKey" ? " --secret" : ""} --path '${at(missing)}' <value>`,
            );
        } else if (text("sigv4Region") !== "" && keys.length === 0 && v.platform !== "aws") {
            problem(
                at("sigv4Region"),
                text("sigv4Region"),
                `is set without accessKeyId and secretAccessKey; only on aws does the Prometheus instance have a role to sign with (platform is ${v.platform})`,
                `${set("accessKeyId")} <id> && pulumi config set --secret --path '${at("secretAccessKey")}' <key>, or pulumi config rm --path '${at("sigv4Region")}' and authenticate otherwise`,
            );
        }
        // Checked by the pinned Prometheus's own regexp parser: JavaScript's differs.
        const regexps = (["keepMetrics", "dropMetrics"] as const).filter((field) => text(field) !== "");
        const errors = relabelRegexpErrors(regexps.map(text));
        for (const field of regexps) {
            const error = errors.get(text(field))!;
            if (error !== "") {
                problem(at(field), text(field), `is not a regular expression Prometheus accepts (${error})`, `${set(field)} 'node_.*|up'`);
            }
        }
        const name = text("name");
        if (name !== "" && !/^[A-Za-z0-9_-]{1,40}$/.test(name)) {
            problem(at("name"), name, "must be 1 to 40 letters, digits, _ and -", `${set("name")} receiver-${i + 1}`);
        } else if (name !== "" && names.has(name)) {
            problem(
                at("name"),
                name,
                `is also the name of remoteWrite[${names.get(name)}]; Prometheus needs each queue named once`,
                `${set("name")} ${name}-${i + 1}`,
            );
        }
        if (name !== "") names.set(name, i);
    });
}

/** Remote-write endpoints that would carry credentials over plain HTTP: allowed (a private network), said aloud. */
export function remoteWriteWarnings(v: Pick<SettingValues, "remoteWrite">): string[] {
    return v.remoteWrite
        .map((entry, i) => ({ entry, i }))
        .filter(({ entry }) => String(entry.url ?? "").startsWith("http://") && ["username", "bearerToken"].some((field) => entry[field]))
        .map(
            ({ entry, i }) =>
                `remoteWrite[${i}].url ${String(entry.url)} sends its credentials in plain HTTP; use the receiver's https URL unless the network between them is yours alone`,
        );
}
