import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import puppeteer, { Browser, Page } from "puppeteer-core";
import { projectDir } from "../support/stackUnderMocks";
import type { WebAccess } from "./labHosts";

/** Debian's Chromium, which the lab installs (lab/lab.sh); puppeteer-core drives it and downloads nothing. */
const chromium = "/usr/bin/chromium";

/** Where the pages' screenshots are kept for the note: .lab/screenshots/<name>.png. */
export const screenshotDir = path.join(projectDir, ".lab", "screenshots");

function required(tool: string, install: string): void {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) {
        throw new Error(`${tool} is not installed; install it with: ${install} (bash lab/lab.sh up installs it)`);
    }
}

/**
 * A headless Chromium as a person's browser would be set up for the stack: the stack's CA trusted
 * through an NSS database of its own (nothing else added, no certificate error ignored), and the
 * stack's credentials given when a page asks for them.
 */
export class StackBrowser {
    private constructor(
        private readonly browser: Browser,
        private readonly access: WebAccess,
        private readonly home: string,
    ) {}

    static async launch(access: WebAccess): Promise<StackBrowser> {
        if (!fs.existsSync(chromium)) throw new Error(`${chromium} is missing; install it with: apt-get install chromium (bash lab/lab.sh up installs it)`);
        required("certutil", "apt-get install libnss3-tools");
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "lab-browser-"));
        if (access.ca) {
            const nss = `sql:${path.join(home, ".pki", "nssdb")}`;
            fs.mkdirSync(path.join(home, ".pki", "nssdb"), { recursive: true });
            fs.writeFileSync(path.join(home, "stack-ca.crt"), access.ca);
            for (const args of [
                ["-N", "-d", nss, "--empty-password"],
                ["-A", "-d", nss, "-t", "C,,", "-n", "stack-ca", "-i", path.join(home, "stack-ca.crt")],
            ]) {
                const result = spawnSync("certutil", args, { encoding: "utf8" });
                if (result.status !== 0) throw new Error(`certutil ${args.join(" ")}: ${result.stderr}`);
            }
        }
        const browser = await puppeteer.launch({
            executablePath: chromium,
            headless: true,
            userDataDir: path.join(home, "profile"),
            env: { ...process.env, HOME: home },
            args: ["--no-sandbox", "--disable-gpu", "--window-size=1280,900"],
            defaultViewport: { width: 1280, height: 900 },
        });
        return new StackBrowser(browser, access, home);
    }

    /**
     * Opens `url`, waits until the page's text satisfies `ready` (its scripts have fetched what it
     * shows), keeps a screenshot as .lab/screenshots/<name>.png, and returns the text a person reads.
     */
    async view(
        url: string,
        name: string,
        ready: (text: string) => boolean,
        timeoutSeconds = 60,
        /** What a person does on the page once it has loaded (types a query, presses a button). */
        act?: (page: Page) => Promise<void>,
    ): Promise<{ text: string; screenshot: string }> {
        const page = await this.browser.newPage();
        try {
            if (this.access.username !== undefined) await page.authenticate({ username: this.access.username, password: this.access.password ?? "" });
            const response = await page.goto(url, { waitUntil: "networkidle0", timeout: timeoutSeconds * 1000 });
            if (!response || response.status() >= 400) throw new Error(`${url}: HTTP ${response?.status() ?? "no response"}`);
            if (act) await act(page);
            const deadline = Date.now() + timeoutSeconds * 1000;
            let text = "";
            for (;;) {
                text = await page.evaluate(() => document.body.innerText);
                if (ready(text)) break;
                if (Date.now() > deadline) {
                    const shot = await this.keepScreenshot(page, `${name}-failed`);
                    throw new Error(`${url}: the page never showed what was expected (screenshot ${shot}); it shows:\n${text.slice(0, 2000)}`);
                }
                await new Promise((resolve) => setTimeout(resolve, 1000));
            }
            return { text, screenshot: await this.keepScreenshot(page, name) };
        } finally {
            await page.close();
        }
    }

    private async keepScreenshot(page: Page, name: string): Promise<string> {
        fs.mkdirSync(screenshotDir, { recursive: true });
        const screenshot = path.join(screenshotDir, `${name}.png`);
        await page.screenshot({ path: screenshot as `${string}.png`, fullPage: false });
        return screenshot;
    }

    async close(): Promise<void> {
        await this.browser.close();
        fs.rmSync(this.home, { recursive: true, force: true });
    }
}
