import { declareSettings } from "../../settings/declare";

/** The hosts platform: machines you already have. */
export const hostsSettings = declareSettings({
    hosts: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
            "On platform hosts: role=user@address[:port] per machine, with roles monitoring and app, or prometheus, grafana and app; and any number of node machines (node_exporter only), each followed by its target labels, such as node=root@10.0.0.7 instance=web-1 team=payments.",
        platforms: ["hosts"],
    },
    hostsRuntime: {
        type: "string",
        default: "systemd",
        description:
            "How the hosts platform runs the services: systemd (release tarballs, as on linode) or docker (images of the same versions, guide 003's layout, as on aws). Linode always uses systemd, aws always docker.",
        platforms: ["hosts"],
    },
});
