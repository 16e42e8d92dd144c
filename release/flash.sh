#!/usr/bin/env bash
# Puts the latest release bundle for a board on it over SSH: scp the tarball, unpack it in /tmp, run its install.sh as root.
#   release/flash.sh HOST BOARD ARCH [install.sh options...]      e.g. release/flash.sh pi@10.0.0.20 rpi-terminal arm64
# DRY_RUN=1 prints the two commands instead of running them. SSH_OPTS adds ssh/scp options (e.g. "-i key -p 2222").
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/release/out}
die() { echo "release/flash.sh: $*" >&2; exit 1; }
[ $# -ge 3 ] || die "usage: release/flash.sh HOST BOARD ARCH [install options...]"
HOST=$1 BOARD=$2 ARCH=$3
shift 3
BOARD_NAME=$BOARD
[ -f "$BOARD" ] && BOARD_NAME=$(node -p "require('$(cd "$(dirname "$BOARD")" && pwd)/$(basename "$BOARD")').board.name")
LATEST=$OUT/$BOARD_NAME-$ARCH.latest
[ -f "$LATEST" ] || die "no bundle built for $BOARD_NAME/$ARCH (run make release BOARD=$BOARD ARCH=$ARCH)"
TAR=$(cat "$LATEST")
[ -f "$TAR" ] || die "$TAR is missing (run make release BOARD=$BOARD ARCH=$ARCH)"
NAME=$(basename "$TAR" .tar.gz)
args=""
for a in "$@"; do args="$args $(printf '%q' "$a")"; done
# The bundle checks itself (SHA256SUMS) before installing; its exit code comes back (3 refused, 4 rolled back).
remote="cd /tmp && tar -xzf $NAME.tar.gz && { sudo ./$NAME/install.sh$args; rc=\$?; }; rm -rf ./$NAME ./$NAME.tar.gz; exit \${rc:-1}"
read -r -a ssh_opts <<< "${SSH_OPTS:-}"
if [ -n "${DRY_RUN:-}" ]; then
  echo "scp ${ssh_opts[*]} $TAR $HOST:/tmp/$NAME.tar.gz"
  echo "ssh ${ssh_opts[*]} $HOST '$remote'"
  exit 0
fi
scp "${ssh_opts[@]}" "$TAR" "$HOST:/tmp/$NAME.tar.gz"
ssh "${ssh_opts[@]}" "$HOST" "$remote"
