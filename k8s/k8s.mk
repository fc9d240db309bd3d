# Deploy the kit to a local cluster, and check the manifests offline
# (included by the top-level Makefile; `make help` lists the targets).
#
# Every target says what it does before doing it, and checks what it needs
# first: kubectl, a reachable cluster, Docker, a local kube context. When
# something is missing it stops with one sentence saying how to get it.

# What differs between kind, k3d, minikube and Docker Desktop (pinned node
# images, ports, the guide's table), and the targets that create clusters.
include k8s/flavours.mk
include k8s/cluster.mk

K8S_NAMESPACE := k8s-demo
KUBECTL ?= kubectl
DOCKER ?= docker
K8S_GENERATED := k8s/.generated
# What `make deploy` applies: the kustomize build with this build's image tag.
K8S_RENDERED := $(K8S_GENERATED)/deployed.yaml
K8S := $(KUBECTL) --namespace $(K8S_NAMESPACE)

# Shell snippets shared by `url`, `load` and `test-e2e`.
# The app Service's LoadBalancer address (IP or host name); empty until the
# cluster gives it one.
K8S_APP_HOST = $$($(K8S) get service demo-app -o jsonpath='{.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}' 2>/dev/null || true)
# The ConfigMap in kube-public by which `make cluster` marks a cluster as
# the kit's, and the address it recorded there: http://localhost:PORT on the
# clusters it creates, whose node or load-balancer address the host may not
# reach. (kit-try's run.rs names the same ConfigMap.)
K8S_RECORD := k8s-learning-kit
K8S_RECORDED_URL = $$($(KUBECTL) --namespace kube-public get configmap $(K8S_RECORD) -o jsonpath='{.data.app-url}' 2>/dev/null || true)
# Sets $$url to URL=... if given, else to the recorded address, else to
# http://<LoadBalancer address>, without a trailing slash; without any,
# stops with one sentence (on stderr) saying how to get an address on this
# context. `make url` prints $$url alone, so `APP=$(make url)` works.
K8S_APP_URL = url="$${URL:-}"; \
	[ -n "$$url" ] || url=$(K8S_RECORDED_URL); \
	if [ -z "$$url" ]; then \
	  host=$(K8S_APP_HOST); \
	  [ -n "$$host" ] || { $(K8S_NO_URL); exit 1; }; \
	  url="http://$$host"; \
	fi; \
	url="$${url%/}"
K8S_NO_URL = forward="or, in another terminal, kubectl -n $(K8S_NAMESPACE) port-forward service/demo-app 8081:80 and then use APP=http://localhost:8081"; \
	case "$$($(KUBECTL) config current-context)" in \
	  minikube) echo "The app's Service has no address yet: run minikube tunnel in another terminal (a cluster from make cluster FLAVOUR=minikube needs none), $$forward." >&2;; \
	  kind-*) echo "The app's Service has no address yet: run cloud-provider-kind (https://github.com/kubernetes-sigs/cloud-provider-kind; a cluster from make cluster FLAVOUR=kind needs none), $$forward." >&2;; \
	  k3d-*) echo "The app's Service stays pending because k3s's Traefik holds port 80 on every node: make cluster FLAVOUR=k3d creates a cluster without it, $$forward." >&2;; \
	  *) echo "The app's Service has no address yet (is the kit deployed? make deploy), $$forward." >&2;; \
	esac
APP_SELECTOR := app.kubernetes.io/name=demo-app
REDIS_SELECTOR := app.kubernetes.io/name=redis
ROLLOUT_TIMEOUT ?= 180s
# metrics-server, pinned (the HPA reads CPU use from it).
METRICS_SERVER_VERSION := v0.8.1

# ANCHOR: image-tag
# The image tag names the code it was built from: the commit's short hash,
# plus "-dirty-<hash of the changes>" when the working tree has uncommitted
# changes. Two different builds never share a tag, so the cluster never
# runs a stale image under a familiar name (the Deployment pulls with
# IfNotPresent). Computed once, and only by the targets that use it.
IMAGE_NAME := demo-app
IMAGE_TAG = $(eval IMAGE_TAG := $(shell \
	sha=$$(git rev-parse --short HEAD 2>/dev/null || echo unversioned); \
	if [ -n "$$(git status --porcelain 2>/dev/null)" ]; then \
	  changes=$$( { git diff HEAD --binary; git ls-files --others --exclude-standard -z | xargs -0 -r cat; } | git hash-object --stdin | cut -c1-7); \
	  echo "$$sha-dirty-$$changes"; \
	else echo "$$sha"; fi))$(IMAGE_TAG)
