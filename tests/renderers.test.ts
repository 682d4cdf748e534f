import * as fs from "fs";
import * as yaml from "js-yaml";
import * as path from "path";
import { AlertmanagerConfigInput, renderAlertmanagerConfig } from "../components/alertmanager/alertmanagerConfig";
import { flaskAppSource, renderAwsCredentials, renderFlaskAppRequirements } from "../components/flaskApp/flaskAppFiles";
import { PrometheusConfigInput, renderPrometheusConfig } from "../components/prometheus/prometheusConfig";
import { bridgeArgs, bridgeEnvironment } from "../components/cloudwatchBridge/bridgeConfig";
import { renderAlertmanagerUnit } from "../components/alertmanager/alertmanagerUnit";
import { renderBridgeUnit } from "../components/cloudwatchBridge/bridgeUnit";
import { renderFlaskAppUnit } from "../components/flaskApp/flaskAppUnit";
import { renderGrafanaHardening } from "../components/grafana/grafanaUnit";
import { renderNodeExporterUnit } from "../components/nodeExporter/nodeExporterUnit";
import { renderPrometheusUnit } from "../components/prometheus/prometheusUnit";
import { renderThanosUnit } from "../components/thanos/thanosUnit";
import { renderCollectorUnit } from "../components/otelCollector/otelCollectorUnit";
import { renderVictoriaLogsUnit } from "../components/victoriaLogs/victoriaLogsUnit";
import { renderVmalertUnit } from "../components/vmalert/vmalertUnit";
import { vmalertFlags } from "../components/vmalert/vmalertConfig";
import { victoriaLogsFlags } from "../components/victoriaLogs/victoriaLogsConfig";
import { compactFlags, queryFlags, sidecarFlags, storeFlags, thanosDataDirs } from "../components/thanos/thanosConfig";
import { renderRuleFiles } from "../components/prometheus/alertRules";
import { alertmanagerContainer } from "../components/alertmanager/alertmanagerUnit";
import { grafanaContainer } from "../components/grafana/grafanaUnit";
import { imageOf } from "../runtimes/images";
import { nodeExporterContainer } from "../components/nodeExporter/nodeExporterUnit";
import { prometheusContainer } from "../components/prometheus/prometheusUnit";
import { renderContainerScript } from "../runtimes/dockerContainer";
import { ruleFilePaths } from "../components/prometheus/prometheusFiles";
import { alertThresholdsFrom } from "../components/prometheus/prometheus.module";
import { defaultSettings } from "./support/defaultSettings";
import { run, tempTree, pinnedAmtool } from "./support/tools";

const configsDir = path.join(__dirname, "..", "configs");

/** The rule files of the default settings, for the topology below. */
const ruleFiles = renderRuleFiles({
    thresholds: alertThresholdsFrom(defaultSettings()),
    flaskAppMetrics: true,
    expectedTargets: { prometheus: 1, alertmanager: 1, node: 2, flask_app: 1, postgres: 1 },
});
const ruleTree = Object.fromEntries(Object.entries(ruleFiles).map(([name, text]) => [`rules/${name}.yml`, text]));

const prometheusInput: PrometheusConfigInput = {
    scrapeInterval: "15s",
    evaluationInterval: "15s",
    prometheus: "localhost:9090",
    alertmanager: "localhost:9093",
    nodes: [
        { address: "localhost:9100", labels: { role: "monitoring" } },
        { address: "192.168.130.11:9100", labels: { role: "app" } },
    ],
    flaskApp: [{ address: "192.168.130.11:8080", labels: { role: "app" } }],
    extraJobs: [{ job: "postgres", targets: ["10.0.0.5:9187"] }],
    ruleFiles: ruleFilePaths(Object.keys(ruleFiles)),
};

const email = {
    smarthost: "smtp.example.com:587",
    from: "alerts@example.com",
    to: "oncall@example.com",
    username: "alerts",
    passwordFile: "/etc/alertmanager/secrets/smtp.password",
    requireTls: true,
};

