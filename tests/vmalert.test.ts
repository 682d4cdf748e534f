import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { logRuleFiles, userLogRuleProblems } from "../components/vmalert/vmalertRules";
import { awsInvokes, evaluateStack, EvaluatedStack, pinnedPromtoolCheck, resolveOutput, stagedText } from "./support/stackUnderMocks";
import { awsUser, twoMachineHostsUser } from "./support/stackUsers";
import { LocalLogStore, sendRecords, startLogStore } from "./support/logStore";
import { freePort, pinnedBinary, run, tempTree, waitFor } from "./support/tools";

/*
 * Alerts on log lines (setting logs): vmalert on the monitoring host, from the upstream vmutils
 * release or its image, evaluating the stack's and the user's LogsQL rules against the store and
 * sending to the stack's Alertmanagers. Its rule files are checked with the pinned vmalert's own
 * -dryRun, and the stack's rules are run for real against a real VictoriaLogs.
 */
const stagingOf = (stack: EvaluatedStack, name: string) => stack.stagings().find((r) => r.name === name)!;
const staged = (file: string) => `monitoring-vmalert-service-stage-vmalert.${file}`;

/** The pinned releases' binaries, as lab/build-releases.sh packs them in upstream's layouts. */
const vmalertBinary = () => pinnedBinary("vmutils/v1.151.0/vmutils-linux-amd64-v1.151.0.tar.gz", "vmalert-prod");

/** The flags of a rendered unit's ExecStart, one per line. */
const unitFlags = (unit: string): string[] =>
    unit
        .split("\n")
        .map((line) => line.trim().replace(/ \\$/, ""))
        .filter((line) => line.startsWith("-"));

/** vmalert -dryRun on a directory of rule files, as the host's check runs it. */
const dryRun = (dir: string) => run(vmalertBinary(), ["-dryRun", "-rule.defaultRuleType=vlogs", "-rule", path.join(dir, "*.yml")]);