# The image's full name: demo-app:<tag>, or <registry/repository>:<tag>
# with make deploy REGISTRY=<registry/repository> (for a cluster that is
# not local: its nodes pull the image from that registry).
IMAGE = $(IMAGE_REPOSITORY):$(IMAGE_TAG)
# ANCHOR_END: image-tag

# ANCHOR: registry
# REGISTRY=<registry/repository> (e.g. ghcr.io/you/demo-app): make deploy
# builds the image for both platforms below, pushes it there and deploys it
# by that name, instead of loading it into local nodes. The repository is
# the one home of the image's name: the rendered manifest runs
# $(IMAGE_REPOSITORY):$(IMAGE_TAG).
REGISTRY ?=
IMAGE_REPOSITORY = $(if $(REGISTRY),$(patsubst %/,%,$(REGISTRY)),$(IMAGE_NAME))
IMAGE_PLATFORMS := linux/amd64,linux/arm64
# How make deploy gets the image to the nodes.
K8S_IMAGE_DELIVERY := $(if $(REGISTRY),image-push,image-load)
# ANCHOR_END: registry

.PHONY: test-k8s deploy image image-load image-push secrets credentials status logs scale restart \
	rollout-status undo redis-deploy redis-status metrics-server hpa hpa-status hpa-delete \
	load test-e2e undeploy url reset ingress \
	k8s-need-kubectl k8s-need-reachable k8s-need-cluster k8s-need-local-context k8s-need-docker k8s-need-writable-storage \
	k8s-need-buildx k8s-need-registry \
	k8s-render

##@ Test
test-k8s: $(VENV)/.installed-checkov ## Check the kit offline: manifests, Makefiles, workflows, guide's cluster table, checkov
	@echo "==> kit checks (cargo test -p kit-check -p kit-formats)"
	$(CARGO) test -p kit-check -p kit-formats --locked

# ---------------------------------------------------------------------------
# Prerequisites (not listed by `make help`: the targets below depend on them)

k8s-need-kubectl:
	@command -v $(KUBECTL) >/dev/null || { echo "kubectl is missing: install it from https://kubernetes.io/docs/tasks/tools/ (Docker Desktop includes it)." >&2; exit 1; }

# A selected context whose cluster answers (silent: `make url` prints only
# the address); k8s-need-cluster also names the context.
k8s-need-reachable: k8s-need-kubectl
	@context=$$($(KUBECTL) config current-context 2>/dev/null) || { echo "No Kubernetes context is selected: create the kit's cluster with make cluster (make doctor checks what it needs), or select yours with kubectl config use-context." >&2; exit 1; }; \
	$(KUBECTL) get --raw=/readyz --request-timeout=5s >/dev/null 2>&1 || { echo "The cluster of context '$$context' does not answer: start it (make cluster starts or recreates the kit's; make doctor says what is wrong) or pick another with kubectl config use-context." >&2; exit 1; }

k8s-need-cluster: k8s-need-reachable
	@echo "==> cluster: context '$$($(KUBECTL) config current-context)'"

# Only local clusters by default: the kit must never land on a shared
# cluster by accident. K8S_ANY_CONTEXT=1 says the reader means it (with
# REGISTRY=..., since only local nodes can be loaded with the image).
k8s-need-local-context: k8s-need-cluster
	@context=$$($(KUBECTL) config current-context); \
	case "$$context" in \
	  docker-desktop|rancher-desktop|orbstack|minikube|kind-*|k3d-*) ;; \
	  *) [ "$${K8S_ANY_CONTEXT:-}" = 1 ] || { echo "Context '$$context' is not a local cluster the kit knows (docker-desktop, kind-*, minikube, k3d-*, rancher-desktop, orbstack): create the kit's with make cluster, switch with kubectl config use-context, or, to deploy there on purpose, run make deploy REGISTRY=<registry/repository> K8S_ANY_CONTEXT=1 (the image goes through a registry the cluster can pull from)." >&2; exit 1; } ;; \
	esac

k8s-need-docker:
	@command -v $(DOCKER) >/dev/null || { echo "docker is missing: install Docker Desktop or Docker Engine (https://docs.docker.com/get-docker/)." >&2; exit 1; }
	@$(DOCKER) info >/dev/null 2>&1 || { echo "The Docker daemon does not answer: start Docker Desktop (or the docker service)." >&2; exit 1; }

# docker buildx, which builds for several platforms and pushes.
k8s-need-buildx: k8s-need-docker
	@$(DOCKER) buildx version >/dev/null 2>&1 || { echo "docker buildx is missing: install the Buildx plugin (Docker Desktop includes it; Docker Engine: the docker-buildx-plugin package, https://docs.docker.com/build/install-buildx/)." >&2; exit 1; }

