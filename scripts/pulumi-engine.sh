#!/bin/bash
# Sourced by every script that runs the Pulumi CLI: finds an engine and puts it first on PATH.
# Order:
#   1. `pulumi` already on PATH (the normal install: Pulumi's installer, Homebrew, a package);
#   2. ../shared/engine/build.sh beside the checkout, which builds the CLI, the Node.js language
#      host and the command provider 1.2.1 from source (this project's CI machines, where the
#      official downloads cannot be reached; about 5 minutes once, then cached);
#   3. otherwise stop, saying how to install the CLI.
# shellcheck shell=bash

# The project's directory (this file is in its scripts/).
pulumi_project_dir() {
    (cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
}

# The engine's build from source, beside the checkout (it may be absent).
pulumi_engine_builder() {
    echo "$(pulumi_project_dir)/../shared/engine/build.sh"
}

# A first run that has other work to do first (scripts/lab-deploy.sh: npm ci, the lab's hosts and
# releases) starts the engine's build from source in the background with this; use_pulumi_engine
# then waits for it. Does nothing when an engine is on PATH or already built.
start_pulumi_engine_build() {
    command -v pulumi >/dev/null 2>&1 && return 0
    local builder
    builder=$(pulumi_engine_builder)
    [ -f "$builder" ] || return 0
    pulumi_engine_build_log=$(mktemp)
    bash "$builder" >/dev/null 2>"$pulumi_engine_build_log" &
    pulumi_engine_build=$!
    echo "engine: no pulumi on PATH; building it from source with $builder in the background (its log: $pulumi_engine_build_log)" >&2
}

use_pulumi_engine() {
    local project
    project=$(pulumi_project_dir)
    if [ -n "${pulumi_engine_build:-}" ]; then
        echo "engine: waiting for its build (started in the background)" >&2
        if ! wait "$pulumi_engine_build"; then
            cat "$pulumi_engine_build_log" >&2
            echo "engine: building it from source failed; its messages are above" >&2
            return 1
        fi
        pulumi_engine_build=""
    fi
    if command -v pulumi >/dev/null 2>&1; then
        echo "engine: $(command -v pulumi) ($(pulumi version 2>/dev/null || echo 'version unknown'))" >&2
        return 0
    fi
    local builder
    builder=$(pulumi_engine_builder)
    if [ -f "$builder" ]; then
        echo "engine: no pulumi on PATH; building it from source with $builder (about 5 minutes once, then cached)" >&2
        local bin
        bin=$(bash "$builder") || {
            echo "engine: $builder failed; see its messages above" >&2
            return 1
        }
        # The language host and the command provider are on PATH beside the CLI, and the plugin
        # that runs the program's dynamic providers (certificates, generated passwords), which
        # Pulumi's own distribution ships beside the CLI, is in scripts/engine. Nothing may be
        # downloaded on machines that cannot reach the plugin downloads.
        export PATH="$project/scripts/engine:$bin:$PATH"
        export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
        echo "engine: $bin/pulumi ($(pulumi version))" >&2
        return 0
    fi
    cat >&2 <<'HINT'
engine: the Pulumi CLI is not installed. Install it as Pulumi documents, then run this again:
    curl -fsSL https://get.pulumi.com | sh        (or: brew install pulumi/tap/pulumi)
and open a new shell (the installer adds ~/.pulumi/bin to PATH).
HINT
    return 1
}
