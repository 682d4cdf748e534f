#!/bin/bash
# The no-cloud quick start: local hosts (lab/lab.sh up), then `pulumi up -s lab` of the hosts
# platform onto them with the real engine, on a file backend under .lab/. Needs root.
#   bash scripts/lab-deploy.sh              hosts, then pulumi up; prints the links
#   bash scripts/lab-deploy.sh --preview    pulumi preview --diff of the lab stack as it is configured
#   bash scripts/lab-deploy.sh -- ARGS...   any pulumi command on the lab stack, e.g. -- stack output --show-secrets
#   bash scripts/lab-deploy.sh --destroy    pulumi destroy, then the hosts removed (lab/lab.sh down)
# Each works in a new shell: the engine (and the plugin that runs the dynamic providers), the
# backend and the passphrase are set here, not in the shell that ran the first command.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=up
case "${1:-}" in
    "") ;;
    --preview) mode=preview ;;
    --destroy) mode=destroy ;;
    --) mode=pulumi ;;
    *)
        echo "usage: bash scripts/lab-deploy.sh [--preview | --destroy | -- PULUMI-ARGS...]" >&2
        exit 2
        ;;
esac
[ "$mode" = pulumi ] && shift
# shellcheck source=scripts/pulumi-engine.sh
. scripts/pulumi-engine.sh
# A first deployment builds the engine (when it must) while npm, apt and the lab's releases work.
if [ "$mode" = up ]; then start_pulumi_engine_build; else use_pulumi_engine; fi
# No metadata sidecars beside the state: see the README, "Recovering an interrupted `up`".
export PULUMI_BACKEND_URL="file://$PWD/.lab/state?metadata=skip" PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-lab}"

if [ "$mode" != up ]; then
    [ -f .lab/env ] || {
        echo "lab-deploy: the lab is not up; deploy it first with: bash scripts/lab-deploy.sh" >&2
        exit 1
    }
    case "$mode" in
        preview) exec pulumi preview --stack lab --diff ;;
        pulumi) exec pulumi "$@" --stack lab ;;
        destroy)
            pulumi destroy --stack lab --yes
            bash lab/lab.sh down
            exit 0
            ;;
    esac
fi

npm ci --no-audit --no-fund
# Only what the quick start's stack deploys is built and served (the tests build the rest).
LAB_PROFILE=quick-start bash lab/lab.sh up
# shellcheck disable=SC1091 # written by lab/lab.sh up
. .lab/env
use_pulumi_engine
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
user=$(pulumi stack output --stack lab webUsername)
echo "Prometheus:   https://$LAB_MONITORING:9090"
echo "Alertmanager: https://$LAB_MONITORING:9093"
echo "  They answer over HTTPS with a certificate of the stack's own CA, saved in $ca (import it into"
echo "  your browser to open them), and ask for user $user with the password that this prints:"
echo "    bash scripts/lab-deploy.sh -- stack output --show-secrets webPassword"
echo "  e.g. curl --cacert $ca -u $user:<password> https://$LAB_MONITORING:9090/api/v1/targets"
echo "Flask app:    http://$LAB_APP:8080"
echo "Alert mail:   $LAB_MAIL_DIR"
echo "Preview a change (after pulumi config set ... through the line below): bash scripts/lab-deploy.sh --preview"
echo "Any pulumi command on the lab stack: bash scripts/lab-deploy.sh -- config set prometheusRetention 30d"
echo "Remove it:    bash scripts/lab-deploy.sh --destroy"