# REGISTRY names a repository, without a tag (the kit adds its own).
k8s-need-registry:
	@case "$(REGISTRY)" in \
	  */*) case "$(lastword $(subst /, ,$(REGISTRY)))" in *[:@]*) echo "REGISTRY=$(REGISTRY) carries a tag or digest: give the repository alone (e.g. REGISTRY=ghcr.io/you/demo-app); make adds the tag $(IMAGE_TAG)." >&2; exit 1;; esac;; \
	  *) echo "REGISTRY=$(REGISTRY) names no repository: give registry/repository, e.g. REGISTRY=ghcr.io/you/demo-app or REGISTRY=localhost:5001/demo-app." >&2; exit 1;; \
	esac

# Redis runs as a non-root user and must write its volume. Docker Desktop's
# hostpath provisioner (docker.io/hostpath, its `hostpath` class in kubeadm
# mode) gives root-owned 755 hostPath directories and the kubelet applies no
# fsGroup to hostPath volumes, so Redis would crash-loop: stop before
# deploying, and say how to fix it. The provisioner is what matters, under
# whatever class name.
K8S_UNWRITABLE_PROVISIONER := docker.io/hostpath
k8s-need-writable-storage: k8s-need-cluster
	@provisioners=$$($(KUBECTL) get storageclass -o jsonpath='{range .items[?(@.metadata.annotations.storageclass\.kubernetes\.io/is-default-class=="true")]}{.provisioner}{" "}{end}' 2>/dev/null || true); \
	case " $$provisioners " in \
	  *" $(K8S_UNWRITABLE_PROVISIONER) "*) echo "The default StorageClass uses Docker Desktop's $(K8S_UNWRITABLE_PROVISIONER) provisioner, whose volumes the non-root Redis cannot write: run make cluster FLAVOUR=docker-desktop once (it installs local-path and makes it the default)." >&2; exit 1;; \
	esac

# ---------------------------------------------------------------------------
# Build and deploy

##@ Deploy
image: k8s-need-docker ## Build the demo-app image, tagged with the git commit (demo-app:<sha>[-dirty-<hash>])
	@echo "==> building $(IMAGE)"
	$(DOCKER) build --provenance=false -f demo-app/Dockerfile --build-arg GIT_REVISION=$(IMAGE_TAG) -t $(IMAGE) .

# ANCHOR: image-load
# Get the image to where the cluster's container runtime looks for it.
# (The image is built with --provenance=false: an attestation manifest in the
# image index breaks kind load and k3d image import with Docker's containerd
# image store, kind#3795 and k3d#1538.)
image-load: k8s-need-local-context image ## Load the image into the current local cluster (kind, minikube, k3d; Docker Desktop shares it)
	@context=$$($(KUBECTL) config current-context); \
	case "$$context" in \
	  docker-desktop) \
	    if $(K8S_DOCKER_DESKTOP_KIND_MODE); then \
	      $(DOCKER) info --format '{{json .DriverStatus}}' 2>/dev/null | grep -q 'io.containerd.snapshotter' || { echo "Docker Desktop runs Kubernetes in kind mode, which sees images you build only with Docker's containerd image store: turn on Settings > General > Use containerd for pulling and storing images, then make deploy again." >&2; exit 1; }; \
	      echo "==> docker-desktop (kind mode) runs images from Docker's containerd image store: nothing to load"; \
	    else echo "==> docker-desktop (kubeadm mode) runs images from Docker's own store: nothing to load"; fi;; \
	  rancher-desktop|orbstack) \
	    echo "==> $$context runs images from Docker's own store: nothing to load";; \
	  kind-*) \
	    command -v kind >/dev/null || { echo "kind is missing: install it from https://kind.sigs.k8s.io/docs/user/quick-start/#installation." >&2; exit 1; }; \
	    echo "==> kind load docker-image $(IMAGE) --name $${context#kind-}"; \
	    kind load docker-image $(IMAGE) --name "$${context#kind-}";; \
	  minikube) \
	    command -v minikube >/dev/null || { echo "minikube is missing: install it from https://minikube.sigs.k8s.io/docs/start/." >&2; exit 1; }; \
	    echo "==> minikube image load $(IMAGE)"; \
	    minikube image load $(IMAGE);; \
	  k3d-*) \
	    command -v k3d >/dev/null || { echo "k3d is missing: install it from https://k3d.io/#installation." >&2; exit 1; }; \
	    echo "==> k3d image import $(IMAGE) --cluster $${context#k3d-}"; \
	    k3d image import $(IMAGE) --cluster "$${context#k3d-}";; \
	  *) echo "Context '$$context': the kit cannot load an image into its nodes; deploy through a registry the cluster can pull from: make deploy REGISTRY=<registry/repository> K8S_ANY_CONTEXT=1." >&2; exit 1;; \
	esac
# ANCHOR_END: image-load

# ANCHOR: image-push
# With REGISTRY: build for amd64 and arm64 nodes (buildx; an emulator builds
# the other platform) and push; the nodes pull the image themselves. Its
# output is kept, so that a refused push is told apart from a failed build.
image-push: k8s-need-registry k8s-need-buildx ## Build the image for linux/amd64 and linux/arm64 and push it: make image-push REGISTRY=ghcr.io/you/demo-app (make deploy REGISTRY=... runs it)
	@echo "==> docker buildx build --platform $(IMAGE_PLATFORMS) -t $(IMAGE) --push"
	@log=$$(mktemp); trap 'rm -f "$$log"' EXIT; \
	$(DOCKER) buildx build --platform $(IMAGE_PLATFORMS) -f demo-app/Dockerfile --build-arg GIT_REVISION=$(IMAGE_TAG) -t $(IMAGE) --push . 2>&1 | tee "$$log" || { \
	  if grep -q 'failed to push' "$$log"; then \
	    echo "The registry refused the push of $(IMAGE): log in to it with docker login (naming its host, e.g. docker login ghcr.io, unless it is Docker Hub) and check that you may push to $(IMAGE_REPOSITORY)." >&2; \
	  else echo "Building $(IMAGE) for $(IMAGE_PLATFORMS) failed (buildx's output is above; a multi-platform build needs a builder that supports it: docker buildx create --use)." >&2; fi; \
	  exit 1; }
# ANCHOR_END: image-push

# ANCHOR: secrets
# Random credentials, made once and kept in git-ignored files that the
# kustomization turns into Secrets. Later deploys reuse them.
secrets: ## Generate the Redis password and the demo users' passwords (once; kept in k8s/.generated/)
	@mkdir -p $(K8S_GENERATED)
	@umask 077; random() { LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$$1"; }; \
	if [ ! -s $(K8S_GENERATED)/redis-auth.env ]; then \
	  echo "==> generating the Redis password ($(K8S_GENERATED)/redis-auth.env)"; \
	  echo "REDIS_PASSWORD=$$(random 32)" > $(K8S_GENERATED)/redis-auth.env; \
	fi; \
	if [ ! -s $(K8S_GENERATED)/demo-users.env ]; then \
	  echo "==> generating the demo users alice and bob ($(K8S_GENERATED)/demo-users.env)"; \
	  echo "DEMO_USERS=alice:$$(random 16),bob:$$(random 16)" > $(K8S_GENERATED)/demo-users.env; \
	fi
# ANCHOR_END: secrets

credentials: ## Print the generated credentials (demo users' logins, Redis password)
	@[ -s $(K8S_GENERATED)/demo-users.env ] || { echo "No credentials yet: run make deploy (or make secrets) first." >&2; exit 1; }
	@echo "Demo users (POST /login with name and password):"
	@sed -e 's/^DEMO_USERS=//' $(K8S_GENERATED)/demo-users.env | tr ',' '\n' | sed -e 's/^/  /' -e 's/:/  password: /'
	@echo "Redis password: $$(sed -e 's/^REDIS_PASSWORD=//' $(K8S_GENERATED)/redis-auth.env)"
	@echo "From the cluster: kubectl -n $(K8S_NAMESPACE) get secret demo-users -o jsonpath='{.data.DEMO_USERS}' | base64 -d"

# ANCHOR: render
# The kit with the image tag of this build, rendered into one file: kustomize
# builds a throwaway copy of k8s/ with an `images:` entry added, so no
# committed file changes. k8s/.generated/deployed.yaml is exactly what
# `make deploy` applies: read it to see the final objects.
k8s-render: secrets ## Render what make deploy applies into k8s/.generated/deployed.yaml (read it to see the final objects)
	@echo "==> rendering k8s/ with image $(IMAGE) into $(K8S_RENDERED)"
	@umask 077; copy=$$(mktemp -d); trap 'rm -rf "$$copy"' EXIT; \
	cp -R k8s/. "$$copy"; \
	rm -rf "$$copy/.generated"; mkdir "$$copy/.generated"; \
	cp $(K8S_GENERATED)/redis-auth.env $(K8S_GENERATED)/demo-users.env "$$copy/.generated/"; \
	printf '%s\n' 'images:' '  - name: $(IMAGE_NAME)' '    newName: $(IMAGE_REPOSITORY)' '    newTag: "$(IMAGE_TAG)"' >> "$$copy/kustomization.yaml"; \
	$(KUBECTL) kustomize "$$copy" > $(K8S_RENDERED)
# ANCHOR_END: render

# ANCHOR: deploy
deploy: k8s-need-local-context k8s-need-writable-storage $(K8S_IMAGE_DELIVERY) k8s-render ## Build the image, load it into the local cluster (REGISTRY=...: push it there), apply everything, wait, print the URL
	@echo "==> kubectl apply -f $(K8S_RENDERED)"
	$(KUBECTL) apply -f $(K8S_RENDERED)
	@echo "==> waiting for Redis and the app to be ready (up to $(ROLLOUT_TIMEOUT))"
	$(K8S) rollout status deployment/redis --timeout=$(ROLLOUT_TIMEOUT)
	@echo "$(K8S) rollout status deployment/demo-app --timeout=$(ROLLOUT_TIMEOUT)"
	@$(K8S) rollout status deployment/demo-app --timeout=$(ROLLOUT_TIMEOUT) || { \
	  reasons=$$($(K8S) get pods --selector $(APP_SELECTOR) -o jsonpath='{.items[*].status.containerStatuses[*].state.waiting.reason}' 2>/dev/null || true); \
	  case " $$reasons " in *" ImagePullBackOff "*|*" ErrImagePull "*) \
	    echo "The cluster's nodes cannot pull $(IMAGE) (ImagePullBackOff): make the repository readable by them (public, or an imagePullSecret: kubectl -n $(K8S_NAMESPACE) create secret docker-registry, added to the ServiceAccount demo-app), then make deploy again." >&2;; \
	  esac; exit 1; }
	@url=$$($(MAKE) --no-print-directory --silent url) && echo "The app: $$url/  (in a shell: APP=\$$(make url))" || true
	@echo "Logins: make credentials.  Watch: make status.  Remove: make undeploy."
# ANCHOR_END: deploy

# Only the address on stdout (`APP=$(make url)`); the check's progress
# line and every hint go to stderr.
url: k8s-need-reachable ## Print the app's address alone, for APP=$(make url): recorded by make cluster, or the LoadBalancer's
	@$(K8S_APP_URL); echo "$$url"

redis-deploy: k8s-need-local-context k8s-need-writable-storage secrets ## Deploy only Redis (namespace, Secret, PVC, Deployment, Service, NetworkPolicy)
	@echo "==> applying the namespace and the objects labelled $(REDIS_SELECTOR)"
	$(KUBECTL) apply -f k8s/namespace.yaml
	$(KUBECTL) apply -k k8s --selector $(REDIS_SELECTOR)
	$(K8S) rollout status deployment/redis --timeout=$(ROLLOUT_TIMEOUT)

# ---------------------------------------------------------------------------
# Look and change

##@ Look
status: k8s-need-cluster ## Show the kit's objects: Deployments, ReplicaSets, pods, Services, PVC, HPA, PDB
	@echo "==> kubectl -n $(K8S_NAMESPACE) get deployments,replicasets,pods,services,pvc,hpa,pdb"
	@$(K8S) get deployments,replicasets,pods,services,pvc,hpa,pdb -o wide

logs: k8s-need-cluster ## Follow the logs of every app pod (Ctrl-C stops)
	@echo "==> kubectl -n $(K8S_NAMESPACE) logs -l $(APP_SELECTOR) --prefix -f"
	$(K8S) logs --selector $(APP_SELECTOR) --prefix --follow --tail=20 --max-log-requests=20

##@ Experiment
scale: k8s-need-local-context ## Set the number of app pods: make scale N=3
	@case "$(N)" in ''|*[!0-9]*) echo "Say how many pods: make scale N=3." >&2; exit 1;; esac
	@if $(K8S) get hpa demo-app >/dev/null 2>&1; then echo "Note: the HPA demo-app owns the replica count and will change it again (make hpa-delete to stop it)."; fi
	@echo "==> scaling deployment/demo-app to $(N) pods"
	$(K8S) scale deployment/demo-app --replicas=$(N)
	$(K8S) rollout status deployment/demo-app --timeout=$(ROLLOUT_TIMEOUT)

restart: k8s-need-local-context ## Replace every app pod with a rolling update (picks up ConfigMap and Secret changes)
	@echo "==> kubectl rollout restart deployment/demo-app"
	$(K8S) rollout restart deployment/demo-app
	$(K8S) rollout status deployment/demo-app --timeout=$(ROLLOUT_TIMEOUT)

##@ Look
rollout-status: k8s-need-cluster ## Follow the app's current rollout, then show its revision history
	@echo "==> kubectl rollout status deployment/demo-app"
	$(K8S) rollout status deployment/demo-app --timeout=$(ROLLOUT_TIMEOUT)
	$(K8S) rollout history deployment/demo-app

##@ Experiment
undo: k8s-need-local-context ## Roll the app back to its previous revision
	@echo "==> kubectl rollout undo deployment/demo-app"
	$(K8S) rollout undo deployment/demo-app
	$(K8S) rollout status deployment/demo-app --timeout=$(ROLLOUT_TIMEOUT)

##@ Look
redis-status: k8s-need-cluster ## Show Redis's pod, Service and volume, and ask Redis itself (PING, key count)
	@echo "==> kubectl -n $(K8S_NAMESPACE) get deployment,pods,service,pvc,networkpolicy -l $(REDIS_SELECTOR)"
	@$(K8S) get deployment,pods,service,pvc,networkpolicy --selector $(REDIS_SELECTOR)
	@echo "==> redis-cli PING and DBSIZE inside the Redis pod"
	@$(K8S) exec deployment/redis -- sh -c 'export REDISCLI_AUTH="$$(cat /etc/redis-auth/REDIS_PASSWORD)"; redis-cli ping; echo "keys: $$(redis-cli dbsize)"'

# ---------------------------------------------------------------------------
# Autoscaling

##@ Experiment
# ANCHOR: metrics-server
metrics-server: k8s-need-local-context ## Install metrics-server (what the HPA and kubectl top read CPU use from)
	@context=$$($(KUBECTL) config current-context); \
	case "$$context" in \
	  minikube) echo "==> minikube addons enable metrics-server"; minikube addons enable metrics-server;; \
	  k3d-*) echo "==> k3d clusters ship metrics-server: waiting for k3s to create it (it does once its API server is up)"; \
	     $(KUBECTL) -n kube-system wait --for=create deployment/metrics-server --timeout=120s;; \
	  *) echo "==> installing metrics-server $(METRICS_SERVER_VERSION) into kube-system"; \
	     $(KUBECTL) apply -f https://github.com/kubernetes-sigs/metrics-server/releases/download/$(METRICS_SERVER_VERSION)/components.yaml; \
	     if $(KUBECTL) -n kube-system get deployment metrics-server -o jsonpath='{.spec.template.spec.containers[0].args}' | grep -q -- --kubelet-insecure-tls; then :; else \
	       echo "==> local kubelets serve self-signed certificates: adding --kubelet-insecure-tls"; \
	       $(KUBECTL) -n kube-system patch deployment metrics-server --type=json \
	         -p '[{"op":"add","path":"/spec/template/spec/containers/0/args/-","value":"--kubelet-insecure-tls"}]'; \
	     fi;; \
	esac
	$(KUBECTL) -n kube-system rollout status deployment/metrics-server --timeout=$(ROLLOUT_TIMEOUT)
	@echo "Metrics appear about a minute later: kubectl top pods -n $(K8S_NAMESPACE)"
# ANCHOR_END: metrics-server

hpa: k8s-need-local-context ## Apply the HorizontalPodAutoscaler (2-10 pods at 50% CPU); needs metrics-server
	@$(KUBECTL) get apiservice v1beta1.metrics.k8s.io >/dev/null 2>&1 || { echo "metrics-server is missing: run make metrics-server first (without it the HPA cannot see CPU use)." >&2; exit 1; }
	@echo "==> kubectl apply -f k8s/hpa/hpa.yaml"
	$(KUBECTL) apply -f k8s/hpa/hpa.yaml
	@echo "Now: make load in one terminal, make hpa-status (or kubectl -n $(K8S_NAMESPACE) get hpa -w) in another."

##@ Look
hpa-status: k8s-need-cluster ## Show the HPA's targets, replica counts and recent decisions, and the pods' CPU use
	@echo "==> kubectl -n $(K8S_NAMESPACE) get hpa demo-app"
	@$(K8S) get hpa demo-app || { echo "No HPA yet: make hpa." >&2; exit 1; }
	@echo "==> its conditions and events"
	@$(K8S) describe hpa demo-app | sed -n '/^Conditions:/,$$p'
	@echo "==> kubectl top pods"
	@$(K8S) top pods --selector $(APP_SELECTOR) 2>/dev/null || echo "(no metrics yet: metrics-server needs about a minute)"

##@ Experiment
hpa-delete: k8s-need-local-context ## Remove the HPA (the Deployment keeps its current replica count)
	@echo "==> kubectl delete -f k8s/hpa/hpa.yaml"
	$(KUBECTL) delete -f k8s/hpa/hpa.yaml --ignore-not-found

# ANCHOR: ingress
# The kit's ingress controller: Traefik v3 serving the Ingress API, from
# plain manifests (k8s/ingress/: namespace first, then the rest). Its HTTPS
# nodePort is published by make cluster on 127.0.0.1:INGRESS_HOST_PORT.
##@ Experiment
ingress: k8s-need-local-context ## Install the kit's ingress controller (Traefik, IngressClass traefik, k8s/ingress/) and wait for it
	@echo "==> kubectl apply -f k8s/ingress/ (Traefik, IngressClass traefik, HTTPS on nodePort $(INGRESS_NODE_PORT))"
	$(KUBECTL) apply -f k8s/ingress/namespace.yaml
	$(KUBECTL) apply -f k8s/ingress/
	$(KUBECTL) --namespace traefik rollout status deployment/traefik --timeout=$(ROLLOUT_TIMEOUT)
	@echo "Ingresses of class traefik answer over HTTPS on port $(INGRESS_HOST_PORT) of 127.0.0.1 (curl --resolve HOST:$(INGRESS_HOST_PORT):127.0.0.1 https://HOST:$(INGRESS_HOST_PORT)/) on clusters from make cluster;"
	@echo "elsewhere (Docker Desktop) first run, in another terminal: kubectl -n traefik port-forward service/traefik $(INGRESS_HOST_PORT):443"
# ANCHOR_END: ingress

# ANCHOR: reset
# `make reset`: the deployed kit back to the walkthrough's starting state,
# whatever a chapter's Try it left behind; safe to run twice.
# The guide's example objects: every manifest under k8s/examples/ (kit-check
# checks that none of them names an object of the kit itself).
K8S_EXAMPLES := $(sort $(filter-out %/kustomization.yaml,$(wildcard k8s/examples/*.yaml k8s/examples/*/*.yaml)))
# The node taints and labels the guide's examples ask the reader to set,
# read from the examples themselves (kubectl label --local reads files
# without a cluster): the keys their pods tolerate and the keys of their
# node affinity, less Kubernetes' own (`*kubernetes.io/*`, `*k8s.io/*`:
# node-role, not-ready, hostname...). $(1): a jsonpath over one object.
K8S_EXAMPLE_NODE_KEYS = $(KUBECTL) label --local $(addprefix -f ,$(K8S_EXAMPLES)) kit-reset=read -o jsonpath='$(1)' | tr ' ' '\n' | { grep -v -e 'kubernetes\.io/' -e 'k8s\.io/' -e '^$$' || true; } | sort -u
K8S_TOLERATED_KEYS := {.spec.template.spec.tolerations[*].key}{" "}{.spec.tolerations[*].key}{"\n"}
K8S_AFFINITY_KEYS := {.spec.template.spec.affinity.nodeAffinity..matchExpressions[*].key}{" "}{.spec.affinity.nodeAffinity..matchExpressions[*].key}{"\n"}
# The rendered Deployments and ConfigMap alone (kustomize's output: `---`
# between documents, `kind:` at the start of a line).
K8S_RENDERED_WORKLOADS = awk 'function flush() { if (keep) printf "---\n%s", doc; doc = ""; keep = 0 } \
	/^---$$/ { flush(); next } /^kind: (Deployment|ConfigMap)$$/ { keep = 1 } { doc = doc $$0 "\n" } END { flush() }' $(K8S_RENDERED)

