import { decimalBytes, decimalSizePattern } from "../../settings/formats";
import { problemList, SettingProblem } from "../../settings/problems";
import { settingDefault } from "../../settings/schema";
import type { SettingValues } from "../../settings/values";
import { basicAuthPairProblems, entryFieldProblems } from "../../settings/objectListChecks";
import { logsRemoteFields, logsRemoteName, logsRemoteSecretFields } from "../../settings/logsRemoteEntries";

/** The smallest buffer worth having: a minute of a busy host's logs. */
const smallestBuffer = "16MB";

/** The collectors' disk buffer, and the further endpoints they send to. */
export function validateOtelCollector(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    validateLogsRemote(v, problem);
    if (!decimalSizePattern.test(v.logsBufferSize) || decimalBytes(v.logsBufferSize) < decimalBytes(smallestBuffer)) {
        problem(
            "logsBufferSize",
            v.logsBufferSize,
            `is not a buffer size the collectors take: a whole number of KB, MB, GB or TB (1MB = 10^6 bytes), at least ${smallestBuffer}`,
            `pulumi config set logsBufferSize ${settingDefault("logsBufferSize")}`,
        );
    }
    return problems;
}

/**
 * Each logsRemote entry: known fields, an https URL (the logs and their credentials leave the
 * stack's network), one way to authenticate, a name of its own; and the log store on.
 */
function validateLogsRemote(v: SettingValues, problem: ReturnType<typeof problemList>["problem"]): void {
    if (v.logsRemote.length > 0 && !v.logs) {
        problem(
            "logsRemote",
            `${v.logsRemote.length} endpoint(s)`,
            "are further endpoints of the collectors, which run with logs, and logs is off",
            "pulumi config set logs true (or pulumi config rm logsRemote)",
        );
    }
    const names = new Map<string, number>();
    v.logsRemote.forEach((entry, i) => {
        const at = (field: string) => `logsRemote[${i}].${field}`;
        const set = (field: string) => `pulumi config set --path '${at(field)}'`;
        entryFieldProblems("logsRemote", entry, i, logsRemoteFields, logsRemoteSecretFields, problem);
        basicAuthPairProblems("logsRemote", entry, i, problem);
        const text = (field: string) => (typeof entry[field] === "string" ? (entry[field] as string) : "");
        const credentialed = /^(https?:\/\/)([^/@\s]*)@/i.exec(text("url"));
        if (credentialed) {
            // The configuration, which previews show, names the URL: credentials go in username and password.
            problem(
                at("url"),
                text("url").replace(credentialed[2], `${credentialed[2].split(":")[0]}:(hidden)`),
                "holds credentials (user:password@), which the collectors' configuration and previews would show",
                `${set("url")} ${text("url").replace(`${credentialed[2]}@`, "")}, then set username and (with --secret) password`,
            );
        } else if (!/^https:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/i.test(text("url"))) {
            problem(
                at("url"),
                entry.url,
                "must be the endpoint's https URL, its OTLP base without /v1/logs (the logs, and any credentials, leave the stack's network)",
                `${set("url")} https://otlp-gateway.example.net/otlp`,
            );
        } else if (/\/v1\/logs\/?$/.test(text("url"))) {
            problem(at("url"), entry.url, "ends in /v1/logs, which the collector appends itself", `${set("url")} ${text("url").replace(/\/v1\/logs\/?$/, "")}`);
        }
        if (text("username") !== "" && text("bearerToken") !== "") {
            problem(
                `logsRemote[${i}]`,
                "username and bearerToken",
                "sets two ways to authenticate; the collector sends one Authorization header",
                `pulumi config rm --path '${at("bearerToken")}'`,
            );
        }
        const name = logsRemoteName(entry, i);
        if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(name)) {
            problem(at("name"), name, "must be 1 to 40 lower-case letters, digits, _ and -, starting with a letter or digit", `${set("name")} remote-${i + 1}`);
        } else if (names.has(name) || name === "store") {
            problem(
                at("name"),
                name,
                name === "store"
                    ? "is the name of the stack's own store"
                    : `is also the name of logsRemote[${names.get(name)}]; each endpoint has a queue of its own`,
                `${set("name")} ${name}-${i + 1}`,
            );
        }
        names.set(name, i);
    });
}
