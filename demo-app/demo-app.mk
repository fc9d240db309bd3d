# Targets for the demo service (included by the top-level Makefile).
.PHONY: run test-app bench-app

test-app: ## Test the demo service against a real redis-server
	$(CARGO) test -p demo-app --locked

bench-app: ## Benchmark the demo service
	@echo "bench-app: not built yet"; exit 1
