import type { ContainerSpec } from "../../runtimes/dockerContainer";
import { renderServiceUnit } from "../../runtimes/systemdUnit";
import { vmalertConfigDir } from "./vmalertConfig";

/** vmalert under systemd: its own user, writing nothing (its alerts' state is in memory); SIGHUP re-reads the rules. */
export function renderVmalertUnit(flags: readonly string[]): string {
    return renderServiceUnit({
        description: "vmalert, the log rules' evaluator",
        user: "vmalert",
        exec: ["/usr/local/bin/vmalert", ...flags],
        writablePaths: [],
        reloadWithSighup: true,
    });
}

/** vmalert in Docker, from the image of the same release, its configuration mounted at the same path. */
export function vmalertContainer(input: { readonly image: string; readonly flags: readonly string[] }): ContainerSpec {
    return {
        name: "vmalert",
        image: input.image,
        // nobody:nogroup, the group that may read its staged configuration.
        user: "65534:65534",
        volumes: [{ source: vmalertConfigDir, target: vmalertConfigDir, readOnly: true }],
        args: [...input.flags],
        prepare: [`install -d -m 0755 ${vmalertConfigDir}`],
    };
}
