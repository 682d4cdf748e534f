import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { allPanels } from "../support/dashboardPanels";
import { projectDir, sharedFixture } from "../support/stackUnderMocks";
import { Lab, readLab, ReleaseVersions, ssh, sshLogins, WebAccess, webGet } from "./labHosts";
import { EngineReport, LabStack } from "./labStack";
import { testPki } from "../support/testPki";
import { renderPreviewSummary, summarizePreview } from "../../stack/previewSummary";
import { StackBrowser } from "./browser";
import { parseCloudWatchDashboard } from "../../cloudwatch/dashboards/dashboardBody";
import { translateDashboard } from "../../cloudwatch/dashboards/translateDashboard";
import { builtinMappings } from "../../cloudwatch/metricMappings";

/**
 * The hosts platform deployed by the real Pulumi engine (the `pulumi` CLI on PATH, driven through
 * the Automation API) onto real Debian 12 hosts with systemd (lab/lab.sh), checked both on what the
 * engine reports and against the running services. Nothing here emulates the engine.
 */
const lab: Lab = readLab();
const checks: [string, string][] = [];
const alarmsFile = path.join(projectDir, "tests/fixtures/cloudwatch/describe-alarms.json");

/** The basic-auth password the systemd stack sets (webPassword); the docker stack has one generated. */
let webPassword = "lab-web-password-1-long-enough";
/** The SMTP password the systemd stack sets: the sink takes mail without AUTH, so it only has to stay secret. */
const smtpPassword = "lab-smtp-password-kept-secret";
/** How the test reaches the endpoints: the stack's CA and credentials, read from the stack outputs after each up. */
let access: WebAccess = {};

async function readAccess(stack: LabStack): Promise<void> {
    const outputs = await stack.outputs();
    access = { ca: String(outputs.tlsCaCertificate), username: String(outputs.webUsername), password: String(outputs.webPassword) };
}

/** GET a path of a lab endpoint over HTTPS with the stack's CA and credentials, as JSON. */
async function getJson<T>(hostPort: string, pathAndQuery: string): Promise<T> {
    const response = await webGet(`https://${hostPort}${pathAndQuery}`, access);
    if (response.status !== 200) throw new Error(`GET ${hostPort}${pathAndQuery}: HTTP ${response.status} ${response.body.slice(0, 200)}`);
    return JSON.parse(response.body) as T;
}

/** The settings a user of the lab sets (scripts/lab-deploy.sh sets the same), with faster alert timings. */
function labSettings(values: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        platform: "hosts",
        hosts: [`monitoring=root@${lab.monitoring}`, `app=root@${lab.app}`],
        adminCidrs: ["10.77.0.0/24"],
        // The deployment signs in through the lab's SSH agent: the key never enters the state.
        sshAgentSocket: lab.sshAgent,
        prometheusDownloadBaseUrl: `${lab.mirror}/prometheus`,
        alertmanagerDownloadBaseUrl: `${lab.mirror}/alertmanager`,
        nodeExporterDownloadBaseUrl: `${lab.mirror}/node_exporter`,
        // Grafana's apt repository cannot be reached from here.
        grafanaEnabled: false,
        smtpSmarthost: lab.smtp,
        smtpFrom: "alertmanager@lab.test",
        smtpTo: "oncall@lab.test",
        smtpRequireTls: false,
        smtpUsername: "alertmanager",
        scrapeInterval: "5s",
        evaluationInterval: "5s",
        alertInstanceDownFor: "15s",
        alertGroupWait: "5s",
        alertGroupInterval: "10s",
        prometheusRetentionSize: "2GB",
        webPassword,
        smtpPassword,
        ...values,
    };
}

/** The docker stack leaves webPassword and the SMTP credentials unset: the program generates the password. */
const generatedPassword = { webPassword: "", smtpPassword: "", smtpUsername: "" };

/** The systemd stack's secret settings, by their keys in labSettings. */
const labSecrets = ["webPassword", "smtpPassword"];

/** The version settings of a release line. */
const versionSettings = (v: ReleaseVersions) => ({ prometheusVersion: v.prometheus, alertmanagerVersion: v.alertmanager, nodeExporterVersion: v.nodeExporter });

type Sample = { metric: Record<string, string>; value: [number, string] };

async function prometheusQuery(query: string): Promise<Sample[]> {
    const body = await getJson<{ status: string; data?: { result: Sample[] }; error?: string }>(
        `${lab.monitoring}:9090`,
        `/api/v1/query?query=${encodeURIComponent(query)}`,
    );
    if (body.status !== "success") throw new Error(`query ${query}: ${body.error}`);
    return body.data!.result;
}

async function waitFor<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + seconds * 1000;
    let last: unknown;
    while (Date.now() < deadline) {
        try {
            const value = await probe();
            if (value !== undefined) return value;
        } catch (error) {
            last = error;
        }
        await new Promise((r) => setTimeout(r, 2000));
    }
    throw new Error(`${what} did not happen within ${seconds} s${last ? ` (last error: ${String(last)})` : ""}`);
}

const expectedTargets = [
    "alertmanager localhost:9093",
    `flask_app ${lab.app}:8080`,
    `node ${lab.app}:9100`,
    "node localhost:9100",
    "prometheus localhost:9090",
].sort();

/**
 * Waits until exactly the expected scrape targets are all up. Only targets scraped in the last 30 s
 * count: Prometheus writes no staleness marker for the targets of a job a reload removes (the
 * CloudWatch bridge's, turned off), so their last `up` lingers for the 5-minute lookback.
 */
async function allTargetsUp(seconds = 90, expected: readonly string[] = expectedTargets): Promise<Sample[]> {
    return waitFor("all targets up", seconds, async () => {
        const result = await prometheusQuery("up unless on (job, instance) (time() - timestamp(up) > 30)");
        const names = result.map((r) => `${r.metric.job} ${r.metric.instance}`).sort();
        return JSON.stringify(names) === JSON.stringify([...expected].sort()) && result.every((r) => r.value[1] === "1") ? result : undefined;
    });
}

/** Waits until Alertmanager holds an active Watchdog alert. */
async function watchdogActive(): Promise<void> {
    // Prometheus resends firing alerts every minute (--rules.alert.resend-delay); one fired
    // before Alertmanager was up arrives with the next resend.
    await waitFor("Watchdog in Alertmanager", 150, async () => {
        const alerts = await getJson<{ labels: Record<string, string>; status: { state: string } }[]>(`${lab.monitoring}:9093`, "/api/v2/alerts");
        return alerts.find((a) => a.labels.alertname === "Watchdog" && a.status.state === "active");
    });
}

/** The version each service reports in its build_info series, by job and instance. */
async function buildVersions(): Promise<Record<string, string>> {
    await new Promise((r) => setTimeout(r, 12_000)); // two scrapes after a restart
    const result = await prometheusQuery('{__name__=~"prometheus_build_info|alertmanager_build_info|node_exporter_build_info"}');
    return Object.fromEntries(result.map((r) => [`${r.metric.__name__} ${r.metric.instance}`, r.metric.version]));
}

const expectedVersions = (v: ReleaseVersions): Record<string, string> => ({
    "prometheus_build_info localhost:9090": v.prometheus,
    "alertmanager_build_info localhost:9093": v.alertmanager,
    "node_exporter_build_info localhost:9100": v.nodeExporter,
    [`node_exporter_build_info ${lab.app}:9100`]: v.nodeExporter,
});

async function rulesServed(): Promise<Record<string, string[]>> {
    const rules = await getJson<{ data: { groups: { name: string; rules: { name: string }[] }[] } }>(`${lab.monitoring}:9090`, "/api/v1/rules");
    return Object.fromEntries(rules.data.groups.map((g) => [g.name, g.rules.map((r) => r.name)]));
}

const prometheusStartTime = async (): Promise<string> => (await prometheusQuery('process_start_time_seconds{job="prometheus"}'))[0].value[1];

/**
 * The engine hands the stack's whole configuration to the host of the program's dynamic providers
 * (security/stackSecrets.ts), so every change of settings also updates that host's default
 * provider. It touches no resource and no host, and the engine's counts leave it out; so do the
 * step lists below.
 */
const isDynamicProviderHost = (step: EngineReport["steps"][number]) => step.type === "pulumi:providers:pulumi-nodejs";

/** The changed steps of a report as "op name", sorted, without the dynamic-provider host. */
const stepList = (report: EngineReport): string[] =>
    report.steps
        .filter((s) => !isDynamicProviderHost(s))
        .map((s) => `${s.op} ${s.name}`)
        .sort();

/** A CloudWatch mapping file whose PromQL misses a parenthesis: the rule it makes is one promtool refuses. */
function brokenMappingFile(): string {
    const mapping = path.join(fs.mkdtempSync("/tmp/lab-"), "broken.yml");
    fs.writeFileSync(
        mapping,
        "- namespace: AWS/ELB\n  metric: RequestCount\n  statistics:\n    Sum: 'sum(rate(lb_requests_total[5m]'\n  series: lb_requests_total\n  dimensions:\n    LoadBalancerName: lb\n",
    );
    return mapping;
}

/** A stack's engine-reported and wall-clock seconds per phase, as a table. */
function benchmarkTable(title: string, stack: LabStack | undefined): string {
    const seconds = (s: number) => (Number.isFinite(s) ? s.toFixed(1) : "-");
    return [
        title,
        "| phase | engine seconds | wall seconds |",
        "| --- | --- | --- |",
        ...(stack?.timings ?? []).map((t) => `| ${t.phase} | ${seconds(t.engineSeconds)} | ${seconds(t.wallSeconds)} |`),
    ].join("\n");
}

/** The resources (and their input or output property) whose stored state holds `value` in plain text. */
function whereStored(stored: string, value: string): string[] {
    const deployment = (JSON.parse(stored) as { deployment: { resources?: { urn: string; inputs?: object; outputs?: object }[] } }).deployment;
    const places = (deployment.resources ?? []).flatMap((r) =>
        (["inputs", "outputs"] as const).flatMap((side) =>
            Object.entries(r[side] ?? {})
                .filter(([, v]) => JSON.stringify(v).includes(value))
                .map(([key]) => `${r.urn} ${side}.${key}`),
        ),
    );
    const elsewhere = JSON.stringify({ ...deployment, resources: [] }).includes(value) ? ["outside the resources"] : [];
    return [...places, ...elsewhere];
}

const mails = (): string[] => (fs.existsSync(lab.mailDir) ? fs.readdirSync(lab.mailDir).map((f) => fs.readFileSync(path.join(lab.mailDir, f), "utf8")) : []);

/** The lab's bucket on the S3 API of the AWS emulator, and its key pair (settings thanosBucketAccessKeyId/SecretAccessKey, secrets). */
const bucket = "lab-metrics";
const thanosKeys = { thanosBucketAccessKeyId: "testing", thanosBucketSecretAccessKey: "testing" };
/** A statement of boto3's S3 client, as `s3`, against the emulator's S3 API. */
const s3 = (statement: string) =>
    spawnSync(
        lab.motoPython,
        [
            "-c",
            `import boto3\ns3 = boto3.client("s3", endpoint_url="${lab.cloudwatch}", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")\n${statement}`,
        ],
        { encoding: "utf8" },
    );
/** The bucket exists before the stack uses it, as on any S3-compatible store of the user's (kept from an earlier phase). */
const createBucket = () =>
    s3(`s3.list_objects_v2(Bucket="${bucket}") if "${bucket}" in [b["Name"] for b in s3.list_buckets()["Buckets"]] else s3.create_bucket(Bucket="${bucket}")`);
