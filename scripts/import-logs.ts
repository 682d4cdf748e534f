// The CloudWatch Logs history into the stack's log store:
//   npm run import-logs -- --log-group /flask-app --bucket my-export-bucket --store https://<monitoring address>:9428 \
//       --ca stack-ca.crt [--export-from 30d [--export-to now]] [--prefix cloudwatch-logs/flask-app]
// With --export-from it starts create-export-task and waits for it; without, it imports what an
// export left under the prefix before. Prints what it imported per log stream. Bad input exits 2.
import * as fs from "fs";
import { importLogs } from "../cloudwatch/importLogs";
import { parseImportLogsArgs } from "../cloudwatch/importLogsArgs";

async function main(argv: string[]): Promise<number> {
    const options = parseImportLogsArgs(argv, process.env, Date.now(), (file) => fs.readFileSync(file, "utf8"));
    const report = await importLogs({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
    const rows = Object.entries(report.streams).sort(([a], [b]) => a.localeCompare(b));
    for (const [stream, counts] of rows) {
        process.stdout.write(
            `${options.logGroup}\t${stream}\t${counts.events} events from ${counts.objects} objects imported\t${counts.skipped} objects imported before\n`,
        );
    }
    const total = rows.reduce((sum, [, c]) => sum + c.events, 0);
    process.stdout.write(`${options.logGroup}: ${total} events imported from ${rows.length} streams into ${options.store.url}\n`);
    return 0;
}

main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: Error) => {
        process.stderr.write(`import-logs: ${error.message}\n`);
        process.exitCode = 2;
    },
);
