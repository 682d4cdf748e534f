import * as pulumi from "@pulumi/pulumi";
import type { AppMetricsMode } from "../../settings/choices";
import { flaskAppSource, renderAwsCredentials, renderFlaskAppRequirements } from "./flaskAppFiles";
import { renderFlaskAppUnit } from "./flaskAppUnit";
import { readConfigFile, RemoteHost } from "../../remote/remoteHost";
import { RemoteService } from "../../remote/remoteService";

/** Arguments of {@link FlaskAppService}. */
export interface FlaskAppServiceArgs {
    /** The host to install on. */
    readonly host: RemoteHost;
    /** How the app reports latency. */
    readonly metricsMode: AppMetricsMode;
    /** Port of the app. Default 8080 is set in Pulumi.yaml. */
    readonly port: number;
    /** CloudWatch region (cloudwatch and both modes). */
    readonly awsRegion: string;
    /** AWS credentials (secret), needed in cloudwatch and both modes. */
    readonly awsAccessKeyId?: pulumi.Input<string>;
    readonly awsSecretAccessKey?: pulumi.Input<string>;
}

/** The guide's Flask app as the systemd service flask-app, from a virtualenv with pinned requirements. */
export class FlaskAppService extends pulumi.ComponentResource {
    /** The install step. */
    readonly service: RemoteService;

    constructor(name: string, args: FlaskAppServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:FlaskApp", name, {}, opts);
        const credentials = pulumi
            .all([args.awsAccessKeyId ?? "", args.awsSecretAccessKey ?? ""])
            .apply(([id, key]) => renderAwsCredentials(args.metricsMode === "prometheus" ? "" : id, key));
        this.service = new RemoteService(
            `${name}-service`,
            {
                connection: args.host.connection,
                hostReady: args.host.ready,
                files: {
                    "flask-app.install-flask-app.sh": readConfigFile("scripts/install-flask-app.sh"),
                    "flask-app.app.py": flaskAppSource(),
                    "flask-app.requirements.txt": renderFlaskAppRequirements(args.metricsMode),
                    "flask-app.service": renderFlaskAppUnit({ port: args.port }),
                },
                install: {
                    script: "flask-app.install-flask-app.sh",
                    reads: ["flask-app.app.py", "flask-app.requirements.txt", "flask-app.service"],
                    env: { METRICS_MODE: args.metricsMode, AWS_REGION: args.awsRegion, PORT: String(args.port) },
                    stdin: pulumi.secret(credentials),
                    delete: "systemctl disable --now flask-app; rm -f /etc/systemd/system/flask-app.service; systemctl daemon-reload",
                },
            },
            { parent: this },
        );
        this.registerOutputs({});
    }
}
