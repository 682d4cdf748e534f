#!/bin/bash
# Builds the Prometheus, Alertmanager, node_exporter, YACE, Thanos, VictoriaLogs, OpenTelemetry Collector and vmalert releases the program pins by default
# (prometheusVersion, alertmanagerVersion, nodeExporterVersion in Pulumi.yaml) from their Go
# modules, and packs each in the upstream release layout with a sha256sums.txt:
#   DIR/prometheus/v2.55.1/prometheus-2.55.1.linux-amd64.tar.gz + sha256sums.txt
# The lab's hosts cannot reach the project's release downloads, so the lab's mirror serves these
# instead, exactly as an internal mirror would for an air-gapped user.
#   bash lab/build-releases.sh DIR    (cached: a release already in DIR is not built again)
# Prints the versions as PROMETHEUS_VERSION=..., ALERTMANAGER_VERSION=..., NODE_EXPORTER_VERSION=...,
# and the image repositories of the docker runtime as PROMETHEUS_IMAGE=... and so on.
# Needs Go 1.24 or newer (tool lines in go.mod). About 12 minutes on 2 cores the first time
# (738 s with cold Go caches); the quick start's three, about 9 minutes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
project=$(dirname "$here")
out=${1:?usage: build-releases.sh DIR}
log() { printf 'releases: %s\n' "$*" >&2; }

# The default of a setting, as Pulumi.yaml declares it: "  name:" then "    default: value".
default_of() {
    awk -v key="  $1:" '$0 == key { found = 1; next } found && /^    default:/ { gsub(/^"|"$/, "", $2); print $2; exit }' "$project/Pulumi.yaml"
}

# Go is needed only for a release that is not built yet: with every release cached, none is.
need_go() {
    command -v go >/dev/null || {
        log "Go is needed to build $1: apt-get install golang-go (1.24 or newer), or a Go toolchain from go.dev (under sudo, on sudo's PATH)"
        exit 1
    }
}
export CGO_ENABLED=0 GOFLAGS=-trimpath

# Upstream stamps its binaries through prometheus/common's version package; so do we, so that
# <name>_build_info reports the version as a release does.
stamp() { # version
    local p=github.com/prometheus/common/version
    echo "-s -w -X $p.Version=$1 -X $p.Revision=module-v$1 -X $p.Branch=release -X $p.BuildUser=monitoring-lab -X $p.BuildDate=19700101-00:00:00"
}

# pack NAME VERSION SRC_DIR [DIR]: tarball in the release layout and its sha256sums.txt, under
# DIR (default NAME) in the output.
pack() {
    local name=$1 version=$2 src=$3 dir=${4:-$1}
    local top="$name-$version.linux-amd64" dest="$out/$dir/v$version"
    mkdir -p "$dest"
    rm -rf "${src:?}/../$top"
    mv "$src" "$(dirname "$src")/$top"
    # Fixed owner, order and times: the same sources give the same tarball and checksum.
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$(dirname "$src")" -cf - "$top" | gzip -n >"$dest/$top.tar.gz.tmp"
    mv "$dest/$top.tar.gz.tmp" "$dest/$top.tar.gz"
    (cd "$dest" && sha256sum "$top.tar.gz" >sha256sums.txt)
    log "$name $version: $(cut -d' ' -f1 "$dest/sha256sums.txt")"
}

built() { [ -s "$out/$1/v$2/sha256sums.txt" ]; }

