import { isIntegerIn } from "../settings/formats";
import { problemList, SettingProblem } from "../settings/problems";
import { settingDefault } from "../settings/schema";
import { secretKeys, type SettingValues } from "../settings/values";
import { longestServerCertificateDays } from "./x509";

/** TLS and authentication of the endpoints: the credentials and the certificates' lifetime. */
export function validateWeb(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(v.webUsername)) {
        problem(
            "webUsername",
            v.webUsername,
            "must be 1 to 64 letters, digits, '.', '_' or '-' (basic authentication cannot carry ':' in a user name)",
            `pulumi config set webUsername ${settingDefault("webUsername")}`,
        );
    }
    if (v.webPassword !== "" && v.webPassword.length < 16) {
        problem(
            "webPassword",
            "(hidden)",
            "is shorter than 16 characters",
            "pulumi config set --secret webPassword <16 or more characters>, or rm it to have one generated",
        );
    }
    // A one-line secret with a line break or another control character breaks the files and command
    // lines it is written into (curl's --user reads what follows a newline as an option).
    const isControl = (char: string) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f;
    for (const key of secretKeys) {
        const value = v[key];
        const where = key !== "sshPrivateKey" && typeof value === "string" ? [...value].findIndex(isControl) : -1;
        if (typeof value === "string" && where >= 0) {
            problem(
                key,
                "(hidden)",
                `holds a control character (${JSON.stringify([...value][where]).slice(1, -1)} at position ${where + 1}), which breaks the files and command lines it is written into; a trailing newline from a file is the usual cause`,
                `pulumi config set --secret ${key} "$(tr -d '\\n\\r' < <file>)"`,
            );
        }
    }
    if (!isIntegerIn(v.tlsCertificateDays, 30, longestServerCertificateDays)) {
        problem(
            "tlsCertificateDays",
            v.tlsCertificateDays,
            `must be 30 to ${longestServerCertificateDays} days (renewal starts 30 days before the end; clients refuse longer server certificates)`,
            `pulumi config set tlsCertificateDays ${settingDefault("tlsCertificateDays")}`,
        );
    }
    if (!v.webTls && v.tlsCertificateDir !== "") {
        problem(
            "tlsCertificateDir",
            v.tlsCertificateDir,
            "is set but webTls is false, so nothing would use it",
            "pulumi config rm tlsCertificateDir, or pulumi config set webTls true",
        );
    }
    if (!v.webAuth && v.webPassword !== "") {
        problem(
            "webPassword",
            "(hidden)",
            "is set but webAuth is false, so nothing would use it",
            "pulumi config rm webPassword, or pulumi config set webAuth true",
        );
    }
    return problems;
}

/**
 * Settings that are allowed but weaken the stack: each is reported as a warning on every
 * `pulumi preview` and `pulumi up`, not accepted silently.
 */
export function webWarnings(v: Pick<SettingValues, "webTls" | "webAuth">): string[] {
    return [
        ...(v.webTls
            ? []
            : [
                  "webTls is false: Prometheus, Alertmanager, node_exporter and Grafana serve plain HTTP, and passwords cross the network readable. Keep it only where a proxy in front of them terminates TLS.",
              ]),
        ...(v.webAuth
            ? []
            : [
                  "webAuth is false: anyone who reaches Prometheus, Alertmanager or node_exporter can read every metric and silence alerts. Keep it only where a proxy in front of them authenticates.",
              ]),
    ];
}
