#!/bin/bash
# Installs the real tools the tests check rendered files with, from Debian or Ubuntu packages:
# promtool, amtool, shellcheck, systemd-analyze and python3. Runs apt only for what is missing.
set -euo pipefail

declare -A package_of=(
    [promtool]=prometheus
    [amtool]=prometheus-alertmanager
    [shellcheck]=shellcheck
    [systemd-analyze]=systemd
    [python3]=python3
    [jq]=jq
    [git]=git
)
missing=()
for tool in "${!package_of[@]}"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("${package_of[$tool]}")
done
if [ "${#missing[@]}" -eq 0 ]; then
    echo "test tools present: ${!package_of[*]}"
else
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo=sudo
    fi
    echo "installing ${missing[*]}"
    # The packaged Prometheus and Alertmanager services are not wanted, only their tools.
    bash "$(dirname "$0")/apt-install.sh" "${missing[@]}"
    for service in prometheus prometheus-alertmanager; do
        $sudo systemctl disable --now "$service" >/dev/null 2>&1 || true
    done
fi

# actionlint checks the GitHub workflows; it is a Go program, installed from the Go module proxy.
actionlint_version=v1.7.7
gobin=$(go env GOPATH 2>/dev/null)/bin
if ! command -v actionlint >/dev/null 2>&1 && [ ! -x "$gobin/actionlint" ]; then
    if ! command -v go >/dev/null 2>&1; then
        echo "actionlint needs Go to install: apt-get install golang-go, or install Go from your package manager" >&2
        exit 1
    fi
    echo "installing actionlint $actionlint_version"
    go install "github.com/rhysd/actionlint/cmd/actionlint@$actionlint_version"
fi

# The promtool of the Prometheus release the program pins: Debian's build leaves out some service
# discoveries (linode_sd_configs among them), so the discovery tests check with the release users
# run. Built from its Go module with the lab's other releases, cached.
releases=${MONITORING_RELEASES_DIR:-/var/cache/monitoring-lab/releases}
mkdir -p "$releases"
bash "$(dirname "$0")/../lab/build-releases.sh" "$releases" >/dev/null
echo "pinned releases built in $releases"