describe("alerts on log lines (logs) on hosts under systemd", () => {
    let stack: EvaluatedStack;
    let userRules: string;
    beforeAll(async () => {
        userRules = tempTree({
            "payments-logs.yml":
                "groups:\n  - name: payments\n    rules:\n      - alert: PaymentDeclined\n        expr: '\"payment declined\" | stats count() as lines | filter lines:>5'\n",
        });
        stack = await evaluateStack(
            "dev",
            twoMachineHostsUser(
                { logs: true, alertmanagerReplicas: 2, logRuleFiles: [path.join(userRules, "payments-logs.yml")] },
                { webPassword: "a-long-enough-web-password" },
            ),
        );
    });

    it("should install vmalert from the upstream vmutils release layout, checked by sha256, as its own user", () => {
        const create = String(stack.resources.find((r) => r.name === "monitoring-vmalert-service-install")!.inputs.create);
        for (const env of [
            "NAME=vmutils",
            "VERSION=1.151.0",
            "BASE_URL=https://github.com/VictoriaMetrics/VictoriaMetrics/releases/download",
            "TARBALL='vmutils-linux-{arch}-v{version}.tar.gz'",
            "CHECKSUMS='vmutils-linux-{arch}-v{version}_checksums.txt'",
            "BINARIES=vmalert-prod:vmalert",
            "SERVICE_USER=vmalert",
        ]) {
            expect(create).toContain(env);
        }
    });

    it("should read the store and notify every Alertmanager with the stack's CA and credentials, and serve its page over HTTPS with basic auth", () => {
        const unit = stack.staged(staged("service"));
        expect(unitFlags(unit)).toEqual([
            "-httpListenAddr=:8880",
            "-rule=/etc/vmalert/rules/*.yml",
            "-rule.defaultRuleType=vlogs",
            "-evaluationInterval=1m",
            "-datasource.url=https://localhost:9428",
            "-notifier.url=https://localhost:9093",
            "-notifier.url=https://10.77.0.12:9093",
            "-external.url=https://10.77.0.11:8880",
            "-tls",
            "-tlsCertFile=/etc/vmalert/tls/server.crt",
            "-tlsKeyFile=/etc/vmalert/tls/server.key",
            "-tlsMinVersion=TLS12",
            "-datasource.tlsCAFile=/etc/vmalert/tls/ca.crt",
            "-notifier.tlsCAFile=/etc/vmalert/tls/ca.crt",
            "-httpAuth.username=monitoring",
            "-httpAuth.password=file:///etc/vmalert/http-auth.password",
            "-datasource.basicAuth.username=monitoring",
            "-datasource.basicAuth.passwordFile=/etc/vmalert/http-auth.password",
            "-notifier.basicAuth.username=monitoring",
            "-notifier.basicAuth.passwordFile=/etc/vmalert/http-auth.password",
        ]);
        expect(unit).not.toContain("a-long-enough-web-password");
        const password = stagingOf(stack, staged("http-auth.password"));
        expect(password.secretInputs).toContain("stdin");
        expect(stagedText(password)).toBe("a-long-enough-web-password");
    });

    it("should deploy the stack's rules and the user's files as plain files a preview shows, and remove a file dropped from the list", () => {
        for (const file of ["flask-app", "services", "user-payments-logs"]) {
            const staging = stagingOf(stack, staged(`rules.${file}.yml`));
            expect({ file, secretContent: staging.secretInputs.includes("stdin") }).toEqual({ file, secretContent: false });
        }
        expect(stack.staged(staged("rules.user-payments-logs.yml"))).toContain("PaymentDeclined");
        const configure = String(stack.resources.find((r) => r.name === "monitoring-vmalert-service-configure")!.inputs.create);
        expect(configure).toContain("CHECK='/usr/local/bin/vmalert -dryRun -rule.defaultRuleType=vlogs -rule'");
        expect(configure).toContain("MAIN='rules/*.yml'");
        expect(configure).toContain("MANAGED_DIRS=rules");
        expect(configure).toContain("RELOAD_METRIC=vmalert_config_last_reload");
    });

    it("should pass the pinned vmalert's -dryRun with every rule file it deploys, the user's included", () => {
        const dir = tempTree(
            Object.fromEntries(["flask-app", "services", "user-payments-logs"].map((name) => [`${name}.yml`, stack.staged(staged(`rules.${name}.yml`))])),
        );
        const result = dryRun(dir);
        expect({ status: result.status, errors: result.stderr.split("\n").filter((l) => /\t(error|fatal)\t/.test(l)) }).toEqual({ status: 0, errors: [] });
    });

    it("should give its URL and the store's as stack outputs", async () => {
        expect(await resolveOutput(stack.outputs.logAlertsUrl as never)).toEqual({ value: "https://10.77.0.11:8880", secret: false });
        expect(await resolveOutput(stack.outputs.logStoreUrl as never)).toEqual({ value: "https://10.77.0.11:9428", secret: false });
    });

    it("should have each Prometheus scrape vmalert and alert when its rules fail or its alerts are not sent", () => {
        const config = yaml.load(stack.staged("monitoring-services-prometheus-service-stage-prometheus.prometheus.yml")) as {
            scrape_configs: { job_name: string; scheme?: string; static_configs: { targets: string[] }[] }[];
        };
        const job = config.scrape_configs.find((j) => j.job_name === "vmalert")!;
        expect(job.static_configs).toEqual([{ targets: ["localhost:8880"] }]);
        expect(job.scheme).toBe("https");
        expect(stack.staged("monitoring-services-prometheus-service-stage-prometheus.rules.logs.yml")).toContain("alert: LogRulesFailing");
        expect(pinnedPromtoolCheck(stack).status).toBe(0);
    });
});