/** Settings with Thanos on: the release from the lab's mirror, the lab's bucket. */
const withThanos = (base: Record<string, unknown>) => ({
    ...base,
    ...thanosKeys,
    thanos: true,
    thanosDownloadBaseUrl: `${lab.mirror}/thanos`,
    thanosBucket: bucket,
    thanosBucketEndpoint: lab.cloudwatch.replace(/^http:\/\//, ""),
    thanosBucketRegion: "us-east-1",
    thanosBucketInsecure: true,
});

describe("the lab: the real engine deploys the hosts platform onto real systemd hosts", () => {
    let stack: LabStack;
    let resources = 0;

    beforeAll(async () => {
        stack = await LabStack.create("lab");
    });

    afterAll(() => {
        console.log(
            [
                benchmarkTable("Deployment benchmark (printed, never asserted):", stack),
                "",
                "| check | result |",
                "| --- | --- |",
                ...checks.map(([c, r]) => `| ${c} | ${r} |`),
            ].join("\n"),
        );
    });

    it("should create every resource on the first up, with every target up, the app measured and Watchdog active", async () => {
        await stack.configure(labSettings(versionSettings(lab.older)), labSecrets);
        const report = await stack.up("first up (older releases)");
        await readAccess(stack);
        ({ program: resources } = await stack.resourceCount());
        expect(resources).toBeGreaterThan(30);
        expect(report.resourceChanges).toEqual({ create: resources });

        await allTargetsUp();
        // Debian marks its builds "+ds" (repacked source): 2.42.0+ds is its Prometheus 2.42.0.
        const running = Object.entries(await buildVersions()).map(([k, v]) => [k, v.replace(/\+ds$/, "")]);
        expect(Object.fromEntries(running)).toEqual(expectedVersions(lab.older));
        for (let i = 0; i < 20; i++) {
            const response = await fetch(`http://${lab.app}:8080/`);
            expect(await response.json()).toEqual({ message: "Hello, World!" });
        }
        // The guide's latency query: average duration of GET / over the requests so far.
        const latency = await waitFor("latency series", 60, async () => {
            const result = await prometheusQuery(
                'flask_http_request_duration_seconds_sum{method="GET",path="/",status="200"} / flask_http_request_duration_seconds_count{method="GET",path="/",status="200"}',
            );
            return result.length === 1 ? Number(result[0].value[1]) : undefined;
        });
        expect(latency).toBeGreaterThan(0);
        await watchdogActive();
        checks.push(["first up", `${resources} resources created; targets 5/5 up; GET / ${(latency * 1000).toFixed(2)} ms; Watchdog active`]);
    });

    it("should serve every endpoint over HTTPS with a certificate of the stack's CA, and refuse requests without credentials or without TLS", async () => {
        const results: string[] = [];
        for (const [hostPort, path] of [
            [`${lab.monitoring}:9090`, "/api/v1/status/buildinfo"],
            [`${lab.monitoring}:9093`, "/api/v2/status"],
            [`${lab.monitoring}:9100`, "/metrics"],
            [`${lab.app}:9100`, "/metrics"],
        ]) {
            const anonymous = await webGet(`https://${hostPort}${path}`, { ca: access.ca });
            expect({ hostPort, status: anonymous.status }).toEqual({ hostPort, status: 401 });
            const wrong = await webGet(`https://${hostPort}${path}`, { ...access, password: "not-the-password" });
            expect({ hostPort, status: wrong.status }).toEqual({ hostPort, status: 401 });
            const authorized = await webGet(`https://${hostPort}${path}`, access);
            expect({ hostPort, status: authorized.status }).toEqual({ hostPort, status: 200 });
            // Without the stack's CA the certificate does not verify: it is the CA's, not a public one.
            await expect(webGet(`https://${hostPort}${path}`, { username: access.username, password: access.password })).rejects.toThrow(
                /self[- ]signed|unable to verify|certificate/i,
            );
            // Plain HTTP gets the TLS server's refusal, never data.
            const plain = await webGet(`http://${hostPort}${path}`);
            expect({ hostPort, status: plain.status, https: /HTTPS/i.test(plain.body) }).toEqual({ hostPort, status: 400, https: true });
            results.push(`${hostPort} 401/401/200/untrusted-without-CA/plain-400`);
        }
        // The certificate on the host is the one the CA signed, and names the host's address.
        const certificate = ssh(lab, lab.monitoring, "cat /etc/prometheus/tls/server.crt").stdout;
        const dir = fs.mkdtempSync("/tmp/lab-tls-");
        fs.writeFileSync(path.join(dir, "ca.crt"), access.ca ?? "");
        fs.writeFileSync(path.join(dir, "server.crt"), certificate);
        const verify = spawnSync("openssl", ["verify", "-CAfile", path.join(dir, "ca.crt"), "-verify_ip", lab.monitoring, path.join(dir, "server.crt")], {
            encoding: "utf8",
        });
        expect(verify.stdout.trim()).toBe(`${path.join(dir, "server.crt")}: OK`);
        checks.push(["TLS and authentication", `${results.join("; ")}; openssl verify against the CA: OK`]);
    });

    it("should rate every unit the program writes 2.0 or lower in systemd-analyze security, on the running hosts", async () => {
        const scores: string[] = [];
        for (const [host, units] of [
            [lab.monitoring, ["prometheus", "alertmanager", "node_exporter"]],
            [lab.app, ["node_exporter", "flask-app"]],
        ] as const) {
            for (const unit of units) {
                const report = ssh(lab, host, `systemd-analyze security --no-pager ${unit}.service | tail -n 1`).stdout;
                const score = Number(/Overall exposure level for \S+: ([0-9.]+)/.exec(report)?.[1]);
                expect({ host, unit, score: score <= 2.0 }).toEqual({ host, unit, score: true });
                expect(ssh(lab, host, `systemctl is-active ${unit}`).stdout.trim()).toBe("active");
                scores.push(`${unit}@${host} ${score}`);
            }
        }
        // Still working under the hardening: every target up, the systemd and processes collectors answer.
        await allTargetsUp();
        expect((await prometheusQuery("count(node_systemd_unit_state) by (instance)")).length).toBe(2);
        expect((await prometheusQuery("node_processes_state")).length).toBeGreaterThan(0);
        checks.push(["unit hardening", scores.join("; ")]);
    });

    it("should upgrade to the pinned releases by re-running only the install steps, keeping the series recorded before", async () => {
        const before = Math.floor(Date.now() / 1000);
        await new Promise((r) => setTimeout(r, 6000));
        await stack.configure(labSettings(), labSecrets);
        const preview = await stack.preview("upgrade preview");
        const installs = [
            "update app-node-exporter-service-install",
            "update monitoring-services-alertmanager-service-install",
            "update monitoring-services-node-exporter-service-install",
            "update monitoring-services-prometheus-service-install",
        ];
        expect(stepList(preview)).toEqual(installs);
        const report = await stack.up("upgrade up");
        expect(stepList(report)).toEqual(installs);
        expect(report.resourceChanges).toEqual({ update: installs.length, same: resources - installs.length });

        await allTargetsUp();
        expect(await buildVersions()).toEqual(expectedVersions(lab.pinned));
        const old = await prometheusQuery(`count_over_time(up{job="prometheus"}[5m] @ ${before})`);
        expect(Number(old[0]?.value[1])).toBeGreaterThan(0);
        await watchdogActive();
        checks.push([
            "upgrade",
            `Prometheus ${lab.older.prometheus} -> ${lab.pinned.prometheus}, Alertmanager ${lab.older.alertmanager} -> ${lab.pinned.alertmanager}, node_exporter ${lab.older.nodeExporter} -> ${lab.pinned.nodeExporter}: ${installs.length} install steps, series from before kept`,
        ]);
    });

    it("should show Prometheus's targets and alerts pages and Alertmanager's alerts in Chromium, through the stack's CA and credentials", async () => {
        const browser = await StackBrowser.launch(access);
        try {
            // Every scrape pool reads "job (n/n up)" once the page has fetched the targets.
            const pools = (text: string) => [...text.matchAll(/^(\S+) \((\d+)\/(\d+) up\)/gm)].map((m) => ({ job: m[1], up: Number(m[2]), of: Number(m[3]) }));
            const targets = await browser.view(`https://${lab.monitoring}:9090/targets`, "prometheus-targets", (text) => pools(text).length >= 4);
            const jobs = [...new Set(expectedTargets.map((t) => t.split(" ")[0]))].sort();
            expect(
                pools(targets.text)
                    .map((p) => p.job)
                    .sort(),
            ).toEqual(jobs);
            expect(pools(targets.text).filter((p) => p.up !== p.of)).toEqual([]);
            expect(targets.text).not.toContain("DOWN");
            const alerts = await browser.view(`https://${lab.monitoring}:9090/alerts`, "prometheus-alerts", (text) => /Watchdog \(1 active\)/.test(text));
            expect(alerts.text).toMatch(/Firing \(1\)/);
            const alertmanager = await browser.view(`https://${lab.monitoring}:9093/#/alerts`, "alertmanager-alerts", (text) =>
                text.includes('alertname="Watchdog"'),
            );
            expect(alertmanager.text).toContain('severity="none"');
            checks.push([
                "pages in Chromium",
                `Prometheus /targets: ${pools(targets.text)
                    .map((p) => `${p.job} ${p.up}/${p.of} up`)
                    .join(", ")}; /alerts: Watchdog firing; Alertmanager: Watchdog listed; screenshots in .lab/screenshots/`,
            ]);
        } finally {
            await browser.close();
        }
    });

    it("should change nothing on a no-op preview and up, and run nothing on either host", async () => {
        const loginsBefore = [sshLogins(lab, lab.monitoring), sshLogins(lab, lab.app)];
        const preview = await stack.preview("no-op preview", { expectNoChanges: true });
        expect(preview.steps).toEqual([]);
        expect(preview.resourceChanges).toEqual({ same: resources });
        const report = await stack.up("no-op up", { expectNoChanges: true });
        expect(report.steps).toEqual([]);
        expect(report.resourceChanges).toEqual({ same: resources });
        // The only login since is the one that reads the count.
        expect([sshLogins(lab, lab.monitoring), sshLogins(lab, lab.app)]).toEqual(loginsBefore.map((n) => n + 1));
        checks.push(["no-op", `preview and up: ${resources} unchanged; no SSH login on either host`]);
    });

    it("should show exactly the changed resources in the preview when a rule is added, and reload, not restart, Prometheus", async () => {
        const startBefore = await prometheusStartTime();
        await stack.configure(labSettings({ cloudwatchAlarmsFile: alarmsFile }), labSecrets);
        const preview = await stack.preview("change preview");
        const changed = [
            "create monitoring-services-prometheus-service-stage-prometheus.rules.cloudwatch.yml",
            "update monitoring-services-prometheus-service-configure",
            "update monitoring-services-prometheus-service-stage-prometheus.prometheus.yml",
        ];
        expect(stepList(preview)).toEqual(changed);
        // A reviewer reads the rule and the changed lines of prometheus.yml; nothing that changes holds a secret, so nothing shows as one.
        // (The CLI shows YAML as a structure, key : value; `connection` is secret by the command provider's own schema.)
        expect(preview.stdout).toMatch(/alert +: "FlaskRootLatencyHigh"/);
        expect(preview.stdout).toMatch(/~ rule_files +: \[[\s\S]*=> "rules\/cloudwatch\.yml"/);
        expect(preview.stdout).not.toMatch(/(stdin|create) *: \[secret\]/);
        // The comment's summary, from the same events the CLI streams with pulumi preview --json.
        expect(summarizePreview(preview.events)).toEqual({
            services: [
                { service: "monitoring-services-prometheus-service", files: ["prometheus.yml (changed)", "rules/cloudwatch.yml (new)"], effect: "reload" },
            ],
            others: [],
        });
        const comment = renderPreviewSummary("lab", summarizePreview(preview.events));
        fs.writeFileSync(path.join(projectDir, ".lab", "change-preview-comment.md"), `${comment}\n${preview.stdout}`);
        console.log(`The pull-request comment of this change (.lab/change-preview-comment.md):\n${comment}\npulumi preview --diff:\n${preview.stdout}`);

        const report = await stack.up("change up");
        expect(stepList(report)).toEqual(changed);
        expect(report.resourceChanges).toEqual({ create: 1, update: 2, same: resources - 2 });
        resources += 1;
        expect((await rulesServed())["cloudwatch-alarms"]).toContain("FlaskRootLatencyHigh");
        expect(await prometheusStartTime()).toBe(startBefore);
        checks.push(["change", `${changed.length} resources changed, as previewed; Prometheus reloaded (same start time)`]);
    });

    it("should fail up with promtool's message on a broken rule, keep the previous rules, then recover to a no-op", async () => {
        const mapping = brokenMappingFile();
        await stack.configure(labSettings({ cloudwatchAlarmsFile: alarmsFile, cloudwatchMappingFile: mapping }), labSecrets);
        const failure = await stack.up("refused up").then(
            () => undefined,
            (error: Error) => error.message,
        );
        expect(failure).toBeDefined();
        expect(failure).toMatch(/FAILED|parse error|unclosed/i);
        expect(failure).toContain("the running service keeps its old configuration");
        expect((await rulesServed())["cloudwatch-alarms"]).toContain("FlaskRootLatencyHigh");

        await stack.configure(labSettings({ cloudwatchAlarmsFile: alarmsFile }), labSecrets);
        // The failed update left the configure step's state as it was, so only the staged rule
        // file goes back: state and hosts agree after a failure.
        const fixed = await stack.up("fixed up");
        expect(stepList(fixed)).toEqual(["update monitoring-services-prometheus-service-stage-prometheus.rules.cloudwatch.yml"]);
        const again = await stack.up("no-op up after the fix", { expectNoChanges: true });
        expect(again.resourceChanges).toEqual({ same: resources });
        expect((await rulesServed())["cloudwatch-alarms"]).toContain("FlaskRootLatencyHigh");
        checks.push(["refusal", "up failed with promtool's message; previous rules served; fixed up, then a no-op"]);
    });

    it("should roll out a new password with a reload: old one refused, new one accepted, no service restarted, every target up", async () => {
        const startTimes = async () =>
            Object.fromEntries((await prometheusQuery("process_start_time_seconds")).map((r) => [`${r.metric.job} ${r.metric.instance}`, r.value[1]]));
        const before = await startTimes();
        const oldAccess = access;
        webPassword = "lab-web-password-2-long-enough";
        await stack.configure(labSettings({ cloudwatchAlarmsFile: alarmsFile }), labSecrets);
        const report = await stack.up("password change up");
        const staged = (prefix: string, service: string, files: string[]) => files.map((f) => `update ${prefix}-service-stage-${service}.${f}`);
        expect(stepList(report)).toEqual(
            [
                // prometheus.yml names client.password, so only the password file changes, not the configuration.
                ...staged("monitoring-services-prometheus", "prometheus", ["web.yml", "probe.curlrc", "client.password"]),
                ...staged("monitoring-services-alertmanager", "alertmanager", ["web.yml", "probe.curlrc"]),
                ...staged("monitoring-services-node-exporter", "node_exporter", ["web.yml", "probe.curlrc"]),
                ...staged("app-node-exporter", "node_exporter", ["web.yml", "probe.curlrc"]),
                ...["monitoring-services-prometheus", "monitoring-services-alertmanager", "monitoring-services-node-exporter", "app-node-exporter"].map(
                    (prefix) => `update ${prefix}-service-configure`,
                ),
            ].sort(),
        );
        await readAccess(stack);
        expect(access.password).toBe(webPassword);
        expect((await webGet(`https://${lab.monitoring}:9090/api/v1/status/buildinfo`, oldAccess)).status).toBe(401);
        expect((await webGet(`https://${lab.monitoring}:9090/api/v1/status/buildinfo`, access)).status).toBe(200);
        await allTargetsUp();
        await new Promise((r) => setTimeout(r, 6000));
        expect(await startTimes()).toEqual(before);
        await watchdogActive();
        checks.push([
            "password change",
            `${report.steps.length} resources updated; old password 401, new 200; no service restarted; targets up; Watchdog active`,
        ]);
    });

    it("should move to certificates the user supplies (tlsCertificateDir) and back to the stack's CA, reloading nothing and restarting nothing", async () => {
        const startTimes = async () =>
            Object.fromEntries((await prometheusQuery("process_start_time_seconds")).map((r) => [`${r.metric.job} ${r.metric.instance}`, r.value[1]]));
        const before = await startTimes();
        const stackCa = access.ca;
        // The user's own CA and certificates, made by openssl, naming what the program checks.
        const pki = testPki();
        pki.issue("monitoring", { sans: ["DNS:localhost", "IP:127.0.0.1", `IP:${lab.monitoring}`] });
        pki.issue("app", { sans: ["DNS:localhost", "IP:127.0.0.1", `IP:${lab.app}`] });
        /** What an up did beyond the staged files and the configure steps that read them. */
        const beyondFiles = (report: EngineReport) => stepList(report).filter((step) => !/^update .*-(service-stage-.*|service-configure)$/.test(step));
        const servedCertificate = () => ssh(lab, lab.monitoring, `openssl s_client -connect 127.0.0.1:9090 </dev/null 2>/dev/null | openssl x509`).stdout;

        await stack.configure(labSettings({ cloudwatchAlarmsFile: alarmsFile, tlsCertificateDir: pki.dir }), labSecrets);
        const supplied = await stack.up("supplied certificates up");
        expect(beyondFiles(supplied)).toEqual(["delete app-certificate", "delete monitoring-certificate", "delete stack-ca"]);
        await readAccess(stack);
        expect(access.ca).toBe(fs.readFileSync(path.join(pki.dir, "ca.crt"), "utf8"));
        expect(servedCertificate()).toBe(fs.readFileSync(path.join(pki.dir, "monitoring.crt"), "utf8"));
        expect((await webGet(`https://${lab.app}:9100/metrics`, access)).status).toBe(200);
        await expect(webGet(`https://${lab.app}:9100/metrics`, { ...access, ca: stackCa })).rejects.toThrow(/certificate|verify|signed/i);
        const upWithSupplied = (await allTargetsUp()).length;

        await stack.configure(labSettings({ cloudwatchAlarmsFile: alarmsFile }), labSecrets);
        const back = await stack.up("stack CA again up");
        expect(beyondFiles(back)).toEqual(["create app-certificate", "create monitoring-certificate", "create stack-ca"]);
        await readAccess(stack);
        expect(access.ca).not.toBe(stackCa);
        expect((await webGet(`https://${lab.app}:9100/metrics`, access)).status).toBe(200);
        await allTargetsUp();
        expect(await startTimes()).toEqual(before);
        await watchdogActive();
        checks.push([
            "supplied certificates",
            `tlsCertificateDir: ${supplied.steps.length} steps (3 deletes, the rest staged files), the served certificate is the supplied one, ${upWithSupplied} targets up; back to a new stack CA: ${back.steps.length} steps; no service restarted`,
        ]);
    });

    it("should bridge CloudWatch: YACE reads the emulator's metric, Prometheus gets the series, the translated alarm fires; off again, the bridge is gone", async () => {
        // An alarm on a metric only CloudWatch has: a load balancer with no requests.
        const topic = "arn:aws:sns:us-east-1:123456789012:ops";
        const alarms = path.join(fs.mkdtempSync("/tmp/lab-bridge-"), "describe-alarms.json");
        fs.writeFileSync(
            alarms,
            JSON.stringify({
                MetricAlarms: [
                    {
                        AlarmName: "elb-idle-lab",
                        Namespace: "AWS/ELB",
                        MetricName: "RequestCount",
                        Dimensions: [{ Name: "LoadBalancerName", Value: "web-lab" }],
                        Statistic: "Sum",
                        Period: 60,
                        EvaluationPeriods: 1,
                        Threshold: 1,
                        ComparisonOperator: "LessThanThreshold",
                        AlarmActions: [topic],
                        OKActions: [topic],
                    },
                ],
            }),
        );
        // Datapoints keep arriving in the emulator, as they would in CloudWatch, every 15 s.
        const feeder = spawn(
            lab.motoPython,
            [
                "-c",
                [
                    "import boto3, datetime, time",
                    `cw = boto3.client("cloudwatch", endpoint_url="${lab.cloudwatch}", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")`,
                    "while True:",
                    '    cw.put_metric_data(Namespace="AWS/ELB", MetricData=[{"MetricName": "RequestCount", "Dimensions": [{"Name": "LoadBalancerName", "Value": "web-lab"}], "Timestamp": datetime.datetime.now(datetime.timezone.utc), "Value": 0.0, "Unit": "Count"}])',
                    "    time.sleep(15)",
                ].join("\n"),
            ],
            { stdio: "ignore" },
        );
        const bridgeSecrets = [...labSecrets, "cloudwatchBridgeAccessKeyId", "cloudwatchBridgeSecretAccessKey"];
        try {
            await stack.configure(
                labSettings({
                    cloudwatchAlarmsFile: alarms,
                    cloudwatchBridge: true,
                    cloudwatchBridgeEndpoint: lab.cloudwatch,
                    cloudwatchBridgeInterval: 15,
                    cloudwatchBridgeAccessKeyId: "testing",
                    cloudwatchBridgeSecretAccessKey: "testing",
                    yaceDownloadBaseUrl: `${lab.mirror}/yace`,
                }),
                bridgeSecrets,
            );
            const on = await stack.up("bridge on up");
            expect(stepList(on).filter((step) => step.startsWith("create ") && step.includes("cloudwatch-bridge")).length).toBeGreaterThan(0);
            expect(ssh(lab, lab.monitoring, "systemctl is-active yace").stdout.trim()).toBe("active");
            const series = await waitFor("the bridged series in Prometheus", 120, async () => {
                const found = await prometheusQuery('aws_elb_request_count_sum{dimension_LoadBalancerName="web-lab"}');
                return found.length > 0 ? found : undefined;
            });
            expect(series.map((s) => [s.metric.job, s.value[1]])).toEqual([["cloudwatch_bridge", "0"]]);
            const firing = await waitFor("the translated alarm firing", 240, async () => {
                const alerts = await prometheusQuery('ALERTS{alertname="ElbIdleLab",alertstate="firing"}');
                return alerts.length > 0 ? alerts : undefined;
            });
            expect(firing[0].metric).toMatchObject({ source: "cloudwatch", dimension_LoadBalancerName: "web-lab" });

            await stack.configure(labSettings({ cloudwatchAlarmsFile: alarmsFile }), labSecrets);
            const off = await stack.up("bridge off up");
            expect(
                stepList(off)
                    .filter((step) => step.includes("cloudwatch-bridge"))
                    .every((step) => step.startsWith("delete ")),
            ).toBe(true);
            expect(ssh(lab, lab.monitoring, "systemctl is-active yace || true").stdout.trim()).not.toBe("active");
            // Its credentials went with it.
            expect(ssh(lab, lab.monitoring, "test -e /etc/yace/credentials && echo present || echo gone").stdout.trim()).toBe("gone");
            await allTargetsUp();
            checks.push([
                "CloudWatch bridge",
                `YACE on the monitoring host read the emulator (moto); aws_elb_request_count_sum reached Prometheus through job cloudwatch_bridge; ElbIdleLab fired; turned off: ${off.steps.length} steps, the bridge deleted`,
            ]);
        } finally {
            feeder.kill();
        }
    });

    it("should put node_exporter on a further machine of the node role, scrape it with its labels, and remove it with its entry", async () => {
        const base = labSettings({ cloudwatchAlarmsFile: alarmsFile });
        const nodeName = `node-${lab.node.replace(/\./g, "-")}`;
        await stack.configure({ ...base, hosts: [...(base.hosts as string[]), `node=root@${lab.node} instance=lab-node team=lab`] }, labSecrets);
        const added = await stack.up("node host added");
        const steps = stepList(added);
        // New resources are the node host's alone; what else changes is prometheus.yml and the TargetsMissing rule, applied with a reload.
        expect(steps.filter((step) => step.startsWith("create ")).every((step) => step.includes(nodeName))).toBe(true);
        expect(steps.filter((step) => !step.includes(nodeName)).every((step) => step.startsWith("update monitoring-services-prometheus"))).toBe(true);
        expect(ssh(lab, lab.node, "systemctl is-active node_exporter").stdout.trim()).toBe("active");
        expect((await webGet(`https://${lab.node}:9100/metrics`, { ca: access.ca })).status).toBe(401);
        const up = await allTargetsUp(90, [...expectedTargets, "node lab-node"]);
        expect(up.find((r) => r.metric.instance === "lab-node")!.metric).toMatchObject({ job: "node", role: "node", team: "lab" });
        const rule = await prometheusQuery('count(up{job="node"})');
        expect(rule[0].value[1]).toBe("3");

        await stack.configure(base, labSecrets);
        const removed = await stack.up("node host removed");
        expect(
            stepList(removed)
                .filter((step) => step.includes(nodeName))
                .every((step) => step.startsWith("delete ")),
        ).toBe(true);
        expect(ssh(lab, lab.node, "systemctl is-active node_exporter || true").stdout.trim()).not.toBe("active");
        expect(ssh(lab, lab.node, "test -e /etc/systemd/system/node_exporter.service && echo present || echo gone").stdout.trim()).toBe("gone");
        await allTargetsUp();
        checks.push([
            "node host",
            `added: ${added.steps.length} steps (node_exporter on ${lab.node}, scraped as instance lab-node with team=lab over HTTPS); removed: ${removed.steps.length} steps, its service gone`,
        ]);
    });

    it("should write every sample to a VictoriaMetrics receiver, and lose none across a two-minute outage of it", async () => {
        const receiverPassword = "lab-receiver-password-long";
        const receiver = `${lab.node}:8428`;
        const startReceiver = () =>
            ssh(
                lab,
                lab.node,
                `systemd-run --unit=victoria-metrics --property=Restart=no /usr/local/bin/victoria-metrics -storageDataPath=/var/lib/victoria-metrics -httpListenAddr=:8428 -httpAuth.username=prometheus -httpAuth.password=${receiverPassword} && for _ in $(seq 1 30); do curl -fsS -o /dev/null -u prometheus:${receiverPassword} http://localhost:8428/health && exit 0; sleep 1; done; exit 1`,
            );
        const receiverQuery = async (query: string, time?: number): Promise<Sample[]> => {
            const response = await webGet(
                `http://${receiver}/api/v1/query?nocache=1&query=${encodeURIComponent(query)}${time === undefined ? "" : `&time=${time}`}`,
                { username: "prometheus", password: receiverPassword },
            );
            if (response.status !== 200) throw new Error(`receiver query ${query}: HTTP ${response.status} ${response.body.slice(0, 200)}`);
            return (JSON.parse(response.body) as { data: { result: Sample[] } }).data.result;
        };
        expect(startReceiver().status).toBe(0);
        try {
            const base = labSettings({ cloudwatchAlarmsFile: alarmsFile });
            const startedBefore = await prometheusStartTime();
            await stack.configure(
                {
                    ...base,
                    remoteWrite: [
                        { name: "lab-receiver", url: `http://${receiver}/api/v1/write`, username: "prometheus", password: receiverPassword, maxShards: 4 },
                    ],
                },
                [...labSecrets, "remoteWrite[0].password"],
            );
            const on = await stack.up("remote write on");
            expect(stepList(on).every((step) => step.startsWith("update monitoring-services-prometheus"))).toBe(true);
            expect(await prometheusStartTime()).toBe(startedBefore);
            await waitFor("series in the receiver", 90, async () => ((await receiverQuery('up{job="node"}')).length === 2 ? true : undefined));
            // A new queue sends only samples scraped after it started: the counting window below (from 30 s
            // before the outage) must begin after that, or samples never meant for the receiver count as lost.
            await new Promise((r) => setTimeout(r, 45_000));

            // Two minutes without the receiver; Prometheus keeps the samples in its write-ahead log and retries.
            const stoppedAt = Math.floor(Date.now() / 1000);
            expect(ssh(lab, lab.node, "systemctl stop victoria-metrics").status).toBe(0);
            await new Promise((r) => setTimeout(r, 120_000));
            expect(startReceiver().status).toBe(0);
            const restartedAt = Math.floor(Date.now() / 1000);
            await waitFor("the queue caught up", 180, async () => {
                const behind = await prometheusQuery(
                    'prometheus_remote_storage_highest_timestamp_in_seconds - ignoring(remote_name, url) group_right prometheus_remote_storage_queue_highest_sent_timestamp_seconds{remote_name="lab-receiver"}',
                );
                return behind.length === 1 && Number(behind[0].value[1]) <= 10 ? true : undefined;
            });
            // Every sample of these series from 30 s before the outage to 30 s after it, counted on both sides.
            const at = restartedAt + 30;
            await new Promise((r) => setTimeout(r, Math.max(0, (at + 45) * 1000 - Date.now())));
            const window = `${at - (stoppedAt - 30)}s`;
            // count_over_time drops the metric name, so each metric is counted on its own.
            const metrics = ["up", "scrape_duration_seconds", "node_load1"];
            const count = async (read: (query: string) => Promise<Sample[]>) => {
                let total = 0;
                for (const metric of metrics) total += Number((await read(`sum(count_over_time(${metric}[${window}]))`))[0].value[1]);
                return total;
            };
            const inPrometheus = await count(
                async (query) =>
                    (await getJson<{ data: { result: Sample[] } }>(`${lab.monitoring}:9090`, `/api/v1/query?query=${encodeURIComponent(query)}&time=${at}`))
                        .data.result,
            );
            const inReceiver = await count((query) => receiverQuery(query, at));
            const lost = inPrometheus - inReceiver;
            // Samples scraped while the receiver was down can only have reached it from the write-ahead log afterwards.
            const duringOutage = Number((await receiverQuery("sum(count_over_time(up[100s]))", stoppedAt + 110))[0]?.value[1] ?? 0);
            checks.push([
                "remote write",
                `VictoriaMetrics ${lab.receiverVersion} on ${lab.node}, basic auth: receiver stopped for 120 s; ${inPrometheus} samples in Prometheus over the ${window} around it, ${inReceiver} in the receiver: ${lost} lost; ${duringOutage} samples of up from inside the outage delivered afterwards; turned on with a reload (${on.steps.length} steps)`,
            ]);

            // Off again while the receiver still runs: Prometheus flushes a queue it removes (up to a minute when the receiver is down).
            await stack.configure(base, labSecrets);
            const off = await stack.up("remote write off");
            expect(stepList(off).every((step) => step.startsWith("update monitoring-services-prometheus"))).toBe(true);
            expect(await prometheusStartTime()).toBe(startedBefore);
            expect(inPrometheus).toBeGreaterThan(0);
            expect(duringOutage).toBeGreaterThan(0);
        } finally {
            ssh(lab, lab.node, "systemctl stop victoria-metrics || true");
        }
    });

    it("should keep blocks in a bucket with Thanos: the sidecar uploads, the store serves them with the sidecar stopped, Query answers; off again, Prometheus as before", async () => {
        expect(createBucket().status).toBe(0);
        const base = labSettings({ cloudwatchAlarmsFile: alarmsFile });
        const thanosSettings = withThanos(base);
        const thanosTargets = ["thanos localhost:10902", "thanos localhost:10906", "thanos localhost:10912", "thanos localhost:10904"];
        const components = ["thanos-sidecar", "thanos-store", "thanos-compact", "thanos-query"];
        let passed = false;
        try {
            await stack.configure(thanosSettings, [...labSecrets, ...Object.keys(thanosKeys)]);
            const on = await stack.up("thanos on");
            expect(stepList(on).filter((step) => step.startsWith("create ") && !step.includes("monitoring-thanos"))).toEqual([]);
            for (const component of components)
                expect(`${component} ${ssh(lab, lab.monitoring, `systemctl is-active ${component}`).stdout.trim()}`).toBe(`${component} active`);
            await allTargetsUp(120, [...expectedTargets, ...thanosTargets]);
            // Prometheus now cuts uncompacted two-hour blocks, labelled for Thanos.
            const flags = await getJson<{ data: Record<string, string> }>(`${lab.monitoring}:9090`, "/api/v1/status/flags");
            expect([flags.data["storage.tsdb.min-block-duration"], flags.data["storage.tsdb.max-block-duration"]]).toEqual(["2h", "2h"]);

            // A block of history, as promtool backfills it, appears in Prometheus's TSDB: the sidecar uploads it.
            const start = Math.floor(Date.now() / 1000 / 7200) * 7200 - 6 * 3600;
            const samples = Array.from({ length: 60 }, (_, i) => `lab_history_marker{source="backfill"} ${i} ${start + i * 60}`).join("\n");
            const backfill = ssh(
                lab,
                lab.monitoring,
                "set -e; work=$(mktemp -d); cat >$work/history.om; promtool tsdb create-blocks-from openmetrics $work/history.om $work/blocks >/dev/null; " +
                    "chown -R prometheus:prometheus $work/blocks; mv $work/blocks/* /var/lib/prometheus/; ls /var/lib/prometheus | grep -c '^01'",
                `${samples}\n# EOF\n`,
            );
            expect(backfill.status).toBe(0);
            const uploaded = await waitFor("the block in the bucket", 120, async () => {
                const listing = s3(`print("\\n".join(o["Key"] for o in s3.list_objects_v2(Bucket="${bucket}").get("Contents", [])))`);
                const metas = listing.stdout.split("\n").filter((k) => k.endsWith("/meta.json"));
                return metas.length > 0 ? metas : undefined;
            });
            // The store gateway reads the bucket at start (and every 15 minutes after).
            expect(ssh(lab, lab.monitoring, "systemctl restart thanos-store").status).toBe(0);
            await waitFor("the store gateway's blocks", 120, async () => {
                const loaded = await prometheusQuery("thanos_bucket_store_blocks_loaded");
                return loaded.length === 1 && Number(loaded[0].value[1]) >= 1 ? true : undefined;
            });
            // With the sidecar stopped, only the bucket holds the history: Query still answers, from the store.
            expect(ssh(lab, lab.monitoring, "systemctl stop thanos-sidecar").status).toBe(0);
            const at = start + 30 * 60;
            const fromBucket = await waitFor("the history through Thanos Query", 60, async () => {
                const body = await getJson<{ data: { result: Sample[] } }>(
                    `${lab.monitoring}:10904`,
                    `/api/v1/query?partial_response=true&query=${encodeURIComponent("lab_history_marker")}&time=${at}`,
                );
                return body.data.result.length === 1 ? body.data.result[0] : undefined;
            });
            expect(fromBucket.value[1]).toBe("30");
            expect(fromBucket.metric).toMatchObject({ source: "backfill", stack: "lab" });
            expect(ssh(lab, lab.monitoring, "systemctl start thanos-sidecar").status).toBe(0);
            checks.push([
                "thanos",
                `sidecar, store, compactor and query of Thanos ${lab.thanosVersion} on ${lab.monitoring} (${on.steps.length} steps); a backfilled block uploaded to an S3-compatible bucket (${uploaded.length} block(s)); with the sidecar stopped, Query answered lab_history_marker from the bucket (value ${fromBucket.value[1]} at ${new Date(at * 1000).toISOString()})`,
            ]);
            passed = true;
        } finally {
            // Whatever failed above, the phases after this one find Prometheus as before.
            await stack.configure(base, labSecrets);
            const off = await stack.up("thanos off").catch((error) => (passed ? Promise.reject(error) : undefined));
            if (off) {
                expect(
                    stepList(off)
                        .filter((step) => step.includes("monitoring-thanos-"))
                        .every((step) => step.startsWith("delete ")),
                ).toBe(true);
            }
        }
        for (const component of components) {
            expect(ssh(lab, lab.monitoring, `test -e /etc/systemd/system/${component}.service && echo present || echo gone`).stdout.trim()).toBe("gone");
        }
        const flags = await getJson<{ data: Record<string, string> }>(`${lab.monitoring}:9090`, "/api/v1/status/flags");
        expect(flags.data["storage.tsdb.max-block-duration"]).not.toBe("2h");
        await allTargetsUp();
        // The bucket and its blocks stay: the stack never owned them.
        expect(s3(`print(s3.list_objects_v2(Bucket="${bucket}")["KeyCount"])`).stdout.trim()).not.toBe("0");
    });

    /**
     * High availability, tried: with `unit` stopped on the monitoring host, node_exporter stops on
     * the app host. Waits for InstanceDown's email, starts `unit` again (then waits for
     * `afterRestart`) and node_exporter, waits for the resolution, and after time enough for a
     * duplicate (a cluster peer's timeout is 15 s per position) counts each email.
     */
    async function instanceDownWithStopped(
        unit: string,
        afterRestart: () => Promise<unknown> = async () => undefined,
    ): Promise<{ firing: number; resolved: number }> {
        const firingOnce = (m: string) => m.includes("InstanceDown") && /FIRING/i.test(m) && m.includes(`${lab.app}:9100`);
        const resolvedOnce = (m: string) => m.includes("InstanceDown") && /RESOLVED/i.test(m) && m.includes(`${lab.app}:9100`);
        const before = mails().length;
        expect(ssh(lab, lab.monitoring, `systemctl stop ${unit}`).status).toBe(0);
        expect(ssh(lab, lab.app, "systemctl stop node_exporter").status).toBe(0);
        await waitFor(`InstanceDown email with ${unit} stopped on the monitoring host`, 180, async () =>
            mails().slice(before).some(firingOnce) ? true : undefined,
        );
        expect(ssh(lab, lab.monitoring, `systemctl start ${unit}`).status).toBe(0);
        await afterRestart();
        expect(ssh(lab, lab.app, "systemctl start node_exporter").status).toBe(0);
        await waitFor("the resolution email", 180, async () => (mails().slice(before).some(resolvedOnce) ? true : undefined));
        await new Promise((r) => setTimeout(r, 45_000));
        return { firing: mails().slice(before).filter(firingOnce).length, resolved: mails().slice(before).filter(resolvedOnce).length };
    }

    it("should run a second Prometheus on the app host: both scrape the same targets, Thanos Query deduplicates them, and with the first stopped InstanceDown still arrives exactly once", async () => {
        const base = labSettings({ cloudwatchAlarmsFile: alarmsFile });
        const secrets = [...labSecrets, ...Object.keys(thanosKeys)];
        type Result = { data: { result: Sample[] } };
        // What each Prometheus scrapes now (its active targets, healthy), apart from the Thanos components on its own host.
        type Targets = { data: { activeTargets: { labels: Record<string, string>; health: string }[] } };
        const upTargets = async (host: string) =>
            (await getJson<Targets>(`${host}:9090`, "/api/v1/targets?state=active")).data.activeTargets
                .filter((t) => t.health === "up" && t.labels.job !== "thanos")
                .map((t) => `${t.labels.job} ${t.labels.instance}`)
                .sort();
        // The node jobs' series as both replicas name them. (The first replica's series from before the
        // restart that turning Thanos on makes, under localhost, stay visible for the 5 minutes' lookback.)
        const nodeSeries = `up{job="node", instance!~"localhost:.*"}`;
        const fromQuery = async (dedup: boolean) =>
            (await getJson<Result>(`${lab.monitoring}:10904`, `/api/v1/query?dedup=${dedup}&query=${encodeURIComponent(nodeSeries)}`)).data.result;
        let passed = false;
        expect(createBucket().status).toBe(0);
        try {
            await stack.configure({ ...withThanos(base), prometheusReplicas: 2 }, secrets);
            const on = await stack.up("prometheus replicas on");
            await readAccess(stack);
            for (const unit of ["prometheus", "thanos-sidecar"])
                expect(`${unit} ${ssh(lab, lab.app, `systemctl is-active ${unit}`).stdout.trim()}`).toBe(`${unit} active`);
            // Every target up on both, under the same names, each Prometheus scraping the other.
            const targets = await waitFor("both replicas scraping the same targets", 150, async () => {
                const [first, second] = await Promise.all([upTargets(lab.monitoring), upTargets(lab.app)]);
                if (first.length > 0 && JSON.stringify(first) === JSON.stringify(second) && first.includes(`prometheus ${lab.app}:9090`)) return first;
                throw new Error(`targets up on ${lab.monitoring}: ${first.join(", ")}; on ${lab.app}: ${second.join(", ")}`);
            });
            // Thanos Query reads both (the app host's sidecar over mutual TLS): each series twice, once per replica; deduplicated once.
            const [raw, deduplicated] = await waitFor("both replicas through Thanos Query", 120, async () => {
                const [all, one] = await Promise.all([fromQuery(false), fromQuery(true)]);
                return all.length === 2 * one.length && one.length > 0 ? [all, one] : undefined;
            });
            expect([...new Set(raw.map((r) => r.metric.replica))].sort()).toEqual(["0", "1"]);
            expect(deduplicated.every((r) => r.metric.replica === undefined)).toBe(true);

            // The first Prometheus down: the second still sees node_exporter stop on the app host and alerts.
            const { firing, resolved } = await instanceDownWithStopped("prometheus");
            checks.push([
                "Prometheus replicas",
                `a second Prometheus and sidecar on ${lab.app} (${on.steps.length} steps): both scrape the same ${targets.length} targets; Thanos Query returned ${raw.length} series of ${nodeSeries} without deduplication, ${deduplicated.length} with; first Prometheus stopped: InstanceDown mailed ${firing} time(s), resolution ${resolved} time(s)`,
            ]);
            expect([firing, resolved]).toEqual([1, 1]);
            passed = true;
        } finally {
            ssh(lab, lab.monitoring, "systemctl start prometheus");
            ssh(lab, lab.app, "systemctl start node_exporter");
            // The phases after this one find a single Prometheus, without Thanos.
            await stack.configure(base, labSecrets);
            const off = await stack.up("prometheus replicas off").catch((error) => (passed ? Promise.reject(error) : undefined));
            if (off) expect(stepList(off).filter((step) => /app-prometheus|app-thanos/.test(step) && !step.startsWith("delete "))).toEqual([]);
        }
        expect(ssh(lab, lab.app, "systemctl is-active prometheus thanos-sidecar || true").stdout.trim().split("\n")).not.toContain("active");
        await allTargetsUp();
    });

    it("should run two Alertmanagers as one cluster: with one stopped, InstanceDown arrives exactly once, and the cluster has two members again after", async () => {
        const base = labSettings({ cloudwatchAlarmsFile: alarmsFile });
        await stack.configure({ ...base, alertmanagerReplicas: 2 }, labSecrets);
        const on = await stack.up("alertmanager cluster on");
        type Status = { cluster: { status: string; peers: { address: string }[] } };
        const members = async (host: string) => (await getJson<Status>(`${host}:9093`, "/api/v2/status")).cluster;
        let passed = false;
        try {
            // Created: the app host's Alertmanager, the peer certificates, the monitoring host's cluster files, and its
            // unit's staging, now computed from the peers' addresses (a Command writing it instead of a copy).
            expect(
                stepList(on).filter(
                    (step) =>
                        step.startsWith("create ") &&
                        !/app-alertmanager|peer-certificate|monitoring-services-alertmanager-service-stage-alertmanager\.(cluster\.|service$)/.test(step),
                ),
            ).toEqual([]);
            const twoMembers = () =>
                waitFor("a cluster of two members", 90, async () => {
                    const views = await Promise.all([members(lab.monitoring), members(lab.app)]);
                    return views.every((v) => v.status === "ready" && v.peers.length === 2) ? views : undefined;
                });
            await twoMembers();
            await allTargetsUp(90, [...expectedTargets, `alertmanager ${lab.app}:9093`]);
            // The gossip port admits only peers with a certificate of the stack's CA.
            expect(ssh(lab, lab.app, `curl -sk -o /dev/null -w '%{http_code}' https://${lab.monitoring}:9094/ || true`).stdout).toBe("000");

            const { firing, resolved } = await instanceDownWithStopped("alertmanager", twoMembers);
            checks.push([
                "Alertmanager cluster",
                `2 members over mutual TLS; monitoring host's stopped: InstanceDown mailed ${firing} time(s); started again: 2 members; resolution mailed ${resolved} time(s) by the cluster`,
            ]);
            expect([firing, resolved]).toEqual([1, 1]);
            passed = true;
        } finally {
            // Whatever failed above, the phases after this one find a single Alertmanager.
            if (!passed) {
                ssh(lab, lab.monitoring, "systemctl start alertmanager");
                ssh(lab, lab.app, "systemctl start node_exporter");
                await stack.configure(base, labSecrets);
                await stack.up("alertmanager cluster off after a failure").catch(() => undefined);
            }
        }
        await stack.configure(base, labSecrets);
        const off = await stack.up("alertmanager cluster off");
        expect(stepList(off).filter((step) => /app-alertmanager|peer-certificate/.test(step) && !step.startsWith("delete "))).toEqual([]);
        expect(ssh(lab, lab.app, "systemctl is-active alertmanager || true").stdout.trim()).not.toBe("active");
        expect(ssh(lab, lab.monitoring, "ls /etc/alertmanager/cluster 2>/dev/null | wc -l").stdout.trim()).toBe("0");
        expect((await members(lab.monitoring)).status).toBe("disabled");
        await allTargetsUp();
    });

    it("should run the log store on HTTPS with basic auth and a collector on each host shipping the app's lines and the journal; off again, only deletes", async () => {
        // The settings the phases before leave, with logs on.
        const base = labSettings({ cloudwatchAlarmsFile: alarmsFile });
        const logsOn = {
            ...base,
            logs: true,
            // A week, so that an event CloudWatch still takes (up to 14 days old) can be older than the store keeps.
            logsRetention: "7d",
            // Log rules counted over 15 s windows, so that an alert and its resolution arrive within a minute.
            logRulesInterval: "15s",
            victoriaLogsDownloadBaseUrl: `${lab.mirror}/victoria-logs`,
            otelCollectorDownloadBaseUrl: `${lab.mirror}/otelcol-contrib`,
            vmalertDownloadBaseUrl: `${lab.mirror}/vmutils`,
        };
        await stack.configure(logsOn, labSecrets);
        const on = await stack.up("logs on");
        const removing = on.steps.filter((step) => /replace|delete/.test(step.op));
        expect(removing).toEqual([]);
        const created = on.steps.filter((step) => step.op === "create").map((step) => step.name);
        expect(created.length).toBeGreaterThan(0);
        expect(created.filter((name) => !/victoria-logs|otel-collector|vmalert|rules\.logs/.test(name))).toEqual([]);
        expect(created.filter((name) => name.endsWith("otel-collector")).sort()).toEqual(["app-otel-collector", "monitoring-services-otel-collector"]);
        await readAccess(stack);
        const store = `${lab.monitoring}:9428`;
        // HTTPS with the stack's CA and its credentials; 401 without them or with a wrong password;
        // plain HTTP refused. (/health answers anyone, as a load balancer's probe needs.)
        expect(await webGet(`https://${store}/health`, access)).toEqual({ status: 200, body: "OK" });
        const search = `https://${store}/select/logsql/query?query=*&limit=1`;
        expect((await webGet(search, access)).status).toBe(200);
        expect((await webGet(search, { ca: access.ca })).status).toBe(401);
        expect((await webGet(search, { ...access, password: "wrong-password-of-some-length" })).status).toBe(401);
        expect((await webGet(`https://${store}/metrics`, { ca: access.ca })).status).toBe(401);
        expect((await webGet(`http://${store}/health`)).status).toBe(400);
        await allTargetsUp(120, [...expectedTargets, "victoria_logs localhost:9428", "vmalert localhost:8880"]);
        // A line sent with the host's own credentials is found again, with its time.
        const at = new Date(Date.now() - 60_000).toISOString();
        const line = JSON.stringify({ _msg: `lab log line ${at}`, _time: at, host: "lab", service: "lab-test" });
        const curl = "curl -fsS -K /etc/victoria-logs/probe.curlrc";
        // Without its content type curl posts a form, whose body VictoriaLogs reads as arguments and stores nothing of.
        const sent = ssh(
            lab,
            lab.monitoring,
            `${curl} -H 'Content-Type: application/stream+json' --data-binary @- 'https://localhost:9428/insert/jsonline?_stream_fields=host,service'`,
            `${line}\n`,
        );
        expect(sent.status).toBe(0);
        /** The rows of a LogsQL query, asked on the monitoring host with its own CA and credentials. */
        const logsQuery = async (query: string) => {
            const answer = ssh(lab, lab.monitoring, `${curl} 'https://localhost:9428/select/logsql/query' --data-urlencode 'query=${query}'`);
            return answer.stdout
                .split("\n")
                .filter((l) => l.trim() !== "")
                .map((l) => JSON.parse(l) as Record<string, string>);
        };
        const found = await waitFor("the line in the store", 30, async () =>
            (await logsQuery("service:lab-test")).find((row) => row._msg === `lab log line ${at}`),
        );
        expect(new Date(found._time).toISOString()).toBe(at);
        expect(ssh(lab, lab.monitoring, "systemctl is-active victoria-logs").stdout.trim()).toBe("active");

        // Each host's collector runs; a request to the app is in the store within 10 s, with the time,
        // severity and host of its line in the app's log file.
        for (const host of [lab.monitoring, lab.app]) expect(ssh(lab, host, "systemctl is-active otelcol").stdout.trim()).toBe("active");
        const marker = `lab-${Date.now()}`;
        const requested = Date.now();
        expect((await fetch(`http://${lab.app}:8080/?${marker}`)).status).toBe(200);
        const appLine = ssh(lab, lab.app, "grep 'A request was received at the root URL' /var/log/flask-app/flask-app.log | tail -n 1").stdout.trim();
        const [, lineTime] = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) INFO /.exec(appLine) ?? [];
        expect(lineTime).toBeDefined();
        const shipped = await waitFor("the app's line in the store", 10, async () =>
            (await logsQuery(`_time:5m service.name:="flask-app" "A request was received at the root URL"`)).find((row) => row._msg === appLine),
        );
        const shippedAfter = Date.now() - requested;
        expect(shipped).toMatchObject({ "host.name": "app", severity_text: "INFO", logger: "app" });
        expect(new Date(shipped._time).toISOString()).toBe(`${lineTime.replace(" ", "T").replace(",", ".")}Z`);
        // Prometheus's journal lines on the monitoring host, once it logs after its collector started.
        expect(ssh(lab, lab.monitoring, "systemctl reload prometheus").status).toBe(0);
        const journal = await waitFor("prometheus.service's journal lines in the store", 30, async () => {
            const rows = await logsQuery(`_time:5m host.name:="monitoring" systemd.unit:="prometheus.service"`);
            return rows.length > 0 ? rows : undefined;
        });
        expect(journal[0]).toMatchObject({ "service.name": "prometheus" });

        // Alerts on log lines: vmalert runs and its page asks for the stack's credentials; the app's
        // INFO lines so far alerted on nothing; an ERROR line in the app's log mails
        // FlaskAppLoggedErrors once, and its resolution once.
        expect(ssh(lab, lab.monitoring, "systemctl is-active vmalert").stdout.trim()).toBe("active");
        const rulesPage = `https://${lab.monitoring}:8880/api/v1/rules`;
        expect((await webGet(rulesPage, access)).status).toBe(200);
        expect((await webGet(rulesPage, { ca: access.ca })).status).toBe(401);
        // The two pages a person opens, in Chromium with the stack's CA and credentials: vmalert's
        // groups list the stack's log rules; the store's own UI (vmui) finds the app's lines.
        const browser = await StackBrowser.launch(access);
        try {
            // The groups open folded, each showing its file and a count of its rules: a person presses "Expand All" to read the rules.
            const groups = await browser.view(
                `https://${lab.monitoring}:8880/vmalert/groups`,
                "vmalert-groups",
                (text) => ["FlaskAppLoggedErrors", "StackServiceLoggedErrors"].every((rule) => text.includes(rule)),
                60,
                async (page) => {
                    const pressed = await page.evaluate(() => {
                        const control = [...document.querySelectorAll<HTMLElement>("a, button")].find((e) => e.innerText.trim() === "Expand All");
                        control?.click();
                        return control !== undefined;
                    });
                    if (!pressed) throw new Error('vmalert\'s groups page has no "Expand All" control');
                },
            );
            expect(groups.text).not.toMatch(/\berror\b.*evaluat/i);
            // A link to vmui with the query and its time range in the address, as a person shares one:
            // vmui runs the query from the address when the page loads.
            const query = 'service.name:"flask-app"';
            await browser.view(
                `https://${lab.monitoring}:9428/select/vmui/#/?query=${encodeURIComponent(query)}&g0.relative_time=last_15_minutes`,
                "vmui-flask-app-lines",
                (text) => text.includes("A request was received at the root URL") && !text.includes("No logs found"),
                60,
                async (page) => {
                    const shown = await page
                        .waitForFunction((q) => document.querySelector("textarea")?.value === q, { timeout: 30_000 }, query)
                        .then(() => true)
                        .catch(() => false);
                    if (!shown)
                        throw new Error(
                            `vmui's query box holds ${JSON.stringify(await page.$eval("textarea", (box) => (box as HTMLTextAreaElement).value).catch(() => "nothing (no box)"))}, not the address's query ${JSON.stringify(query)}`,
                        );
                },
            );
        } finally {
            await browser.close();
        }
        const flaskAppMail = (state: RegExp) => (m: string) => m.includes("FlaskAppLoggedErrors") && state.test(m);
        expect(mails().filter(flaskAppMail(/FIRING/i))).toEqual([]);
        const mailsBeforeError = mails().length;
        const appendError = `printf '%s ERROR app lab error line %s\\n' "$(date '+%F %T,%3N')" ${Date.now()} >>/var/log/flask-app/flask-app.log`;
        expect(ssh(lab, lab.app, appendError).status).toBe(0);
        const errorLogged = Date.now();
        await waitFor("FlaskAppLoggedErrors mailed", 120, async () =>
            mails()
                .slice(mailsBeforeError)
                .some(flaskAppMail(/FIRING/i))
                ? true
                : undefined,
        );
        const errorMailedAfter = Date.now() - errorLogged;
        await waitFor("its resolution mailed", 120, async () =>
            mails()
                .slice(mailsBeforeError)
                .some(flaskAppMail(/RESOLVED/i))
                ? true
                : undefined,
        );
        // Time for a duplicate: vmalert re-sends a firing alert while it lasts, and evaluates on.
        await new Promise((r) => setTimeout(r, 45_000));
        const errorMails = mails().slice(mailsBeforeError);
        expect({ firing: errorMails.filter(flaskAppMail(/FIRING/i)).length, resolved: errorMails.filter(flaskAppMail(/RESOLVED/i)).length }).toEqual({
            firing: 1,
            resolved: 1,
        });

        // A broken log rule: vmalert -dryRun refuses it on the host, the up fails with its message,
        // and the running rules are still evaluated; without it, the next up recovers.
        const brokenRules = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "log-rules-")), "broken-logs.yml");
        fs.writeFileSync(brokenRules, "groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: 'error | stats count( as lines'\n");
        await stack.configure({ ...logsOn, logRuleFiles: [brokenRules] }, labSecrets);
        const refusedRule = await stack.up("a broken log rule").then(
            () => undefined,
            (error: Error) => error.message,
        );
        expect(refusedRule).toContain('invalid expression for rule "Broken"');
        expect(refusedRule).toContain("the running service keeps its old configuration");
        const rulesEvaluated = async () => {
            const page = JSON.parse((await webGet(rulesPage, access)).body) as { data: { groups: { name: string; rules: { lastEvaluation: string }[] }[] } };
            return page.data.groups.map((g) => ({ group: g.name, last: Math.max(...g.rules.map((r) => Date.parse(r.lastEvaluation))) }));
        };
        const refusedAt = Date.now();
        const stillEvaluated = await waitFor("the running log rules evaluated after the refusal", 60, async () => {
            const groups = await rulesEvaluated();
            return groups.every((g) => g.last > refusedAt) ? groups : undefined;
        });
        expect(stillEvaluated.map((g) => g.group).sort()).toEqual(["flask-app-logs", "service-logs"]);
        await stack.configure(logsOn, labSecrets);
        const ruleFixed = await stack.up("the broken log rule removed");
        expect(stepList(ruleFixed)).toEqual(["delete monitoring-vmalert-service-stage-vmalert.rules.user-broken-logs.yml"]);

        // The store stopped for two minutes while the app logs a request a second: every line
        // arrives once it is back, none lost; the app host's collector restarted: none repeated.
        const outage = `outage-${Date.now()}`;
        const linesBefore = Number(ssh(lab, lab.app, "wc -l < /var/log/flask-app/flask-app.log").stdout.trim());
        expect(ssh(lab, lab.monitoring, "systemctl stop victoria-logs").status).toBe(0);
        const outageStarted = Date.now();
        let sentDuringOutage = 0;
        while (Date.now() - outageStarted < 120_000) {
            if ((await fetch(`http://${lab.app}:8080/long-request?${outage}`).catch(() => undefined))?.status === 200) sentDuringOutage++;
            else await new Promise((r) => setTimeout(r, 1_000));
        }
        expect(ssh(lab, lab.monitoring, "systemctl start victoria-logs").status).toBe(0);
        const written = Number(ssh(lab, lab.app, `tail -n +${linesBefore + 1} /var/log/flask-app/flask-app.log | grep -c 'long-request URL'`).stdout.trim());
        expect(written).toBeGreaterThan(10);
        const window = `[${new Date(outageStarted - 1_000).toISOString()}, ${new Date(Date.now() + 1_000).toISOString()}]`;
        const countIn = async () => Number((await logsQuery(`_time:${window} service.name:="flask-app" "long-request URL" | stats count() hits`))[0]?.hits);
        const arrived = await waitFor("every line logged during the outage", 120, async () => {
            const hits = await countIn();
            return hits === written ? hits : undefined;
        });
        expect(arrived).toBe(written);
        expect(ssh(lab, lab.app, "systemctl restart otelcol").status).toBe(0);
        await new Promise((r) => setTimeout(r, 15_000));
        expect(await countIn()).toBe(written);

        // The CloudWatch Logs history: events of two streams put into the emulator's CloudWatch Logs,
        // exported to its S3 by npm run import-logs and posted to the store with their own times;
        // a second run imports nothing; an event older than the store keeps stops a run before it sends.
        const group = `/lab/flask-app-${Date.now()}`;
        const exportBucket = "lab-log-exports";
        const putEvents = spawnSync(
            lab.motoPython,
            [
                "-c",
                [
                    "import boto3, json, sys, time",
                    `kw = dict(endpoint_url="${lab.cloudwatch}", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")`,
                    'logs = boto3.client("logs", **kw); s3 = boto3.client("s3", **kw)',
                    `if "${exportBucket}" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]: s3.create_bucket(Bucket="${exportBucket}")`,
                    `logs.create_log_group(logGroupName="${group}")`,
                    "start = (int(time.time()) - 3 * 86400) * 1000",
                    "events = {}",
                    'for stream in ["i-0app/flask-app.log", "i-0web"]:',
                    `    logs.create_log_stream(logGroupName="${group}", logStreamName=stream)`,
                    '    events[stream] = [{"timestamp": start + i * 60000, "message": f"{stream} event {i}"} for i in range(50)]',
                    `    logs.put_log_events(logGroupName="${group}", logStreamName=stream, logEvents=events[stream])`,
                    "json.dump(events, sys.stdout)",
                ].join("\n"),
            ],
            { encoding: "utf8" },
        );
        expect(putEvents.stderr).toBe("");
        const history = JSON.parse(putEvents.stdout) as Record<string, { timestamp: number; message: string }[]>;
        const importDir = fs.mkdtempSync(path.join(os.tmpdir(), "import-logs-"));
        const ledger = path.join(importDir, "ledger.json");
        fs.writeFileSync(path.join(importDir, "stack-ca.crt"), access.ca!);
        const importRun = (...extra: string[]) =>
            spawnSync(
                "npx",
                [
                    "ts-node",
                    "--transpile-only",
                    "scripts/import-logs.ts",
                    ...["--log-group", group, "--bucket", exportBucket, "--store", `https://${store}`, "--ca", path.join(importDir, "stack-ca.crt")],
                    ...["--region", "us-east-1", "--endpoint-url", lab.cloudwatch, "--ledger", ledger],
                    ...extra,
                ],
                {
                    cwd: projectDir,
                    encoding: "utf8",
                    env: { ...process.env, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", STORE_PASSWORD: access.password! },
                },
            );
        const exportedUntil = Date.now();
        const iso = (daysAgo: number) => new Date(exportedUntil - daysAgo * 86_400_000).toISOString();
        const firstImport = importRun("--export-from", iso(4), "--export-to", iso(0));
        expect({ status: firstImport.status, stderr: firstImport.status === 0 ? "" : firstImport.stderr }).toEqual({ status: 0, stderr: "" });
        expect(firstImport.stdout).toContain(`${group}: 100 events imported from 2 streams`);
        const imported = await waitFor("the imported history in the store", 30, async () => {
            const rows = await logsQuery(`_time:5d log_group:="${group}" source:="cloudwatch-export"`);
            return rows.length === 100 ? rows : undefined;
        });
        const expected = Object.values(history)
            .flat()
            .map((e) => `${new Date(e.timestamp).toISOString()} ${e.message}`)
            .sort();
        expect(imported.map((row) => `${new Date(row._time).toISOString()} ${row._msg}`).sort()).toEqual(expected);
        const secondImport = importRun();
        expect(secondImport.status).toBe(0);
        expect(secondImport.stdout).toContain(`${group}: 0 events imported from 2 streams`);
        const tooOld = spawnSync(
            lab.motoPython,
            [
                "-c",
                `import boto3, time\nlogs = boto3.client("logs", endpoint_url="${lab.cloudwatch}", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")\n` +
                    `logs.create_log_stream(logGroupName="${group}", logStreamName="i-0old")\n` +
                    `logs.put_log_events(logGroupName="${group}", logStreamName="i-0old", logEvents=[{"timestamp": (int(time.time()) - 10 * 86400) * 1000, "message": "from before the retention"}])`,
            ],
            { encoding: "utf8" },
        );
        expect(tooOld.stderr).toBe("");
        // The same range again is refused (it would be imported twice); the twelve days before it hold the old event.
        const again = importRun("--export-from", iso(4), "--export-to", iso(0));
        expect(again.status).toBe(2);
        expect(again.stderr).toContain("was exported and imported before");
        const refused = importRun("--export-from", iso(12), "--export-to", iso(4));
        expect(refused.status).toBe(2);
        expect(refused.stderr).toContain("1 event of");
        expect(refused.stderr).toContain("outside what the store keeps");
        expect((await logsQuery(`_time:100d log_group:="${group}"`)).length).toBe(100);

        await stack.configure(base, labSecrets);
        const off = await stack.up("logs off");
        expect(off.steps.filter((step) => step.op === "create" || /replace/.test(step.op))).toEqual([]);
        expect(off.steps.filter((step) => step.op === "delete").length).toBe(created.length);
        expect(ssh(lab, lab.monitoring, "systemctl is-active victoria-logs").stdout.trim()).not.toBe("active");
        for (const host of [lab.monitoring, lab.app]) expect(ssh(lab, host, "systemctl is-active otelcol || true").stdout.trim()).not.toBe("active");
        expect(ssh(lab, lab.monitoring, "systemctl is-active vmalert || true").stdout.trim()).not.toBe("active");
        await allTargetsUp(120);
        checks.push([
            "logs",
            `on: ${created.length} resources created; the store: HTTPS with the stack's CA, 401 without credentials, 400 for plain HTTP, scraped, a line stored and found; ` +
                `a collector on each host: an app request's line in the store after ${shippedAfter} ms with its time, severity and host; prometheus.service's journal lines there; ` +
                `vmalert: an ERROR line in the app's log mailed FlaskAppLoggedErrors after ${errorMailedAfter} ms, once, and its resolution once; a broken log rule refused by vmalert -dryRun, the running rules still evaluated, recovered; ` +
                `store stopped 120 s while the app logged ${sentDuringOutage} requests: ${arrived} of ${written} lines of the app's log in the store, 0 lost; collector restarted: 0 repeated; ` +
                `CloudWatch Logs history: 100 events of 2 streams exported by moto and imported with their times, a second run imported 0, the same range refused, an event older than the retention refused before sending; off: ${created.length} deleted`,
        ]);
    });

    it("should mail InstanceDown when node_exporter stops on the app host, and mail the resolution when it is back", async () => {
        const before = mails().length;
        expect(ssh(lab, lab.app, "systemctl stop node_exporter").status).toBe(0);
        const firing = await waitFor("InstanceDown email", 180, async () =>
            mails()
                .slice(before)
                .find((m) => m.includes("InstanceDown") && /FIRING/i.test(m)),
        );
        expect(firing).toContain(`${lab.app}:9100`);
        const seen = mails().length;
        expect(ssh(lab, lab.app, "systemctl start node_exporter").status).toBe(0);
        await waitFor("resolved email", 180, async () =>
            mails()
                .slice(seen)
                .find((m) => m.includes("InstanceDown") && /RESOLVED/i.test(m)),
        );
        checks.push(["alert email", "firing and resolved received"]);
    });

    it("should have data for at least 92% of the panels of dashboard 1860", async () => {
        const dashboard = JSON.parse(fs.readFileSync(sharedFixture("grafana/node-exporter-full.variable.json"), "utf8"));
        const substitute = (expr: string) =>
            expr
                .replace(/\$node|\$\{node\}/g, `${lab.app}:9100`)
                .replace(/\$job|\$\{job\}/g, "node")
                .replace(/\$nodename|\$\{nodename\}/g, ".*")
                .replace(/\$diskdevices|\$\{diskdevices\}/g, "[a-z]+|nvme[0-9]+n[0-9]+|mmcblk[0-9]+")
                .replace(/\$__rate_interval|\$\{__rate_interval\}|\$__interval|\$\{__interval\}/g, "1m")
                .replace(/\$__range|\$\{__range\}/g, "1h");
        const panels = allPanels(dashboard).filter((p) => (p.targets ?? []).some((t) => t.expr));
        const empty: string[] = [];
        for (const panel of panels) {
            let data = false;
            for (const target of panel.targets ?? []) {
                if (!target.expr) continue;
                try {
                    if ((await prometheusQuery(substitute(target.expr))).length > 0) data = true;
                } catch {
                    // A query Prometheus rejects counts as no data.
                }
            }
            if (!data) empty.push(String(panel.title));
        }
        const withData = panels.length - empty.length;
        const share = withData / panels.length;
        console.log(`dashboard 1860: ${withData} of ${panels.length} panels with data (${(share * 100).toFixed(1)}%); without data: ${empty.join("; ")}`);
        checks.push(["dashboard 1860", `${withData}/${panels.length} panels with data (${(share * 100).toFixed(1)}%)`]);
        // Measured 117 of 125 (93.6%). The 8 left empty need what the lab's hosts cannot have:
        // scheduler statistics (this machine's kernel has no /proc/schedstat: 2 panels), CPU
        // frequency scaling (none in a VM), hardware sensors (temperature, cooling devices, power
        // supply, fans: 4), and TCP transient states, which appear only under connection churn.
        // 92% allows those 8 and two more, no further.
        expect(share).toBeGreaterThanOrEqual(0.92);
    });

    it("should answer the translated CloudWatch dashboards' queries whose series the lab has, the FlaskApp latency panel as the Flask dashboard's", async () => {
        type RangeSeries = { metric: Record<string, string>; values: [number, string][] };
        const rangeQuery = async (query: string, start: number, end: number, step: number): Promise<RangeSeries[]> => {
            const body = await getJson<{ status: string; data: { result: RangeSeries[] } }>(
                `${lab.monitoring}:9090`,
                `/api/v1/query_range?query=${encodeURIComponent(query)}&start=${start}&end=${end}&step=${step}`,
            );
            return body.data.result;
        };
        // Requests to GET / for a minute and a half, so the app's counters rise inside every window read below.
        for (let i = 0; i < 36; i++) {
            await fetch(`http://${lab.app}:8080/`);
            await new Promise((r) => setTimeout(r, 2500));
        }
        const fixtures = path.join(projectDir, "tests", "fixtures", "cloudwatch", "dashboards");
        const options = { mappings: builtinMappings(), sampleInterval: 5, logs: false, logGroups: [] };
        const end = Math.floor(Date.now() / 60000) * 60;
        const start = end - 300;
        let answered = 0;
        const absentInLab: string[] = [];
        for (const file of fs.readdirSync(fixtures).filter((f) => f.endsWith(".json"))) {
            const translation = translateDashboard(parseCloudWatchDashboard(fs.readFileSync(path.join(fixtures, file), "utf8"), file), options);
            type Target = { expr?: string; interval?: string };
            const panels = (JSON.parse(translation.json) as { panels: { title?: string; datasource?: { type: string }; targets?: Target[] }[] }).panels;
            for (const panel of panels.filter((p) => p.datasource?.type === "prometheus")) {
                for (const target of panel.targets ?? []) {
                    const expr = target.expr!.replace(/\$\{db:regex\}/g, ".*");
                    // The series it reads: every selector in the query must have some in the lab, or the panel is not expected to show data here.
                    const selectors = [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^{}]*\})?(?=\[|\)|\s|$)/g)]
                        .map((m) => `${m[1]}${m[2] ?? ""}`)
                        .filter(
                            (sel) =>
                                /_/.test(sel.split("{")[0]) &&
                                !/^(sum|avg|max|min|rate|increase|delta|label_replace|histogram_quantile|quantile_over_time|avg_over_time|max_over_time|min_over_time)$/.test(
                                    sel,
                                ),
                        );
                    const missing = [];
                    for (const selector of selectors) if ((await prometheusQuery(`count(${selector})`)).length === 0) missing.push(selector);
                    if (missing.length > 0) {
                        absentInLab.push(`${translation.name}: ${panel.title} (${missing[0]})`);
                        continue;
                    }
                    const step = Number(target.interval!.replace(/s$/, ""));
                    const series = await rangeQuery(expr, start, end, step);
                    expect({ panel: `${translation.name}: ${panel.title}`, expr, points: series.flatMap((s) => s.values).length > 0 }).toEqual({
                        panel: `${translation.name}: ${panel.title}`,
                        expr,
                        points: true,
                    });
                    answered++;
                }
            }
        }
        // The guide's EndpointLatency: the translated panel against the Flask dashboard's own, over the same window.
        const flaskTranslation = translateDashboard(
            parseCloudWatchDashboard(fs.readFileSync(path.join(fixtures, "flask-app.json"), "utf8"), "flask-app.json"),
            options,
        );
        const translatedLatency = (JSON.parse(flaskTranslation.json) as { panels: { targets: { expr: string }[] }[] }).panels[0].targets[0].expr;
        const flaskDashboard = JSON.parse(fs.readFileSync(path.join(projectDir, "configs", "grafana", "flask-app.dashboard.json"), "utf8")) as {
            panels: { title: string; targets?: { expr: string }[] }[];
        };
        const ownLatency = flaskDashboard.panels
            .find((p) => p.title === "EndpointLatency, Average, per Endpoint and Method")!
            .targets![0].expr.replace(/\$instance/g, ".*");
        const valuesOf = async (query: string) =>
            (await rangeQuery(query, start, end, 60)).find((s) => s.metric.path === "/" && s.metric.method === "GET")?.values ?? [];
        const translated = await valuesOf(translatedLatency);
        const own = await valuesOf(ownLatency);
        expect(translated.length).toBeGreaterThan(0);
        expect(translated).toEqual(own);
        checks.push([
            "CloudWatch dashboards",
            `${answered} translated queries whose series the lab has returned data; ${absentInLab.length} read series the lab has not (${absentInLab.length > 0 ? absentInLab.slice(0, 3).join("; ") + "..." : "none"}); the FlaskApp latency panel equals the Flask dashboard's at ${translated.length} points`,
        ]);
    });

    it("should come back by itself after a restart of the monitoring host, with the series recorded before it", async () => {
        const before = Math.floor(Date.now() / 1000);
        await new Promise((r) => setTimeout(r, 6000));
        const restart = spawnSync("bash", [path.join(projectDir, "lab", "lab.sh"), "restart", "mon"], { encoding: "utf8" });
        expect(restart.status).toBe(0);
        await allTargetsUp(120);
        const old = await prometheusQuery(`count_over_time(up{job="prometheus"}[5m] @ ${before})`);
        expect(Number(old[0].value[1])).toBeGreaterThan(0);
        for (const service of ["prometheus", "alertmanager", "node_exporter"]) {
            expect(ssh(lab, lab.monitoring, `systemctl is-active ${service}`).stdout.trim()).toBe("active");
        }
        checks.push(["restart", "services back by themselves, series from before kept"]);
    });

    it("should keep every secret out of the state in plain text: SMTP and web passwords, CA and server keys; the SSH key not even encrypted", async () => {
        const { stored, shown } = await stack.exportState();
        const state = JSON.parse(shown) as { deployment: { resources: { urn: string; outputs?: Record<string, unknown> }[] } };
        // `--show-secrets` writes a secret as { <signature>, plaintext: <its JSON> }.
        const revealed = (value: unknown): string =>
            value !== null && typeof value === "object" && "plaintext" in value
                ? String(JSON.parse(String((value as { plaintext: string }).plaintext)))
                : String(value ?? "");
        const keysOf = (name: string) => state.deployment.resources.filter((r) => r.urn.endsWith(`::${name}`)).map((r) => revealed(r.outputs?.keyPem));
        // A line of key material from the middle of a PEM key (the first line of an OpenSSH key is
        // the same header for every key of its type): what would leak if it were stored in plain text.
        const body = (pem: string) => {
            const lines = pem.split("\n").filter((l) => l !== "" && !l.startsWith("-----"));
            return lines[Math.min(1, lines.length - 1)] ?? "";
        };
        // The deployment signed in through the SSH agent: the key is in neither form of the state.
        const sshKeyLine = body(fs.readFileSync(lab.sshKey, "utf8"));
        expect({ stored: whereStored(stored, sshKeyLine), shown: shown.includes(sshKeyLine) }).toEqual({ stored: [], shown: false });
        const secrets: Record<string, string> = {
            "web password": webPassword,
            "SMTP password": smtpPassword,
            "CA key": body(keysOf("stack-ca")[0] ?? ""),
            "monitoring host key": body(keysOf("monitoring-certificate")[0] ?? ""),
            "app host key": body(keysOf("app-certificate")[0] ?? ""),
        };
        for (const [what, value] of Object.entries(secrets)) {
            expect({ what, long: value.length >= 16 }).toEqual({ what, long: true });
            // The check can fail: the decrypted export holds each value.
            expect({ what, inShown: shown.includes(value) }).toEqual({ what, inShown: true });
            expect({ what, storedIn: whereStored(stored, value) }).toEqual({ what, storedIn: [] });
        }
        checks.push([
            "no secret in state",
            `SSH key in neither export (agent); ${Object.keys(secrets).length} secrets (${Object.keys(secrets).join(", ")}): present in --show-secrets, absent from the stored state`,
        ]);
    });

    it("should delete every resource on destroy, stop the services, and leave the data where the README says", async () => {
        const report = await stack.destroy("destroy");
        // The engine's summaries count the program's resources, not the default providers it adds.
        expect(report.resourceChanges).toEqual({ delete: resources });
        expect(await stack.resourceCount()).toEqual({ program: 0, providers: 0 });
        for (const [host, services] of [
            [lab.monitoring, ["prometheus", "alertmanager", "node_exporter"]],
            [lab.app, ["flask-app", "node_exporter"]],
        ] as const) {
            for (const service of services) {
                expect(ssh(lab, host, `systemctl is-active ${service}`).stdout.trim()).not.toBe("active");
                expect(ssh(lab, host, `test -e /etc/systemd/system/${service}.service`).status).not.toBe(0);
            }
        }
        // Kept on purpose (README, "What destroy leaves on a host"): the TSDB and the binaries.
        expect(ssh(lab, lab.monitoring, "test -d /var/lib/prometheus/wal").status).toBe(0);
        await stack.remove();
        checks.push(["destroy", `${resources} resources deleted; services and units gone; TSDB kept`]);
    });
});

