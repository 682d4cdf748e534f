#!/bin/bash
# Installs the example Flask app as the systemd service flask-app: its own user, a virtualenv with
# pinned requirements, an environment file, and AWS credentials (cloudwatch and both modes) from
# standard input into a file only the app can read. Restarts the app only when something changed;
# a change is marked pending before it is made, so a run cut before the restart restarts next time.
# Environment:
#   METRICS_MODE  prometheus, cloudwatch or both
#   AWS_REGION    region of CloudWatch (cloudwatch and both modes)
#   PORT          port the app listens on
set -euo pipefail
: "${METRICS_MODE:?}" "${AWS_REGION:?}" "${PORT:?}"
stage=/var/lib/monitoring-stack/stage
app=/opt/flask-app
pending=/var/lib/monitoring-stack/state/flask-app.restart-pending
install -d -m 0755 /var/lib/monitoring-stack/state
changed=no
if [ -e "$pending" ]; then
    changed=yes
fi
export DEBIAN_FRONTEND=noninteractive

if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    apt-get update -q
    apt-get install -y -q python3-venv
fi
if ! id flask-app >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/flask-app --create-home --shell /usr/sbin/nologin flask-app
fi
install -d -m 0755 "$app"
install -d -m 0750 -o flask-app -g flask-app /var/lib/flask-app /var/log/flask-app

requirements="$stage/flask-app.requirements.txt"
if ! cmp -s "$requirements" "$app/requirements.txt" || [ ! -x "$app/venv/bin/gunicorn" ]; then
    touch "$pending"
    rm -rf "$app/venv"
    python3 -m venv "$app/venv"
    "$app/venv/bin/pip" install --quiet --disable-pip-version-check --no-cache-dir -r "$requirements"
    install -m 0644 "$requirements" "$app/requirements.txt"
    changed=yes
fi
if ! cmp -s "$stage/flask-app.app.py" "$app/app.py"; then
    touch "$pending"
    install -m 0644 "$stage/flask-app.app.py" "$app/app.py"
    changed=yes
fi

install -d -m 0750 -o root -g flask-app /etc/flask-app
umask 077
cat >/etc/flask-app/env.new <<ENV
METRICS_MODE=$METRICS_MODE
AWS_DEFAULT_REGION=$AWS_REGION
AWS_SHARED_CREDENTIALS_FILE=/etc/flask-app/aws-credentials
LOG_FILE=/var/log/flask-app/flask-app.log
PORT=$PORT
ENV
# Standard input holds the AWS credentials file, or nothing in prometheus mode.
cat >/etc/flask-app/aws-credentials.new
for file in env aws-credentials; do
    chown root:flask-app "/etc/flask-app/$file.new"
    chmod 0640 "/etc/flask-app/$file.new"
    if ! cmp -s "/etc/flask-app/$file.new" "/etc/flask-app/$file"; then
        touch "$pending"
        mv -f "/etc/flask-app/$file.new" "/etc/flask-app/$file"
        changed=yes
    else
        rm -f "/etc/flask-app/$file.new"
    fi
done

if ! cmp -s "$stage/flask-app.service" /etc/systemd/system/flask-app.service; then
    touch "$pending"
    install -m 0644 "$stage/flask-app.service" /etc/systemd/system/flask-app.service
    systemctl daemon-reload
    changed=yes
fi
systemctl enable flask-app >/dev/null 2>&1
if ! systemctl is-active --quiet flask-app; then
    systemctl start flask-app
elif [ "$changed" = yes ]; then
    systemctl restart flask-app
fi
rm -f "$pending"
for _ in $(seq 1 30); do
    if curl -fsS "http://127.0.0.1:$PORT/" >/dev/null 2>&1; then
        echo "flask-app answers on port $PORT (metrics mode $METRICS_MODE)"
        exit 0
    fi
    sleep 1
done
echo "flask-app does not answer on port $PORT; see journalctl -u flask-app" >&2
exit 1
