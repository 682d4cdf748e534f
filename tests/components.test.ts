import type * as pulumiType from "@pulumi/pulumi";
import { alertThresholdsFrom } from "../components/prometheus/prometheus.module";
import { defaultSettings } from "./support/defaultSettings";
import { evaluateStack, EvaluatedStack, RecordedResource } from "./support/stackUnderMocks";

/**
 * Each service component on its own, under Pulumi mocks, in both runtimes: the resources it
 * declares (types, names, parents, order) and the inputs that reach the host.
 */
type Runtime = "systemd" | "docker";
const digest = `sha256:${"0123456789abcdef".repeat(4)}`;

/** Declares one component on a host (and, for docker, Docker's install step) and records the graph. */
async function declare(runtime: Runtime, component: (modules: Modules) => void): Promise<EvaluatedStack> {
    return evaluateStack("test", {}, {}, {}, (requireFromSupport) => {
        const pulumi = requireFromSupport("@pulumi/pulumi") as typeof pulumiType;
        const { remote } = requireFromSupport("@pulumi/command") as typeof import("@pulumi/command");
        const runtimes = requireFromSupport("../../runtimes/runtime") as typeof import("../runtimes/runtime");
        const connection = { host: "10.0.0.5", user: "root", privateKey: pulumi.secret("test-key") };
        const ready = new remote.Command("host-ready", { connection, create: "true" });
        const host = { connection, ready, privateIp: pulumi.output("10.0.0.5"), publicIp: pulumi.output("203.0.113.5") };
        // The host's certificate and the stack's credentials, as stack/stackSecurity.ts hands them over.
        const security = {
            tls: { certPem: "-----BEGIN CERTIFICATE-----\nhost\n-----END CERTIFICATE-----\n", keyPem: pulumi.secret(hostKey), caPem: caCertificate },
            auth: { username: "monitoring", password: pulumi.secret(webPassword) },
        };
        const placed = {
            host,
            runtime: runtime === "docker" ? runtimes.docker(runtimes.installDocker("host-docker", host).installCommand) : runtimes.systemd,
            security,
        };
        component({ require: requireFromSupport, pulumi, placed });
        return {};
    });
}
const hostKey = "-----BEGIN PRIVATE KEY-----\nhost-key\n-----END PRIVATE KEY-----\n";
const caCertificate = "-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n";
const webPassword = "a-web-password-0123456789";

interface Modules {
    readonly require: NodeRequire;
    readonly pulumi: typeof pulumiType;
    readonly placed: {
        host: import("../remote/remoteHost").RemoteHost;
        runtime: import("../runtimes/runtime").Runtime;
        security: import("../security/webSecurity").HostWebSecurity;
    };
}

const download = (version: string) => ({ version, baseUrl: "https://mirror.example/releases", sha256: "" });
const named = (stack: EvaluatedStack, prefix: string) =>
    stack.resources
        .filter((r) => r.name.startsWith(prefix))
        .map((r) => `${r.type} ${r.name}`)
        .sort();
const staged = (stack: EvaluatedStack, name: string) => String(stack.staged(name));
const create = (stack: EvaluatedStack, name: string) => String(stack.get("command:remote:Command", name).inputs.create);
const urnOf = (stack: EvaluatedStack, type: string, name: string): string => stack.get(type, name).urn;
const dependsOn = (step: RecordedResource, urn: string) => step.dependencies.includes(urn);

function prometheus(runtime: Runtime, imageRepository = "prom/prometheus") {
    return declare(runtime, ({ require, placed }) => {
        const { PrometheusService } = require("../../components/prometheus/prometheusService") as typeof import("../components/prometheus/prometheusService");
        new PrometheusService("prom", {
            ...placed,
            download: download("2.55.1"),
            imageRepository,
            port: 9090,
            retentionTime: "15d",
            retentionSize: "40GB",
            topology: { prometheus: "localhost:9090", alertmanager: "localhost:9093", nodes: [], flaskApp: [], extraJobs: [] },
            rules: {
                scrapeInterval: "15s",
                evaluationInterval: "15s",
                flaskAppMetrics: false,
                thresholds: alertThresholdsFrom(defaultSettings()),
            },
        });
    });
}

