import * as yaml from "js-yaml";
import { isSecretSetting, settingDeclarations } from "../settings/schema";
import { loadSettings } from "../stack/loadSettings";
import { resolveSshPrivateKey } from "../remote/sshAuth";
import * as fs from "fs";
import * as path from "path";
import { readSettingValues, secretKeys, SettingSource, SettingValues } from "../settings/values";
import { declarations as declared, portKeys, settingSlices } from "../settings/declarations";
import { renderConfigBlock, withConfigBlock } from "../settings/generatedFiles";
import { projectFilePath } from "../settings/schema";
import { isIntegerIn, parseScrapeJob } from "../settings/formats";
import { parseNetwork, publicReach } from "../network/cidr";
import { SettingsError } from "../settings/problems";
import { validateLabels, validateSettings } from "../stack/loadSettings";

const declarations = settingDeclarations();

/** Pulumi.yaml's defaults, as the engine applies them. */
function defaults(): SettingValues {
    return Object.fromEntries(Object.entries(declarations).map(([key, d]) => [key, d.default])) as unknown as SettingValues;
}

/** Defaults plus what every user sets before the first `pulumi up`. */
function goodValues(): SettingValues {
    return {
        ...defaults(),
        sshPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop"],
        adminCidrs: ["203.0.113.7/32"],
    };
}

function source(values: Record<string, string>, secret: string[] = []): SettingSource {
    return { get: (k) => values[k], isSecret: (k) => secret.includes(k), keys: () => Object.keys(values) };
}

describe("the settings' declarations", () => {
    it("should declare each setting in one slice only", () => {
        const keys = settingSlices.flatMap((slice) => Object.keys(slice));
        expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
        expect(keys).toEqual(Object.keys(declared));
    });

    it("should generate Pulumi.yaml's config block, which is current (npm run generate:settings)", () => {
        const projectFile = fs.readFileSync(projectFilePath, "utf8");
        expect(withConfigBlock(projectFile)).toBe(projectFile);
        // What the engine reads is what the program declares: keys, types and defaults.
        const config = (yaml.load(projectFile) as { config: Record<string, { type: string; default: unknown }> }).config;
        expect(Object.fromEntries(Object.entries(config).map(([k, d]) => [k, [d.type, d.default]]))).toEqual(
            Object.fromEntries(Object.entries(declarations).map(([k, d]) => [k, [d.type, d.default]])),
        );
        expect(renderConfigBlock()).toContain("  remoteWrite:\n    type: array\n    items:\n      type: object\n");
    });

    it("should keep every slice plain data: it imports the declaration helper alone", () => {
        const slices = fs
            .readdirSync(path.join(projectFilePath, ".."), { recursive: true, encoding: "utf8" })
            .filter((f) => f.endsWith(".settings.ts") && !f.startsWith("node_modules"));
        expect(slices.length).toBe(settingSlices.length);
        for (const file of slices) {
            const imports = [...fs.readFileSync(path.join(projectFilePath, "..", file), "utf8").matchAll(/from "([^"]+)"/g)].map((m) => path.basename(m[1]));
            expect({ file, imports }).toEqual({ file, imports: ["declare"] });
        }
    });

    it("should name the ports the services listen on", () => {
        expect([...portKeys].sort()).toEqual([
            "alertmanagerClusterPort",
            "alertmanagerPort",
            "appPort",
            "grafanaPort",
            "nodeExporterPort",
            "otelCollectorHealthPort",
            "prometheusPort",
            "thanosQueryPort",
            "victoriaLogsPort",
            "vmalertPort",
        ]);
    });

    it("should give every setting a description and a default of its type", () => {
        for (const [key, d] of Object.entries(declarations)) {
            expect({ key, described: d.description.length > 10 }).toEqual({ key, described: true });
            const type = d.type === "integer" ? "number" : d.type === "array" ? "object" : d.type;
            expect({ key, type: typeof d.default }).toEqual({ key, type });
        }
    });

    it("should mark the secrets in the generated descriptions, as pulumi config shows them", () => {
        const marked = Object.entries((yaml.load(fs.readFileSync(projectFilePath, "utf8")) as { config: Record<string, { description: string }> }).config)
            .filter(([, d]) => d.description.startsWith("Secret. "))
            .map(([k]) => k)
            .sort();
        expect(marked).toEqual(
            Object.entries(declarations)
                .filter(([, d]) => isSecretSetting(d))
                .map(([k]) => k)
                .sort(),
        );
        expect(secretKeys).toContain("smtpPassword");
    });

    it("should give secrets an empty default, so nothing secret is ever defaulted", () => {
        for (const key of secretKeys) expect({ key, default: declarations[key].default }).toEqual({ key, default: "" });
    });
});

