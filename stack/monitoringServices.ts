import * as pulumi from "@pulumi/pulumi";

/**
 * The monitoring host's group: the parent of the first Prometheus and Alertmanager, the monitoring
 * host's node_exporter and Grafana when it shares the host (the placements the plan marks
 * `grouped`). Its name and type are in those services' URNs, so stacks keep them; the services
 * themselves are placed by their modules like every other.
 */
export class MonitoringServices extends pulumi.ComponentResource {
    constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:MonitoringServices", name, {}, opts);
    }

    /** Closes the group once every grouped service is placed. */
    placed(): void {
        this.registerOutputs({});
    }
}
