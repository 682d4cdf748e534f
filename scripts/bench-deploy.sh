#!/bin/bash
# The deployment loop's speed on the lab, printed, never asserted:
#   bash scripts/bench-deploy.sh        (as root; leaves the lab's stack deployed, as the quick start does)
# 1. the quick start as a user runs it (cold when the lab and its caches are absent, else warm; it says which);
# 2. the same command again with nothing changed, and `pulumi up` alone, `pulumi preview` alone;
# 3. where a no-op's time goes: the CLI's start, the program's start up to its first resource
#    (Node.js, TypeScript, settings), the engine's steps after it (from a no-op preview's events);
# 4. a one-rule change (an alert threshold) and its undoing, each an `up`.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "bench-deploy: run as root (the lab needs it)" >&2; exit 1; }
seconds() { # command...: wall-clock seconds of a command, its output to .lab/bench.log
    local start end
    start=$(date +%s.%N)
    "$@" >>.lab/bench.log 2>&1
    end=$(date +%s.%N)
    printf '%.1f' "$(echo "$end - $start" | bc)"
}
mkdir -p .lab
: >.lab/bench.log
state="warm: lab caches present"
[ -d /var/cache/monitoring-lab/releases/prometheus ] || state="cold: no release built yet"
[ -f .lab/env ] && state="$state; lab already up"
lab() { bash scripts/lab-deploy.sh "$@"; }
first=$(seconds lab)
again=$(seconds lab)
up=$(seconds lab -- up --yes --skip-preview)
preview=$(seconds lab --preview)
# shellcheck source=scripts/pulumi-engine.sh
. scripts/pulumi-engine.sh
use_pulumi_engine 2>/dev/null
cli=$(seconds pulumi version)
# The engine's own events of a no-op preview (streamed as JSON): when the program registered its
# first resource, and the end.
events=.lab/bench-events.jsonl
rm -f "$events"
PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true lab -- preview --json >"$events" 2>>.lab/bench.log
split=$(python3 - "$events" <<'PY'
import json, sys
from datetime import datetime
events = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
times = [e["timestamp"] for e in events]
start = times[0]
first = next(e["timestamp"] for e in events if "resourcePreEvent" in e and e["resourcePreEvent"]["metadata"]["type"] != "pulumi:pulumi:Stack")
print(f"{first - start} {times[-1] - first}")
PY
)
read -r program steps <<<"$split"
change=$(seconds lab -- config set alertCpuUserRatio 0.8)
change_up=$(seconds lab -- up --yes --skip-preview)
lab -- config rm alertCpuUserRatio >>.lab/bench.log 2>&1
undo_up=$(seconds lab -- up --yes --skip-preview)
cat <<TABLE
deployment loop on the lab ($(nproc) cores; $state)
| step                                              | seconds |
| ------------------------------------------------- | ------: |
| quick start (bash scripts/lab-deploy.sh)          | $first |
| the same again, nothing changed                   | $again |
| pulumi up alone, nothing changed                  | $up |
| pulumi preview alone, nothing changed             | $preview |
| the CLI's start (pulumi version)                  | $cli |
| no-op preview: start to the first resource        | $program |
| no-op preview: first resource to the end          | $steps |
| one rule changed (alertCpuUserRatio): config set  | $change |
| one rule changed: pulumi up                       | $change_up |
| the rule back: pulumi up                          | $undo_up |
(event timestamps are whole seconds; the commands' output is in .lab/bench.log)
TABLE
