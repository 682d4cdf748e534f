import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { awsInvokes, evaluateStack, EvaluatedStack, stagedText } from "./support/stackUnderMocks";
import { awsUser, twoMachineHostsUser } from "./support/stackUsers";
import { collectorBinary, flaskAppLine, flaskAppLinesStored, localCollector, LocalLogStore, startLogStore } from "./support/logStore";
import { run, tempTree, waitFor } from "./support/tools";

/*
 * The log shipper (setting logs): an OpenTelemetry Collector on every host, from the upstream
 * otelcol-contrib release under systemd in both runtimes, reading the app's log file and the
 * journal, sending to the store with the stack's CA and credentials. Its configuration is checked
 * with the pinned release's own `validate`, and the app host's is run for real against a real
 * VictoriaLogs.
 */
const stagingOf = (stack: EvaluatedStack, name: string) => stack.stagings().find((r) => r.name === name)!;
const staged = (host: "monitoring-services" | "app", file: string) => `${host}-otel-collector-service-stage-otelcol.${file}`;

/** The pinned releases' binaries, as lab/build-releases.sh packs them in upstream's layouts. */

describe("the log shipper (logs) on hosts under systemd", () => {
    let stack: EvaluatedStack;
    beforeAll(async () => {
        stack = await evaluateStack("dev", twoMachineHostsUser({ logs: true, logsBufferSize: "256MB" }, { webPassword: "a-long-enough-web-password" }));
    });

    it("should install the upstream otelcol-contrib release on each host as the user otelcol", () => {
        const install = stack.resources.find((r) => r.name === "app-otel-collector-service-install")!;
        const create = String(install.inputs.create);
        for (const part of [
            "NAME=otelcol-contrib",
            "VERSION=0.160.0",
            "BASE_URL=https://github.com/open-telemetry/opentelemetry-collector-releases/releases/download",
            "TARBALL='otelcol-contrib_{version}_linux_{arch}.tar.gz'",
            "CHECKSUMS=opentelemetry-collector-releases_otelcol-contrib_checksums.txt",
            "BINARIES=otelcol-contrib",
            "SERVICE=otelcol",
            "SERVICE_USER=otelcol",
            "DATA_DIR=/var/lib/otelcol",
        ]) {
            expect(create).toContain(part);
        }
        expect(
            stack.resources
                .filter((r) => r.name.endsWith("otel-collector-service-install"))
                .map((r) => r.name)
                .sort(),
        ).toEqual(["app-otel-collector-service-install", "monitoring-services-otel-collector-service-install"]);
    });

    it("should read the app's log file on the app host only, and the journal on every host, each record with its host and service", () => {
        const app = yaml.load(stack.staged(staged("app", "config.yaml"))) as { receivers: Record<string, { include?: string[]; operators: unknown[] }> };
        const monitoring = yaml.load(stack.staged(staged("monitoring-services", "config.yaml"))) as typeof app;
        expect(Object.keys(app.receivers).sort()).toEqual(["file_log/flask_app", "journald"]);
        expect(Object.keys(monitoring.receivers)).toEqual(["journald"]);
        expect(app.receivers["file_log/flask_app"].include).toEqual(["/var/log/flask-app/flask-app.log"]);
        expect(app.receivers.journald.operators).toContainEqual({ type: "add", field: 'resource["host.name"]', value: "app" });
        expect(monitoring.receivers.journald.operators).toContainEqual({ type: "add", field: 'resource["host.name"]', value: "monitoring" });
    });

    it("should send to the store over HTTPS with the stack's CA, at localhost on the monitoring host and at its address elsewhere, queueing on disk without end", () => {
        const exporter = (host: "monitoring-services" | "app") =>
            (yaml.load(stack.staged(staged(host, "config.yaml"))) as { exporters: Record<string, Record<string, unknown>> }).exporters["otlp_http/store"];
        expect(exporter("monitoring-services").logs_endpoint).toBe("https://localhost:9428/insert/opentelemetry/v1/logs");
        expect(exporter("app").logs_endpoint).toBe("https://10.77.0.11:9428/insert/opentelemetry/v1/logs");
        expect(exporter("app")).toMatchObject({
            headers: { Authorization: "${env:OTELCOL_STORE_AUTHORIZATION}" },
            tls: { ca_file: "/etc/otelcol/tls/ca.crt", min_version: "1.2" },
            retry_on_failure: { enabled: true, max_elapsed_time: 0 },
            sending_queue: { enabled: true, storage: "file_storage", sizer: "bytes", queue_size: 256_000_000 },
        });
    });

    it("should keep only the credentials secret: the configuration shows in a preview, the header's file does not", () => {
        const config = stagingOf(stack, staged("app", "config.yaml"));
        const env = stagingOf(stack, staged("app", "store.env"));
        expect(config.secretInputs).not.toContain("stdin");
        expect(env.secretInputs).toContain("stdin");
        expect(stagedText(env)).toBe(`OTELCOL_STORE_AUTHORIZATION=Basic ${Buffer.from("monitoring:a-long-enough-web-password").toString("base64")}\n`);
    });

    it("should check each configuration with the pinned otelcol-contrib's validate before it goes live", () => {
        const install = stack.resources.find((r) => r.name === "app-otel-collector-service-configure")!;
        expect(String(install.inputs.create)).toContain("CHECK='/usr/local/bin/otelcol-contrib validate --config'");
        for (const host of ["monitoring-services", "app"] as const) {
            const dir = tempTree({ "config.yaml": stack.staged(staged(host, "config.yaml")) });
            const result = run(collectorBinary(), ["validate", `--config=${path.join(dir, "config.yaml")}`]);
            expect({ host, status: result.status, stderr: result.stderr }).toEqual({ host, status: 0, stderr: "" });
        }
    });

    it("should join the journal's group everywhere and the app's on the app host (its unit's syntax and exposure: tests/renderers.test.ts)", () => {
        expect(stack.staged(staged("app", "service"))).toContain("SupplementaryGroups=systemd-journal flask-app");
        expect(stack.staged(staged("monitoring-services", "service"))).toContain("SupplementaryGroups=systemd-journal\n");
    });

    it("should follow the journal: without the four directives under which journalctl --follow prints nothing, the rest of the confinement kept", () => {
        const unit = stack.staged(staged("app", "service"));
        for (const dropped of ["ProtectKernelTunables=", "ProtectControlGroups=", "ProtectProc=", "KeyringMode="]) expect(unit).not.toContain(dropped);
        for (const kept of [
            "PrivateUsers=yes",
            "ProtectSystem=strict",
            "NoNewPrivileges=yes",
            "SystemCallFilter=@system-service",
            "MemoryDenyWriteExecute=yes",
        ]) {
            expect(unit).toContain(kept);
        }
    });

    it("should stage nothing on the app host before the app's install, which makes the group it joins", () => {
        const appInstall = stack.resources.find((r) => r.name === "app-flask-app-service-install")!.urn;
        const stages = stack.stagings().filter((r) => r.name.startsWith("app-otel-collector-service-stage-"));
        expect(stages.length).toBeGreaterThan(0);
        for (const stage of stages) expect({ stage: stage.name, waits: stage.dependencies.includes(appInstall) }).toEqual({ stage: stage.name, waits: true });
    });
});

