import { renderServiceUnit } from "../../runtimes/systemdUnit";
import type { ContainerSpec } from "../../runtimes/dockerContainer";

export function renderThanosUnit(input: {
    readonly component: string;
    readonly user: string;
    readonly flags: readonly string[];
    readonly writablePaths: readonly string[];
    readonly requiresMountsFor?: readonly string[];
}): string {
    return renderServiceUnit({
        description: `Thanos ${input.flags[0]}`,
        user: input.user,
        exec: ["/usr/local/bin/thanos", ...input.flags],
        writablePaths: [...input.writablePaths],
        reloadWithSighup: false,
        requiresMountsFor: input.requiresMountsFor ?? [],
    });
}

export function thanosContainer(input: {
    readonly component: string;
    readonly image: string;
    readonly flags: readonly string[];
    readonly configDir: string;
    /** Host directories it writes, by the path it sees them at. */
    readonly dataDirs: readonly { readonly source: string; readonly target: string }[];
}): ContainerSpec {
    return {
        name: input.component,
        image: input.image,
        user: "65534:65534",
        volumes: [{ source: input.configDir, target: input.configDir, readOnly: true }, ...input.dataDirs],
        args: [...input.flags],
        prepare: [`install -d -m 0755 ${input.configDir}`, ...input.dataDirs.map((d) => `install -d -m 0750 -o 65534 -g 65534 ${d.source}`)],
    };
}
