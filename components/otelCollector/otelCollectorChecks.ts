import { decimalBytes, decimalSizePattern } from "../../settings/formats";
import { problemList, SettingProblem } from "../../settings/problems";
import { settingDefault } from "../../settings/schema";
import type { SettingValues } from "../../settings/values";

/** The smallest buffer worth having: a minute of a busy host's logs. */
const smallestBuffer = "16MB";

/** The collectors' disk buffer. */
export function validateOtelCollector(v: SettingValues): SettingProblem[] {
    const { problems, problem } = problemList();
    if (!decimalSizePattern.test(v.logsBufferSize) || decimalBytes(v.logsBufferSize) < decimalBytes(smallestBuffer)) {
        problem(
            "logsBufferSize",
            v.logsBufferSize,
            `is not a buffer size the collectors take: a whole number of KB, MB, GB or TB (1MB = 10^6 bytes), at least ${smallestBuffer}`,
            `pulumi config set logsBufferSize ${settingDefault("logsBufferSize")}`,
        );
    }
    return problems;
}
