import * as fs from "fs";
import * as path from "path";
import { evaluateStack, EvaluatedStack, projectDir, resolveOutput } from "./support/stackUnderMocks";
import { committedStackUsers } from "./support/stackUsers";

/** The output contract, parsed from docs/outputs.md. */
function contract(): { name: string; type: string; secret: boolean }[] {
    const doc = fs.readFileSync(path.join(projectDir, "docs", "outputs.md"), "utf8");
    const table = doc.slice(doc.indexOf("<!-- output-contract:start -->"), doc.indexOf("<!-- output-contract:end -->"));
    return table
        .split("\n")
        .filter((line) => line.startsWith("| `"))
        .map((line) => {
            const [name, type, secret] = line
                .split("|")
                .slice(1, 4)
                .map((cell) => cell.trim());
            return { name: name.replace(/`/g, ""), type, secret: secret === "yes" };
        });
}

const stackFiles = fs
    .readdirSync(projectDir)
    .filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f))
    // The lab's own stack (scripts/lab-deploy.sh) is local and never committed (.gitignore).
    .filter((f) => f !== "Pulumi.lab.yaml")
    .map((f) => f.replace(/^Pulumi\.|\.yaml$/g, ""))
    .sort();

describe("committed stacks", () => {
    it("should be dev, aws-dev and prod, each with the values a user sets listed for the tests", () => {
        expect(stackFiles).toEqual(["aws-dev", "dev", "prod"]);
        expect(Object.keys(committedStackUsers).sort()).toEqual(stackFiles);
    });

    it("should hold no secret in plain text and no encrypted value", () => {
        for (const stack of stackFiles) {
            const text = fs.readFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), "utf8");
            expect({ stack, secure: /secure:/.test(text) }).toEqual({ stack, secure: false });
            expect(text).not.toMatch(/(Password|PrivateKey|RoutingKey|WebhookUrl|AccessKey)\s*:/i);
        }
    });
});

describe.each(stackFiles)("stack %s under mocks", (stack) => {
    let evaluated: EvaluatedStack;
    beforeAll(async () => {
        const { user, invokes } = committedStackUsers[stack];
        evaluated = await evaluateStack(stack, user, invokes);
    });

    it("should export exactly the outputs of docs/outputs.md, with their types and secrecy", async () => {
        const expected = contract();
        expect(Object.keys(evaluated.outputs).sort()).toEqual(expected.map((o) => o.name).sort());
        for (const output of expected) {
            const raw = evaluated.outputs[output.name];
            const { value, secret } = typeof raw === "string" ? { value: raw, secret: false } : await resolveOutput(raw as never);
            if (output.type === "string") expect({ name: output.name, type: typeof value }).toEqual({ name: output.name, type: "string" });
            else expect(Object.values(value as object).every((v) => typeof v === "string")).toBe(true);
            expect({ name: output.name, secret }).toEqual({ name: output.name, secret: output.secret });
        }
    });
});

describe("what each stack proves", () => {
    it("dev: Linode, small and short-lived", async () => {
        const dev = await evaluateStack("dev", committedStackUsers.dev.user);
        expect(dev.get("linode:index/instance:Instance", "monitoring-instance").inputs.type).toBe("g6-standard-2");
        expect(dev.get("linode:index/volume:Volume", "monitoring-data").inputs.size).toBe(20);
    });

    it("prod: Linode, larger, 90 days of data on a 200 GB volume, alert email", async () => {
        const prod = await evaluateStack("prod", committedStackUsers.prod.user);
        expect(prod.get("linode:index/instance:Instance", "monitoring-instance").inputs).toMatchObject({ type: "g6-standard-8", label: "mon-prod-mon" });
        expect(prod.get("linode:index/volume:Volume", "monitoring-data").inputs.size).toBe(200);
        const unit = prod.staged("monitoring-services-prometheus-service-stage-prometheus.service");
        expect(unit).toContain("--storage.tsdb.retention.time=90d");
        const alertmanager = prod.staged("monitoring-services-alertmanager-service-stage-alertmanager.alertmanager.yml");
        expect(alertmanager).toContain("smtp_smarthost: smtp.example.com:587");
        const firewall = prod.get("linode:index/firewall:Firewall", "monitoring-firewall").inputs.inbounds as { ports: string; ipv4s?: string[] }[];
        expect(firewall.find((r) => r.ports === "3000")!.ipv4s).toEqual(["198.51.100.0/24"]);
    });
});
