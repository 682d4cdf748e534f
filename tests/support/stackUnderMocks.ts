import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import type * as pulumiType from "@pulumi/pulumi";
import { spawnSync } from "child_process";
import { pinnedPromtool, tempTree } from "./tools";
import { settingDefault } from "../../settings/schema";

/** The project directory. */
export const projectDir = path.join(__dirname, "..", "..");

/** The shared fixtures beside the project (../shared/fixtures); tests fail, saying so, without them. */
export function sharedFixture(relative: string): string {
    const file = path.join(projectDir, "..", "shared", "fixtures", relative);
    if (!fs.existsSync(file)) {
        throw new Error(`${file} is missing: the tests read the shared fixtures from ../shared beside the project checkout`);
    }
    return file;
}

/** Values a user sets before the first `pulumi up`, as the stack files' comments ask. */
export interface UserSettings {
    /** Plain settings by key (without the project namespace). */
    readonly values?: Record<string, unknown>;
    /** Secret settings by key, set as if with `pulumi config set --secret`. */
    readonly secrets?: Record<string, string>;
    /** Settings stored in plain text although they should be secret (a user mistake). */
    readonly plaintextSecrets?: Record<string, string>;
}

/** One resource registration as the engine received it. */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    /** The id the mocked provider gave it (empty for components). */
    readonly id: string;
    readonly custom: boolean;
    readonly parent: string;
    readonly dependencies: string[];
    /** Inputs with secrets unwrapped. */
    readonly inputs: Record<string, unknown>;
    /** Input names whose value was sent as a secret. */
    readonly secretInputs: string[];
    /** URNs this resource is also known by (its aliases, those inherited from its parents included). */
    readonly aliases: string[];
}

/** An evaluated program. */
export interface EvaluatedStack {
    readonly resources: RecordedResource[];
    readonly outputs: Record<string, pulumiType.Output<unknown> | string>;
    /** The resource with this type and name; throws if there is none. */
    readonly get: (type: string, name: string) => RecordedResource;
    /** The staging resources of rendered files (a CopyToRemote, or a Command writing its standard input). */
    readonly stagings: () => RecordedResource[];
    /** The text a staging resource writes, by resource name. */
    readonly staged: (name: string) => string;
    readonly pulumi: typeof pulumiType;
    /** The invokes the program made, in order. */
    readonly calls: { token: string; inputs: Record<string, unknown> }[];
}

/** The special-signature key and the value that marks a serialized secret. */
const sigKey = "4dabf18193072939515e22adb298388d";
const secretSig = "1b47061264138c4ac30d75fd1eb44270";

const assetSig = "c44067f5952c0a294b673a41bacd8c17";

/**
 * Reads serialized inputs as plain data: a secret becomes its value, an asset becomes
 * { text } (or { path }), so tests can compare what the engine would store.
 */
function plainInputs(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(plainInputs);
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[sigKey] === secretSig) {
            return plainInputs(record.value);
        }
        if (record[sigKey] === assetSig) {
            return record.text !== undefined ? { text: record.text } : { path: record.path };
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plainInputs(v)]));
    }
    return value;
}

function configValue(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** The config of a committed stack file, plus what the user sets, as the engine would pass it. */
export function stackConfig(stack: string, user: UserSettings = {}): { config: Record<string, string>; secretKeys: string[] } {
    // A stack without a committed file (the lab's) starts from Pulumi.yaml's defaults alone.
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    const parsed = fs.existsSync(file) ? ((yaml.load(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> }) ?? {}) : {};
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(parsed.config ?? {})) {
        if (value !== null && typeof value === "object" && "secure" in (value as object)) {
            throw new Error(`${file} holds an encrypted value for ${key}; tests cannot decrypt it`);
        }
        config[key] = configValue(value);
    }
    for (const [key, value] of Object.entries(user.values ?? {})) {
        config[`monitoring:${key}`] = configValue(value);
    }
    for (const [key, value] of Object.entries(user.plaintextSecrets ?? {})) {
        config[`monitoring:${key}`] = value;
    }
    for (const [key, value] of Object.entries(user.secrets ?? {})) {
        config[`monitoring:${key}`] = value;
        secretKeys.push(`monitoring:${key}`);
    }
    return { config, secretKeys };
}

/**
 * A number for a resource, from its name alone, so that what the mocked cloud answers (addresses,
 * numeric ids) does not move when the program registers resources in another order: the stacks'
 * number is a hash of the name.
 */
export function numberOf(name: string): number {
    let hash = 0;
    for (const c of name) hash = (hash * 31 + c.charCodeAt(0)) % 9973;
    return hash % 100;
}

