// What the translators' commands (translate-alarms, translate-dashboards) share: their options'
// values, the scrape interval, the mapping file, the --strict exit and the exit on bad input.
import * as fs from "fs";
import { builtinMappings, MetricMapping, parseMappingFile } from "../cloudwatch/metricMappings";
import type { LogGroupMapping } from "../cloudwatch/metricFilters";
import { durationPattern, durationSeconds } from "../settings/formats";

/** The value after an option at argv[i], or an error naming the option and the usage. */
export function optionValue(argv: readonly string[], i: number, option: string, usage: string): string {
    if (argv[i] === undefined || argv[i].startsWith("--")) throw new Error(`${option} needs a value; ${usage}`);
    return argv[i];
}

/** --sample-interval in seconds: Prometheus's scrape interval, such as 15s. */
export function sampleIntervalSeconds(value: string): number {
    if (!durationPattern.test(value) || durationSeconds(value) < 1)
        throw new Error(`--sample-interval ${value}: give Prometheus's scrape interval, such as 15s`);
    return durationSeconds(value);
}

/** The user's mappings (--mappings) before the built-in ones, and the file's log groups. */
export function readMappings(file: string | undefined): { mappings: MetricMapping[]; logGroups: LogGroupMapping[] } {
    const mappingFile = file ? parseMappingFile(fs.readFileSync(file, "utf8"), file) : { metrics: [], logGroups: [] };
    return { mappings: [...mappingFile.metrics, ...builtinMappings()], logGroups: mappingFile.logGroups };
}

/** The exit status: 1 under --strict when anything was approximated or not translated, else 0. */
export function strictStatus(strict: boolean, counts: { readonly approximated: number; readonly notTranslated: number }): number {
    return strict && counts.approximated + counts.notTranslated > 0 ? 1 : 0;
}

/** Runs a command's main; bad input exits 2 with the command's name and the message. */
export function runCommand(name: string, main: (argv: string[]) => number): void {
    try {
        process.exitCode = main(process.argv.slice(2));
    } catch (error) {
        process.stderr.write(`${name}: ${(error as Error).message}\n`);
        process.exitCode = 2;
    }
}
