import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { ThanosBucket } from "./thanosConfig";

/**
 * The S3 actions Thanos makes on its bucket, by what a host runs: beside the first Prometheus,
 * Store and Compact read, write and delete blocks (Compact deletes the compacted and expired
 * ones); a further replica's sidecar only lists, reads and uploads, so a host with a replica (the
 * app's, Grafana's) cannot delete the metrics' history.
 */
export const thanosBucketActions = {
    bucket: ["s3:ListBucket"],
    objects: { manage: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], upload: ["s3:GetObject", "s3:PutObject"] },
} as const;

/** What a host does with the bucket: manage it (Store, Compact) or upload to it (a sidecar). */
export type ThanosBucketAccess = keyof typeof thanosBucketActions.objects;

/** A role's statements on the bucket, one per policy: its listing, and its objects. */
export function thanosBucketStatements(arn: pulumi.Input<string>, access: ThanosBucketAccess): Record<string, Record<string, unknown>> {
    return {
        "thanos-bucket": { Effect: "Allow", Action: [...thanosBucketActions.bucket], Resource: arn },
        "thanos-objects": { Effect: "Allow", Action: [...thanosBucketActions.objects[access]], Resource: pulumi.interpolate`${arn}/*` },
    };
}

/** How long the created bucket keeps what was overwritten or deleted, and unfinished uploads. */
export const metricsBucketRecovery = { noncurrentVersionDays: 30, incompleteUploadDays: 7 } as const;

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
 * blocked), encrypted (SSE-S3), versioned (what is overwritten or deleted stays 30 days), and kept when the stack is destroyed or thanos is turned off, since it holds the
 * metrics' history. The instances' roles are allowed thanosBucketStatements on it alone; no key
 * pair exists.
 */
export class AwsMetricsBucket extends pulumi.ComponentResource {
    /** The bucket as Thanos reaches it: the region's endpoint, signed by the instance role. */
    readonly bucket: pulumi.Output<ThanosBucket>;
    /** The bucket's ARN. */
    readonly arn: pulumi.Output<string>;
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
            // Encrypted at rest with S3's keys, declared rather than left to the account's default.
            const encrypted = new aws.s3.BucketServerSideEncryptionConfiguration(
                `${name}-encryption`,
                { bucket: created.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
                retained,
            );
            // Versioned: a block that is overwritten or deleted (by mistake, or by a host that should
            // not) stays recoverable for noncurrentVersionDays; after that S3 removes the old versions,
            // so Thanos Compact's deletions free the space.
            const versioned = new aws.s3.BucketVersioning(
                `${name}-versioning`,
                { bucket: created.id, versioningConfiguration: { status: "Enabled" } },
                retained,
            );
            const lifecycle = new aws.s3.BucketLifecycleConfiguration(
                `${name}-lifecycle`,
                {
                    bucket: created.id,
                    rules: [
                        {
                            id: "expire-old-versions",
                            status: "Enabled",
                            filter: {},
                            noncurrentVersionExpiration: { noncurrentDays: metricsBucketRecovery.noncurrentVersionDays },
                            abortIncompleteMultipartUpload: { daysAfterInitiation: metricsBucketRecovery.incompleteUploadDays },
                        },
                    ],
                },
                { ...retained, dependsOn: [versioned] },
            );
            this.dependsOn.push(created, blocked, encrypted, versioned, lifecycle);
            bucketName = created.bucket;
        } else {
            bucketName = pulumi.output(args.existingBucket);
        }
        this.arn = pulumi.interpolate`arn:aws:s3:::${bucketName}`;
        this.bucket = pulumi.all([bucketName, region]).apply(([bucket, r]) => ({ bucket, endpoint: `s3.${r}.amazonaws.com`, region: r, insecure: false }));
        this.registerOutputs({});
    }
}