describe("renderPrometheusConfig", () => {
    it("should render the guide's jobs, the alerting block and the rule files when given a full topology", () => {
        expect(renderPrometheusConfig(prometheusInput)).toBe(`# Rendered by the monitoring Pulumi program; changes here are overwritten.
global:
  scrape_interval: 15s
  evaluation_interval: 15s
alerting:
  alertmanagers:
    - static_configs:
        - targets:
            - localhost:9093
rule_files:
  - rules/availability.yml
  - rules/flask-app.yml
  - rules/hosts.yml
  - rules/meta.yml
  - rules/targets.yml
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets:
          - localhost:9090
  - job_name: alertmanager
    static_configs:
      - targets:
          - localhost:9093
  - job_name: node
    static_configs:
      - targets:
          - localhost:9100
        labels:
          role: monitoring
      - targets:
          - 192.168.130.11:9100
        labels:
          role: app
  - job_name: flask_app
    static_configs:
      - targets:
          - 192.168.130.11:8080
        labels:
          role: app
  - job_name: postgres
    static_configs:
      - targets:
          - 10.0.0.5:9187
`);
    });

    it("should leave out the flask_app job when the app reports to CloudWatch only", () => {
        const rendered = renderPrometheusConfig({ ...prometheusInput, flaskApp: [] });
        expect(rendered).not.toContain("flask_app");
        expect(rendered).toContain("job_name: node");
    });

    it("should be accepted by promtool check config, rule files included, when rendered", () => {
        const dir = tempTree({ "prometheus.yml": renderPrometheusConfig(prometheusInput), ...ruleTree });
        const result = run("promtool", ["check", "config", "prometheus.yml"], { cwd: dir });
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(result.stdout).toContain("SUCCESS: 5 rule files found");
    });

    it("should fail promtool check config when a referenced rule is broken", () => {
        const dir = tempTree({
            "prometheus.yml": renderPrometheusConfig(prometheusInput),
            "rules/base.yml": "groups:\n  - name: x\n    rules:\n      - alert: Broken\n        expr: up ==\n",
        });
        const result = run("promtool", ["check", "config", "prometheus.yml"], { cwd: dir });
        expect(result.status).not.toBe(0);
        expect(result.stdout + result.stderr).toMatch(/parse error|FAILED/);
    });
});

const allReceivers: AlertmanagerConfigInput = {
    email,
    slack: { webhookUrlFile: "/etc/alertmanager/secrets/slack.url", channel: "#alerts" },
    webhook: { urlFile: "/etc/alertmanager/secrets/webhook.url" },
    pagerduty: { routingKeyFile: "/etc/alertmanager/secrets/pagerduty.key" },
    heartbeat: { urlFile: "/etc/alertmanager/secrets/heartbeat.url" },
};

/** The receiver amtool routes an alert with these labels to. */
function routeOf(config: string, labels: string[]): string {
    const dir = tempTree({ "alertmanager.yml": config });
    const result = run(pinnedAmtool(), ["config", "routes", "test", "--config.file=alertmanager.yml", ...labels], { cwd: dir });
    expect(result.status).toBe(0);
    return result.stdout.trim();
}

