import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import { relabelRegexpErrors } from "../components/prometheus/relabelRegexpCheck";
import { settingDefault } from "../settings/schema";
import { pinnedPromtool, run, tempTree } from "./support/tools";

/*
 * Relabel regexes are checked before preview by the pinned Prometheus's own regexp module, built
 * for WASI. Proven against the real pinned promtool on patterns where JavaScript and Go part ways,
 * and the committed build against a rebuild from its source.
 */
const patterns = [
    "node_.*|up|flask_.*",
    "node_(",
    "(?=lookahead)",
    "(?!negative)",
    "(?<=behind)x",
    "(a)\\1",
    "a{1001}",
    "a{2,1000}",
    "\\d+",
    "[[:alpha:]]+",
    "(?P<name>x)",
    "(?<name>x)",
    "\\p{Greek}+",
    "\\u0041",
    "\\Qa.b\\E",
    "x**",
    "(?i)NODE_.*",
    "[z-a]",
    "\\z",
    "",
];

/** promtool check config's verdict on a prometheus.yml with the pattern as a write relabel regex. */
function promtoolAccepts(promtool: string, pattern: string): boolean {
    const config = {
        global: { scrape_interval: "15s" },
        remote_write: [
            { url: "https://receiver.example/api/v1/write", write_relabel_configs: [{ source_labels: ["__name__"], regex: pattern, action: "keep" }] },
        ],
    };
    const dir = tempTree({ "prometheus.yml": yaml.dump(config) });
    const result = run(promtool, ["check", "config", "--syntax-only", path.join(dir, "prometheus.yml")]);
    return result.status === 0;
}

describe("relabel regexes checked by the pinned Prometheus's parser", () => {
    it("should accept and refuse exactly what the pinned promtool does", () => {
        const promtool = pinnedPromtool(settingDefault("prometheusVersion") as string);
        const verdicts = relabelRegexpErrors(patterns);
        const ours = patterns.map((p) => [p, verdicts.get(p) === ""]);
        const promtools = patterns.map((p) => [p, promtoolAccepts(promtool, p)]);
        expect(ours).toEqual(promtools);
        // The cases this exists for: JavaScript accepts a lookahead, a backreference and a huge repeat count; Prometheus does not.
        const javascriptAccepts = (p: string) => {
            try {
                new RegExp(`^(?:${p})$`);
                return true;
            } catch {
                return false;
            }
        };
        expect(["(?=lookahead)", "(a)\\1", "a{1001}"].map((p) => [javascriptAccepts(p), verdicts.get(p) === ""])).toEqual([
            [true, false],
            [true, false],
            [true, false],
        ]);
        expect(verdicts.get("(?=lookahead)")).toBe("error parsing regexp: invalid or unsupported Perl syntax: `(?=`");
    });

    it("should be the build of its source: the same bytes when rebuilt", () => {
        const rebuilt = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "relabel-regexp-")), "relabelRegexp.wasm.gz");
        const result = run("bash", [path.join(__dirname, "..", "scripts", "build-relabel-regexp.sh"), rebuilt]);
        // Go says what it fetched the first time (the pinned toolchain, the modules); anything else is a warning.
        const warnings = result.stderr.split("\n").filter((line) => line !== "" && !line.startsWith("go: downloading "));
        expect({ status: result.status, warnings }).toEqual({ status: 0, warnings: [] });
        const sha = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
        expect(sha(rebuilt)).toBe(sha(path.join(__dirname, "..", "components", "prometheus", "relabelRegexp", "relabelRegexp.wasm.gz")));
    });
});
