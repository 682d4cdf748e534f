import { declareSettings } from "../../settings/declare";

/** The guide's Flask app. */
export const flaskAppSettings = declareSettings({
    appPort: { type: "integer", default: 8080, description: "Port of the Flask app.", port: true },
    appMetricsMode: {
        type: "string",
        default: "prometheus",
        description: "How the Flask app reports latency: prometheus (/metrics), cloudwatch (boto3 put_metric_data) or both.",
    },
    appAwsRegion: { type: "string", default: "us-east-1", description: "AWS region the app sends CloudWatch metrics to (cloudwatch and both modes)." },
    appAwsAccessKeyId: { type: "string", default: "", description: "AWS access key id of the app (cloudwatch and both modes).", secret: true },
    appAwsSecretAccessKey: { type: "string", default: "", description: "AWS secret access key of the app (cloudwatch and both modes).", secret: true },
});