describe("the log shipper in the docker runtime", () => {
    it("should still run under systemd from the release, as its journald receiver runs the host's journalctl", async () => {
        const stack = await evaluateStack("dev", twoMachineHostsUser({ logs: true, hostsRuntime: "docker" }));
        const install = stack.resources.find((r) => r.name === "app-otel-collector-service-install")!;
        expect(String(install.inputs.create)).toContain("otelcol.install-release.sh");
        expect(stack.staged(staged("app", "service"))).toContain("ExecStart=/usr/local/bin/otelcol-contrib");
        expect(stack.stagings().filter((r) => r.name.includes("otel-collector") && r.name.endsWith(".run.sh"))).toEqual([]);
    });

    it("should have every container log to the host's journal, where the collector reads it under the container's name, and only with logs", async () => {
        const runScripts = (stack: EvaluatedStack) => stack.stagings().filter((r) => r.name.endsWith(".run.sh"));
        const on = await evaluateStack("dev", twoMachineHostsUser({ logs: true, hostsRuntime: "docker" }));
        const scripts = runScripts(on);
        expect(scripts.map((r) => r.name.split("stage-").pop()).sort()).toEqual(
            expect.arrayContaining(["alertmanager.run.sh", "node-exporter.run.sh", "prometheus.run.sh", "victoria-logs.run.sh", "vmalert.run.sh"]),
        );
        for (const script of scripts)
            expect({ script: script.name, logs: stagedText(script).includes("--log-driver journald") }).toEqual({ script: script.name, logs: true });
        const off = await evaluateStack("dev", twoMachineHostsUser({ hostsRuntime: "docker" }));
        for (const script of runScripts(off)) expect(stagedText(script)).not.toContain("--log-driver");
    });
});

