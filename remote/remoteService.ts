import * as pulumi from "@pulumi/pulumi";
import { remote } from "@pulumi/command";
import * as crypto from "crypto";
import { afterReadingStdin, Connection, scriptCommand, stageDir } from "./remoteHost";

/** A script run on the host, with its parameters. */
export interface RemoteStep {
    /** Staged file name of the script. */
    readonly script: string;
    /** Parameters, passed inline on the command line (sshd may drop an SSH environment). */
    readonly env: Readonly<Record<string, string>>;
    /** Staged files this step reads: a change to any of them re-runs the step. */
    readonly reads: readonly string[];
    /** Standard input, for secrets; never echoed. */
    readonly stdin?: pulumi.Input<string>;
    /** Runs when the step is deleted (pulumi destroy), to remove what it installed. */
    readonly delete?: string;
}

/** Arguments of {@link RemoteService}. */
export interface RemoteServiceArgs {
    /** How to reach the host. */
    readonly connection: pulumi.Input<Connection>;
    /** The host's ready step; nothing is copied before it. */
    readonly hostReady: pulumi.Resource;
    /** Rendered files by staged name (a flat name in the staging directory). */
    readonly files: Readonly<Record<string, pulumi.Input<string>>>;
    /** Installs the software and its unit; re-runs only when its files or parameters change. */
    readonly install: RemoteStep;
    /** Checks and activates configuration; re-runs only when its files or parameters change. */
    readonly configure?: RemoteStep;
    /** Resources that must be complete before anything is installed. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Installs one service over SSH in three ordered steps: stage every rendered file, install, then
 * check and activate the configuration. A step's command line carries the sha256 of everything it
 * reads, so a rerun with nothing changed runs nothing, and a change re-runs only the steps that
 * read the changed files.
 *
 * A file whose text the program knows as it starts (scripts, units) is staged by a CopyToRemote.
 * A file computed from other resources (prometheus.yml from addresses, web.yml from a generated
 * password, certificates and keys) is staged by a Command that writes its standard input: the
 * command provider 1.2.1 refuses a CopyToRemote whose asset is not known yet at preview ("either
 * asset or archive must be set"), which is every such file on a new stack.
 *
 * Only a file that holds a secret (a key, a password file, a credential) is secret: a
 * configuration names its secrets by file, so a preview shows its changed lines. A step's command
 * line then carries, for a secret file, not a hash of its text (which would make the command line
 * secret, and would let anyone holding the state test guesses of the secret against it) but a
 * random token its staging writes out each time it stages a new text.
 */
export class RemoteService extends pulumi.ComponentResource {
    /** One staging resource per staged file, by staged name. */
    readonly copies: Readonly<Record<string, remote.CopyToRemote | remote.Command>>;
    readonly installCommand: remote.Command;
    readonly configureCommand?: remote.Command;

    constructor(name: string, args: RemoteServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:remote:RemoteService", name, {}, opts);

        const copies: Record<string, remote.CopyToRemote | remote.Command> = {};
        const secretFiles: Record<string, pulumi.Output<boolean>> = {};
        for (const stagedName of Object.keys(args.files).sort()) {
            if (!/^[A-Za-z0-9._-]+$/.test(stagedName)) {
                throw new Error(`staged file name "${stagedName}" must be a plain file name`);
            }
            const text = args.files[stagedName];
            const remotePath = `${stageDir}/${stagedName}`;
            const stageOpts = { parent: this, dependsOn: [args.hostReady, ...(args.dependsOn ?? [])] };
            const secret = pulumi.output(pulumi.isSecret(pulumi.output(text)));
            copies[stagedName] =
                typeof text === "string"
                    ? new remote.CopyToRemote(
                          `${name}-stage-${stagedName}`,
                          { connection: args.connection, source: new pulumi.asset.StringAsset(text), remotePath },
                          stageOpts,
                      )
                    : new remote.Command(
                          `${name}-stage-${stagedName}`,
                          {
                              connection: args.connection,
                              // Written whole, then moved into place; readable by root only (the staging directory is too).
                              // A secret file's staging prints a new random token, which the steps reading it hash instead of its text.
                              create: secret.apply(
                                  (isSecret) =>
                                      `umask 077 && cat >${remotePath}.new && mv -f ${remotePath}.new ${remotePath}` +
                                      (isSecret ? " && od -An -N16 -tx1 /dev/urandom | tr -d ' \\n'" : ""),
                              ),
                              // A computed file may hold keys or passwords: it goes with its resource.
                              delete: afterReadingStdin(`rm -f ${remotePath}`),
                              stdin: text,
                          },
                          stageOpts,
                      );
            secretFiles[stagedName] = secret;
        }
        this.copies = copies;

        const step = (stepName: string, spec: RemoteStep, after: pulumi.Resource[]): remote.Command => {
            for (const file of [spec.script, ...spec.reads]) {
                if (!(file in args.files)) {
                    throw new Error(`${name}: step ${stepName} reads "${file}", which is not one of the staged files`);
                }
            }
            const read = [spec.script, ...spec.reads].sort();
            // What stands for each file in the digest: its text, or for a secret file its staging's token.
            const standIns = read.map((file) => {
                const copy = copies[file];
                return secretFiles[file] === undefined || !(copy instanceof remote.Command)
                    ? pulumi.output(args.files[file])
                    : secretFiles[file].apply((isSecret) =>
                          isSecret ? pulumi.unsecret(copy.stdout).apply((token) => `token ${token}`) : pulumi.output(args.files[file]),
                      );
            });
            const digest = pulumi.all(standIns).apply((contents) => {
                const hash = crypto.createHash("sha256");
                read.forEach((file, i) => hash.update(`${file}\0${contents[i]}\0`));
                return hash.digest("hex");
            });
            return new remote.Command(
                `${name}-${stepName}`,
                {
                    connection: args.connection,
                    create: pulumi.interpolate`${scriptCommand(`${stageDir}/${spec.script}`, spec.env)} # inputs sha256:${digest}`,
                    ...(spec.stdin !== undefined ? { stdin: spec.stdin } : {}),
                    ...(spec.delete !== undefined ? { delete: spec.stdin !== undefined ? afterReadingStdin(spec.delete) : spec.delete } : {}),
                },
                { parent: this, dependsOn: [...read.map((file) => copies[file]), ...after], additionalSecretOutputs: ["stdin"] },
            );
        };

        this.installCommand = step("install", args.install, []);
        this.configureCommand = args.configure ? step("configure", args.configure, [this.installCommand]) : undefined;
        this.registerOutputs({});
    }
}
