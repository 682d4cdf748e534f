import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import { remote } from "@pulumi/command";
import type { Connection } from "../../remote/remoteHost";
import { grafanaTlsDir } from "./grafanaUnit";
import { logsDatasourcePlugin } from "./importDashboard";

/**
 * A datasource's fields for an endpoint secured as the stack's are: basic auth with the stack's
 * user, the stack's CA to verify the endpoint, the password and the CA in secure JSON data.
 */
function securedDatasource(
    auth: { readonly username: string; readonly password: pulumi.Input<string> } | undefined,
    caCertificate: pulumi.Input<string> | undefined,
    jsonData: Record<string, unknown>,
): Pick<grafana.oss.DataSourceArgs, "basicAuthEnabled" | "basicAuthUsername" | "jsonDataEncoded" | "secureJsonDataEncoded"> {
    return {
        ...(auth ? { basicAuthEnabled: true, basicAuthUsername: auth.username } : {}),
        jsonDataEncoded: JSON.stringify({ ...jsonData, ...(caCertificate ? { tlsAuthWithCACert: true } : {}) }),
        ...(auth || caCertificate
            ? {
                  secureJsonDataEncoded: pulumi.secret(
                      pulumi
                          .all([auth?.password, caCertificate])
                          .apply(([password, ca]) =>
                              JSON.stringify({ ...(password !== undefined ? { basicAuthPassword: password } : {}), ...(ca ? { tlsCACert: ca } : {}) }),
                          ),
                  ),
              }
            : {}),
    };
}

/** A dashboard to declare, already prepared for import (components/grafana/importDashboard.ts). */
export interface DashboardSpec {
    readonly uid: string;
    readonly configJson: string;
}

/** Arguments of {@link GrafanaContent}. */
export interface GrafanaContentArgs {
    /** Where `pulumi up` reaches Grafana (it must be reachable from the machine that runs it). */
    readonly url: pulumi.Input<string>;
    /** Admin password (secret). */
    readonly adminPassword: pulumi.Input<string>;
    /** The Grafana host and port, for the health check that gates the provider. */
    readonly host: { readonly connection: pulumi.Input<Connection>; readonly port: number };
    /**
     * The CA certificate (PEM) that signed Grafana's and Prometheus's certificates: the provider and
     * the datasource verify them with it. Undefined when they serve plain HTTP (webTls off).
     */
    readonly caCertificate?: pulumi.Input<string>;
    /** Steps after which Grafana runs, such as its install. */
    readonly dependsOn: pulumi.Input<pulumi.Resource>[];
    /** The Prometheus datasource, and the basic-auth credentials Prometheus requires (webAuth). */
    readonly datasource: {
        readonly uid: string;
        readonly url: pulumi.Input<string>;
        readonly scrapeInterval: string;
        readonly auth?: { readonly username: string; readonly password: pulumi.Input<string> };
    };
    /** The log store's datasource (with logs): its uid, URL and the credentials the store requires. */
    readonly logsDatasource?: {
        readonly uid: string;
        readonly url: pulumi.Input<string>;
        readonly auth?: { readonly username: string; readonly password: pulumi.Input<string> };
    };
    /** Folder of the dashboards. */
    readonly folderTitle: string;
    /** Dashboards by short name. */
    readonly dashboards: Readonly<Record<string, DashboardSpec>>;
}

/**
 * Grafana's content as code: a provider that waits for the deployed Grafana to answer its health
 * check, the Prometheus datasource with a fixed uid, a folder, and the dashboards in it.
 */
export class GrafanaContent extends pulumi.ComponentResource {
    readonly healthCheck: remote.Command;
    readonly provider: grafana.Provider;
    readonly datasource: grafana.oss.DataSource;
    /** The log store's datasource, with logs. */
    readonly logsDatasource?: grafana.oss.DataSource;
    readonly folder: grafana.oss.Folder;
    readonly dashboards: Readonly<Record<string, grafana.oss.Dashboard>>;
    /** Dashboard URLs by short name. */
    readonly dashboardUrls: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: GrafanaContentArgs, opts?: pulumi.ComponentResourceOptions) {
        super("monitoring:grafana:GrafanaContent", name, {}, opts);
        // Grafana can take a minute to migrate its database on first start.
        const health = args.caCertificate
            ? `curl -fsS --cacert ${grafanaTlsDir}/ca.crt https://localhost:${args.host.port}/api/health`
            : `curl -fsS http://localhost:${args.host.port}/api/health`;
        this.healthCheck = new remote.Command(
            `${name}-health`,
            {
                connection: args.host.connection,
                create: `for i in $(seq 1 60); do ${health} && exit 0; sleep 2; done; echo "Grafana did not answer /api/health on port ${args.host.port}" >&2; exit 1`,
            },
            { parent: this, dependsOn: args.dependsOn },
        );
        this.provider = new grafana.Provider(
            `${name}-provider`,
            {
                url: args.url,
                auth: pulumi.secret(pulumi.interpolate`admin:${args.adminPassword}`),
                // The admin password crosses the network only to a certificate the stack's CA signed.
                ...(args.caCertificate ? { caCert: args.caCertificate } : {}),
                retries: 10,
                retryWait: 5,
            },
            { parent: this, dependsOn: [this.healthCheck] },
        );
        const resourceOpts = { parent: this, provider: this.provider };
        this.datasource = new grafana.oss.DataSource(
            `${name}-prometheus`,
            {
                name: "Prometheus",
                type: "prometheus",
                uid: args.datasource.uid,
                url: args.datasource.url,
                isDefault: true,
                accessMode: "proxy",
                ...securedDatasource(args.datasource.auth, args.caCertificate, { httpMethod: "POST", timeInterval: args.datasource.scrapeInterval }),
            },
            resourceOpts,
        );
        const logs = args.logsDatasource;
        this.logsDatasource = logs
            ? new grafana.oss.DataSource(
                  `${name}-logs`,
                  {
                      name: "VictoriaLogs",
                      type: logsDatasourcePlugin,
                      uid: logs.uid,
                      url: logs.url,
                      accessMode: "proxy",
                      ...securedDatasource(logs.auth, args.caCertificate, {}),
                  },
                  resourceOpts,
              )
            : undefined;
        this.folder = new grafana.oss.Folder(`${name}-folder`, { title: args.folderTitle, uid: "monitoring" }, resourceOpts);
        const dashboards: Record<string, grafana.oss.Dashboard> = {};
        for (const key of Object.keys(args.dashboards).sort()) {
            dashboards[key] = new grafana.oss.Dashboard(
                `${name}-dashboard-${key}`,
                { configJson: args.dashboards[key].configJson, folder: this.folder.uid, overwrite: true, message: "Deployed by the monitoring Pulumi program" },
                { ...resourceOpts, dependsOn: [this.datasource, ...(this.logsDatasource ? [this.logsDatasource] : [])] },
            );
        }
        this.dashboards = dashboards;
        this.dashboardUrls = pulumi.all(Object.fromEntries(Object.entries(dashboards).map(([key, d]) => [key, d.url])));
        this.registerOutputs({ dashboardUrls: this.dashboardUrls, datasourceUid: this.datasource.uid });
    }
}
