# draftguard — the two commands of the Quick start are `make demo` and `make test`.
# Both install what a fresh machine lacks (Rust components) before doing anything.

SHELL := /bin/bash
CARGO ?= cargo
BIN := target/release/draftguard
POLICIES := $(wildcard policies/*.yaml)
DRAFTS := $(wildcard examples/drafts/*.txt)

.PHONY: demo test setup fmt clippy unit policy-tests bench fuzz clean

## Set up what is missing: rustfmt and clippy for the active toolchain.
setup:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust from rustup.rs"; exit 2; }
	@$(CARGO) fmt --version >/dev/null 2>&1 || rustup component add rustfmt
	@$(CARGO) clippy --version >/dev/null 2>&1 || rustup component add clippy

$(BIN): setup $(shell find src -name '*.rs') Cargo.toml $(POLICIES)
	$(CARGO) build --release --bin draftguard

## Build, then show the CLI working on sample drafts with the embedded default policy.
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

## Every check CI runs: formatting, lints, Rust tests, the policies' own tests and lint.
test: setup fmt clippy unit policy-tests

fmt:
	$(CARGO) fmt --all --check

clippy:
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) clippy --lib --no-default-features -- -D warnings

unit:
	$(CARGO) test --all-targets
	$(CARGO) test --doc

# Lint judges `active` windows against a fixed day so CI does not start failing when a
# policy's quiet period ends; run `draftguard lint` without --date to judge against today.
LINT_DATE ?= 2026-11-23
policy-tests: $(BIN)
	$(BIN) test -q $(POLICIES)
	$(BIN) lint --date $(LINT_DATE) $(POLICIES)

## Criterion benchmarks (numbers in the README).
bench:
	$(CARGO) bench --bench check

## Fuzz for FUZZ_SECONDS (default 60) per target; needs nightly and cargo-fuzz.
FUZZ_SECONDS ?= 60
fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz
	cd fuzz && for t in load_policy check; do \
	  $(CARGO) +nightly fuzz run $$t -- -max_total_time=$(FUZZ_SECONDS) -max_len=4096 || exit 1; \
	done

clean:
	$(CARGO) clean
