import * as pulumi from "@pulumi/pulumi";
import type { PeerTls } from "../../security/webSecurity";
import type { RemoteService } from "../../remote/remoteService";
import { installThanosSidecar, ThanosPlacement } from "./thanosServices";

/** Arguments of {@link ThanosSidecar}. */
export interface ThanosSidecarArgs extends ThanosPlacement {
    /** The certificate the sidecar serves gRPC with, and the CA whose clients (Query) it admits. */
    readonly peerTls: PeerTls;
}

/**
 * Thanos on the host of a further Prometheus replica (setting prometheusReplicas): only the sidecar,
 * which uploads that replica's blocks to the bucket and serves its recent data to Thanos Query on
 * the monitoring host over mutual TLS. Query deduplicates the replicas on their replica label.
 */
export class ThanosSidecar extends pulumi.ComponentResource {
    readonly service: RemoteService;

    constructor(name: string, args: ThanosSidecarArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:services:ThanosSidecar", name, {}, opts);
        this.service = installThanosSidecar(this, name, args, args.peerTls);
        this.registerOutputs({});
    }
}