describe("the log rules a user adds (logRuleFiles)", () => {
    const settingsWith = (files: string[]) => ({ logs: true, logRulesInterval: "1m", runbookBaseUrl: "docs/runbooks.md", logRuleFiles: files });

    it("should refuse, before anything is created, a file that is not a vmalert rule file, naming the file and the fix", () => {
        const dir = tempTree({
            "not-yaml.yml": "groups: [\n",
            "no-groups.yml": "rules: []\n",
            "metrics.yml": "groups:\n  - name: cpu\n    type: prometheus\n    rules:\n      - alert: Busy\n        expr: up == 0\n",
            "no-expr.yml": "groups:\n  - name: empty\n    rules:\n      - alert: Nothing\n",
        });
        const files = ["not-yaml.yml", "no-groups.yml", "metrics.yml", "no-expr.yml", "missing.yml"].map((f) => path.join(dir, f));
        let message = "";
        try {
            logRuleFiles(settingsWith(files));
        } catch (error) {
            message = (error as Error).message;
        }
        for (const part of [
            `logRuleFiles = "${files[0]}": is not YAML`,
            `logRuleFiles = "${files[1]}": has no groups`,
            `group "cpu" has type "prometheus": the stack's vmalert reads the log store only`,
            `group "empty", rule Nothing, has no expr`,
            `logRuleFiles = "${files[4]}": cannot be read`,
        ]) {
            expect(message).toContain(part);
        }
    });

    it("should refuse two files deployed under one name", () => {
        const a = tempTree({ "errors.yml": "groups:\n  - name: a\n    rules:\n      - alert: A\n        expr: 'error | stats count() as n | filter n:>0'\n" });
        const b = tempTree({ "errors.yaml": "groups:\n  - name: b\n    rules:\n      - alert: B\n        expr: 'error | stats count() as n | filter n:>0'\n" });
        expect(() => logRuleFiles(settingsWith([path.join(a, "errors.yml"), path.join(b, "errors.yaml")]))).toThrow(
            "is deployed as rules/user-errors.yml, as is another file of logRuleFiles",
        );
    });

    it("should leave LogsQL to vmalert on the host, whose -dryRun refuses a broken query with its parser's message", () => {
        const text = "groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: 'error | stats count( as n'\n";
        expect(userLogRuleProblems(text)).toEqual([]);
        const result = dryRun(tempTree({ "user-broken.yml": text }));
        expect(result.status).not.toBe(0);
        expect(result.stderr).toContain('invalid expression for rule "Broken"');
        expect(result.stderr).toContain('cannot parse "stats" pipe');
    });
});

describe("alerts on log lines with Prometheus replicas", () => {
    it("should have every replica scrape the store and vmalert at the monitoring host's address, not at its own loopback", async () => {
        const stack = await evaluateStack("dev", twoMachineHostsUser({ logs: true, prometheusReplicas: 2 }));
        const jobsOf = (resource: string) => {
            const config = yaml.load(stack.staged(resource)) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
            return Object.fromEntries(
                config.scrape_configs.filter((j) => ["victoria_logs", "vmalert"].includes(j.job_name)).map((j) => [j.job_name, j.static_configs[0].targets]),
            );
        };
        const expected = { victoria_logs: ["10.77.0.11:9428"], vmalert: ["10.77.0.11:8880"] };
        expect(jobsOf("monitoring-services-prometheus-service-stage-prometheus.prometheus.yml")).toEqual(expected);
        expect(jobsOf("app-prometheus-service-stage-prometheus.prometheus.yml")).toEqual(expected);
    });
});