describe("renderAlertmanagerConfig", () => {
    it("should route, group and inhibit as documented when every receiver is configured", () => {
        expect(renderAlertmanagerConfig(allReceivers)).toBe(`# Rendered by the monitoring Pulumi program; changes here are overwritten.
global:
  resolve_timeout: 5m
  smtp_smarthost: smtp.example.com:587
  smtp_from: alerts@example.com
  smtp_require_tls: true
  smtp_auth_username: alerts
  smtp_auth_password_file: /etc/alertmanager/secrets/smtp.password
route:
  receiver: warning
  group_by:
    - alertname
    - instance
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
  routes:
    - receiver: heartbeat
      matchers:
        - alertname="Watchdog"
      group_wait: 0s
      group_interval: 1m
      repeat_interval: 1m
    - receiver: muted
      matchers:
        - notify="none"
    - receiver: critical-firing-only
      matchers:
        - severity="critical"
        - notify_resolved="false"
    - receiver: warning-firing-only
      matchers:
        - notify_resolved="false"
    - receiver: critical
      matchers:
        - severity="critical"
inhibit_rules:
  - source_matchers:
      - severity="critical"
    target_matchers:
      - severity="warning"
    equal:
      - instance
receivers:
  - name: critical
    email_configs:
      - to: oncall@example.com
        send_resolved: true
    slack_configs:
      - api_url_file: /etc/alertmanager/secrets/slack.url
        channel: '#alerts'
        send_resolved: true
        title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .Alerts | len }})'
        text: |-
          {{ range .Alerts }}{{ .Annotations.summary }}
          {{ .Annotations.description }}
          {{ end }}
    webhook_configs:
      - url_file: /etc/alertmanager/secrets/webhook.url
        send_resolved: true
    pagerduty_configs:
      - routing_key_file: /etc/alertmanager/secrets/pagerduty.key
        send_resolved: true
  - name: warning
    email_configs:
      - to: oncall@example.com
        send_resolved: true
    slack_configs:
      - api_url_file: /etc/alertmanager/secrets/slack.url
        channel: '#alerts'
        send_resolved: true
        title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .Alerts | len }})'
        text: |-
          {{ range .Alerts }}{{ .Annotations.summary }}
          {{ .Annotations.description }}
          {{ end }}
    webhook_configs:
      - url_file: /etc/alertmanager/secrets/webhook.url
        send_resolved: true
  - name: critical-firing-only
    email_configs:
      - to: oncall@example.com
        send_resolved: false
    slack_configs:
      - api_url_file: /etc/alertmanager/secrets/slack.url
        channel: '#alerts'
        send_resolved: false
        title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .Alerts | len }})'
        text: |-
          {{ range .Alerts }}{{ .Annotations.summary }}
          {{ .Annotations.description }}
          {{ end }}
    webhook_configs:
      - url_file: /etc/alertmanager/secrets/webhook.url
        send_resolved: false
    pagerduty_configs:
      - routing_key_file: /etc/alertmanager/secrets/pagerduty.key
        send_resolved: false
  - name: warning-firing-only
    email_configs:
      - to: oncall@example.com
        send_resolved: false
    slack_configs:
      - api_url_file: /etc/alertmanager/secrets/slack.url
        channel: '#alerts'
        send_resolved: false
        title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} ({{ .Alerts | len }})'
        text: |-
          {{ range .Alerts }}{{ .Annotations.summary }}
          {{ .Annotations.description }}
          {{ end }}
    webhook_configs:
      - url_file: /etc/alertmanager/secrets/webhook.url
        send_resolved: false
  - name: muted
  - name: heartbeat
    webhook_configs:
      - url_file: /etc/alertmanager/secrets/heartbeat.url
        send_resolved: false
`);
    });

    it("should keep receivers without channels, and drop Watchdog, when nothing is configured", () => {
        const rendered = renderAlertmanagerConfig({});
        expect(rendered).toContain(
            "receivers:\n  - name: critical\n  - name: warning\n  - name: critical-firing-only\n  - name: warning-firing-only\n  - name: muted\n  - name: 'null'\n",
        );
        expect(rendered).not.toContain("smtp_");
    });

    it("should leave out SMTP authentication when no user name is set", () => {
        expect(renderAlertmanagerConfig({ email: { ...email, username: "" } })).not.toContain("smtp_auth");
    });

    it("should send critical alerts and warnings to the receivers named in settings", () => {
        const rendered = renderAlertmanagerConfig({ ...allReceivers, criticalReceivers: ["pagerduty"], warningReceivers: ["slack", "email"] });
        const receivers = (require("js-yaml").load(rendered) as { receivers: Record<string, unknown>[] }).receivers;
        expect(receivers.map((r) => Object.keys(r).sort())).toEqual([
            ["name", "pagerduty_configs"],
            ["email_configs", "name", "slack_configs"],
            ["name", "pagerduty_configs"],
            ["email_configs", "name", "slack_configs"],
            ["name"],
            ["name", "webhook_configs"],
        ]);
    });

    it("should refuse to route to a receiver that is not configured", () => {
        expect(() => renderAlertmanagerConfig({ email, criticalReceivers: ["pagerduty"] })).toThrow('receiver "pagerduty" is routed to but not configured');
    });

    it.each([
        ["every receiver", allReceivers],
        ["email only", { email }],
        ["nothing", {}],
        ["chosen routes", { ...allReceivers, criticalReceivers: ["pagerduty", "slack"], warningReceivers: ["webhook"] }],
    ] as [string, AlertmanagerConfigInput][])("should be accepted by amtool check-config with %s", (_label, input) => {
        const dir = tempTree({ "alertmanager.yml": renderAlertmanagerConfig(input) });
        const result = run(pinnedAmtool(), ["check-config", "alertmanager.yml"], { cwd: dir });
        expect(result.stdout).toContain("SUCCESS");
        expect(result.status).toBe(0);
    });

    it("should route Watchdog to the heartbeat, critical to critical and the rest to warning (amtool config routes test)", () => {
        const config = renderAlertmanagerConfig(allReceivers);
        expect(routeOf(config, ["alertname=Watchdog", "severity=none"])).toBe("heartbeat");
        expect(routeOf(config, ["alertname=InstanceDown", "severity=critical", "instance=a:9100"])).toBe("critical");
        expect(routeOf(config, ["alertname=HighCPUUsage", "severity=warning", "instance=a:9100"])).toBe("warning");
        expect(routeOf(config, ["alertname=Translated", "severity=info"])).toBe("warning");
        expect(routeOf(renderAlertmanagerConfig({ email }), ["alertname=Watchdog", "severity=none"])).toBe("null");
    });

    it("should route muted alerts to no channel and alerts without resolved notifications to channels that send none (amtool config routes test)", () => {
        const config = renderAlertmanagerConfig(allReceivers);
        expect(routeOf(config, ["alertname=Translated", "severity=critical", "notify=none"])).toBe("muted");
        expect(routeOf(config, ["alertname=Translated", "severity=critical", "notify_resolved=false"])).toBe("critical-firing-only");
        expect(routeOf(config, ["alertname=Translated", "severity=warning", "notify_resolved=false"])).toBe("warning-firing-only");
        const receivers = (yaml.load(config) as { receivers: { name: string; email_configs?: { send_resolved: boolean }[] }[] }).receivers;
        const byName = Object.fromEntries(receivers.map((r) => [r.name, r]));
        expect(byName.muted).toEqual({ name: "muted" });
        expect(byName["critical-firing-only"].email_configs).toEqual([{ to: allReceivers.email!.to, send_resolved: false }]);
        expect(byName.critical.email_configs).toEqual([{ to: allReceivers.email!.to, send_resolved: true }]);
    });
});

