import * as pulumi from "@pulumi/pulumi";
import type { RemoteHost } from "../../remote/remoteHost";
import type { RemoteService } from "../../remote/remoteService";
import { releaseImage } from "../../runtimes/images";
import type { ReleaseDownload } from "../../runtimes/releaseDownload";
import { installService, Runtime } from "../../runtimes/runtime";
import { builtInSecurityFiles, curlConfigFile, HostWebSecurity } from "../../security/webSecurity";
import { vmalertCheck, vmalertConfigDir, vmalertFlags, vmalertLayout, vmalertPasswordFile, vmalertRuleGlob, vmalertRulesDir } from "./vmalertConfig";
import { renderVmalertUnit, vmalertContainer } from "./vmalertUnit";
import { hostPort } from "../../settings/formats";

/** Arguments of {@link VmalertService}. */
export interface VmalertServiceArgs {
    readonly host: RemoteHost;
    readonly runtime: Runtime;
    /** Its release (vmutils); the version also tags the image. */
    readonly download: ReleaseDownload;
    /** Image repository, or repository@sha256:digest (setting vmalertImage). */
    readonly imageRepository: string;
    readonly port: number;
    /** The log store on the same host: its port. */
    readonly storePort: number;
    /** The stack's Alertmanagers, host:port as the monitoring host reaches them, its own first. */
    readonly alertmanagers: pulumi.Input<readonly string[]>;
    /** The address its alerts link to its page at (the monitoring host's public address). */
    readonly publicAddress: pulumi.Input<string>;
    /** How often the rules are evaluated, and the window each counts (logRulesInterval). */
    readonly interval: string;
    /** The rule files by name (rules/<name>.yml): the stack's and the user's. */
    readonly rules: Readonly<Record<string, string>>;
    /** The host's certificate and the basic-auth user, as every endpoint of the stack. */
    readonly security: HostWebSecurity;
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * vmalert on the monitoring host: it evaluates the log rules against the store and sends their
 * alerts to the stack's Alertmanagers, which route, group, inhibit and mail them as every other
 * alert. Under systemd from the upstream vmutils release, or in Docker from the image of the same
 * release. `vmalert -dryRun` checks every rule file, LogsQL included, before it goes live, and a
 * reload (SIGHUP) makes it live; a refused file leaves the running rules as they were.
 */
export class VmalertService extends pulumi.ComponentResource {
    /** The install step. */
    readonly service: RemoteService;

    constructor(name: string, args: VmalertServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:Vmalert", name, {}, opts);
        const { tls, auth } = args.security;
        const scheme = tls ? "https" : "http";
        const url = (address: string) => `${scheme}://${address}`;
        const flags = pulumi.all([args.alertmanagers, args.publicAddress]).apply(([alertmanagers, publicAddress]) =>
            vmalertFlags({
                port: args.port,
                storeUrl: url(`localhost:${args.storePort}`),
                alertmanagerUrls: alertmanagers.map(url),
                interval: args.interval,
                externalUrl: url(hostPort(publicAddress, args.port)),
                tls: tls !== undefined,
                ...(auth ? { username: auth.username } : {}),
            }),
        );
        const image = releaseImage(args.imageRepository, args.download.version);
        this.service = installService(
            name,
            args,
            "vmalert",
            {
                systemd: () => ({
                    kind: "release",
                    download: args.download,
                    releaseName: "vmutils",
                    layout: vmalertLayout,
                    binaries: ["vmalert-prod:vmalert"],
                    user: "vmalert",
                    unit: flags.apply(renderVmalertUnit),
                    configDir: vmalertConfigDir,
                    // Its password file goes with it.
                    removeConfigOnDelete: true,
                }),
                docker: () => ({
                    container: vmalertContainer({ image, flags: [] }),
                    computedContainer: flags.apply((f) => vmalertContainer({ image, flags: f })),
                }),
                config: {
                    dir: vmalertConfigDir,
                    files: {
                        ...Object.fromEntries(Object.entries(args.rules).map(([rule, text]) => [`${vmalertRulesDir}/${rule}.yml`, text])),
                        ...builtInSecurityFiles(vmalertConfigDir, args.security, vmalertPasswordFile),
                    },
                    // The check reads every rule file through the glob (vmalert expands it), not one main file.
                    main: vmalertRuleGlob,
                    check: vmalertCheck,
                    imageTool: "/vmalert-prod",
                    managedDirs: [vmalertRulesDir],
                    port: args.port,
                    scheme,
                    curlConfig: curlConfigFile,
                    readyPath: "/health",
                    reloadMetric: "vmalert_config_last_reload",
                },
            },
            this,
        );
        this.registerOutputs({});
    }
}
