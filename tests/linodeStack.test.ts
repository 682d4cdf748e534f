import { evaluateStack, EvaluatedStack, isStaging, RecordedResource, resolveOutput, sharedFixture, stagedText, UserSettings } from "./support/stackUnderMocks";
import { run, tempTree, pinnedAmtool } from "./support/tools";

/** What a user sets before `pulumi up -s dev`, as Pulumi.dev.yaml's comments ask. */
const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key\n-----END OPENSSH PRIVATE KEY-----\n";
const devUser: UserSettings = {
    values: {
        sshPublicKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop"],
        adminCidrs: ["203.0.113.7/32", "2001:db8:1::/48"],
        viewerCidrs: ["198.51.100.0/24"],
        // Tests never reach grafana.com: the published dashboard comes from the shared fixtures.
        dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json"),
    },
    secrets: { sshPrivateKey: privateKey },
};

const types = {
    instance: "linode:index/instance:Instance",
    volume: "linode:index/volume:Volume",
    firewall: "linode:index/firewall:Firewall",
    command: "command:remote:Command",
    copy: "command:remote:CopyToRemote",
    remoteService: "monitoring:remote:RemoteService",
    randomPassword: "random:index/randomPassword:RandomPassword",
};

const nameOf = (urn: string): string => urn.split("::").pop() ?? "";

function dependencyNames(resource: RecordedResource): string[] {
    return resource.dependencies.map(nameOf).sort();
}