/** Every unit the program renders, with the settings the lab deploys. */
function renderersUnits(): Record<string, string> {
    return {
        "prometheus.service": renderPrometheusUnit({
            version: "2.55.1",
            port: 9090,
            retentionTime: "15d",
            retentionSize: "40GB",
            dataDir: "/var/lib/prometheus",
            dataDirIsMount: true,
            webFlags: ["--web.config.file=/etc/prometheus/web.yml"],
        }),
        "alertmanager.service": renderAlertmanagerUnit({
            port: 9093,
            dataDir: "/var/lib/alertmanager",
            webFlags: ["--web.config.file=/etc/alertmanager/web.yml"],
        }),
        "node_exporter.service": renderNodeExporterUnit({
            port: 9100,
            collectors: ["systemd", "processes", "interrupts", "tcpstat"],
            webFlags: ["--web.config.file=/etc/node_exporter/web.yml"],
        }),
        "flask-app.service": renderFlaskAppUnit({ port: 8080 }),
        "yace.service": renderBridgeUnit({ args: bridgeArgs(300), environment: bridgeEnvironment({ region: "us-east-1", endpoint: "" }) }),
        "thanos-sidecar.service": renderThanosUnit({
            component: "thanos-sidecar",
            user: "prometheus",
            flags: sidecarFlags({ secured: true, prometheusUrl: "https://localhost:9090", tsdbPath: "/var/lib/prometheus" }),
            writablePaths: ["/var/lib/prometheus"],
            requiresMountsFor: ["/var/lib/prometheus"],
        }),
        "thanos-store.service": renderThanosUnit({
            component: "thanos-store",
            user: "thanos",
            flags: storeFlags({ secured: true, dataDir: thanosDataDirs["thanos-store"] }),
            writablePaths: [thanosDataDirs["thanos-store"]],
        }),
        "thanos-compact.service": renderThanosUnit({
            component: "thanos-compact",
            user: "thanos",
            flags: compactFlags({ secured: true, dataDir: thanosDataDirs["thanos-compact"], retention: "365d" }),
            writablePaths: [thanosDataDirs["thanos-compact"]],
        }),
        "thanos-query.service": renderThanosUnit({
            component: "thanos-query",
            user: "thanos",
            flags: queryFlags({ secured: true, port: 10904 }),
            writablePaths: [],
        }),
        "victoria-logs.service": renderVictoriaLogsUnit({
            flags: victoriaLogsFlags({
                port: 9428,
                dataDir: "/var/lib/victoria-logs",
                retention: "30d",
                retentionSize: "10GB",
                tls: true,
                username: "monitoring",
            }),
            dataDir: "/var/lib/victoria-logs",
        }),
        // The app host's, which also joins the app's group to read its log file.
        "otelcol.service": renderCollectorUnit({ flaskAppLog: true }),
        "vmalert.service": renderVmalertUnit(
            vmalertFlags({
                port: 8880,
                storeUrl: "https://localhost:9428",
                alertmanagerUrls: ["https://localhost:9093", "https://10.0.0.2:9093"],
                interval: "1m",
                externalUrl: "https://203.0.113.10:8880",
                tls: true,
                username: "monitoring",
            }),
        ),
    };
}

