import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { runWasiCommand } from "../../settings/wasiCommand";

/*
 * Relabel regular expressions checked by the pinned Prometheus's own parser, before preview: the
 * regexp module Prometheus 2.55.1 compiles them with (github.com/grafana/regexp), built for WASI
 * from relabelRegexp/main.go (scripts/build-relabel-regexp.sh) and run in this process (settings/wasiCommand.ts). JavaScript's
 * RegExp accepts what Prometheus refuses (lookaheads, backreferences, repeat counts over 1000) and
 * refuses what it accepts, so it is not asked.
 */

const wasmFile = path.join(__dirname, "relabelRegexp", "relabelRegexp.wasm.gz");
let compiled: WebAssembly.Module | undefined;
const verdicts = new Map<string, string>();

/** Runs the check once over `patterns`, answering one verdict per pattern: "" or Prometheus's error. */
function runCheck(patterns: readonly string[]): string[] {
    compiled ??= new WebAssembly.Module(zlib.gunzipSync(fs.readFileSync(wasmFile)));
    // JSON's string escapes are a subset of Go's quoted strings.
    const input = Buffer.from(patterns.map((p) => `${JSON.stringify(p)}\n`).join(""));
    const { code, stdout, stderr } = runWasiCommand(compiled, "relabel-regexp", input);
    if (code !== 0) throw new Error(`the relabel regexp check exited with ${code}: ${stderr.toString("utf8").trim()}`);
    const lines = stdout.toString("utf8").split("\n").slice(0, patterns.length);
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
