#!/bin/sh
# posfw bundle installer: checks the bundle against SHA256SUMS, then runs `posfw install` from it (as root; DESTDIR honoured).
#   sudo ./install.sh                      install or update, restart, roll back if the new version is not ready in time
#   DESTDIR=/tmp/root ./install.sh         install into a throw-away root (no systemctl, no udevadm)
#   ./install.sh --help                    every option (--require-settled, --ready-timeout, --force, --dry-run ...)
set -eu
bundle=$(cd "$(dirname "$0")" && pwd)
cd "$bundle"
if ! sha256sum --quiet --strict -c SHA256SUMS; then
  echo "install.sh: the bundle in $bundle does not match its SHA256SUMS (damaged or altered copy); not installing" >&2
  exit 2
fi
root=${DESTDIR:-/}
exec "$bundle/bin/posfw" install --bundle "$bundle" --root "$root" "$@"
