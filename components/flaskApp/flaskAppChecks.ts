import { nearestChoice } from "../../settings/nearest";
import { appMetricsModes } from "../../settings/choices";
import { awsRegionPattern } from "../../settings/formats";
import { checkAwsKeyPair, checkUnusedAwsKeyPair } from "../../settings/awsKeyPairs";
import { problemList, SettingProblem } from "../../settings/problems";
import type { SettingValues } from "../../settings/values";

/** The Flask app: how it reports its metrics and the AWS keys it needs for CloudWatch. */
export function validateApp(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    if (!(appMetricsModes as readonly string[]).includes(v.appMetricsMode)) {
        problem(
            "appMetricsMode",
            v.appMetricsMode,
            `must be one of ${appMetricsModes.join(", ")}`,
            `pulumi config set appMetricsMode ${nearestChoice(v.appMetricsMode, appMetricsModes) ?? "prometheus"}`,
        );
    } else if (v.appMetricsMode !== "prometheus") {
        if (!awsRegionPattern.test(v.appAwsRegion)) {
            problem("appAwsRegion", v.appAwsRegion, "is not an AWS region id", "pulumi config set appAwsRegion us-east-1");
        }
        checkAwsKeyPair(v, ["appAwsAccessKeyId", "appAwsSecretAccessKey"], problem, {
            role: "the app instance gets a role allowing only cloudwatch:PutMetricData",
            required: `when appMetricsMode is ${v.appMetricsMode}, so the app can call put_metric_data`,
        });
    }
    if (v.appMetricsMode === "prometheus") {
        checkUnusedAwsKeyPair(v, ["appAwsAccessKeyId", "appAwsSecretAccessKey"], problem, {
            off: "appMetricsMode is prometheus, so the app sends nothing to CloudWatch and",
            turnOn: "pulumi config set appMetricsMode both",
        });
    }
    return problems;
}
