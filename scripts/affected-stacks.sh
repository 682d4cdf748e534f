#!/bin/bash
# Prints, as a JSON list, the stacks a change between two git revisions can affect:
#   bash scripts/affected-stacks.sh <base> <head>
# A change to Pulumi.<stack>.yaml affects that stack; a change to the program (its code, configs,
# Pulumi.yaml or dependencies) affects every stack; docs, tests and workflows affect none.
set -euo pipefail
base=${1:?usage: affected-stacks.sh <base> <head>}
head=${2:?usage: affected-stacks.sh <base> <head>}
cd "$(git rev-parse --show-toplevel)"

all_stacks() {
    git ls-tree --name-only "$head" | sed -n 's/^Pulumi\.\([^.]*\)\.yaml$/\1/p'
}

stacks=()
while IFS= read -r file; do
    case "$file" in
        Pulumi.yaml | index.ts | package.json | package-lock.json | tsconfig.json | cloudwatch/* | components/* | configs/* | network/* | platforms/* | remote/* | runtimes/* | security/* | settings/* | stack/*)
            mapfile -t stacks < <(all_stacks)
            break
            ;;
        Pulumi.*.yaml)
            stack=${file#Pulumi.}
            stacks+=("${stack%.yaml}")
            ;;
    esac
done < <(git diff --name-only "$base...$head")

# Only stacks that still exist at head: a deleted stack file has nothing to preview.
existing=$(all_stacks)
printf '%s\n' "${stacks[@]}" | sort -u | grep -Fxf <(printf '%s\n' "$existing") | jq -R . | jq -cs . || true
