# Targets for the guide's own checks (included by the top-level Makefile).
# guide-check/ runs every answer the guide and the deck show against the real
# demo-app and a real redis-server, parses every kubectl command with kubectl
# itself (no cluster reachable), and compares the kit's facts in prose with
# the manifests and the app, and holds every command block to the
# follow-along rules (it pastes as is on the cluster `make cluster` made).
# GUIDE_PAGES=a.md,b.md limits it to some pages while writing. See
# guide-check/README.md.
.PHONY: test-guide

##@ Test
test-guide: ## Check the guide and deck against the real kit: answers, commands that paste, kubectl commands, make targets, facts
	$(CARGO) build -p demo-app --locked
	$(CARGO) test -p guide-check --locked
