import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadSettings } from "../stack/loadSettings";
import { resolveSshAuth, resolveSshPrivateKey } from "../remote/sshAuth";
import { SettingProblem, SettingsError } from "../settings/problems";
import { secretKeys } from "../settings/values";
import { evaluateStack, RecordedResource, sharedFixture } from "./support/stackUnderMocks";

/**
 * Bad settings, tried as a new user would: each one stops `pulumi up` before any resource is
 * registered, with a problem that names the setting, shows the value (a secret as "(hidden)") and
 * gives a fix; a fix that names a value is right (set it and the problem goes away).
 */
const publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@laptop";
const privateKey = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA-test-key\n-----END OPENSSH PRIVATE KEY-----\n";
/** A real 1024-bit RSA public key (ssh-keygen -t rsa -b 1024): the format is right, the size is not. */
const rsa1024 =
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQC76dMJ7XVm6Y+tcjlSJlNsua0i18Fq+r7sjqicwOdL+ahfdI07HaGymYbjPlOHw2vGSnBNEN6bJriYDU9sZULY+GuGnWnU5wj7fELuczvdK5yGHsBhNm51i/X0i9/sTJYuykQPRgFrS0USISk01t8qEJbyx3fmXKkwXL3vZXLrbQ== root@vm";
const good = { sshPublicKeys: [publicKey], adminCidrs: ["203.0.113.7/32"] };
const hosts = { platform: "hosts", hosts: ["monitoring=root@10.0.0.11", "app=root@10.0.0.12"] };
const aws = { platform: "aws" };
const bridgeOn = { cloudwatchBridge: true, cloudwatchAlarmsFile: "alarms.json" };
const thanosOnHosts = { thanos: true, thanosBucket: "lab-metrics", thanosBucketEndpoint: "minio.internal:9000" };
const thanosKeys = { thanosBucketAccessKeyId: "STOREKEY", thanosBucketSecretAccessKey: "store-secret-key" };
const smtp = { smtpSmarthost: "smtp.example.com:587", smtpFrom: "alerts@example.com", smtpTo: "ops@example.com" };
const keyFile = (text: string): string => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bad-key-")), "id");
    fs.writeFileSync(file, text);
    return file;
};

/** [what a user did, plain settings, secret settings, the key the problem must name, the value it must show (default: the one set)] */
type BadInput = [string, Record<string, unknown>, Record<string, string>, string, unknown?];
const v = (what: string, values: Record<string, unknown>, key: string, shown?: unknown): BadInput => [what, values, {}, key, shown];
const s = (what: string, values: Record<string, unknown>, secrets: Record<string, string>, key: string): BadInput => [what, values, secrets, key, "(hidden)"];

