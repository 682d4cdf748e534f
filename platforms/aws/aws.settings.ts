import { declareSettings } from "../../settings/declare";

/** The aws platform: the three EC2 instances and their network. */
export const awsSettings = declareSettings({
    awsAmiId: {
        type: "string",
        default: "",
        description:
            "AMI of the three EC2 instances; empty means the newest Canonical Ubuntu 24.04 amd64 image. Pin it so a new AMI does not replace the fleet.",
        platforms: ["aws"],
    },
    awsAppInstanceType: { type: "string", default: "t3.micro", description: "EC2 type of the app instance.", platforms: ["aws"] },
    awsPrometheusInstanceType: {
        type: "string",
        default: "t3.medium",
        description: "EC2 type of the Prometheus (and Alertmanager) instance.",
        platforms: ["aws"],
    },
    awsGrafanaInstanceType: { type: "string", default: "t3.small", description: "EC2 type of the Grafana instance.", platforms: ["aws"] },
    awsVpcId: { type: "string", default: "", description: "VPC of the instances; empty means the subnet's VPC, or the default VPC.", platforms: ["aws"] },
    awsSubnetId: { type: "string", default: "", description: "Subnet of the instances; empty means a default subnet of the VPC.", platforms: ["aws"] },
    awsRootVolumeSizeGb: { type: "integer", default: 20, description: "Size of each instance's encrypted root volume.", platforms: ["aws"] },
});
