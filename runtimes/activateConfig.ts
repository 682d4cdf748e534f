import { readConfigFile } from "../remote/remoteHost";
import type { RemoteStep } from "../remote/remoteService";

/** Configuration that activate-config.sh checks and makes live. */
export interface ActivateConfig {
    /** Prefix of the staged names (prometheus, alertmanager) and the service's name. */
    readonly service: string;
    /** Group that may read the live files. */
    readonly group: string;
    /** Live directory, e.g. /etc/prometheus. */
    readonly dir: string;
    /** Live paths relative to dir, by staged name. */
    readonly files: Readonly<Record<string, string>>;
    /** The main file, relative to dir. */
    readonly main: string;
    /** Command line that checks a candidate (the main file's path is appended); none for a service without a tool. */
    readonly check?: string;
    readonly port: number;
    /** http or https, and the curl configuration (relative to dir) the checks of the endpoint use. */
    readonly scheme: "http" | "https";
    readonly curlConfig: string;
    /** Path that answers once the service is ready; default /-/ready. */
    readonly readyPath?: string;
    /** Reload metric prefix, e.g. prometheus_config_last_reload; none when the service re-reads its files itself. */
    readonly reloadMetric?: string;
    /** Restart the service when its files change: it neither reloads on a signal nor re-reads them (YACE). */
    readonly restartOnChange?: boolean;
    /** Directories below dir whose unlisted files are removed. */
    readonly managedDirs?: readonly string[];
    /** The container that runs the service, when it is not a systemd service. */
    readonly container?: string;
}

/** The staged name of activate-config.sh for a service. */
export const activateScript = (service: string): string => `${service}.activate-config.sh`;

/** activate-config.sh staged for a service, as a file entry of RemoteService. */
export function activateScriptFile(service: string): Record<string, string> {
    return { [activateScript(service)]: readConfigFile("scripts/activate-config.sh") };
}

/** The configure step of a service: activate-config.sh with its parameters, reading the staged files. */
export function activateConfigStep(config: ActivateConfig): RemoteStep {
    const staged = Object.keys(config.files).sort();
    return {
        script: activateScript(config.service),
        reads: staged,
        env: {
            SERVICE: config.service,
            SERVICE_USER: config.group,
            CONFIG_DIR: config.dir,
            FILES: staged.map((name) => `${name}:${config.files[name]}`).join(" "),
            ...(config.managedDirs && config.managedDirs.length > 0 ? { MANAGED_DIRS: config.managedDirs.join(" ") } : {}),
            ...(config.check ? { CHECK: config.check } : {}),
            MAIN: config.main,
            PORT: String(config.port),
            SCHEME: config.scheme,
            CURL_CONFIG: config.curlConfig,
            ...(config.readyPath ? { READY_PATH: config.readyPath } : {}),
            ...(config.reloadMetric ? { RELOAD_METRIC: config.reloadMetric } : {}),
            ...(config.restartOnChange ? { RESTART_ON_CHANGE: "yes" } : {}),
            ...(config.container ? { CONTAINER: config.container } : {}),
        },
    };
}
