# Targets for the demo service (included by the top-level Makefile, so paths
# are relative to the repository root).
.PHONY: run test-app lint-dockerfile bench-app

DEMO_APP_REDIS_HOST = $(or $(REDIS_HOST),localhost)
DEMO_APP_REDIS_PORT = $(or $(REDIS_PORT),6379)

##@ Run locally
run: ## Run the demo service on http://localhost:8000 (chaos endpoints on; uses a local redis-server if one runs)
	@if ! (exec 3<>/dev/tcp/$(DEMO_APP_REDIS_HOST)/$(DEMO_APP_REDIS_PORT)) 2>/dev/null; then \
	  echo "No Redis at $(DEMO_APP_REDIS_HOST):$(DEMO_APP_REDIS_PORT): /visits, /kv and /login will answer 503 until you start one (run 'redis-server'; Debian: apt-get install redis-server)."; \
	fi
	CHAOS_ENABLED=$${CHAOS_ENABLED:-true} $(CARGO) run --locked -p demo-app --

# test-app runs the unit and integration tests (a real redis-server, the app
# in-process and the real binary; see demo-app/tests/it/main.rs), including
# the schemathesis run against the OpenAPI document, and lints the Dockerfile.
#
# The HTTP-only tests can also run against a deployed app, e.g. the cluster
# (this is what the end-to-end tests of k8s/k8s.mk do):
#   E2E_BASE_URL=http://localhost:8080 E2E_LOGIN=admin:<password> \
#     cargo test -p demo-app --test it
# Tests that need to stop Redis or signal the process skip themselves then.
##@ Test
test-app: lint-dockerfile $(VENV)/.installed-schemathesis ## Test the demo service against a real redis-server, and lint its Dockerfile
	@echo "==> cargo test -p demo-app"
	$(CARGO) test -p demo-app --locked

lint-dockerfile: $(VENV)/.installed-hadolint
	@echo "==> hadolint demo-app/Dockerfile"
	$(VENV)/bin/hadolint demo-app/Dockerfile

# The load generator is wrk (Debian package); the harness is
# demo-app/benches/load.rs. BENCH_SECONDS shortens each run (default 10).
##@ Benchmark
bench-app: ## Benchmark the demo service against a bare axum server and write BENCHMARKS.md
	@missing=""; for tool in wrk redis-server; do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
	  echo "==> installing$$missing from Debian packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	$(CARGO) bench --locked -p demo-app --bench load