##@ Experiment
reset: k8s-need-local-context ## Bring the deployed kit back to the walkthrough's start: 5 app pods, no HPA, no example objects, nodes schedulable (safe to run twice)
	@[ -s $(K8S_RENDERED) ] || { echo "make reset re-applies what the last make deploy rendered ($(K8S_RENDERED)), and there is none here: run make deploy." >&2; exit 1; }
	@$(K8S) get deployment demo-app >/dev/null 2>&1 || { echo "The kit is not deployed on context '$$($(KUBECTL) config current-context)' (no deployment/demo-app in namespace $(K8S_NAMESPACE)): run make deploy first." >&2; exit 1; }
	@echo "==> removing the HPA and the guide's example objects (k8s/examples/)"
	$(KUBECTL) delete -f k8s/hpa/hpa.yaml --ignore-not-found
	$(KUBECTL) delete --ignore-not-found --wait=false $(addprefix -f ,$(K8S_EXAMPLES))
	@echo "==> nodes: uncordoning, removing the taints and labels the examples ask for"
	@for node in $$($(KUBECTL) get nodes -o jsonpath='{range .items[?(@.spec.unschedulable==true)]}{.metadata.name}{" "}{end}'); do \
	  $(KUBECTL) uncordon "$$node"; \
	done
	@taints=$$($(call K8S_EXAMPLE_NODE_KEYS,$(K8S_TOLERATED_KEYS))); \
	labels=$$($(call K8S_EXAMPLE_NODE_KEYS,$(K8S_AFFINITY_KEYS))); \
	$(KUBECTL) get nodes -o jsonpath='{range .items[*]}{.metadata.name}{" taints:"}{.spec.taints[*].key}{"\n"}{end}' | while read -r node keys; do \
	  for key in $$taints; do case " $${keys#taints:} " in *" $$key "*) $(KUBECTL) taint nodes "$$node" "$$key-";; esac; done; \
	done; \
	for key in $$labels; do \
	  for node in $$($(KUBECTL) get nodes --selector "$$key" -o jsonpath='{.items[*].metadata.name}'); do $(KUBECTL) label nodes "$$node" "$$key-"; done; \
	done
	@echo "==> the kit as the last make deploy rendered it ($(K8S_RENDERED))"
	@before=$$($(K8S) get deployment demo-app -o jsonpath='{.spec.template}'); \
	echo "kubectl apply -f $(K8S_RENDERED)"; \
	$(KUBECTL) apply -f $(K8S_RENDERED); \
	echo "kubectl replace --save-config: its Deployments and ConfigMap, whole (apply leaves fields that others set, such as kubectl set env)"; \
	$(K8S_RENDERED_WORKLOADS) | $(KUBECTL) replace --save-config -f -; \
	if [ "$$($(K8S) get deployment demo-app -o jsonpath='{.spec.template}')" = "$$before" ]; then \
	  echo "==> the app's pod template was the kit's already: restarting the pods, so their probe and chaos switches start afresh"; \
	  $(K8S) rollout restart deployment/demo-app; \
	else echo "==> the app's pod template is the kit's again: its rollout replaces every pod"; fi
	$(K8S) rollout status deployment/redis --timeout=$(ROLLOUT_TIMEOUT)
	$(K8S) rollout status deployment/demo-app --timeout=$(ROLLOUT_TIMEOUT)
	@echo "Reset: the kit as make deploy left it (HPA and example objects removed, nodes schedulable, fresh app pods)."