describe("validateSettings", () => {
    it("should accept the defaults plus an SSH key and an admin network", () => {
        expect(validateSettings(goodValues())).toEqual([]);
    });

    it("should ask for exactly the SSH key and the admin networks when only defaults are set", () => {
        expect(validateSettings(defaults()).map((p) => p.key)).toEqual(["sshPublicKeys", "adminCidrs"]);
    });

    const cases: [string, Partial<SettingValues>, string, unknown, RegExp][] = [
        ["an unknown platform", { platform: "gcp" }, "platform", "gcp", /not a platform/],
        ["a bad CIDR", { adminCidrs: ["10.0.0.1/33"] }, "adminCidrs[0]", "10.0.0.1/33", /CIDR/],
        ["an address without a prefix", { viewerCidrs: ["203.0.113.7"] }, "viewerCidrs[0]", "203.0.113.7", /CIDR/],
        ["an empty admin CIDR list", { adminCidrs: [] }, "adminCidrs", [], /is empty/],
        ["a port out of range", { grafanaPort: 70000 }, "grafanaPort", 70000, /1 to 65535/],
        ["a port of zero", { appPort: 0 }, "appPort", 0, /1 to 65535/],
        ["two services on one port", { alertmanagerPort: 9090 }, "alertmanagerPort", 9090, /also used by prometheusPort/],
        ["the SSH port", { appPort: 22 }, "appPort", 22, /SSH port/],
        ["a missing SSH key", { sshPublicKeys: [] }, "sshPublicKeys", [], /no SSH public key/],
        ["a malformed SSH key", { sshPublicKeys: ["not-a-key"] }, "sshPublicKeys[0]", "not-a-key", /OpenSSH public key/],
        ["a version with a v", { prometheusVersion: "v2.55.1" }, "prometheusVersion", "v2.55.1", /exact release version/],
        ["latest as a version", { nodeExporterVersion: "latest" }, "nodeExporterVersion", "latest", /exact release version/],
        ["a short version", { grafanaVersion: "11.3" }, "grafanaVersion", "11.3", /exact release version/],
        ["a bad checksum", { prometheusSha256: "abc" }, "prometheusSha256", "abc", /64 lower-case hex/],
        ["a collector that does not exist", { nodeExporterCollectors: ["systemd", "sytemd"] }, "nodeExporterCollectors[1]", "sytemd", /optional collectors/],
        ["a collector that is on already", { nodeExporterCollectors: ["cpu"] }, "nodeExporterCollectors[0]", "cpu", /the others are on already/],
        ["a collector named twice", { nodeExporterCollectors: ["processes", "processes"] }, "nodeExporterCollectors", ["processes", "processes"], /twice/],
        [
            "a download URL that is not http",
            { alertmanagerDownloadBaseUrl: "ftp://mirror/am" },
            "alertmanagerDownloadBaseUrl",
            "ftp://mirror/am",
            /http\(s\) URL/,
        ],
        ["a bad retention time", { prometheusRetentionTime: "15 days" }, "prometheusRetentionTime", "15 days", /Prometheus duration/],
        ["a bad retention size", { prometheusRetentionSize: "40G" }, "prometheusRetentionSize", "40G", /Prometheus size/],
        [
            "a retention size as large as the volume",
            { prometheusRetentionSize: "50GB", prometheusVolumeSizeGb: 50 },
            "prometheusRetentionSize",
            "50GB",
            /below the 50 GB data volume/,
        ],
        ["a volume below Linode's minimum", { prometheusVolumeSizeGb: 5 }, "prometheusVolumeSizeGb", 5, /10 to 10240/],
        ["a bad scrape interval", { scrapeInterval: "fast" }, "scrapeInterval", "fast", /Prometheus duration/],
        ["a malformed extra target", { extraScrapeTargets: ["postgres:9187"] }, "extraScrapeTargets[0]", "postgres:9187", /job=host:port/],
        [
            "an extra job reusing a built-in name",
            { extraScrapeTargets: ["node=10.0.0.5:9100"] },
            "extraScrapeTargets[0]",
            "node=10.0.0.5:9100",
            /reuses the job name "node"/,
        ],
        ["a bad Linode region", { region: "Miami" }, "region", "Miami", /Linode region/],
        ["a bad Linode type", { appInstanceType: "nanode" }, "appInstanceType", "nanode", /Linode type/],
        ["a bad image", { image: "ubuntu" }, "image", "ubuntu", /Linode image/],
        ["a bad label prefix", { labelPrefix: "9lives" }, "labelPrefix", "9lives", /start with a letter/],
        ["an SMTP server without a sender", { smtpSmarthost: "smtp.example.com:587", smtpTo: "ops@example.com" }, "smtpFrom", "", /email address/],
        [
            "an SMTP server without a port",
            { smtpSmarthost: "smtp.example.com", smtpFrom: "a@example.com", smtpTo: "b@example.com" },
            "smtpSmarthost",
            "smtp.example.com",
            /host:port/,
        ],
        [
            "an SMTP user without a password",
            { smtpSmarthost: "smtp.example.com:587", smtpFrom: "a@example.com", smtpTo: "b@example.com", smtpUsername: "a" },
            "smtpPassword",
            "",
            /empty while smtpUsername/,
        ],
        ["an unknown metrics mode", { appMetricsMode: "statsd" }, "appMetricsMode", "statsd", /prometheus, cloudwatch, both/],
        ["cloudwatch mode without credentials", { appMetricsMode: "cloudwatch" }, "appAwsAccessKeyId", "", /required when appMetricsMode is cloudwatch/],
        ["a weak Grafana password", { grafanaAdminPassword: "admin" }, "grafanaAdminPassword", "(hidden)", /shorter than 12/],
        ["a short root password", { rootPassword: "hunter2" }, "rootPassword", "(hidden)", /shorter than 12/],
        ["the whole internet as admin network", { adminCidrs: ["0.0.0.0/0"] }, "adminCidrs", ["0.0.0.0/0"], /100 % of the public IPv4 internet/],
        ["the whole IPv6 internet as viewers", { viewerCidrs: ["::/0"] }, "viewerCidrs", ["::/0"], /100 % of the public IPv6 internet/],
        [
            "the whole internet in two halves",
            { adminCidrs: ["0.0.0.0/1", "128.0.0.0/1"] },
            "adminCidrs",
            ["0.0.0.0/1", "128.0.0.0/1"],
            /100 % of the public IPv4 internet/,
        ],
        ["the whole IPv6 internet in two halves", { appCidrs: ["8000::/1", "::/1"] }, "appCidrs", ["8000::/1", "::/1"], /100 % of the public IPv6 internet/],
        ["the whole internet spelled /00", { adminCidrs: ["0.0.0.0/00"] }, "adminCidrs[0]", "0.0.0.0/00", /unusual spelling of 0\.0\.0\.0\/0/],
        ["the whole IPv6 internet spelled /000", { viewerCidrs: ["::/000"] }, "viewerCidrs[0]", "::/000", /unusual spelling of ::\/0/],
        ["the whole internet as IPv4-mapped IPv6", { viewerCidrs: ["::ffff:0:0/96"] }, "viewerCidrs[0]", "::ffff:0:0/96", /unusual spelling of 0\.0\.0\.0\/0/],
        ["a network with host bits set", { adminCidrs: ["10.1.2.3/8"] }, "adminCidrs[0]", "10.1.2.3/8", /bits set past its \/8 prefix/],
        ["a bad EC2 instance type on aws", { platform: "aws", awsAppInstanceType: "micro" }, "awsAppInstanceType", "micro", /EC2 instance type/],
        ["a bad subnet id on aws", { platform: "aws", awsSubnetId: "sn-123" }, "awsSubnetId", "sn-123", /SubnetId id such as subnet-/],
        ["a bad AMI id on aws", { platform: "aws", awsAmiId: "ubuntu" }, "awsAmiId", "ubuntu", /AmiId id such as ami-/],
        [
            "an image repository with a tag",
            { grafanaImage: "grafana/grafana-oss:latest" },
            "grafanaImage",
            "grafana/grafana-oss:latest",
            /without a tag \(the tag follows grafanaVersion\)/,
        ],
        [
            "an image repository with a version tag",
            { prometheusImage: "prom/prometheus:v2.55.1" },
            "prometheusImage",
            "prom/prometheus:v2.55.1",
            /tag follows prometheusVersion/,
        ],
        [
            "an image pinned to a short digest",
            { nodeExporterImage: "prom/node-exporter@sha256:abc" },
            "nodeExporterImage",
            "prom/node-exporter@sha256:abc",
            /@sha256:<64 hex digits>/,
        ],
        ["an unknown runtime for hosts", { hostsRuntime: "podman" }, "hostsRuntime", "podman", /one of systemd, docker/],
        [
            "access keys on aws, which uses an instance role",
            { platform: "aws", appMetricsMode: "both", appAwsAccessKeyId: "AKIAEXAMPLE" },
            "appAwsAccessKeyId",
            "(hidden)",
            /gets a role allowing only cloudwatch:PutMetricData/,
        ],
        ["an unknown receiver", { criticalReceivers: ["sms"] }, "criticalReceivers[0]", "sms", /not a receiver/],
        ["a receiver that is not configured", { warningReceivers: ["slack"] }, "warningReceivers[0]", "slack", /slackWebhookUrl is empty/],
        ["a Slack URL that is not one", { slackWebhookUrl: "hooks.slack.com/x" }, "slackWebhookUrl", "(hidden)", /http\(s\) URL/],
        ["a PagerDuty key of the wrong length", { pagerdutyRoutingKey: "abc" }, "pagerdutyRoutingKey", "(hidden)", /32-character/],
        ["a ratio above one", { alertCpuUserRatio: "70" }, "alertCpuUserRatio", "70", /ratio above 0 and at most 1/],
        ["a threshold that is not a number", { alertAppLatencyAvgSeconds: "fast" }, "alertAppLatencyAvgSeconds", "fast", /positive number of seconds/],
        ["a bad for duration", { alertInstanceDownFor: "one minute" }, "alertInstanceDownFor", "one minute", /Prometheus duration/],
        [
            "a critical disk horizon above the warning one",
            { alertDiskFillCriticalHours: 48 },
            "alertDiskFillCriticalHours",
            48,
            /less than alertDiskFillWarningHours/,
        ],
        ["a runbook URL with a fragment", { runbookBaseUrl: "https://wiki/runbooks#x" }, "runbookBaseUrl", "https://wiki/runbooks#x", /without spaces or '#'/],
        ["a private key that is not one", { sshPrivateKey: "ssh-ed25519 AAAA" }, "sshPrivateKey", "(hidden)", /private key/],
    ];

    it.each(cases)("should reject %s", (_name, override, key, value, message) => {
        const problems = validateSettings({ ...goodValues(), ...override } as SettingValues);
        const problem = problems.find((p) => p.key === key);
        expect(problem).toBeDefined();
        expect(problem!.value).toEqual(value);
        expect(problem!.message).toMatch(message);
        expect(problem!.fix).toMatch(/\S/);
    });

    it("should accept the whole internet only when allowWorldOpenPorts says so", () => {
        expect(validateSettings({ ...goodValues(), viewerCidrs: ["0.0.0.0/0"], allowWorldOpenPorts: true })).toEqual([]);
    });

    it("should check Linode settings only on linode and AWS settings only on aws", () => {
        expect(validateSettings({ ...goodValues(), platform: "aws", region: "Miami" })).toEqual([]);
        expect(validateSettings({ ...goodValues(), platform: "linode", awsSubnetId: "bad" })).toEqual([]);
    });

    it("should never show a secret's value in a problem", () => {
        const secretValue = "hunter2";
        const problems = validateSettings({ ...goodValues(), rootPassword: secretValue, grafanaAdminPassword: secretValue } as SettingValues);
        expect(problems.length).toBe(2);
        expect(JSON.stringify(problems)).not.toContain(secretValue);
    });

    it("should reject a label prefix that makes a label longer than Linode allows with this stack", () => {
        expect(validateLabels({ labelPrefix: "mon" }, "dev")).toEqual([]);
        const [problem] = validateLabels({ labelPrefix: "monitoring-platform" }, "production-eu");
        expect(problem.key).toBe("labelPrefix");
        expect(problem.message).toContain("monitoring-platform-production-eu-mon-data");
    });
});