describe("dev stack (Pulumi.dev.yaml) under mocks", () => {
    let stack: EvaluatedStack;
    beforeAll(async () => {
        stack = await evaluateStack("dev", devUser);
    });

    it("should stage every rendered file of a service under that service, one copy each", () => {
        // What each secured service stages besides its own files: web.yml, the host's certificate and key, the CA, the checks' curl configuration.
        const webFiles = (service: string) => ["probe.curlrc", "tls.ca.crt", "tls.server.crt", "tls.server.key", "web.yml"].map((f) => `${service}.${f}`);
        const nodeExporterFiles = [
            "node_exporter.activate-config.sh",
            "node_exporter.install-release.sh",
            "node_exporter.service",
            ...webFiles("node_exporter"),
        ]
            .sort()
            .map((f) => `/var/lib/monitoring-stack/stage/${f}`);
        const byService = new Map<string, string[]>();
        for (const copy of stack.stagings()) {
            const service = nameOf(copy.parent);
            expect(copy.name.startsWith(`${service}-stage-`)).toBe(true);
            const file = `/var/lib/monitoring-stack/stage/${copy.name.slice(`${service}-stage-`.length)}`;
            byService.set(service, [...(byService.get(service) ?? []), file]);
            // A copy names its file; a staging command writes it from standard input, whole, then moves it in place.
            expect(copy.type === types.copy ? String(copy.inputs.remotePath) : String(copy.inputs.create)).toContain(file);
        }
        expect(Object.fromEntries([...byService].map(([k, v]) => [k, v.sort()]))).toEqual({
            "app-flask-app-service": ["flask-app.app.py", "flask-app.install-flask-app.sh", "flask-app.requirements.txt", "flask-app.service"].map(
                (f) => `/var/lib/monitoring-stack/stage/${f}`,
            ),
            "app-node-exporter-service": nodeExporterFiles,
            "monitoring-services-alertmanager-service": [
                "alertmanager.activate-config.sh",
                "alertmanager.alertmanager.yml",
                "alertmanager.install-release.sh",
                "alertmanager.service",
                ...webFiles("alertmanager"),
            ]
                .sort()
                .map((f) => `/var/lib/monitoring-stack/stage/${f}`),
            "monitoring-services-grafana-service": [
                "grafana.ca.crt",
                "grafana.hardening.conf",
                "grafana.install-grafana.sh",
                "grafana.server.crt",
                "grafana.server.key",
            ].map((f) => `/var/lib/monitoring-stack/stage/${f}`),
            "monitoring-services-node-exporter-service": nodeExporterFiles,
            "monitoring-services-prometheus-service": [
                "prometheus.activate-config.sh",
                // The password prometheus.yml's password_file names (it scrapes and alerts the stack's secured endpoints).
                "prometheus.client.password",
                "prometheus.install-release.sh",
                "prometheus.prometheus.yml",
                "prometheus.rules.availability.yml",
                "prometheus.rules.flask-app.yml",
                "prometheus.rules.hosts.yml",
                "prometheus.rules.meta.yml",
                "prometheus.rules.targets.yml",
                "prometheus.service",
                ...webFiles("prometheus"),
            ]
                .sort()
                .map((f) => `/var/lib/monitoring-stack/stage/${f}`),
        });
    });

    it("should order every service as host ready, then copy, then install, then validate and activate", () => {
        const services = stack.resources.filter((r) => r.type === types.remoteService);
        expect(services.length).toBe(6);
        for (const service of services) {
            const children = stack.resources.filter((r) => r.parent === service.urn);
            const copies = children.filter(isStaging);
            const install = children.find((r) => r.name === `${service.name}-install`)!;
            const configure = children.find((r) => r.name === `${service.name}-configure`);
            const hostReady = service.name.startsWith("app-") ? "app-ready" : "monitoring-ready";
            for (const copy of copies) expect(dependencyNames(copy)).toContain(hostReady);
            const installCopies = dependencyNames(install).filter((n) => n.includes("-stage-"));
            expect(installCopies.length).toBeGreaterThan(0);
            expect(installCopies.every((n) => n.startsWith(`${service.name}-stage-`))).toBe(true);
            if (configure) {
                expect(dependencyNames(configure)).toContain(install.name);
                expect(dependencyNames(configure).some((n) => /\.yml$/.test(n))).toBe(true);
            }
        }
        // Each instance is created with its firewall attached (its own firewallId input), so it never
        // boots unguarded; the firewall is up before anything reaches a host; Prometheus waits for its data volume.
        for (const role of ["monitoring", "app"]) {
            const firewall = stack.get(types.firewall, `${role}-firewall`);
            const instance = stack.get(types.instance, `${role}-instance`);
            expect({ role, firewallId: instance.inputs.firewallId }).toEqual({ role, firewallId: Number(firewall.id) });
            expect(dependencyNames(instance)).toContain(`${role}-firewall`);
            expect(firewall.inputs).not.toHaveProperty("linodes");
        }
        expect(dependencyNames(stack.get(types.command, "monitoring-ready"))).toContain("monitoring-firewall");
        expect(dependencyNames(stack.get(types.command, "app-ready"))).toContain("app-firewall");
        expect(dependencyNames(stack.get(types.command, "monitoring-mount-data"))).toEqual(expect.arrayContaining(["monitoring-data", "monitoring-ready"]));
        expect(dependencyNames(stack.get(types.copy, "monitoring-services-prometheus-service-stage-prometheus.service"))).toContain("monitoring-mount-data");
    });

    it("should check configuration with promtool and amtool before it goes live", () => {
        const prometheus = String(stack.get(types.command, "monitoring-services-prometheus-service-configure").inputs.create);
        expect(prometheus).toContain("CHECK='/usr/local/bin/promtool check config'");
        expect(prometheus).toContain(
            "FILES='prometheus.client.password:client.password prometheus.probe.curlrc:probe.curlrc prometheus.prometheus.yml:prometheus.yml prometheus.rules.availability.yml:rules/availability.yml prometheus.rules.flask-app.yml:rules/flask-app.yml " +
                "prometheus.rules.hosts.yml:rules/hosts.yml prometheus.rules.meta.yml:rules/meta.yml prometheus.rules.targets.yml:rules/targets.yml " +
                "prometheus.tls.ca.crt:tls/ca.crt prometheus.tls.server.crt:tls/server.crt prometheus.tls.server.key:tls/server.key prometheus.web.yml:web.yml'",
        );
        expect(prometheus).toMatch(/bash \/var\/lib\/monitoring-stack\/stage\/prometheus\.activate-config\.sh # inputs sha256:[0-9a-f]{64}$/);
        const alertmanager = String(stack.get(types.command, "monitoring-services-alertmanager-service-configure").inputs.create);
        expect(alertmanager).toContain("CHECK='/usr/local/bin/amtool check-config'");
    });

    it("should stage a prometheus.yml, rules and alertmanager.yml that promtool and amtool accept", () => {
        const staged = (file: string): string => stack.staged(`monitoring-services-${file.split(".")[0]}-service-stage-${file}`);
        const ruleNames = ["availability", "flask-app", "hosts", "meta", "targets"];
        const dir = tempTree({
            "prometheus.yml": staged("prometheus.prometheus.yml"),
            ...Object.fromEntries(ruleNames.map((name) => [`rules/${name}.yml`, staged(`prometheus.rules.${name}.yml`)])),
            "alertmanager.yml": staged("alertmanager.alertmanager.yml"),
        });
        const prometheus = run("promtool", ["check", "config", "prometheus.yml"], { cwd: dir });
        expect(prometheus.stdout).toContain("SUCCESS: 5 rule files found");
        expect(prometheus.status).toBe(0);
        const alertmanager = run(pinnedAmtool(), ["check-config", "alertmanager.yml"], { cwd: dir });
        expect(alertmanager.status).toBe(0);
        // The app host's node_exporter and the app are expected as one target each.
        expect(staged("prometheus.rules.targets.yml")).toContain('count(up{job="node"}) < 2 or absent(up{job="node"})');
        expect(staged("prometheus.rules.targets.yml")).toContain('count(up{job="flask_app"}) < 1 or absent(up{job="flask_app"})');
    });

    it("should use the dev stack's settings and the pinned releases", () => {
        const install = String(stack.get(types.command, "monitoring-services-prometheus-service-install").inputs.create);
        expect(install).toContain("VERSION=2.55.1");
        expect(install).toContain("BASE_URL=https://github.com/prometheus/prometheus/releases/download");
        const unit = { text: stack.staged("monitoring-services-prometheus-service-stage-prometheus.service") };
        expect(unit.text).toContain("--storage.tsdb.retention.time=7d");
        expect(unit.text).toContain("--storage.tsdb.retention.size=15GB");
        const monitoring = stack.get(types.instance, "monitoring-instance").inputs;
        expect(monitoring).toMatchObject({ type: "g6-standard-2", region: "us-mia", image: "linode/ubuntu24.04", label: "mon-dev-mon", privateIp: true });
        expect(monitoring.tags).toEqual(["env-dev", "stack-dev"]);
        expect(stack.get(types.instance, "app-instance").inputs).toMatchObject({ type: "g6-nanode-1", label: "mon-dev-app" });
        expect(stack.get(types.volume, "monitoring-data").inputs).toMatchObject({ size: 20, region: "us-mia", label: "mon-dev-mon-data" });
    });

    it("should render prometheus.yml with the app host's private address for node and flask_app", () => {
        const config = stack.staged("monitoring-services-prometheus-service-stage-prometheus.prometheus.yml");
        const appIp = stack.get(types.instance, "app-instance").inputs;
        expect(appIp).toBeDefined();
        expect(config).toMatch(/job_name: node[\s\S]*localhost:9100[\s\S]*192\.168\.130\.\d+:9100/);
        expect(config).toMatch(/job_name: flask_app\n {4}static_configs:\n {6}- targets:\n {10}- 192\.168\.130\.\d+:8080/);
        expect(config).toContain("scrape_interval: 15s");
    });

    it("should expose each port only to its intended sources (firewall exposure table)", async () => {
        const table = (firewallName: string): Record<string, string[]> => {
            const inputs = stack.get(types.firewall, firewallName).inputs as {
                inboundPolicy: string;
                inbounds: { ports: string; protocol: string; action: string; ipv4s?: string[]; ipv6s?: string[] }[];
            };
            expect(inputs.inboundPolicy).toBe("DROP");
            return Object.fromEntries(
                inputs.inbounds.map((rule) => {
                    expect(rule).toMatchObject({ protocol: "TCP", action: "ACCEPT" });
                    return [rule.ports, [...(rule.ipv4s ?? []), ...(rule.ipv6s ?? [])].sort()];
                }),
            );
        };
        const admin = ["2001:db8:1::/48", "203.0.113.7/32"];
        const monitoringHost = [
            `${(await resolveOutput(stack.outputs.monitoringPrivateIp as never)).value}/32`,
            `${(await resolveOutput(stack.outputs.monitoringPublicIp as never)).value}/32`,
        ].sort();
        expect(table("monitoring-firewall")).toEqual({ "22": admin, "9090": admin, "9093": admin, "3000": ["198.51.100.0/24"] });
        // node_exporter and the app are open to the monitoring host's two addresses and nothing else.
        expect(table("app-firewall")).toEqual({ "22": admin, "9100": monitoringHost, "8080": monitoringHost });
    });

    it("should keep secrets secret in inputs and outputs", async () => {
        for (const r of stack.resources.filter((x) => x.type === types.command || x.type === types.copy)) {
            expect({ name: r.name, secret: r.secretInputs.includes("connection") }).toEqual({ name: r.name, secret: true });
        }
        expect(stack.get(types.instance, "monitoring-instance").secretInputs).toContain("rootPass");
        expect(stack.get(types.command, "monitoring-services-grafana-service-install").secretInputs).toContain("stdin");
        expect(stack.get(types.command, "app-flask-app-service-install").secretInputs).toContain("stdin");
        const password = await resolveOutput(stack.outputs.grafanaAdminPassword as never);
        expect(password.secret).toBe(true);
        expect(password.value).toBe("generated-grafana-admin-password-0123456789");
        // Neither the private key nor the generated password appears in any input sent in the clear.
        for (const r of stack.resources) {
            const clear = JSON.stringify(Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !r.secretInputs.includes(k))));
            expect(clear).not.toContain("test-key");
            expect(clear).not.toContain("generated-");
        }
    });

    it("should export the output contract", async () => {
        const values: Record<string, unknown> = {};
        for (const [key, output] of Object.entries(stack.outputs)) {
            values[key] = typeof output === "string" ? output : (await resolveOutput(output as never)).value;
        }
        expect(values).toEqual({
            platform: "linode",
            prometheusUrl: expect.stringMatching(/^https:\/\/198\.51\.100\.\d+:9090$/),
            alertmanagerUrl: expect.stringMatching(/^https:\/\/198\.51\.100\.\d+:9093$/),
            grafanaUrl: expect.stringMatching(/^https:\/\/198\.51\.100\.\d+:3000$/),
            tlsCaCertificate: "-----BEGIN CERTIFICATE-----\nfake-stack-ca\n-----END CERTIFICATE-----\n",
            webUsername: "monitoring",
            webPassword: "generated-web-password-password-0123456789",
            grafanaAdminPassword: "generated-grafana-admin-password-0123456789",
            grafanaDatasourceUid: "prometheus",
            dashboardUrls: { "flask-app": "http://grafana.test/d/flask-app", "node-exporter-full": "http://grafana.test/d/node-exporter-full" },
            flaskAppUrl: expect.stringMatching(/^http:\/\/198\.51\.100\.\d+:8080$/),
            monitoringPublicIp: expect.stringMatching(/^198\.51\.100\.\d+$/),
            monitoringPrivateIp: expect.stringMatching(/^192\.168\.130\.\d+$/),
            appPublicIp: expect.stringMatching(/^198\.51\.100\.\d+$/),
            appPrivateIp: expect.stringMatching(/^192\.168\.130\.\d+$/),
            monitoringInstanceId: "monitoring-instance-id",
            appInstanceId: "app-instance-id",
            instanceIds: { app: "app-instance-id", monitoring: "monitoring-instance-id" },
            networkPolicyIds: { app: expect.stringMatching(/^\d+$/), monitoring: expect.stringMatching(/^\d+$/) },
            // Long-term storage is off unless thanos is set.
            thanosQueryUrl: "",
            metricsBucket: "",
            // The log store and its alerts are off unless logs is set.
            logStoreUrl: "",
            logAlertsUrl: "",
            logExportBucket: "",
        });
        expect(values.monitoringPublicIp).not.toEqual(values.appPublicIp);
    });
});