/** Every process under `pid`, deepest first: what a CI job's cancellation or a closed terminal takes down with the CLI. */
function processTree(pid: number): number[] {
    const children = spawnSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
        .stdout.split("\n")
        .filter((line) => line.trim() !== "")
        .map(Number);
    return [...children.flatMap(processTree), pid];
}

/** SIGKILL to the `pulumi up` and everything it started (language host, providers): no chance to save anything. */
async function killUp(up: { pid: number }): Promise<void> {
    for (const pid of processTree(up.pid)) {
        try {
            process.kill(pid, "SIGKILL");
        } catch {
            // Gone already.
        }
    }
}

/** How many resources the CLI has reported created or updated so far. */
const doneSteps = (output: string): number => (output.match(/ (created|updated) \(/g) ?? []).length;

/**
 * `pulumi up` cut in the middle, as users meet it on real networks: the CLI killed with SIGKILL (a
 * first up and an upgrade), SSH to one host cut for 60 s, the monitoring host rebooted. After each,
 * the recovery the README documents (Recovering an interrupted up) converges with no repair on the
 * hosts: every target up, every service active, no staged file half-written, no pending operation,
 * no duplicate resource, and a no-op after.
 */
describe("the lab: an interrupted pulumi up recovers", () => {
    let stack: LabStack;
    const faults: [string, string][] = [];

    beforeAll(async () => {
        stack = await LabStack.create("faults");
    });

    afterAll(() => {
        console.log(["| fault | what happened, and the recovery |", "| --- | --- |", ...faults.map(([f, r]) => `| ${f} | ${r} |`)].join("\n"));
    });

    /** The README's recovery: cancel a lock the dead run left, drop its pending creates, then up again. */
    async function recover(phase: string): Promise<EngineReport> {
        if (stack.isLocked()) {
            const cancel = stack.cli(["cancel", "--yes"]);
            expect({ cancel: cancel.status, output: cancel.output }).toEqual({ cancel: 0, output: expect.stringContaining("canceled") });
        }
        const refresh = stack.cli(["refresh", "--clear-pending-creates", "--yes"]);
        expect({ refresh: refresh.status, tail: refresh.status === 0 ? "" : refresh.output.slice(-2000) }).toEqual({ refresh: 0, tail: "" });
        expect(await stack.pendingOperations()).toEqual([]);
        return stack.up(`${phase}: up after the recovery`);
    }

    /** What must hold after a recovery: every service active, every target up, nothing half-written, nothing twice, a no-op after. */
    async function converged(phase: string): Promise<string> {
        await allTargetsUp(150);
        for (const [host, services] of [
            [lab.monitoring, ["prometheus", "alertmanager", "node_exporter"]],
            [lab.app, ["node_exporter", "flask-app"]],
        ] as const) {
            for (const service of services)
                expect({ host, service, state: ssh(lab, host, `systemctl is-active ${service}`).stdout.trim() }).toEqual({ host, service, state: "active" });
            // A staged file is written to <name>.new and renamed: a cut write leaves a .new, never a half file.
            expect({ host, leftovers: ssh(lab, host, "find /var/lib/monitoring-stack/stage -name '*.new'").stdout.trim() }).toEqual({ host, leftovers: "" });
        }
        expect(ssh(lab, lab.monitoring, "promtool check config /etc/prometheus/prometheus.yml >/dev/null && echo valid").stdout.trim()).toBe("valid");
        const state = await stack.exportState();
        const urns = (JSON.parse(state.stored) as { deployment: { resources: { urn: string }[] } }).deployment.resources.map((r) => r.urn);
        expect(urns.length - new Set(urns).size).toBe(0);
        expect(await stack.pendingOperations()).toEqual([]);
        const again = await stack.preview(`${phase}: preview after`, { expectNoChanges: true });
        expect(stepList(again)).toEqual([]);
        return `${urns.length} resources, none twice; services active, targets up, no half-written file; no-op after`;
    }

    it("should recover a first up killed with SIGKILL halfway", async () => {
        await stack.configure(labSettings(versionSettings(lab.older)), labSecrets);
        const cut = await stack.upWithFault("first up, killed", (output) => doneSteps(output) >= 30, killUp);
        expect(cut.signal ?? cut.status).toBe("SIGKILL");
        const pending = await stack.pendingOperations();
        const locked = stack.isLocked();
        const report = await recover("first up killed");
        await readAccess(stack);
        expect(report.resourceChanges.create ?? 0).toBeGreaterThan(0);
        faults.push([
            "SIGKILL halfway through a first up",
            `killed after ${cut.faultAfterSeconds.toFixed(0)} s and ${doneSteps(cut.output)} steps; ${pending.length} operations left pending, stack ${locked ? "locked" : "not locked"}; recovery created ${report.resourceChanges.create}; ${await converged("first up killed")}`,
        ]);
    });

    it("should recover an upgrade of the releases killed with SIGKILL halfway", async () => {
        await stack.configure(labSettings(), labSecrets);
        // Killed once an install step (stop, swap the binary, start) is under way.
        const cut = await stack.upWithFault(
            "upgrade, killed",
            (output) => /service-install updating/.test(output),
            async (up) => {
                await new Promise((r) => setTimeout(r, 1500));
                await killUp(up);
            },
        );
        expect(cut.signal ?? cut.status).toBe("SIGKILL");
        const report = await recover("upgrade killed");
        expect(report.resourceChanges.update ?? 0).toBeGreaterThan(0);
        expect(await buildVersions()).toEqual(expectedVersions(lab.pinned));
        faults.push([
            "SIGKILL halfway through an upgrade",
            `killed ${cut.faultAfterSeconds.toFixed(0)} s in, with an install step running; recovery updated ${report.resourceChanges.update}; every service at the pinned release; ${await converged("upgrade killed")}`,
        ]);
    });

    it("should recover an up during which SSH to the app host was cut for 60 s", async () => {
        webPassword = "lab-web-password-2-after-the-ssh-cut";
        await stack.configure(labSettings(), labSecrets);
        const drop = ["OUTPUT", "-d", lab.app, "-p", "tcp", "--dport", "22", "-j", "DROP"];
        let dropped = false;
        try {
            const cut = await stack.upWithFault(
                "up with SSH to the app host cut",
                (output) => / updating \(/.test(output),
                async () => {
                    expect(spawnSync("iptables", ["-I", ...drop]).status).toBe(0);
                    dropped = true;
                    await new Promise((r) => setTimeout(r, 60_000));
                    expect(spawnSync("iptables", ["-D", ...drop]).status).toBe(0);
                    dropped = false;
                },
            );
            const report = await recover("ssh cut");
            await readAccess(stack);
            faults.push([
                "SSH to the app host cut for 60 s",
                `the up ${cut.status === 0 ? "waited and finished" : `failed (exit ${cut.status})`}; recovery: ${JSON.stringify(report.resourceChanges)}; the new password in force; ${await converged("ssh cut")}`,
            ]);
        } finally {
            if (dropped) spawnSync("iptables", ["-D", ...drop]);
        }
    });

    it("should recover an up during which the monitoring host rebooted", async () => {
        await stack.configure(labSettings({ scrapeInterval: "6s" }), labSecrets);
        const cut = await stack.upWithFault(
            "up with the monitoring host rebooting",
            (output) => / updating \(/.test(output),
            async () => {
                const restart = await new Promise<number | null>((resolve) =>
                    spawn("bash", [path.join(projectDir, "lab", "lab.sh"), "restart", "mon"], { stdio: "ignore" }).on("close", resolve),
                );
                expect(restart).toBe(0);
            },
        );
        const report = await recover("monitoring rebooted");
        faults.push([
            "the monitoring host rebooted during an up",
            `the up ${cut.status === 0 ? "finished" : `failed (exit ${cut.status})`}; recovery: ${JSON.stringify(report.resourceChanges)}; ${await converged("monitoring rebooted")}`,
        ]);
    });

    it("should delete every resource on destroy", async () => {
        const destroyed = await stack.destroy("faults: destroy");
        expect(destroyed.resourceChanges.delete ?? 0).toBeGreaterThan(30);
        await stack.remove();
    });
});

/**
 * Deployed stacks must not notice a refactor (DESIGN's verification ladder, rung 7): a stack that
 * `pulumi up` deployed from the last commit before the services moved into their folders, with every
 * optional service on, previews with this tree's program with nothing to replace and nothing to delete.
 */
const beforeServiceFolders = "22982673732ff832ee8150df33195c8071686e70";

describe("the lab: a stack deployed from the commit before the service folders, previewed with this tree", () => {
    const baseline = path.join(projectDir, ".lab", "baseline");
    let deployed: LabStack;

    beforeAll(() => {
        spawnSync("git", ["-C", projectDir, "worktree", "remove", "--force", baseline], { encoding: "utf8" });
        const added = spawnSync("git", ["-C", projectDir, "worktree", "add", "--detach", baseline, beforeServiceFolders], { encoding: "utf8" });
        if (added.status !== 0) {
            throw new Error(`git worktree add ${beforeServiceFolders} failed (the test needs the project's git history, not an export): ${added.stderr}`);
        }
        fs.symlinkSync(path.join(projectDir, "node_modules"), path.join(baseline, "node_modules"));
    });

    afterAll(() => {
        spawnSync("git", ["-C", projectDir, "worktree", "remove", "--force", baseline], { encoding: "utf8" });
    });

    it("should show no replacement and no deletion in the preview of a stack with every optional service on", async () => {
        deployed = await LabStack.create("upgrade", baseline);
        expect(createBucket().status).toBe(0);
        const everything = withThanos(
            labSettings({
                hosts: [`monitoring=root@${lab.monitoring}`, `app=root@${lab.app}`, `node=root@${lab.node} instance=lab-node`],
                cloudwatchAlarmsFile: alarmsFile,
                cloudwatchBridge: true,
                cloudwatchBridgeEndpoint: lab.cloudwatch,
                cloudwatchBridgeAccessKeyId: "testing",
                cloudwatchBridgeSecretAccessKey: "testing",
                yaceDownloadBaseUrl: `${lab.mirror}/yace`,
                alertmanagerReplicas: 2,
                prometheusReplicas: 2,
                remoteWrite: [
                    { name: "lab-receiver", url: `http://${lab.node}:8428/api/v1/write`, username: "prometheus", password: "lab-receiver-password-long" },
                ],
            }),
        );
        await deployed.configure(everything, [
            ...labSecrets,
            "cloudwatchBridgeAccessKeyId",
            "cloudwatchBridgeSecretAccessKey",
            ...Object.keys(thanosKeys),
            "remoteWrite[0].password",
        ]);
        const up = await deployed.up(`up at ${beforeServiceFolders.slice(0, 7)}`);
        const created = up.resourceChanges.create ?? 0;
        expect(created).toBeGreaterThan(150);

        const now = await deployed.withProgramOf(projectDir);
        const preview = await now.preview("preview with this tree");
        const changes = preview.steps.map((step) => `${step.op} ${step.name}`);
        const removing = preview.steps.filter((step) => /replace|delete|discard/.test(step.op)).map((step) => `${step.op} ${step.name}`);
        console.log(
            `preview of ${created} resources deployed at ${beforeServiceFolders.slice(0, 7)} with this tree: ${JSON.stringify(preview.resourceChanges)}\n${changes.join("\n")}`,
        );
        expect(removing).toEqual([]);

        const destroyed = await now.destroy("upgrade: destroy");
        expect(destroyed.resourceChanges.delete).toBe(created);
        await now.remove();
    });
});

describe("the lab: the same hosts with the docker runtime (guide 003's containers on machines you already have)", () => {
    let stack: LabStack;
    let resources = 0;

    beforeAll(async () => {
        // What the systemd stack's destroy left on purpose goes, as the README says; then the
        // pinned images are loaded, as an air-gapped site does before `pulumi up`.
        expect(ssh(lab, lab.monitoring, "rm -rf /var/lib/prometheus /var/lib/alertmanager /etc/prometheus /etc/alertmanager").status).toBe(0);
        for (const host of ["mon", "app"]) {
            const loaded = spawnSync("bash", [path.join(projectDir, "lab", "lab.sh"), "images", host], { encoding: "utf8" });
            expect(loaded.stderr + loaded.status).toBe("0");
        }
        stack = await LabStack.create("lab");
    });

    afterAll(() => console.log(benchmarkTable("Deployment benchmark, docker runtime (printed, never asserted):", stack)));

    const containers = (host: string) =>
        ssh(lab, host, "docker ps --format '{{.Names}} {{.Image}}'")
            .stdout.trim()
            .split("\n")
            .filter((l) => l !== "")
            .sort();

    it("should run every service in a container of the pinned release, with every target up and Watchdog active", async () => {
        await stack.configure(labSettings({ hostsRuntime: "docker", ...generatedPassword }), labSecrets);
        const report = await stack.up("docker: first up");
        await readAccess(stack);
        // Generated by the program's own dynamic provider, kept in the state, shown as a secret output.
        expect(access.password).toMatch(/^[A-Za-z0-9]{32}$/);
        ({ program: resources } = await stack.resourceCount());
        expect(report.resourceChanges).toEqual({ create: resources });
        expect(containers(lab.monitoring)).toEqual([
            `alertmanager prom/alertmanager:v${lab.pinned.alertmanager}`,
            `node-exporter prom/node-exporter:v${lab.pinned.nodeExporter}`,
            `prometheus prom/prometheus:v${lab.pinned.prometheus}`,
        ]);
        expect(containers(lab.app)).toEqual([`node-exporter prom/node-exporter:v${lab.pinned.nodeExporter}`]);
        await allTargetsUp(120);
        expect(await buildVersions()).toEqual(expectedVersions(lab.pinned));
        await watchdogActive();
        checks.push(["docker: first up", `${resources} resources created; 4 containers; targets 5/5 up; Watchdog active`]);
    });

    it("should change nothing on a second up", async () => {
        const report = await stack.up("docker: no-op up", { expectNoChanges: true });
        expect(report.resourceChanges).toEqual({ same: resources });
    });

    it("should reload, not restart, the Prometheus container when a rule is added, and refuse a broken rule with the image's promtool", async () => {
        const startBefore = await prometheusStartTime();
        await stack.configure(labSettings({ hostsRuntime: "docker", ...generatedPassword, cloudwatchAlarmsFile: alarmsFile }), labSecrets);
        const report = await stack.up("docker: change up");
        expect(stepList(report)).toEqual([
            "create monitoring-services-prometheus-service-stage-prometheus.rules.cloudwatch.yml",
            "update monitoring-services-prometheus-service-configure",
            "update monitoring-services-prometheus-service-stage-prometheus.prometheus.yml",
        ]);
        resources += 1;
        expect((await rulesServed())["cloudwatch-alarms"]).toContain("FlaskRootLatencyHigh");
        expect(await prometheusStartTime()).toBe(startBefore);

        const mapping = brokenMappingFile();
        await stack.configure(
            labSettings({ hostsRuntime: "docker", ...generatedPassword, cloudwatchAlarmsFile: alarmsFile, cloudwatchMappingFile: mapping }),
            labSecrets,
        );
        const failure = await stack.up("docker: refused up").then(
            () => undefined,
            (error: Error) => error.message,
        );
        expect(failure).toMatch(/FAILED|parse error|unclosed/i);
        expect(failure).toContain("the running service keeps its old configuration");
        expect((await rulesServed())["cloudwatch-alarms"]).toContain("FlaskRootLatencyHigh");
        expect(await prometheusStartTime()).toBe(startBefore);
        checks.push(["docker: change and refusal", "reloaded (same start time); broken rule refused by the image's promtool, old rules served"]);
    });

    it("should run the log store and vmalert in containers of their releases, every container logging to the journal the collectors ship; off again, only deletes", async () => {
        const base = { hostsRuntime: "docker", ...generatedPassword, cloudwatchAlarmsFile: alarmsFile };
        await stack.configure(
            labSettings({
                ...base,
                logs: true,
                otelCollectorDownloadBaseUrl: `${lab.mirror}/otelcol-contrib`,
                // The store's and vmalert's images are loaded (lab.sh images); only the collector comes from the mirror.
            }),
            labSecrets,
        );
        const on = await stack.up("docker: logs on");
        expect(on.steps.filter((step) => /replace|delete/.test(step.op))).toEqual([]);
        const created = on.steps.filter((step) => step.op === "create").map((step) => step.name);
        expect(created.filter((name) => !/victoria-logs|otel-collector|vmalert|rules\.logs/.test(name))).toEqual([]);
        // Each container is started again once, now with the journald log driver.
        const monitoringContainers = containers(lab.monitoring);
        expect(monitoringContainers).toEqual(
            expect.arrayContaining([`victoria-logs victoriametrics/victoria-logs:v1.52.2`, `vmalert victoriametrics/vmalert:v1.151.0`]),
        );
        for (const name of monitoringContainers.map((c) => c.split(" ")[0])) {
            expect({ name, driver: ssh(lab, lab.monitoring, `docker inspect --format '{{.HostConfig.LogConfig.Type}}' ${name}`).stdout.trim() }).toEqual({
                name,
                driver: "journald",
            });
        }
        await readAccess(stack);
        await allTargetsUp(120, [...expectedTargets, "victoria_logs localhost:9428", "vmalert localhost:8880"]);
        expect((await webGet(`https://${lab.monitoring}:8880/api/v1/rules`, access)).status).toBe(200);
        // Prometheus's container logs a reload; its lines reach the store as the container's, from the host's journal.
        const reloaded = Date.now();
        expect(ssh(lab, lab.monitoring, "docker kill --signal HUP prometheus").status).toBe(0);
        const curl = "curl -fsS -K /etc/victoria-logs/probe.curlrc";
        const rows = await waitFor("the Prometheus container's lines in the store", 60, async () => {
            const answer = ssh(
                lab,
                lab.monitoring,
                `${curl} 'https://localhost:9428/select/logsql/query' --data-urlencode 'query=_time:5m host.name:="monitoring" service.name:="prometheus" "Loading configuration file"'`,
            );
            const found = answer.stdout
                .split("\n")
                .filter((l) => l.trim() !== "")
                .map((l) => JSON.parse(l) as Record<string, string>)
                .filter((row) => Date.parse(row._time) >= reloaded - 1_000);
            return found.length > 0 ? found : undefined;
        });
        expect(rows[0]).toMatchObject({ "service.name": "prometheus", "host.name": "monitoring" });

        await stack.configure(labSettings(base), labSecrets);
        const off = await stack.up("docker: logs off");
        expect(off.steps.filter((step) => step.op === "create" || /replace/.test(step.op))).toEqual([]);
        expect(off.steps.filter((step) => step.op === "delete").length).toBe(created.length);
        expect(containers(lab.monitoring).filter((c) => /victoria-logs|vmalert/.test(c))).toEqual([]);
        await allTargetsUp(120);
        checks.push([
            "docker: logs",
            `on: ${created.length} resources created, the store and vmalert in their images' containers, every container logging to the journal; the Prometheus container's reload lines in the store; off: ${created.length} deleted`,
        ]);
    });

    it("should remove every container on destroy", async () => {
        const report = await stack.destroy("docker: destroy");
        expect(report.resourceChanges).toEqual({ delete: resources });
        expect(containers(lab.monitoring)).toEqual([]);
        expect(containers(lab.app)).toEqual([]);
        await stack.remove();
        checks.push(["docker: destroy", "every container removed"]);
    });
});