describe("systemd units", () => {
    const units = renderersUnits();

    it("should render the guide's Prometheus unit, hardened and with retention by time and size", () => {
        expect(units["prometheus.service"]).toBe(`# Rendered by the monitoring Pulumi program; changes here are overwritten.
[Unit]
Description=Prometheus
Wants=network-online.target
After=network-online.target
RequiresMountsFor=/var/lib/prometheus

[Service]
Type=simple
User=prometheus
Group=prometheus
ExecStart=/usr/local/bin/prometheus \\
    --config.file=/etc/prometheus/prometheus.yml \\
    --storage.tsdb.path=/var/lib/prometheus \\
    --storage.tsdb.retention.time=15d \\
    --storage.tsdb.retention.size=40GB \\
    --web.listen-address=:9090 \\
    --web.config.file=/etc/prometheus/web.yml \\
    --web.console.templates=/etc/prometheus/consoles \\
    --web.console.libraries=/etc/prometheus/console_libraries
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=5s
TimeoutStopSec=60s
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
ReadWritePaths=/var/lib/prometheus
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
PrivateMounts=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
CapabilityBoundingSet=
AmbientCapabilities=
PrivateUsers=yes
ProtectProc=invisible
ProtectClock=yes
ProtectKernelLogs=yes
ProtectHostname=yes
RemoveIPC=yes
KeyringMode=private
DevicePolicy=closed
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @resources
SystemCallErrorNumber=EPERM
UMask=0027

[Install]
WantedBy=multi-user.target
`);
    });

    it("should drop the console flags for Prometheus 3, whose tarball has no consoles", () => {
        const unit = renderPrometheusUnit({
            version: "3.0.1",
            port: 9090,
            retentionTime: "15d",
            retentionSize: "40GB",
            dataDir: "/var/lib/prometheus",
            dataDirIsMount: false,
            webFlags: [],
        });
        expect(unit).not.toContain("console");
        expect(unit).not.toContain("RequiresMountsFor");
    });

    it("should pass systemd-analyze verify with no warning for every unit", () => {
        // A root with the system's own units and the programs the units start.
        const root = tempTree({
            "usr/local/bin/prometheus": "#!/bin/sh\n",
            "usr/local/bin/alertmanager": "#!/bin/sh\n",
            "usr/local/bin/node_exporter": "#!/bin/sh\n",
            "opt/flask-app/venv/bin/gunicorn": "#!/bin/sh\n",
            "usr/local/bin/yace": "#!/bin/sh\n",
            "usr/local/bin/thanos": "#!/bin/sh\n",
            "usr/local/bin/victoria-logs": "#!/bin/sh\n",
            "usr/local/bin/otelcol-contrib": "#!/bin/sh\n",
            "usr/local/bin/vmalert": "#!/bin/sh\n",
            ...Object.fromEntries(Object.entries(units).map(([name, text]) => [`etc/systemd/system/${name}`, text])),
        });
        for (const program of [
            "usr/local/bin/prometheus",
            "usr/local/bin/alertmanager",
            "usr/local/bin/node_exporter",
            "opt/flask-app/venv/bin/gunicorn",
            "usr/local/bin/yace",
            "usr/local/bin/thanos",
            "usr/local/bin/victoria-logs",
            "usr/local/bin/otelcol-contrib",
            "usr/local/bin/vmalert",
        ]) {
            fs.chmodSync(path.join(root, program), 0o755);
        }
        fs.mkdirSync(path.join(root, "usr/lib/systemd"), { recursive: true });
        fs.cpSync("/usr/lib/systemd/system", path.join(root, "usr/lib/systemd/system"), { recursive: true, verbatimSymlinks: true });
        fs.mkdirSync(path.join(root, "bin"), { recursive: true });
        fs.copyFileSync("/bin/kill", path.join(root, "bin/kill"));
        for (const name of Object.keys(units)) {
            const result = run("systemd-analyze", ["verify", `--root=${root}`, name]);
            expect({ name, stderr: result.stderr, status: result.status }).toEqual({ name, stderr: "", status: 0 });
        }
    });
});

