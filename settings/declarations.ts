import { accessSettings } from "../network/access.settings";
import { alertmanagerSettings } from "../components/alertmanager/alertmanager.settings";
import { alertRuleSettings } from "../components/prometheus/alertRules.settings";
import { awsSettings } from "../platforms/aws/aws.settings";
import { cloudwatchBridgeSettings } from "../components/cloudwatchBridge/cloudwatchBridge.settings";
import { cloudwatchSettings } from "../cloudwatch/cloudwatch.settings";
import { flaskAppSettings } from "../components/flaskApp/flaskApp.settings";
import { grafanaSettings } from "../components/grafana/grafana.settings";
import { hostsSettings } from "../platforms/hosts/hosts.settings";
import { linodeSettings } from "../platforms/linode/linode.settings";
import { nodeExporterSettings } from "../components/nodeExporter/nodeExporter.settings";
import { prometheusSettings } from "../components/prometheus/prometheus.settings";
import { sshSettings } from "../remote/ssh.settings";
import { stackSettings } from "./stack.settings";
import { thanosSettings } from "../components/thanos/thanos.settings";
import { victoriaLogsSettings } from "../components/victoriaLogs/victoriaLogs.settings";
import { otelCollectorSettings } from "../components/otelCollector/otelCollector.settings";
import { vmalertSettings } from "../components/vmalert/vmalert.settings";
import { webSettings } from "../security/web.settings";
import type { SettingDeclaration } from "./declare";

// Every setting of the program, gathered from the slices their owners declare (a `*.settings.ts`
// beside what each configures). A slice is plain data: it imports nothing but settings/declare.ts,
// so the settings core may gather them without depending on the services.

/** The slices in the order of Pulumi.yaml and the README table: the stack, its platforms, reaching and guarding hosts, then each service. */
export const settingSlices = [
    stackSettings,
    linodeSettings,
    awsSettings,
    hostsSettings,
    sshSettings,
    accessSettings,
    webSettings,
    prometheusSettings,
    alertRuleSettings,
    thanosSettings,
    victoriaLogsSettings,
    otelCollectorSettings,
    vmalertSettings,
    alertmanagerSettings,
    cloudwatchSettings,
    cloudwatchBridgeSettings,
    nodeExporterSettings,
    grafanaSettings,
    flaskAppSettings,
] as const;

/** The one object type that has every member of a union's fields: the slices merged. */
type Merged<U> = (U extends unknown ? (slice: U) => void : never) extends (slice: infer All) => void ? All : never;

/** Every setting by key, in slice order (a key declared by two slices is refused by tests/settings.test.ts). */
export const declarations = Object.assign({}, ...settingSlices) as Merged<(typeof settingSlices)[number]>;

type Declarations = typeof declarations;
/** Every setting's key. */
export type SettingKey = keyof Declarations;
type KeysWhere<Flag> = { [K in SettingKey]: Declarations[K] extends Flag ? K : never }[SettingKey];

/** Keys whose value is a secret. */
export type SecretKey = KeysWhere<{ readonly secret: true }>;
/** Keys whose value is a listening port. */
export type PortKey = KeysWhere<{ readonly port: true }>;
/** Keys whose items are objects (remoteWrite). */
export type ObjectListKey = KeysWhere<{ readonly items: { readonly type: "object" } }>;

const keysWhere = <K extends SettingKey>(test: (d: SettingDeclaration) => boolean): K[] =>
    (Object.keys(declarations) as SettingKey[]).filter((key) => test(declarations[key])) as K[];

/** The releases the services pin, each with its four settings (settings/declare.ts releaseSettings). */
export type ReleaseName = { [K in SettingKey]: Declarations[K] extends { readonly release: infer P extends string } ? P : never }[SettingKey];
/** The releases that also run in Docker, from the image of the same release (`<name>Image`). */
export type ImageReleaseName = { [P in ReleaseName]: `${P}Image` extends SettingKey ? P : never }[ReleaseName];
/** The releases the services pin, in declaration order. */
export const releaseNames: readonly ReleaseName[] = [
    ...new Set(Object.values(declarations as Record<string, SettingDeclaration>).flatMap((d) => (d.release ? [d.release] : []))),
] as ReleaseName[];

/** Keys whose value is a secret. */
export const secretKeys: readonly SecretKey[] = keysWhere<SecretKey>((d) => d.secret === true);
/** The settings that hold a listening port; no two services may share one. */
export const portKeys: readonly PortKey[] = keysWhere<PortKey>((d) => d.port === true);

type ValueOf<D> = D extends { readonly type: "string" }
    ? string
    : D extends { readonly type: "integer" }
      ? number
      : D extends { readonly type: "boolean" }
        ? boolean
        : D extends { readonly items: { readonly type: "object" } }
          ? Record<string, unknown>[]
          : string[];

/** Every setting as a plain value, secrets included: only validation and loading see this form. */
export type SettingValues = { -readonly [K in SettingKey]: ValueOf<Declarations[K]> };
