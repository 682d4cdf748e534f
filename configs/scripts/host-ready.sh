#!/bin/bash
# Waits until a new host has finished its first boot, then makes the directories the deployment
# stages files in. Safe to run again.
set -euo pipefail

if command -v cloud-init >/dev/null 2>&1; then
    # Exit code 2 means cloud-init finished with recoverable errors: the host is usable.
    rc=0
    cloud-init status --wait >/dev/null || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then
        echo "cloud-init failed with exit code $rc; see /var/log/cloud-init-output.log" >&2
        exit "$rc"
    fi
fi

state=unknown
for _ in $(seq 1 90); do
    state=$(systemctl is-system-running 2>/dev/null || true)
    case "$state" in
        running | degraded) break ;;
    esac
    sleep 2
done
case "$state" in
    running | degraded) ;;
    *)
        echo "systemd did not finish booting (state: $state)" >&2
        exit 1
        ;;
esac

install -d -m 0700 /var/lib/monitoring-stack /var/lib/monitoring-stack/stage /var/lib/monitoring-stack/state
echo "host ready: $(hostname) ($state)"
