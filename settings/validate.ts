import { SettingProblem } from "./problems";
import type { SettingValues } from "./values";
import { validateAccess } from "./validate/access";
import { validateAlerting } from "./validate/alerting";
import { validateApp } from "./validate/app";
import { validateGrafana } from "./validate/grafana";
import { validatePlatform } from "./validate/platform";
import { validatePrometheus } from "./validate/prometheus";
import { validateThanos } from "./validate/thanos";
import { validateWeb } from "./validate/web";

/**
 * Checks every setting, one validator per concern (settings/validate/). Pure: the same values give
 * the same problems, and nothing is read from the environment. An empty list means the settings
 * are good.
 */
export function validateSettings(v: SettingValues): SettingProblem[] {
    return [
        ...validatePlatform(v),
        ...validateAccess(v),
        ...validatePrometheus(v),
        ...validateThanos(v),
        ...validateAlerting(v),
        ...validateGrafana(v),
        ...validateApp(v),
        ...validateWeb(v),
    ];
}

/** Linode limits volume and firewall labels to 32 characters; the longest is <prefix>-<stack>-mon-data. */
export function validateLabels(values: Pick<SettingValues, "labelPrefix">, stack: string): SettingProblem[] {
    const longest = `${values.labelPrefix}-${stack}-mon-data`;
    return longest.length > 32
        ? [
              {
                  key: "labelPrefix",
                  value: values.labelPrefix,
                  message: `with stack "${stack}" makes the label "${longest}", longer than Linode's 32 characters`,
                  fix: "pulumi config set labelPrefix <a shorter prefix>",
              },
          ]
        : [];
}
