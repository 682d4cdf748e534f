#!/bin/bash
# Installs Grafana from its apt repository, trusted through a signed-by keyring (apt-key is
# deprecated), pinned to one version, and sets the admin password before Grafana first starts,
# so that it never runs with admin/admin. The password arrives on standard input.
# Environment:
#   VERSION   package version, e.g. 11.3.1
#   APT_URL   repository URL (suite stable, component main)
#   KEY_URL   armored signing key of the repository
#   PORT      HTTP(S) port
#   PROTOCOL  https (with the host's certificate, staged as grafana.server.crt, grafana.server.key
#             and grafana.ca.crt) or http
#   PLUGINS   plugins to install, space-separated, each id@version (from Grafana's catalog, whose
#             checksum grafana cli checks) or id@version@zip-url (a mirror's); a plugin this script
#             installed before and no longer listed is removed. May be empty.
# The packaged grafana-server unit is confined by the drop-in staged as grafana.hardening.conf.
set -euo pipefail
: "${VERSION:?}" "${APT_URL:?}" "${KEY_URL:?}" "${PORT:?}" "${PROTOCOL:?}"
PLUGINS=${PLUGINS:-}
stage=/var/lib/monitoring-stack/stage
tls=/etc/grafana-secrets/tls
password=$(cat)
if [ "${#password}" -lt 12 ]; then
    echo "the Grafana admin password on standard input is missing or shorter than 12 characters" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive

keyring=/etc/apt/keyrings/grafana.gpg
install -d -m 0755 /etc/apt/keyrings
if ! command -v gpg >/dev/null 2>&1; then
    apt-get update -q
    apt-get install -y -q gnupg
fi
curl -fsSL --retry 5 "$KEY_URL" | gpg --dearmor --yes -o "$keyring.new"
chmod 0644 "$keyring.new"
mv -f "$keyring.new" "$keyring"
echo "deb [signed-by=$keyring] $APT_URL stable main" >/etc/apt/sources.list.d/grafana.list

if [ "$(dpkg-query -W -f='${Version}' grafana 2>/dev/null || true)" != "$VERSION" ]; then
    apt-get update -q
    apt-get install -y -q --allow-downgrades "grafana=$VERSION"
    apt-mark hold grafana >/dev/null
fi

# Grafana reads GF_* variables from this file; the password itself stays in a root-only file.
install -d -m 0750 -o root -g grafana /etc/grafana
umask 077
printf '%s' "$password" >/etc/grafana/admin-password.new
chown root:grafana /etc/grafana/admin-password.new
chmod 0640 /etc/grafana/admin-password.new
mv -f /etc/grafana/admin-password.new /etc/grafana/admin-password
curl_opts=(-fsS)
if [ "$PROTOCOL" = https ]; then
    install -d -m 0750 -o root -g grafana "$tls"
    for file in server.crt server.key ca.crt; do
        install -m 0640 -o root -g grafana "$stage/grafana.$file" "$tls/$file"
    done
    curl_opts+=(--cacert "$tls/ca.crt")
fi
defaults=/etc/default/grafana-server
touch "$defaults"
sed -i '/^GF_SECURITY_ADMIN_PASSWORD__FILE=/d; /^GF_SERVER_HTTP_PORT=/d; /^GF_USERS_ALLOW_SIGN_UP=/d; /^GF_ANALYTICS_REPORTING_ENABLED=/d; /^GF_SERVER_PROTOCOL=/d; /^GF_SERVER_CERT_FILE=/d; /^GF_SERVER_CERT_KEY=/d' "$defaults"
cat >>"$defaults" <<ENV
GF_SECURITY_ADMIN_PASSWORD__FILE=/etc/grafana/admin-password
GF_SERVER_HTTP_PORT=$PORT
GF_SERVER_PROTOCOL=$PROTOCOL
GF_SERVER_CERT_FILE=$tls/server.crt
GF_SERVER_CERT_KEY=$tls/server.key
GF_USERS_ALLOW_SIGN_UP=false
GF_ANALYTICS_REPORTING_ENABLED=false
ENV

# Plugins at their pinned versions; grafana-server loads them at the restart below.
plugins_dir=/var/lib/grafana/plugins
managed=/var/lib/monitoring-stack/state/grafana-plugins
install -d -m 0755 "$(dirname "$managed")"
touch "$managed"
# The version in an installed plugin's plugin.json (info.version, its first "version" key), pretty-printed or not.
plugin_version() {
    grep -o '"version": *"[^"]*"' "$plugins_dir/$1/plugin.json" 2>/dev/null | head -n 1 | sed 's/.*"\([^"]*\)"$/\1/' || true
}
grafana_cli=(grafana cli --homepath /usr/share/grafana --config /etc/grafana/grafana.ini --pluginsDir "$plugins_dir")
wanted=()
for entry in $PLUGINS; do
    id=${entry%%@*}
    rest=${entry#*@}
    version=${rest%%@*}
    url=
    [ "$rest" = "$version" ] || url=${rest#*@}
    wanted+=("$id")
    installed=$(plugin_version "$id")
    if [ "$installed" != "$version" ]; then
        if [ -n "$url" ]; then
            "${grafana_cli[@]}" --pluginUrl "$url" plugins install "$id"
        else
            "${grafana_cli[@]}" plugins install "$id" "$version"
        fi
        installed=$(plugin_version "$id")
        if [ "$installed" != "$version" ]; then
            echo "plugin $id: installed version ${installed:-none}, not $version; check the plugin's URL or version" >&2
            exit 1
        fi
    fi
    grep -qx "$id" "$managed" || echo "$id" >>"$managed"
done
kept=()
while read -r id; do
    [ -n "$id" ] || continue
    if [[ " ${wanted[*]} " == *" $id "* ]]; then
        kept+=("$id")
    else
        "${grafana_cli[@]}" plugins remove "$id" >/dev/null 2>&1 || rm -rf "${plugins_dir:?}/$id"
    fi
done <"$managed"
printf '%s\n' "${kept[@]}" | sed '/^$/d' >"$managed"

dropins=/etc/systemd/system/grafana-server.service.d
install -d -m 0755 "$dropins"
install -m 0644 "$stage/grafana.hardening.conf" "$dropins/monitoring-hardening.conf"

systemctl daemon-reload
systemctl enable grafana-server >/dev/null 2>&1
systemctl restart grafana-server

for _ in $(seq 1 90); do
    if curl "${curl_opts[@]}" "$PROTOCOL://localhost:$PORT/api/health" >/dev/null 2>&1; then
        break
    fi
    sleep 2
done
# The file only seeds the password of a new database; an existing admin gets it reset here.
if ! curl "${curl_opts[@]}" -o /dev/null -u "admin:$password" "$PROTOCOL://localhost:$PORT/api/user"; then
    printf '%s\n' "$password" | grafana cli --homepath /usr/share/grafana --config /etc/grafana/grafana.ini admin reset-admin-password --password-from-stdin >/dev/null
    curl "${curl_opts[@]}" -o /dev/null -u "admin:$password" "$PROTOCOL://localhost:$PORT/api/user"
fi
echo "grafana $VERSION ready on port $PORT"