describe("alerts on log lines in the docker runtime and on the clouds", () => {
    it("should run the image of the same release, and check rules with the image's own vmalert", async () => {
        const stack = await evaluateStack("dev", twoMachineHostsUser({ logs: true, hostsRuntime: "docker" }));
        const script = stack.staged(staged("run.sh"));
        expect(script).toContain("victoriametrics/vmalert:v1.151.0");
        expect(script).toContain("--volume /etc/vmalert:/etc/vmalert:ro");
        expect(script).toContain("-rule.defaultRuleType=vlogs");
        const configure = String(stack.resources.find((r) => r.name === "monitoring-vmalert-service-configure")!.inputs.create);
        expect(configure).toContain("--entrypoint /vmalert-prod victoriametrics/vmalert:v1.151.0 -dryRun -rule.defaultRuleType=vlogs -rule");
    });

    it("should open its port on aws to the admins only, and create nothing of it when logs is off", async () => {
        const stack = await evaluateStack("aws-dev", awsUser({ logs: true }), awsInvokes);
        const rules = stack.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.fromPort === 8880);
        expect(rules.map((r) => String(r.inputs.cidrIpv4 ?? r.inputs.referencedSecurityGroupId)).sort()).toEqual(["203.0.113.7/32"]);
        const off = await evaluateStack("aws-dev", awsUser(), awsInvokes);
        expect(off.resources.filter((r) => /vmalert/.test(r.name) || r.inputs.fromPort === 8880)).toEqual([]);
    });
});

