#!/bin/bash
# Installs Docker from Ubuntu's docker.io package, as the guide does, and keeps it running.
# Idempotent: nothing happens when Docker already runs.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v docker >/dev/null 2>&1; then
    apt-get update -q
    apt-get install -y -q docker.io
fi
systemctl enable --now docker >/dev/null 2>&1
docker version --format 'docker {{.Server.Version}} ready'
