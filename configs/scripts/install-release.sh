#!/bin/bash
# Installs one Prometheus-project release (prometheus, alertmanager, node_exporter) from its
# tarball, verified by sha256, as a systemd service run by its own user. Idempotent: nothing is
# downloaded when the wanted version is installed, and the service restarts only when its binary
# or unit changed. Safe to run again after it was cut at any point: a change is marked pending
# before it is made and unmarked once the service runs it, so a run cut between the two restarts
# the service the next time.
# Environment:
#   NAME          release name, e.g. prometheus (tarball NAME-VERSION.linux-ARCH.tar.gz)
#   VERSION       e.g. 2.55.1
#   BASE_URL      the tarball is BASE_URL/vVERSION/<tarball>, the checksums BASE_URL/vVERSION/sha256sums.txt
#   SHA256        expected sha256 of the tarball; empty means look it up in sha256sums.txt
#   BINARIES      space-separated binaries to install into /usr/local/bin, each FILE or FILE:NAME
#                 (the tarball's FILE installed as NAME, e.g. victoria-logs-prod:victoria-logs)
#   TARBALL       the tarball's file name, with {name}, {version} and {arch} replaced; default
#                 {name}-{version}.linux-{arch}.tar.gz (the Prometheus project's layout)
#   CHECKSUMS     the file of sha256 sums beside it, same replacements; default sha256sums.txt
#   TOP_DIR       the directory in the tarball that holds the binaries, same replacements; default
#                 {name}-{version}.linux-{arch}; "." for a tarball without one
#   SERVICE       systemd unit name (without .service); its unit file is staged as SERVICE.service
#   SERVICE_USER  system user the service runs as
#   CONFIG_DIR    configuration directory, or empty
#   DATA_DIR      data directory owned by SERVICE_USER, or empty
#   SHARE_DIRS    directories of the tarball to copy into CONFIG_DIR (consoles ...), may be empty
set -euo pipefail
: "${NAME:?}" "${VERSION:?}" "${BASE_URL:?}" "${BINARIES:?}" "${SERVICE:?}" "${SERVICE_USER:?}"
SHA256=${SHA256:-}
CONFIG_DIR=${CONFIG_DIR:-}
DATA_DIR=${DATA_DIR:-}
SHARE_DIRS=${SHARE_DIRS:-}
stage=/var/lib/monitoring-stack/stage
state=/var/lib/monitoring-stack/state

case "$(uname -m)" in
    x86_64) arch=amd64 ;;
    aarch64) arch=arm64 ;;
    *)
        echo "unsupported CPU architecture $(uname -m)" >&2
        exit 1
        ;;
esac
expand() { # template: {name}, {version} and {arch} replaced
    local text=${1//\{name\}/$NAME}
    text=${text//\{version\}/$VERSION}
    printf '%s' "${text//\{arch\}/$arch}"
}
tarball=$(expand "${TARBALL:-{name\}-{version\}.linux-{arch\}.tar.gz}")
checksums=$(expand "${CHECKSUMS:-sha256sums.txt}")
top_dir=$(expand "${TOP_DIR:-{name\}-{version\}.linux-{arch\}}")
marker="$state/$NAME.release"
pending="$state/$SERVICE.restart-pending"
install -d -m 0755 "$state"
changed=no
if [ -e "$pending" ]; then
    changed=yes
fi

if ! id "$SERVICE_USER" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
fi

if [ "$(cat "$marker" 2>/dev/null || true)" != "$tarball $SHA256" ]; then
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    curl -fsSL --retry 5 --retry-delay 2 -o "$work/$tarball" "$BASE_URL/v$VERSION/$tarball"
    expected=$SHA256
    if [ -z "$expected" ]; then
        curl -fsSL --retry 5 --retry-delay 2 -o "$work/checksums" "$BASE_URL/v$VERSION/$checksums"
        expected=$(awk -v f="$tarball" '$2 == f || $2 == "*" f { print $1 }' "$work/checksums")
        if [ -z "$expected" ]; then
            echo "$tarball is not listed in $BASE_URL/v$VERSION/$checksums" >&2
            exit 1
        fi
    fi
    actual=$(sha256sum "$work/$tarball" | cut -d' ' -f1)
    if [ "$actual" != "$expected" ]; then
        echo "checksum mismatch for $tarball: expected $expected, got $actual; nothing was installed" >&2
        exit 1
    fi
    tar -xzf "$work/$tarball" -C "$work"
    src="$work/$top_dir"
    touch "$pending"
    for binary in $BINARIES; do
        file=${binary%%:*}
        installed=${binary#*:}
        install -m 0755 -o root -g root "$src/$file" "/usr/local/bin/$installed.new"
        mv -f "/usr/local/bin/$installed.new" "/usr/local/bin/$installed"
    done
    for dir in $SHARE_DIRS; do
        if [ -d "$src/$dir" ]; then
            rm -rf "${CONFIG_DIR:?}/$dir"
            install -d "$CONFIG_DIR"
            cp -r "$src/$dir" "$CONFIG_DIR/$dir"
        fi
    done
    echo "$tarball $SHA256" >"$marker"
    changed=yes
    echo "installed $tarball (sha256 $actual)"
fi

if [ -n "$CONFIG_DIR" ]; then
    install -d -m 0750 -o root -g "$SERVICE_USER" "$CONFIG_DIR"
fi
if [ -n "$DATA_DIR" ]; then
    install -d -m 0750 -o "$SERVICE_USER" -g "$SERVICE_USER" "$DATA_DIR"
    chown "$SERVICE_USER:$SERVICE_USER" "$DATA_DIR"
fi

unit="/etc/systemd/system/$SERVICE.service"
if ! cmp -s "$stage/$SERVICE.service" "$unit"; then
    touch "$pending"
    install -m 0644 "$stage/$SERVICE.service" "$unit"
    systemctl daemon-reload
    changed=yes
    echo "unit $unit updated"
fi
systemctl enable "$SERVICE" >/dev/null 2>&1

# A service without configuration waits for its configure step to start it.
if [ -z "$CONFIG_DIR" ] || [ -n "$(ls -A "$CONFIG_DIR"/*.yml 2>/dev/null || true)" ]; then
    if ! systemctl is-active --quiet "$SERVICE"; then
        systemctl start "$SERVICE"
        echo "$SERVICE started"
    elif [ "$changed" = yes ]; then
        systemctl restart "$SERVICE"
        echo "$SERVICE restarted"
    fi
    rm -f "$pending"
fi