describe("systemd units' exposure", () => {
    it.each([
        "prometheus.service",
        "alertmanager.service",
        "node_exporter.service",
        "flask-app.service",
        "yace.service",
        "thanos-sidecar.service",
        "thanos-store.service",
        "thanos-compact.service",
        "thanos-query.service",
        "victoria-logs.service",
        "otelcol.service",
    ])("should rate %s 1.7 or lower in systemd-analyze security, as the README says", (name) => {
        const text = renderersUnits()[name];
        const dir = tempTree({ [name]: text });
        const result = run("systemd-analyze", ["security", "--offline=yes", "--no-pager", path.join(dir, name)]);
        const score = Number(/Overall exposure level for \S+: ([0-9.]+)/.exec(result.stdout)?.[1]);
        expect({ name, score, stderr: result.stderr }).toEqual({ name, score: expect.any(Number), stderr: "" });
        expect({ name, lowEnough: score <= 1.7 }).toEqual({ name, lowEnough: true });
    });
});

describe("grafana-server's hardening drop-in", () => {
    // A unit as a package ships it: who runs what, and no confinement of its own.
    const packaged =
        "[Unit]\nDescription=Grafana\n[Service]\nUser=grafana\nGroup=grafana\nExecStart=/usr/sbin/grafana-server --config=/etc/grafana/grafana.ini\n[Install]\nWantedBy=multi-user.target\n";
    const score = (files: Record<string, string>) => {
        const root = tempTree(files);
        const result = run("systemd-analyze", ["security", "--offline=yes", `--root=${root}`, "--no-pager", "grafana-server.service"]);
        return { score: Number(/Overall exposure level for \S+: ([0-9.]+)/.exec(result.stdout)?.[1]), stderr: result.stderr };
    };

    it("should take the packaged unit from unsafe to 2.0 or lower in systemd-analyze security, writing only Grafana's data, logs and pid file", () => {
        const unit = { "etc/systemd/system/grafana-server.service": packaged };
        const hardened = score({ ...unit, "etc/systemd/system/grafana-server.service.d/monitoring-hardening.conf": renderGrafanaHardening() });
        expect({ packaged: score(unit).score > 9, hardened }).toEqual({ packaged: true, hardened: { score: expect.any(Number), stderr: "" } });
        expect(hardened.score).toBeLessThanOrEqual(2.0);
        expect(renderGrafanaHardening()).toMatch(/^ReadWritePaths=\/var\/lib\/grafana \/var\/log\/grafana$/m);
        expect(renderGrafanaHardening()).toMatch(/^RuntimeDirectory=grafana$/m);
    });
});

