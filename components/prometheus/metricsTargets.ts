import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../settings/settings";
import { builtInJobs } from "../../settings/choices";
import { isHostPort, isJobName, ScrapeJob } from "../../settings/formats";
import { SettingsError } from "../../settings/problems";

/** The output another stack exports to be scraped. */
export const metricsTargetsOutput = "metricsTargets";

const example = 'export const metricsTargets = [{ job: "shop_api", targets: ["10.0.1.5:8080"], labels: { team: "shop" } }]';

/**
 * Checks one stack's metricsTargets output: a list of { job, targets, labels? }. Pure; errors name
 * the stack, the output and the entry.
 */
export function parseMetricsTargets(stack: string, value: unknown): ScrapeJob[] {
    const fail = (message: string): never => {
        throw new SettingsError([
            { key: "metricsTargetStacks", value: stack, message: `output ${metricsTargetsOutput}: ${message}`, fix: `in stack ${stack}: ${example}` },
        ]);
    };
    if (!Array.isArray(value)) fail(`must be a list of { job, targets, labels? }, got ${JSON.stringify(value)}`);
    return (value as unknown[]).map((entry, i) => {
        const where = `entry ${i + 1}`;
        if (entry === null || typeof entry !== "object" || Array.isArray(entry)) fail(`${where} must be an object { job, targets, labels? }`);
        const e = entry as Record<string, unknown>;
        const unknownKeys = Object.keys(e).filter((k) => !["job", "targets", "labels"].includes(k));
        if (unknownKeys.length > 0) fail(`${where} has unknown key(s) ${unknownKeys.join(", ")}`);
        if (typeof e.job !== "string" || !isJobName(e.job)) fail(`${where}: job ${JSON.stringify(e.job)} must be a name of letters, digits and '_'`);
        if (!Array.isArray(e.targets) || e.targets.length === 0 || !e.targets.every((t) => typeof t === "string" && isHostPort(t))) {
            fail(`${where} (job ${String(e.job)}): targets must be a non-empty list of host:port, got ${JSON.stringify(e.targets)}`);
        }
        if (e.labels !== undefined) {
            const labels = e.labels as Record<string, unknown>;
            if (
                labels === null ||
                typeof labels !== "object" ||
                Array.isArray(labels) ||
                !Object.entries(labels).every(([k, v]) => /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) && !k.startsWith("__") && typeof v === "string")
            ) {
                fail(`${where} (job ${String(e.job)}): labels must map label names to strings`);
            }
        }
        return { job: e.job as string, targets: e.targets as string[], ...(e.labels ? { labels: e.labels as Record<string, string> } : {}) };
    });
}

/**
 * The scrape jobs other stacks register through their metricsTargets output, read with
 * StackReferences before any resource is declared. Fails, naming the stack and the output, when
 * it is missing or malformed, or when a job name is taken.
 */
export async function readMetricsTargets(settings: Pick<Settings, "metricsTargetStacks" | "extraScrapeTargets">): Promise<ScrapeJob[]> {
    const taken = new Map<string, string>([
        ...builtInJobs.map((job) => [job, "this deployment"] as [string, string]),
        ...settings.extraScrapeTargets.map((job) => [job.job, "extraScrapeTargets"] as [string, string]),
    ]);
    const jobs: ScrapeJob[] = [];
    for (const stack of settings.metricsTargetStacks) {
        const reference = new pulumi.StackReference(`metrics-targets-${stack.replace(/\//g, "-")}`, { name: stack });
        const details = await reference.getOutputDetails(metricsTargetsOutput);
        const value = details.value ?? details.secretValue;
        if (value === undefined) {
            throw new SettingsError([
                { key: "metricsTargetStacks", value: stack, message: `stack has no output ${metricsTargetsOutput}`, fix: `in stack ${stack}: ${example}` },
            ]);
        }
        for (const job of parseMetricsTargets(stack, value)) {
            if (taken.has(job.job)) {
                throw new SettingsError([
                    {
                        key: "metricsTargetStacks",
                        value: stack,
                        message: `job ${job.job} is already scraped for ${taken.get(job.job)}`,
                        fix: `rename the job in stack ${stack}`,
                    },
                ]);
            }
            taken.set(job.job, `stack ${stack}`);
            jobs.push(job);
        }
    }
    return jobs;
}
