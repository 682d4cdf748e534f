#!/bin/bash
# The local lab: real Debian 12 hosts with systemd on one machine, for the hosts platform.
#   bash lab/lab.sh up     hosts, artifact mirror, SMTP sink, AWS API emulator; writes .lab/env
#   bash lab/lab.sh down   removes every host, interface and process it made
#   bash lab/lab.sh restart <mon|app|node>   powers a host off and boots it again
#   bash lab/lab.sh images <mon|app|node>    Docker and the pinned images on a host (docker runtime)
# Needs root, and Debian or Ubuntu (debootstrap, systemd-nspawn from their packages).
# LAB_PROFILE=quick-start (scripts/lab-deploy.sh) builds and serves only what the quick start's stack
# deploys (Prometheus, Alertmanager, node_exporter); the tests' default builds everything.
# Each host is a network namespace on the bridge labbr0 plus a systemd-nspawn container that boots
# a real systemd with sshd. The mirror serves Prometheus, Alertmanager and node_exporter tarballs
# in the release layout, built from Debian's binaries, with a sha256sums.txt.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
project=$(dirname "$here")
state="$project/.lab"
cache=/var/cache/monitoring-lab
bridge=labbr0
subnet=10.77.0
gateway="$subnet.1"
mirror_port=8000
smtp_port=2525
cloudwatch_port=5055
# The AWS API emulator the CloudWatch bridge reads in the lab (moto's server, from PyPI, pinned).
moto_version=5.1.22
# The remote-write receiver on the node host: VictoriaMetrics (Apache-2.0), built from its Go module.
receiver_version=1.151.0
# mon and app carry the stack; node is a further machine in the node role (node_exporter only).
hosts=(mon:11 app:12 node:13)

log() { printf 'lab: %s\n' "$*" >&2; }

# ssh to a lab host as root with the lab's key: address command...
lab_ssh() {
    local address=$1
    shift
    ssh -i "$state/id_ed25519" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=2 -o LogLevel=ERROR "root@$address" "$@"
}

# The last octet of a lab host's address, by name (mon, app); fails for any other name.
host_octet() {
    local host
    for host in "${hosts[@]}"; do
        if [ "${host%%:*}" = "$1" ]; then
            echo "${host##*:}"
            return 0
        fi
    done
    echo "lab: no host $1" >&2
    exit 2
}

need_root() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "lab: run as root (it creates network namespaces and containers)" >&2
        exit 1
    fi
}

install_tools() {
    local missing=()
    command -v debootstrap >/dev/null || missing+=(debootstrap)
    command -v systemd-nspawn >/dev/null || missing+=(systemd-container)
    command -v iptables >/dev/null || missing+=(iptables)
    command -v ssh >/dev/null || missing+=(openssh-client)
    [ -x /usr/bin/prometheus ] || missing+=(prometheus)
    [ -x /usr/bin/prometheus-alertmanager ] || missing+=(prometheus-alertmanager)
    [ -x /usr/bin/prometheus-node-exporter ] || missing+=(prometheus-node-exporter)
    /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
    /usr/bin/python3 -c 'import ensurepip' 2>/dev/null || missing+=(python3-venv)
    # The lab opens the stack's pages in a real browser, trusting the stack's CA through NSS.
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    command -v certutil >/dev/null || missing+=(libnss3-tools)
    if [ "${#missing[@]}" -gt 0 ]; then
        log "installing ${missing[*]}"
        bash "$project/scripts/apt-install.sh" "${missing[@]}"
        for service in prometheus prometheus-alertmanager prometheus-node-exporter; do
            systemctl disable --now "$service" >/dev/null 2>&1 || true
        done
    fi
}

debian_mirror() {
    # The machine's own Debian mirror, as apt is configured here.
    sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1
}

