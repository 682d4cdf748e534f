import { renderServiceUnit } from "../../runtimes/systemdUnit";
import type { ContainerSpec } from "../../runtimes/dockerContainer";

export function renderBridgeUnit(input: { readonly args: readonly string[]; readonly environment: Readonly<Record<string, string>> }): string {
    return renderServiceUnit({
        description: "CloudWatch bridge (yet-another-cloudwatch-exporter)",
        user: "yace",
        environment: input.environment,
        exec: ["/usr/local/bin/yace", ...input.args],
        writablePaths: [],
        reloadWithSighup: false,
    });
}

export function bridgeContainer(input: {
    image: string;
    args: readonly string[];
    environment: Readonly<Record<string, string>>;
    configDir: string;
}): ContainerSpec {
    return {
        name: "cloudwatch-bridge",
        image: input.image,
        // nobody:nogroup, the group that may read its staged configuration.
        user: "65534:65534",
        volumes: [{ source: input.configDir, target: input.configDir, readOnly: true }],
        env: input.environment,
        args: [...input.args],
        prepare: [`install -d -m 0755 ${input.configDir}`],
    };
}