# YACE (yet-another-cloudwatch-exporter, the CloudWatch bridge) and Thanos are built inside their
# own modules, whose go.sum pins every dependency (Thanos's go.mod also has replace lines); the
# modules themselves are not in the checksum database, so each is fetched without that lookup, as
# a pinned version from the module proxy.
#   build_in_module NAME VERSION MODULE PACKAGE TAGS [RELEASE_NAME]: the binary NAME from PACKAGE,
#   built with the comma-separated build TAGS (may be empty), packed as RELEASE_NAME's tarball
#   (default NAME) under DIR/NAME
build_in_module() {
    local name=$1 version=$2 mod=$3 package=$4 tags=$5 release=${6:-$1}
    built "$name" "$version" && return 0
    need_go "$name $version"
    log "building $name $version"
    local src="$work/$name-src" dir="$work/$name"
    local upstream
    upstream=$(cd "$work" && GONOSUMDB=$mod GOFLAGS=-mod=mod go mod download -json "$mod@v$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
    cp -r "$upstream" "$src"
    chmod -R u+w "$src"
    mkdir -p "$dir"
    # With the build tags upstream's release uses (Thanos: netgo and slicelabels, the label layout its
    # gRPC codec relies on; built without it, the sidecar crashes on its first gRPC answer).
    (cd "$src" && go build -tags "$tags" -ldflags "$(stamp "$version")" -o "$dir/$name" "$package")
    pack "$release" "$version" "$dir" "$name"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build_go_install() { # name version module binaries...: modules that go install builds as they are
    local name=$1 version=$2 module=$3
    shift 3
    built "$name" "$version" && return 0
    need_go "$name $version"
    log "building $name $version"
    local dir="$work/$name"
    mkdir -p "$dir"
    local packages=()
    for binary in "$@"; do
        if [ "$binary" = "$name" ] && [ "$name" = node_exporter ]; then
            packages+=("$module@v$version")
        else
            packages+=("$module/cmd/$binary@v$version")
        fi
    done
    GOBIN="$dir" go install -ldflags "$(stamp "$version")" "${packages[@]}"
    pack "$name" "$version" "$dir"
}

# Prometheus's web UI, as upstream's `make assets` builds it into a release: the React app of the
# module's web/ui built with npm (the registry is reachable; Node.js 18 or newer), its files gzipped
# and listed for go:embed (scripts/compress_assets.sh), then embedded by the builtinassets tag.
# Module zips leave out vendor/ directories, where upstream keeps the flot plotting plugins: the
# five of flot itself come from npm's flot 0.8.3 (the release upstream vendored); Prometheus's own
# heatmap plugin is on no registry, so a stand-in lets the app build, and a heatmap draws as lines.
build_prometheus_web_ui() { # module source directory (writable)
    local src=$1
    local ui="$src/web/ui" vendor="$src/web/ui/react-app/src/vendor/flot" flot="$work/flot"
    command -v npm >/dev/null || {
        log "npm is needed to build Prometheus's web UI: apt-get install nodejs npm (Node.js 18 or newer)"
        exit 1
    }
    log "building prometheus's web UI (npm ci and the React app's build, about 2 minutes)"
    mkdir -p "$flot" "$vendor"
    (cd "$flot" && npm pack --silent flot@0.8.3 >/dev/null && tar -xzf flot-0.8.3.tgz)
    for plugin in jquery.flot jquery.flot.stack jquery.flot.time jquery.flot.crosshair jquery.flot.selection; do
        { echo "/* eslint-disable */"; cat "$flot/package/$plugin.js"; } >"$vendor/$plugin.js"
    done
    cat >"$vendor/jquery.flot.heatmap.js" <<'PLUGIN'
/* eslint-disable */
// A stand-in for Prometheus's own heatmap plugin, which no registry serves: the lab's build draws a heatmap as lines.
(function ($) {
  $.plot.plugins.push({ init: function () {}, options: { series: { heatmap: false } }, name: 'heatmap', version: 'lab' });
})(jQuery);
PLUGIN
    # CI=true would turn the app's lint warnings into errors, as upstream's build does not.
    if ! (cd "$ui" && npm ci --no-audit --no-fund --loglevel=error && env -u CI bash build_ui.sh --all) >"$work/prometheus-web-ui.log" 2>&1; then
        tail -40 "$work/prometheus-web-ui.log" >&2
        log "building Prometheus's web UI failed (the full log was $work/prometheus-web-ui.log)"
        exit 1
    fi
    (cd "$src" && bash scripts/compress_assets.sh)
}

# Prometheus 2.x is the Go module github.com/prometheus/prometheus v0.<minor>.<patch>; 3.x is
# v0.<300+minor>.<patch>. Its go.mod has replace and exclude lines, which go install refuses, so it
# is built from a wrapper module that repeats them and names the two commands as tools.
# It is built in two halves, so that its web UI (npm, on about one core) builds in the background
# while Go compiles the next releases and Prometheus's dependencies:
#   start_prometheus VERSION    the sources, the wrapper module, the web UI's build started
#   finish_prometheus           the dependencies compiled, the web UI waited for, the binaries, the tarball
prometheus_pending=""
prometheus_go_module=github.com/prometheus/prometheus
prometheus_wrapper="$work/prometheus-wrapper"
prometheus_src="$work/prometheus-src"
start_prometheus() {
    local version=$1
    # A release built before the web UI was (no marker) is built again.
    built prometheus "$version" && [ -e "$out/prometheus/v$version/.with-web-ui" ] && return 0
    need_go "prometheus $version"
    log "building prometheus $version"
    local major minor patch
    IFS=. read -r major minor patch <<<"$version"
    case "$major" in
        2) prometheus_module_version="v0.$minor.$patch" ;;
        3) prometheus_module_version="v0.$((300 + minor)).$patch" ;;
        *)
            log "no Go module version known for Prometheus $version"
            exit 1
            ;;
    esac
    local mod=$prometheus_go_module wrapper=$prometheus_wrapper
    mkdir -p "$wrapper"
    local download upstream_mod
    download=$(cd "$wrapper" && go mod download -json "$mod@$prometheus_module_version")
    upstream_mod=$(sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p' <<<"$download")
    prometheus_upstream_dir=$(sed -n 's/^\t"Dir": "\(.*\)",$/\1/p' <<<"$download")
    {
        echo "module monitoring-lab/prometheus-release"
        echo
        sed -n 's/^go \(.*\)/go \1/p' "$upstream_mod"
        echo
        echo "require $mod $prometheus_module_version"
        echo
        echo "tool ("
        echo "	$mod/cmd/prometheus"
        echo "	$mod/cmd/promtool"
        echo ")"
        echo
        # The replace and exclude lines, single or in blocks, exactly as upstream has them.
        awk '/^(replace|exclude) \(/ { block = 1 } block { print; if ($0 == ")") block = 0; next } /^(replace|exclude) / { print }' "$upstream_mod"
    } >"$wrapper/go.mod"
    cp -r "$prometheus_upstream_dir" "$prometheus_src"
    chmod -R u+w "$prometheus_src"
    build_prometheus_web_ui "$prometheus_src" &
    prometheus_web_ui=$!
    # Only what the two commands need on this platform, at the versions upstream requires.
    (cd "$wrapper" && go get "$mod/cmd/prometheus@$prometheus_module_version" "$mod/cmd/promtool@$prometheus_module_version")
    prometheus_pending=$version
}

