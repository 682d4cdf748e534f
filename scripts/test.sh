#!/bin/bash
# Sets up a fresh clone and runs every check: type check, lint, the test suite, and the lab's
# end-to-end test on real local hosts (root needed for those: network namespaces, containers).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-tools.sh
npm ci --no-audit --no-fund
npm run build
npm run lint
npm test
if [ "$(id -u)" -ne 0 ]; then
    echo "the lab's end-to-end test needs root (it creates network namespaces and containers): run sudo npm run test:lab" >&2
    exit 1
fi
npm run test:lab
