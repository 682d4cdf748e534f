#!/bin/bash
# npm run test:lab: the lab up, its end-to-end test, and the lab down again whatever the result.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
bash lab/lab.sh up || exit 1
npx jest -c jest.lab.config.js --runInBand
status=$?
bash lab/lab.sh down
exit "$status"
