import * as pulumi from "@pulumi/pulumi";
import type { BridgedMetric } from "../../cloudwatch/translateAlarms";
import { bridgeArgs, bridgeConfigDir, bridgeEnvironment, bridgeListenAddress, renderBridgeConfig, renderBridgeCredentials } from "./bridgeConfig";
import { bridgeContainer } from "./bridgeUnit";
import { releaseImage } from "../../runtimes/images";
import { renderBridgeUnit } from "./bridgeUnit";
import { curlConfigFile } from "../../security/webSecurity";
import type { ReleaseDownload } from "../../runtimes/releaseDownload";
import type { RemoteHost } from "../../remote/remoteHost";
import type { RemoteService } from "../../remote/remoteService";
import { installService, Runtime } from "../../runtimes/runtime";

/** Arguments of {@link CloudwatchBridgeService}. */
export interface CloudwatchBridgeServiceArgs {
    /** The monitoring host, where Prometheus scrapes it on the loopback. */
    readonly host: RemoteHost;
    readonly runtime: Runtime;
    /** YACE's release (yet-another-cloudwatch-exporter); its version also tags the image. */
    readonly download: ReleaseDownload;
    /** Image repository, or repository@sha256:digest (setting yaceImage). */
    readonly imageRepository: string;
    /** The CloudWatch metrics the translated alarms read through the bridge. */
    readonly metrics: readonly BridgedMetric[];
    /** The AWS region it reads. */
    readonly region: string;
    /** An AWS API endpoint in place of AWS's own, or "". */
    readonly endpoint: string;
    /** The access key pair (secrets), where there is no instance role (linode, hosts). */
    readonly accessKeys?: { readonly accessKeyId: pulumi.Input<string>; readonly secretAccessKey: pulumi.Input<string> };
    /** Seconds between its polls of CloudWatch. */
    readonly scrapingInterval: number;
    /** What it waits for: on aws, the instance role's policy. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The CloudWatch bridge for the migration period: YACE (yet-another-cloudwatch-exporter) reads the
 * CloudWatch metrics that only CloudWatch has (load balancers, RDS, SQS...) for the translated
 * alarms, and Prometheus scrapes it on the monitoring host's loopback. Under systemd from its
 * release tarball, or in Docker from the image of the same version; its configuration is checked
 * by `yace verify-config` before it goes live, then it restarts (it has no reload).
 */
export class CloudwatchBridgeService extends pulumi.ComponentResource {
    /** The install step. */
    readonly service: RemoteService;

    constructor(name: string, args: CloudwatchBridgeServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:CloudwatchBridge", name, {}, opts);
        const flags = bridgeArgs(args.scrapingInterval);
        const environment = bridgeEnvironment({ region: args.region, endpoint: args.endpoint });
        const keys = args.accessKeys;
        const credentials = keys
            ? pulumi.secret(
                  pulumi
                      .all([keys.accessKeyId, keys.secretAccessKey])
                      .apply(([accessKeyId, secretAccessKey]) => renderBridgeCredentials({ accessKeyId, secretAccessKey })),
              )
            : renderBridgeCredentials();
        const port = Number(bridgeListenAddress.split(":")[1]);
        this.service = installService(
            name,
            args,
            "yace",
            {
                systemd: () => ({
                    kind: "release",
                    download: args.download,
                    releaseName: "yet-another-cloudwatch-exporter",
                    binaries: ["yace"],
                    user: "yace",
                    unit: renderBridgeUnit({ args: flags, environment }),
                    configDir: bridgeConfigDir,
                    // Its credentials file goes with it.
                    removeConfigOnDelete: true,
                }),
                docker: () => ({
                    container: bridgeContainer({
                        image: releaseImage(args.imageRepository, args.download.version),
                        args: flags,
                        environment,
                        configDir: bridgeConfigDir,
                    }),
                }),
                config: {
                    dir: bridgeConfigDir,
                    files: {
                        "config.yml": renderBridgeConfig(args.region, args.metrics),
                        credentials,
                        // It serves plain HTTP on the loopback: the checks need no CA or password.
                        [curlConfigFile]: "# The bridge serves plain HTTP on the loopback.\n",
                    },
                    main: "config.yml",
                    check: "yace verify-config --config.file",
                    port,
                    scheme: "http",
                    curlConfig: curlConfigFile,
                    readyPath: "/metrics",
                    restartOnChange: true,
                },
            },
            this,
        );
        this.registerOutputs({});
    }
}
