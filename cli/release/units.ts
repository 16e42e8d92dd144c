// systemd units and the rollback script for an installed terminal, rendered from the board's device access.
import { basename } from 'node:path';
import { BOARD_PATHS, ROLLBACK_SERVICE, SERVICE, SERVICE_USER } from './layout';
import type { DeviceAccess } from './device-access';
import { runtimeSchema, type RuntimeConfig } from '../../firmware/board/schema';
import { runtimeEnv } from '../../firmware/system/runtime-env';

export interface UnitOptions {
  access: DeviceAccess;
  /** WatchdogSec: the firmware pings at half of it (default 30). */
  watchdogSec?: number;
  /** TimeoutStartSec: boot includes journal recovery, which may talk to the host (default 120). */
  startTimeoutSec?: number;
  /** The board's runtime section: heap limits and malloc tunables (defaults when absent). */
  runtime?: RuntimeConfig;
}

/** posfw.service: Type=notify with watchdog, restart on failure, hardened, writable only in the data folder. */
export function serviceUnit(opts: UnitOptions): string {
  const { prefix, data, etc } = BOARD_PATHS;
  const gpio = opts.access.sysfsWritable.length > 0;
  const env = Object.entries(runtimeEnv(opts.runtime ?? runtimeSchema.parse({})))
    .map(([k, v]) => `Environment="${k}=${v}"`)
    .join('\n');
  return `# posfw payment terminal (written by posfw install; changes are overwritten at the next install)
[Unit]
Description=posfw payment terminal
After=network-online.target systemd-udevd.service
Wants=network-online.target
# Five failed starts in five minutes (a crash loop after an update): give up, and roll back if an update is pending.
StartLimitIntervalSec=300
StartLimitBurst=5
OnFailure=${ROLLBACK_SERVICE}

[Service]
Type=notify
# READY/WATCHDOG come from a short-lived systemd-notify child of the firmware (see firmware/system/sd-notify.ts).
NotifyAccess=all
User=${SERVICE_USER}
Group=${SERVICE_USER}
EnvironmentFile=-${etc}/posfw.env
Environment=NODE_ENV=production
# Memory: from the board config's runtime section (a setting in posfw.env overrides it: EnvironmentFile= wins over Environment=).
${env}
# Compiled code kept between boots (Node 22.1+; flushed once boot is done): boot skips parsing the firmware's modules.
CacheDirectory=${basename(BOARD_PATHS.cache)}
Environment=NODE_COMPILE_CACHE=${BOARD_PATHS.cache}/compile
ExecStart=${prefix}/current/bin/posfw run --board ${prefix}/current/board.json --data ${data} $POSFW_ARGS
WorkingDirectory=${data}
WatchdogSec=${opts.watchdogSec ?? 30}
TimeoutStartSec=${opts.startTimeoutSec ?? 120}
# SIGTERM: STOPPING=1, the transaction in progress may finish (POSFW_STOP_DRAIN_MS, default 20 s), then a clean stop.
TimeoutStopSec=30
Restart=on-failure
RestartSec=2
StandardOutput=journal
StandardError=journal
SyslogIdentifier=posfw

# Hardening: a read-only system, writable data folder only${gpio ? ' (and sysfs GPIO for the keypad)' : ''}, no privileges.
NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths=${data}${gpio ? ' ' + opts.access.sysfsWritable.join(' ') : ''}
ProtectHome=yes
PrivateTmp=yes
${gpio ? '# ProtectKernelTunables=yes would make /sys read-only, and onoff drives the keypad through sysfs GPIO.' : 'ProtectKernelTunables=yes'}
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictSUIDSGID=yes
RestrictRealtime=yes
RestrictNamespaces=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
LockPersonality=yes
SystemCallArchitectures=native
CapabilityBoundingSet=
AmbientCapabilities=
UMask=0027
# V8's JIT needs writable+executable memory: MemoryDenyWriteExecute must stay off.
DevicePolicy=closed
${opts.access.deviceAllow.map((d) => `DeviceAllow=${d}`).join('\n') || '# no device nodes needed'}

[Install]
WantedBy=multi-user.target
`;
}

/** posfw-rollback.service: started by OnFailure= when posfw.service gives up; runs rollback.sh. */
export function rollbackUnit(): string {
  return `# posfw: switch back to the previous version when an update never became ready (written by posfw install)
[Unit]
Description=posfw update rollback
After=${SERVICE}

[Service]
Type=oneshot
ExecStart=/bin/sh ${BOARD_PATHS.prefix}/rollback.sh
`;
}

/**
 * rollback.sh: when an update is pending (not confirmed ready), point `current` back at the version it
 * names, atomically, and start the service again. Plain sh, so it works whatever the new version broke.
 * POSFW_ROOT (a DESTDIR-style root) and SYSTEMCTL can be set for tests.
 */
export function rollbackScript(): string {
  return `#!/bin/sh
# posfw rollback: undo an update that never became ready (run by ${ROLLBACK_SERVICE}; written by posfw install).
set -eu
root=\${POSFW_ROOT:-}
systemctl=\${SYSTEMCTL:-systemctl}
prefix="$root${BOARD_PATHS.prefix}"
pending="$prefix/update-pending"
if [ ! -f "$pending" ]; then
  echo "posfw rollback: no update pending; nothing to do"
  exit 0
fi
previous=$(cat "$pending")
case "$previous" in ''|*/*|.*) echo "posfw rollback: bad version in $pending: '$previous'" >&2; exit 1;; esac
if [ ! -d "$prefix/$previous" ]; then
  echo "posfw rollback: $prefix/$previous is missing; cannot roll back" >&2
  exit 1
fi
failed=$(readlink "$prefix/current" || true)
ln -sfn "$previous" "$prefix/.current.rollback"
mv -T "$prefix/.current.rollback" "$prefix/current"
rm -f "$pending"
echo "posfw rollback: $failed did not become ready; current is $previous again"
$systemctl reset-failed ${SERVICE} || true
$systemctl start --no-block ${SERVICE}
`;
}
