# Targets for the guide and the slide deck (included by the top-level Makefile).
.PHONY: docs docs-build test-site bench-site

test-site: ## Test the guide and the deck (links, includes, headless Chromium)
	$(CARGO) test -p site --locked

bench-site: ## Benchmark the site build
	@echo "bench-site: not built yet"; exit 1
