import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";

/*
 * Relabel regular expressions checked by the pinned Prometheus's own parser, before preview: the
 * regexp module Prometheus 2.55.1 compiles them with (github.com/grafana/regexp), built for WASI
 * from relabelRegexp/main.go (scripts/build-relabel-regexp.sh) and run in Node's WASI. JavaScript's
 * RegExp accepts what Prometheus refuses (lookaheads, backreferences, repeat counts over 1000) and
 * refuses what it accepts, so it is not asked.
 */

const wasmFile = path.join(__dirname, "relabelRegexp", "relabelRegexp.wasm.gz");
let compiled: WebAssembly.Module | undefined;
const verdicts = new Map<string, string>();

/** Runs the check once over `patterns`, answering one verdict per pattern: "" or Prometheus's error. */
function runCheck(patterns: readonly string[]): string[] {
    compiled ??= new WebAssembly.Module(zlib.gunzipSync(fs.readFileSync(wasmFile)));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "relabel-regexp-"));
    const input = path.join(dir, "in");
    const output = path.join(dir, "out");
    // JSON's string escapes are a subset of Go's quoted strings.
    fs.writeFileSync(input, patterns.map((p) => `${JSON.stringify(p)}\n`).join(""));
    const stdin = fs.openSync(input, "r");
    const stdout = fs.openSync(output, "w");
    // Node 20 marks WASI experimental and says so on stderr, which a preview would show as a diagnostic.
    const emitWarning = process.emitWarning;
    try {
        process.emitWarning = (() => undefined) as typeof process.emitWarning;
        const { WASI } = require("node:wasi") as typeof import("node:wasi");
        const wasi = new WASI({ version: "preview1", args: ["relabel-regexp"], env: {}, stdin, stdout, stderr: 2, returnOnExit: true });
        const code = wasi.start(new WebAssembly.Instance(compiled, wasi.getImportObject() as WebAssembly.Imports));
        if (code !== 0) throw new Error(`the relabel regexp check exited with ${code}`);
    } finally {
        process.emitWarning = emitWarning;
        fs.closeSync(stdin);
        fs.closeSync(stdout);
    }
    const lines = fs.readFileSync(output, "utf8").split("\n").slice(0, patterns.length);
    fs.rmSync(dir, { recursive: true, force: true });
    if (lines.length !== patterns.length) throw new Error(`the relabel regexp check answered ${lines.length} of ${patterns.length} patterns`);
    return lines.map((line) => JSON.parse(line) as string);
}

/**
 * Why Prometheus would refuse each pattern as a relabel regex (anchored, as relabel.NewRegexp does),
 * by pattern: "" for one it accepts. Each pattern is checked once per process.
 */
export function relabelRegexpErrors(patterns: readonly string[]): ReadonlyMap<string, string> {
    const unknown = [...new Set(patterns)].filter((p) => !verdicts.has(p));
    if (unknown.length > 0) runCheck(unknown).forEach((verdict, i) => verdicts.set(unknown[i], verdict));
    return new Map(patterns.map((p) => [p, verdicts.get(p)!]));
}
