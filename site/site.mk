# Targets for the guide and the slide deck (included by the top-level Makefile).
# The `site` binary (site/) builds the mdBook guide and the deck with library
# crates pinned by Cargo.lock: nothing to install besides Rust.
.PHONY: docs docs-build test-site bench-site bench-first-page

# Port for `make docs`, e.g. `make docs PORT=4000`.
PORT ?= 3000
# The `site` profile (Cargo.toml): the crates that render the guide optimised
# (a debug mdBook is several times slower than the 1 s target), the rest not,
# so that a first `make docs` compiles fast (make bench-first-page times it).
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
LIGHTHOUSE_NPM := lighthouse@12.8.2
LIGHTHOUSE_DIR := target/lighthouse
# A fresh clone's first `make docs`: an empty target directory (under
# target/first-page/), timed to the first page served (site/bench-first-page.sh).
bench-first-page: ## Time a fresh clone's first make docs, from nothing to the first page served (updates BENCHMARKS.md)
	site/bench-first-page.sh --write BENCHMARKS.md

bench-site: bench-first-page ## Benchmark the site: first page from a fresh clone, build time, reload latency, deck size, Lighthouse (updates BENCHMARKS.md)
	$(CARGO) run --profile site --locked -p site --features bench --bin site-bench -- --write BENCHMARKS.md
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
		echo "Lighthouse skipped: it needs Node.js and npm (https://nodejs.org or apt-get install nodejs npm)."; exit 0; fi; \
	if [ -z "$(CHROMIUM)" ]; then \
		echo "Lighthouse skipped: it needs Chromium (apt-get install chromium)."; exit 0; fi; \
	set -e; \
	[ -x $(LIGHTHOUSE_DIR)/npm/node_modules/.bin/lighthouse ] || npm install --silent --no-audit --no-fund --prefix $(LIGHTHOUSE_DIR)/npm $(LIGHTHOUSE_NPM); \
	$(SITE) build --dest $(LIGHTHOUSE_DIR)/site; \
	node site/lighthouse/run.mjs $(LIGHTHOUSE_DIR)/site $(LIGHTHOUSE_DIR)/npm/node_modules/.bin/lighthouse "$(CHROMIUM)" BENCHMARKS.md

# ANCHOR: diagrams-compare
# The diagrams side by side: ours (drawn at build time) and mermaid.js in
# headless Chromium, as PNG pairs under target/diagrams-compare/. mermaid and
# puppeteer-core come from npm into target/diagrams-compare/npm (not committed).
COMPARE_DIR := target/diagrams-compare
MERMAID_NPM := mermaid@12.3.0 puppeteer-core@25.16.0
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser || command -v google-chrome)
.PHONY: diagrams-compare
diagrams-compare: ## Render every diagram with our renderer and with mermaid.js, as PNG pairs in target/diagrams-compare/
	@if ! command -v node >/dev/null || ! command -v npm >/dev/null; then \
		echo "diagrams-compare skipped: it needs Node.js and npm (https://nodejs.org or apt-get install nodejs npm)."; exit 0; fi; \
	if [ -z "$(CHROMIUM)" ]; then \
		echo "diagrams-compare skipped: it needs Chromium (apt-get install chromium)."; exit 0; fi; \
	set -e; \
	[ -d $(COMPARE_DIR)/npm/node_modules/mermaid ] || npm install --silent --no-audit --no-fund --prefix $(COMPARE_DIR)/npm $(MERMAID_NPM); \
	$(SITE) diagrams --dest $(COMPARE_DIR)/export; \
	node site/compare/compare.mjs $(COMPARE_DIR)/export $(COMPARE_DIR)/pairs $(COMPARE_DIR)/npm/node_modules "$(CHROMIUM)"; \
	echo "Open $(COMPARE_DIR)/pairs/index.html."
# ANCHOR_END: diagrams-compare
