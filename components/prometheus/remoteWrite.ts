// Prometheus's remote write to a distributed TSDB (Thanos Receive, Grafana Mimir, VictoriaMetrics,
// Amazon Managed Service for Prometheus): the remote_write block of prometheus.yml. Pure.
import type { RemoteWriteAuth, RemoteWriteEndpoint } from "../../settings/remoteWriteEntries";

/** The IAM action that lets the Prometheus instance's role write to Amazon Managed Service for Prometheus. */
export const apsRemoteWriteAction = "aps:RemoteWrite";

/**
 * The workspace an Amazon Managed Service for Prometheus URL writes to, as an IAM resource
 * (https://aps-workspaces.<region>.amazonaws.com/workspaces/<id>/api/v1/remote_write), or
 * undefined for any other URL.
 */
export function apsWorkspaceArn(url: string): string | undefined {
    const match = /^https:\/\/aps-workspaces\.([a-z0-9-]+)\.amazonaws\.com\/workspaces\/(ws-[A-Za-z0-9-]+)\//.exec(url);
    return match ? `arn:aws:aps:${match[1]}:*:workspace/${match[2]}` : undefined;
}

function authOptions(auth: RemoteWriteAuth | undefined): Record<string, unknown> {
    switch (auth?.kind) {
        case "basic":
            return { basic_auth: { username: auth.username, password: auth.password } };
        case "bearer":
            return { authorization: { credentials: auth.token } };
        case "sigv4":
            // Without a key pair, the AWS SDK takes the instance role's credentials.
            return { sigv4: { region: auth.region, ...(auth.accessKeyId ? { access_key: auth.accessKeyId, secret_key: auth.secretAccessKey } : {}) } };
        default:
            return {};
    }
}

/** The remote_write block of prometheus.yml: one entry per endpoint, in the settings' order. */
export function renderRemoteWrite(endpoints: readonly RemoteWriteEndpoint[]): object[] {
    return endpoints.map((endpoint) => {
        const queue = {
            ...(endpoint.maxShards !== undefined ? { max_shards: endpoint.maxShards } : {}),
            ...(endpoint.capacity !== undefined ? { capacity: endpoint.capacity } : {}),
            ...(endpoint.maxSamplesPerSend !== undefined ? { max_samples_per_send: endpoint.maxSamplesPerSend } : {}),
        };
        const relabel = [
            ...(endpoint.keepMetrics ? [{ source_labels: ["__name__"], regex: endpoint.keepMetrics, action: "keep" }] : []),
            ...(endpoint.dropMetrics ? [{ source_labels: ["__name__"], regex: endpoint.dropMetrics, action: "drop" }] : []),
        ];
        return {
            url: endpoint.url,
            ...(endpoint.name ? { name: endpoint.name } : {}),
            ...authOptions(endpoint.auth),
            ...(Object.keys(queue).length > 0 ? { queue_config: queue } : {}),
            ...(relabel.length > 0 ? { write_relabel_configs: relabel } : {}),
        };
    });
}
