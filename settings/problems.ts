/** One bad setting: which key, the value seen, what is wrong and how to fix it. */
export interface SettingProblem {
    readonly key: string;
    readonly value: unknown;
    readonly message: string;
    readonly fix: string;
}

/** Thrown before any resource is created when settings are bad; lists every problem at once. */
export class SettingsError extends Error {
    constructor(readonly problems: readonly SettingProblem[]) {
        super(
            `${problems.length} bad setting${problems.length === 1 ? "" : "s"}; nothing was created or changed:\n` +
                problems.map((p) => `  - ${p.key} = ${JSON.stringify(p.value)}: ${p.message}. Fix: ${p.fix}`).join("\n"),
        );
        this.name = "SettingsError";
    }
}

/** A list of problems and the function that adds one, for a validator to fill. */
export function problemList(): { problems: SettingProblem[]; problem: (key: string, value: unknown, message: string, fix: string) => void } {
    const problems: SettingProblem[] = [];
    return { problems, problem: (key, value, message, fix) => problems.push({ key, value, message, fix }) };
}
