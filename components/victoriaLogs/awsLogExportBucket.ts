import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** How long an exported object stays in the bucket: time enough to import it (npm run import-logs). */
export const logExportObjectDays = 90;

/**
 * The bucket policy CloudWatch Logs needs to export a log group of this account and region into
 * the bucket (create-export-task): its service principal may read the bucket's ACL and write
 * objects the bucket owner fully controls, for this account's log groups only.
 */
export function logExportBucketPolicy(bucketArn: string, region: string, account: string): Record<string, unknown> {
    const principal = { Service: `logs.${region}.amazonaws.com` };
    const fromThisAccount = {
        StringEquals: { "aws:SourceAccount": [account] },
        ArnLike: { "aws:SourceArn": [`arn:aws:logs:${region}:${account}:log-group:*`] },
    };
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "CloudWatchLogsReadsTheAcl",
                Effect: "Allow",
                Principal: principal,
                Action: "s3:GetBucketAcl",
                Resource: bucketArn,
                Condition: fromThisAccount,
            },
            {
                Sid: "CloudWatchLogsWritesExports",
                Effect: "Allow",
                Principal: principal,
                Action: "s3:PutObject",
                Resource: `${bucketArn}/*`,
                Condition: { ...fromThisAccount, StringEquals: { ...fromThisAccount.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" } },
            },
        ],
    };
}

/** Arguments of {@link AwsLogExportBucket}. */
export interface AwsLogExportBucketArgs {
    /** <labelPrefix>-<stack>: the bucket's name starts with it. */
    readonly namePrefix: string;
    readonly tags: Readonly<Record<string, string>>;
}

/**
 * The S3 bucket CloudWatch Logs exports a log group's history into (setting logsExportBucket), for
 * npm run import-logs: private (every public access blocked), encrypted (SSE-S3, which exports
 * support), its objects expiring after logExportObjectDays, with the policy CloudWatch Logs needs.
 * Kept when the stack is destroyed, as it may hold history not imported yet.
 */
export class AwsLogExportBucket extends pulumi.ComponentResource {
    /** The bucket's name. */
    readonly bucket: pulumi.Output<string>;

    constructor(name: string, args: AwsLogExportBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:aws:AwsLogExportBucket", name, {}, opts);
        const retained = { parent: this, retainOnDelete: true };
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const created = new aws.s3.Bucket(name, { bucketPrefix: `${args.namePrefix}-log-exports-`, tags: { ...args.tags } }, retained);
        new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access-block`,
            { bucket: created.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            retained,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { bucket: created.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: true }] },
            retained,
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket: created.id,
                rules: [
                    {
                        id: "expire-imported-exports",
                        status: "Enabled",
                        filter: {},
                        expiration: { days: logExportObjectDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            retained,
        );
        new aws.s3.BucketPolicy(
            `${name}-policy`,
            {
                bucket: created.id,
                policy: pulumi
                    .all([pulumi.interpolate`arn:aws:s3:::${created.bucket}`, region, account])
                    .apply(([arn, r, a]) => JSON.stringify(logExportBucketPolicy(arn, r, a))),
            },
            retained,
        );
        this.bucket = created.bucket;
        this.registerOutputs({ bucket: this.bucket });
    }
}
