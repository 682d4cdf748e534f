// A pull-request comment from one `pulumi preview`: per service, the files that change and what the
// host then does (reload, restart, install), then the raw diff folded below it.
//   PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json > events.jsonl   (the engine's events, a JSON line each)
//   pulumi preview --diff | tee preview.txt
//   npm run -s preview-summary -- <stack> events.jsonl preview.txt > comment.md
// Bad input exits 2.
import * as fs from "fs";
import { PreviewEvent, renderPreviewSummary, summarizePreview } from "../stack/previewSummary";

const usage = "usage: preview-summary <stack> <events.jsonl> [preview.txt]";

/** The engine's events as the CLI streams them: one JSON event per line. */
function readEventLog(file: string): PreviewEvent[] {
    return fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line, i) => {
            try {
                return JSON.parse(line) as PreviewEvent;
            } catch {
                throw new Error(
                    `${file} line ${i + 1} is not a JSON event: write it with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json > ${file}`,
                );
            }
        });
}

function main(argv: string[]): number {
    const [stack, eventLog, previewText] = argv;
    if (stack === undefined || eventLog === undefined) {
        process.stderr.write(`${usage}\n`);
        return 2;
    }
    try {
        const summary = renderPreviewSummary(stack, summarizePreview(readEventLog(eventLog)));
        const raw = previewText !== undefined ? fs.readFileSync(previewText, "utf8") : undefined;
        process.stdout.write(
            summary + (raw !== undefined ? `\n<details><summary>pulumi preview --diff</summary>\n\n\`\`\`diff\n${raw.trimEnd()}\n\`\`\`\n</details>\n` : ""),
        );
        return 0;
    } catch (error) {
        process.stderr.write(`${(error as Error).message}\n${usage}\n`);
        return 2;
    }
}

process.exitCode = main(process.argv.slice(2));
