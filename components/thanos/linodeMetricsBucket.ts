import * as pulumi from "@pulumi/pulumi";
import * as linode from "@pulumi/linode";
import * as random from "@pulumi/random";
import type { ThanosBucket } from "./thanosConfig";

/** Arguments of {@link LinodeMetricsBucket}. */
export interface LinodeMetricsBucketArgs {
    /** The stack's region: the bucket's, and the endpoint's. */
    readonly region: string;
    /** <labelPrefix>-<stack>: the created bucket's name starts with it, and the key's label. */
    readonly namePrefix: string;
    /** An existing bucket in the region (setting thanosBucket); empty creates one. */
    readonly existingBucket: string;
    /** The S3 endpoint of an existing bucket (setting thanosBucketEndpoint); empty means <region>-1.linodeobjects.com. */
    readonly endpoint: string;
    /** A key pair the user supplies; without one the stack creates a key limited to this bucket. */
    readonly keys?: { readonly accessKeyId: pulumi.Input<string>; readonly secretAccessKey: pulumi.Input<string> };
}

/**
 * Thanos's bucket in Linode Object Storage: created with a random suffix (bucket names are unique
 * across Linode) and kept when the stack is destroyed or thanos is turned off, since it holds the
 * metrics' history; and an access key limited to read_write on that one bucket.
 */
export class LinodeMetricsBucket extends pulumi.ComponentResource {
    /** The bucket as Thanos reaches it, the key pair a secret. */
    readonly bucket: pulumi.Output<ThanosBucket>;
    /** What Thanos waits for: the bucket and its key. */
    readonly dependsOn: pulumi.Resource[];

    constructor(name: string, args: LinodeMetricsBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:linode:LinodeMetricsBucket", name, {}, opts);
        const parent = { parent: this };
        const dependsOn: pulumi.Resource[] = [];
        let bucketName: pulumi.Output<string>;
        let endpoint: pulumi.Output<string>;
        if (args.existingBucket === "") {
            const suffix = new random.RandomString(`${name}-suffix`, { length: 8, special: false, upper: false }, parent);
            const created = new linode.ObjectStorageBucket(
                name,
                { region: args.region, label: pulumi.interpolate`${args.namePrefix}-metrics-${suffix.result}` },
                // The metrics' history outlives the stack: pulumi destroy leaves the bucket and its objects.
                { ...parent, retainOnDelete: true },
            );
            dependsOn.push(created);
            bucketName = created.label;
            endpoint = created.s3Endpoint;
        } else {
            bucketName = pulumi.output(args.existingBucket);
            endpoint = pulumi.output(args.endpoint !== "" ? args.endpoint : `${args.region}-1.linodeobjects.com`);
        }
        let keys: { accessKeyId: pulumi.Input<string>; secretAccessKey: pulumi.Input<string> };
        if (args.keys) {
            keys = args.keys;
        } else {
            const key = new linode.ObjectStorageKey(
                `${name}-key`,
                {
                    label: `${args.namePrefix}-thanos`,
                    bucketAccesses: [{ bucketName, region: args.region, permissions: "read_write" }],
                },
                parent,
            );
            dependsOn.push(key);
            keys = { accessKeyId: key.accessKey, secretAccessKey: key.secretKey };
        }
        this.bucket = pulumi.secret(
            pulumi.all([bucketName, endpoint, keys.accessKeyId, keys.secretAccessKey]).apply(([bucket, host, accessKeyId, secretAccessKey]) => ({
                bucket,
                endpoint: host,
                region: args.region,
                insecure: false,
                keys: { accessKeyId, secretAccessKey },
            })),
        );
        this.dependsOn = dependsOn;
        this.registerOutputs({});
    }
}
