# draftguard — the two commands of the Quick start are `make demo` and `make test`.
# Both install what a fresh machine lacks (Rust components) before doing anything.

SHELL := /bin/bash
CARGO ?= cargo
BIN := target/release/draftguard
# Managed-policy files are machine-wide (every browser on the machine reads them), so two
# browser test runs on one machine must never overlap: every target that starts a browser
# holds this lock.
BROWSER_LOCK := flock /tmp/draftguard-browser.lock
POLICIES := $(wildcard policies/*.yaml)
DRAFTS := $(wildcard examples/drafts/*.txt)

.PHONY: demo test setup fmt clippy unit console-test console-bench console-demo console-e2e postgres-tools policy-tests bench cli-bench fuzz clean wasm wasm-tools wasm-test extension js-test js-lint js-check e2e e2e-chromium e2e-firefox browser-tools firefox-tools browser-bench roundtrip-bench

## Set up what is missing: rustfmt and clippy for the active toolchain.
setup:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust from rustup.rs"; exit 2; }
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy

$(BIN): setup $(shell find src -name '*.rs') Cargo.toml $(POLICIES)
	$(CARGO) build --release --bin draftguard

## Build, then show the product working with the embedded default policy: the CLI on
## sample drafts, then the extension in Chromium typing into fixture composers.
demo: $(BIN)
	@for f in $(DRAFTS); do \
	  echo "━━━ draftguard check $$f  (embedded default policy)"; \
	  $(BIN) check --color always "$$f" || true; echo; \
	done
	@echo "━━━ draftguard check -p policies/financial-services.yaml examples/drafts/01-promissory.txt"
	@$(BIN) check --color always -p policies/financial-services.yaml examples/drafts/01-promissory.txt || true
	@echo
	@echo "━━━ draftguard check --platform x --format json (spans in bytes, chars and UTF-16)"
	@$(BIN) check --format json --platform x --text "Our fund has gu@ranteed re​turns 🚀" -p policies/financial-services.yaml | head -40 || true
	@echo
	@echo "━━━ draftguard test policies/*.yaml"
	@$(BIN) test -q $(POLICIES)
	@echo
	@echo "━━━ draftguard keygen / bundle / verify: a signed bundle, then the same bundle tampered with"
	@d=$$(mktemp -d) && $(BIN) keygen -o $$d/acme && \
	  $(BIN) bundle policies/financial-services.yaml --key $$d/acme.key -o $$d/bundle.json && \
	  $(BIN) verify $$d/bundle.json --pubkey $$d/acme.pub; \
	  sed 's/guaranteed returns/guaranteed income/' $$d/bundle.json > $$d/tampered.json; \
	  $(BIN) verify $$d/tampered.json --pubkey $$d/acme.pub; rm -rf $$d
	@echo
	@$(MAKE) --no-print-directory extension browser-tools
	@echo
	@echo "━━━ the extension in Chromium (screenshots in dist/demo/)"
	@$(BROWSER_LOCK) node extension/demo/demo.mjs
	@echo
	@echo "━━━ the admin console (rings, intake, history), left running"
	@$(MAKE) --no-print-directory console-demo

## Every check CI runs: formatting, lints, Rust tests, the console's tests on SQLite and a
## throwaway PostgreSQL, the policies' own tests and lint, the wasm bindings' tests, the
## extension's JS style (Biome), types (TypeScript) and unit tests, end to end in headless
## Chromium and Firefox ESR with the built extension, and the admin's whole loop.
test: setup fmt clippy unit console-test policy-tests wasm-test js-lint js-check js-test e2e console-e2e

fmt:
	$(CARGO) fmt --all --check

clippy: wasm-tools node_modules/.package-lock.json
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy --lib --no-default-features -- -D warnings
	$(CARGO) clippy --no-default-features --target $(WASM_TARGET) --lib --test wasm_engine -- -D warnings
	$(CARGO) clippy --no-default-features --features authoring --target $(WASM_TARGET) --lib --test wasm -- -D warnings

# The engine and CLI (the workspace's default member); the console has console-test.
unit: node_modules/.package-lock.json
	$(CARGO) test --all-targets
	$(CARGO) test --doc

# ---- The admin console (console/) --------------------------------------------------
## The console's Rust tests against SQLite and against a real PostgreSQL: a throwaway
## cluster (initdb + pg_ctl on a free port, in a temporary directory owned by postgres),
## stopped and removed afterwards (console/scripts/with-postgres.sh).
console-test: setup postgres-tools node_modules/.package-lock.json
	DRAFTGUARD_REQUIRE_PG=1 console/scripts/with-postgres.sh $(CARGO) test -p draftguard-console --all-targets

## Debian's PostgreSQL server binaries (the console's tests start a throwaway cluster).
postgres-tools:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

CONSOLE := target/release/draftguard-console
$(CONSOLE): setup $(shell find console/src -name '*.rs') $(wildcard console/assets/*) console/build.rs console/Cargo.toml Cargo.lock node_modules/.package-lock.json
	$(CARGO) build --release -p draftguard-console --bin draftguard-console

## 10,000 simulated installs sending batches concurrently, on SQLite and PostgreSQL, with
## and without a SIGKILL of the console mid-load (numbers in the README).
console-bench: $(CONSOLE)
	$(CARGO) build --release -p draftguard-console --example bench
	console/scripts/bench.sh

## The console on SQLite with two signed versions in rings pilot and broad and 30 days of
## made-up history, left running in the background (it prints the URL, the admin
## password and the kill command); screenshots of the dashboard in dist/console-demo/screenshots/.
console-demo: $(BIN) $(CONSOLE) browser-tools
	console/scripts/demo.sh

# Lint judges `active` windows against a fixed day so CI does not start failing when a
# policy's quiet period ends; run `draftguard lint` without --date to judge against today.
LINT_DATE ?= 2026-11-23
policy-tests: $(BIN)
	$(BIN) test -q $(POLICIES)
	$(BIN) lint --date $(LINT_DATE) $(POLICIES)

# ---- WebAssembly -------------------------------------------------------------------
# wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock.
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/version = "\(.*\)"/\1/p}' Cargo.lock)
WASM_TARGET := wasm32-unknown-unknown
WASM_OUT := dist/pkg
# The shipped module is built by a nightly toolchain that compiles the standard library
# with the crate (`-Z build-std`): std tuned for size (`optimize_for_size`) and panics that
# trap at once (`-C panic=immediate-abort`; with `panic = "abort"` a panic already ended in
# a trap with no message reaching anyone, but std's panic formatting was still linked in).
# -73 KB gzipped, checks as fast (README, "Size"). Its own target directory, so the stable
# wasm builds (clippy, wasm-test) and this one do not invalidate each other.
WASM_TOOLCHAIN ?= nightly
WASM_TARGET_DIR := target/wasm-size
WASM_RAW := $(WASM_TARGET_DIR)/$(WASM_TARGET)/wasm/draftguard.wasm

## Install what the wasm build needs: the target, the nightly toolchain's standard library
## source, wasm-bindgen-cli, binaryen (npm).
wasm-tools: setup
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@rustup toolchain list | grep -q '^$(WASM_TOOLCHAIN)' || rustup toolchain install $(WASM_TOOLCHAIN) --profile minimal
	@rustup +$(WASM_TOOLCHAIN) component list --installed | grep -qx rust-src || rustup component add rust-src --toolchain $(WASM_TOOLCHAIN)
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (a few minutes, once)"; \
	  $(CARGO) install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi
	@$(MAKE) --no-print-directory node_modules/.package-lock.json

## Build the two wasm modules, size-tuned, with their JS glue (and TypeScript declarations,
## for js-check) into dist/pkg, and report sizes: `draftguard` (the engine: JSON policies,
## sealed bundles, the embedded default pre-parsed; what the service worker loads) and
## `draftguard_authoring` (the same engine with the YAML reader and the default's YAML
## text: the options playground, and bundles sealed --as-written). README, "Two wasm modules".
WASM_MODULES := draftguard: draftguard_authoring:authoring
wasm: wasm-tools
	@rm -rf $(WASM_OUT)/snippets
	@for m in $(WASM_MODULES); do \
	  name=$${m%%:*}; features=$${m#*:}; \
	  echo "━━━ $$name ($${features:-no} features)"; \
	  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort --cfg draftguard_hot" $(CARGO) +$(WASM_TOOLCHAIN) build \
	    -Z build-std=std,panic_abort -Z build-std-features=optimize_for_size \
	    --profile wasm --lib --no-default-features --features "$$features" \
	    --target $(WASM_TARGET) --target-dir $(WASM_TARGET_DIR) || exit 1; \
	  wasm-bindgen --target web --out-dir $(WASM_OUT) --out-name $$name $(WASM_RAW) || exit 1; \
	  node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals \
	    $(WASM_OUT)/$${name}_bg.wasm -o $(WASM_OUT)/$${name}_bg.wasm || exit 1; \
	done
	@for m in $(WASM_MODULES); do name=$${m%%:*}; \
	  echo "wasm: $$name $$(stat -c %s $(WASM_OUT)/$${name}_bg.wasm) bytes, $$(gzip -9 -c $(WASM_OUT)/$${name}_bg.wasm | wc -c) bytes gzipped"; \
	done

## The wasm bindings' #[wasm_bindgen_test]s: the engine module's (tests/wasm_engine.rs) in
## Node; the authoring module's (tests/wasm.rs) in Node and in headless Chromium.
wasm-test: wasm-tools browser-tools
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  $(CARGO) test --no-default-features --target $(WASM_TARGET) --test wasm_engine
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  $(CARGO) test --no-default-features --features authoring --target $(WASM_TARGET) --test wasm
	WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver \
	  WASM_BINDGEN_TEST_WEBDRIVER_JSON=$(CURDIR)/tests/webdriver.json \
	  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  $(BROWSER_LOCK) $(CARGO) test --no-default-features --features authoring --target $(WASM_TARGET) --test wasm

# ---- The extension ------------------------------------------------------------------
EXT_BROWSERS := chromium firefox

## Assemble the unpacked extension for each browser from the one source tree, with the
## platform ids the engine knows (src/platforms.json; refuses a shipped adapter the content
## script would drop): dist/chromium (+ dist/draftguard-chromium.zip, for "Load unpacked" or
## the Chrome Web Store) and dist/firefox (+ dist/draftguard-firefox.zip, an unsigned .xpi).
## Only the manifest differs (extension/tools/manifest.mjs); Firefox does not read
## managed_schema.json.
extension: wasm
	rm -rf dist/extension dist/draftguard-extension.zip $(addprefix dist/,$(EXT_BROWSERS))
	mkdir -p dist/chromium/pkg
	cp -r extension/managed_schema.json extension/src dist/chromium/
	cp $(foreach m,$(WASM_MODULES),$(WASM_OUT)/$(firstword $(subst :, ,$(m))).js $(WASM_OUT)/$(firstword $(subst :, ,$(m)))_bg.wasm) dist/chromium/pkg/
	cp -r $(WASM_OUT)/snippets dist/chromium/pkg/
	node extension/tools/write-platforms.mjs $(WASM_OUT) dist/chromium
	cp -r dist/chromium dist/firefox && rm dist/firefox/managed_schema.json
	@for b in $(EXT_BROWSERS); do \
	  node extension/tools/manifest.mjs $$b extension/manifest.json dist/$$b/manifest.json || exit 1; \
	  (cd dist/$$b && rm -f ../draftguard-$$b.zip && python3 -m zipfile -c ../draftguard-$$b.zip *) || exit 1; \
	  echo "extension: dist/$$b and dist/draftguard-$$b.zip ($$(stat -c %s dist/draftguard-$$b.zip) bytes)"; \
	done

## One style for the extension's JS, JSON and CSS: Biome's formatter and linter in check
## mode (biome.jsonc; `node_modules/.bin/biome check --write` fixes what it can).
js-lint: node_modules/.package-lock.json
	node_modules/.bin/biome ci --colors=off

## The extension's JSDoc types checked by TypeScript (extension/jsconfig.json: strict, no
## build step): above all the message protocol (src/shared/protocol.js) at every sender and
## handler. The engine's types come from the wasm build (dist/pkg/draftguard.d.ts).
js-check: wasm
	node_modules/.bin/tsc -p extension/jsconfig.json

## Pure JS modules (text mapping, adapters), with Node's test runner.
js-test:
	node --test extension/test/

## The npm packages exactly as locked: binaryen (wasm-opt), playwright-core, Biome, TypeScript, esbuild and
## the editor libraries the fixture pages are built from.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

## Debian's Chromium and playwright-core (no browser download).
browser-tools: node_modules/.package-lock.json
	@[ -x /usr/bin/chromium ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; }

## Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi (no browser download).
firefox-tools: node_modules/.package-lock.json
	@[ -x /usr/bin/firefox-esr ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr; }

## The admin's whole loop, end to end (console/e2e/loop.test.mjs), in Chromium then Firefox:
## the console on a temporary SQLite file; a policy signed with the CLI, uploaded to the
## `pilot` ring; an enrollment token; a browser managed as the admin guide says (ring pilot,
## report URL, token) posts a draft a monitor rule flags and overrides a blocked one; both
## are read back from the console's export; the version is promoted to `broad` and a
## `broad` browser picks it up. Screenshots and the console's export in dist/console-e2e/.

console-e2e: extension browser-tools firefox-tools $(BIN) $(CONSOLE)
	@for b in $(EXT_BROWSERS); do \
	  echo "━━━ the whole loop in $$b"; \
	  DRAFTGUARD_BROWSER=$$b $(BROWSER_LOCK) node --test --test-concurrency=1 console/e2e/ || exit 1; \
	done

## End to end with the built extension and local fixture pages (the admin tests sign
## bundles with the CLI), once per browser: the same test files, through one driver layer
## (extension/e2e/driver.mjs) that DRAFTGUARD_BROWSER selects.
e2e: e2e-chromium e2e-firefox

e2e-chromium: extension browser-tools $(BIN)
	DRAFTGUARD_BROWSER=chromium $(BROWSER_LOCK) node --test --test-concurrency=1 extension/e2e/

e2e-firefox: extension firefox-tools $(BIN)
	DRAFTGUARD_BROWSER=firefox $(BROWSER_LOCK) node --test --test-concurrency=1 extension/e2e/

## The wasm engine in headless Chromium on the criterion fixtures (numbers in the README).
browser-bench: wasm browser-tools
	$(CARGO) run --release --example bench_fixture -- dist/bench
	$(BROWSER_LOCK) node extension/bench/run.mjs

## Round trip content script -> engine -> underline in Chromium (numbers in the README).
roundtrip-bench: extension browser-tools
	$(BROWSER_LOCK) node extension/bench/roundtrip.mjs

## Criterion benchmarks (numbers in the README).
bench:
	$(CARGO) bench --bench check

## The CLI as a whole process on the scale fixtures (examples/scale_fixture.rs): 10,000
## small drafts as a folder and as JSON Lines, 1 MB one-line drafts with 4,000 and 40,000
## findings, a 20 MB draft with 200,000. Median times with hyperfine (Debian's), then peak
## memory with GNU time; numbers in the README.
SCALE := dist/scale
SCALE_RUNS ?= 10
cli-bench: $(BIN)
	@command -v hyperfine >/dev/null && [ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hyperfine time; }
	$(CARGO) run --release --example scale_fixture -- $(SCALE)
	@p="$(BIN) check -p $(SCALE)/policy.yaml"; \
	hyperfine --warmup 1 --runs $(SCALE_RUNS) --export-json $(SCALE)/cli-bench.json \
	  -n 'folder of 10,000 drafts, human' "$$p --color never $(SCALE)/posts" \
	  -n 'folder of 10,000 drafts, jsonl' "$$p --format jsonl $(SCALE)/posts" \
	  -n '10,000 drafts as JSON Lines, jsonl' "$$p --input jsonl --format jsonl $(SCALE)/posts.jsonl" \
	  -n '1 MB, 4,000 findings, human' "$$p --color never $(SCALE)/1mb-4000.txt" \
	  -n '1 MB, 4,000 findings, json' "$$p --format json $(SCALE)/1mb-4000.txt" \
	  -n '1 MB, 40,000 findings, human' "$$p --color never $(SCALE)/1mb-40000.txt" \
	  -n '1 MB, 40,000 findings, json' "$$p --format json $(SCALE)/1mb-40000.txt" \
	  -n '20 MB, 200,000 findings, json' "$$p --format json $(SCALE)/20mb.txt" \
	  -n '20 MB, 200,000 findings, sarif' "$$p --format sarif $(SCALE)/20mb.txt"
	@python3 -c 'import json,sys; [print("  %6.0f ms median  %s" % (r["median"]*1000, r["command"])) for r in json.load(open(sys.argv[1]))["results"]]' $(SCALE)/cli-bench.json
	@echo "peak memory (GNU time, maximum resident set size):"
	@p="$(BIN) check -p $(SCALE)/policy.yaml"; for a in "--color never $(SCALE)/posts" \
	  "--color never $(SCALE)/1mb-4000.txt" "--format json $(SCALE)/1mb-40000.txt" \
	  "--color never $(SCALE)/1mb-40000.txt" "--format json $(SCALE)/20mb.txt"; do \
	  /usr/bin/time -f "  %M KB  check $$a" $$p $$a >/dev/null 2>$(SCALE)/time.err; tail -1 $(SCALE)/time.err; done

## Fuzz for FUZZ_SECONDS (default 60) per target; needs nightly and cargo-fuzz.
FUZZ_SECONDS ?= 60
fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz
	cd fuzz && for t in load_policy json_document check phrases open_bundle; do \
	  $(CARGO) +nightly fuzz run $$t -- -max_total_time=$(FUZZ_SECONDS) -max_len=4096 || exit 1; \
	done

clean:
	$(CARGO) clean
