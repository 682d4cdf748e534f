#!/bin/bash
# Installs Debian or Ubuntu packages, waiting for another apt or dpkg to finish first: a fresh cloud
# machine often runs unattended upgrades at boot, and apt then stops at once on its lock.
#   bash scripts/apt-install.sh PACKAGE...     (as root, or through sudo when not)
# Waits up to APT_LOCK_WAIT seconds (default 600), saying so every 30 s.
set -euo pipefail
[ "$#" -gt 0 ] || { echo "usage: apt-install.sh PACKAGE..." >&2; exit 2; }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
wait_limit=${APT_LOCK_WAIT:-600}

# apt reports a held lock as "Could not get lock" (E: ... /var/lib/dpkg/lock-frontend or lists/lock).
apt_waiting() { # apt-get arguments...
    local waited=0 output
    while true; do
        if output=$(DEBIAN_FRONTEND=noninteractive $sudo apt-get "$@" 2>&1); then
            printf '%s\n' "$output" | tail -n 3
            return 0
        fi
        if ! grep -q "Could not get lock\|Could not open lock\|is another process using it" <<<"$output"; then
            printf '%s\n' "$output" >&2
            return 1
        fi
        if [ "$waited" -ge "$wait_limit" ]; then
            printf '%s\n' "$output" >&2
            echo "apt-install: another apt or dpkg held its lock for ${wait_limit} s; wait for it (ps aux | grep -E 'apt|dpkg|unattended'), or set APT_LOCK_WAIT, then run again" >&2
            return 1
        fi
        [ $((waited % 30)) -eq 0 ] && echo "apt-install: another apt or dpkg is running (unattended upgrades at boot?); waiting for its lock (${waited} s of ${wait_limit} s)" >&2
        sleep 5
        waited=$((waited + 5))
    done
}

echo "apt-install: $*"
apt_waiting update -q
apt_waiting install -y -q --no-install-recommends "$@"