describe("the log shipper on the clouds", () => {
    it("should run on every aws instance and open no port", async () => {
        const stack = await evaluateStack("aws-dev", awsUser({ logs: true }), awsInvokes);
        expect(
            stack.resources
                .filter((r) => r.type === "monitoring:services:OtelCollector")
                .map((r) => r.name)
                .sort(),
        ).toEqual(["app-otel-collector", "grafana-otel-collector", "monitoring-services-otel-collector"]);
        const rules = stack.resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && r.inputs.fromPort === 13133);
        expect(rules).toEqual([]);
    });

    it("should create nothing of it when logs is off", async () => {
        const stack = await evaluateStack("dev", twoMachineHostsUser());
        expect(stack.resources.filter((r) => r.name.includes("otel-collector"))).toEqual([]);
    });
});

describe("the app host's collector configuration, run for real against the pinned VictoriaLogs", () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "otelcol-run-"));
    const logFile = path.join(work, "flask-app.log");
    const processes: ChildProcess[] = [];
    let store: LocalLogStore;
    let healthPort = 0;
    let config = "";
    let env: Record<string, string> = {};
    const auth = { username: "monitoring", password: "a-long-enough-web-password" };

    beforeAll(async () => {
        const stack = await evaluateStack("dev", twoMachineHostsUser({ logs: true, webTls: false }, { webPassword: auth.password }));
        store = await startLogStore(work, auth);
        processes.push(store.process);
        const local = await localCollector(stack, work, logFile, store);
        expect(local.renderedEndpoint).toBe("http://10.77.0.11:9428/insert/opentelemetry/v1/logs");
        ({ config, env, healthPort } = local);
        fs.writeFileSync(logFile, "");
    });

    afterAll(() => {
        for (const p of processes) p.kill("SIGKILL");
        fs.rmSync(work, { recursive: true, force: true });
    });

    /** Starts the collector; resolves once it is healthy and its file receiver has made its first poll (healthy alone can come first). */
    const startCollector = async () => {
        const collector = spawn(collectorBinary(), [`--config=${config}`], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
        processes.push(collector);
        let log = "";
        collector.stderr!.on("data", (chunk: Buffer) => (log += chunk.toString()));
        await waitFor("the collector's health check", 30, async () => ((await fetch(`http://127.0.0.1:${healthPort}/`)).ok ? true : undefined));
        await waitFor("the file receiver's first poll", 30, async () =>
            /Started watching file|Resuming from previously known offset/.test(log) ? true : undefined,
        ).catch((e: Error) => {
            throw new Error(`${e.message}; the collector's log:\n${log}`);
        });
        return collector;
    };
    const stored = async (): Promise<Record<string, string>[]> => {
        const response = await fetch(`http://127.0.0.1:${store.port}/select/logsql/query`, {
            method: "POST",
            headers: { Authorization: store.authorization, "Content-Type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({ query: 'service.name:="flask-app" | sort by (_time)' }).toString(),
        });
        expect(response.status).toBe(200);
        return (await response.text())
            .split("\n")
            .filter((l) => l.trim() !== "")
            .map((l) => JSON.parse(l) as Record<string, string>);
    };
    /** A line as the app's logging format writes it, at a given time (the collector's host reads it in its local time). */
    const line = (at: Date, level: string, message: string) => flaskAppLine(at, level, "__main__", message);

    it("should store each record with the line's own time and severity, a traceback with its line, and lose or repeat none across a restart", async () => {
        // A line already in the file at the first start is left to the history import (start_at end), so it is not sent twice.
        fs.appendFileSync(logFile, line(new Date(Date.now() - 60_000), "INFO", "written before the collector was installed"));
        let collector = await startCollector();
        const first = new Date(Date.now() - 30_000);
        fs.appendFileSync(logFile, line(first, "INFO", "A request was received at the root URL"));
        const failed = new Date(first.getTime() + 1_234);
        fs.appendFileSync(
            logFile,
            line(failed, "ERROR", "put_metric_data failed") +
                'Traceback (most recent call last):\n  File "app.py", line 52\nbotocore.exceptions.NoCredentialsError\n',
        );
        fs.appendFileSync(logFile, line(new Date(first.getTime() + 2_000), "WARNING", "slow request"));
        const rows = await waitFor("three records", 20, async () => {
            const found = await stored();
            return found.length >= 3 ? found : undefined;
        });
        expect(rows.map((r) => [new Date(r._time).toISOString(), r.severity_text, r["host.name"], r.logger])).toEqual([
            [first.toISOString(), "INFO", "app", "__main__"],
            [failed.toISOString(), "ERROR", "app", "__main__"],
            [new Date(first.getTime() + 2_000).toISOString(), "WARNING", "app", "__main__"],
        ]);
        expect(rows[1]._msg.split("\n")).toHaveLength(4);
        expect(rows[0]._stream).toBe('{host.name="app",service.name="flask-app"}');

        // Stopped, lines written meanwhile, started again: each line once.
        collector.kill("SIGTERM");
        await new Promise((r) => collector.once("exit", r));
        for (let i = 0; i < 20; i++) fs.appendFileSync(logFile, line(new Date(first.getTime() + 3_000 + i), "INFO", `while stopped ${i}`));
        collector = await startCollector();
        const after = await waitFor("23 records", 20, async () => {
            const found = await stored();
            return found.length >= 23 ? found : undefined;
        });
        await new Promise((r) => setTimeout(r, 2_000));
        const final = await stored();
        expect(final.length).toBe(23);
        expect(new Set(final.map((r) => r._msg)).size).toBe(23);
        expect(after.length).toBe(23);
    });
});

