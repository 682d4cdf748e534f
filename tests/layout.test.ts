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

    it("should hold only ComponentResources in components/, one per file, each class named as its type token", () => {
        // The one shared building block: the instance, firewall and readiness both Linode hosts are made of.
        const sharedParts = ["components/linodeInstance.ts"];
        for (const file of files.filter((f) => f.startsWith("components/") && !sharedParts.includes(f))) {
            const text = fs.readFileSync(path.join(projectDir, file), "utf8");
            const classes = [...text.matchAll(/^export class (\w+) extends pulumi\.ComponentResource/gm)].map((m) => m[1]);
            expect({ file, classes: classes.length }).toEqual({ file, classes: 1 });
            const token = /super\("monitoring:[a-z]+:(\w+)"/.exec(text)?.[1];
            // Tokens are in URNs: MonitoringServices and the service components keep theirs.
            expect({ file, token: token && (classes[0] === token || classes[0] === `${token}Service`) }).toEqual({ file, token: true });
        }
    });

    it("should keep validation split by concern, each validator reading only the settings' values", () => {
        const validators = fs.readdirSync(path.join(projectDir, "settings", "validate"));
        expect(validators.sort()).toEqual(["access.ts", "alerting.ts", "app.ts", "grafana.ts", "platform.ts", "prometheus.ts", "thanos.ts", "web.ts"]);
        for (const file of validators) {
            const imports = importsOf(path.join("settings", "validate", file));
            expect(imports.filter((i) => i.startsWith("settings/settings") || i.startsWith("settings/validate"))).toEqual([]);
        }
    });
});
