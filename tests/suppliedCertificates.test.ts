import * as fs from "fs";
import * as path from "path";
import { addressProblem, readSuppliedCertificates } from "../security/suppliedCertificates";
import { SettingsError } from "../settings/problems";
import { parseHost } from "../settings/formats";
import { evaluateStack, resolveOutput, sharedFixture, stagedText, UserSettings } from "./support/stackUnderMocks";
import { testPki } from "./support/testPki";

/*
 * tlsCertificateDir: certificates made by the real openssl, checked by the program before any
 * resource, then staged on the hosts in place of the stack's own CA and certificates.
 */
const local = ["DNS:localhost", "IP:127.0.0.1"];
const day = 86400000;
const onHosts = { platform: "hosts" as const, hosts: ["monitoring=root@10.77.0.11", "app=root@10.77.0.12"].map((h) => parseHost(h)!) };
const settings = (dir: string, overrides: Partial<Parameters<typeof readSuppliedCertificates>[0]> = {}) => ({
    tlsCertificateDir: dir,
    webTls: true,
    ...onHosts,
    ...overrides,
});

/** A directory with good certificates for the monitoring and app hosts of onHosts. */
function goodPki() {
    const pki = testPki();
    pki.issue("monitoring", { sans: [...local, "IP:10.77.0.11"] });
    pki.issue("app", { sans: [...local, "IP:10.77.0.12"] });
    return pki;
}

/** The problems readSuppliedCertificates throws, as "message" lines. */
function problemsOf(run: () => unknown): string[] {
    try {
        run();
    } catch (error) {
        if (error instanceof SettingsError) return error.problems.map((p) => `${p.key}: ${p.message} | ${p.fix}`);
        throw error;
    }
    return [];
}

