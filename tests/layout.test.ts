import * as fs from "fs";
import * as path from "path";
import { projectDir } from "./support/stackUnderMocks";

/** The program's own TypeScript files (tests, examples and dependencies aside), relative to the project. */
function sourceFiles(dir = projectDir): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            return ["node_modules", "tests", "examples", ".lab", ".cache", ".git"].includes(entry.name) ? [] : sourceFiles(full);
        }
        return entry.name.endsWith(".ts") ? [path.relative(projectDir, full)] : [];
    });
}

/** The project files a file imports (relative imports only), resolved to paths like settings/values.ts. */
function importsOf(file: string): string[] {
    const text = fs.readFileSync(path.join(projectDir, file), "utf8");
    return [...text.matchAll(/^import [^;]*? from "(\.[^"]+)";/gms)].map((m) => {
        const target = path.normalize(path.join(path.dirname(file), m[1]));
        return fs.existsSync(path.join(projectDir, `${target}.ts`)) ? `${target}.ts` : path.join(target, "index.ts");
    });
}

describe("the layout", () => {
    const files = sourceFiles();
    const graph = new Map(files.map((file) => [file, importsOf(file)]));

    it("should resolve every relative import to a file of the project", () => {
        const missing = [...graph].flatMap(([file, targets]) => targets.filter((t) => !graph.has(t)).map((t) => `${file} -> ${t}`));
        expect(missing).toEqual([]);
    });

    it("should have no import cycle: no two files import each other, directly or through others", () => {
        const cycles: string[] = [];
        const state = new Map<string, "visiting" | "done">();
        const visit = (file: string, trail: string[]) => {
            if (state.get(file) === "done") return;
            if (state.get(file) === "visiting") {
                cycles.push([...trail.slice(trail.indexOf(file)), file].join(" -> "));
                return;
            }
            state.set(file, "visiting");
            for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
            state.set(file, "done");
        };
        files.forEach((file) => visit(file, []));
        expect(cycles).toEqual([]);
    });

    /**
     * The layers, lowest first: a file imports only files of its own layer or lower ones. The settings
     * core and the CloudWatch translator know nothing of the rest; the shared machinery (reaching hosts,
     * runtimes, web security, network exposure) knows no service; a service knows the shared parts and
     * other services' renderers; the composition (stack/) places services; a platform provides hosts
     * and hands them to the composition; index.ts picks the platform.
     */
    const layers: readonly (readonly string[])[] = [
        ["settings", "cloudwatch"],
        ["remote", "cost"],
        ["runtimes", "security", "network"],
        ["components"],
        ["stack"],
        ["platforms"],
        ["index.ts", "scripts"],
    ];
    // A service's settings slice (`*.settings.ts`) and its module (`*.module.ts`) live in its folder, but the
    // slice is plain data of the settings core, and the module is the service's part of the composition.
    const layerOf = (file: string) =>
        file.endsWith(".settings.ts")
            ? 0
            : file.endsWith(".module.ts")
              ? layers.findIndex((folders) => folders.includes("stack"))
              : layers.findIndex((folders) => folders.includes(file.split("/")[0]));

    it("should place every source file in a layer", () => {
        expect(files.filter((file) => layerOf(file) < 0)).toEqual([]);
    });

    it("should import nothing from a higher layer", () => {
        const upward = [...graph].flatMap(([file, targets]) => targets.filter((t) => layerOf(t) > layerOf(file)).map((t) => `${file} -> ${t}`));
        expect(upward).toEqual([]);
    });

    it("should have no file and folder of the same name", () => {
        const clashes = files.filter((file) => fs.existsSync(path.join(projectDir, file.replace(/\.ts$/, ""))));
        expect(clashes).toEqual([]);
    });

    const serviceFolders = fs.readdirSync(path.join(projectDir, "components"));
    it("should keep each service in a folder of its own under components/", () => {
        expect(serviceFolders.sort()).toEqual([
            "alertmanager",
            "cloudwatchBridge",
            "flaskApp",
            "grafana",
            "nodeExporter",
            "otelCollector",
            "prometheus",
            "thanos",
            "victoriaLogs",
            "vmalert",
        ]);
        expect(files.filter((f) => f.startsWith("components/") && f.split("/").length !== 3)).toEqual([]);
    });

    it("should hold in a service's folder one ComponentResource per file, named as its type token, and otherwise pure modules", () => {
        // Readers of what lies outside the program (a dashboard download, other stacks' outputs) log and reference through the SDK.
        const inputReaders = ["components/grafana/dashboard1860.ts", "components/prometheus/metricsTargets.ts"];
        for (const file of files.filter((f) => f.startsWith("components/") && !f.endsWith(".module.ts"))) {
            const text = fs.readFileSync(path.join(projectDir, file), "utf8");
            const classes = [...text.matchAll(/^export class (\w+) extends pulumi\.ComponentResource/gm)].map((m) => m[1]);
            if (classes.length === 0) {
                expect({ file, importsPulumi: !inputReaders.includes(file) && /from "@pulumi\//.test(text) }).toEqual({ file, importsPulumi: false });
                continue;
            }
            expect({ file, classes: classes.length }).toEqual({ file, classes: 1 });
            const token = /super\("monitoring:[a-z]+:(\w+)"/.exec(text)?.[1];
            // Tokens are in URNs: the service components keep theirs (Prometheus for PrometheusService).
            expect({ file, token: token && (classes[0] === token || classes[0] === `${token}Service`) }).toEqual({ file, token: true });
        }
    });

    it("should give every service one module and one settings slice in its folder, each registered once", () => {
        const registry = fs.readFileSync(path.join(projectDir, "stack", "serviceModules.ts"), "utf8");
        const declarations = fs.readFileSync(path.join(projectDir, "settings", "declarations.ts"), "utf8");
        for (const service of serviceFolders) {
            expect({ service, module: fs.existsSync(path.join(projectDir, "components", service, `${service}.module.ts`)) }).toEqual({ service, module: true });
            expect({ service, registered: registry.split(`/components/${service}/${service}.module"`).length - 1 }).toEqual({ service, registered: 1 });
            expect({ service, slice: declarations.includes(`/components/${service}/${service}.settings"`) }).toEqual({ service, slice: true });
        }
    });

    it("should keep each settings check beside what it checks, reading only the settings' values", () => {
        const checks = files.filter((f) => /Checks\.ts$/.test(f));
        expect(checks.sort()).toEqual([
            "components/alertmanager/alertingChecks.ts",
            "components/flaskApp/flaskAppChecks.ts",
            "components/grafana/grafanaChecks.ts",
            "components/otelCollector/otelCollectorChecks.ts",
            "components/prometheus/prometheusChecks.ts",
            "components/thanos/thanosChecks.ts",
            "components/victoriaLogs/victoriaLogsChecks.ts",
            "components/vmalert/vmalertChecks.ts",
            "network/accessChecks.ts",
            "runtimes/releaseChecks.ts",
            "security/webChecks.ts",
            "settings/objectListChecks.ts",
            "settings/platformChecks.ts",
        ]);
        for (const file of checks) {
            expect({ file, imports: importsOf(file).filter((i) => i === "settings/settings.ts" || i.startsWith("stack/")) }).toEqual({ file, imports: [] });
        }
    });
});
