#!/bin/bash
# Sourced by every script that runs the Pulumi CLI: finds an engine and puts it first on PATH.
# Order:
#   1. `pulumi` already on PATH (the normal install: Pulumi's installer, Homebrew, a package);
#   2. ../shared/engine/build.sh beside the checkout, which builds the CLI, the Node.js language
#      host and the command provider 1.2.1 from source (this project's CI machines, where the
#      official downloads cannot be reached; about 5 minutes once, then cached);
#   3. otherwise stop, saying how to install the CLI.
# shellcheck shell=bash

use_pulumi_engine() {
    local project
    project=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    if command -v pulumi >/dev/null 2>&1; then
        echo "engine: $(command -v pulumi) ($(pulumi version 2>/dev/null || echo 'version unknown'))" >&2
        return 0
    fi
    local builder="$project/../shared/engine/build.sh"
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
