/**
 * Jest gives each test file its own module registry, so each file that evaluates the program loads
 * its own copy of the Pulumi SDK. Two things of that copy outlive the file and keep it, and all it
 * reached, alive until the worker ends (about 45 MB a file): the inspector session the SDK opens to
 * serialize the dynamic providers' code (with the debugger enabled, it holds every script parsed
 * since), and the listeners it adds to the worker's process. Release both once the file is done.
 */
const events = ["exit", "beforeExit", "uncaughtException", "unhandledRejection"] as const;
const before = new Map(events.map((event) => [event, new Set(process.listeners(event as "exit"))]));

afterAll(async () => {
    for (const event of events) {
        for (const listener of process.listeners(event as "exit")) {
            if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
        }
    }
    const hooks = require("@pulumi/pulumi/runtime/closure/v8Hooks") as { getSessionAsync(): Promise<{ disconnect(): void }> };
    (await hooks.getSessionAsync()).disconnect();
});