/** The command line and staged content of every remote step, by resource name. */
function remoteInputs(stack: EvaluatedStack): Record<string, string> {
    return Object.fromEntries(
        stack.resources
            .filter((r) => r.type === types.command || r.type === types.copy)
            .map((r) => [r.name, isStaging(r) ? stagedText(r) : String(r.inputs.create)]),
    );
}

describe("change behaviour under mocks", () => {
    it("should produce the same commands when evaluated twice with the same settings", async () => {
        const first = remoteInputs(await evaluateStack("dev", devUser));
        const second = remoteInputs(await evaluateStack("dev", devUser));
        // 14 commands (with Grafana's health check and node_exporter's configure steps) and 49 staged
        // files (25 of them web configuration, certificates and keys; one Grafana's hardening drop-in;
        // one the password Prometheus reads as a client).
        expect(Object.keys(first).length).toBe(63);
        expect(second).toEqual(first);
    });

    it("should change only Prometheus's config copy and configure step when a scrape setting changes", async () => {
        const before = remoteInputs(await evaluateStack("dev", devUser));
        const after = remoteInputs(await evaluateStack("dev", { ...devUser, values: { ...devUser.values, scrapeInterval: "30s" } }));
        const changed = Object.keys(before)
            .filter((name) => before[name] !== after[name])
            .sort();
        expect(changed).toEqual(["monitoring-services-prometheus-service-configure", "monitoring-services-prometheus-service-stage-prometheus.prometheus.yml"]);
    });

    it("should change only Prometheus's unit copy and install step when the retention changes", async () => {
        const before = remoteInputs(await evaluateStack("dev", devUser));
        const after = remoteInputs(await evaluateStack("dev", { ...devUser, values: { ...devUser.values, prometheusRetentionTime: "30d" } }));
        const changed = Object.keys(before)
            .filter((name) => before[name] !== after[name])
            .sort();
        expect(changed).toEqual(["monitoring-services-prometheus-service-install", "monitoring-services-prometheus-service-stage-prometheus.service"]);
    });
});

