import { isIPv4, isIPv6 } from "net";
import { receiverKinds } from "../configs/alertmanager";
import { optionalNodeExporterCollectors } from "../configs/units";
import type { SettingValues } from "./settings";

/** One bad setting: which key, the value seen, what is wrong and how to fix it. */
export interface SettingProblem {
    readonly key: string;
    readonly value: unknown;
    readonly message: string;
    readonly fix: string;
}

/** Thrown before any resource is created when settings are bad; lists every problem at once. */
export class SettingsError extends Error {
    constructor(readonly problems: readonly SettingProblem[]) {
        super(
            `${problems.length} bad setting${problems.length === 1 ? "" : "s"}; nothing was created or changed:\n` +
                problems.map((p) => `  - ${p.key} = ${JSON.stringify(p.value)}: ${p.message}. Fix: ${p.fix}`).join("\n"),
        );
        this.name = "SettingsError";
    }
}

/** The platforms this release deploys to. */
export const platforms = ["linode", "aws", "hosts"] as const;
/** The ways the Flask app can report latency. */
export const appMetricsModes = ["prometheus", "cloudwatch", "both"] as const;

const versionPattern = /^\d+\.\d+\.\d+$/;
const durationPattern = /^(\d+(ms|s|m|h|d|w|y))+$/;
const sizePattern = /^\d+(B|KB|MB|GB|TB|PB|EB)$/;
const sha256Pattern = /^[0-9a-f]{64}$/;
const labelPattern = /^[a-zA-Z][a-zA-Z0-9_.-]{0,30}$/;
const linodeTypePattern = /^g\d+-[a-z0-9]+(-[a-z0-9]+)*$/;
const linodeRegionPattern = /^[a-z]{2}-[a-z]+(-\d+)?$/;
const linodeImagePattern = /^(linode|private)\/[a-z0-9._-]+$/;
const awsRegionPattern = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const sshKeyPattern =
    /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+=*( .*)?$/;
const emailPattern = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const hostPortPattern = /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/;
const urlPattern = /^https?:\/\/[^\s/]+(\/\S*)?$/;
const jobNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Whether `cidr` is an IPv4 or IPv6 network in CIDR notation, such as 203.0.113.7/32. */
export function isCidr(cidr: string): boolean {
    const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
    if (!match) {
        return false;
    }
    const prefix = Number(match[2]);
    return (isIPv4(match[1]) && prefix <= 32) || (isIPv6(match[1]) && prefix <= 128);
}

