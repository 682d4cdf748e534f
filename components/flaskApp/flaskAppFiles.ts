import type { AppMetricsMode } from "../../settings/choices";
import * as fs from "fs";
import * as path from "path";

function read(file: string): string {
    return fs.readFileSync(path.join(__dirname, "..", "..", "configs", "flask-app", file), "utf8");
}

/** The app's source. */
export function flaskAppSource(): string {
    return read("app.py");
}

/** The pinned requirements of one metrics mode. */
export function renderFlaskAppRequirements(mode: AppMetricsMode): string {
    return [
        read("requirements.txt"),
        ...(mode !== "cloudwatch" ? [read("requirements-prometheus.txt")] : []),
        ...(mode !== "prometheus" ? [read("requirements-cloudwatch.txt")] : []),
    ].join("");
}

/** The AWS shared-credentials file the app reads in cloudwatch and both modes; empty otherwise. */
export function renderAwsCredentials(accessKeyId: string, secretAccessKey: string): string {
    return accessKeyId === "" ? "" : `[default]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
}
