#!/bin/bash
# Sets up a fresh clone and runs every check: type check, lint, and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-tools.sh
npm ci --no-audit --no-fund
npm run build
npm run lint
npm test