describe("isIntegerIn, the range check of integer settings", () => {
    it("should take whole numbers from min to max, both included, and nothing else", () => {
        const cases: [unknown, number, number | undefined, boolean][] = [
            [1, 1, 10, true],
            [10, 1, 10, true],
            [0, 1, 10, false],
            [11, 1, 10, false],
            [5.5, 1, 10, false],
            ["5", 1, 10, false],
            [Number.NaN, 1, 10, false],
            [1_000_000, 1, undefined, true],
            [-1, 1, undefined, false],
        ];
        expect(cases.map(([value, min, max]) => isIntegerIn(value, min, max))).toEqual(cases.map((c) => c[3]));
    });
});

describe("parseNetwork, publicReach and parseScrapeJob", () => {
    it.each([
        ["203.0.113.7/32", "203.0.113.7/32", false],
        ["10.0.0.0/8", "10.0.0.0/8", false],
        ["10.1.2.3/8", "10.0.0.0/8", true],
        ["0.0.0.0/00", "0.0.0.0/0", false],
        ["2001:db8::/32", "2001:db8::/32", false],
        ["2001:DB8:0::1/32", "2001:db8::/32", true],
        ["::/000", "::/0", false],
    ])("should read %s as %s (host bits set: %s)", (text, canonical, hostBitsSet) => expect(parseNetwork(text)).toMatchObject({ canonical, hostBitsSet }));
    it.each(["203.0.113.7", "256.0.0.0/8", "10.0.0.0/33", "2001:db8::/129", "a.b.c.d/8", "2001:db8:::1/64", "10.0.0.0/-1", " /8"])("should reject %s", (cidr) =>
        expect(parseNetwork(cidr)).toBeUndefined(),
    );
    /** [networks, IPv4 share, IPv6 share, internet-wide families] */
    it.each([
        [["0.0.0.0/0"], 1, 0, ["ipv4"]],
        [["0.0.0.0/1", "128.0.0.0/1"], 1, 0, ["ipv4"]],
        [["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/3"], 1, 0, ["ipv4"]],
        [["0.0.0.0/1"], 0.565, 0, ["ipv4"]],
        [["::/0"], 0, 1, ["ipv6"]],
        [["2000::/3"], 0, 1, ["ipv6"]],
        [["::/1", "8000::/1"], 0, 1, ["ipv6"]],
        [["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fd00::/8"], 0, 0, []],
        [["203.0.113.7/32", "2001:db8::/48"], 0, 0, []],
        [["17.0.0.0/8"], 0.0045, 0, []],
        [["17.0.0.0/8", "18.0.0.0/8"], 0.009, 0, ["ipv4"]],
        [["2a00:1450::/32"], 0, 0, []],
        [["2a00::/31"], 0, 0, ["ipv6"]],
        [["::ffff:0:0/96"], 1, 0, ["ipv4"]],
    ])("should measure how much of the public internet %j opens (IPv4 %s, IPv6 %s)", (texts, ipv4, ipv6, wide) => {
        const reach = publicReach((texts as string[]).map((t) => parseNetwork(t)!));
        expect(reach.map((r) => r.share)).toEqual([expect.closeTo(ipv4 as number, 3), expect.closeTo(ipv6 as number, 6)]);
        expect(reach.filter((r) => r.internetWide).map((r) => r.family)).toEqual(wide);
    });

    it("should parse a job with several targets", () => {
        expect(parseScrapeJob("postgres=10.0.0.5:9187, 10.0.0.6:9187")).toEqual({ job: "postgres", targets: ["10.0.0.5:9187", "10.0.0.6:9187"] });
        expect(parseScrapeJob("bad job=10.0.0.5:9187")).toBeUndefined();
        expect(parseScrapeJob("x=10.0.0.5:99999")).toBeUndefined();
    });
});

