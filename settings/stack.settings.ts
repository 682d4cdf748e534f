import { declareSettings } from "./declare";

/** The stack as a whole: where it runs and how its cloud resources are labelled. */
export const stackSettings = declareSettings({
    platform: {
        type: "string",
        default: "linode",
        description:
            "Where the stack runs: linode (one monitoring host and one Flask app host), aws (three EC2 instances running Docker: app, prometheus, grafana) or hosts (machines you already have, reached over SSH).",
    },
    labelPrefix: { type: "string", default: "mon", description: "Prefix of every cloud label; labels are <prefix>-<stack>-<role>." },
    tags: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Extra tags on every cloud resource that takes tags (the stack name is always added).",
    },
    extraProviderIds: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
            'Linode regions and types, or EC2 instance types, newer than the lists the program checks region and the instance types against (docs/provider-ids.md), e.g. ["us-xyz"].',
        platforms: ["linode", "aws"],
    },
});
