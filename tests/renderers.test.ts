import * as fs from "fs";
import * as path from "path";
import { renderAlertmanagerConfig } from "../configs/alertmanager";
import { flaskAppSource, renderAwsCredentials, renderFlaskAppRequirements } from "../configs/flaskApp";
import { PrometheusConfigInput, renderPrometheusConfig } from "../configs/prometheus";
import { renderAlertmanagerUnit, renderFlaskAppUnit, renderNodeExporterUnit, renderPrometheusUnit } from "../configs/units";
import { baseRules } from "../components/monitoringServices";
import { prometheusRuleFiles } from "../components/prometheusService";
import { run, tempTree } from "./support/tools";

const configsDir = path.join(__dirname, "..", "configs");

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
    ruleFiles: prometheusRuleFiles(baseRules()),
};

const email = {
    smarthost: "smtp.example.com:587",
    from: "alerts@example.com",
    to: "oncall@example.com",
    username: "alerts",
    password: "s3cret pass",
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
  - rules/base.yml
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
        const dir = tempTree({ "prometheus.yml": renderPrometheusConfig(prometheusInput), "rules/base.yml": baseRules().base });
        const result = run("promtool", ["check", "config", "prometheus.yml"], { cwd: dir });
        expect(result.stderr).toBe("");
        expect(result.status).toBe(0);
        expect(result.stdout).toContain("SUCCESS: 2 rules found");
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

describe("base rules", () => {
    it("should pass promtool check rules", () => {
        const result = run("promtool", ["check", "rules", path.join(configsDir, "rules", "base.yml")]);
        expect(result.status).toBe(0);
        expect(result.stdout).toContain("SUCCESS: 2 rules found");
    });

    it("should hold the guide's HighCPUUsage rule and InstanceDown", () => {
        expect(baseRules().base).toContain("alert: HighCPUUsage");
        expect(baseRules().base).toContain('rate(node_cpu_seconds_total{mode="user"}[1m])) > 0.7');
        expect(baseRules().base).toContain("alert: InstanceDown");
    });
});

describe("renderAlertmanagerConfig", () => {
    it("should render an email receiver with send_resolved when SMTP is set", () => {
        expect(renderAlertmanagerConfig({ email })).toBe(`# Rendered by the monitoring Pulumi program; changes here are overwritten.
global:
  resolve_timeout: 5m
  smtp_smarthost: smtp.example.com:587
  smtp_from: alerts@example.com
  smtp_require_tls: true
  smtp_auth_username: alerts
  smtp_auth_password: s3cret pass
route:
  receiver: email
  group_by:
    - alertname
    - instance
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: email
    email_configs:
      - to: oncall@example.com
        send_resolved: true
`);
    });

    it("should render a null receiver when no SMTP server is set", () => {
        expect(renderAlertmanagerConfig({})).toBe(`# Rendered by the monitoring Pulumi program; changes here are overwritten.
global:
  resolve_timeout: 5m
route:
  receiver: 'null'
  group_by:
    - alertname
    - instance
  group_wait: 30s
  group_interval: 5m
  repeat_interval: 4h
receivers:
  - name: 'null'
`);
    });

    it("should leave out SMTP authentication when no user name is set", () => {
        const rendered = renderAlertmanagerConfig({ email: { ...email, username: "", password: "" } });
        expect(rendered).not.toContain("smtp_auth");
    });

    it.each([
        ["with email", { email }],
        ["without email", {}],
    ])("should be accepted by amtool check-config %s", (_label, input) => {
        const dir = tempTree({ "alertmanager.yml": renderAlertmanagerConfig(input) });
        const result = run("amtool", ["check-config", "alertmanager.yml"], { cwd: dir });
        expect(result.status).toBe(0);
        expect(result.stdout).toContain("SUCCESS");
    });
});

describe("systemd units", () => {
    const units: Record<string, string> = {
        "prometheus.service": renderPrometheusUnit({
            version: "2.55.1",
            port: 9090,
            retentionTime: "15d",
            retentionSize: "40GB",
            dataDir: "/var/lib/prometheus",
            dataDirIsMount: true,
        }),
        "alertmanager.service": renderAlertmanagerUnit({ port: 9093, dataDir: "/var/lib/alertmanager" }),
        "node_exporter.service": renderNodeExporterUnit({ port: 9100 }),
        "flask-app.service": renderFlaskAppUnit({ port: 8080 }),
    };

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
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
CapabilityBoundingSet=

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
            ...Object.fromEntries(Object.entries(units).map(([name, text]) => [`etc/systemd/system/${name}`, text])),
        });
        for (const program of ["usr/local/bin/prometheus", "usr/local/bin/alertmanager", "usr/local/bin/node_exporter", "opt/flask-app/venv/bin/gunicorn"]) {
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

describe("scripts", () => {
    const scripts = fs.readdirSync(path.join(configsDir, "scripts")).filter((f) => f.endsWith(".sh"));

    it("should find every install script", () => {
        expect(scripts.sort()).toEqual([
            "activate-config.sh",
            "host-ready.sh",
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
