# posfw build, test and run targets. `make sim` and `make test` set up everything themselves.
SHELL := /bin/bash
APT_PKGS := socat udev libusb-1.0-0 systemd python3
NODE_STAMP := node_modules/.posfw-installed
BUILD_STAMP := dist/.build-stamp
# The graphic displays' 16-px font keeps only the characters the UI shows: regenerated whenever the texts change.
FONT_STAMP := dist/.fonts-stamp
UI_TEXTS := $(wildcard firmware/ui-lcd/*.ts) firmware/receipts/labels.ts $(wildcard board-configs/*.json)
SRC := $(shell find firmware cli simulator bench -name '*.ts' -not -name '*.test.ts' 2>/dev/null)

.PHONY: setup apt-deps build typecheck deps test test-unit sim bench check-boards chaos soak clean release release-test flash test-lts fuzz

setup: apt-deps $(NODE_STAMP)

# apt packages the tests and drivers need: socat (pty pairs), udev (SerialPort.list), libusb (node-hid),
# systemd (systemd-analyze, systemd-notify, systemd-sysusers for the release tests), python3 (fake NOTIFY_SOCKET).
apt-deps:
	@missing=""; \
	command -v socat >/dev/null 2>&1 || missing="$$missing socat"; \
	command -v udevadm >/dev/null 2>&1 || missing="$$missing udev"; \
	ldconfig -p 2>/dev/null | grep -q 'libusb-1.0.so.0' || missing="$$missing libusb-1.0-0"; \
	command -v systemd-analyze >/dev/null 2>&1 || missing="$$missing systemd"; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing apt packages:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) >/dev/null || { echo "apt-get install failed for:$$missing" >&2; exit 1; }; \
	  else \
	    echo "missing system packages:$$missing"; \
	    echo "install them with: sudo apt-get install -y$$missing"; \
	    command -v socat >/dev/null 2>&1 || exit 1; \
	  fi; \
	fi

# `npm ci` installs exactly the committed lock and fails loudly when package.json and the lock disagree.
# The lock is complete (every platform's optional natives), so no install ever rewrites it.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: setup $(FONT_STAMP) $(BUILD_STAMP)

$(FONT_STAMP): scripts/gen-display-fonts.js fonts/unifont/unifont-gb2312.hex $(UI_TEXTS) $(NODE_STAMP)
	node scripts/gen-display-fonts.js
	@mkdir -p dist && touch $@

$(BUILD_STAMP): $(FONT_STAMP) $(SRC) tsconfig.json tsconfig.build.json $(NODE_STAMP)
	node_modules/.bin/tsc -p tsconfig.build.json
	@touch $@

typecheck: setup
	node_modules/.bin/tsc --noEmit -p .

# Which way the imports go (.dependency-cruiser.cjs): a wrong-way import or a cycle fails the build.
deps: setup
	node_modules/.bin/depcruise --config .dependency-cruiser.cjs --output-type err firmware simulator cli

# Unit, contract, integration and end-to-end suites (a few minutes on 2 cores).
test: build typecheck deps
	node_modules/.bin/jest --ci

# A chaotic day (sales, holds, completions, voids, refunds, settlements; faults on every message type; SIGKILLs) and the
# sale soak, against the money invariants: CHAOS_OPS (2000), CHAOS_KILLS (200), CHAOS_SEED, CHAOS_ROUNDS. Not in make test
# (its short profile is: test/chaos/day-short.test.ts).
chaos: build
	node_modules/.bin/jest --ci --runInBand --testMatch '**/test/chaos/*.chaos.ts' --testTimeout 3600000

# Hostile-input suite, long profile: counts per target (FUZZ_SEED, FUZZ_SCALE); make test runs the short profile.
fuzz: build
	FUZZ_PROFILE=long node_modules/.bin/jest --ci --testTimeout 1800000 test/fuzz

sim: build
	node bin/posfw.js sim $(ARGS)

check-boards: build
	node bin/posfw.js boards check board-configs/*.json

# Ratios against a baseline measured in the same run; results in bench/results.json (BENCH_SALES, BENCH_WARMUP).
bench: build
	@command -v strace >/dev/null 2>&1 || { [ "$$(id -u)" = "0" ] && apt-get install -y -qq strace >/dev/null; } || echo "strace missing: fsync counts come from the journal only"
	@for f in dist/bench/*.bench.js; do echo "== $$f"; node $$f || exit 1; done

# Release bundle for a board (docs/deploy.md): make release BOARD=rpi-terminal ARCH=arm64 -> release/out/posfw-<version>-<board>-<arch>.tar.gz
BOARD ?= sim
ARCH ?= x64
release: build
	release/build.sh $(BOARD) $(ARCH)

# Build the bundle and install it on a board over SSH: make flash BOARD=rpi-terminal ARCH=arm64 HOST=root@terminal
# (DRY_RUN=1 prints the scp and ssh commands instead; FLASH_ARGS are passed to install.sh).
flash:
	@test -n "$(HOST)" || { echo "usage: make flash BOARD=... ARCH=x64|arm64|armv7 HOST=user@board [FLASH_ARGS=--require-settled] [DRY_RUN=1]" >&2; exit 1; }
	$(MAKE) release BOARD=$(BOARD) ARCH=$(ARCH)
	release/flash.sh $(HOST) $(BOARD) $(ARCH) $(FLASH_ARGS)

# The release suites in full: x64 and arm64 tarballs, then install, sale, kill, update and rollback (make test runs a short profile).
release-test: build
	POSFW_RELEASE_FULL=1 node_modules/.bin/jest --ci test/release --testTimeout 600000

# Every jest suite again on the LTS Node the release bundles carry (the firmware must run on it and on Node 20);
# child processes the tests start (posfw sim, acquirer) run on it too.
LTS_NODE = release/cache/node-lts/bin/node
test-lts: build
	@release/lts-node.sh >/dev/null
	PATH="$(CURDIR)/release/cache/node-lts/bin:$$PATH" $(LTS_NODE) node_modules/.bin/jest --ci $(ARGS)

clean:
	rm -rf dist .sim-data release/out