describe("readSettingValues", () => {
    it("should apply Pulumi.yaml's defaults to unset keys, as the engine does", () => {
        const { values, problems } = readSettingValues(source({}));
        expect(problems).toEqual([]);
        expect(values).toEqual(defaults());
    });

    it("should parse integers, booleans and lists from their config text", () => {
        const { values } = readSettingValues(
            source({ "monitoring:appPort": "8081", "monitoring:grafanaEnabled": "false", "monitoring:adminCidrs": '["203.0.113.7/32"]' }),
        );
        expect(values.appPort).toBe(8081);
        expect(values.grafanaEnabled).toBe(false);
        expect(values.adminCidrs).toEqual(["203.0.113.7/32"]);
    });

    it.each([
        ["monitoring:appPort", "eighty", "appPort", /whole number/],
        ["monitoring:grafanaEnabled", "yes", "grafanaEnabled", /true or false/],
        ["monitoring:adminCidrs", "203.0.113.7/32", "adminCidrs", /list of strings/],
    ])("should report a value of the wrong type: %s=%s", (fullKey, raw, key, message) => {
        const { problems } = readSettingValues(source({ [fullKey]: raw }));
        expect(problems).toEqual([expect.objectContaining({ key, value: raw, message: expect.stringMatching(message) })]);
    });

    it("should refuse a password stored in plain text, without showing it", () => {
        const { problems } = readSettingValues(source({ "monitoring:grafanaAdminPassword": "correct-horse-battery" }));
        expect(problems).toEqual([
            {
                key: "grafanaAdminPassword",
                value: "(hidden)",
                message: "is a secret but is stored in plain text in the stack file",
                fix: "pulumi config rm grafanaAdminPassword && pulumi config set --secret grafanaAdminPassword <value>",
            },
        ]);
    });

    it("should accept the same password when it is stored as a secret", () => {
        const { problems } = readSettingValues(source({ "monitoring:grafanaAdminPassword": "correct-horse-battery" }, ["monitoring:grafanaAdminPassword"]));
        expect(problems).toEqual([]);
    });
});

