import { problemList, SettingProblem } from "../../settings/problems";
import { settingDefault } from "../../settings/schema";
import type { SettingValues } from "../../settings/values";
import { decimalBytes, decimalSizePattern } from "../../settings/formats";
import { retentionDays, retentionPattern } from "./victoriaLogsConfig";

/** What the monitoring host's system disk keeps for the system, the images and the releases, beside the store's data. */
const systemReserveGiB = 8;

/** The log store: its retention by time and by disk. */
export function validateVictoriaLogs(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    if (!retentionPattern.test(v.logsRetention) || retentionDays(v.logsRetention) < 1) {
        problem(
            "logsRetention",
            v.logsRetention,
            "is not a retention VictoriaLogs takes: a whole number of hours, days, weeks or years (30d, 12w, 1y), at least a day",
            `pulumi config set logsRetention ${settingDefault("logsRetention")}`,
        );
    }
    if (!decimalSizePattern.test(v.logsRetentionSize)) {
        problem(
            "logsRetentionSize",
            v.logsRetentionSize,
            "is not a size VictoriaLogs takes: a whole number above zero of KB, MB, GB or TB (10GB; it counts 1GB as 10^9 bytes)",
            `pulumi config set logsRetentionSize ${settingDefault("logsRetentionSize")}`,
        );
    }
    const rootGiB = v.awsRootVolumeSizeGb;
    if (
        v.platform === "aws" &&
        v.logs &&
        decimalSizePattern.test(v.logsRetentionSize) &&
        decimalBytes(v.logsRetentionSize) > (rootGiB - systemReserveGiB) * 2 ** 30
    ) {
        problem(
            "logsRetentionSize",
            v.logsRetentionSize,
            `does not fit the monitoring instance's ${rootGiB} GiB root volume (awsRootVolumeSizeGb), which keeps ${systemReserveGiB} GiB for the system, the images and the releases`,
            `pulumi config set awsRootVolumeSizeGb ${Math.ceil(decimalBytes(v.logsRetentionSize) / 2 ** 30) + systemReserveGiB} (or a smaller logsRetentionSize)`,
        );
    }
    if (v.logsExportBucket && !v.logs) {
        problem(
            "logsExportBucket",
            v.logsExportBucket,
            "makes a bucket for npm run import-logs, which imports into the log store, and logs is off",
            "pulumi config set logs true (or pulumi config rm logsExportBucket)",
        );
    }
    return problems;
}