# ANCHOR_END: reset

# ANCHOR: load
# CPU load for the HPA: WORKERS parallel loops of /stress calls, each burning
# STRESS_SECONDS of CPU, until DURATION seconds have passed.
DURATION ?= 120
WORKERS ?= 4
STRESS_SECONDS ?= 10
load: k8s-need-cluster ## Drive CPU load for DURATION s (default 120) so the HPA scales up; URL=... to target another address
	@command -v curl >/dev/null || { echo "curl is missing: install it (Debian/Ubuntu: apt-get install curl; macOS ships it)." >&2; exit 1; }
	@$(K8S_APP_URL); \
	echo "==> $(WORKERS) workers calling $$url/stress?seconds=$(STRESS_SECONDS) for $(DURATION) s"; \
	echo "    Watch in another terminal: make hpa-status, or kubectl -n $(K8S_NAMESPACE) get hpa,pods -w"; \
	end=$$(( $$(date +%s) + $(DURATION) )); \
	for worker in $$(seq $(WORKERS)); do \
	  ( while [ "$$(date +%s)" -lt "$$end" ]; do \
	      curl -s -o /dev/null --max-time $$(( $(STRESS_SECONDS) + 15 )) -w "worker $$worker: %{http_code} in %{time_total}s\n" "$$url/stress?seconds=$(STRESS_SECONDS)" || sleep 1; \
	    done ) & \
	done; \
	wait; \
	echo "==> load finished; the HPA scales down after its 60 s stabilization window"
