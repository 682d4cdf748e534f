// CloudWatch alarms to Prometheus rules:
//   npm run translate-alarms -- describe-alarms.json [--mappings my-mappings.yml] [--severity warning] [--strict] > rules.yml
// The rules go to standard output, the report (what was approximated, what was not translated and
// why) to standard error. --strict exits 1 when any alarm was not translated; bad input exits 2.
import * as fs from "fs";
import { builtinMappings, parseMappings } from "../cloudwatch/metricMappings";
import { formatReport, parseDescribeAlarms, translateAlarms } from "../cloudwatch/translateAlarms";

function main(argv: string[]): number {
    let input: string | undefined;
    let mappingsFile: string | undefined;
    let severity = "warning";
    let strict = false;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--strict") strict = true;
        else if (arg === "--mappings") mappingsFile = argv[++i];
        else if (arg === "--severity") severity = argv[++i];
        else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}`);
        else if (input === undefined) input = arg;
        else throw new Error(`unexpected argument ${arg}`);
    }
    if (!input) {
        throw new Error("usage: translate-alarms <describe-alarms.json> [--mappings file.yml] [--severity warning] [--strict]");
    }
    if (!/^(none|info|warning|critical)$/.test(severity)) {
        throw new Error(`--severity ${severity}: use none, info, warning or critical`);
    }
    const doc = parseDescribeAlarms(fs.readFileSync(input, "utf8"), input);
    const mappings = [...(mappingsFile ? parseMappings(fs.readFileSync(mappingsFile, "utf8"), mappingsFile) : []), ...builtinMappings()];
    const translation = translateAlarms(doc, { mappings, severity });
    process.stdout.write(translation.rules);
    process.stderr.write(formatReport(translation));
    return strict && translation.unsupported.length > 0 ? 1 : 0;
}

try {
    process.exitCode = main(process.argv.slice(2));
} catch (error) {
    process.stderr.write(`translate-alarms: ${(error as Error).message}\n`);
    process.exitCode = 2;
}
