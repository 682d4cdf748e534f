import { evaluateStack } from "./support/stackUnderMocks";
import { committedStackUsers, everyOptionalService } from "./support/stackUsers";
import { resourceGraph, reviewedGraph } from "./support/resourceGraph";

/**
 * The resource graph of every committed stack and of every configuration with all optional services
 * on, kept as reviewed text files (tests/fixtures/graphs/): a change to what the program declares
 * shows in a pull request as lines of those files, where a reviewer reads which resource appears,
 * goes or moves under another parent.
 */
const scenarios: Record<string, () => ReturnType<typeof evaluateStack>> = {
    ...Object.fromEntries(
        Object.entries(committedStackUsers).map(([stack, { user, invokes }]) => [`stack-${stack}`, () => evaluateStack(stack, user, invokes)]),
    ),
    ...Object.fromEntries(
        Object.entries(everyOptionalService).map(([name, { stack, user, invokes }]) => [`every-service-${name}`, () => evaluateStack(stack, user, invokes)]),
    ),
};

describe.each(Object.keys(scenarios))("the resource graph of %s", (scenario) => {
    it("should be the reviewed one", async () => {
        const graph = resourceGraph((await scenarios[scenario]()).resources);
        expect(graph).toBe(reviewedGraph(scenario, graph));
    });
});