describe("the stack's log rules, run for real by the pinned vmalert against the pinned VictoriaLogs", () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "vmalert-run-"));
    const processes: ChildProcess[] = [];
    const auth = { username: "monitoring", password: "a-long-enough-web-password" };
    /** What vmalert posted to the Alertmanager API, alert by alert, in order. */
    const received: { alertname: string; labels: Record<string, string>; annotations: Record<string, string>; resolved: boolean }[] = [];
    let store: LocalLogStore;
    let vmalertPort = 0;
    let hook: http.Server;

    beforeAll(async () => {
        const stack = await evaluateStack("dev", twoMachineHostsUser({ logs: true, webTls: false, logRulesInterval: "10s" }, { webPassword: auth.password }));
        vmalertPort = await freePort();
        fs.writeFileSync(path.join(work, "password"), auth.password);
        for (const name of ["flask-app", "services"]) fs.writeFileSync(path.join(work, `${name}.yml`), stack.staged(staged(`rules.${name}.yml`)));
        // An Alertmanager's API as vmalert posts to it: the alerts, each with endsAt in the past once resolved.
        hook = http.createServer((request, response) => {
            let body = "";
            request.on("data", (chunk: Buffer) => (body += chunk.toString()));
            request.on("end", () => {
                for (const alert of JSON.parse(body) as { labels: Record<string, string>; annotations: Record<string, string>; endsAt: string }[]) {
                    received.push({
                        alertname: alert.labels.alertname,
                        labels: alert.labels,
                        annotations: alert.annotations,
                        resolved: Date.parse(alert.endsAt) <= Date.now(),
                    });
                }
                response.writeHead(200).end();
            });
        });
        const hookPort = await freePort();
        await new Promise<void>((resolve) => hook.listen(hookPort, "127.0.0.1", resolve));
        store = await startLogStore(work, auth);
        processes.push(store.process);
        // The rendered flags, moved to this machine: its ports, its files; the interval, the rule type and the credentials as rendered.
        const moved = unitFlags(stack.staged(staged("service"))).map((flag) =>
            flag
                .replace(/^-httpListenAddr=.*/, `-httpListenAddr=127.0.0.1:${vmalertPort}`)
                .replace(/^-rule=.*/, `-rule=${path.join(work, "*.yml")}`)
                .replace(/^-datasource\.url=http:\/\/localhost:9428$/, `-datasource.url=http://127.0.0.1:${store.port}`)
                .replace(/^-notifier\.url=http:\/\/localhost:9093$/, `-notifier.url=http://127.0.0.1:${hookPort}`)
                .replace(/\/etc\/vmalert\/http-auth\.password$/, path.join(work, "password")),
        );
        expect(moved.filter((f) => /localhost|\/etc\//.test(f))).toEqual([]);
        processes.push(spawn(vmalertBinary(), moved, { stdio: "ignore" }));
        await waitFor("vmalert", 30, async () => ((await fetch(`http://127.0.0.1:${vmalertPort}/health`)).ok ? true : undefined));
    });

    afterAll(() => {
        for (const p of processes) p.kill("SIGKILL");
        hook?.close();
        fs.rmSync(work, { recursive: true, force: true });
    });

    /** Lines as the collectors store them: the host and the service as stream fields. */
    const send = (lines: Record<string, string>[]) => sendRecords(store, lines, ["host.name", "service.name"]);
    /** vmalert's rules as its API reports them: each rule's last evaluation and error. */
    const evaluations = async (): Promise<Record<string, { lastEvaluation: string; lastError: string }>> => {
        const response = await fetch(`http://127.0.0.1:${vmalertPort}/api/v1/rules`, {
            headers: { Authorization: store.authorization },
        });
        const body = (await response.json()) as { data: { groups: { rules: { name: string; lastEvaluation: string; lastError: string }[] }[] } };
        return Object.fromEntries(body.data.groups.flatMap((g) => g.rules.map((r) => [r.name, { lastEvaluation: r.lastEvaluation, lastError: r.lastError }])));
    };
    /**
     * A line's time so that the window counting it is still to be evaluated: vmalert counts the
     * window of one interval (10 s here) that ended 30 s ago (its evalDelay), so a line 25 s old is
     * counted within the next 15 s, whatever the phase of the evaluations.
     */
    const countable = () => new Date(Date.now() - 25_000).toISOString();

    it("should not alert on a quiet log, though a count of nothing is a row with 0", async () => {
        await send([
            { _time: countable(), _msg: "A request was received at the root URL", "host.name": "app", "service.name": "flask-app", severity_text: "INFO" },
        ]);
        const started = Date.now();
        // Three evaluations of each rule, without an error.
        await waitFor("three evaluations of the log rules", 60, async () => {
            const rules = await evaluations();
            const done = ["FlaskAppLoggedErrors", "StackServiceLoggedErrors"].every((name) => Date.parse(rules[name]?.lastEvaluation) > started + 20_000);
            return done ? rules : undefined;
        }).then((rules) => expect(Object.values(rules).map((r) => r.lastError)).toEqual(["", ""]));
        expect(received).toEqual([]);
    });

    it("should alert once on the app's error line and on a stack service's error, each with its host, and resolve after a window without", async () => {
        await send([
            {
                _time: countable(),
                _msg: "put_metric_data failed\nTraceback (most recent call last):",
                "host.name": "app",
                "service.name": "flask-app",
                severity_text: "ERROR",
            },
            {
                _time: countable(),
                _msg: 'ts=2026-12-03T18:00:00.000Z caller=notifier.go:530 level=error component=notifier alertmanager=https://localhost:9093 msg="Error sending alert" err="context deadline exceeded"',
                "host.name": "monitoring",
                "service.name": "prometheus",
                severity_text: "INFO",
            },
        ]);
        await waitFor("both alerts resolved", 60, async () => (received.filter((a) => a.resolved).length >= 2 ? true : undefined));
        const flask = received.filter((a) => a.alertname === "FlaskAppLoggedErrors");
        const service = received.filter((a) => a.alertname === "StackServiceLoggedErrors");
        expect(flask[0]).toMatchObject({ labels: { host: "app", severity: "warning" }, resolved: false });
        expect(flask[0].annotations.summary).toBe("The Flask app on app logged 1 error line(s)");
        expect(service[0]).toMatchObject({ labels: { host: "monitoring", service: "prometheus", severity: "warning" }, resolved: false });
        // Fired, then resolved: one of each, as Alertmanager then mails them (vmalert re-sends a firing alert while it lasts, which Alertmanager deduplicates).
        for (const sent of [flask, service]) {
            expect(sent.filter((a) => a.resolved)).toHaveLength(1);
            expect(sent[sent.length - 1].resolved).toBe(true);
        }
    });
});