describe("container scripts", () => {
    const scripts: Record<string, string> = {
        "prometheus.run.sh": renderContainerScript(
            prometheusContainer({
                image: imageOf("prom/prometheus", "v2.55.1"),
                version: "2.55.1",
                port: 9090,
                retentionTime: "15d",
                retentionSize: "40GB",
                dataDir: "/var/lib/prometheus",
                webFlags: ["--web.config.file=/etc/prometheus/web.yml"],
            }),
        ),
        "node-exporter.run.sh": renderContainerScript(
            nodeExporterContainer({
                image: imageOf("prom/node-exporter", "v1.8.2"),
                port: 9100,
                collectors: ["systemd"],
                webFlags: ["--web.config.file=/etc/node_exporter/web.yml"],
            }),
        ),
        "alertmanager.run.sh": renderContainerScript(
            alertmanagerContainer({ image: imageOf("prom/alertmanager", "v0.27.0"), port: 9093, webFlags: ["--web.config.file=/etc/alertmanager/web.yml"] }),
        ),
        "grafana.run.sh": renderContainerScript(
            grafanaContainer({
                image: imageOf("grafana/grafana-oss", "11.3.1"),
                port: 3000,
                tls: true,
                plugins: [{ id: "victoriametrics-logs-datasource", version: "0.30.1" }],
            }),
        ),
    };

    it("should run Prometheus as the systemd unit does: same flags, its data on the host, configuration read-only", () => {
        expect(scripts["prometheus.run.sh"]).toBe(`#!/bin/bash
# Rendered by the monitoring Pulumi program: the prometheus container.
set -euo pipefail
install -d -m 0750 -o 65534 -g 65534 /var/lib/prometheus
install -d -m 0755 /etc/prometheus
want=a7e3d568571f9904
have=$(docker inspect --format '{{ index .Config.Labels "monitoring.spec" }}' prometheus 2>/dev/null || true)
running=$(docker inspect --format '{{ .State.Running }}' prometheus 2>/dev/null || true)
if [ "$have" = "$want" ] && [ "$running" = true ]; then
    echo "prometheus: unchanged"
else
    docker image inspect prom/prometheus:v2.55.1 >/dev/null 2>&1 || docker pull --quiet prom/prometheus:v2.55.1
    docker rm --force prometheus >/dev/null 2>&1 || true
    docker run --detach \\
        --name prometheus \\
        --restart unless-stopped \\
        --network host \\
        --user 65534:65534 \\
        --label "monitoring.spec=$want" \\
        --volume /etc/prometheus:/etc/prometheus:ro \\
        --volume /var/lib/prometheus:/prometheus \\
        prom/prometheus:v2.55.1 \\
        --config.file=/etc/prometheus/prometheus.yml \\
        --storage.tsdb.path=/prometheus \\
        --storage.tsdb.retention.time=15d \\
        --storage.tsdb.retention.size=40GB \\
        --web.listen-address=:9090 \\
        --web.config.file=/etc/prometheus/web.yml \\
        --web.console.templates=/usr/share/prometheus/consoles \\
        --web.console.libraries=/usr/share/prometheus/console_libraries >/dev/null
    echo "prometheus: started prom/prometheus:v2.55.1"
fi
`);
    });

    it("should run node-exporter as its documentation does, with the collectors of the setting and the host's D-Bus for systemd", () => {
        expect(scripts["node-exporter.run.sh"]).toBe(`#!/bin/bash
# Rendered by the monitoring Pulumi program: the node-exporter container.
set -euo pipefail
install -d -m 0755 /etc/node_exporter
want=446ec79057a55778
have=$(docker inspect --format '{{ index .Config.Labels "monitoring.spec" }}' node-exporter 2>/dev/null || true)
running=$(docker inspect --format '{{ .State.Running }}' node-exporter 2>/dev/null || true)
if [ "$have" = "$want" ] && [ "$running" = true ]; then
    echo "node-exporter: unchanged"
else
    docker image inspect prom/node-exporter:v1.8.2 >/dev/null 2>&1 || docker pull --quiet prom/node-exporter:v1.8.2
    docker rm --force node-exporter >/dev/null 2>&1 || true
    docker run --detach \\
        --name node-exporter \\
        --restart unless-stopped \\
        --network host \\
        --pid host \\
        --label "monitoring.spec=$want" \\
        --volume /:/host:ro,rslave \\
        --volume /run/dbus/system_bus_socket:/var/run/dbus/system_bus_socket:ro \\
        --volume /etc/node_exporter:/etc/node_exporter:ro \\
        prom/node-exporter:v1.8.2 \\
        --path.rootfs=/host \\
        --web.listen-address=:9100 \\
        --web.config.file=/etc/node_exporter/web.yml \\
        --collector.systemd >/dev/null
    echo "node-exporter: started prom/node-exporter:v1.8.2"
fi
`);
    });

    it("should change the spec label, and so replace the container, only when the spec changes", () => {
        const label = (script: string) => /^want=([0-9a-f]{16})$/m.exec(script)![1];
        const again = renderContainerScript(
            nodeExporterContainer({
                image: imageOf("prom/node-exporter", "v1.8.2"),
                port: 9100,
                collectors: ["systemd"],
                webFlags: ["--web.config.file=/etc/node_exporter/web.yml"],
            }),
        );
        const other = renderContainerScript(
            nodeExporterContainer({
                image: imageOf("prom/node-exporter", "v1.8.2"),
                port: 9101,
                collectors: ["systemd"],
                webFlags: ["--web.config.file=/etc/node_exporter/web.yml"],
            }),
        );
        expect(label(again)).toBe(label(scripts["node-exporter.run.sh"]));
        expect(label(other)).not.toBe(label(scripts["node-exporter.run.sh"]));
    });

    it.each(Object.keys(scripts))("should pass shellcheck: %s", (name) => {
        const dir = tempTree({ [name]: scripts[name] });
        const result = run("shellcheck", ["--shell=bash", "--severity=style", path.join(dir, name)]);
        expect(result.stdout).toBe("");
        expect(result.status).toBe(0);
    });
});