finish_prometheus() {
    [ -n "$prometheus_pending" ] || return 0
    local version=$prometheus_pending mod=$prometheus_go_module wrapper=$prometheus_wrapper
    local dir="$work/prometheus" src=$prometheus_src
    mkdir -p "$dir"
    (
        cd "$wrapper"
        # The packages of other modules that the two commands import, compiled (into Go's build
        # cache) while the web UI may still be building: they do not depend on it.
        # shellcheck disable=SC2016 # a Go template, not a shell expansion
        mapfile -t dependencies < <(go list -tags builtinassets -deps \
            -f '{{if and (not .Standard) .Module}}{{if ne .Module.Path "'"$mod"'"}}{{.ImportPath}}{{end}}{{end}}' \
            "$mod/cmd/prometheus" "$mod/cmd/promtool" | sed '/^$/d')
        go build -tags builtinassets "${dependencies[@]}"
    )
    wait "$prometheus_web_ui" || exit 1
    (
        cd "$wrapper"
        # The same module, with its web UI built and embedded, as upstream's release is.
        echo "replace $mod => $src" >>go.mod
        go build -tags builtinassets -ldflags "$(stamp "$version")" -o "$dir/prometheus" "$mod/cmd/prometheus"
        go build -tags builtinassets -ldflags "$(stamp "$version")" -o "$dir/promtool" "$mod/cmd/promtool"
    )
    # The release tarball of 2.x carries the console templates beside the binaries.
    for share in consoles console_libraries; do
        if [ -d "$prometheus_upstream_dir/$share" ]; then
            cp -r "$prometheus_upstream_dir/$share" "$dir/$share"
            chmod -R u+w "$dir/$share"
        fi
    done
    pack prometheus "$version" "$dir"
    touch "$out/prometheus/v$version/.with-web-ui"
    prometheus_pending=""
}