function fakeState(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
    const index = numberOf(name);
    switch (type) {
        case "linode:index/instance:Instance":
            return { ...inputs, ipAddress: `198.51.100.${10 + index}`, privateIpAddress: `192.168.130.${10 + index}`, status: "running" };
        case "linode:index/volume:Volume":
            return { ...inputs, filesystemPath: `/dev/disk/by-id/scsi-0Linode_Volume_${String(inputs.label)}` };
        case "aws:ec2/instance:Instance":
            return { ...inputs, publicIp: `203.0.113.${20 + index}`, privateIp: `172.31.0.${20 + index}`, availabilityZone: "us-east-1a" };
        case "aws:ec2/keyPair:KeyPair":
            return { ...inputs, keyName: inputs.keyName };
        case "aws:iam/role:Role":
        case "aws:iam/instanceProfile:InstanceProfile":
            return { ...inputs, name: inputs.name, arn: `arn:aws:iam::123456789012:role/${String(inputs.name)}` };
        case "linode:index/token:Token":
            return { ...inputs, token: `generated-${name}-linode-token` };
        case "random:index/randomPassword:RandomPassword":
            return { ...inputs, result: `generated-${name}-0123456789` };
        case "random:index/randomString:RandomString":
            return { ...inputs, result: "k3x9q2m7" };
        // Object storage: what the providers report of a new bucket and key.
        case "linode:index/objectStorageBucket:ObjectStorageBucket":
            return { ...inputs, s3Endpoint: `${String(inputs.region)}-1.linodeobjects.com` };
        case "linode:index/objectStorageKey:ObjectStorageKey":
            return { ...inputs, accessKey: "GENERATEDLINODEKEY", secretKey: "generated-linode-object-storage-secret" };
        case "aws:s3/bucket:Bucket":
            return { ...inputs, bucket: `${String(inputs.bucketPrefix)}20261124000000000000000001` };
        // The program's dynamic providers (security/stackSecrets.ts): a CA, a server certificate, a generated password.
        case "pulumi-nodejs:dynamic/tls:CertificateAuthority":
        case "pulumi-nodejs:dynamic/tls:ServerCertificate":
        case "pulumi-nodejs:dynamic/tls:GeneratedPassword":
            return inputs.length !== undefined
                ? { ...inputs, value: `generated-${name}-password-0123456789` }
                : {
                      ...inputs,
                      certPem: `-----BEGIN CERTIFICATE-----\nfake-${name}\n-----END CERTIFICATE-----\n`,
                      keyPem: `-----BEGIN PRIVATE KEY-----\nfake-${name}-key\n-----END PRIVATE KEY-----\n`,
                      notAfter: "2027-12-25T00:00:00.000Z",
                  };
        case "command:remote:Command":
            return { ...inputs, stdout: "", stderr: "" };
        case "grafana:oss/dashboard:Dashboard": {
            const uid = (JSON.parse(String(inputs.configJson)) as { uid: string }).uid;
            return { ...inputs, uid, url: `http://grafana.test/d/${uid}` };
        }
        case "grafana:oss/folder:Folder":
        case "grafana:oss/dataSource:DataSource":
            return { ...inputs, uid: inputs.uid };
        default:
            return inputs;
    }
}

/**
 * Runs index.ts under Pulumi mocks with a committed stack file and what the user sets, and records
 * every registration the engine would see: type, name, parent, dependencies and inputs. Invokes
 * are not mocked: any invoke fails the evaluation.
 */
/** Invoke results by token; any other invoke fails the evaluation. */
export type InvokeMocks = Readonly<Record<string, (inputs: Record<string, unknown>) => Record<string, unknown>>>;

/** What AWS answers for the default VPC and the current Ubuntu image, as a test account would. */
export const awsInvokes: InvokeMocks = {
    "aws:ec2/getAmi:getAmi": () => ({ id: "ami-0fedcba9876543210", name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20251101" }),
    "aws:ec2/getVpc:getVpc": () => ({ id: "vpc-0123456789abcdef0", cidrBlock: "172.31.0.0/16" }),
    "aws:index/getRegion:getRegion": () => ({ id: "us-east-1", name: "us-east-1", region: "us-east-1" }),
    "aws:ec2/getSubnets:getSubnets": () => ({ id: "us-east-1", ids: ["subnet-0bbbbbbbbbbbbbbbb", "subnet-0aaaaaaaaaaaaaaaa"] }),
    "aws:ec2/getSubnet:getSubnet": (inputs) => ({ id: inputs.id, vpcId: "vpc-0fedcba9876543210" }),
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
        id: "111122223333",
        accountId: "111122223333",
        arn: "arn:aws:iam::111122223333:user/deployer",
        userId: "AIDAEXAMPLE",
    }),
};