describe("loadSettings", () => {
    it("should refuse a setting that was removed, saying what replaced it, and a key that is no setting", () => {
        const stale = source({
            "monitoring:sshPublicKeys": JSON.stringify(goodValues().sshPublicKeys),
            "monitoring:adminCidrs": '["203.0.113.7/32"]',
            "monitoring:dockerPrometheusImage": "prom/prometheus:v2.55.1",
            "monitoring:scrapeIntervall": "30s",
            "aws:region": "us-east-1",
        });
        expect(() => loadSettings(stale, "dev")).toThrow(
            'dockerPrometheusImage = "prom/prometheus:v2.55.1": is no longer a setting; prometheusImage (the repository) with prometheusVersion (the tag) replaced it',
        );
        expect(() => loadSettings(stale, "dev")).toThrow(
            'scrapeIntervall = "30s": is not a setting of this program (did you mean scrapeInterval?). Fix: pulumi config rm scrapeIntervall && pulumi config set scrapeInterval <value>',
        );
        let error: SettingsError | undefined;
        try {
            loadSettings(stale, "dev");
        } catch (e) {
            error = e as SettingsError;
        }
        // Other namespaces (aws:region) belong to the providers.
        expect(error?.problems.map((p) => p.key)).toEqual(["dockerPrometheusImage", "scrapeIntervall"]);
    });

    it("should check regions and types against the providers' lists, naming the nearest id, and accept ids added through extraProviderIds", () => {
        const linode = { ...goodValues(), region: "us-maimi", monitoringInstanceType: "g6-standart-4" };
        expect(validateSettings(linode).map((p) => [p.key, p.fix.split(" (")[0]])).toEqual([
            ["region", "pulumi config set region us-mia"],
            ["monitoringInstanceType", "pulumi config set monitoringInstanceType g6-standard-4"],
        ]);
        expect(validateSettings({ ...goodValues(), region: "us-xyz", extraProviderIds: ["us-xyz"] })).toEqual([]);
        const aws = { ...goodValues(), platform: "aws", awsGrafanaInstanceType: "m9z.large" };
        expect(validateSettings(aws).map((p) => p.key)).toEqual(["awsGrafanaInstanceType"]);
        expect(validateSettings({ ...aws, extraProviderIds: ["m9z.large"] })).toEqual([]);
        // Types the provider lists today, newest generations included.
        expect(validateSettings({ ...aws, awsGrafanaInstanceType: "c8g.large", awsAppInstanceType: "t4g.nano" })).toEqual([]);
    });

    it("should accept image repositories on a registry with a port, and pinned to a digest", () => {
        const pinned = `registry.example.com:5000/mirror/prometheus@sha256:${"a".repeat(64)}`;
        expect(validateSettings({ ...goodValues(), prometheusImage: pinned, grafanaImage: "registry.example.com/grafana/grafana-oss" })).toEqual([]);
    });

    it("should throw one SettingsError that names every bad setting, its value and its fix", () => {
        const bad = source({ "monitoring:platform": "gcp", "monitoring:adminCidrs": '["10.0.0.1/33"]', "monitoring:appPort": "70000" });
        let error: unknown;
        try {
            loadSettings(bad, "dev");
        } catch (e) {
            error = e;
        }
        expect(error).toBeInstanceOf(SettingsError);
        const message = (error as Error).message;
        expect(message).toContain("nothing was created or changed");
        expect(message).toContain(
            'platform = "gcp": is not a platform this program deploys to (linode, aws, hosts). Fix: pulumi config set platform linode (or aws, or hosts)',
        );
        expect(message).toContain('adminCidrs[0] = "10.0.0.1/33": is not a network in CIDR notation');
        expect(message).toContain("appPort = 70000: is not a TCP port (1 to 65535)");
        expect(message).toContain("sshPublicKeys = []: holds no SSH public key");
    });

    it("should wrap every secret in a secret Output and leave empty ones undefined", async () => {
        const settings = loadSettings(
            source(
                {
                    "monitoring:sshPublicKeys": JSON.stringify(goodValues().sshPublicKeys),
                    "monitoring:adminCidrs": '["203.0.113.7/32"]',
                    "monitoring:smtpSmarthost": "smtp.example.com:587",
                    "monitoring:smtpFrom": "alerts@example.com",
                    "monitoring:smtpTo": "ops@example.com",
                    "monitoring:smtpUsername": "alerts",
                    "monitoring:smtpPassword": "mail-password",
                },
                ["monitoring:smtpPassword"],
            ),
            "dev",
        );
        expect(settings.secrets.grafanaAdminPassword).toBeUndefined();
        const smtp = settings.secrets.smtpPassword as unknown as { isSecret: Promise<boolean>; promise(): Promise<string> };
        expect(await smtp.isSecret).toBe(true);
        expect(await smtp.promise()).toBe("mail-password");
        expect(settings).not.toHaveProperty("smtpPassword");
    });
});

