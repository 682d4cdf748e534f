import * as pulumi from "@pulumi/pulumi";
import type { BridgedMetric } from "../cloudwatch/translateAlarms";
import type { DashboardSpec } from "../components/grafana/grafanaContent";
import type { NodeDiscovery } from "../components/prometheus/nodeDiscovery";
import type { ThanosBucket } from "../components/thanos/thanosConfig";
import type { RemoteHost, SshAuth } from "../remote/remoteHost";
import type { Runtime } from "../runtimes/runtime";
import type { SuppliedCertificates } from "../security/suppliedCertificates";
import type { Platform } from "../settings/choices";
import type { ScrapeJob } from "../settings/formats";
import type { StackOutputs } from "./outputs";

// What a platform hands the composition: its hosts, what only it knows, and what the program read
// from outside before any resource.

/** A host and how it runs the services. */
export interface PlacedHost {
    readonly host: RemoteHost;
    readonly runtime: Runtime;
}

/** A machine that only runs node_exporter: its resource name, where it is, and its targets' labels. */
export interface NodeHost extends PlacedHost {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
}

/** What the program read from outside before any resource: the same on every platform. */
export interface ProgramInputs {
    /** How the deployment authenticates over SSH (settings sshAgentSocket, sshPrivateKey, sshPrivateKeyFile). */
    readonly sshAuth: SshAuth;
    /** Rule files translated from CloudWatch alarms, by name. */
    readonly extraRules: Readonly<Record<string, string>>;
    /** vmalert's log rule files, by name: the stack's and logRuleFiles (with setting logs). */
    readonly logRules: Readonly<Record<string, string>>;
    readonly dashboards: Readonly<Record<string, DashboardSpec>>;
    /** Static scrape jobs: extraScrapeTargets and the jobs other stacks register. */
    readonly scrapeJobs: readonly ScrapeJob[];
    /** The CloudWatch metrics the translated alarms read through the bridge (setting cloudwatchBridge). */
    readonly bridgedMetrics?: readonly BridgedMetric[];
    /** The certificates of tlsCertificateDir, checked; undefined when the stack issues its own. */
    readonly suppliedCertificates?: SuppliedCertificates;
}

/** The hosts a platform provides, and what only the platform knows. */
export interface MonitoringLayout {
    readonly platform: Platform;
    /** Prometheus, Alertmanager, and Grafana unless it has a host of its own. */
    readonly monitoring: PlacedHost;
    /** The Flask app. */
    readonly app: PlacedHost;
    /** Grafana's own host (guide 003's layout); without it Grafana shares the monitoring host. */
    readonly grafana?: PlacedHost;
    /** Further machines that only run node_exporter (the hosts platform's node role), with their target labels. */
    readonly nodes?: readonly NodeHost[];
    /** Where Prometheus keeps its data, and what must be done before (mounting a volume). */
    readonly prometheusData: { readonly dataDir: string; readonly dataDirIsMount: boolean; readonly dependsOn?: pulumi.Input<pulumi.Resource>[] };
    /** Steps the Flask app waits for, such as its instance role on aws. */
    readonly appDependsOn?: pulumi.Input<pulumi.Resource>[];
    /** Steps the CloudWatch bridge waits for, such as the monitoring instance's role on aws. */
    readonly bridgeDependsOn?: pulumi.Input<pulumi.Resource>[];
    /** Steps a further Prometheus replica (and its bridge and sidecar) waits for, by host role: its instance role on aws. */
    readonly prometheusReplicaDependsOn?: Readonly<Record<string, pulumi.Input<pulumi.Resource>[]>>;
    /** Machines Prometheus finds by tag (setting nodeDiscoveryTag), with the credentials discovery reads. */
    readonly discovery?: pulumi.Input<NodeDiscovery>;
    /** Long-term storage (setting thanos): the bucket as Thanos reaches it, and what must exist first (the bucket, its key, the role that may use it). */
    /** The bucket CloudWatch Logs exports into (aws, setting logsExportBucket). */
    readonly logExportBucket?: pulumi.Output<string>;
    readonly thanosBucket?: { readonly bucket: pulumi.Input<ThanosBucket>; readonly dependsOn?: pulumi.Input<pulumi.Resource>[] };
    /** Cloud ids for the outputs: instances and what guards their network. */
    readonly ids: Pick<StackOutputs, "monitoringInstanceId" | "appInstanceId" | "instanceIds" | "networkPolicyIds">;
}