describe("PrometheusService", () => {
    it("should stage the release, its unit and its configuration, install it under systemd, and check with the host's promtool", async () => {
        const stack = await prometheus("systemd");
        expect(named(stack, "prom")).toEqual([
            "command:remote:Command prom-service-configure",
            "command:remote:Command prom-service-install",
            // Files computed from other resources (addresses, the password, the key) are staged from standard input.
            "command:remote:Command prom-service-stage-prometheus.client.password",
            "command:remote:Command prom-service-stage-prometheus.probe.curlrc",
            "command:remote:Command prom-service-stage-prometheus.prometheus.yml",
            "command:remote:Command prom-service-stage-prometheus.rules.availability.yml",
            "command:remote:Command prom-service-stage-prometheus.rules.hosts.yml",
            "command:remote:Command prom-service-stage-prometheus.rules.meta.yml",
            "command:remote:Command prom-service-stage-prometheus.rules.targets.yml",
            "command:remote:Command prom-service-stage-prometheus.tls.server.key",
            "command:remote:Command prom-service-stage-prometheus.web.yml",
            "command:remote:CopyToRemote prom-service-stage-prometheus.activate-config.sh",
            "command:remote:CopyToRemote prom-service-stage-prometheus.install-release.sh",
            "command:remote:CopyToRemote prom-service-stage-prometheus.service",
            "command:remote:CopyToRemote prom-service-stage-prometheus.tls.ca.crt",
            "command:remote:CopyToRemote prom-service-stage-prometheus.tls.server.crt",
            "monitoring:remote:RemoteService prom-service",
            "monitoring:services:Prometheus prom",
        ]);
        expect(create(stack, "prom-service-install")).toMatch(
            /^env BASE_URL=https:\/\/mirror\.example\/releases BINARIES='prometheus promtool' CONFIG_DIR=\/etc\/prometheus DATA_DIR=\/var\/lib\/prometheus NAME=prometheus SERVICE=prometheus SERVICE_USER=prometheus SHA256='' SHARE_DIRS='consoles console_libraries' VERSION=2\.55\.1 bash \/var\/lib\/monitoring-stack\/stage\/prometheus\.install-release\.sh # inputs sha256:[0-9a-f]{64}$/,
        );
        expect(create(stack, "prom-service-configure")).toContain("CHECK='/usr/local/bin/promtool check config'");
        expect(staged(stack, "prom-service-stage-prometheus.service")).toContain("ExecStart=/usr/local/bin/prometheus");
        expect(staged(stack, "prom-service-stage-prometheus.prometheus.yml")).toContain("- rules/targets.yml");
    });

    it("should serve HTTPS with basic auth, scrape and alert over HTTPS with the credentials, and keep keys and passwords secret", async () => {
        const stack = await prometheus("systemd");
        expect(staged(stack, "prom-service-stage-prometheus.service")).toContain("--web.config.file=/etc/prometheus/web.yml");
        const web = staged(stack, "prom-service-stage-prometheus.web.yml");
        expect(web).toContain("cert_file: /etc/prometheus/tls/server.crt");
        expect(web).toMatch(/basic_auth_users:\n {2}monitoring: \$2b\$10\$[./A-Za-z0-9]{53}\n/);
        expect(web).not.toContain(webPassword);
        expect(staged(stack, "prom-service-stage-prometheus.tls.server.key")).toBe(hostKey);
        const config = staged(stack, "prom-service-stage-prometheus.prometheus.yml");
        for (const job of ["prometheus", "alertmanager", "node"]) {
            expect(config).toContain(
                `- job_name: ${job}\n    scheme: https\n    basic_auth:\n      username: monitoring\n      password_file: /etc/prometheus/client.password\n    tls_config:\n      ca_file: /etc/prometheus/tls/ca.crt\n`,
            );
        }
        expect(config).toContain("alertmanagers:\n    - scheme: https\n");
        expect(config).not.toContain(webPassword);
        expect(staged(stack, "prom-service-stage-prometheus.client.password")).toBe(webPassword);
        expect(staged(stack, "prom-service-stage-prometheus.probe.curlrc")).toContain(`user = "monitoring:${webPassword}"`);
        // Secret: the files that hold a key, a password or its hash. Plain: prometheus.yml and the rules, which a preview shows line by line.
        const secrets = ["tls.server.key", "client.password", "web.yml", "probe.curlrc", "prometheus.yml", "rules.hosts.yml"].map((file) => ({
            file,
            secret: stack.get("command:remote:Command", `prom-service-stage-prometheus.${file}`).secretInputs.includes("stdin"),
        }));
        expect(secrets).toEqual([
            { file: "tls.server.key", secret: true },
            { file: "client.password", secret: true },
            { file: "web.yml", secret: true },
            { file: "probe.curlrc", secret: true },
            { file: "prometheus.yml", secret: false },
            { file: "rules.hosts.yml", secret: false },
        ]);
        expect(stack.get("command:remote:Command", "prom-service-configure").secretInputs).not.toContain("create");
        expect(stack.get("command:remote:CopyToRemote", "prom-service-stage-prometheus.tls.ca.crt").secretInputs).not.toContain("source");
        expect(create(stack, "prom-service-configure")).toContain("SCHEME=https");
    });

    it("should run the image of the same version in Docker, after Docker's install, and check with the image's promtool", async () => {
        const stack = await prometheus("docker");
        expect(named(stack, "prom")).toContain("command:remote:CopyToRemote prom-service-stage-prometheus.run.sh");
        expect(named(stack, "prom").filter((r) => /install-release|\.service$/.test(r))).toEqual([]);
        expect(staged(stack, "prom-service-stage-prometheus.run.sh")).toContain("docker run --detach \\\n        --name prometheus");
        expect(staged(stack, "prom-service-stage-prometheus.run.sh")).toContain("prom/prometheus:v2.55.1 \\\n");
        expect(create(stack, "prom-service-configure")).toContain(
            "CHECK='docker run --rm --network none --user 0:0 --volume /var/lib/monitoring-stack:/var/lib/monitoring-stack:ro --entrypoint /bin/promtool prom/prometheus:v2.55.1 check config'",
        );
        expect(create(stack, "prom-service-configure")).toContain("CONTAINER=prometheus");
        expect(staged(stack, "prom-service-stage-prometheus.run.sh")).toContain("--web.config.file=/etc/prometheus/web.yml");
        const dockerInstalled = urnOf(stack, "command:remote:Command", "host-docker-install");
        expect(dependsOn(stack.get("command:remote:CopyToRemote", "prom-service-stage-prometheus.run.sh"), dockerInstalled)).toBe(true);
    });

    it("should pin the image by digest when the repository names one", async () => {
        const stack = await prometheus("docker", `registry.example.com:5000/prom/prometheus@${digest}`);
        expect(staged(stack, "prom-service-stage-prometheus.run.sh")).toContain(`registry.example.com:5000/prom/prometheus@${digest} \\\n`);
        expect(create(stack, "prom-service-configure")).toContain(
            `--entrypoint /bin/promtool registry.example.com:5000/prom/prometheus@${digest} check config`,
        );
    });
});

