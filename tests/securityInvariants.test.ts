import * as yaml from "js-yaml";
import { evaluateStack, EvaluatedStack, RecordedResource, stagedText } from "./support/stackUnderMocks";
import { everyOptionalService } from "./support/stackUsers";
import type { Exposure, HostRole } from "../network/exposure";
import { exposureTable } from "../stack/exposureTables";
import { replicaHosts } from "../stack/placementPlan";
import { passwordlessReach } from "../stack/platformExposure";

/**
 * The security invariants of everything the stack writes to a host or opens in a network, checked on
 * every rendered file of configurations that turn every optional service on, under both runtimes and
 * on every platform. One place, so that a weakened renderer fails here whichever service it belongs to:
 * - every web endpoint and every TLS client speaks TLS 1.2 or newer;
 * - peers that authenticate each other (Alertmanager gossip, Thanos gRPC) require a client
 *   certificate signed by the stack's CA;
 * - basic-auth hashes are bcrypt of cost 10 or more;
 * - every file computed from the stack's secrets is staged readable by root alone (umask 077), and
 *   no file staged from text the program knows (a CopyToRemote) holds a key or a password;
 * - no firewall rule or security group admits the whole internet unless allowWorldOpenPorts says so.
 */

/** What one staged file breaks, by its rendered text; empty when it holds to every invariant. */
type FileCheck = (name: string, text: string) => string[];

const tlsVersions = ["TLS12", "TLS13"];
const modernTls = (where: string, section: Record<string, unknown> | undefined): string[] =>
    section && !tlsVersions.includes(String(section.min_version)) ? [`${where}: min_version ${String(section.min_version)}, not TLS12 or TLS13`] : [];

/** web.yml (exporter-toolkit): TLS 1.2 or newer, bcrypt of cost 10 or more. */
const webConfigCheck: FileCheck = (name, text) => {
    if (!name.endsWith(".web.yml")) return [];
    const config = yaml.load(text) as { tls_server_config?: Record<string, unknown>; basic_auth_users?: Record<string, string> };
    const weakHashes = Object.entries(config.basic_auth_users ?? {}).filter(([, hash]) => {
        const cost = /^\$2[aby]\$(\d\d)\$/.exec(hash)?.[1];
        return cost === undefined || Number(cost) < 10;
    });
    return [...modernTls(name, config.tls_server_config), ...weakHashes.map(([user]) => `${name}: the hash of ${user} is not bcrypt of cost 10 or more`)];
};

/** Alertmanager's gossip TLS: mutual, verified against the CA, 1.2 or newer both ways. */
const gossipCheck: FileCheck = (name, text) => {
    if (!name.endsWith(".cluster.tls.yml")) return [];
    const config = yaml.load(text) as { tls_server_config?: Record<string, unknown>; tls_client_config?: Record<string, unknown> };
    const server = config.tls_server_config ?? {};
    return [
        ...(server.client_auth_type === "RequireAndVerifyClientCert" ? [] : [`${name}: client_auth_type ${String(server.client_auth_type)}`]),
        ...(server.client_ca_file ? [] : [`${name}: no client_ca_file`]),
        ...(config.tls_client_config?.cert_file ? [] : [`${name}: the client presents no certificate`]),
        ...modernTls(`${name} server`, server),
        ...modernTls(`${name} client`, config.tls_client_config ?? {}),
    ];
};

/** Thanos gRPC between hosts: a sidecar that peers reach requires their certificate; Query presents its own. */
const thanosGrpcCheck: FileCheck = (name, text) => {
    const problems: string[] = [];
    if (/thanos-sidecar\.(service|run\.sh)$/.test(name) && text.includes("--grpc-server-tls-cert")) {
        if (!text.includes("--grpc-server-tls-client-ca=")) problems.push(`${name}: gRPC over TLS without --grpc-server-tls-client-ca`);
    }
    if (name.endsWith("thanos-query.endpoints.yml")) {
        const endpoints = (yaml.load(text) as { endpoints?: { address: string; client_config?: { tls_config?: Record<string, unknown> } }[] }).endpoints ?? [];
        for (const endpoint of endpoints.filter((e) => !e.address.startsWith("localhost") && !e.address.startsWith("127."))) {
            const tls = endpoint.client_config?.tls_config ?? {};
            if (!tls.cert_file || !tls.key_file || !tls.ca_file)
                problems.push(`${name}: ${endpoint.address} is reached without a client certificate and the CA`);
        }
    }
    return problems;
};

