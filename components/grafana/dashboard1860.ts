import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import type { Settings } from "../../settings/settings";
import { dashboardShapeProblem } from "./importDashboard";
import { SettingsError } from "../../settings/problems";

/** Dashboard 1860 as read, and where it came from. */
export interface LoadedDashboard {
    readonly text: string;
    readonly sha256: string;
    /** The file, the cache file or the URL it was read from. */
    readonly origin: string;
}

/** What loading needs from outside: a fetch and a cache directory (injected by tests). */
export interface DashboardSourceIo {
    readonly fetch: (url: string, init: { signal: AbortSignal }) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;
    readonly cacheDir: string;
    /** Warnings, e.g. to pin the checksum; pulumi.log.warn by default. */
    readonly warn: (message: string) => void;
}

/** The default cache lives beside the program, so `pulumi up` on the same checkout reuses it. */
export const defaultDashboardIo: DashboardSourceIo = {
    fetch: (url, init) => fetch(url, init),
    cacheDir: path.join(__dirname, "..", "..", ".cache", "dashboards"),
    warn: (message) => pulumi.log.warn(message),
};

const sha256 = (text: string): string => crypto.createHash("sha256").update(text).digest("hex");

/**
 * Dashboard 1860 for this stack: the local dashboard1860File if set, otherwise the cache, otherwise
 * a download of dashboard1860Revision from dashboard1860Url. The bytes must match
 * dashboard1860Sha256 when it is set. Fails, naming the setting, before any resource is declared,
 * so no empty dashboard is ever created.
 */
export async function loadDashboard1860(
    settings: Pick<Settings, "dashboard1860File" | "dashboard1860Revision" | "dashboard1860Url" | "dashboard1860Sha256">,
    io = defaultDashboardIo,
): Promise<LoadedDashboard> {
    const expected = settings.dashboard1860Sha256;
    const verify = (text: string, origin: string, key: "dashboard1860File" | "dashboard1860Url"): LoadedDashboard => {
        const actual = sha256(text);
        if (expected !== "" && actual !== expected) {
            throw new SettingsError([
                {
                    key: "dashboard1860Sha256",
                    value: expected,
                    message: `does not match ${origin}, whose sha256 is ${actual}`,
                    fix: `check ${key}; if the new content is trusted, pulumi config set dashboard1860Sha256 ${actual}`,
                },
            ]);
        }
        const shape = dashboardShapeProblem(text);
        if (shape !== undefined) {
            throw new SettingsError([
                {
                    key,
                    value: key === "dashboard1860File" ? settings.dashboard1860File : origin,
                    message: `${key === "dashboard1860File" ? `names ${origin}, which` : "answers with what"} ${shape}`,
                    fix:
                        key === "dashboard1860File"
                            ? "point it at the dashboard's JSON (grafana.com's Download JSON of dashboard 1860), or pulumi config rm dashboard1860File to download it"
                            : "check dashboard1860Url and dashboard1860Revision, or download the JSON elsewhere and set dashboard1860File",
                },
            ]);
        }
        if (expected === "" && key === "dashboard1860Url") {
            io.warn(`dashboard 1860 from ${origin} is not pinned; pin it with: pulumi config set dashboard1860Sha256 ${actual}`);
        }
        return { text, sha256: actual, origin };
    };

    if (settings.dashboard1860File !== "") {
        const file = path.resolve(settings.dashboard1860File);
        let text: string;
        try {
            text = fs.readFileSync(file, "utf8");
        } catch (error) {
            throw new SettingsError([
                {
                    key: "dashboard1860File",
                    value: settings.dashboard1860File,
                    message: `cannot be read (${(error as Error).message})`,
                    fix: 'point it at a dashboard JSON file, or set it to "" to download',
                },
            ]);
        }
        return verify(text, file, "dashboard1860File");
    }

    const url = settings.dashboard1860Url.replace(/%\{revision\}/g, String(settings.dashboard1860Revision));
    const cacheFile = path.join(io.cacheDir, `1860-r${settings.dashboard1860Revision}-${sha256(url).slice(0, 12)}.json`);
    if (fs.existsSync(cacheFile)) {
        const cached = fs.readFileSync(cacheFile, "utf8");
        if (expected === "" || sha256(cached) === expected) {
            return verify(cached, cacheFile, "dashboard1860Url");
        }
    }
    let text: string;
    try {
        const response = await io.fetch(url, { signal: AbortSignal.timeout(30_000) });
        if (!response.ok) {
            throw new Error(`HTTP ${response.status}`);
        }
        text = await response.text();
    } catch (error) {
        throw new SettingsError([
            {
                key: "dashboard1860Url",
                value: url,
                message: `could not be downloaded (${(error as Error).message})`,
                fix: "check the network and dashboard1860Revision, or download the JSON elsewhere and set dashboard1860File",
            },
        ]);
    }
    const loaded = verify(text, url, "dashboard1860Url");
    fs.mkdirSync(io.cacheDir, { recursive: true });
    fs.writeFileSync(`${cacheFile}.tmp`, text);
    fs.renameSync(`${cacheFile}.tmp`, cacheFile);
    return loaded;
}
