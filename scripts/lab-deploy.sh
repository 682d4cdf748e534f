#!/bin/bash
# The no-cloud quick start: local hosts (lab/lab.sh up), then `pulumi up -s lab` of the hosts
# platform onto them with the real engine, on a file backend under .lab/. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pulumi-engine.sh
. scripts/pulumi-engine.sh
use_pulumi_engine
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
set_config sshAgentSocket "$LAB_SSH_AGENT"
# The lab's mirror serves the releases the program pins (built from their Go modules), as an
# internal mirror would; the versions are the program's defaults.
set_config prometheusDownloadBaseUrl "$LAB_MIRROR/prometheus"
set_config alertmanagerDownloadBaseUrl "$LAB_MIRROR/alertmanager"
set_config nodeExporterDownloadBaseUrl "$LAB_MIRROR/node_exporter"
# Grafana's apt repository is out of reach of the lab's hosts.
set_config grafanaEnabled false
set_config smtpSmarthost "$LAB_SMTP"
set_config smtpFrom alertmanager@lab.test
set_config smtpTo oncall@lab.test
set_config smtpRequireTls false
pulumi up --stack lab --yes
ca="$PWD/.lab/ca.crt"
pulumi stack output --stack lab tlsCaCertificate >"$ca"
echo "Prometheus:   https://$LAB_MONITORING:9090"
echo "Alertmanager: https://$LAB_MONITORING:9093"
echo "  They answer over HTTPS with a certificate of the stack's own CA, saved in $ca, and ask for"
echo "  user $(pulumi stack output --stack lab webUsername) with the password of: pulumi stack output --stack lab --show-secrets webPassword"
echo "  e.g. curl --cacert $ca -u $(pulumi stack output --stack lab webUsername):<password> https://$LAB_MONITORING:9090/api/v1/targets"
echo "Flask app:    http://$LAB_APP:8080"
echo "Alert mail:   $LAB_MAIL_DIR"
echo "Remove it:    pulumi destroy -s lab (with PULUMI_BACKEND_URL=$PULUMI_BACKEND_URL), then sudo bash lab/lab.sh down"
