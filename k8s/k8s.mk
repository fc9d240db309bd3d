# Targets for deploying to a local cluster and checking the manifests
# (included by the top-level Makefile).
.PHONY: test-k8s

test-k8s: ## Check the manifests offline (schema, consistency with the app, policy)
	$(CARGO) test -p manifest-check --locked
