import { lookalikeNote } from "./lookalikes";

/** One bad setting: which key, the value seen, what is wrong and how to fix it. */
export interface SettingProblem {
    readonly key: string;
    readonly value: unknown;
    readonly message: string;
    readonly fix: string;
}

/** Thrown before any resource is created when settings are bad; lists every problem at once. */
export class SettingsError extends Error {
    readonly problems: readonly SettingProblem[];

    constructor(problems: readonly SettingProblem[]) {
        // A key or value with a character that only looks like ASCII says so: otherwise the problem is invisible.
        problems = problems.map((p) => {
            const note = lookalikeNote(`${p.key}${typeof p.value === "string" ? p.value : Array.isArray(p.value) ? p.value.join(" ") : ""}`);
            return note === "" ? p : { ...p, message: `${p.message} (${note})` };
        });
        super(
            `${problems.length} bad setting${problems.length === 1 ? "" : "s"}; nothing was created or changed:\n` +
                problems.map((p) => `  - ${p.key} = ${JSON.stringify(p.value)}: ${p.message}. Fix: ${p.fix}`).join("\n"),
        );
        this.problems = problems;
        this.name = "SettingsError";
    }
}

/** A list of problems and the function that adds one, for a validator to fill. */
export function problemList(): { problems: SettingProblem[]; problem: (key: string, value: unknown, message: string, fix: string) => void } {
    const problems: SettingProblem[] = [];
    return { problems, problem: (key, value, message, fix) => problems.push({ key, value, message, fix }) };
}