describe("the settings model", () => {
    it("should hand out parsed values: machines, scrape jobs, receivers and the platform, typed", () => {
        const settings = loadSettings(
            source({
                "monitoring:platform": "hosts",
                "monitoring:hosts": '["monitoring=root@10.0.0.5", "app=deploy@[fd00::6]:2222"]',
                "monitoring:adminCidrs": '["203.0.113.7/32"]',
                "monitoring:extraScrapeTargets": '["postgres=10.0.0.7:9187,10.0.0.8:9187"]',
                "monitoring:smtpSmarthost": "smtp.example.com:587",
                "monitoring:smtpFrom": "alerts@example.com",
                "monitoring:smtpTo": "oncall@example.com",
                "monitoring:criticalReceivers": '["email"]',
            }),
            "dev",
        );
        expect(settings.platform).toBe("hosts");
        expect(settings.hosts).toEqual([
            { role: "monitoring", user: "root", address: "10.0.0.5", port: 22, labels: {} },
            { role: "app", user: "deploy", address: "fd00::6", port: 2222, labels: {} },
        ]);
        expect(settings.extraScrapeTargets).toEqual([{ job: "postgres", targets: ["10.0.0.7:9187", "10.0.0.8:9187"] }]);
        expect(settings.criticalReceivers).toEqual(["email"]);
        expect(settings.warningReceivers).toEqual([]);
    });

    it("should leave the machines empty on a platform other than hosts, whatever hosts holds", () => {
        const settings = loadSettings(
            source({
                "monitoring:sshPublicKeys": JSON.stringify(goodValues().sshPublicKeys),
                "monitoring:adminCidrs": '["203.0.113.7/32"]',
                "monitoring:hosts": '["monitoring=root@10.0.0.5"]',
            }),
            "dev",
        );
        expect(settings.platform).toBe("linode");
        expect(settings.hosts).toEqual([]);
    });
});

describe("resolveSshPrivateKey", () => {
    const base = () =>
        loadSettings(source({ "monitoring:sshPublicKeys": JSON.stringify(goodValues().sshPublicKeys), "monitoring:adminCidrs": '["203.0.113.7/32"]' }), "dev");

    it("should read sshPrivateKeyFile, expanding ~, when no key is set", async () => {
        const seen: string[] = [];
        const key = resolveSshPrivateKey(base(), (file) => {
            seen.push(file);
            return "-----BEGIN OPENSSH PRIVATE KEY-----\n";
        }) as unknown as { isSecret: Promise<boolean> };
        expect(seen[0]).toMatch(/^\/.*\/\.ssh\/id_ed25519$/);
        expect(await key.isSecret).toBe(true);
    });

    it("should name the setting when the key file cannot be read", () => {
        expect(() =>
            resolveSshPrivateKey(base(), () => {
                throw new Error("ENOENT: no such file");
            }),
        ).toThrow(/sshPrivateKeyFile = "~\/.ssh\/id_ed25519": cannot be read \(ENOENT: no such file\)/);
    });
});
