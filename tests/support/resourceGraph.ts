import * as fs from "fs";
import * as path from "path";
import { isStaging, RecordedResource } from "./stackUnderMocks";

/** Where the reviewed resource graphs live: one text file per scenario, a line per resource. */
const graphsDir = path.join(__dirname, "..", "fixtures", "graphs");

/** A resource graph as reviewers read it: `type name <- parent`, sorted; staged files left out (their own tests list them). */
export function resourceGraph(resources: readonly RecordedResource[]): string {
    const nameOf = (urn: string) => urn.split("::").pop() ?? "";
    return (
        resources
            .filter((r) => !isStaging(r))
            .map((r) => `${r.type} ${r.name} <- ${nameOf(r.parent) || "(stack)"}`)
            .sort()
            .join("\n") + "\n"
    );
}

/**
 * The reviewed graph of a scenario (tests/fixtures/graphs/<scenario>.txt). A change to the graph
 * shows in a pull request as lines of that file: rewrite it with UPDATE_GRAPHS=1 npm test after
 * reviewing the difference the failing test prints.
 */
export function reviewedGraph(scenario: string, actual: string): string {
    const file = path.join(graphsDir, `${scenario}.txt`);
    if (process.env.UPDATE_GRAPHS === "1") fs.writeFileSync(file, actual);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: write it with UPDATE_GRAPHS=1 npm test, review it, and commit it`);
    return fs.readFileSync(file, "utf8");
}