/** Whether evaluations keep the SDK's stack trace of every promise (see evaluateStack). */
const sdkPromiseRecords = { kept: false };

/** Keeps the SDK's stack trace of every promise, as a deployment's evaluation does (npm run bench). */
export function keepSdkPromiseRecords(): void {
    sdkPromiseRecords.kept = true;
}

/** Outputs of other stacks, by stack name, for StackReferences. */
export type StackReferenceMocks = Readonly<Record<string, Record<string, unknown>>>;

export async function evaluateStack(
    stack: string,
    user: UserSettings = {},
    invokes: InvokeMocks = {},
    references: StackReferenceMocks = {},
    /** What to run instead of index.ts (a component on its own): given this module's require. */
    load: (requireFromSupport: NodeRequire) => unknown = (requireFromSupport) => requireFromSupport("../../index"),
): Promise<EvaluatedStack> {
    const { config, secretKeys } = stackConfig(stack, user);
    let pulumi!: typeof pulumiType;
    let program!: Record<string, pulumiType.Output<unknown> | string>;
    const resources: RecordedResource[] = [];
    const calls: { token: string; inputs: Record<string, unknown> }[] = [];
    // An unmocked invoke leaves the outputs that depend on it unresolved for ever: fail at once instead.
    let rejectUnmocked!: (error: Error) => void;
    const unmocked = new Promise<never>((_, reject) => (rejectUnmocked = reject));
    unmocked.catch(() => undefined);
    let loadError: unknown;
    let waitForRPCs!: () => Promise<void>;

    // One copy of the SDK and of the program per module registry (a test file, or the bench's
    // process): each evaluation gets a new mock monitor and the whole config, which setMocks and
    // setAllConfig replace, so nothing of one evaluation reaches the next.
    {
        pulumi = require("@pulumi/pulumi");
        // The SDK records a stack trace on every promise it makes, for the leak report it prints
        // when a program exits; under jest and ts-node each trace goes through source maps, which
        // was half of an evaluation's time. An evaluation here never exits, so the tests skip the
        // records; the bench keeps them, to measure what a deployment's evaluation costs.
        if (!sdkPromiseRecords.kept) require("@pulumi/pulumi/runtime/debuggable").debuggablePromise = <T>(promise: Promise<T>) => promise;
        void pulumi.runtime.setMocks(
            {
                newResource: (args) =>
                    args.type === "pulumi:pulumi:StackReference"
                        ? {
                              id: String(args.inputs.name),
                              state: { name: args.inputs.name, outputs: references[String(args.inputs.name)] ?? {}, secretOutputNames: [] },
                          }
                        : {
                              // Linode ids are numbers (an instance takes its firewall's as firewallId).
                              id: args.type === "linode:index/firewall:Firewall" ? String(4200 + numberOf(args.name)) : `${args.name}-id`,
                              state: fakeState(args.type, args.name, args.inputs),
                          },
                call: (args) => {
                    const mock = invokes[args.token];
                    if (!mock) {
                        const error = new Error(`unmocked invoke ${args.token}`);
                        rejectUnmocked(error);
                        throw error;
                    }
                    calls.push({ token: args.token, inputs: args.inputs });
                    return mock(args.inputs);
                },
            },
            "monitoring",
            stack,
            false,
        );
        pulumi.runtime.setAllConfig(config, secretKeys);
        // With alias specs off, the SDK itself turns every alias into URNs, those its children
        // inherit included (as it does for engines without alias specs), and sends them: so a
        // test can see what each resource is also known by.
        require("@pulumi/pulumi/runtime/state").getStore().supportsAliasSpecs = false;
        const settings = require("@pulumi/pulumi/runtime/settings");
        waitForRPCs = settings.waitForRPCs;
        const monitor = settings.getMonitor();
        // The engine qualifies a URN's type with its parent's whole type chain (pulumi.createUrn does
        // the same); the mock monitor keeps only the parent's own type. Record the engine's URNs.
        monitor.newUrn = (parent: string, type: string, name: string) =>
            `urn:pulumi:${stack}::monitoring::${parent ? `${parent.split("::")[2]}$` : ""}${type}::${name}`;
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req: any, callback: any) => {
            const raw = req.getObject()?.toJavaScript() ?? {};
            const secretInputs = Object.keys(raw).filter((k) => raw[k] && typeof raw[k] === "object" && raw[k][sigKey] === secretSig);
            register(req, (err: unknown, response: any) => {
                if (!err) {
                    resources.push({
                        type: req.getType(),
                        name: req.getName(),
                        urn: response.getUrn(),
                        id: response.getId() ?? "",
                        custom: req.getCustom(),
                        parent: req.getParent(),
                        dependencies: req.getDependenciesList(),
                        inputs: plainInputs(raw) as Record<string, unknown>,
                        secretInputs,
                        aliases: req.getAliasurnsList(),
                    });
                }
                callback(err, response);
            });
        };
        try {
            program = load(require) as Record<string, pulumiType.Output<unknown> | string>;
        } catch (error) {
            loadError = error;
        }
    }
    // A failed evaluation carries what had been registered by then, so tests can show it was nothing.
    const fail = (error: unknown): never => {
        if (error !== null && typeof error === "object") (error as { registered?: RecordedResource[] }).registered = resources;
        throw error;
    };
    if (loadError) {
        fail(loadError);
    }
    // index.ts exports an async function, as Pulumi runs it; its result holds the stack outputs.
    if (typeof program === "function") {
        program = await Promise.race([(program as unknown as () => Promise<Record<string, pulumiType.Output<unknown> | string>>)(), unmocked]).catch(fail);
    }
    await Promise.race([Promise.all(Object.values(program).map((o) => (pulumi.Output.isInstance(o) ? (o as any).promise() : o))), unmocked]).catch(fail);
    await Promise.race([waitForRPCs(), unmocked]).catch(fail);
    // Addresses come from names (numberOf): two instances of one stack must not share one.
    const instances = resources.filter((r) => r.type === "linode:index/instance:Instance" || r.type === "aws:ec2/instance:Instance");
    const numbers = instances.map((r) => numberOf(r.name));
    const shared = instances.filter((_, i) => numbers.indexOf(numbers[i]) !== i).map((r) => r.name);
    if (shared.length > 0)
        throw new Error(`the mocks give ${shared.join(", ")} the address of another instance: change numberOf in tests/support/stackUnderMocks.ts`);
    const get = (type: string, name: string): RecordedResource => {
        const found = resources.find((r) => r.type === type && r.name === name);
        if (!found) {
            throw new Error(`no ${type} named ${name}; have: ${resources.map((r) => `${r.type}/${r.name}`).join(", ")}`);
        }
        return found;
    };
    const stagings = () => resources.filter(isStaging);
    const staged = (name: string): string => {
        const found = stagings().find((r) => r.name === name);
        if (!found)
            throw new Error(
                `no staged file ${name}; have: ${stagings()
                    .map((r) => r.name)
                    .join(", ")}`,
            );
        return stagedText(found);
    };
    return { resources, outputs: program, get, stagings, staged, pulumi, calls };
}

