# make try: a chapter's Try it, run on your cluster as the page writes it
# (included by the top-level Makefile; the runner is the crate in try/).
#
#   make try CHAPTER=scaling          step by step: Enter runs the next command
#   make try CHAPTER=scaling AUTO=1   every step, then the verdict (CI runs this)
#   RESET=1                           make reset after the last step
#   TRY_TIMEOUT=300                   seconds before a command that should end is stopped
#
# The runner refuses a cluster the kit did not make and deploy to (the
# ConfigMap kube-public/k8s-learning-kit of make cluster, the app of make
# deploy). It exits non-zero when a step fails.

.PHONY: try

TRY_FLAGS = $(if $(filter 1 yes true,$(AUTO)),--auto) \
	$(if $(filter 1 yes true,$(RESET)),--reset) \
	$(if $(TRY_TIMEOUT),--timeout $(TRY_TIMEOUT))

##@ Experiment
try: k8s-need-reachable ## Run a chapter's Try it on your cluster, each output beside the page's, then a verdict: make try CHAPTER=scaling (AUTO=1: no pauses; RESET=1: make reset after)
	@echo "==> building the runner (kit-try; the first time takes a minute)"
	@KUBECTL="$(KUBECTL)" $(CARGO) run --quiet --locked -p kit-try -- $(TRY_FLAGS) "$(CHAPTER)"