build_rootfs() {
    if [ -x "$cache/rootfs/usr/sbin/sshd" ]; then
        return
    fi
    local mirror
    mirror=$(debian_mirror)
    [ -n "$mirror" ] || { echo "lab: no Debian mirror found in /etc/apt/sources.list.d/debian.sources" >&2; exit 1; }
    log "building the host image with debootstrap (about 80 s, once)"
    rm -rf "$cache/rootfs.tmp"
    mkdir -p "$cache"
    debootstrap --include=openssh-server,systemd-sysv,dbus,sudo,curl,ca-certificates,python3,python3-venv,iproute2 \
        bookworm "$cache/rootfs.tmp" "$mirror" >"$cache/debootstrap.log" 2>&1
    mv "$cache/rootfs.tmp" "$cache/rootfs"
}

# The mirror serves two release lines in the upstream layout, each with its sha256sums.txt:
# the releases the program pins by default, built from their Go modules (lab/build-releases.sh,
# cached), and Debian's older builds, which a test deploys first to upgrade from.
build_mirror() {
    local dir="$state/mirror"
    rm -rf "$dir"
    mkdir -p "$dir"
    local pinned
    if quick_start; then
        pinned=$(RELEASES="prometheus alertmanager node_exporter" bash "$here/build-releases.sh" "$cache/releases")
    else
        pinned=$(bash "$here/build-releases.sh" "$cache/releases")
    fi
    local name
    for name in prometheus alertmanager node_exporter yace thanos; do
        mkdir -p "$dir/$name"
    done
    local prom am ne
    prom=$(debian_version prometheus)
    am=$(debian_version prometheus-alertmanager)
    ne=$(debian_version prometheus-node-exporter)
    release() { # name version files...: a tarball in the release layout from installed files
        local name=$1 version=$2
        shift 2
        local top="$name-$version.linux-amd64"
        local work="$state/build/$top"
        rm -rf "$work"
        mkdir -p "$work" "$dir/$name/v$version"
        while [ "$#" -gt 0 ]; do
            cp -r "$1" "$work/$2"
            shift 2
        done
        tar -czf "$dir/$name/v$version/$top.tar.gz" -C "$state/build" "$top"
        (cd "$dir/$name/v$version" && sha256sum ./*.tar.gz | sed 's# \./# #' >sha256sums.txt)
    }
    release prometheus "$prom" /usr/bin/prometheus prometheus /usr/bin/promtool promtool \
        /usr/share/doc/prometheus/examples/consoles consoles /usr/share/doc/prometheus/examples/console_libraries console_libraries
    release alertmanager "$am" /usr/bin/prometheus-alertmanager alertmanager /usr/bin/amtool amtool
    release node_exporter "$ne" /usr/bin/prometheus-node-exporter node_exporter
    rm -rf "$state/build"
    local key version
    while IFS='=' read -r key version; do
        case "$key" in
            *_VERSION)
                name=$(echo "${key%_VERSION}" | tr '[:upper:]' '[:lower:]')
                # VICTORIA_LOGS_VERSION names victoria-logs, as its releases are named.
                [ -d "$cache/releases/$name" ] || name=${name//_/-}
                # The quick start builds only what its stack deploys.
                [ -d "$cache/releases/$name/v$version" ] || continue
                mkdir -p "$dir/$name"
                cp -r "$cache/releases/$name/v$version" "$dir/$name/"
                ;;
        esac
    done <<<"$pinned"
    quick_start || build_images "$pinned"
    printf '%s\n' "$pinned" "OLDER_PROMETHEUS_VERSION=$prom" "OLDER_ALERTMANAGER_VERSION=$am" "OLDER_NODE_EXPORTER_VERSION=$ne" >"$state/versions"
}

# The root file systems of the services' images, laid out as the upstream images are (binaries in
# /bin, data directories owned by nobody), built from the pinned release tarballs: the docker
# runtime's images, which an air-gapped site loads into Docker before `pulumi up` (lab.sh images).
# moto in server mode, in a virtual environment of its own under the cache: the CloudWatch API
# (PutMetricData, GetMetricStatistics, ListMetrics) and STS that the bridge calls.
quick_start() { [ "${LAB_PROFILE:-}" = quick-start ]; }

build_moto() {
    local venv="$cache/moto-$moto_version"
    [ -f "$venv/.installed" ] && return 0
    log "installing moto $moto_version"
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q "moto[server]==$moto_version"
    touch "$venv/.installed"
}

# VictoriaMetrics single-node, built inside a copy of its own module (its go.sum pins every
# dependency; the module is fetched without the checksum database lookup), cached.
build_receiver() {
    local bin="$cache/receiver/victoria-metrics-$receiver_version"
    [ -x "$bin" ] && return 0
    command -v go >/dev/null || { echo "lab: Go is needed to build the remote-write receiver: apt-get install golang-go (1.26 or newer)" >&2; exit 1; }
    log "building VictoriaMetrics $receiver_version (the remote-write receiver)"
    local mod=github.com/VictoriaMetrics/VictoriaMetrics work upstream
    work=$(mktemp -d)
    upstream=$(cd "$work" && GONOSUMDB=$mod GOFLAGS=-mod=mod go mod download -json "$mod@v$receiver_version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
    cp -r "$upstream" "$work/src"
    chmod -R u+w "$work/src"
    mkdir -p "$cache/receiver"
    (cd "$work/src" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$bin.tmp" ./app/victoria-metrics)
    mv "$bin.tmp" "$bin"
    rm -rf "$work"
}

build_images() { # the pinned versions, as build-releases.sh prints them
    local PROMETHEUS_VERSION ALERTMANAGER_VERSION NODE_EXPORTER_VERSION VICTORIA_LOGS_VERSION VMUTILS_VERSION
    eval "$(grep '_VERSION=' <<<"$1")"
    local images="$state/mirror/images" work
    mkdir -p "$images"
    work=$(mktemp -d)
    image_root() { # name version data_dir binaries...
        local name=$1 version=$2 data=$3
        shift 3
        local root="$work/$name"
        mkdir -p "$root/bin" "$root/etc/$name" "$root$data"
        tar -xzf "$state/mirror/$name/v$version/$name-$version.linux-amd64.tar.gz" -C "$work"
        for binary in "$@"; do cp "$work/$name-$version.linux-amd64/$binary" "$root/bin/"; done
        if [ -d "$work/$name-$version.linux-amd64/consoles" ]; then
            mkdir -p "$root/usr/share/$name"
            cp -r "$work/$name-$version.linux-amd64/consoles" "$work/$name-$version.linux-amd64/console_libraries" "$root/usr/share/$name/"
        fi
        chown -R 65534:65534 "$root$data"
        tar --numeric-owner -C "$root" -cf "$images/$name.tar" .
    }
    image_root prometheus "$PROMETHEUS_VERSION" /prometheus prometheus promtool
    image_root alertmanager "$ALERTMANAGER_VERSION" /alertmanager alertmanager amtool
    image_root node_exporter "$NODE_EXPORTER_VERSION" /var/lib/node_exporter node_exporter
    # VictoriaMetrics' images hold their binary, <name>-prod, at the root, as their tarballs do.
    image_flat() { # name tarball binary
        local root="$work/$1"
        mkdir -p "$root"
        tar -xzf "$2" -C "$root" "$3"
        tar --numeric-owner -C "$root" -cf "$images/$1.tar" .
    }
    image_flat victoria-logs "$state/mirror/victoria-logs/v$VICTORIA_LOGS_VERSION/victoria-logs-linux-amd64-v$VICTORIA_LOGS_VERSION.tar.gz" victoria-logs-prod
    image_flat vmalert "$state/mirror/vmutils/v$VMUTILS_VERSION/vmutils-linux-amd64-v$VMUTILS_VERSION.tar.gz" vmalert-prod
    rm -rf "$work"
}

# Installs Docker on a host as the docker runtime's install step does, and loads the images of the
# pinned releases under the names the program pins (lab.sh images <host>).
images() {
    need_root
    local name=${1:?usage: lab.sh images <mon|app>} octet
    octet=$(host_octet "$name")
    # shellcheck disable=SC1091 # written by lab.sh up
    . "$state/env"
    # name=image=entrypoint: the Prometheus project's images run /bin/<name>, VictoriaMetrics' /<name>-prod.
    local wanted="prometheus=$PROMETHEUS_IMAGE:v$PROMETHEUS_VERSION=/bin/prometheus alertmanager=$ALERTMANAGER_IMAGE:v$ALERTMANAGER_VERSION=/bin/alertmanager"
    wanted+=" node_exporter=$NODE_EXPORTER_IMAGE:v$NODE_EXPORTER_VERSION=/bin/node_exporter"
    wanted+=" victoria-logs=$VICTORIA_LOGS_IMAGE:v$VICTORIA_LOGS_VERSION=/victoria-logs-prod vmalert=$VMALERT_IMAGE:v$VMUTILS_VERSION=/vmalert-prod"
    lab_ssh "$subnet.$octet" "env MIRROR=$LAB_MIRROR WANTED='$wanted' bash -s" <<'SCRIPT'
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
command -v docker >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q docker.io >/dev/null; }
systemctl enable --now docker >/dev/null 2>&1
for entry in $WANTED; do
    name=${entry%%=*} rest=${entry#*=}
    image=${rest%%=*} entrypoint=${rest#*=}
    curl -fsS "$MIRROR/images/$name.tar" | docker import --change "ENTRYPOINT [\"$entrypoint\"]" --change "USER 65534:65534" - "$image" >/dev/null
    echo "loaded $image"
done
SCRIPT
}

debian_version() { # package: its upstream version, e.g. 2.42.0
    dpkg-query -W -f='${Version}' "$1" | sed 's/[+~-].*//'
}

boot_host() { # name: starts the container of an existing host directory
    local name=$1
    # As a cloud VM of today: the unified cgroup v2 hierarchy (Debian 12 and Ubuntu 24.04 boot
    # with it, and runc needs it writable to run containers). nspawn's seccomp filter refuses
    # adjtimex and clock_adjtime outright, where a VM only refuses changing the clock without
    # CAP_SYS_TIME: allowing the calls gives node_exporter's timex collector its read-only view,
    # and the hosts still cannot set the clock. Docker (the docker runtime) needs CAP_NET_ADMIN,
    # which here reaches only the host's own network namespace, and runc the keyring and bpf calls.
    SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 setsid systemd-nspawn --quiet --boot --register=no --keep-unit --machine="lab-$name" \
        --capability=CAP_NET_ADMIN --system-call-filter="adjtimex clock_adjtime @keyring bpf" \
        --directory="$state/hosts/$name" --network-namespace-path="/run/netns/lab-$name" \
        >>"$state/hosts/$name.console" 2>&1 </dev/null &
    echo $! >"$state/hosts/$name.pid"
}

poweroff_host() { # name octet: a clean shutdown, as systemctl poweroff on a real machine
    local name=$1 address="$subnet.$2"
    [ -f "$state/hosts/$name.pid" ] || return 0
    lab_ssh "$address" systemctl poweroff >/dev/null 2>&1 || true
    local pid
    pid=$(cat "$state/hosts/$name.pid")
    for _ in $(seq 1 30); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$state/hosts/$name.pid"
}

start_host() { # name octet
    local name=$1 address="$subnet.$2"
    local root="$state/hosts/$name"
    ip netns add "lab-$name"
    ip link add "lab-$name" type veth peer name eth0 netns "lab-$name"
    ip link set "lab-$name" master "$bridge" up
    ip -n "lab-$name" addr add "$address/24" dev eth0
    ip -n "lab-$name" link set eth0 up
    ip -n "lab-$name" link set lo up
    ip -n "lab-$name" route add default via "$gateway"
    rm -rf "$root"
    mkdir -p "$state/hosts"
    cp -a "$cache/rootfs" "$root"
    echo "lab-$name" >"$root/etc/hostname"
    # The hosts reach the package registries the way this machine does: its resolver, its
    # certificate authorities and its pip settings.
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
    if [ -f /etc/pip.conf ]; then
        cp /etc/pip.conf "$root/etc/pip.conf"
    fi
    # Debian builds Alertmanager to read its notification templates from this directory, where
    # upstream's binary embeds them; the mirror's binaries are Debian's, so the templates come along.
    install -d "$root/usr/share/prometheus/alertmanager"
    cp -r /usr/share/prometheus/alertmanager/. "$root/usr/share/prometheus/alertmanager/"
    if [ "$name" = node ] && ! quick_start; then
        install -m 0755 "$cache/receiver/victoria-metrics-$receiver_version" "$root/usr/local/bin/victoria-metrics"
    fi
    install -d -m 0700 "$root/root/.ssh"
    install -m 0600 "$state/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
    # The container's own network is the namespace; nothing to configure inside.
    boot_host "$name"
}

wait_ssh() { # address
    for _ in $(seq 1 60); do
        if lab_ssh "$1" true 2>/dev/null; then
            return 0
        fi
        sleep 1
    done
    echo "lab: $1 did not answer SSH within 60 s" >&2
    return 1
}

up() {
    need_root
    install_tools
    if [ -f "$state/env" ]; then
        log "already up (bash lab/lab.sh down first)"
        return 0
    fi
    if ip link show "$bridge" >/dev/null 2>&1; then
        if lab_processes_alive; then
            echo "lab: the bridge $bridge exists already and a lab from another checkout is running on it; run bash lab/lab.sh down there first" >&2
            exit 1
        fi
        # A lab whose processes all ended (its session or machine stopped) without lab.sh down:
        # only its network pieces remain, and nothing on them runs.
        log "removing the network of an earlier lab whose hosts and servers are no longer running"
        remove_lab_network
    fi
    mkdir -p "$state/mail"
    # Stacks deployed onto an earlier lab describe hosts that no longer exist.
    rm -rf "$state/state"
    [ -f "$state/id_ed25519" ] || ssh-keygen -q -t ed25519 -N "" -C monitoring-lab -f "$state/id_ed25519"
    # The host image (debootstrap: mostly downloads) builds while the releases compile.
    build_rootfs &
    local rootfs=$!
    build_mirror
    wait "$rootfs" || {
        echo "lab: building the host image failed; debootstrap's log: $cache/debootstrap.log" >&2
        exit 1
    }
    # The AWS API emulator and the remote-write receiver serve the tests' phases only.
    quick_start || build_moto
    quick_start || build_receiver
    mkdir -p /run/systemd/nspawn
    mountpoint -q /run/systemd/nspawn || mount -t tmpfs tmpfs /run/systemd/nspawn
    ip link add "$bridge" type bridge
    ip addr add "$gateway/24" dev "$bridge"
    ip link set "$bridge" up
    sysctl -q -w net.ipv4.ip_forward=1
    iptables -t nat -A POSTROUTING -s "$subnet.0/24" ! -o "$bridge" -j MASQUERADE
    setsid python3 -m http.server "$mirror_port" --bind "$gateway" --directory "$state/mirror" >"$state/mirror.log" 2>&1 </dev/null &
    echo $! >"$state/mirror.pid"
    setsid /usr/bin/python3 "$here/smtp-sink.py" "$gateway" "$smtp_port" "$state/mail" >"$state/smtp.log" 2>&1 </dev/null &
    echo $! >"$state/smtp.pid"
    # In UTC: moto writes the times of a CloudWatch Logs export in its local time with a Z.
    if ! quick_start; then
        TZ=UTC setsid "$cache/moto-$moto_version/bin/moto_server" -H "$gateway" -p "$cloudwatch_port" >"$state/moto.log" 2>&1 </dev/null &
        echo $! >"$state/moto.pid"
    fi
    # The deployment authenticates through an SSH agent holding the lab's key (setting
    # sshAgentSocket), so the key never enters the stack's state.
    rm -f "$state/ssh-agent.sock"
    ssh-agent -a "$state/ssh-agent.sock" -s | sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p' >"$state/ssh-agent.pid"
    SSH_AUTH_SOCK="$state/ssh-agent.sock" ssh-add -q "$state/id_ed25519"
    local started
    started=$(date +%s)
    for host in "${hosts[@]}"; do
        start_host "${host%%:*}" "${host##*:}"
    done
    for host in "${hosts[@]}"; do
        wait_ssh "$subnet.${host##*:}"
    done
    cat >"$state/env" <<ENV
LAB_MONITORING=$subnet.11
LAB_APP=$subnet.12
LAB_NODE=$subnet.13
LAB_RECEIVER_VERSION=$receiver_version
LAB_GATEWAY=$gateway
LAB_MIRROR=http://$gateway:$mirror_port
LAB_SMTP=$gateway:$smtp_port
LAB_CLOUDWATCH=http://$gateway:$cloudwatch_port
LAB_MOTO_PYTHON=$cache/moto-$moto_version/bin/python3
LAB_MAIL_DIR=$state/mail
LAB_SSH_KEY=$state/id_ed25519
LAB_SSH_AGENT=$state/ssh-agent.sock
ENV
    cat "$state/versions" >>"$state/env"
    log "hosts up in $(($(date +%s) - started)) s: monitoring $subnet.11, app $subnet.12, node $subnet.13; mirror http://$gateway:$mirror_port; SMTP sink $gateway:$smtp_port"
}

# True when any lab host or any lab server is still running: a process inside a host's network
# namespace, or one listening on the gateway's address (which exists only on the lab's bridge).
lab_processes_alive() {
    local host
    for host in "${hosts[@]}"; do
        if [ -n "$(ip netns pids "lab-${host%%:*}" 2>/dev/null)" ]; then
            return 0
        fi
    done
    ss -Hltn "src $gateway" | grep -q .
}

# The lab's interfaces, namespaces, bridge and NAT rule (none of them holds data).
remove_lab_network() {
    local host
    for host in "${hosts[@]}"; do
        ip link del "lab-${host%%:*}" 2>/dev/null || true
        ip netns del "lab-${host%%:*}" 2>/dev/null || true
    done
    iptables -t nat -D POSTROUTING -s "$subnet.0/24" ! -o "$bridge" -j MASQUERADE 2>/dev/null || true
    ip link del "$bridge" 2>/dev/null || true
}

stop_pid() { # pidfile
    if [ -f "$1" ]; then
        kill "$(cat "$1")" 2>/dev/null || true
        rm -f "$1"
    fi
}

down() {
    need_root
    for host in "${hosts[@]}"; do
        local name=${host%%:*}
        poweroff_host "$name" "${host##*:}"
        rm -rf "$state/hosts/$name"
    done
    stop_pid "$state/mirror.pid"
    stop_pid "$state/smtp.pid"
    stop_pid "$state/moto.pid"
    stop_pid "$state/ssh-agent.pid"
    rm -f "$state/ssh-agent.sock"
    remove_lab_network
    rm -f "$state/env"
    # The lab's stacks (file backend) describe the hosts just removed.
    rm -rf "$state/state"
    log "down"
}

restart() { # name: power a host off and boot it again, keeping its disk
    need_root
    local name=${1:?usage: lab.sh restart <name>} octet
    octet=$(host_octet "$name")
    poweroff_host "$name" "$octet"
    boot_host "$name"
    wait_ssh "$subnet.$octet"
    log "$name restarted"
}

case "${1:-}" in
    up) up ;;
    down) down ;;
    restart) restart "${2:-}" ;;
    images) images "${2:-}" ;;
    *)
        echo "usage: bash lab/lab.sh up|down|restart <host>|images <host>" >&2
        exit 2
        ;;
esac
