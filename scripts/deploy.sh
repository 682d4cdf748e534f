#!/bin/bash
# Sets up a fresh clone and deploys one stack with `pulumi up`: bash scripts/deploy.sh <stack>.
# Needs the Pulumi CLI and the stack's credentials (for Linode: linode:token, see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
stack=${1:-dev}
if ! command -v pulumi >/dev/null 2>&1; then
    echo "the Pulumi CLI is not installed; install it as the README says (Getting the Pulumi CLI), then run this again" >&2
    exit 1
fi
npm ci --no-audit --no-fund
pulumi stack select "$stack" --create
pulumi up --stack "$stack"
pulumi stack output --stack "$stack"
