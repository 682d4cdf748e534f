// What a pull-request reviewer reads before the raw diff: per service, the files a preview changes
// and what the host then does (reload, restart, install, remove). Pure: from the engine's events.

/** The part of an engine event (`pulumi preview --json` with PULUMI_ENABLE_STREAMING_JSON_PREVIEW, or the Automation API's onEvent) read here. */
export interface PreviewEvent {
    readonly resourcePreEvent?: {
        readonly metadata: {
            readonly op: string;
            readonly urn: string;
            readonly type: string;
            readonly new?: { readonly inputs?: Record<string, unknown> };
            readonly old?: { readonly inputs?: Record<string, unknown> };
        };
    };
}

/** One service's changes: its RemoteService's name, the files by live name with how they change, and the effect on the host. */
export interface ServiceChange {
    readonly service: string;
    readonly files: readonly string[];
    readonly effect: string;
}

/** The preview read per service, and every other changed resource as `op type name`. */
export interface PreviewSummary {
    readonly services: readonly ServiceChange[];
    readonly others: readonly string[];
}

const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** The steps a RemoteService's resources are named by: `<service>-stage-<file>`, `<service>-install`, `<service>-configure`. */
const remoteStep = /^(.*?)-(stage-(.+)|install|configure)$/;

/** A staged name's live path as activate-config's FILES lists it (`prometheus.rules.x.yml:rules/x.yml`), else the staged name. */
function livePath(stagedName: string, configureCommand: string | undefined): string {
    const files = /FILES='([^']*)'/.exec(configureCommand ?? "")?.[1] ?? "";
    const entry = files.split(" ").find((pair) => pair.startsWith(`${stagedName}:`));
    return entry ? entry.slice(stagedName.length + 1) : stagedName;
}

/** What a changed configure step does, from its parameters: reload, restart or nothing (the service re-reads its files). */
function configureEffect(command: string): string {
    if (/\bRESTART_ON_CHANGE=yes\b/.test(command)) return "restart";
    if (/\bRELOAD_METRIC=/.test(command)) return "reload";
    return "checked, then re-read by the service (no restart)";
}

const opWords: Record<string, string> = { create: "new", delete: "removed", update: "changed", replace: "replaced" };
const isChange = (op: string) => op !== "same" && op !== "read" && op !== "refresh" && op !== "delete-replaced" && op !== "create-replacement";
/** The engine's default providers (their version or plugin in the state) are no resource of the stack's. */
const isProvider = (type: string) => type.startsWith("pulumi:providers:");

/** Reads a preview's events into changes per service and the other resources' changes. */
export function summarizePreview(events: readonly PreviewEvent[]): PreviewSummary {
    const steps = events
        .map((e) => e.resourcePreEvent?.metadata)
        .filter((m): m is NonNullable<typeof m> => m !== undefined && isChange(m.op) && !isProvider(m.type));
    const byService = new Map<string, { files: string[]; install?: string; configure?: { op: string; command: string } }>();
    const others: string[] = [];
    // The configure step's FILES, old or new, names every staged file's live path.
    const configureOf = new Map<string, string>();
    for (const e of events) {
        const m = e.resourcePreEvent?.metadata;
        const match = m ? remoteStep.exec(nameOf(m.urn)) : null;
        if (m && match && match[2] === "configure") {
            configureOf.set(match[1], String(m.new?.inputs?.create ?? m.old?.inputs?.create ?? ""));
        }
    }
    for (const step of steps) {
        const name = nameOf(step.urn);
        const match = step.type.startsWith("command:remote:") ? remoteStep.exec(name) : null;
        if (!match) {
            others.push(`${step.op} ${step.type} ${name}`);
            continue;
        }
        const service = byService.get(match[1]) ?? { files: [] };
        byService.set(match[1], service);
        if (match[3] !== undefined) {
            service.files.push(`${livePath(match[3], configureOf.get(match[1]))} (${opWords[step.op] ?? step.op})`);
        } else if (match[2] === "install") {
            service.install = step.op;
        } else {
            service.configure = { op: step.op, command: String(step.new?.inputs?.create ?? step.old?.inputs?.create ?? "") };
        }
    }
    const services = [...byService].map(([service, change]): ServiceChange => {
        const effect =
            change.install === "create"
                ? "installed"
                : change.install === "delete"
                  ? "removed"
                  : change.install !== undefined
                    ? `installed again (${change.install}), then started`
                    : change.configure !== undefined
                      ? configureEffect(change.configure.command)
                      : "files staged, nothing runs";
        return { service, files: change.files.sort(), effect };
    });
    return { services: services.sort((a, b) => a.service.localeCompare(b.service)), others };
}

/** The summary as Markdown, for the top of a pull-request comment. */
export function renderPreviewSummary(stack: string, summary: PreviewSummary): string {
    const escape = (text: string) => text.replace(/\|/g, "\\|");
    const lines = [`### \`pulumi preview\` of ${stack}: what changes`, ""];
    if (summary.services.length === 0 && summary.others.length === 0) {
        lines.push("No change.");
        return lines.join("\n") + "\n";
    }
    if (summary.services.length > 0) {
        lines.push("| Service | Files | Then |", "| --- | --- | --- |");
        for (const s of summary.services) lines.push(`| ${escape(s.service)} | ${escape(s.files.join(", ") || "-")} | ${escape(s.effect)} |`);
        lines.push("");
    }
    if (summary.others.length > 0) {
        lines.push("Other resources:", "", ...summary.others.map((o) => `- ${o}`), "");
    }
    return lines.join("\n");
}