function alertmanager(runtime: Runtime) {
    return declare(runtime, ({ require, placed }) => {
        const { AlertmanagerService } =
            require("../../components/alertmanager/alertmanagerService") as typeof import("../components/alertmanager/alertmanagerService");
        new AlertmanagerService("am", { ...placed, download: download("0.27.0"), imageRepository: "prom/alertmanager", port: 9093, config: "route: {}\n" });
    });
}

describe("AlertmanagerService", () => {
    it("should check alertmanager.yml with the host's amtool under systemd", async () => {
        const stack = await alertmanager("systemd");
        expect(create(stack, "am-service-configure")).toContain("CHECK='/usr/local/bin/amtool check-config'");
        expect(create(stack, "am-service-install")).toContain("BINARIES='alertmanager amtool'");
        expect(staged(stack, "am-service-stage-alertmanager.alertmanager.yml")).toBe("route: {}\n");
    });

    it("should check it with the image's amtool in Docker, and reload with SIGHUP", async () => {
        const stack = await alertmanager("docker");
        expect(create(stack, "am-service-configure")).toContain("--entrypoint /bin/amtool prom/alertmanager:v0.27.0 check-config");
        expect(create(stack, "am-service-configure")).toContain("CONTAINER=alertmanager");
        expect(staged(stack, "am-service-stage-alertmanager.run.sh")).toContain("--web.config.file=/etc/alertmanager/web.yml");
        expect(staged(stack, "am-service-stage-alertmanager.alertmanager.yml")).toBe("route: {}\n");
    });
});