/** Anything else that configures TLS (prometheus.yml clients, Thanos clients, Grafana's datasource): no version below 1.2. */
const noOldTlsCheck: FileCheck = (name, text) => {
    const old = /min_version["']?\s*[:=]\s*["']?(TLS1[01]|SSL\w*)/i.exec(text) ?? /--tls-min-version[= ]?(VersionTLS1[01]|1\.[01])\b/.exec(text);
    return old ? [`${name}: allows ${old[1]}`] : [];
};

const fileChecks: readonly FileCheck[] = [webConfigCheck, gossipCheck, thanosGrpcCheck, noOldTlsCheck];

/** Whether a text holds what only root may read: a private key, or a credential line of the files that carry one. */
// (A script that reads a password from its standard input, `password=$(cat)`, holds none.)
const holdsSecret = (text: string) =>
    /PRIVATE KEY-----|^\s*(password|secret_key|secret_access_key|aws_secret_access_key)\s*[:=]\s*(?!["']?\$)\S|^user = "/im.test(text);

function stagingProblems(staging: RecordedResource): string[] {
    if (staging.type === "command:remote:CopyToRemote") {
        return holdsSecret(stagedText(staging)) ? [`${staging.name}: a key or password staged by a CopyToRemote, which keeps the file's mode`] : [];
    }
    // A computed file: written with umask 077 (0600, root only) into place.
    return /^umask 077 && /.test(String(staging.inputs.create)) ? [] : [`${staging.name}: staged without umask 077: ${String(staging.inputs.create)}`];
}

const world = ["0.0.0.0/0", "::/0"];
function worldIngress(resources: readonly RecordedResource[]): string[] {
    const linode = resources
        .filter((r) => r.type === "linode:index/firewall:Firewall")
        .flatMap((r) =>
            ((r.inputs.inbounds as { ports?: string; ipv4s?: string[]; ipv6s?: string[] }[]) ?? [])
                .filter((rule) => [...(rule.ipv4s ?? []), ...(rule.ipv6s ?? [])].some((cidr) => world.includes(cidr)))
                .map((rule) => `${r.name}: port ${rule.ports} open to the world`),
        );
    const aws = resources
        .filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        .filter((r) => world.includes(String(r.inputs.cidrIpv4)) || world.includes(String(r.inputs.cidrIpv6)))
        .map((r) => `${r.name}: port ${String(r.inputs.fromPort)} open to the world`);
    return [...linode, ...aws];
}

describe.each(Object.keys(everyOptionalService))("the security invariants, %s, every optional service on", (configuration) => {
    let stack: EvaluatedStack;
    beforeAll(async () => {
        const { stack: name, user, invokes } = everyOptionalService[configuration];
        stack = await evaluateStack(name, user, invokes);
    });

    it("should render every file that configures TLS, authentication or peers to the invariants", () => {
        const files = stack.stagings().map((r) => ({ name: r.name, text: stagedText(r) }));
        // The configuration really has what the checks look at: web.yml, gossip, Thanos over mutual TLS.
        expect(files.some((f) => f.name.endsWith(".web.yml"))).toBe(true);
        expect(files.some((f) => f.name.endsWith(".cluster.tls.yml"))).toBe(true);
        expect(files.some((f) => f.name.endsWith("thanos-query.endpoints.yml"))).toBe(true);
        expect(files.flatMap((f) => fileChecks.flatMap((check) => check(f.name, f.text)))).toEqual([]);
    });

    it("should stage every file that holds a key or a password readable by root alone", () => {
        const stagings = stack.stagings();
        expect(stagings.filter((r) => holdsSecret(stagedText(r))).length).toBeGreaterThan(0);
        expect(stagings.flatMap(stagingProblems)).toEqual([]);
    });

    it("should open no port to the whole internet", () => {
        expect(worldIngress(stack.resources)).toEqual([]);
    });
});

describe("the security invariants' checks", () => {
    // Each check fails on the weakening it exists for: a check that cannot fail proves nothing.
    it("should refuse web.yml with TLS 1.0 or a cheap bcrypt hash", () => {
        const weakened = "tls_server_config:\n  min_version: TLS10\nbasic_auth_users:\n  prometheus: $2b$04$abcdefghijklmnopqrstuu\n";
        expect(webConfigCheck("x.web.yml", weakened)).toEqual([
            "x.web.yml: min_version TLS10, not TLS12 or TLS13",
            "x.web.yml: the hash of prometheus is not bcrypt of cost 10 or more",
        ]);
    });

    it("should refuse gossip whose client certificate is optional", () => {
        const weakened =
            "tls_server_config:\n  client_auth_type: VerifyClientCertIfGiven\n  client_ca_file: ca.crt\n  min_version: TLS12\ntls_client_config:\n  cert_file: peer.crt\n  min_version: TLS12\n";
        expect(gossipCheck("am.cluster.tls.yml", weakened)).toEqual(["am.cluster.tls.yml: client_auth_type VerifyClientCertIfGiven"]);
    });

    it("should refuse a computed file staged without umask 077, and a key in a CopyToRemote", () => {
        const base = { urn: "", id: "", custom: true, parent: "", dependencies: [], secretInputs: [], aliases: [] };
        const command = {
            ...base,
            type: "command:remote:Command",
            name: "x-stage-key",
            inputs: { create: "cat >/stage/key.new && mv -f /stage/key.new /stage/key", stdin: "k" },
        };
        expect(stagingProblems(command)).toHaveLength(1);
        const copy = { ...base, type: "command:remote:CopyToRemote", name: "x-stage-key", inputs: { source: { text: "-----BEGIN PRIVATE KEY-----\n" } } };
        expect(stagingProblems(copy)).toHaveLength(1);
    });

    it("should refuse a sidecar that serves gRPC over TLS without asking its peers for a certificate", () => {
        expect(thanosGrpcCheck("m-thanos-sidecar.service", "ExecStart=thanos sidecar --grpc-server-tls-cert=a --grpc-server-tls-key=b")).toHaveLength(1);
    });

    it("should refuse a firewall or security group open to the world", () => {
        const base = { urn: "", id: "", custom: true, parent: "", dependencies: [], secretInputs: [], aliases: [] };
        expect(
            worldIngress([
                { ...base, type: "linode:index/firewall:Firewall", name: "fw", inputs: { inbounds: [{ ports: "22", ipv4s: ["0.0.0.0/0"] }] } },
                { ...base, type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", name: "sg", inputs: { fromPort: 9090, cidrIpv6: "::/0" } },
            ]),
        ).toEqual(["fw: port 22 open to the world", "sg: port 9090 open to the world"]);
    });
});

describe("what answers without a password when webAuth is false", () => {
    const admin = ["203.0.113.7/32"];
    it("should name a row that opens Prometheus, Alertmanager or node_exporter beyond the stack's hosts and adminCidrs, and no other", () => {
        const table: Exposure[] = [
            {
                host: "monitoring",
                port: 9090,
                service: "prometheus",
                sources: [
                    { kind: "cidr", cidr: "203.0.113.7/32" },
                    { kind: "host", role: "app" },
                ],
            },
            { host: "monitoring", port: 9100, service: "node_exporter", sources: [{ kind: "cidr", cidr: "192.168.128.0/17" }] },
            { host: "monitoring", port: 3000, service: "grafana", sources: [{ kind: "cidr", cidr: "198.51.100.0/24" }] },
            { host: "app", port: 8080, service: "flask_app", sources: [{ kind: "cidr", cidr: "198.51.100.0/24" }] },
        ];
        expect(passwordlessReach(table, admin)).toEqual(["node_exporter on the monitoring host (port 9100, open to 192.168.128.0/17)"]);
    });

    it.each([
        ["linode", 1, 1],
        ["linode", 2, 2],
        ["aws", 1, 1],
        ["aws", 3, 3],
    ] as const)("should find none on %s with %i Prometheus and %i Alertmanager replicas", (platform, prometheusReplicas, alertmanagerReplicas) => {
        const layout = { platform, separateGrafana: platform === "aws" } as const;
        const table = exposureTable(platform, {
            adminCidrs: admin,
            viewerCidrs: ["198.51.100.0/24"],
            appCidrs: ["198.51.100.0/24"],
            grafanaEnabled: true,
            alertmanagerHosts: replicaHosts(layout, alertmanagerReplicas) as HostRole[],
            prometheusHosts: replicaHosts(layout, prometheusReplicas) as HostRole[],
            ports: {
                prometheus: 9090,
                alertmanager: 9093,
                alertmanagerCluster: 9094,
                nodeExporter: 9100,
                grafana: 3000,
                app: 8080,
                thanosQuery: 10904,
                thanosSidecarGrpc: 10901,
            },
        });
        expect(passwordlessReach(table, admin)).toEqual([]);
    });
});