describe("other settings under mocks", () => {
    it("should refuse to create anything from Pulumi.dev.yaml alone, asking for the SSH key and admin networks", async () => {
        await expect(evaluateStack("dev")).rejects.toMatchObject({ name: "SettingsError" });
        await expect(evaluateStack("dev")).rejects.toThrow(/sshPublicKeys = \[\]: holds no SSH public key[\s\S]*adminCidrs = \[\]: is empty/);
    });

    it("should refuse a Grafana password stored in plain text before creating anything", async () => {
        await expect(evaluateStack("dev", { ...devUser, plaintextSecrets: { grafanaAdminPassword: "a-long-enough-password" } })).rejects.toThrow(
            /grafanaAdminPassword = "\(hidden\)": is a secret but is stored in plain text/,
        );
    });

    it("should pass AWS credentials on standard input and drop the flask_app job in cloudwatch mode", async () => {
        const stack = await evaluateStack("dev", {
            values: { ...devUser.values, appMetricsMode: "cloudwatch" },
            secrets: { ...devUser.secrets, appAwsAccessKeyId: "AKIAEXAMPLEKEY", appAwsSecretAccessKey: "aws-secret-value" },
        });
        const install = stack.get(types.command, "app-flask-app-service-install");
        expect(install.secretInputs).toContain("stdin");
        expect(install.inputs.stdin).toBe("[default]\naws_access_key_id = AKIAEXAMPLEKEY\naws_secret_access_key = aws-secret-value\n");
        expect(String(install.inputs.create)).toContain("METRICS_MODE=cloudwatch");
        expect(String(install.inputs.create)).not.toContain("aws-secret-value");
        const config = stack.staged("monitoring-services-prometheus-service-stage-prometheus.prometheus.yml");
        expect(config).not.toContain("flask_app");
        const requirements = stack.staged("app-flask-app-service-stage-flask-app.requirements.txt");
        expect(requirements).toContain("boto3==");
    });

    it("should use given secrets instead of generating them, and leave Grafana out when it is off", async () => {
        const stack = await evaluateStack("dev", {
            values: { ...devUser.values, grafanaEnabled: false },
            secrets: { ...devUser.secrets, rootPassword: "a-root-password-of-length" },
        });
        expect(stack.resources.filter((r) => r.type === types.randomPassword)).toEqual([]);
        expect(stack.resources.some((r) => r.type === "monitoring:services:Grafana")).toBe(false);
        expect(stack.get(types.instance, "app-instance").inputs.rootPass).toBe("a-root-password-of-length");
        const rules = (stack.get(types.firewall, "monitoring-firewall").inputs.inbounds as { ports: string }[]).map((r) => r.ports);
        expect(rules).not.toContain("3000");
        expect((await resolveOutput(stack.outputs.grafanaUrl as never)).value).toBe("");
    });

    it("should deploy the rules translated from cloudwatchAlarmsFile as rules/cloudwatch.yml", async () => {
        const stack = await evaluateStack("dev", {
            ...devUser,
            values: {
                ...devUser.values,
                cloudwatchAlarmsFile: "tests/fixtures/cloudwatch/describe-alarms.json",
                cloudwatchMappingFile: "tests/fixtures/cloudwatch/mappings.yml",
            },
        });
        const rules = stack.staged("monitoring-services-prometheus-service-stage-prometheus.rules.cloudwatch.yml");
        expect(rules).toContain("alert: FlaskRootLatencyHigh");
        expect(rules).toContain('lb_requests_total{lb="web-prod"}');
        const config = stack.staged("monitoring-services-prometheus-service-stage-prometheus.prometheus.yml");
        expect(config).toContain("- rules/cloudwatch.yml");
    });

    it("should refuse an unreadable cloudwatchAlarmsFile before creating anything", async () => {
        await expect(evaluateStack("dev", { ...devUser, values: { ...devUser.values, cloudwatchAlarmsFile: "no/such/alarms.json" } })).rejects.toThrow(
            /cloudwatchAlarmsFile = "no\/such\/alarms.json": cannot be used: ENOENT/,
        );
    });

    it("should send critical alerts to PagerDuty and warnings to Slack when settings say so", async () => {
        const stack = await evaluateStack("dev", {
            values: { ...devUser.values, criticalReceivers: ["pagerduty"], warningReceivers: ["slack"] },
            secrets: {
                ...devUser.secrets,
                slackWebhookUrl: "https://hooks.slack.com/services/T0/B0/secret",
                pagerdutyRoutingKey: "0123456789abcdef0123456789abcdef",
            },
        });
        const copy = stack.get(types.command, "monitoring-services-alertmanager-service-stage-alertmanager.alertmanager.yml");
        // The routes show in a preview; the URL and key are each in a secret file of their own.
        expect(copy.secretInputs).not.toContain("stdin");
        const text = stack.staged(copy.name);
        expect(text).toMatch(/- name: critical\n {4}pagerduty_configs:\n {6}- routing_key_file: \/etc\/alertmanager\/secrets\/pagerduty.key/);
        expect(text).toMatch(/- name: warning\n {4}slack_configs:\n {6}- api_url_file: \/etc\/alertmanager\/secrets\/slack.url/);
        for (const [file, value] of [
            ["slack.url", "https://hooks.slack.com/services/T0/B0/secret"],
            ["pagerduty.key", "0123456789abcdef0123456789abcdef"],
        ]) {
            const secretCopy = stack.get(types.command, `monitoring-services-alertmanager-service-stage-alertmanager.secrets.${file}`);
            expect({ file, secret: secretCopy.secretInputs.includes("stdin"), text: stack.staged(secretCopy.name) }).toEqual({
                file,
                secret: true,
                text: value,
            });
            expect(text).not.toContain(value);
        }
    });

    it("should refuse to route to a receiver that is not configured", async () => {
        await expect(evaluateStack("dev", { ...devUser, values: { ...devUser.values, criticalReceivers: ["pagerduty"] } })).rejects.toThrow(
            /criticalReceivers\[0\] = "pagerduty": names a receiver that is not configured \(pagerdutyRoutingKey is empty\)/,
        );
    });

    it("should put the SMTP password only into its secret file, which alertmanager.yml names, and keep the steps' command lines plain", async () => {
        const stack = await evaluateStack("dev", {
            values: {
                ...devUser.values,
                smtpSmarthost: "smtp.example.com:587",
                smtpFrom: "alerts@example.com",
                smtpTo: "ops@example.com",
                smtpUsername: "alerts",
            },
            secrets: { ...devUser.secrets, smtpPassword: "smtp-secret-value" },
        });
        const copy = stack.get(types.command, "monitoring-services-alertmanager-service-stage-alertmanager.alertmanager.yml");
        expect(copy.secretInputs).not.toContain("stdin");
        expect(stack.staged(copy.name)).toContain("smtp_auth_password_file: /etc/alertmanager/secrets/smtp.password");
        expect(stack.staged(copy.name)).not.toContain("smtp-secret-value");
        const password = stack.get(types.command, "monitoring-services-alertmanager-service-stage-alertmanager.secrets.smtp.password");
        expect(password.secretInputs).toContain("stdin");
        expect(stack.staged(password.name)).toBe("smtp-secret-value");
        // The secret file's staging prints a random token, and the step hashes that, not the password.
        expect(String(password.inputs.create)).toMatch(/ && od -An -N16 -tx1 \/dev\/urandom/);
        expect(String(copy.inputs.create)).not.toContain("urandom");
        const configure = stack.get(types.command, "monitoring-services-alertmanager-service-configure");
        expect(configure.secretInputs).not.toContain("create");
        expect(String(configure.inputs.create)).toContain("alertmanager.secrets.smtp.password:secrets/smtp.password");
    });
});
