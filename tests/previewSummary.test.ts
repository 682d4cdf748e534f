import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PreviewEvent, renderPreviewSummary, summarizePreview } from "../stack/previewSummary";
import { runProjectScript } from "./support/tools";

/** An engine event of one step, as `pulumi preview --json` streams it (the fields read here, the rest as the engine sends them). */
function step(op: string, type: string, parentTypes: string, name: string, create?: string): PreviewEvent {
    const urn = `urn:pulumi:dev::monitoring::${parentTypes}$${type}::${name}`;
    const inputs = create !== undefined ? { create } : {};
    const event = {
        sequence: 1,
        timestamp: 0,
        resourcePreEvent: { metadata: { op, urn, type, provider: "", new: { urn, type, inputs }, old: { urn, type, inputs } } },
    };
    return event;
}
const service = "monitoring:services:Prometheus$monitoring:remote:RemoteService";
const prometheusFiles = "FILES='prometheus.prometheus.yml:prometheus.yml prometheus.rules.cloudwatch.yml:rules/cloudwatch.yml'";

describe("the pull-request preview summary", () => {
    it("should say per service which files change and that Prometheus reloads, from the configure step's parameters", () => {
        const events = [
            step("same", "command:remote:Command", service, "p-install"),
            step("create", "command:remote:Command", service, "p-stage-prometheus.rules.cloudwatch.yml"),
            step("update", "command:remote:Command", service, "p-stage-prometheus.prometheus.yml"),
            step("update", "command:remote:Command", service, "p-configure", `env ${prometheusFiles} RELOAD_METRIC=prometheus_config_last_reload bash x`),
            step("update", "linode:index/firewall:Firewall", "", "monitoring-firewall"),
            // The engine reports its default providers too; they are no resource of the stack's.
            step("update", "pulumi:providers:pulumi-nodejs", "", "default"),
        ];
        const summary = summarizePreview(events);
        expect(summary).toEqual({
            services: [{ service: "p", files: ["prometheus.yml (changed)", "rules/cloudwatch.yml (new)"], effect: "reload" }],
            others: ["update linode:index/firewall:Firewall monitoring-firewall"],
        });
        expect(renderPreviewSummary("dev", summary)).toBe(
            [
                "### `pulumi preview` of dev: what changes",
                "",
                "| Service | Files | Then |",
                "| --- | --- | --- |",
                "| p | prometheus.yml (changed), rules/cloudwatch.yml (new) | reload |",
                "",
                "Other resources:",
                "",
                "- update linode:index/firewall:Firewall monitoring-firewall",
                "",
            ].join("\n"),
        );
    });

    it("should tell a restart, a re-read, an install and a removal apart", () => {
        const effect = (events: PreviewEvent[]) => summarizePreview(events).services.map((s) => `${s.service}: ${s.effect}`);
        expect(effect([step("update", "command:remote:Command", service, "y-configure", "env RESTART_ON_CHANGE=yes bash x")])).toEqual(["y: restart"]);
        expect(effect([step("update", "command:remote:Command", service, "n-configure", "env PORT=9100 bash x")])).toEqual([
            "n: checked, then re-read by the service (no restart)",
        ]);
        expect(
            effect([step("create", "command:remote:Command", service, "v-install"), step("create", "command:remote:Command", service, "v-configure", "x")]),
        ).toEqual(["v: installed"]);
        expect(effect([step("delete", "command:remote:Command", service, "v-install")])).toEqual(["v: removed"]);
        expect(effect([step("update", "command:remote:Command", service, "p-install")])).toEqual(["p: installed again (update), then started"]);
        expect(renderPreviewSummary("dev", summarizePreview([step("same", "command:remote:Command", service, "p-install")]))).toContain("No change.");
    });

    it("should write the comment from the streamed events and the preview's text, and refuse what is not an event", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-summary-"));
        const log = path.join(dir, "events.jsonl");
        fs.writeFileSync(
            log,
            [step("update", "command:remote:Command", service, "p-configure", "env RELOAD_METRIC=m bash x")].map((e) => JSON.stringify(e)).join("\n") + "\n",
        );
        fs.writeFileSync(path.join(dir, "preview.txt"), "Previewing update (dev):\n~ p-configure\n");
        const ok = runProjectScript("preview-summary", ["dev", log, path.join(dir, "preview.txt")]);
        expect({ status: ok.status, stderr: ok.stderr }).toEqual({ status: 0, stderr: "" });
        expect(ok.stdout).toContain("| p | - | reload |");
        expect(ok.stdout).toContain("<details><summary>pulumi preview --diff</summary>\n\n```diff\nPreviewing update (dev):\n~ p-configure\n```\n</details>\n");
        fs.writeFileSync(log, "Previewing update (dev):\n");
        const bad = runProjectScript("preview-summary", ["dev", log]);
        expect({ status: bad.status, stderr: bad.stderr }).toEqual({
            status: 2,
            stderr: expect.stringContaining(
                `${log} line 1 is not a JSON event: write it with PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json > ${log}`,
            ),
        });
    });
});
