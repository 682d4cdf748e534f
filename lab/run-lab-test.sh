#!/bin/bash
# npm run test:lab: a new lab, the end-to-end test that drives the real Pulumi engine onto it, and
# the lab down again whatever the result.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=scripts/pulumi-engine.sh
. scripts/pulumi-engine.sh
use_pulumi_engine || exit 1
if [ -f .lab/env ]; then
    echo "test:lab: a lab is up already (scripts/lab-deploy.sh?); the test needs new hosts: run sudo bash lab/lab.sh down first" >&2
    exit 1
fi
bash lab/lab.sh up || exit 1
npx jest -c jest.lab.config.js --runInBand
status=$?
bash lab/lab.sh down
exit "$status"