/**
 * Whether a resource stages a rendered file: a CopyToRemote (text known as the program starts) or
 * a `-stage-` Command that writes its standard input (text computed from other resources).
 */
export function isStaging(r: RecordedResource): boolean {
    return r.type === "command:remote:CopyToRemote" || (r.type === "command:remote:Command" && r.name.includes("-stage-"));
}

/** The text a staging resource writes. */
export function stagedText(r: RecordedResource): string {
    return r.type === "command:remote:CopyToRemote" ? String((r.inputs.source as { text: string }).text) : String(r.inputs.stdin);
}

/**
 * promtool check config of the pinned release on the prometheus.yml a Prometheus service stages,
 * its rule files beside it (and an empty file where it names the stack's CA): the real Prometheus
 * parser, discovery sections included. `service` is the PrometheusService's name.
 */
export function pinnedPromtoolCheck(
    stack: EvaluatedStack,
    service = "monitoring-services-prometheus",
): { status: number; stdout: string; stderr: string; output: string } {
    const prefix = `${service}-service-stage-prometheus.`;
    const files = stack.stagings().filter((r) => r.name.startsWith(prefix));
    const rules = files
        .filter((r) => /\.rules\.[a-z0-9-]+\.yml$/.test(r.name))
        .map((r) => [`rules/${/\.rules\.([a-z0-9-]+\.yml)$/.exec(r.name)![1]}`, stagedText(r)]);
    const config = stack.staged(`${prefix}prometheus.yml`).replace(/\/etc\/prometheus\/tls\/ca\.crt/g, "ca.crt");
    const dir = tempTree({ "prometheus.yml": config, "ca.crt": "", ...Object.fromEntries(rules) });
    const result = spawnSync(pinnedPromtool(settingDefault("prometheusVersion")), ["check", "config", "prometheus.yml"], { cwd: dir, encoding: "utf8" });
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}` };
}

/** Resolves an Output's value and whether it is secret. */
export async function resolveOutput<T>(output: pulumiType.Output<T>): Promise<{ value: T; secret: boolean }> {
    const o = output as any;
    return { value: await o.promise(), secret: await o.isSecret };
}
