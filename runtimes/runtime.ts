import * as pulumi from "@pulumi/pulumi";
import { ContainerSpec, renderContainerScript } from "./dockerContainer";
import { activateConfigStep, activateScriptFile } from "./activateConfig";
import { layoutEnv, ReleaseDownload, releaseEnv, ReleaseLayout } from "./releaseDownload";
import { readConfigFile } from "../remote/remoteHost";
import { RemoteService, RemoteServiceArgs, RemoteStep } from "../remote/remoteService";
import type { RemoteHost } from "../remote/remoteHost";

/**
 * How a host runs the services: `systemd` units from the release tarballs (guide 000), or Docker
 * containers from pinned images (guide 003), once Docker's own install step on the host is done.
 */
export type Runtime =
    | { readonly kind: "systemd" }
    | {
          readonly kind: "docker";
          readonly engine: pulumi.Resource;
          /** Containers log to the host's journal (journald log driver), where the log shipper reads them (setting logs). */
          readonly journal?: boolean;
      };

/** The systemd runtime. */
export const systemd: Runtime = { kind: "systemd" };

/** The Docker runtime on a host whose Docker install step is `engine`; with `journal`, containers log to the host's journal. */
export const docker = (engine: pulumi.Resource, options: { readonly journal?: boolean } = {}): Runtime => ({
    kind: "docker",
    engine,
    ...(options.journal ? { journal: true } : {}),
});

/** A service under systemd from its release tarball: the release, binaries, user and rendered unit. */
export interface ReleaseForm {
    readonly kind: "release";
    readonly download: ReleaseDownload;
    /** The release's name in its tarball's, when it is not the service's (yet-another-cloudwatch-exporter for yace). */
    readonly releaseName?: string;
    /** How its tarball is laid out, where it is not the Prometheus project's layout. */
    readonly layout?: ReleaseLayout;
    /** Binaries of the tarball to install into /usr/local/bin: a file, or file:name to install it under another name. */
    readonly binaries: readonly string[];
    readonly user: string;
    /** The rendered unit; computed when its flags name other hosts' addresses (an Alertmanager cluster's peers). */
    readonly unit: pulumi.Input<string>;
    readonly configDir?: string;
    readonly dataDir?: string;
    /** Directories of the tarball to copy into configDir (consoles, console_libraries). */
    readonly shareDirs?: readonly string[];
    /** Remove configDir when the service is deleted: it holds credentials that must not outlive it. */
    readonly removeConfigOnDelete?: boolean;
}

/** A service under systemd installed by a script of its own (Grafana from its apt repository). */
export interface ScriptForm {
    readonly kind: "script";
    /** The staged script, by staged name, and its step. */
    readonly files: Readonly<Record<string, string>>;
    readonly install: RemoteStep;
}

/** A service under systemd. */
export type SystemdForm = ReleaseForm | ScriptForm;

/** A service in Docker: its container and, for secrets, the start script's standard input and staged files. */
export interface DockerForm {
    readonly container: ContainerSpec;
    /** The container as it runs when its arguments name other hosts' addresses (a cluster's peers); `container` still gives its name and image. */
    readonly computedContainer?: pulumi.Output<ContainerSpec>;
    readonly stdin?: pulumi.Input<string>;
    /** Files the start script reads from the staging directory, by staged name. */
    readonly files?: Readonly<Record<string, pulumi.Input<string>>>;
}

/** Configuration the service reads, checked by its own tool before it goes live, then reloaded. */
export interface ManagedConfig {
    /** Live directory on the host (mounted read-only into a container). */
    readonly dir: string;
    /** Files by path relative to dir (prometheus.yml, rules/x.yml). */
    readonly files: Readonly<Record<string, pulumi.Input<string>>>;
    /** The main file, relative to dir. */
    readonly main: string;
    /** The checking tool and its subcommand, e.g. `promtool check config`; none for a service without one. */
    readonly check?: string;
    /** Where the checking tool is in the service's image, when not /bin/<tool> (vmalert's image has /vmalert-prod). */
    readonly imageTool?: string;
    /** Directories below dir whose unlisted files are removed. */
    readonly managedDirs?: readonly string[];
    /** Port of the service's endpoint, how it is reached, and the path that answers when it is ready (default /-/ready). */
    readonly port: number;
    readonly scheme: "http" | "https";
    /** The curl configuration of the host's checks, relative to dir (one of the files). */
    readonly curlConfig: string;
    readonly readyPath?: string;
    /** Its reload metric prefix; none when it re-reads its files on every request. */
    readonly reloadMetric?: string;
    /** Restart it when its files change (a service with no reload, such as YACE). */
    readonly restartOnChange?: boolean;
}

/** One service, described for both runtimes; the runtime picks the form. */
export interface ServiceDefinition {
    readonly systemd: () => SystemdForm;
    /** None for a service that runs under systemd in both runtimes (the log shipper, which runs the host's journalctl). */
    readonly docker?: () => DockerForm;
    readonly config?: ManagedConfig;
}

/**
 * The configuration files of a service, staged as `<prefix>.<relative path with / as .>`, and the
 * check-then-activate step that makes them live: the same for both runtimes but for who may read
 * them, the checking tool's command line and, in Docker, how to start and reload the container.
 */
function configurationSteps(
    prefix: string,
    config: ManagedConfig,
    runtime: { readonly group: string; readonly check?: string; readonly container?: string },
): Pick<RemoteServiceArgs, "files" | "configure"> {
    const staged = Object.keys(config.files).map((relative) => [`${prefix}.${relative.replace(/\//g, ".")}`, relative] as const);
    return {
        files: { ...activateScriptFile(prefix), ...Object.fromEntries(staged.map(([name, relative]) => [name, config.files[relative]])) },
        configure: activateConfigStep({
            service: prefix,
            group: runtime.group,
            dir: config.dir,
            files: Object.fromEntries(staged),
            main: config.main,
            check: runtime.check,
            managedDirs: config.managedDirs,
            port: config.port,
            scheme: config.scheme,
            curlConfig: config.curlConfig,
            readyPath: config.readyPath,
            reloadMetric: config.reloadMetric,
            restartOnChange: config.restartOnChange,
            container: runtime.container,
        }),
    };
}