function nodeExporter(runtime: Runtime) {
    return declare(runtime, ({ require, placed }) => {
        const { NodeExporterService } =
            require("../../components/nodeExporter/nodeExporterService") as typeof import("../components/nodeExporter/nodeExporterService");
        new NodeExporterService("ne", {
            ...placed,
            download: download("1.8.2"),
            imageRepository: "prom/node-exporter",
            port: 9100,
            collectors: ["systemd", "processes"],
        });
    });
}

describe("NodeExporterService", () => {
    it("should install the release with its collectors under systemd, and its web configuration without a checking tool or a reload", async () => {
        const stack = await nodeExporter("systemd");
        expect(named(stack, "ne")).toEqual([
            "command:remote:Command ne-service-configure",
            "command:remote:Command ne-service-install",
            "command:remote:Command ne-service-stage-node_exporter.probe.curlrc",
            "command:remote:Command ne-service-stage-node_exporter.tls.server.key",
            "command:remote:Command ne-service-stage-node_exporter.web.yml",
            "command:remote:CopyToRemote ne-service-stage-node_exporter.activate-config.sh",
            "command:remote:CopyToRemote ne-service-stage-node_exporter.install-release.sh",
            "command:remote:CopyToRemote ne-service-stage-node_exporter.service",
            "command:remote:CopyToRemote ne-service-stage-node_exporter.tls.ca.crt",
            "command:remote:CopyToRemote ne-service-stage-node_exporter.tls.server.crt",
            "monitoring:remote:RemoteService ne-service",
            "monitoring:services:NodeExporter ne",
        ]);
        const unit = staged(stack, "ne-service-stage-node_exporter.service");
        expect(unit).toContain("--web.config.file=/etc/node_exporter/web.yml \\\n    --collector.processes \\\n    --collector.systemd");
        const configure = create(stack, "ne-service-configure");
        expect(configure).not.toContain("CHECK=");
        expect(configure).not.toContain("RELOAD_METRIC=");
        expect(configure).toContain("READY_PATH=/metrics");
    });

    it("should run the image of the same version in Docker with the same collectors and the host's D-Bus", async () => {
        const stack = await nodeExporter("docker");
        expect(named(stack, "ne")).toContain("command:remote:CopyToRemote ne-service-stage-node-exporter.run.sh");
        expect(named(stack, "ne")).toContain("command:remote:Command ne-service-stage-node-exporter.web.yml");
        const run = staged(stack, "ne-service-stage-node-exporter.run.sh");
        expect(run).toContain("prom/node-exporter:v1.8.2");
        expect(run).toContain("--collector.processes \\\n        --collector.systemd");
        expect(run).toContain("--volume /run/dbus/system_bus_socket:/var/run/dbus/system_bus_socket:ro");
    });
});

