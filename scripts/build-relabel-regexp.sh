#!/usr/bin/env bash
# Builds components/prometheus/relabelRegexp/relabelRegexp.wasm.gz: the relabel regular-expression
# check of the pinned Prometheus (2.55.1: github.com/grafana/regexp as its go.mod pins it, with the
# toolchain its go.mod names), for WASI, so the program checks regexes before preview. The build is
# reproducible: the same source gives the same bytes (tests/relabelRegexp.test.ts rebuilds it).
# Usage: bash scripts/build-relabel-regexp.sh [output.wasm.gz]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
source_dir="$here/components/prometheus/relabelRegexp"
output="${1:-$source_dir/relabelRegexp.wasm.gz}"
if ! command -v go >/dev/null; then
    echo "build-relabel-regexp: go is not installed; install it (Debian: apt-get install golang-go) and run again" >&2
    exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$source_dir" && GOTOOLCHAIN=go1.23.0 GOOS=wasip1 GOARCH=wasm CGO_ENABLED=0 GOFLAGS=-mod=mod \
    go build -trimpath -buildvcs=false -ldflags="-s -w -buildid=" -o "$work/relabelRegexp.wasm" .)
# gzip -n: no name or time in the header, so the bytes depend on the wasm alone.
gzip -9 -n -c "$work/relabelRegexp.wasm" >"$output"
echo "$output: $(wc -c <"$output") bytes, sha256 $(sha256sum "$output" | cut -d' ' -f1)"