/** A static scrape job: from `job=host:port[,host:port...]` in settings, or another stack's metricsTargets. */
export interface ScrapeJob {
    readonly job: string;
    readonly targets: readonly string[];
    /** Labels added to every target of the job. */
    readonly labels?: Readonly<Record<string, string>>;
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

/** A machine of the hosts platform, parsed from role=user@address[:port]. */
export interface ExistingHost {
    readonly role: string;
    readonly user: string;
    readonly address: string;
    readonly port: number;
}

/** The roles of the hosts platform: two machines, or three with Grafana apart (as on aws). */
export const hostLayouts = [
    ["app", "monitoring"],
    ["app", "grafana", "prometheus"],
] as const;

/** Parses one hosts entry, or returns undefined if it is malformed. */
export function parseHost(entry: string): ExistingHost | undefined {
    const match = /^([a-z]+)=([a-z_][a-z0-9_-]*)@([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/.exec(entry.trim());
    if (!match) {
        return undefined;
    }
    const port = match[4] === undefined ? 22 : Number(match[4]);
    return port >= 1 && port <= 65535 ? { role: match[1], user: match[2], address: match[3].replace(/^\[|\]$/g, ""), port } : undefined;
}

/** Job names the program always renders; extra jobs may not reuse them. */
export const builtInJobs = ["prometheus", "node", "flask_app", "alertmanager"] as const;

const portKeys = ["prometheusPort", "alertmanagerPort", "nodeExporterPort", "grafanaPort", "appPort"] as const;

/**
 * Checks every setting. Pure: the same values give the same problems, and nothing is read from
 * the environment. An empty list means the settings are good.
 */
export function validateSettings(v: SettingValues): SettingProblem[] {
    const problems: SettingProblem[] = [];
    const problem = (key: string, value: unknown, message: string, fix: string) => problems.push({ key, value, message, fix });

    if (!(platforms as readonly string[]).includes(v.platform)) {
        problem(
            "platform",
            v.platform,
            `is not a platform this program deploys to (${platforms.join(", ")})`,
            "pulumi config set platform linode (or aws, or hosts)",
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
        if (!linodeRegionPattern.test(v.region)) {
            problem("region", v.region, "is not a Linode region id", "pulumi config set region us-mia (see `linode-cli regions list`)");
        }
        if (!linodeImagePattern.test(v.image)) {
            problem("image", v.image, "is not a Linode image id", "pulumi config set image linode/ubuntu24.04");
        }
        for (const key of ["monitoringInstanceType", "appInstanceType"] as const) {
            if (!linodeTypePattern.test(v[key])) {
                problem(key, v[key], "is not a Linode type id", `pulumi config set ${key} g6-standard-4 (see \`linode-cli linodes types\`)`);
            }
        }
        if (!Number.isInteger(v.prometheusVolumeSizeGb) || v.prometheusVolumeSizeGb < 10 || v.prometheusVolumeSizeGb > 10240) {
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
                problem(`hosts[${i}]`, entry, "is not role=user@address[:port]", `pulumi config set --path 'hosts[${i}]' monitoring=root@10.0.0.5`);
            }
            return host;
        });
        const roles = parsed.filter((h): h is ExistingHost => h !== undefined).map((h) => h.role);
        const known = new Set<string>(hostLayouts.flat());
        roles.forEach((role) => {
            if (!known.has(role)) {
                problem(
                    "hosts",
                    v.hosts,
                    `role ${role} is unknown; roles are monitoring and app, or prometheus, grafana and app`,
                    "pulumi config set --path 'hosts[0]' monitoring=root@10.0.0.5",
                );
            }
        });
        const sorted = [...roles].sort().join(",");
        if (roles.every((r) => known.has(r)) && parsed.every((h) => h !== undefined) && !hostLayouts.some((layout) => layout.join(",") === sorted)) {
            problem(
                "hosts",
                v.hosts,
                roles.length === 0
                    ? "names no machine"
                    : `has roles ${sorted}; give each of monitoring and app, or each of prometheus, grafana and app, exactly once`,
                "pulumi config set --path 'hosts[0]' monitoring=root@10.0.0.5 && pulumi config set --path 'hosts[1]' app=root@10.0.0.6",
            );
        }
    }
    if (v.platform === "aws") {
        for (const key of ["awsAppInstanceType", "awsPrometheusInstanceType", "awsGrafanaInstanceType"] as const) {
            if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(v[key])) {
                problem(key, v[key], "is not an EC2 instance type such as t3.medium", `pulumi config set ${key} t3.medium`);
            }
        }
        const ids = { awsAmiId: /^ami-[0-9a-f]{8,17}$/, awsVpcId: /^vpc-[0-9a-f]{8,17}$/, awsSubnetId: /^subnet-[0-9a-f]{8,17}$/ } as const;
        for (const key of Object.keys(ids) as (keyof typeof ids)[]) {
            if (v[key] !== "" && !ids[key].test(v[key])) {
                const example = { awsAmiId: "ami-0abcdef1234567890", awsVpcId: "vpc-0abcdef1234567890", awsSubnetId: "subnet-0abcdef1234567890" }[key];
                problem(key, v[key], `is not an ${key.slice(3)} id such as ${example}, or empty`, `pulumi config set ${key} ${example}`);
            }
        }
        if (!Number.isInteger(v.awsRootVolumeSizeGb) || v.awsRootVolumeSizeGb < 8 || v.awsRootVolumeSizeGb > 16384) {
            problem("awsRootVolumeSizeGb", v.awsRootVolumeSizeGb, "must be from 8 to 16384", "pulumi config set awsRootVolumeSizeGb 20");
        }
        if (!Number.isInteger(v.prometheusVolumeSizeGb) || v.prometheusVolumeSizeGb < 1 || v.prometheusVolumeSizeGb > 16384) {
            problem("prometheusVolumeSizeGb", v.prometheusVolumeSizeGb, "must be from 1 to 16384 (EBS limits)", "pulumi config set prometheusVolumeSizeGb 50");
        }
        for (const key of ["dockerPrometheusImage", "dockerAlertmanagerImage", "dockerNodeExporterImage", "dockerGrafanaImage"] as const) {
            if (!/^[a-z0-9][a-z0-9._/:-]*(:[A-Za-z0-9._-]+|@sha256:[0-9a-f]{64})$/.test(v[key]) || /:latest$/.test(v[key])) {
                problem(key, v[key], "must name an image pinned to a tag other than latest, or to a digest", `pulumi config set ${key} <image>:<version>`);
            }
        }
    }
    if (v.sshPublicKeys.length === 0 && v.platform !== "hosts") {
        problem(
            "sshPublicKeys",
            v.sshPublicKeys,
            "holds no SSH public key, so nobody could log in to the hosts",
            `pulumi config set --path 'sshPublicKeys[0]' "$(cat ~/.ssh/id_ed25519.pub)"`,
        );
    }
    v.sshPublicKeys.forEach((key, i) => {
        if (!sshKeyPattern.test(key.trim())) {
            problem(
                `sshPublicKeys[${i}]`,
                key.length > 40 ? `${key.slice(0, 40)}...` : key,
                "is not an OpenSSH public key line",
                `pulumi config set --path 'sshPublicKeys[${i}]' "$(cat ~/.ssh/id_ed25519.pub)"`,
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
        v[key].forEach((cidr, i) => {
            if (!isCidr(cidr)) {
                problem(`${key}[${i}]`, cidr, "is not a network in CIDR notation", `pulumi config set --path '${key}[${i}]' 203.0.113.7/32`);
            } else if (/\/0$/.test(cidr) && !v.allowWorldOpenPorts) {
                problem(
                    `${key}[${i}]`,
                    cidr,
                    "opens the port to the whole internet",
                    `use your networks, or pulumi config set allowWorldOpenPorts true if you mean it`,
                );
            }
        });
    }

    const seenPorts = new Map<number, string>();
    for (const key of portKeys) {
        const port = v[key];
        if (!Number.isInteger(port) || port < 1 || port > 65535) {
            problem(key, port, "is not a TCP port (1 to 65535)", `pulumi config set ${key} <1-65535>`);
        } else if (port === 22) {
            problem(key, port, "is the SSH port, which the deployment itself uses", `pulumi config set ${key} <another port>`);
        } else if (seenPorts.has(port)) {
            problem(key, port, `is also used by ${seenPorts.get(port)}`, `pulumi config set ${key} <a free port>`);
        } else {
            seenPorts.set(port, key);
        }
    }

    for (const key of ["prometheusVersion", "alertmanagerVersion", "nodeExporterVersion", "grafanaVersion"] as const) {
        if (!versionPattern.test(v[key])) {
            problem(key, v[key], "must be an exact release version such as 1.2.3 (no 'v', no 'latest')", `pulumi config set ${key} <x.y.z>`);
        }
    }
    for (const key of [
        "prometheusDownloadBaseUrl",
        "alertmanagerDownloadBaseUrl",
        "nodeExporterDownloadBaseUrl",
        "grafanaAptUrl",
        "grafanaAptKeyUrl",
    ] as const) {
        if (!urlPattern.test(v[key]) || /\/$/.test(v[key])) {
            problem(key, v[key], "must be an http(s) URL without a trailing slash", `pulumi config set ${key} <https://mirror.example/path>`);
        }
    }
    for (const key of ["prometheusSha256", "alertmanagerSha256", "nodeExporterSha256"] as const) {
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
        problem("nodeExporterCollectors", v.nodeExporterCollectors, "names a collector twice", "list each collector once");
    }
    for (const key of ["prometheusRetentionTime", "scrapeInterval", "evaluationInterval"] as const) {
        if (!durationPattern.test(v[key])) {
            problem(key, v[key], "is not a Prometheus duration such as 15s, 5m or 30d", `pulumi config set ${key} 15d`);
        }
    }
    if (!sizePattern.test(v.prometheusRetentionSize)) {
        problem(
            "prometheusRetentionSize",
            v.prometheusRetentionSize,
            "is not a Prometheus size such as 40GB",
            "pulumi config set prometheusRetentionSize 40GB",
        );
    } else if (/GB$/.test(v.prometheusRetentionSize) && Number(v.prometheusRetentionSize.slice(0, -2)) >= v.prometheusVolumeSizeGb) {
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
            problem(`extraScrapeTargets[${i}]`, entry, `reuses the job name "${job.job}"`, "give the job a name of its own");
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
        problem("metricsTargetStacks", v.metricsTargetStacks, "names a stack twice", "list each stack once");
    }

    if (v.smtpSmarthost !== "") {
        if (!hostPortPattern.test(v.smtpSmarthost)) {
            problem("smtpSmarthost", v.smtpSmarthost, "must be host:port", "pulumi config set smtpSmarthost smtp.example.com:587");
        }
        for (const key of ["smtpFrom", "smtpTo"] as const) {
            if (!emailPattern.test(v[key])) {
                problem(key, v[key], "must be an email address when smtpSmarthost is set", `pulumi config set ${key} alerts@example.com`);
            }
        }
        if (v.smtpUsername !== "" && v.smtpPassword === "") {
            problem("smtpPassword", "", "is empty while smtpUsername is set", "pulumi config set --secret smtpPassword <password>");
        }
    }

    for (const key of ["slackWebhookUrl", "webhookUrl", "heartbeatWebhookUrl"] as const) {
        if (v[key] !== "" && !urlPattern.test(v[key])) {
            problem(key, "(hidden)", "must be an http(s) URL", `pulumi config set --secret ${key} https://...`);
        }
    }
    if (v.slackWebhookUrl !== "" && !/^[#@][\w.-]+$/.test(v.slackChannel)) {
        problem("slackChannel", v.slackChannel, "must be a channel (#name) or a user (@name)", "pulumi config set slackChannel '#alerts'");
    }
    if (v.pagerdutyRoutingKey !== "" && !/^[A-Za-z0-9]{32}$/.test(v.pagerdutyRoutingKey)) {
        problem(
            "pagerdutyRoutingKey",
            "(hidden)",
            "must be the 32-character routing key of a PagerDuty Events API v2 integration",
            "pulumi config set --secret pagerdutyRoutingKey <key>",
        );
    }
    const configured = new Set<string>([
        ...(v.smtpSmarthost !== "" ? ["email"] : []),
        ...(v.slackWebhookUrl !== "" ? ["slack"] : []),
        ...(v.webhookUrl !== "" ? ["webhook"] : []),
        ...(v.pagerdutyRoutingKey !== "" ? ["pagerduty"] : []),
    ]);
    for (const key of ["criticalReceivers", "warningReceivers"] as const) {
        v[key].forEach((receiver, i) => {
            if (!(receiverKinds as readonly string[]).includes(receiver)) {
                problem(
                    `${key}[${i}]`,
                    receiver,
                    `is not a receiver; receivers are ${receiverKinds.join(", ")}`,
                    `pulumi config set --path '${key}[${i}]' email`,
                );
            } else if (!configured.has(receiver)) {
                const setting = { email: "smtpSmarthost", slack: "slackWebhookUrl", webhook: "webhookUrl", pagerduty: "pagerdutyRoutingKey" }[
                    receiver as (typeof receiverKinds)[number]
                ];
                problem(
                    `${key}[${i}]`,
                    receiver,
                    `names a receiver that is not configured (${setting} is empty)`,
                    `set ${setting}, or remove ${receiver} from ${key}`,
                );
            }
        });
    }

    for (const key of [
        "alertGroupWait",
        "alertGroupInterval",
        "alertRepeatInterval",
        "alertInstanceDownFor",
        "alertTargetsMissingFor",
        "alertCpuFor",
        "alertMemoryFor",
        "alertDiskIoFor",
        "alertAppLatencyFor",
        "alertAppErrorFor",
        "alertAppNoTrafficFor",
    ] as const) {
        if (!durationPattern.test(v[key])) {
            problem(key, v[key], "is not a Prometheus duration such as 30s, 5m or 1h", `pulumi config set ${key} 5m`);
        }
    }
    for (const key of ["alertCpuUserRatio", "alertMemoryAvailableRatio", "alertInodesFreeRatio", "alertDiskIoUtilization", "alertAppErrorRatio"] as const) {
        const ratio = Number(v[key]);
        if (!/^\d*\.?\d+$/.test(v[key]) || !(ratio > 0 && ratio <= 1)) {
            problem(key, v[key], "must be a ratio above 0 and at most 1, such as 0.7", `pulumi config set ${key} 0.7`);
        }
    }
    for (const key of ["alertClockOffsetSeconds", "alertAppLatencyAvgSeconds", "alertAppLatencyP95Seconds"] as const) {
        if (!/^\d*\.?\d+$/.test(v[key]) || !(Number(v[key]) > 0)) {
            problem(key, v[key], "must be a positive number of seconds, such as 0.5", `pulumi config set ${key} 0.5`);
        }
    }
    for (const key of ["alertDiskFillWarningHours", "alertDiskFillCriticalHours"] as const) {
        if (!Number.isInteger(v[key]) || v[key] < 1 || v[key] > 24 * 30) {
            problem(key, v[key], "must be a whole number of hours from 1 to 720", `pulumi config set ${key} 24`);
        }
    }
    if (v.alertDiskFillCriticalHours >= v.alertDiskFillWarningHours) {
        problem(
            "alertDiskFillCriticalHours",
            v.alertDiskFillCriticalHours,
            `must be less than alertDiskFillWarningHours (${v.alertDiskFillWarningHours}), or the critical alert fires first`,
            "pulumi config set alertDiskFillCriticalHours 4",
        );
    }
    if (!/^[^\s#]+$/.test(v.runbookBaseUrl)) {
        problem(
            "runbookBaseUrl",
            v.runbookBaseUrl,
            "must be a URL or path without spaces or '#'",
            "pulumi config set runbookBaseUrl https://git.example.com/monitoring/blob/main/docs/runbooks.md",
        );
    }

    if (v.grafanaEnabled && v.grafanaAdminPassword !== "" && (v.grafanaAdminPassword.length < 12 || v.grafanaAdminPassword === "admin")) {
        problem(
            "grafanaAdminPassword",
            "(hidden)",
            "is shorter than 12 characters; Grafana never runs with a weak admin password",
            "pulumi config set --secret grafanaAdminPassword <a longer password>, or rm it to have one generated",
        );
    }

    if (!/^[a-zA-Z0-9_-]{1,40}$/.test(v.grafanaDatasourceUid)) {
        problem(
            "grafanaDatasourceUid",
            v.grafanaDatasourceUid,
            "must be 1 to 40 letters, digits, '-' or '_'",
            "pulumi config set grafanaDatasourceUid prometheus",
        );
    }
    if (v.grafanaDatasourceUrl !== "" && !urlPattern.test(v.grafanaDatasourceUrl)) {
        problem(
            "grafanaDatasourceUrl",
            v.grafanaDatasourceUrl,
            "must be an http(s) URL, or empty for the platform's own",
            "pulumi config set grafanaDatasourceUrl http://10.0.0.5:9090",
        );
    }
    if (v.grafanaFolder.trim() === "") {
        problem("grafanaFolder", v.grafanaFolder, "must not be empty", "pulumi config set grafanaFolder Monitoring");
    }
    if (!Number.isInteger(v.dashboard1860Revision) || v.dashboard1860Revision < 1) {
        problem(
            "dashboard1860Revision",
            v.dashboard1860Revision,
            "must be a revision number of dashboard 1860 (1 or more)",
            "pulumi config set dashboard1860Revision 37",
        );
    }
    if (!urlPattern.test(v.dashboard1860Url)) {
        problem(
            "dashboard1860Url",
            v.dashboard1860Url,
            "must be an http(s) URL",
            "pulumi config set dashboard1860Url 'https://mirror.example/1860/%{revision}.json'",
        );
    }
    if (v.dashboard1860Sha256 !== "" && !sha256Pattern.test(v.dashboard1860Sha256)) {
        problem(
            "dashboard1860Sha256",
            v.dashboard1860Sha256,
            "must be 64 lower-case hex digits, or empty",
            "pulumi config set dashboard1860Sha256 $(sha256sum 1860.json | cut -d' ' -f1)",
        );
    }

    if (!(appMetricsModes as readonly string[]).includes(v.appMetricsMode)) {
        problem("appMetricsMode", v.appMetricsMode, `must be one of ${appMetricsModes.join(", ")}`, "pulumi config set appMetricsMode prometheus");
    } else if (v.appMetricsMode !== "prometheus") {
        if (!awsRegionPattern.test(v.appAwsRegion)) {
            problem("appAwsRegion", v.appAwsRegion, "is not an AWS region id", "pulumi config set appAwsRegion us-east-1");
        }
        for (const key of ["appAwsAccessKeyId", "appAwsSecretAccessKey"] as const) {
            if (v.platform === "aws" && v[key] !== "") {
                problem(
                    key,
                    "(hidden)",
                    "is not used on aws, where the app instance gets a role allowing only cloudwatch:PutMetricData",
                    `pulumi config rm ${key}`,
                );
            } else if (v.platform !== "aws" && v[key] === "") {
                problem(
                    key,
                    "",
                    `is required when appMetricsMode is ${v.appMetricsMode}, so the app can call put_metric_data`,
                    `pulumi config set --secret ${key} <value>`,
                );
            }
        }
    }
    return problems;
}
