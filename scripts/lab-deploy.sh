#!/bin/bash
# The no-cloud quick start: local hosts (lab/lab.sh up), then `pulumi up -s lab` of the hosts
# platform onto them, with a file backend under .lab/. Needs root and the Pulumi CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pulumi >/dev/null 2>&1; then
    echo "the Pulumi CLI is not installed; install it as the README says (Getting the Pulumi CLI), then run this again" >&2
    exit 1
fi
npm ci --no-audit --no-fund
bash lab/lab.sh up
# shellcheck disable=SC1091 # written by lab/lab.sh up
. .lab/env
export PULUMI_BACKEND_URL="file://$PWD/.lab/state" PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-lab}"
mkdir -p .lab/state
pulumi stack select lab --create
set_config() { pulumi config set --stack lab "$@"; }
set_config platform hosts
set_config --path 'hosts[0]' "monitoring=root@$LAB_MONITORING"
set_config --path 'hosts[1]' "app=root@$LAB_APP"
set_config --path 'adminCidrs[0]' 10.77.0.0/24
set_config sshPrivateKeyFile "$LAB_SSH_KEY"
set_config prometheusVersion "$PROMETHEUS_VERSION"
set_config prometheusDownloadBaseUrl "$LAB_MIRROR/prometheus"
set_config alertmanagerVersion "$ALERTMANAGER_VERSION"
set_config alertmanagerDownloadBaseUrl "$LAB_MIRROR/alertmanager"
set_config nodeExporterVersion "$NODE_EXPORTER_VERSION"
set_config nodeExporterDownloadBaseUrl "$LAB_MIRROR/node_exporter"
# Grafana's apt repository is out of reach of the lab's hosts.
set_config grafanaEnabled false
set_config smtpSmarthost "$LAB_SMTP"
set_config smtpFrom alertmanager@lab.test
set_config smtpTo oncall@lab.test
set_config smtpRequireTls false
pulumi up --stack lab --yes
echo "Prometheus:   http://$LAB_MONITORING:9090"
echo "Alertmanager: http://$LAB_MONITORING:9093"
echo "Flask app:    http://$LAB_APP:8080"
echo "Alert mail:   $LAB_MAIL_DIR"
