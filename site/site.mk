# Targets for the guide and the slide deck (included by the top-level Makefile).
# The `site` binary (site/) builds the mdBook guide and the deck with library
# crates pinned by Cargo.lock: nothing to install besides Rust.
.PHONY: docs docs-build test-site bench-site

# Port for `make docs`, e.g. `make docs PORT=4000`.
PORT ?= 3000
# Optimised with the `site` profile (Cargo.toml): a debug build of mdBook is
# several times slower than the 1 s target; the profile skips LTO to compile fast.
SITE := $(CARGO) run --profile site --locked -p site --

##@ Read
# ANCHOR: docs
docs: ## Build the guide and the deck, serve them on http://127.0.0.1:3000 (PORT=n to change), live reload
	$(SITE) serve --port $(PORT)

docs-build: ## Write the static guide and deck to book/ (works from file:// too)
	$(SITE) build
# ANCHOR_END: docs

##@ Test
test-site: ## Test the guide and the deck (links, includes, headless Chromium)
	$(CARGO) test -p site --locked

##@ Benchmark
bench-site: ## Benchmark the site: build time, reload latency, deck size (updates BENCHMARKS.md)
	$(SITE) bench --write BENCHMARKS.md
