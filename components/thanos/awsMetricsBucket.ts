import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ThanosBucket } from "./thanosConfig";

/** The S3 actions Thanos makes on its bucket: list it, and read, write and delete its objects. */
export const thanosBucketActions = { bucket: ["s3:ListBucket"], objects: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] } as const;

/** Arguments of {@link AwsMetricsBucket}. */
export interface AwsMetricsBucketArgs {
    /** <labelPrefix>-<stack>: the created bucket's name starts with it. */
    readonly namePrefix: string;
    /** An existing bucket in the stack's region (setting thanosBucket); empty creates one. */
    readonly existingBucket: string;
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * Thanos's bucket in S3: created with a name AWS makes unique, private (every public access
 * blocked), and kept when the stack is destroyed or thanos is turned off, since it holds the
 * metrics' history. The Prometheus instance's role is allowed the statements of `policy` on it
 * alone; no key pair exists.
 */
export class AwsMetricsBucket extends pulumi.ComponentResource {
    /** The bucket as Thanos reaches it: the region's endpoint, signed by the instance role. */
    readonly bucket: pulumi.Output<ThanosBucket>;
    /** The bucket's ARN. */
    readonly arn: pulumi.Output<string>;
    /** The role's statements, one per policy: the bucket's listing, and its objects. */
    readonly policy: Readonly<Record<string, Record<string, unknown>>>;
    /** What Thanos waits for besides the role. */
    readonly dependsOn: pulumi.Resource[];

    constructor(name: string, args: AwsMetricsBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:aws:AwsMetricsBucket", name, {}, opts);
        const parent = { parent: this };
        const region = aws.getRegionOutput({}, parent).region;
        this.dependsOn = [];
        let bucketName: pulumi.Output<string>;
        if (args.existingBucket === "") {
            // The metrics' history outlives the stack: pulumi destroy leaves the bucket and its objects.
            const retained = { ...parent, retainOnDelete: true };
            const created = new aws.s3.Bucket(name, { bucketPrefix: `${args.namePrefix}-metrics-`, tags: { ...args.tags } }, retained);
            const blocked = new aws.s3.BucketPublicAccessBlock(
                `${name}-public-access-block`,
                { bucket: created.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
                retained,
            );
            this.dependsOn.push(created, blocked);
            bucketName = created.bucket;
        } else {
            bucketName = pulumi.output(args.existingBucket);
        }
        this.arn = pulumi.interpolate`arn:aws:s3:::${bucketName}`;
        this.policy = {
            "thanos-bucket": { Effect: "Allow", Action: [...thanosBucketActions.bucket], Resource: this.arn },
            "thanos-objects": { Effect: "Allow", Action: [...thanosBucketActions.objects], Resource: pulumi.interpolate`${this.arn}/*` },
        };
        this.bucket = pulumi.all([bucketName, region]).apply(([bucket, r]) => ({ bucket, endpoint: `s3.${r}.amazonaws.com`, region: r, insecure: false }));
        this.registerOutputs({});
    }
}