# pack_flat DIR DEST TARBALL CHECKSUMS FILE: a tarball holding FILE of DIR at its top, as
# VictoriaLogs and otelcol-contrib publish theirs, and its checksums file, under DEST.
pack_flat() {
    local dir=$1 dest=$2 tarball=$3 checksums=$4 file=$5
    mkdir -p "$dest"
    tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$dir" -cf - "$file" | gzip -n >"$dest/$tarball.tmp"
    mv "$dest/$tarball.tmp" "$dest/$tarball"
    (cd "$dest" && sha256sum "$tarball" >"$checksums")
    log "$file $(basename "$dest"): $(cut -d' ' -f1 "$dest/$checksums")"
}

# VictoriaLogs (the log store) and vmalert (the log rules' evaluator) are built from their
# VictoriaMetrics modules with upstream's version stamp and packed as upstream publishes them: the
# binary <name>-prod at the top of the tarball, beside its _checksums.txt:
#   DIR/victoria-logs/vV/victoria-logs-linux-amd64-vV.tar.gz (victoria-logs-prod)
#   DIR/vmutils/vV/vmutils-linux-amd64-vV.tar.gz (vmalert-prod; upstream's also holds vmagent, vmauth
#   and the backup tools)
#   build_victoria_metrics_app RELEASE VERSION MODULE APP: ./app/APP of MODULE at vVERSION, packed as RELEASE
build_victoria_metrics_app() {
    local release=$1 version=$2 mod=$3 app=$4
    local dest="$out/$release/v$version" tarball="$release-linux-amd64-v$version.tar.gz"
    local checksums="$release-linux-amd64-v${version}_checksums.txt"
    [ -s "$dest/$checksums" ] && return 0
    need_go "$app $version"
    log "building $app $version"
    local src="$work/$app-src" dir="$work/$app"
    local upstream
    upstream=$(cd "$work" && GONOSUMDB=$mod GOFLAGS=-mod=mod go mod download -json "$mod@v$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
    cp -r "$upstream" "$src"
    chmod -R u+w "$src"
    mkdir -p "$dir"
    (cd "$src" && go build -ldflags "-s -w -X github.com/VictoriaMetrics/VictoriaMetrics/lib/buildinfo.Version=$app-19700101-000000-tags-v$version-0-g0000000" \
        -o "$dir/$app-prod" "./app/$app")
    pack_flat "$dir" "$dest" "$tarball" "$checksums" "$app-prod"
}

# The OpenTelemetry Collector (the log shipper) is built with the collector builder from exactly
# the components the program configures (components/otelCollector/otelCollectorConfig.ts), all in
# upstream's otelcol-contrib at the same version, and packed as upstream publishes otelcol-contrib:
# DIR/otelcol-contrib/vV/otelcol-contrib_V_linux_amd64.tar.gz holding the binary at its top, beside
# opentelemetry-collector-releases_otelcol-contrib_checksums.txt. About 2 minutes on 2 cores.
build_otel_collector() {
    local version=$1 name=otelcol-contrib
    local dest="$out/$name/v$version" tarball="otelcol-contrib_${version}_linux_amd64.tar.gz"
    local checksums="opentelemetry-collector-releases_otelcol-contrib_checksums.txt"
    [ -s "$dest/$checksums" ] && return 0
    need_go "$name $version"
    log "building $name $version with the collector builder"
    local dir="$work/$name" contrib=github.com/open-telemetry/opentelemetry-collector-contrib core=go.opentelemetry.io/collector
    mkdir -p "$dir"
    GOBIN="$work/bin" go install "$core/cmd/builder@v$version"
    cat >"$work/builder.yaml" <<MANIFEST
dist:
  name: $name
  description: OpenTelemetry Collector, the components the monitoring stack configures
  output_path: $dir/build
  version: $version
receivers:
  - gomod: $contrib/receiver/filelogreceiver v$version
  - gomod: $contrib/receiver/journaldreceiver v$version
processors:
  - gomod: $core/processor/batchprocessor v$version
exporters:
  - gomod: $core/exporter/otlphttpexporter v$version
extensions:
  - gomod: $contrib/extension/storage/filestorage v$version
  - gomod: $contrib/extension/healthcheckextension v$version
MANIFEST
    (cd "$work" && "$work/bin/builder" --config "$work/builder.yaml" --ldflags "-s -w" >"$work/builder.log" 2>&1) || {
        cat "$work/builder.log" >&2
        exit 1
    }
    mv "$dir/build/$name" "$dir/$name"
    pack_flat "$dir" "$dest" "$tarball" "$checksums" "$name"
}

mkdir -p "$out"
start=$SECONDS
# RELEASES="name ..." builds only those (the quick start's); the printed versions name them all.
wanted() { [ -z "${RELEASES:-}" ] || [[ " $RELEASES " == *" $1 "* ]]; }
prometheus=$(default_of prometheusVersion)
alertmanager=$(default_of alertmanagerVersion)
node_exporter=$(default_of nodeExporterVersion)
wanted prometheus && start_prometheus "$prometheus"
wanted alertmanager && build_go_install alertmanager "$alertmanager" github.com/prometheus/alertmanager alertmanager amtool
wanted node_exporter && build_go_install node_exporter "$node_exporter" github.com/prometheus/node_exporter node_exporter
finish_prometheus
yace=$(default_of yaceVersion)
wanted yace && build_in_module yace "$yace" github.com/prometheus-community/yet-another-cloudwatch-exporter ./cmd/yace "" yet-another-cloudwatch-exporter
thanos=$(default_of thanosVersion)
wanted thanos && build_in_module thanos "$thanos" github.com/thanos-io/thanos ./cmd/thanos netgo,slicelabels
victoria_logs=$(default_of victoriaLogsVersion)
wanted victoria-logs && build_victoria_metrics_app victoria-logs "$victoria_logs" github.com/VictoriaMetrics/VictoriaLogs victoria-logs
otel_collector=$(default_of otelCollectorVersion)
wanted otelcol-contrib && build_otel_collector "$otel_collector"
vmutils=$(default_of vmalertVersion)
wanted vmutils && build_victoria_metrics_app vmutils "$vmutils" github.com/VictoriaMetrics/VictoriaMetrics vmalert
log "ready in $((SECONDS - start)) s under $out"
printf '%s\n' "PROMETHEUS_VERSION=$prometheus" "ALERTMANAGER_VERSION=$alertmanager" "NODE_EXPORTER_VERSION=$node_exporter" "YACE_VERSION=$yace" "THANOS_VERSION=$thanos" "VICTORIA_LOGS_VERSION=$victoria_logs" "OTELCOL_CONTRIB_VERSION=$otel_collector" "VMUTILS_VERSION=$vmutils" \
    "PROMETHEUS_IMAGE=$(default_of prometheusImage)" "ALERTMANAGER_IMAGE=$(default_of alertmanagerImage)" "NODE_EXPORTER_IMAGE=$(default_of nodeExporterImage)" \
    "VICTORIA_LOGS_IMAGE=$(default_of victoriaLogsImage)" "VMALERT_IMAGE=$(default_of vmalertImage)"