describe("scripts", () => {
    const scripts = fs.readdirSync(path.join(configsDir, "scripts")).filter((f) => f.endsWith(".sh"));

    it("should find every install script", () => {
        expect(scripts.sort()).toEqual([
            "activate-config.sh",
            "host-ready.sh",
            "install-docker.sh",
            "install-flask-app.sh",
            "install-grafana.sh",
            "install-release.sh",
            "mount-volume.sh",
        ]);
    });

    it.each(scripts)("should pass shellcheck: %s", (script) => {
        const result = run("shellcheck", ["--shell=bash", "--severity=style", path.join(configsDir, "scripts", script)]);
        expect(result.stdout).toBe("");
        expect(result.status).toBe(0);
    });
});

describe("Flask app", () => {
    it("should compile with python3 -m py_compile", () => {
        const dir = tempTree({ "app.py": flaskAppSource() });
        const result = run("python3", ["-m", "py_compile", path.join(dir, "app.py")]);
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
    });

    it.each([
        ["prometheus", ["prometheus_flask_exporter=="], ["boto3"]],
        ["cloudwatch", ["boto3=="], ["prometheus_flask_exporter"]],
        ["both", ["prometheus_flask_exporter==", "boto3=="], []],
    ] as const)("should pin the requirements of %s mode", (mode, present, absent) => {
        const requirements = renderFlaskAppRequirements(mode);
        for (const name of present) expect(requirements).toContain(name);
        for (const name of absent) expect(requirements).not.toContain(name);
        expect(requirements).toContain("Flask==3.0.3");
        const lines = requirements.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
        for (const line of lines) expect(line).toMatch(/^[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*$/);
    });

    it("should render AWS credentials only when a key is given", () => {
        expect(renderAwsCredentials("", "")).toBe("");
        expect(renderAwsCredentials("AKIAEXAMPLE", "secret")).toBe("[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = secret\n");
    });
});