describe("tlsCertificateDir", () => {
    it("should read a good directory: the CA bundle and each role's certificate, key and names", () => {
        const { dir } = goodPki();
        const warnings: string[] = [];
        const supplied = readSuppliedCertificates(settings(dir), (w) => warnings.push(w))!;
        expect(supplied.caPem).toBe(fs.readFileSync(path.join(dir, "ca.crt"), "utf8"));
        expect(Object.keys(supplied.byRole)).toEqual(["monitoring", "app"]);
        expect(supplied.byRole.app.keyPem).toContain("PRIVATE KEY");
        expect([supplied.byRole.app.covers("10.77.0.12"), supplied.byRole.app.covers("10.77.0.11"), supplied.byRole.app.covers("localhost")]).toEqual([
            true,
            false,
            true,
        ]);
        expect(warnings).toEqual([]);
    });

    it("should want one node.crt for the node hosts, naming each of their addresses", () => {
        const withNodes = { hosts: [...onHosts.hosts, ...["node=root@10.77.0.21", "node=root@10.77.0.22"].map((h) => parseHost(h)!)] };
        const pki = goodPki();
        expect(problemsOf(() => readSuppliedCertificates(settings(pki.dir, withNodes), () => undefined))).toEqual([
            expect.stringMatching(/^tlsCertificateDir: node\.crt cannot be read/),
            expect.stringMatching(/^tlsCertificateDir: node\.key cannot be read/),
        ]);
        pki.issue("node", { sans: [...local, "IP:10.77.0.21"] });
        expect(problemsOf(() => readSuppliedCertificates(settings(pki.dir, withNodes), () => undefined))).toEqual([
            expect.stringMatching(
                /^tlsCertificateDir: node\.crt does not name 10\.77\.0\.22 .*\| issue node a certificate whose subjectAltName includes IP:10\.77\.0\.22$/,
            ),
        ]);
        pki.issue("node", { sans: [...local, "IP:10.77.0.21", "IP:10.77.0.22"] });
        expect(Object.keys(readSuppliedCertificates(settings(pki.dir, withNodes), () => undefined)!.byRole)).toEqual(["monitoring", "app", "node"]);
    });

    it("should read nothing when unset or when webTls is off", () => {
        expect(readSuppliedCertificates(settings(""), () => undefined)).toBeUndefined();
        expect(readSuppliedCertificates(settings("/no/such/dir", { webTls: false }), () => undefined)).toBeUndefined();
    });

    it("should want a grafana certificate on the three-host layouts", () => {
        const { dir } = goodPki();
        expect(problemsOf(() => readSuppliedCertificates(settings(dir, { platform: "aws", hosts: [] }), () => undefined))).toEqual([
            expect.stringMatching(/^tlsCertificateDir: grafana\.crt cannot be read \(ENOENT\) \| put grafana\.crt in /),
            expect.stringMatching(/^tlsCertificateDir: grafana\.key cannot be read \(ENOENT\)/),
        ]);
    });

    const cases: [string, (pki: ReturnType<typeof testPki>) => void, RegExp][] = [
        ["a missing CA", (pki) => fs.rmSync(path.join(pki.dir, "ca.crt")), /^ca\.crt cannot be read \(ENOENT\)/],
        [
            "a key that is not the certificate's",
            (pki) => fs.copyFileSync(path.join(pki.dir, "monitoring.key"), path.join(pki.dir, "app.key")),
            /^app\.key is not the key of app\.crt/,
        ],
        [
            "a certificate from another CA",
            (pki) => pki.issue("app", { sans: [...local, "IP:10.77.0.12"], signer: "other-ca" }),
            /^app\.crt is not signed by ca\.crt \(issuer: CN=test other-ca\)/,
        ],
        [
            "an encrypted key",
            (pki) => pki.issue("app", { sans: [...local, "IP:10.77.0.12"], passphrase: "secret-pass" }),
            /^app\.key is encrypted with a passphrase/,
        ],
        [
            "a client certificate",
            (pki) => pki.issue("app", { sans: [...local, "IP:10.77.0.12"], extendedKeyUsage: "clientAuth" }),
            /^app\.crt is not for servers/,
        ],
        ["no localhost", (pki) => pki.issue("app", { sans: ["IP:10.77.0.12"] }), /^app\.crt does not name localhost/],
        [
            "not the host's address",
            (pki) => pki.issue("app", { sans: local }),
            /^app\.crt does not name 10\.77\.0\.12 \(it names DNS:localhost, IP Address:127\.0\.0\.1\)/,
        ],
        [
            "a public key in the key file",
            (pki) => fs.writeFileSync(path.join(pki.dir, "app.key"), fs.readFileSync(path.join(pki.dir, "app.crt"))),
            /^app\.key holds no private key/,
        ],
        [
            "a key in the certificate file",
            (pki) => fs.copyFileSync(path.join(pki.dir, "app.key"), path.join(pki.dir, "app.crt")),
            /^app\.crt holds a private key beside the certificate/,
        ],
        [
            "a certificate bundled with its key",
            (pki) => fs.appendFileSync(path.join(pki.dir, "app.crt"), fs.readFileSync(path.join(pki.dir, "app.key"))),
            /^app\.crt holds a private key beside the certificate; certificates are staged in plain text/,
        ],
        [
            "the CA's key in ca.crt",
            (pki) => fs.appendFileSync(path.join(pki.dir, "ca.crt"), fs.readFileSync(path.join(pki.dir, "ca.key"))),
            /^ca\.crt holds a private key beside the CA certificate; the stack publishes ca\.crt \(stack output tlsCaCertificate\)/,
        ],
        [
            "an RSA key of 1024 bits",
            (pki) => pki.issue("app", { sans: [...local, "IP:10.77.0.12"], key: ["rsa:1024"] }),
            /^app\.crt has an RSA key of 1024 bits \(at least 2048 are needed\)/,
        ],
        [
            "a key on secp256k1",
            (pki) => pki.issue("app", { sans: [...local, "IP:10.77.0.12"], key: ["ec", "-pkeyopt", "ec_paramgen_curve:secp256k1"] }),
            /^app\.crt has an EC key on secp256k1, which TLS clients do not accept/,
        ],
        [
            "a SHA-1 signature",
            (pki) => pki.issue("app", { sans: [...local, "IP:10.77.0.12"], digest: "sha1" }),
            /^app\.crt is signed with SHA-1, which can be forged/,
        ],
        [
            "a ten-year host certificate",
            (pki) => pki.issue("app", { sans: [...local, "IP:10.77.0.12"], days: 3650 }),
            /^app\.crt lasts 3650 days .*TLS clients refuse server certificates of more than 825/,
        ],
        [
            "a CA certificate as a host's",
            (pki) => pki.issue("app", { sans: [...local, "IP:10.77.0.12"], ca: true }),
            /^app\.crt is a CA certificate \(CN=app, basicConstraints CA:TRUE\)/,
        ],
        [
            "the CA itself as a host's certificate",
            (pki) => {
                fs.copyFileSync(path.join(pki.dir, "ca.crt"), path.join(pki.dir, "app.crt"));
                fs.copyFileSync(path.join(pki.dir, "ca.key"), path.join(pki.dir, "app.key"));
            },
            /^app\.crt is a CA certificate \(CN=test ca, basicConstraints CA:TRUE\)/,
        ],
    ];
    it.each(cases)("should refuse %s, naming tlsCertificateDir, the file and a fix", (_what, spoil, message) => {
        const pki = goodPki();
        spoil(pki);
        const problems = problemsOf(() => readSuppliedCertificates(settings(pki.dir), () => undefined));
        expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^tlsCertificateDir: (${message.source.replace(/\^/g, "")})`)));
        for (const problem of problems) expect(problem).toMatch(/ \| \S/);
    });

    it("should refuse a CA that has ended, though the hosts' certificates are still valid", () => {
        const pki = testPki({ caDays: 30 });
        pki.issue("monitoring", { sans: [...local, "IP:10.77.0.11"] });
        pki.issue("app", { sans: [...local, "IP:10.77.0.12"] });
        const in45Days = new Date(Date.now() + 45 * day);
        expect(problemsOf(() => readSuppliedCertificates(settings(pki.dir), () => undefined, in45Days))).toEqual([
            expect.stringMatching(/^tlsCertificateDir: ca\.crt holds CN=test ca, which is not valid now \(valid .*\) \| put a current CA certificate/),
        ]);
    });

    it("should refuse a certificate that has ended or not begun, and warn in its last 30 days", () => {
        const { dir } = goodPki();
        const at = (days: number) => {
            const warnings: string[] = [];
            const problems = problemsOf(() => readSuppliedCertificates(settings(dir), (w) => warnings.push(w), new Date(Date.now() + days * day)));
            return { problems: problems.map((p) => p.split(" (")[0]), warnings: warnings.map((w) => w.split(" ends on ")[0]) };
        };
        expect(at(120)).toEqual({
            problems: ["tlsCertificateDir: monitoring.crt is not valid now", "tlsCertificateDir: app.crt is not valid now"],
            warnings: [],
        });
        expect(at(-2)).toEqual({
            problems: [
                "tlsCertificateDir: ca.crt holds CN=test ca, which is not valid now",
                "tlsCertificateDir: monitoring.crt is not valid now",
                "tlsCertificateDir: app.crt is not valid now",
            ],
            warnings: [],
        });
        expect(at(75)).toEqual({ problems: [], warnings: ["tlsCertificateDir: monitoring.crt", "tlsCertificateDir: app.crt"] });
    });
});

describe("tlsCertificateDir under mocks", () => {
    const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key\n-----END OPENSSH PRIVATE KEY-----\n";
    const user = (values: Record<string, unknown>): UserSettings => ({
        values: { adminCidrs: ["10.77.0.0/24"], dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json"), ...values },
        secrets: { sshPrivateKey: privateKey, grafanaAdminPassword: "a-lab-admin-password" },
    });

    it("should stage the supplied certificates, keep the keys secret and make no CA", async () => {
        const { dir } = goodPki();
        const stack = await evaluateStack(
            "dev",
            user({ platform: "hosts", hosts: ["monitoring=root@10.77.0.11", "app=root@10.77.0.12"], tlsCertificateDir: dir }),
        );
        expect(stack.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/tls:")).map((r) => r.name)).toEqual(["web-password"]);
        const staging = (suffix: string) => stack.stagings().find((r) => r.name.endsWith(suffix))!;
        const file = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
        expect(stagedText(staging("prometheus.tls.server.crt"))).toBe(file("monitoring.crt"));
        expect(stagedText(staging("prometheus.tls.ca.crt"))).toBe(file("ca.crt"));
        expect(
            stagedText(staging("node_exporter.tls.server.crt")) === file("app.crt") ||
                stagedText(stack.stagings().filter((r) => r.name.endsWith("node_exporter.tls.server.crt"))[1]) === file("app.crt"),
        ).toBe(true);
        expect(staging("prometheus.tls.server.key").secretInputs).toContain("stdin");
        expect(stagedText(staging("prometheus.tls.server.key"))).toBe(file("monitoring.key"));
        const ca = await resolveOutput(stack.outputs.tlsCaCertificate as never);
        expect(ca.value).toBe(file("ca.crt"));
    });

    it("should want a cloud host's certificate to name the host's addresses once they are known", async () => {
        const pki = testPki();
        pki.issue("monitoring", { sans: [...local, "IP:192.168.130.10"] });
        pki.issue("app", { sans: [...local, "IP:192.168.130.11", "IP:198.51.100.11"] });
        const supplied = readSuppliedCertificates({ ...settings(pki.dir), platform: "linode", hosts: [] }, () => undefined)!;
        expect(addressProblem(pki.dir, "app", supplied.byRole.app, ["192.168.130.11", "198.51.100.11"])).toBeUndefined();
        expect(addressProblem(pki.dir, "monitoring", supplied.byRole.monitoring, ["192.168.130.10", "198.51.100.10"])).toEqual({
            key: "tlsCertificateDir",
            value: pki.dir,
            message: "monitoring.crt does not name 198.51.100.10, the monitoring host's address",
            fix: "issue monitoring a certificate whose subjectAltName includes IP:198.51.100.10, or pulumi config rm tlsCertificateDir",
        });
    });
});
