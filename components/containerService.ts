import * as pulumi from "@pulumi/pulumi";
import { ContainerSpec, renderContainerScript } from "../configs/docker";
import type { RemoteHost } from "./remoteHost";
import { RemoteService } from "./remoteService";
import { activateConfigStep, activateScriptFile } from "./activateConfig";

/** Configuration a container reads, checked by its own tool inside its image before it goes live. */
export interface ContainerConfig {
    /** Live directory on the host, mounted read-only into the container. */
    readonly dir: string;
    /** Files by path relative to dir (prometheus.yml, rules/x.yml). */
    readonly files: Readonly<Record<string, pulumi.Input<string>>>;
    /** The main file, relative to dir. */
    readonly main: string;
    /** The checking tool in the image and its subcommand, e.g. /bin/promtool check config. */
    readonly check: string;
    /** Directories below dir whose unlisted files are removed. */
    readonly managedDirs?: readonly string[];
    /** Port of the service's HTTP endpoint, and its reload metric prefix. */
    readonly port: number;
    readonly reloadMetric: string;
}

/** Arguments of {@link ContainerService}. */
export interface ContainerServiceArgs {
    readonly host: RemoteHost;
    /** The container, as configs/containers.ts describes it. */
    readonly container: ContainerSpec;
    /** Steps after which it may start: Docker's install, a mounted volume. */
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
    /** Standard input of the start script, for secrets. */
    readonly stdin?: pulumi.Input<string>;
    readonly config?: ContainerConfig;
}

/**
 * One container on a Docker host: its start script is staged and run (a changed spec replaces the
 * container), and its configuration, if any, goes through the same check-then-reload step as the
 * systemd services, the check running in the container's own image and the reload being a SIGHUP.
 */
export class ContainerService extends pulumi.ComponentResource {
    readonly service: RemoteService;

    constructor(name: string, args: ContainerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:docker:ContainerService", name, {}, opts);
        const c = args.container.name;
        const config = args.config;
        const staged = (relative: string) => `${c}.${relative.replace(/\//g, ".")}`;
        const configFiles = config ? Object.fromEntries(Object.entries(config.files).map(([relative, text]) => [staged(relative), text])) : {};
        this.service = new RemoteService(
            `${name}-service`,
            {
                connection: args.host.connection,
                hostReady: args.host.ready,
                dependsOn: args.dependsOn,
                files: {
                    [`${c}.run.sh`]: renderContainerScript(args.container),
                    ...(config ? activateScriptFile(c) : {}),
                    ...configFiles,
                },
                install: {
                    script: `${c}.run.sh`,
                    reads: [],
                    env: {},
                    ...(args.stdin !== undefined ? { stdin: args.stdin } : {}),
                    delete: `docker rm --force ${c} >/dev/null 2>&1 || true`,
                },
                configure: config
                    ? activateConfigStep({
                          service: c,
                          group: "nogroup",
                          dir: config.dir,
                          files: Object.fromEntries(Object.keys(config.files).map((relative) => [staged(relative), relative])),
                          main: config.main,
                          // The candidate is checked by the image's own tool, as root so it can read it.
                          check: `docker run --rm --network none --user 0:0 --volume /var/lib/monitoring-stack:/var/lib/monitoring-stack:ro --entrypoint ${config.check.split(" ")[0]} ${args.container.image} ${config.check.split(" ").slice(1).join(" ")}`,
                          managedDirs: config.managedDirs,
                          port: config.port,
                          reloadMetric: config.reloadMetric,
                          control: {
                              isRunning: `curl -fsS http://127.0.0.1:${config.port}/-/ready`,
                              start: `docker restart ${c}`,
                              reload: `docker kill --signal HUP ${c}`,
                          },
                      })
                    : undefined,
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}
