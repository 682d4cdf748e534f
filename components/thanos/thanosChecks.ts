import { thanosPorts } from "./thanosConfig";
import { portKeys } from "../../settings/declarations";
import { durationPattern, durationSeconds } from "../../settings/formats";
import { checkAwsKeyPair, checkUnusedAwsKeyPair } from "../../settings/awsKeyPairs";
import { problemList, SettingProblem } from "../../settings/problems";
import { hostOf, isPrivateHost } from "../../network/privateEndpoints";
import type { SettingValues } from "../../settings/values";

/** An S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit. */
export const bucketNamePattern = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** host or host:port, no scheme and no path. */
export const bucketEndpointPattern = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;

/** Long-term storage (setting thanos): the release, the retention, the bucket and its credentials, by platform. */
export function validateThanos(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    if (!durationPattern.test(v.thanosRetention)) {
        problem("thanosRetention", v.thanosRetention, "is not a duration such as 90d or 2y", "pulumi config set thanosRetention 365d");
    } else if (durationPattern.test(v.prometheusRetentionTime) && durationSeconds(v.thanosRetention) <= durationSeconds(v.prometheusRetentionTime)) {
        problem(
            "thanosRetention",
            v.thanosRetention,
            `is not longer than prometheusRetentionTime (${v.prometheusRetentionTime}): the bucket would keep less than Prometheus's own disk`,
            "pulumi config set thanosRetention 365d",
        );
    }
    const fixed = Object.entries(thanosPorts);
    if (v.thanos) {
        for (const key of portKeys) {
            const clash = fixed.find(([, port]) => port === v[key]);
            if (clash) {
                problem(
                    key,
                    v[key],
                    `is the port Thanos uses for its ${clash[0]} on the monitoring host (thanos is on)`,
                    `pulumi config set ${key} <another port>`,
                );
            }
        }
    }
    if (v.thanosBucket !== "" && !bucketNamePattern.test(v.thanosBucket)) {
        problem(
            "thanosBucket",
            v.thanosBucket,
            "is not a bucket name: 3 to 63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit",
            "pulumi config set thanosBucket <e.g. acme-prod-metrics>",
        );
    }
    if (v.thanosBucketEndpoint !== "" && !bucketEndpointPattern.test(v.thanosBucketEndpoint)) {
        const bare = v.thanosBucketEndpoint.replace(/^[a-z]+:\/\//i, "").replace(/\/.*$/, "");
        problem(
            "thanosBucketEndpoint",
            v.thanosBucketEndpoint,
            "is not host[:port]: no scheme (thanosBucketInsecure chooses HTTP) and no path",
            `pulumi config set thanosBucketEndpoint ${bucketEndpointPattern.test(bare) ? bare : "<host:port>"}`,
        );
    }
    const keyPair = ["thanosBucketAccessKeyId", "thanosBucketSecretAccessKey"] as const;
    const keysSet = keyPair.filter((key) => v[key] !== "");
    if (!v.thanos) {
        checkUnusedAwsKeyPair(v, keyPair, problem, { off: "thanos is off", turnOn: "pulumi config set thanos true" });
        return problems;
    }
    if (v.platform === "aws") {
        // The Prometheus instance's role signs, and may use that bucket alone: a key pair would be a long-lived credential on the host.
        checkAwsKeyPair(v, keyPair, problem, { role: "the Prometheus instance's role may use the bucket", required: "" });
    } else if (v.platform === "hosts" || keysSet.length === 1) {
        for (const key of keyPair.filter((k) => v[k] === "")) {
            problem(
                key,
                "",
                v.platform === "hosts"
                    ? "is required on hosts, where Thanos signs with a key pair of your store"
                    : "is empty while the other half of the bucket's key pair is set",
                `pulumi config set --secret ${key} <value>`,
            );
        }
    }
    if (v.platform === "hosts") {
        const endpointHost = hostOf(v.thanosBucketEndpoint);
        if (v.thanosBucketInsecure && bucketEndpointPattern.test(v.thanosBucketEndpoint) && endpointHost !== undefined && !isPrivateHost(endpointHost)) {
            problem(
                "thanosBucketInsecure",
                true,
                `would send the bucket's keys' signatures and every block over plain HTTP to ${v.thanosBucketEndpoint}, a public address; plain HTTP is for a store inside your network`,
                "pulumi config set thanosBucketInsecure false",
            );
        }
        if (v.thanosBucket === "") {
            problem(
                "thanosBucket",
                "",
                "is empty: on hosts the stack cannot create a bucket; it uses one that exists",
                "pulumi config set thanosBucket <your bucket>",
            );
        }
        if (v.thanosBucketEndpoint === "") {
            problem(
                "thanosBucketEndpoint",
                "",
                "is empty: on hosts Thanos needs the S3-compatible store's address",
                "pulumi config set thanosBucketEndpoint <host:port of your store's S3 API>",
            );
        }
        return problems;
    }
    if (v.thanosBucketRegion !== "") {
        problem(
            "thanosBucketRegion",
            v.thanosBucketRegion,
            `applies on hosts only; on ${v.platform} the bucket is in the stack's region`,
            "pulumi config rm thanosBucketRegion",
        );
    }
    if (v.thanosBucketInsecure) {
        problem(
            "thanosBucketInsecure",
            true,
            `applies on hosts only; on ${v.platform} the bucket is reached over HTTPS`,
            "pulumi config rm thanosBucketInsecure",
        );
    }
    return problems;
}
