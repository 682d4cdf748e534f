"""The example Flask app of the CloudWatch migration guide, in all three of its metrics modes.

METRICS_MODE selects how request latency is reported:
  prometheus  prometheus_flask_exporter serves /metrics (the guide's "after");
  cloudwatch  boto3 put_metric_data of FlaskApp/EndpointLatency (the guide's "before");
  both        both at once, for the migration period.
"""

import logging
import os
import random
import time

from flask import Flask, request

METRICS_MODE = os.environ.get("METRICS_MODE", "prometheus")
if METRICS_MODE not in ("prometheus", "cloudwatch", "both"):
    raise SystemExit(f"METRICS_MODE={METRICS_MODE!r}: use prometheus, cloudwatch or both")

logging.basicConfig(
    filename=os.environ.get("LOG_FILE", "flask-app.log"),
    level=logging.INFO,
    format="%(asctime)s %(levelname)s %(name)s %(message)s",
)
logger = logging.getLogger(__name__)

app = Flask(__name__)

if METRICS_MODE in ("prometheus", "both"):
    from prometheus_flask_exporter import PrometheusMetrics

    metrics = PrometheusMetrics(app)
    metrics.info("FlaskApp", "Application info", version="1.0.0")

if METRICS_MODE in ("cloudwatch", "both"):
    import boto3

    cloudwatch = boto3.client("cloudwatch")

    @app.before_request
    def start_timer():
        request.start_time = time.time()

    @app.after_request
    def send_latency_metric(response):
        latency = time.time() - request.start_time
        try:
            cloudwatch.put_metric_data(
                Namespace="FlaskApp",
                MetricData=[
                    {
                        "MetricName": "EndpointLatency",
                        "Dimensions": [
                            {"Name": "Endpoint", "Value": request.path},
                            {"Name": "Method", "Value": request.method},
                        ],
                        "Unit": "Seconds",
                        "Value": latency,
                    }
                ],
            )
        except Exception:  # A CloudWatch outage must not fail the request it measures.
            logger.exception("put_metric_data failed")
        return response


@app.route("/")
def hello_world():
    logger.info("A request was received at the root URL")
    return {"message": "Hello, World!"}, 200


@app.route("/long-request")
def long_request():
    n = random.randint(1, 5)
    logger.info(f"A request was received at the long-request URL. Slept for {n} seconds")
    time.sleep(n)
    return {"message": f"Long running request with {n=}"}, 200


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8080")))
