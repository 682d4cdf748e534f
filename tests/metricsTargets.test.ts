import * as yaml from "js-yaml";
import { parseMetricsTargets } from "../components/prometheus/metricsTargets";
import { evaluateStack } from "./support/stackUnderMocks";
import { committedStackUsers } from "./support/stackUsers";

const dev = committedStackUsers.dev.user;
const withStacks = (stacks: string[]) => ({ ...dev, values: { ...dev.values, metricsTargetStacks: stacks } });

describe("parseMetricsTargets", () => {
    it("should turn each entry into a scrape job", () => {
        expect(
            parseMetricsTargets("acme/shop/prod", [
                { job: "shop_api", targets: ["10.0.1.5:8080"], labels: { team: "shop" } },
                { job: "shop_worker", targets: ["10.0.1.7:9100"] },
            ]),
        ).toEqual([
            { job: "shop_api", targets: ["10.0.1.5:8080"], labels: { team: "shop" } },
            { job: "shop_worker", targets: ["10.0.1.7:9100"] },
        ]);
    });

    it.each([
        ["not a list", { job: "x" }, "must be a list of { job, targets, labels? }"],
        ["an entry without targets", [{ job: "x", targets: [] }], "entry 1 (job x): targets must be a non-empty list of host:port"],
        ["a target without a port", [{ job: "x", targets: ["10.0.0.1"] }], "targets must be a non-empty list of host:port"],
        ["a bad job name", [{ job: "shop-api", targets: ["a:1"] }], 'entry 1: job "shop-api" must be a name'],
        ["an unknown key", [{ job: "x", targets: ["a:1"], port: 1 }], "entry 1 has unknown key(s) port"],
        ["a label that is not a string", [{ job: "x", targets: ["a:1"], labels: { team: 1 } }], "labels must map label names to strings"],
    ])("should refuse %s, naming the stack and the output", (_name, value, message) => {
        expect(() => parseMetricsTargets("acme/shop/prod", value)).toThrow(`metricsTargetStacks = "acme/shop/prod": output metricsTargets: `);
        expect(() => parseMetricsTargets("acme/shop/prod", value)).toThrow(message);
    });
});

describe("metricsTargetStacks under mocks", () => {
    it("should scrape the jobs another stack registers, and expect their targets", async () => {
        const stack = await evaluateStack(
            "dev",
            withStacks(["acme/shop/prod"]),
            {},
            {
                "acme/shop/prod": { metricsTargets: [{ job: "shop_api", targets: ["10.0.1.5:8080", "10.0.1.6:8080"], labels: { team: "shop" } }] },
            },
        );
        const config = yaml.load(stack.staged("monitoring-services-prometheus-service-stage-prometheus.prometheus.yml")) as {
            scrape_configs: { job_name: string; static_configs: unknown[] }[];
        };
        expect(config.scrape_configs.find((j) => j.job_name === "shop_api")).toEqual({
            job_name: "shop_api",
            static_configs: [{ targets: ["10.0.1.5:8080", "10.0.1.6:8080"], labels: { team: "shop" } }],
        });
        const targets = stack.staged("monitoring-services-prometheus-service-stage-prometheus.rules.targets.yml");
        expect(targets).toContain('count(up{job="shop_api"}) < 2 or absent(up{job="shop_api"})');
    });

    it("should fail before creating anything when the other stack lacks the output", async () => {
        let error: { message?: string; registered?: { type: string }[] } = {};
        await evaluateStack("dev", withStacks(["acme/empty/prod"]), {}, { "acme/empty/prod": { someOtherOutput: 1 } }).catch((e) => (error = e));
        expect(error.message).toContain('metricsTargetStacks = "acme/empty/prod": stack has no output metricsTargets');
        // A StackReference is read, not registered: nothing at all was declared.
        expect(error.registered).toEqual([]);
    });

    it("should fail, naming the stack, the output and the entry, when the output is malformed", async () => {
        await expect(
            evaluateStack("dev", withStacks(["acme/bad/prod"]), {}, { "acme/bad/prod": { metricsTargets: [{ job: "bad", targets: "10.0.0.1:80" }] } }),
        ).rejects.toThrow(
            'metricsTargetStacks = "acme/bad/prod": output metricsTargets: entry 1 (job bad): targets must be a non-empty list of host:port, got "10.0.0.1:80"',
        );
    });

    it("should refuse a job name that is already scraped", async () => {
        await expect(
            evaluateStack("dev", withStacks(["acme/clash/prod"]), {}, { "acme/clash/prod": { metricsTargets: [{ job: "node", targets: ["10.0.0.1:9100"] }] } }),
        ).rejects.toThrow("job node is already scraped for this deployment");
    });
});
