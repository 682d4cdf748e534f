import type { ExposureInput, HostRole } from "../network/exposure";
import type { ReleaseDownload } from "../runtimes/releaseDownload";
import type { ImageReleaseName, ReleaseName } from "../settings/declarations";
import type { Settings } from "../settings/settings";
import { thanosPorts } from "../components/thanos/thanosConfig";

// Settings mapped to what the shared machinery takes: a release as a component takes it, and the
// exposure the platforms open. Each service maps its own settings in its module (components/<service>/<service>.module.ts).

/** A release a service pins, as its component takes it: where the tarball is and how it is verified. */
export function downloadOf(settings: Settings, release: ReleaseName): ReleaseDownload {
    return { version: settings[`${release}Version`], baseUrl: settings[`${release}DownloadBaseUrl`], sha256: settings[`${release}Sha256`] };
}

/** A release a service pins, and the image of the docker runtime. */
export function releaseOf(settings: Settings, release: ImageReleaseName): { download: ReleaseDownload; imageRepository: string } {
    return { download: downloadOf(settings, release), imageRepository: settings[`${release}Image`] };
}

/** Who may reach which port, as the settings say, with the hosts of the Alertmanager replicas (the monitoring host first). */
export function exposureInputFrom(settings: Settings, alertmanagerHosts: readonly HostRole[], prometheusHosts: readonly HostRole[]): ExposureInput {
    return {
        adminCidrs: settings.adminCidrs,
        viewerCidrs: settings.viewerCidrs,
        appCidrs: settings.appCidrs,
        grafanaEnabled: settings.grafanaEnabled,
        alertmanagerHosts,
        prometheusHosts,
        ports: {
            prometheus: settings.prometheusPort,
            alertmanager: settings.alertmanagerPort,
            alertmanagerCluster: settings.alertmanagerClusterPort,
            nodeExporter: settings.nodeExporterPort,
            grafana: settings.grafanaPort,
            app: settings.appPort,
            ...(settings.thanos ? { thanosQuery: settings.thanosQueryPort } : {}),
            ...(settings.thanos && prometheusHosts.length > 1 ? { thanosSidecarGrpc: thanosPorts.sidecarGrpc } : {}),
            ...(settings.logs ? { victoriaLogs: settings.victoriaLogsPort, vmalert: settings.vmalertPort } : {}),
        },
    };
}