function grafana(runtime: Runtime) {
    return declare(runtime, ({ require, placed, pulumi }) => {
        const { GrafanaService } = require("../../components/grafana/grafanaService") as typeof import("../components/grafana/grafanaService");
        new GrafanaService("gf", {
            ...placed,
            version: "11.3.1",
            aptUrl: "https://apt.example/grafana",
            aptKeyUrl: "https://apt.example/grafana/gpg.key",
            imageRepository: "grafana/grafana-oss",
            port: 3000,
            adminPassword: pulumi.secret("a-long-admin-password"),
        });
    });
}

describe("GrafanaService", () => {
    it("should install the apt package of the version under systemd, the password on standard input as a secret", async () => {
        const stack = await grafana("systemd");
        const install = stack.get("command:remote:Command", "gf-service-install");
        expect(String(install.inputs.create)).toContain("VERSION=11.3.1");
        expect(install.inputs.stdin).toBe("a-long-admin-password");
        expect(install.secretInputs).toContain("stdin");
        expect(String(install.inputs.create)).not.toContain("a-long-admin-password");
    });

    it("should run the image of the same version in Docker, the password on standard input as a secret", async () => {
        const stack = await grafana("docker");
        const install = stack.get("command:remote:Command", "gf-service-install");
        expect(staged(stack, "gf-service-stage-grafana.run.sh")).toContain("grafana/grafana-oss:11.3.1");
        expect(install.inputs.stdin).toBe("a-long-admin-password");
        expect(install.secretInputs).toContain("stdin");
        const run = staged(stack, "gf-service-stage-grafana.run.sh");
        expect(run).toContain("--env GF_SERVER_PROTOCOL=https");
        expect(run).toContain("install -m 0640 -o 472 -g 0 /var/lib/monitoring-stack/stage/grafana.server.key /etc/grafana-secrets/tls/server.key");
        expect(run).toContain("curl -fsS --cacert /etc/grafana-secrets/tls/ca.crt https://localhost:3000/api/health");
        expect(staged(stack, "gf-service-stage-grafana.server.key")).toBe(hostKey);
        expect(stack.get("command:remote:Command", "gf-service-stage-grafana.server.key").secretInputs).toContain("stdin");
    });

    it("should serve HTTPS with the host's certificate under systemd, the key staged as a secret", async () => {
        const stack = await grafana("systemd");
        expect(create(stack, "gf-service-install")).toContain("PROTOCOL=https");
        expect(staged(stack, "gf-service-stage-grafana.server.crt")).toContain("BEGIN CERTIFICATE");
        expect(stack.get("command:remote:Command", "gf-service-stage-grafana.server.key").secretInputs).toContain("stdin");
    });
});

describe("RemoteService", () => {
    // The command provider sends a resource's standard input to its delete command too; a delete
    // that exits without reading it can close the session mid-send, and the provider fails with EOF.
    it.each<Runtime>(["systemd", "docker"])("should read standard input to the end in every delete of a command that takes it (%s)", async (runtime) => {
        const stack = await grafana(runtime);
        const withStdin = stack.resources.filter((r) => r.type === "command:remote:Command" && r.inputs.stdin !== undefined && r.inputs.delete !== undefined);
        expect(withStdin.map((r) => r.name)).toEqual(expect.arrayContaining(["gf-service-install", "gf-service-stage-grafana.server.key"]));
        for (const r of withStdin) {
            expect({ name: r.name, delete: String(r.inputs.delete) }).toEqual({ name: r.name, delete: expect.stringMatching(/^cat >\/dev\/null; /) });
        }
        expect(stack.get("command:remote:Command", "gf-service-stage-grafana.server.key").inputs.delete).toBe(
            "cat >/dev/null; rm -f /var/lib/monitoring-stack/stage/grafana.server.key",
        );
    });
});
