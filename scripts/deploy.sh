#!/bin/bash
# Sets up a fresh clone and deploys one stack with `pulumi up`: bash scripts/deploy.sh <stack>.
# Needs the Pulumi CLI and the stack's credentials (for Linode: linode:token, see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
stack=${1:-dev}
# shellcheck source=scripts/pulumi-engine.sh
. scripts/pulumi-engine.sh
use_pulumi_engine
npm ci --no-audit --no-fund
pulumi stack select "$stack" --create
pulumi up --stack "$stack"
pulumi stack output --stack "$stack"
