#!/bin/bash
# Formats a data volume on first use and mounts it for good (fstab, nofail), so that data such as
# the Prometheus time series outlive the instance. Never formats a volume that has a file system.
# Environment: DEVICE (block device path), MOUNTPOINT.
set -euo pipefail
: "${DEVICE:?DEVICE is required}" "${MOUNTPOINT:?MOUNTPOINT is required}"

for _ in $(seq 1 60); do
    [ -b "$DEVICE" ] && break
    sleep 2
done
if [ ! -b "$DEVICE" ]; then
    echo "volume device $DEVICE did not appear; is the volume attached to this instance?" >&2
    exit 1
fi

if ! blkid -p "$DEVICE" >/dev/null 2>&1; then
    echo "formatting empty volume $DEVICE as ext4"
    mkfs.ext4 -q -L promdata "$DEVICE"
fi

uuid=$(blkid -s UUID -o value "$DEVICE")
install -d "$MOUNTPOINT"
if ! grep -q "UUID=$uuid" /etc/fstab; then
    echo "UUID=$uuid $MOUNTPOINT ext4 defaults,nofail,noatime 0 2" >>/etc/fstab
    systemctl daemon-reload
fi
if ! mountpoint -q "$MOUNTPOINT"; then
    mount "$MOUNTPOINT"
fi
echo "volume $DEVICE mounted on $MOUNTPOINT"