const badInputs: BadInput[] = [
    // Where the stack runs.
    v("an unknown platform", { platform: "gcp" }, "platform"),
    v("a label prefix with a symbol", { labelPrefix: "mon!" }, "labelPrefix"),
    v("a label prefix starting with a digit", { labelPrefix: "1mon" }, "labelPrefix"),
    v("a label prefix making labels over 32 characters", { labelPrefix: "monitoring-of-everything-here" }, "labelPrefix"),
    v("a two-letter tag", { tags: ["ab"] }, "tags"),
    v("a region name instead of its id", { region: "Miami" }, "region"),
    v("an image without its vendor", { image: "ubuntu24.04" }, "image"),
    v("a made-up monitoring type", { monitoringInstanceType: "large" }, "monitoringInstanceType"),
    v("a made-up app type", { appInstanceType: "nano" }, "appInstanceType"),
    v("a mistyped region", { region: "us-maimi" }, "region"),
    v("a region of another cloud", { region: "us-east-1" }, "region"),
    v("a mistyped Linode type", { monitoringInstanceType: "g6-standart-4" }, "monitoringInstanceType"),
    v("a Linode plan size that does not exist", { appInstanceType: "g6-standard-3" }, "appInstanceType"),
    v("a mistyped EC2 type", { ...aws, awsPrometheusInstanceType: "t3.mediun" }, "awsPrometheusInstanceType"),
    v("an EC2 family that does not exist", { ...aws, awsAppInstanceType: "t9.medium" }, "awsAppInstanceType"),
    v("a bridge without alarms to read for", { cloudwatchBridge: true }, "cloudwatchBridge"),
    v("a bridge in a region that is not one", { ...bridgeOn, cloudwatchBridgeRegion: "virginia" }, "cloudwatchBridgeRegion"),
    v("a bridge endpoint with a trailing slash", { ...bridgeOn, cloudwatchBridgeEndpoint: "http://10.0.0.5:5000/" }, "cloudwatchBridgeEndpoint"),
    v("a bridge polling every 5 s", { ...bridgeOn, cloudwatchBridgeInterval: 5 }, "cloudwatchBridgeInterval"),
    v("monitoring and app on one machine", { platform: "hosts", hosts: ["monitoring=root@10.0.0.11", "app=root@10.0.0.11"] }, "hosts"),
    v("a host address with a leading zero", { platform: "hosts", hosts: ["monitoring=root@10.0.0.11", "app=root@10.0.0.021"] }, "hosts[1]"),
    v("a host address with an octet above 255", { platform: "hosts", hosts: ["monitoring=root@10.0.0.11", "app=root@10.0.0.256"] }, "hosts[1]"),
    v("an EC2 instance type on Linode through extraProviderIds", { appInstanceType: "t3.medium", extraProviderIds: ["t3.medium"] }, "appInstanceType"),
    v(
        "a Linode type on AWS through extraProviderIds",
        { ...aws, awsAppInstanceType: "g6-standard-2", extraProviderIds: ["g6-standard-2"] },
        "awsAppInstanceType",
    ),
    v("an SMTP port above 65535", { ...smtp, smtpSmarthost: "smtp.example.com:99999" }, "smtpSmarthost"),
    v(
        "a bridge endpoint over plain HTTP to a public address",
        { ...bridgeOn, cloudwatchBridgeEndpoint: "http://monitoring.us-east-1.amazonaws.com" },
        "cloudwatchBridgeEndpoint",
    ),
    v(
        "a release mirror over plain HTTP to a public address without a checksum",
        { prometheusDownloadBaseUrl: "http://mirror.example.com/prometheus" },
        "prometheusDownloadBaseUrl",
    ),
    v(
        "Thanos's bucket over plain HTTP to a public S3 endpoint",
        { ...hosts, ...thanosOnHosts, thanosBucketEndpoint: "s3.us-east-1.amazonaws.com", thanosBucketInsecure: true },
        "thanosBucketInsecure",
    ),
    v("a YACE version with a v", { yaceVersion: "v0.62.1" }, "yaceVersion"),
    v("a YACE checksum that is not one", { yaceSha256: "abc" }, "yaceSha256"),
    v("a YACE image with its tag", { yaceImage: "prometheuscommunity/yet-another-cloudwatch-exporter:v0.62.1" }, "yaceImage"),
    ["a bridge without its secret key on linode", bridgeOn, { cloudwatchBridgeAccessKeyId: "AKIAEXAMPLE" }, "cloudwatchBridgeSecretAccessKey", ""],
    s(
        "bridge keys on aws, which uses a role",
        { ...aws, cloudwatchBridge: true, cloudwatchAlarmsFile: "alarms.json" },
        { cloudwatchBridgeAccessKeyId: "AKIAEXAMPLE" },
        "cloudwatchBridgeAccessKeyId",
    ),
    s("bridge keys with the bridge off", {}, { cloudwatchBridgeSecretAccessKey: "a-secret-key" }, "cloudwatchBridgeSecretAccessKey"),
    v("an actions file without alarms", { cloudwatchActionsFile: "actions.yml" }, "cloudwatchActionsFile"),
    v("a mapping file without alarms or dashboards", { cloudwatchMappingFile: "mappings.yml" }, "cloudwatchMappingFile"),
    v("CloudWatch dashboards with Grafana off", { cloudwatchDashboardsDir: "dashboards", grafanaEnabled: false }, "cloudwatchDashboardsDir"),
    v("a sentence in extraProviderIds", { extraProviderIds: ["the new Osaka region"] }, "extraProviderIds[0]"),
    v("a volume too small for Prometheus", { prometheusVolumeSizeGb: 5 }, "prometheusVolumeSizeGb"),
    s("a short root password", {}, { rootPassword: "hunter2" }, "rootPassword"),
    v("a root password in plain text", { rootPassword: "a-long-enough-root-password" }, "rootPassword", "(hidden)"),
    v("an EC2 app type without its size", { ...aws, awsAppInstanceType: "t3" }, "awsAppInstanceType"),
    v("an EC2 prometheus type in words", { ...aws, awsPrometheusInstanceType: "medium" }, "awsPrometheusInstanceType"),
    v("an EC2 grafana type in capitals", { ...aws, awsGrafanaInstanceType: "T3.SMALL" }, "awsGrafanaInstanceType"),
    v("a subnet name instead of its id", { ...aws, awsSubnetId: "public-a" }, "awsSubnetId"),
    v("an AMI name instead of its id", { ...aws, awsAmiId: "ubuntu-24.04" }, "awsAmiId"),
    v("a VPC name instead of its id", { ...aws, awsVpcId: "default" }, "awsVpcId"),
    v("a root volume below 8 GB", { ...aws, awsRootVolumeSizeGb: 4 }, "awsRootVolumeSizeGb"),
    v("a data volume of 0 GB on aws", { ...aws, prometheusVolumeSizeGb: 0 }, "prometheusVolumeSizeGb"),
    v("no hosts on the hosts platform", { platform: "hosts", hosts: [] }, "hosts"),
    v("a host without its user", { platform: "hosts", hosts: ["monitoring=10.0.0.11", "app=root@10.0.0.12"] }, "hosts[0]"),
    v("a host without its address", { platform: "hosts", hosts: ["monitoring=root@10.0.0.11", "app=root@"] }, "hosts[1]"),
    v("a host of an unknown role", { platform: "hosts", hosts: ["monitoring=root@10.0.0.11", "db=root@10.0.0.14", "app=root@10.0.0.12"] }, "hosts"),
    v("no app host", { platform: "hosts", hosts: ["monitoring=root@10.0.0.11"] }, "hosts"),
    v("two app hosts", { platform: "hosts", hosts: ["monitoring=root@10.0.0.11", "app=root@10.0.0.12", "app=root@10.0.0.13"] }, "hosts"),
    v("an unknown runtime", { ...hosts, hostsRuntime: "podman" }, "hostsRuntime"),
    v("a runtime with a capital letter", { ...hosts, hostsRuntime: "Docker" }, "hostsRuntime"),
    v("a platform with a Cyrillic o", { platform: "h\u043ests", hosts: hosts.hosts }, "platform"),
    v("a retention size beside a volume of -5 GB", { prometheusVolumeSizeGb: -5, prometheusRetentionSize: "-4GB" }, "prometheusRetentionSize"),
    v("three Alertmanagers on the two Linodes", { alertmanagerReplicas: 3 }, "alertmanagerReplicas"),
    v("no Alertmanager at all", { alertmanagerReplicas: 0 }, "alertmanagerReplicas"),
    v("an Alertmanager cluster without TLS", { alertmanagerReplicas: 2, webTls: false }, "alertmanagerReplicas"),
    v("three Prometheus servers on the two Linodes", { prometheusReplicas: 3 }, "prometheusReplicas"),
    v("no Prometheus at all", { prometheusReplicas: 0 }, "prometheusReplicas"),
    v("a fractional number of Prometheus servers", { prometheusReplicas: 1.5 }, "prometheusReplicas", "1.5"),
    v("Prometheus replicas whose Thanos has no TLS", { thanos: true, prometheusReplicas: 2, webTls: false }, "prometheusReplicas"),
    v("the cluster's gossip on Alertmanager's own port", { alertmanagerClusterPort: 9093 }, "alertmanagerClusterPort"),
    v("a remote write without its URL", { remoteWrite: [{ name: "thanos" }] }, "remoteWrite[0].url", undefined),
    v("a remote write URL without its scheme", { remoteWrite: [{ url: "mimir.internal/api/v1/push" }] }, "remoteWrite[0].url", "mimir.internal/api/v1/push"),
    v("a misspelt remote write field", { remoteWrite: [{ url: "https://mimir.internal/api/v1/push", maxShard: 5 }] }, "remoteWrite[0].maxShard", 5),
    [
        "a misspelt credential field in a secret remote write",
        {},
        {
            remoteWrite: JSON.stringify([
                { url: "https://mimir.internal/api/v1/push", username: "tenant", password: "pw-value-1", passwrd: "leaked-pw-value" },
            ]),
        },
        "remoteWrite[0].passwrd",
        "(hidden)",
    ],
    v(
        "a password inside a remote write URL in the plain stack file",
        { remoteWrite: [{ url: "https://tenant:plain-url-pw@mimir.example.com/api/v1/push" }] },
        "remoteWrite[0].url",
        "https://tenant:(hidden)@mimir.example.com/api/v1/push",
    ),
    [
        "remote write credentials over plain HTTP to a public address",
        {},
        { remoteWrite: JSON.stringify([{ url: "http://mimir.example.com/api/v1/push", username: "tenant", password: "pw-value-2" }]) },
        "remoteWrite[0].url",
        "http://mimir.example.com/api/v1/push",
    ],
    v(
        "a remote write regex with a lookahead, which JavaScript accepts and Prometheus does not",
        { remoteWrite: [{ url: "https://mimir.internal/api/v1/push", dropMetrics: "(?!node_).*" }] },
        "remoteWrite[0].dropMetrics",
        "(?!node_).*",
    ),
    v("remote write queue of no shards", { remoteWrite: [{ url: "https://mimir.internal/api/v1/push", maxShards: 0 }] }, "remoteWrite[0].maxShards", 0),
    v(
        "a remote write regex that does not compile",
        { remoteWrite: [{ url: "https://mimir.internal/api/v1/push", keepMetrics: "node_(" }] },
        "remoteWrite[0].keepMetrics",
        "node_(",
    ),
    v(
        "two remote writes of one name",
        {
            remoteWrite: [
                { url: "https://a.internal/api/v1/push", name: "tsdb" },
                { url: "https://b.internal/api/v1/push", name: "tsdb" },
            ],
        },
        "remoteWrite[1].name",
        "tsdb",
    ),
    v(
        "remote write endpoints as plain text",
        { remoteWrite: ["https://mimir.internal/api/v1/push"] },
        "remoteWrite",
        JSON.stringify(["https://mimir.internal/api/v1/push"]),
    ),
    v(
        "SigV4 on linode without keys",
        { remoteWrite: [{ url: "https://aps-workspaces.us-east-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write", sigv4Region: "us-east-1" }] },
        "remoteWrite[0].sigv4Region",
        "us-east-1",
    ),
    v(
        "a SigV4 region that is not one",
        { ...aws, remoteWrite: [{ url: "https://aps.example/api/v1/remote_write", sigv4Region: "virginia" }] },
        "remoteWrite[0].sigv4Region",
        "virginia",
    ),
    [
        "a remote write with a bearer token and a user",
        {},
        { remoteWrite: JSON.stringify([{ url: "https://mimir.internal/api/v1/push", bearerToken: "t0ken-value", username: "tenant", password: "pw-value" }]) },
        "remoteWrite[0]",
        "username and bearerToken",
    ],
    [
        "a remote write user without a password",
        {},
        { remoteWrite: JSON.stringify([{ url: "https://mimir.internal/api/v1/push", username: "tenant" }]) },
        "remoteWrite[0].password",
        "",
    ],
    v(
        "a remote write password in plain text",
        { remoteWrite: [{ url: "https://mimir.internal/api/v1/push", username: "tenant", password: "plain-pw" }] },
        "remoteWrite[0].password",
        "(hidden)",
    ),
    v("a node host label without a value", { platform: "hosts", hosts: [...hosts.hosts, "node=root@10.0.0.21 team"] }, "hosts[2]"),
    v("a node host label named with a dash", { platform: "hosts", hosts: [...hosts.hosts, "node=root@10.0.0.21 cost-center=42"] }, "hosts[2]"),
    v("a node host setting the job label", { platform: "hosts", hosts: [...hosts.hosts, "node=root@10.0.0.21 job=web team=a"] }, "hosts[2]"),
    v("a node host setting a reserved label", { platform: "hosts", hosts: [...hosts.hosts, "node=root@10.0.0.21 __address__=x"] }, "hosts[2]"),
    v("labels on the app host", { platform: "hosts", hosts: ["monitoring=root@10.0.0.11", "app=root@10.0.0.12 team=a"] }, "hosts[1]"),
    v("a node host that is the app host", { platform: "hosts", hosts: [...hosts.hosts, "node=root@10.0.0.12"] }, "hosts"),
    v("only node hosts", { platform: "hosts", hosts: ["node=root@10.0.0.21", "node=root@10.0.0.22"] }, "hosts"),
    v("a Linode discovery tag with a comma", { nodeDiscoveryTag: "web,db" }, "nodeDiscoveryTag"),
    v("a Linode discovery tag of two letters", { nodeDiscoveryTag: "db" }, "nodeDiscoveryTag"),
    v("an EC2 discovery tag in AWS's own namespace", { ...aws, nodeDiscoveryTag: "aws:autoscaling:groupName=web" }, "nodeDiscoveryTag"),
    v("an EC2 discovery tag with an empty key", { ...aws, nodeDiscoveryTag: "=node" }, "nodeDiscoveryTag"),
    s("a Linode discovery token without a tag", {}, { linodeDiscoveryToken: "a-read-only-token" }, "linodeDiscoveryToken"),
    s(
        "a Linode discovery token on aws",
        { ...aws, nodeDiscoveryTag: "monitoring=node" },
        { linodeDiscoveryToken: "a-read-only-token" },
        "linodeDiscoveryToken",
    ),
    // Long-term storage (Thanos).
    v("a Thanos version with a v", { thanos: true, thanosVersion: "v0.42.4" }, "thanosVersion"),
    v("a Thanos image with its tag", { thanos: true, thanosImage: "thanosio/thanos:v0.42.4" }, "thanosImage"),
    v("a Thanos download URL with a trailing slash", { thanosDownloadBaseUrl: "https://mirror.example/thanos/" }, "thanosDownloadBaseUrl"),
    v("a Thanos checksum that is no sha256", { thanosSha256: "abc123" }, "thanosSha256"),
    v("a Thanos retention in words", { thanos: true, thanosRetention: "1 year" }, "thanosRetention"),
    v("a Thanos retention shorter than Prometheus's own", { thanos: true, thanosRetention: "7d" }, "thanosRetention"),
    v("a Grafana port that Thanos takes", { thanos: true, grafanaPort: 10901 }, "grafanaPort"),
    v("Thanos Query on Prometheus's port", { thanos: true, thanosQueryPort: 9090 }, "thanosQueryPort"),
    v("a bucket name with capitals and an underscore", { thanos: true, thanosBucket: "Acme_Metrics" }, "thanosBucket"),
    [
        "a bucket endpoint with its scheme",
        { ...hosts, ...thanosOnHosts, thanosBucketEndpoint: "https://minio.internal:9000" },
        thanosKeys,
        "thanosBucketEndpoint",
        "https://minio.internal:9000",
    ],
    ["Thanos on hosts without a bucket", { ...hosts, ...thanosOnHosts, thanosBucket: "" }, thanosKeys, "thanosBucket", ""],
    ["Thanos on hosts without the store's address", { ...hosts, ...thanosOnHosts, thanosBucketEndpoint: "" }, thanosKeys, "thanosBucketEndpoint", ""],
    v("Thanos on hosts without a key pair", { ...hosts, ...thanosOnHosts }, "thanosBucketAccessKeyId", ""),
    ["half of a bucket key pair on linode", { thanos: true }, { thanosBucketAccessKeyId: "LINODEKEY" }, "thanosBucketSecretAccessKey", ""],
    s("a bucket key pair on aws", { ...aws, thanos: true }, thanosKeys, "thanosBucketAccessKeyId"),
    s("a bucket key pair while thanos is off", {}, thanosKeys, "thanosBucketAccessKeyId"),
    v("a bucket region on linode", { thanos: true, thanosBucketRegion: "us-east-1" }, "thanosBucketRegion"),
    v("a plain-HTTP bucket on aws", { ...aws, thanos: true, thanosBucketInsecure: true }, "thanosBucketInsecure"),
    // Logs.
    v("a log retention in months", { logs: true, logsRetention: "3mo" }, "logsRetention"),
    v("a log retention under a day", { logs: true, logsRetention: "12h" }, "logsRetention"),
    v("a log disk cap in binary units", { logs: true, logsRetentionSize: "10GiB" }, "logsRetentionSize"),
    v("a log disk cap of zero", { logs: true, logsRetentionSize: "0GB" }, "logsRetentionSize"),
    v("a log disk cap larger than the aws root volume", { ...aws, logs: true, logsRetentionSize: "30GB" }, "logsRetentionSize"),
    v("an export bucket for a store that is off", { ...aws, logsExportBucket: true }, "logsExportBucket"),
    v("a collector buffer without a unit", { logs: true, logsBufferSize: "512" }, "logsBufferSize"),
    v("a collector buffer too small to hold a minute", { logs: true, logsBufferSize: "1MB" }, "logsBufferSize"),
    v("further log endpoints without the log store", { logsRemote: [{ url: "https://loki.example.org/otlp" }] }, "logsRemote", "1 endpoint(s)"),
    v(
        "a further log endpoint over plain HTTP",
        { logs: true, logsRemote: [{ url: "http://loki.example.org/otlp" }] },
        "logsRemote[0].url",
        "http://loki.example.org/otlp",
    ),
    v(
        "a further log endpoint with /v1/logs",
        { logs: true, logsRemote: [{ url: "https://loki.example.org/otlp/v1/logs" }] },
        "logsRemote[0].url",
        "https://loki.example.org/otlp/v1/logs",
    ),
    v(
        "credentials inside a further log endpoint's URL",
        { logs: true, logsRemote: [{ url: "https://user:pw@loki.example.org/otlp" }] },
        "logsRemote[0].url",
        "https://user:(hidden)@loki.example.org/otlp",
    ),
    v(
        "a misspelt further log endpoint field",
        { logs: true, logsRemote: [{ url: "https://loki.example.org/otlp", nmae: "loki" }] },
        "logsRemote[0].nmae",
        "(hidden)",
    ),
    v(
        "two further log endpoints of one name",
        {
            logs: true,
            logsRemote: [
                { url: "https://a.example.org/otlp", name: "loki" },
                { url: "https://b.example.org/otlp", name: "loki" },
            ],
        },
        "logsRemote[1].name",
        "loki",
    ),
    [
        "credentials inside a secret further log endpoint's URL",
        { logs: true },
        { logsRemote: JSON.stringify([{ url: "https://tenant:pw-value-9@loki.example.org/otlp" }]) },
        "logsRemote[0].url",
        "https://tenant:(hidden)@loki.example.org/otlp",
    ],
    [
        "a further log endpoint with a username and no password",
        { logs: true },
        { logsRemote: JSON.stringify([{ url: "https://loki.example.org/otlp", username: "tenant" }]) },
        "logsRemote[0].password",
        "",
    ],
    [
        "a further log endpoint with basic and bearer authentication",
        { logs: true },
        { logsRemote: JSON.stringify([{ url: "https://loki.example.org/otlp", username: "tenant", password: "pw-value", bearerToken: "t0ken" }]) },
        "logsRemote[0]",
        "username and bearerToken",
    ],
    v("the logs datasource with the Prometheus datasource's uid", { logs: true, grafanaLogsDatasourceUid: "prometheus" }, "grafanaLogsDatasourceUid"),
    v("a logs plugin version that is not pinned", { logs: true, grafanaLogsPluginVersion: "latest" }, "grafanaLogsPluginVersion"),
    v("a logs plugin from a plain-HTTP mirror", { logs: true, grafanaLogsPluginUrl: "http://mirror.example/plugin.zip" }, "grafanaLogsPluginUrl"),
    v("a Grafana too old for the logs plugin", { logs: true, grafanaVersion: "10.2.3" }, "grafanaVersion"),
    v("a log rule interval that is not a duration", { logs: true, logRulesInterval: "1 minute" }, "logRulesInterval"),
    v("a log rule interval shorter than the store indexes", { logs: true, logRulesInterval: "2s" }, "logRulesInterval"),
    v("log rule files without the log store", { logRuleFiles: ["rules/payments-logs.yml"] }, "logRuleFiles"),
    v(
        "metric filters without the alarms they feed",
        { logs: true, cloudwatchMetricFiltersFile: "describe-metric-filters.json" },
        "cloudwatchMetricFiltersFile",
    ),
    v(
        "metric filters without the log store",
        { cloudwatchAlarmsFile: "describe-alarms.json", cloudwatchMetricFiltersFile: "describe-metric-filters.json" },
        "cloudwatchMetricFiltersFile",
    ),
    v("a vmalert port taken by VictoriaLogs", { logs: true, vmalertPort: 9428 }, "vmalertPort"),
    v("a collector release with a v", { logs: true, otelCollectorVersion: "v0.160.0" }, "otelCollectorVersion"),
    v("a vmalert release with a v", { logs: true, vmalertVersion: "v1.151.0" }, "vmalertVersion"),
    v("a vmalert image with a tag of its own", { logs: true, vmalertImage: "victoriametrics/vmalert:latest" }, "vmalertImage"),
    v("a collector health port past 65535", { logs: true, otelCollectorHealthPort: 70000 }, "otelCollectorHealthPort"),
    // Who reaches what.
    v("no SSH key", { sshPublicKeys: [] }, "sshPublicKeys"),
    v("an SSH key type alone", { sshPublicKeys: ["ssh-rsa"] }, "sshPublicKeys[0]"),
    v("a fingerprint instead of a key", { sshPublicKeys: ["SHA256:abcdefghijklmnopqrstuvwxyz"] }, "sshPublicKeys[0]"),
    v("an RSA key of 1024 bits (ssh-keygen -b 1024)", { sshPublicKeys: [rsa1024] }, "sshPublicKeys[0]", `${rsa1024.slice(0, 40)}...`),
    v("a key cut short in copying", { sshPublicKeys: [publicKey.slice(0, 60)] }, "sshPublicKeys[0]", `${publicKey.slice(0, 40)}...`),
    v(
        "a key line whose type was edited",
        { sshPublicKeys: [publicKey.replace("ssh-ed25519", "ssh-rsa")] },
        "sshPublicKeys[0]",
        "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkV...",
    ),
    s("a public key as the private key", {}, { sshPrivateKey: publicKey }, "sshPrivateKey"),
    v("a private key in plain text", { sshPrivateKey: privateKey }, "sshPrivateKey", "(hidden)"),
    v("an agent socket that is not one", { sshAgentSocket: "/tmp" }, "sshAgentSocket"),
    v("a jump host without its user", { sshJumpHost: "bastion.example.com" }, "sshJumpHost"),
    v("a jump host with a port out of range", { sshJumpHost: "deploy@bastion.example.com:70000" }, "sshJumpHost"),
    v("an agent socket that does not exist", { sshAgentSocket: "~/.ssh/no-such-agent.sock" }, "sshAgentSocket"),
    v("no admin network", { adminCidrs: [] }, "adminCidrs"),
    v("an address without its prefix", { adminCidrs: ["203.0.113.7"] }, "adminCidrs[0]"),
    v("the whole internet", { adminCidrs: ["0.0.0.0/0"] }, "adminCidrs"),
    v("the whole IPv6 internet", { adminCidrs: ["::/0"] }, "adminCidrs"),
    v("the whole internet spelled /00", { adminCidrs: ["0.0.0.0/00"] }, "adminCidrs[0]"),
    v("the whole IPv6 internet spelled /000", { adminCidrs: ["::/000"] }, "adminCidrs[0]"),
    v("the whole internet in halves", { adminCidrs: ["0.0.0.0/1", "128.0.0.0/1"] }, "adminCidrs"),
    v("the whole internet in four quarters", { viewerCidrs: ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"] }, "viewerCidrs"),
    v("the whole IPv6 internet in halves", { appCidrs: ["::/1", "8000::/1"] }, "appCidrs"),
    v("the whole internet as IPv4-mapped IPv6", { viewerCidrs: ["::ffff:0:0/96"] }, "viewerCidrs[0]"),
    v("every IPv4 address but multicast, in four networks", { adminCidrs: ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/3"] }, "adminCidrs"),
    v("all global IPv6", { viewerCidrs: ["2000::/3"] }, "viewerCidrs"),
    v("half of the IPv4 internet", { appCidrs: ["0.0.0.0/1"] }, "appCidrs"),
    v("two /8 networks of public addresses", { adminCidrs: ["17.0.0.0/8", "18.0.0.0/8"] }, "adminCidrs"),
    v("host bits past the prefix", { adminCidrs: ["203.0.113.7/24"] }, "adminCidrs[0]"),
    v("host bits past an IPv6 prefix", { adminCidrs: ["2001:db8::1/64"] }, "adminCidrs[0]"),
    v("an octet above 255", { viewerCidrs: ["256.0.0.0/8"] }, "viewerCidrs[0]"),
    v("a prefix above 32", { appCidrs: ["10.0.0.0/33"] }, "appCidrs[0]"),
    v("a trailing space", { adminCidrs: ["203.0.113.7/32 "] }, "adminCidrs[0]"),
    v("a host name instead of a network", { adminCidrs: ["office.example.com/32"] }, "adminCidrs[0]"),
    v("port 0", { prometheusPort: 0 }, "prometheusPort"),
    v("a port above 65535", { alertmanagerPort: 70000 }, "alertmanagerPort"),
    v("a negative port", { grafanaPort: -1 }, "grafanaPort"),
    v("the SSH port", { nodeExporterPort: 22 }, "nodeExporterPort"),
    v("two services on one port", { appPort: 9090 }, "appPort"),
    v("a port in words", { appPort: "http" }, "appPort"),
    // Types.
    v("a size in words", { prometheusVolumeSizeGb: "ten" }, "prometheusVolumeSizeGb"),
    v("yes for a boolean", { allowWorldOpenPorts: "yes" }, "allowWorldOpenPorts"),
    v("a list as plain text", { tags: "team-a" }, "tags"),
    v("1 for a boolean", { grafanaEnabled: "1" }, "grafanaEnabled"),
    v("a fraction of hours", { alertDiskFillWarningHours: "1.5" }, "alertDiskFillWarningHours"),
    v("a revision in words", { dashboard1860Revision: "latest" }, "dashboard1860Revision"),
    // Releases, images, Prometheus.
    v("a version with a v", { prometheusVersion: "v2.55.1" }, "prometheusVersion"),
    v("latest as a version", { alertmanagerVersion: "latest" }, "alertmanagerVersion"),
    v("a version without its patch", { nodeExporterVersion: "1.8" }, "nodeExporterVersion"),
    v("a Grafana major version alone", { grafanaVersion: "11" }, "grafanaVersion"),
    v("an FTP download URL", { prometheusDownloadBaseUrl: "ftp://mirror.example/prometheus" }, "prometheusDownloadBaseUrl"),
    v("a download URL with a trailing slash", { alertmanagerDownloadBaseUrl: "https://mirror.example/alertmanager/" }, "alertmanagerDownloadBaseUrl"),
    v("a short checksum", { nodeExporterSha256: "abc123" }, "nodeExporterSha256"),
    v("an upper-case checksum", { prometheusSha256: "A".repeat(64) }, "prometheusSha256"),
    v("a collector that is on by default", { nodeExporterCollectors: ["cpu"] }, "nodeExporterCollectors[0]"),
    v("a collector that does not exist", { nodeExporterCollectors: ["gpu"] }, "nodeExporterCollectors[0]"),
    v("a collector twice", { nodeExporterCollectors: ["systemd", "systemd"] }, "nodeExporterCollectors"),
    v("a collector with a capital letter", { nodeExporterCollectors: ["Systemd"] }, "nodeExporterCollectors[0]"),
    v("a retention in words", { prometheusRetentionTime: "forever" }, "prometheusRetentionTime"),
    v("a retention of zero days", { prometheusRetentionTime: "0d" }, "prometheusRetentionTime"),
    v("a scrape interval of zero", { scrapeInterval: "0s" }, "scrapeInterval"),
    v("a scrape interval without unit", { scrapeInterval: "15" }, "scrapeInterval"),
    v("an evaluation interval of zero", { evaluationInterval: "0m" }, "evaluationInterval"),
    v("a retention size in words", { prometheusRetentionSize: "lots" }, "prometheusRetentionSize"),
    v("a retention size the volume cannot hold", { prometheusRetentionSize: "60GB" }, "prometheusRetentionSize"),
    v("a retention size in TB on a 50 GB volume", { prometheusRetentionSize: "1TB" }, "prometheusRetentionSize"),
    v("a retention size in MB above the volume", { prometheusRetentionSize: "60000MB" }, "prometheusRetentionSize"),
    v("a retention size of zero", { prometheusRetentionSize: "0GB" }, "prometheusRetentionSize"),
    v("a scrape job without targets", { extraScrapeTargets: ["postgres"] }, "extraScrapeTargets[0]"),
    v("a scrape job named like a built-in one", { extraScrapeTargets: ["node=10.0.0.5:9100"] }, "extraScrapeTargets[0]"),
    v("a scrape job named like the CloudWatch bridge's", { extraScrapeTargets: ["cloudwatch_bridge=10.0.0.5:5000"] }, "extraScrapeTargets[0]"),
    v("a scrape job twice", { extraScrapeTargets: ["pg=10.0.0.5:9187", "pg=10.0.0.6:9187"] }, "extraScrapeTargets[1]"),
    v("a stack name with a space", { metricsTargetStacks: ["shop api"] }, "metricsTargetStacks[0]"),
    v("a stack twice", { metricsTargetStacks: ["acme/shop/prod", "acme/shop/prod"] }, "metricsTargetStacks"),
    v("an image with a tag", { prometheusImage: "prom/prometheus:latest" }, "prometheusImage"),
    v("an image with capitals", { alertmanagerImage: "Prom/Alertmanager" }, "alertmanagerImage"),
    v("an image with a version tag", { nodeExporterImage: "prom/node-exporter:v1.8.2" }, "nodeExporterImage"),
    v("a digest without a repository", { nodeExporterImage: `@sha256:${"a".repeat(64)}` }, "nodeExporterImage"),
    v("a short digest", { grafanaImage: "grafana/grafana-oss@sha256:abc" }, "grafanaImage"),
    // Alerting.
    v("an SMTP host without its port", { ...smtp, smtpSmarthost: "smtp.example.com" }, "smtpSmarthost"),
    v("a sender that is not an address", { ...smtp, smtpFrom: "alertmanager" }, "smtpFrom"),
    v("a recipient that is not an address", { ...smtp, smtpTo: "ops team" }, "smtpTo"),
    v("an SMTP user without a password", { ...smtp, smtpUsername: "alerts" }, "smtpPassword", ""),
    v("a recipient without an SMTP host", { smtpTo: "ops@example.com" }, "smtpTo"),
    s("an SMTP password without a user", smtp, { smtpPassword: "an-smtp-password" }, "smtpPassword"),
    v("an SMTP password in plain text", { ...smtp, smtpUsername: "alerts", smtpPassword: "an-smtp-password" }, "smtpPassword", "(hidden)"),
    s("a Slack webhook that is not a URL", {}, { slackWebhookUrl: "hooks.slack.com/services/T0/B0/x" }, "slackWebhookUrl"),
    s("a Slack URL that is not an incoming webhook", {}, { slackWebhookUrl: "https://example.slack.com/archives/C0123" }, "slackWebhookUrl"),
    ["a Slack channel without #", { slackChannel: "alerts" }, { slackWebhookUrl: "https://hooks.slack.com/services/T0/B0/x" }, "slackChannel", "alerts"],
    s("a webhook with another scheme", {}, { webhookUrl: "ftp://hooks.example.com/alert" }, "webhookUrl"),
    s("a heartbeat that is not a URL", {}, { heartbeatWebhookUrl: "healthchecks" }, "heartbeatWebhookUrl"),
    s("a short PagerDuty key", {}, { pagerdutyRoutingKey: "R0UT1NGKEY" }, "pagerdutyRoutingKey"),
    [
        "a PagerDuty key no route uses",
        { ...smtp, criticalReceivers: ["email"], warningReceivers: ["email"] },
        { pagerdutyRoutingKey: "0123456789abcdef0123456789abcdef" },
        "pagerdutyRoutingKey",
        "(hidden)",
    ],
    [
        "a Slack webhook no route uses",
        { ...smtp, criticalReceivers: ["email"], warningReceivers: ["email"] },
        { slackWebhookUrl: "https://hooks.slack.com/services/T0/B0/x" },
        "slackWebhookUrl",
        "(hidden)",
    ],
    v("a receiver that does not exist", { criticalReceivers: ["sms"] }, "criticalReceivers[0]"),
    v("a receiver that is not configured", { criticalReceivers: ["pagerduty"] }, "criticalReceivers[0]"),
    v("email warnings without an SMTP host", { warningReceivers: ["email"] }, "warningReceivers[0]"),
    v("a group wait in words", { alertGroupWait: "soon" }, "alertGroupWait"),
    v("a repeat interval of zero", { alertRepeatInterval: "0s" }, "alertRepeatInterval"),
    v("an InstanceDown wait without unit", { alertInstanceDownFor: "5" }, "alertInstanceDownFor"),
    v("a group interval of zero", { alertGroupInterval: "0m" }, "alertGroupInterval"),
    v("a CPU ratio of zero", { alertCpuUserRatio: "0" }, "alertCpuUserRatio"),
    v("a CPU ratio in percent", { alertCpuUserRatio: "90" }, "alertCpuUserRatio"),
    v("a memory ratio of zero", { alertMemoryAvailableRatio: "0" }, "alertMemoryAvailableRatio"),
    v("an inode ratio above 1", { alertInodesFreeRatio: "1.5" }, "alertInodesFreeRatio"),
    v("an error ratio in words", { alertAppErrorRatio: "five percent" }, "alertAppErrorRatio"),
    v("a clock offset of zero", { alertClockOffsetSeconds: "0" }, "alertClockOffsetSeconds"),
    v("a negative latency", { alertAppLatencyAvgSeconds: "-1" }, "alertAppLatencyAvgSeconds"),
    v("a latency with its unit", { alertAppLatencyP95Seconds: "500ms" }, "alertAppLatencyP95Seconds"),
    v("disk fill warning at 0 hours", { alertDiskFillWarningHours: 0 }, "alertDiskFillWarningHours"),
    v("disk fill warning beyond a month", { alertDiskFillWarningHours: 1000 }, "alertDiskFillWarningHours"),
    v("disk fill critical after warning", { alertDiskFillCriticalHours: 48 }, "alertDiskFillCriticalHours"),
    v("a runbook URL with a space", { runbookBaseUrl: "https://wiki.example.com/run books" }, "runbookBaseUrl"),
    // Grafana.
    s("a weak Grafana password", {}, { grafanaAdminPassword: "gr4f-pw" }, "grafanaAdminPassword"),
    v("a Grafana password in plain text", { grafanaAdminPassword: "a-production-password" }, "grafanaAdminPassword", "(hidden)"),
    s("a Grafana password with Grafana off", { grafanaEnabled: false }, { grafanaAdminPassword: "a-production-password" }, "grafanaAdminPassword"),
    v("a datasource uid with a space", { grafanaDatasourceUid: "my prometheus" }, "grafanaDatasourceUid"),
    v("a datasource URL that is not a URL", { grafanaDatasourceUrl: "prometheus:9090" }, "grafanaDatasourceUrl"),
    v("an empty folder", { grafanaFolder: "" }, "grafanaFolder"),
    v("dashboard revision 0", { dashboard1860Revision: 0 }, "dashboard1860Revision"),
    v("a dashboard URL of another scheme", { dashboard1860Url: "ftp://grafana.example/1860" }, "dashboard1860Url"),
    v("a short dashboard checksum", { dashboard1860Sha256: "abc" }, "dashboard1860Sha256"),
    // The app.
    v("an unknown metrics mode", { appMetricsMode: "statsd" }, "appMetricsMode"),
    v("a made-up AWS region", { appMetricsMode: "cloudwatch", appAwsRegion: "mars-1" }, "appAwsRegion"),
    v("AWS keys missing for CloudWatch", { appMetricsMode: "cloudwatch" }, "appAwsAccessKeyId", ""),
    s(
        "AWS keys the app does not use",
        { appMetricsMode: "prometheus" },
        { appAwsAccessKeyId: "AKIAABCDEFGHIJKLMNOP", appAwsSecretAccessKey: "x".repeat(40) },
        "appAwsAccessKeyId",
    ),
    // TLS and authentication.
    s("a newline in the web password", {}, { webPassword: "a-long-enough-web-password\n--insecure" }, "webPassword"),
    s("a trailing newline in Grafana's admin password", {}, { grafanaAdminPassword: "an-admin-password-read-from-a-file\n" }, "grafanaAdminPassword"),
    v("a user name with a colon", { webUsername: "ops:team" }, "webUsername"),
    v("an empty user name", { webUsername: "" }, "webUsername"),
    s("a short web password", {}, { webPassword: "tiny-pw9" }, "webPassword"),
    v("a web password in plain text", { webPassword: "a-long-enough-web-password" }, "webPassword", "(hidden)"),
    s("a web password with authentication off", { webAuth: false }, { webPassword: "a-long-enough-web-password" }, "webPassword"),
    v("certificates valid for 10 days", { tlsCertificateDays: 10 }, "tlsCertificateDays"),
    v("certificates valid for 3 years", { tlsCertificateDays: 1095 }, "tlsCertificateDays"),
    // Keys that are not settings.
    v("a typo in a setting's name", { prometheusVerison: "2.55.1" }, "prometheusVerison"),
    v("a setting in the wrong case", { ScrapeInterval: "30s" }, "ScrapeInterval"),
    v("a setting that was removed", { dockerPrometheusImage: "prom/prometheus:v2.55.1" }, "dockerPrometheusImage"),
    s("a secret under a misspelt name", {}, { webPasword: "a-long-enough-web-password" }, "webPasword"),
];

/** Raw configuration text by full key, as the engine hands it to the program. */
function rawConfig(values: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([key, value]) => [`monitoring:${key}`, typeof value === "string" ? value : JSON.stringify(value)]));
}

function problemsOf(values: Record<string, unknown>, secrets: Record<string, string>): SettingProblem[] {
    const raw = { ...rawConfig({ ...good, sshPrivateKey: privateKey, ...values }), ...rawConfig(secrets) };
    const secretNames = [...("sshPrivateKey" in values ? [] : ["sshPrivateKey"]), ...Object.keys(secrets)];
    try {
        const settings = loadSettings(
            { get: (k) => raw[k], isSecret: (k) => secretNames.includes(k.replace(/^monitoring:/, "")), keys: () => Object.keys(raw) },
            "dev",
        );
        resolveSshAuth(settings);
        return [];
    } catch (error) {
        if (error instanceof SettingsError) return [...error.problems];
        throw error;
    }
}

/** A fix of the form `pulumi config set [--secret] [--path 'key[i]'|key] value`, applied to the settings; undefined for other fixes. */
function applyFix(
    fix: string,
    values: Record<string, unknown>,
    secrets: Record<string, string>,
): [Record<string, unknown>, Record<string, string>] | undefined {
    const match = /^pulumi config set (--secret )?(?:--path '([A-Za-z0-9]+)\[(\d+)\](?:\.([A-Za-z0-9]+))?'|([A-Za-z0-9]+)) ('[^']*'|[^\s<>()]+)$/.exec(
        fix.split(" (")[0].trim(),
    );
    if (!match) return undefined;
    const [, secret, pathKey, index, field, key, rawValue] = match;
    const value = rawValue.replace(/^'|'$/g, "");
    if (value.includes("...")) return undefined;
    if (pathKey && field) {
        // As `pulumi config set --path` does: a whole number becomes a number.
        const list = [...((values[pathKey] as Record<string, unknown>[] | undefined) ?? [])];
        list[Number(index)] = { ...list[Number(index)], [field]: /^\d+$/.test(value) ? Number(value) : value };
        return [{ ...values, [pathKey]: list }, secrets];
    }
    if (pathKey) {
        const list = [...((values[pathKey] as unknown[] | undefined) ?? [])];
        list[Number(index)] = value;
        return [{ ...values, [pathKey]: list }, secrets];
    }
    return secret ? [values, { ...secrets, [key]: value }] : [{ ...values, [key]: value }, secrets];
}

describe("bad settings, tried as a new user would", () => {
    it("should tell each of them by its own story", () => {
        expect(new Set(badInputs.map(([what]) => what)).size).toBe(badInputs.length);
    });

    it.each(badInputs)("should refuse %s, naming the setting, showing the value and giving a right fix", (_what, values, secrets, key, shown) => {
        const problems = problemsOf(values, secrets);
        const problem = problems.find((p) => p.key === key);
        expect({ key, found: problem !== undefined, problems: problem ? [] : problems.map((p) => p.key) }).toEqual({ key, found: true, problems: [] });
        const base = key.replace(/\[\d+\]$/, "");
        const expectedShown =
            shown !== undefined
                ? shown
                : (secretKeys as readonly string[]).includes(base) || base in secrets
                  ? "(hidden)"
                  : key !== base
                    ? (values[base] as unknown[])[Number(/\[(\d+)\]$/.exec(key)![1])]
                    : values[key];
        expect(problem!.value).toEqual(expectedShown);
        expect(problem!.message.length).toBeGreaterThan(10);
        // No secret appears anywhere in what the user is shown.
        const shownText = new SettingsError(problems).message;
        for (const secret of Object.values(secrets)) expect(shownText).not.toContain(secret);
        // The fix names the setting; a fix that names a value makes this problem go away.
        expect(problem!.fix).toContain(base);
        const fixed = applyFix(problem!.fix, values, secrets);
        if (fixed) {
            // Applied, the fix leaves no problem on the setting: neither this one nor a new one.
            const still = problemsOf(...fixed).filter((p) => p.key.replace(/\[\d+\].*$/, "") === base);
            expect({ fix: problem!.fix, still: still.map((p) => `${p.key}: ${p.message}`) }).toEqual({ fix: problem!.fix, still: [] });
        }
    });

    it("should point out characters that only look like ASCII, and take the word meant as the fix", () => {
        const platform = problemsOf({ platform: "h\u043ests", hosts: hosts.hosts }, {}).find((p) => p.key === "platform")!;
        expect(platform.message).toContain('it holds U+043E where it looks like "o"; type it again in plain ASCII');
        expect(platform.fix).toMatch(/^pulumi config set platform hosts /);
        const cidr = problemsOf({ adminCidrs: ["203.0.113.7/32\u200b"] }, {}).find((p) => p.key === "adminCidrs[0]")!;
        expect(cidr.message).toContain("it holds an invisible U+200B");
        expect(problemsOf({ adminCidrs: ["203.0.113.7/32"] }, {})).toEqual([]);
        const runtime = problemsOf({ ...hosts, hostsRuntime: "Docker" }, {}).find((p) => p.key === "hostsRuntime")!;
        expect(runtime.fix).toBe("pulumi config set hostsRuntime docker");
    });

    it("should say that a port is out of range", () => {
        const messageOf = (values: Record<string, unknown>, key: string) => problemsOf(values, {}).find((p) => p.key === key)?.message;
        expect(messageOf({ ...smtp, smtpSmarthost: "smtp.example.com:99999" }, "smtpSmarthost")).toContain("port 99999 is not a TCP port: 1 to 65535");
        expect(messageOf({ platform: "hosts", hosts: ["monitoring=root@10.0.0.11:70000", "app=root@10.0.0.12"] }, "hosts[0]")).toContain(
            "port 70000 is not a TCP port",
        );
        expect(messageOf({ extraScrapeTargets: ["pg=10.0.0.5:99999"] }, "extraScrapeTargets[0]")).toContain("port 99999 is not a TCP port");
        expect(messageOf({ sshJumpHost: "deploy@bastion.example.com:0" }, "sshJumpHost")).toContain("port 0 is not a TCP port");
    });

    it("should let webAuth be off where only the stack's hosts and adminCidrs reach the endpoints, with a warning", () => {
        for (const values of [
            { webAuth: false },
            { webAuth: false, prometheusReplicas: 2, alertmanagerReplicas: 2 },
            { webAuth: false, platform: "aws", prometheusReplicas: 3, alertmanagerReplicas: 2 },
        ]) {
            expect(problemsOf(values, {})).toEqual([]);
        }
    });

    it("should refuse a private-key file that holds a public key, or nothing", () => {
        for (const text of [publicKey, ""]) {
            const file = keyFile(text);
            const raw = rawConfig({ ...good, sshPrivateKeyFile: file });
            const settings = loadSettings({ get: (k) => raw[k], isSecret: () => false, keys: () => Object.keys(raw) }, "dev");
            expect(() => resolveSshPrivateKey(settings)).toThrow(`sshPrivateKeyFile = "${file}": holds no private key`);
        }
    });
});

/**
 * The program checks every setting before its first resource (index.ts: loadSettings, then the
 * platform), so one bad input of each kind of check shows it through the whole program: a setting of
 * the core, one of a service, one of a platform, a secret, and one of an object list.
 */
const registrationCases = badInputs.filter(([, , , key]) =>
    ["platform", "prometheusPort", "thanosBucket", "awsSubnetId", "smtpPassword", "remoteWrite[0].url"].includes(key),
);

describe("bad settings stop the program before any resource is registered", () => {
    const user = { sshPublicKeys: [publicKey], adminCidrs: ["203.0.113.7/32"], dashboard1860File: sharedFixture("grafana/node-exporter-full.inputs.json") };
    it("should try a bad input of each kind", () => {
        expect(new Set(registrationCases.map(([, , , key]) => key)).size).toBeGreaterThanOrEqual(5);
    });

    it.each(registrationCases)("should register nothing for %s", async (_what, values, secrets, key) => {
        let error: { message?: string; registered?: RecordedResource[] } = {};
        await evaluateStack("dev", {
            values: { ...user, ...values },
            secrets: { ...("sshPrivateKey" in values ? {} : { sshPrivateKey: privateKey }), ...secrets },
        }).catch((e) => (error = e));
        expect(error.message).toContain(`${key} = `);
        expect(error.registered).toEqual([]);
    });
});
