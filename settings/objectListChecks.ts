// Checks shared by the object-list settings (remoteWrite, logsRemote): each entry's fields, and
// basic authentication's two halves. Pure.
import { isIntegerIn } from "./formats";
import { nearestWord } from "./nearest";
import type { problemList } from "./problems";

type Problem = ReturnType<typeof problemList>["problem"];

/**
 * Each field of entry `index` of the list `key` is one the entry takes, of its type; a credential
 * is shown as (hidden), and so is an unknown field, which may be a misspelt credential.
 */
export function entryFieldProblems(
    key: string,
    entry: Readonly<Record<string, unknown>>,
    index: number,
    fields: Readonly<Record<string, "string" | "integer">>,
    secretFields: readonly string[],
    problem: Problem,
): void {
    const at = (field: string) => `${key}[${index}].${field}`;
    const set = (field: string) => `pulumi config set --path '${at(field)}'`;
    for (const [field, value] of Object.entries(entry)) {
        const kind = fields[field];
        if (kind === undefined) {
            const nearest = nearestWord(field, Object.keys(fields));
            problem(
                at(field),
                typeof value === "number" || typeof value === "boolean" ? value : "(hidden)",
                `is not a field of a ${key} entry${nearest ? ` (did you mean ${nearest}?)` : ""}; the fields are ${Object.keys(fields).join(", ")}`,
                `pulumi config rm --path '${at(field)}'${nearest ? ` && ${set(nearest)} <value>` : ""}`,
            );
        } else if (kind === "integer" ? !isIntegerIn(Number(value), 1) : typeof value !== "string") {
            problem(
                at(field),
                secretFields.includes(field) ? "(hidden)" : value,
                kind === "integer" ? "must be a whole number of 1 or more" : "must be text",
                `${set(field)} <${kind}>`,
            );
        }
    }
}

/** Basic authentication needs both halves: a username without its password, or the reverse, is named. */
export function basicAuthPairProblems(key: string, entry: Readonly<Record<string, unknown>>, index: number, problem: Problem): void {
    const text = (field: string) => (typeof entry[field] === "string" ? (entry[field] as string) : "");
    if ((text("username") === "") !== (text("password") === "")) {
        const missing = text("username") === "" ? "username" : "password";
        problem(
            `${key}[${index}].${missing}`,
            "",
            `is empty but ${missing === "username" ? "password" : "username"} is set: basic authentication needs both`,
            `${missing === "password" ? "pulumi config set --secret --path" : "pulumi config set --path"} '${key}[${index}].${missing}' <${missing}>`,
        );
    }
}