/**
 * The files and steps of one service on a host, for its runtime: the same configuration files and
 * the same check-then-reload step under systemd and in Docker; only how the service is installed,
 * checked, started and reloaded differs.
 */
export function serviceSteps(
    service: string,
    runtime: Runtime,
    definition: ServiceDefinition,
): Pick<RemoteServiceArgs, "files" | "install" | "configure"> & { readonly after: pulumi.Resource[] } {
    const config = definition.config;
    switch (runtime.kind) {
        case "systemd": {
            const form = definition.systemd();
            if (form.kind === "script") {
                return { files: form.files, install: form.install, configure: undefined, after: [] };
            }
            const configuration = config
                ? configurationSteps(service, config, { group: form.user, check: config.check ? `/usr/local/bin/${config.check}` : undefined })
                : undefined;
            return {
                files: {
                    [`${service}.install-release.sh`]: readConfigFile("scripts/install-release.sh"),
                    [`${service}.service`]: form.unit,
                    ...configuration?.files,
                },
                install: {
                    script: `${service}.install-release.sh`,
                    reads: [`${service}.service`],
                    env: {
                        ...releaseEnv(form.releaseName ?? service, form.download),
                        ...layoutEnv(form.layout),
                        BINARIES: form.binaries.join(" "),
                        SERVICE: service,
                        SERVICE_USER: form.user,
                        ...(form.configDir ? { CONFIG_DIR: form.configDir } : {}),
                        ...(form.dataDir ? { DATA_DIR: form.dataDir } : {}),
                        ...(form.shareDirs && form.shareDirs.length > 0 ? { SHARE_DIRS: form.shareDirs.join(" ") } : {}),
                    },
                    delete: `systemctl disable --now ${service}; rm -f /etc/systemd/system/${service}.service /var/lib/monitoring-stack/state/${form.releaseName ?? service}.release; systemctl daemon-reload${form.removeConfigOnDelete && form.configDir ? `; rm -rf ${form.configDir}` : ""}`,
                },
                configure: configuration?.configure,
                after: [],
            };
        }
        case "docker": {
            if (!definition.docker) throw new Error(`${service} runs under systemd in both runtimes; install it with the systemd runtime`);
            const declared = definition.docker();
            // With the log shipper, each container's output goes to the journal, under its name (CONTAINER_NAME).
            const logged = (container: ContainerSpec): ContainerSpec => (runtime.journal ? { ...container, logDriver: "journald" } : container);
            const form: DockerForm = {
                ...declared,
                container: logged(declared.container),
                ...(declared.computedContainer ? { computedContainer: declared.computedContainer.apply(logged) } : {}),
            };
            const c = form.container.name;
            const [tool, ...toolArgs] = config?.check ? config.check.split(" ") : [];
            const configuration = config
                ? configurationSteps(c, config, {
                      group: "nogroup",
                      // The candidate is checked by the image's own tool, as root so it can read it.
                      check: tool
                          ? `docker run --rm --network none --user 0:0 --volume /var/lib/monitoring-stack:/var/lib/monitoring-stack:ro --entrypoint ${config.imageTool ?? `/bin/${tool}`} ${form.container.image} ${toolArgs.join(" ")}`
                          : undefined,
                      container: c,
                  })
                : undefined;
            return {
                files: {
                    [`${c}.run.sh`]: form.computedContainer ? form.computedContainer.apply(renderContainerScript) : renderContainerScript(form.container),
                    ...form.files,
                    ...configuration?.files,
                },
                install: {
                    script: `${c}.run.sh`,
                    reads: Object.keys(form.files ?? {}).sort(),
                    env: {},
                    ...(form.stdin !== undefined ? { stdin: form.stdin } : {}),
                    delete: `docker rm --force ${c} >/dev/null 2>&1 || true`,
                },
                configure: configuration?.configure,
                after: [runtime.engine],
            };
        }
        default: {
            const unknown: never = runtime;
            throw new Error(`runtime ${JSON.stringify(unknown)} is not known`);
        }
    }
}

/**
 * Installs one service on a host with its runtime's steps: the RemoteService `<name>-service`,
 * after the host is ready, the runtime is installed and `dependsOn` is done.
 */
export function installService(
    name: string,
    args: { readonly host: RemoteHost; readonly runtime: Runtime; readonly dependsOn?: pulumi.Input<pulumi.Resource>[] },
    service: string,
    definition: ServiceDefinition,
    parent: pulumi.Resource,
): RemoteService {
    const { after, ...steps } = serviceSteps(service, args.runtime, definition);
    return new RemoteService(
        `${name}-service`,
        {
            connection: args.host.connection,
            hostReady: args.host.ready,
            dependsOn: [...after, ...(args.dependsOn ?? [])],
            ...steps,
        },
        { parent },
    );
}

/**
 * Docker on a host, from the distribution's docker.io package: the RemoteService `name` whose
 * install step the docker runtime waits for.
 */
export function installDocker(name: string, host: RemoteHost, opts?: pulumi.ComponentResourceOptions): RemoteService {
    return new RemoteService(
        name,
        {
            connection: host.connection,
            hostReady: host.ready,
            files: { "docker.install-docker.sh": readConfigFile("scripts/install-docker.sh") },
            install: { script: "docker.install-docker.sh", reads: [], env: {} },
        },
        opts,
    );
}