# ANCHOR_END: load

##@ Test
test-e2e: k8s-need-cluster ## Run the demo-app's HTTP tests against the deployed app (URL=... to target another address)
	@$(K8S_APP_URL); \
	login=""; \
	if [ -s $(K8S_GENERATED)/demo-users.env ]; then \
	  login=$$(sed -e 's/^DEMO_USERS=//' -e 's/,.*//' $(K8S_GENERATED)/demo-users.env); \
	fi; \
	echo "==> demo-app tests against $$url (tests that need to start or stop processes are skipped)"; \
	[ -n "$$login" ] && echo "    logging in as $${login%%:*} (from $(K8S_GENERATED)/demo-users.env)"; \
	E2E_BASE_URL="$$url" E2E_LOGIN="$$login" $(CARGO) test -p demo-app --locked

# ---------------------------------------------------------------------------
# Tear down

##@ Clean up
undeploy: k8s-need-local-context ## Delete the namespace k8s-demo and everything in it (Redis's data too); the cluster stays
	@echo "==> kubectl delete namespace $(K8S_NAMESPACE) (deletes every object in it, the PVC and its data included)"
	$(KUBECTL) delete namespace $(K8S_NAMESPACE) --ignore-not-found --wait
	@echo "The generated credentials stay in $(K8S_GENERATED)/ for the next deploy (make clean forgets them)."
