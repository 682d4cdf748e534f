import { appMetricsModes } from "../choices";
import { awsRegionPattern } from "../formats";
import { problemList, SettingProblem } from "../problems";
import type { SettingValues } from "../values";

/** The Flask app: how it reports its metrics and the AWS keys it needs for CloudWatch. */
export function validateApp(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    if (!(appMetricsModes as readonly string[]).includes(v.appMetricsMode)) {
        problem("appMetricsMode", v.appMetricsMode, `must be one of ${appMetricsModes.join(", ")}`, "pulumi config set appMetricsMode prometheus");
    } else if (v.appMetricsMode !== "prometheus") {
        if (!awsRegionPattern.test(v.appAwsRegion)) {
            problem("appAwsRegion", v.appAwsRegion, "is not an AWS region id", "pulumi config set appAwsRegion us-east-1");
        }
        for (const key of ["appAwsAccessKeyId", "appAwsSecretAccessKey"] as const) {
            if (v.platform === "aws" && v[key] !== "") {
                problem(
                    key,
                    "(hidden)",
                    "is not used on aws, where the app instance gets a role allowing only cloudwatch:PutMetricData",
                    `pulumi config rm ${key}`,
                );
            } else if (v.platform !== "aws" && v[key] === "") {
                problem(
                    key,
                    "",
                    `is required when appMetricsMode is ${v.appMetricsMode}, so the app can call put_metric_data`,
                    `pulumi config set --secret ${key} <value>`,
                );
            }
        }
    }
    if (v.appMetricsMode === "prometheus") {
        for (const key of ["appAwsAccessKeyId", "appAwsSecretAccessKey"] as const) {
            if (v[key] !== "") {
                problem(
                    key,
                    "(hidden)",
                    "is set but appMetricsMode is prometheus, so the app sends nothing to CloudWatch and nothing would use it",
                    `pulumi config rm ${key}, or pulumi config set appMetricsMode both`,
                );
            }
        }
    }
    return problems;
}
