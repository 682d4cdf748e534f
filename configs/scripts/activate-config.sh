#!/bin/bash
# Checks staged configuration with the service's own tool and only then makes it live, with a
# reload (SIGHUP), not a restart. A file the tool rejects fails this script with the tool's
# message and leaves the running service on its old configuration. Safe to run again after it was
# cut at any point: files made live are marked pending until the service confirms it runs them.
# Environment:
#   SERVICE        systemd unit name
#   SERVICE_USER   group that may read the configuration
#   CONFIG_DIR     live configuration directory, e.g. /etc/prometheus
#   FILES          space-separated STAGED:LIVE pairs; STAGED is a file name in the staging
#                  directory, LIVE a path relative to CONFIG_DIR
#   MANAGED_DIRS   directories below CONFIG_DIR whose files not in FILES are removed (e.g. rules)
#   CHECK          command that checks the candidate (the main file's path is appended); empty
#                  for a service without a checking tool
#   MAIN           LIVE path of the main file, e.g. prometheus.yml
#   PORT           port of the service's endpoint on localhost
#   SCHEME         http or https
#   CURL_CONFIG    LIVE path of the curl configuration (CA, credentials) for the checks below
#   READY_PATH     path that answers once the service is ready; default /-/ready
#   RELOAD_METRIC  metric prefix, e.g. prometheus_config_last_reload; empty for a service that
#                  re-reads its files on every request (node_exporter's web configuration)
#   RESTART_ON_CHANGE  yes for a service that neither reloads nor re-reads its files (YACE): it is
#                  restarted when they change
#   CONTAINER      the Docker container running the service; empty for a systemd service
# Under systemd the service is started and reloaded with systemctl; in Docker with docker
# restart and docker kill --signal HUP.
set -euo pipefail
: "${SERVICE:?}" "${SERVICE_USER:?}" "${CONFIG_DIR:?}" "${FILES:?}" "${MAIN:?}" "${PORT:?}" "${SCHEME:?}" "${CURL_CONFIG:?}"
MANAGED_DIRS=${MANAGED_DIRS:-}
CHECK=${CHECK:-}
READY_PATH=${READY_PATH:-/-/ready}
RELOAD_METRIC=${RELOAD_METRIC:-}
RESTART_ON_CHANGE=${RESTART_ON_CHANGE:-no}
CONTAINER=${CONTAINER:-}
stage=/var/lib/monitoring-stack/stage
pending=/var/lib/monitoring-stack/state/$SERVICE.reload-pending

# The service's own endpoint, as its clients reach it (TLS verified against the stack's CA).
probe() {
    curl -fsS -K "$CONFIG_DIR/$CURL_CONFIG" "$SCHEME://localhost:$PORT$1"
}
is_running() {
    if [ -n "$CONTAINER" ]; then
        probe "$READY_PATH" >/dev/null 2>&1
    else
        systemctl is-active --quiet "$SERVICE"
    fi
}
start() {
    if [ -n "$CONTAINER" ]; then docker restart "$CONTAINER" >/dev/null; else systemctl start "$SERVICE"; fi
}
wait_ready() {
    for _ in $(seq 1 60); do
        if probe "$READY_PATH" >/dev/null 2>&1; then
            echo "$SERVICE $1 with the new configuration"
            rm -f "$pending"
            exit 0
        fi
        sleep 1
    done
    echo "$SERVICE did not become ready on port $PORT; see its logs (journalctl -u $SERVICE, or docker logs $SERVICE)" >&2
    exit 1
}
reload() {
    if [ -n "$CONTAINER" ]; then docker kill --signal HUP "$CONTAINER" >/dev/null; else systemctl reload "$SERVICE"; fi
}

candidate=$(mktemp -d "/var/lib/monitoring-stack/$SERVICE.candidate.XXXXXX")
trap 'rm -rf "$candidate"' EXIT
for pair in $FILES; do
    staged=${pair%%:*}
    live=${pair#*:}
    install -D -m 0640 "$stage/$staged" "$candidate/$live"
done

# The check runs on the candidate directory, so relative rule_files resolve to the new rules.
# shellcheck disable=SC2086 # CHECK is a command line.
if [ -n "$CHECK" ] && ! check_output=$($CHECK "$candidate/$MAIN" 2>&1); then
    echo "$check_output" >&2
    echo "the new configuration of $SERVICE was rejected; the running service keeps its old configuration" >&2
    exit 1
fi

# A run cut after making files live and before the service confirmed them left this mark.
changed=no
if [ -e "$pending" ]; then
    changed=yes
fi
install -d -m 0755 "$(dirname "$pending")"
for pair in $FILES; do
    live=${pair#*:}
    if ! cmp -s "$candidate/$live" "$CONFIG_DIR/$live"; then
        touch "$pending"
        install -D -m 0640 -o root -g "$SERVICE_USER" "$candidate/$live" "$CONFIG_DIR/$live.new"
        mv -f "$CONFIG_DIR/$live.new" "$CONFIG_DIR/$live"
        changed=yes
    fi
done
for dir in $MANAGED_DIRS; do
    for file in "$CONFIG_DIR/$dir"/*; do
        [ -e "$file" ] || continue
        if [ ! -e "$candidate/$dir/$(basename "$file")" ]; then
            touch "$pending"
            rm -f "$file"
            changed=yes
        fi
    done
done

metric() {
    probe /metrics 2>/dev/null | awk -v m="$1" '$1 == m { printf "%d\n", $2 }'
}

if ! is_running; then
    start
    wait_ready started
fi

if [ "$changed" = no ]; then
    echo "$SERVICE configuration unchanged"
    exit 0
fi
if [ "$RESTART_ON_CHANGE" = yes ]; then
    if [ -n "$CONTAINER" ]; then docker restart "$CONTAINER" >/dev/null; else systemctl restart "$SERVICE"; fi
    wait_ready restarted
fi
if [ -z "$RELOAD_METRIC" ]; then
    # It reads its files on every request: nothing to reload, but they must still work.
    probe "$READY_PATH" >/dev/null
    rm -f "$pending"
    echo "$SERVICE serves the new configuration"
    exit 0
fi

before=$(date +%s)
reload
# Up to 90 s: Prometheus flushes a remote-write queue that a reload removes, for up to a minute
# when its receiver is down, before the reload completes.
for _ in $(seq 1 90); do
    if [ "$(metric "${RELOAD_METRIC}_successful")" = 1 ] && [ "$(metric "${RELOAD_METRIC}_success_timestamp_seconds")" -ge "$before" ] 2>/dev/null; then
        rm -f "$pending"
        echo "$SERVICE reloaded its configuration"
        exit 0
    fi
    sleep 1
done
echo "$SERVICE did not confirm the reload; see its logs (journalctl -u $SERVICE, or docker logs $SERVICE)" >&2
exit 1