describe("further endpoints of the logs (logsRemote)", () => {
    const remotes = [
        { url: "https://otlp-gateway.example.net/otlp", name: "grafana-cloud", username: "123456", password: "a-grafana-cloud-token" },
        { url: "https://loki.example.org/otlp", bearerToken: "a-loki-bearer-token" },
    ];
    let stack: EvaluatedStack;
    beforeAll(async () => {
        stack = await evaluateStack(
            "dev",
            twoMachineHostsUser({ logs: true }, { webPassword: "a-long-enough-web-password", logsRemote: JSON.stringify(remotes) }),
        );
    });

    it("should send to each with a queue of its own, the configuration naming only the variables of their credentials", () => {
        const config = yaml.load(stack.staged(staged("app", "config.yaml"))) as {
            exporters: Record<string, { endpoint?: string; headers?: Record<string, string>; sending_queue?: { storage: string } }>;
            service: { pipelines: { logs: { exporters: string[] } } };
        };
        expect(config.service.pipelines.logs.exporters).toEqual(["otlp_http/store", "otlp_http/grafana-cloud", "otlp_http/remote-2"]);
        expect(config.exporters["otlp_http/grafana-cloud"]).toMatchObject({
            endpoint: "https://otlp-gateway.example.net/otlp",
            headers: { Authorization: "${env:OTELCOL_REMOTE_GRAFANA_CLOUD_AUTHORIZATION}" },
            sending_queue: { storage: "file_storage" },
        });
        expect(config.exporters["otlp_http/remote-2"].headers).toEqual({ Authorization: "${env:OTELCOL_REMOTE_REMOTE_2_AUTHORIZATION}" });
        const configStaging = stagingOf(stack, staged("app", "config.yaml"));
        expect(configStaging.secretInputs).not.toContain("stdin");
        expect(stagedText(configStaging)).not.toMatch(/a-grafana-cloud-token|a-loki-bearer-token/);
        const env = stagingOf(stack, staged("app", "store.env"));
        expect(env.secretInputs).toContain("stdin");
        expect(stagedText(env).split("\n").slice(1)).toEqual([
            `OTELCOL_REMOTE_GRAFANA_CLOUD_AUTHORIZATION=Basic ${Buffer.from("123456:a-grafana-cloud-token").toString("base64")}`,
            "OTELCOL_REMOTE_REMOTE_2_AUTHORIZATION=Bearer a-loki-bearer-token",
            "",
        ]);
        const dir = tempTree({ "config.yaml": stack.staged(staged("app", "config.yaml")) });
        const result = run(collectorBinary(), ["validate", `--config=${path.join(dir, "config.yaml")}`]);
        expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
    });

    it("should deliver to a further endpoint and the store alike, the one down holding back neither the other nor its own lines", async () => {
        const work = fs.mkdtempSync(path.join(os.tmpdir(), "otelcol-remote-"));
        const auth = { username: "monitoring", password: "a-long-enough-web-password" };
        const logFile = path.join(work, "flask-app.log");
        fs.writeFileSync(logFile, "2026-12-03 10:00:00,000 INFO app before the collector\n");
        const processes: ChildProcess[] = [];
        try {
            const local = await evaluateStack(
                "dev",
                twoMachineHostsUser(
                    { logs: true, webTls: false },
                    {
                        webPassword: auth.password,
                        logsRemote: JSON.stringify([
                            { url: "https://remote.example/insert/opentelemetry", name: "second", username: "second", password: "a-second-store-password" },
                        ]),
                    },
                ),
            );
            const store = await startLogStore(path.join(work, "store"), auth);
            const second = await startLogStore(path.join(work, "second"), { username: "second", password: "a-second-store-password" });
            processes.push(store.process, second.process);
            const collectorConfig = await localCollector(local, work, logFile, store);
            // The further endpoint, moved to this machine: plain HTTP on the loopback, its OTLP base as the setting gives it.
            const rendered = yaml.load(fs.readFileSync(collectorConfig.config, "utf8")) as { exporters: Record<string, { endpoint?: string; tls?: unknown }> };
            rendered.exporters["otlp_http/second"].endpoint = `http://127.0.0.1:${second.port}/insert/opentelemetry`;
            delete rendered.exporters["otlp_http/second"].tls;
            fs.writeFileSync(collectorConfig.config, yaml.dump(rendered));
            const env = Object.fromEntries(
                stagedText(stagingOf(local, staged("app", "store.env")))
                    .trim()
                    .split("\n")
                    .map((line) => line.split(/=(.*)/s).slice(0, 2)),
            );
            processes.push(spawn(collectorBinary(), [`--config=${collectorConfig.config}`], { env: { ...process.env, ...env }, stdio: "ignore" }));
            await waitFor("the collector", 30, async () => ((await fetch(`http://127.0.0.1:${collectorConfig.healthPort}/`)).ok ? true : undefined));
            await new Promise((r) => setTimeout(r, 1_000));
            const count = flaskAppLinesStored;
            const write = (n: number, what: string) => {
                const now = new Date();
                fs.appendFileSync(logFile, Array.from({ length: n }, (_, i) => flaskAppLine(now, "INFO", "app", `${what} ${i}`)).join(""));
            };
            write(5, "both up");
            await waitFor("5 lines in each", 20, async () => ((await count(store)) === 5 && (await count(second)) === 5 ? true : undefined));
            // Stopped as systemd stops it (SIGTERM, which writes what it holds in memory).
            second.process.kill("SIGTERM");
            await new Promise((r) => second.process.once("exit", r));
            write(5, "second down");
            await waitFor("10 lines in the store while the second is down", 20, async () => ((await count(store)) === 10 ? true : undefined));
            // Back where it was: the lines written while it was down arrive from the collector's queue for it.
            const again = await startLogStore(path.join(work, "second"), { username: "second", password: "a-second-store-password" }, second.port);
            processes.push(again.process);
            await waitFor("the second's 5 lines from its queue", 60, async () => ((await count(again)) === 10 ? true : undefined));
            expect(await count(store)).toBe(10);
        } finally {
            for (const p of processes) p.kill("SIGKILL");
            fs.rmSync(work, { recursive: true, force: true });
        }
    });
});
