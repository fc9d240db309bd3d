# Create and delete a local cluster the whole guide works on (included by
# k8s/k8s.mk; the facts each flavour needs live in k8s/flavours.mk).
#
# `make cluster` gives: Kubernetes 1.34 (pinned node image), the app
# reachable from the host on a printed http://localhost:PORT, NetworkPolicy
# enforced where the flavour can, metrics-server ready for the HPA chapter.
# Running it again on an existing cluster only redoes the checks and the
# set-up, so it is safe to repeat.

# The flavour: what the reader names, else the first cluster tool installed,
# else Docker Desktop (whose cluster is switched on in its settings).
FLAVOUR ?= $(firstword $(foreach tool,kind k3d minikube,$(if $(shell command -v $(tool) 2>/dev/null),$(tool))) docker-desktop)

# Shell test: is the docker-desktop context Docker Desktop's kind mode?
# (Its nodes are desktop-control-plane, desktop-worker...; kubeadm mode has
# one node named docker-desktop.)
K8S_DOCKER_DESKTOP_KIND_MODE = $(KUBECTL) get node desktop-control-plane >/dev/null 2>&1

.PHONY: cluster cluster-delete cluster-kind cluster-k3d cluster-minikube cluster-docker-desktop \
	cluster-delete-kind cluster-delete-k3d cluster-delete-minikube cluster-delete-docker-desktop \
	cluster-tool doctor k8s-need-flavour k8s-need-flavour-tool k8s-cluster-finish

##@ Get a cluster
cluster: k8s-need-flavour k8s-need-kubectl ## Create a local Kubernetes 1.34 cluster for the guide: FLAVOUR=kind|k3d|minikube|docker-desktop (default: the first installed)
	@port=$(APP_HOST_PORT); \
	if [ "$(origin APP_HOST_PORT)" = file ]; then \
	  published=$$($(DOCKER) port $(K8S_APP_PUBLISHER) 2>/dev/null | sed -n 's/^127\.0\.0\.1://p' | head -n 1) || published=; \
	  port=$${published:-$$port}; \
	fi; \
	$(MAKE) --no-print-directory cluster-$(FLAVOUR) APP_HOST_PORT=$$port && \
	$(MAKE) --no-print-directory k8s-cluster-finish APP_HOST_PORT=$$port

# The container and port through which an existing cluster of the flavour
# publishes the app (`docker port` answers the host address). Without
# APP_HOST_PORT given, make cluster keeps the port the cluster was created
# with, so a plain make cluster after APP_HOST_PORT=8082 make cluster reuses
# it (and records http://localhost:8082 again).
K8S_APP_PUBLISHER = $(if $(filter kind,$(FLAVOUR)),$(CLUSTER_NAME)-control-plane $(APP_NODE_PORT)/tcp,$(if $(filter k3d,$(FLAVOUR)),k3d-$(CLUSTER_NAME)-serverlb 80/tcp,$(if $(filter minikube,$(FLAVOUR)),$(MINIKUBE_PUBLISHER) $(APP_NODE_PORT)/tcp,none 0/tcp)))

##@ Clean up
cluster-delete: k8s-need-flavour ## Delete the cluster make cluster created (FLAVOUR as for make cluster), with everything in it
	@$(MAKE) --no-print-directory cluster-delete-$(FLAVOUR)

##@ Get a cluster
# Where `make cluster-tool` puts the tool (on PATH on most Linux systems and
# on GitHub's runners).
TOOL_DIR ?= $(HOME)/.local/bin

cluster-tool: k8s-need-flavour ## Install FLAVOUR's tool (kind, k3d or minikube), pinned, into ~/.local/bin (Linux x86-64; CI uses it)
	@command -v curl >/dev/null || { echo "curl is missing: install it (Debian/Ubuntu: apt-get install curl)." >&2; exit 1; }
	@case "$(FLAVOUR)" in \
	  kind) url=https://kind.sigs.k8s.io/dl/$(KIND_VERSION)/kind-linux-amd64;; \
	  k3d) url=https://github.com/k3d-io/k3d/releases/download/$(K3D_VERSION)/k3d-linux-amd64;; \
	  minikube) url=https://storage.googleapis.com/minikube/releases/$(MINIKUBE_VERSION)/minikube-linux-amd64;; \
	  *) echo "FLAVOUR=$(FLAVOUR) has no tool to install: Docker Desktop's cluster is switched on in its settings." >&2; exit 1;; \
	esac; \
	mkdir -p $(TOOL_DIR); \
	echo "==> downloading $$url into $(TOOL_DIR)/$(FLAVOUR)"; \
	curl -fsSL -o $(TOOL_DIR)/$(FLAVOUR) "$$url"; \
	chmod +x $(TOOL_DIR)/$(FLAVOUR)

# ---------------------------------------------------------------------------
# make doctor: what following along needs, checked on the reader's machine.
# One shell function per check, each with one job: it prints "ok: ..." or
# one sentence saying what is wrong and what to do ("problem: ...", on
# stderr, counted). The facts come from flavours.mk: the tools' pinned
# versions, the ports, NODES and the memory a node takes.
K8S_KIT_CONTEXTS := kind-$(CLUSTER_NAME) k3d-$(CLUSTER_NAME) $(MINIKUBE_PROFILE) docker-desktop
# The containers that publish the kit's ports on the host: kind's control
# plane, k3d's load balancer, the publisher container next to minikube.
K8S_KIT_CONTAINERS := $(CLUSTER_NAME)-control-plane k3d-$(CLUSTER_NAME)-serverlb $(MINIKUBE_PROFILE)-k8s-demo-ports
# The kernel's inotify limits (Linux, WSL 2); absent on macOS.
K8S_INOTIFY ?= /proc/sys/fs/inotify

define K8S_DOCTOR
problems=0
ok() { echo "  ok: $$*"; }
problem() { echo "  problem: $$*" >&2; problems=$$((problems + 1)); }
# at_least HAVE WANT: version HAVE (v1.2.3) is WANT or newer.
at_least() { [ "$$(printf '%s\n' "$${2#v}" "$${1#v}" | sort -V | head -n 1)" = "$${2#v}" ]; }

check_docker() {
  command -v $(DOCKER) >/dev/null || { problem "docker is missing: install Docker Desktop (macOS, Windows with WSL2) or Docker Engine (Linux) from https://docs.docker.com/get-docker/."; return 1; }
  $(DOCKER) info >/dev/null 2>&1 || { problem "The Docker daemon does not answer: start Docker Desktop (or, on Linux, sudo systemctl start docker)."; return 1; }
  ok "docker answers"
}

# What Docker may use (Docker Desktop's Settings > Resources; the machine's
# memory on Linux) against what NODES nodes take.
check_memory() {
  nodes=$(NODES); [ "$(FLAVOUR)" != docker-desktop ] || nodes=1
  need=$$((nodes * $(NODE_MEMORY_MIB)))
  have=$$($(DOCKER) info --format '{{.MemTotal}}' 2>/dev/null); case "$$have" in ''|*[!0-9]*) have=0;; esac; have=$$((have / 1048576))
  if [ "$$have" -ge "$$need" ]; then ok "Docker may use $$have MiB of memory ($$nodes node(s) take about $$need MiB)"
  elif [ "$$nodes" -gt 1 ]; then problem "Docker may use $$have MiB of memory and $$nodes nodes take about $$need MiB: give Docker more (Docker Desktop > Settings > Resources) or create a single node with NODES=1 make cluster."
  else problem "Docker may use $$have MiB of memory and one node takes about $$need MiB: give Docker more (Docker Desktop > Settings > Resources)."; fi
}

# kubectl within one minor version of the one the guide teaches.
check_kubectl() {
  command -v $(KUBECTL) >/dev/null || { problem "kubectl is missing: install a 1.$$(($(KUBERNETES_MINOR) - 1)) to 1.$$(($(KUBERNETES_MINOR) + 1)) kubectl from https://kubernetes.io/docs/tasks/tools/."; return; }
  minor=$$($(KUBECTL) version --client -o json 2>/dev/null | sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p' | head -n 1)
  if [ -n "$$minor" ] && [ "$$minor" -ge $$(($(KUBERNETES_MINOR) - 1)) ] && [ "$$minor" -le $$(($(KUBERNETES_MINOR) + 1)) ]; then
    ok "kubectl 1.$$minor (within one minor version of 1.$(KUBERNETES_MINOR))"
  else problem "kubectl 1.$${minor:-?} is not within one minor version of the Kubernetes 1.$(KUBERNETES_MINOR) the kit runs: install a 1.$$(($(KUBERNETES_MINOR) - 1)) to 1.$$(($(KUBERNETES_MINOR) + 1)) kubectl from https://kubernetes.io/docs/tasks/tools/."; fi
}

# The flavour's tool, as recent as the one the pinned node image needs.
check_tool() {
  case "$(FLAVOUR)" in
    kind) want=$(KIND_VERSION); where=https://kind.sigs.k8s.io/docs/user/quick-start/#installation;;
    k3d) want=$(K3D_VERSION); where=https://k3d.io/#installation;;
    minikube) want=$(MINIKUBE_VERSION); where=https://minikube.sigs.k8s.io/docs/start/;;
    *) if $(KUBECTL) config get-contexts docker-desktop >/dev/null 2>&1; then ok "Docker Desktop's Kubernetes is on"; return; fi
       problem "Docker Desktop's Kubernetes is off: turn it on in Docker Desktop > Settings > Kubernetes (kubeadm, or kind with version 1.$(KUBERNETES_MINOR)), or install kind, k3d or minikube."; return;;
  esac
  command -v $(FLAVOUR) >/dev/null || { problem "$(FLAVOUR) is missing (make cluster uses kind, k3d or minikube, whichever is installed): install $(FLAVOUR) $$want or later from $$where."; return; }
  case "$(FLAVOUR)" in
    kind) have=$$(kind version 2>/dev/null | awk '{print $$2}');;
    k3d) have=$$(k3d version 2>/dev/null | awk '/^k3d version/ {print $$3}');;
    minikube) have=$$(minikube version --short 2>/dev/null);;
  esac
  if [ -n "$$have" ] && at_least "$$have" "$$want"; then ok "$(FLAVOUR) $$have (FLAVOUR=$(FLAVOUR); $$want or later)"
  else problem "$(FLAVOUR) $${have:-(version unknown)} is older than $$want, which the pinned Kubernetes 1.$(KUBERNETES_MINOR) node image needs: update it from $$where (on Linux x86-64, make cluster-tool FLAVOUR=$(FLAVOUR) installs it)."; fi
}

# A host port make cluster publishes: free, or published by the kit's own
# cluster already. (bash connects to 127.0.0.1:PORT: refused means free.)
check_port() {
  port=$$1 variable=$$2
  holder=$$($(DOCKER) ps --filter "publish=$$port" --format '{{.Names}}' 2>/dev/null | head -n 1)
  case " $(K8S_KIT_CONTAINERS) " in *" $$holder "*) [ -z "$$holder" ] || { ok "port $$port is the kit's cluster's ($$holder)"; return; };; esac
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$$port") 2>/dev/null; then ok "port $$port is free"; return; fi
  problem "Port $$port is taken$${holder:+ by the container $$holder}: stop what holds it, or have make cluster use another one, e.g. $$variable=$$((port + 2)) make cluster."
}

# GNU make 3.82 or later: 3.81 (macOS's /usr/bin/make) ignores .SHELLFLAGS,
# so a recipe's failing command in a pipe would go unnoticed.
check_make() {
  if at_least "$(MAKE_VERSION)" 3.82; then ok "GNU make $(MAKE_VERSION)"
  else problem "GNU make $(MAKE_VERSION) ignores the .SHELLFLAGS the kit's recipes rely on (stop at the first failure): install a newer one (macOS: brew install make, then put \"$$(brew --prefix 2>/dev/null || echo /opt/homebrew)/opt/make/libexec/gnubin\" first on your PATH) and run make from a new shell."; fi
}

# docker buildx: make deploy builds with docker build --provenance=false,
# which needs the Buildx plugin.
check_buildx() {
  if $(DOCKER) buildx version >/dev/null 2>&1; then ok "docker buildx answers"
  else problem "docker buildx is missing (make deploy builds the image with it): install the Buildx plugin (Docker Desktop includes it; Docker Engine: the docker-buildx-plugin package, https://docs.docker.com/build/install-buildx/)."; fi
}

# kind on Linux (and WSL 2): each node's kubelet and containers use inotify,
# and the kernel's default limits run out with three nodes ("too many open
# files", kind's Known Issues). K8S_INOTIFY is where the limits are read.
check_inotify() {
  [ -r $(K8S_INOTIFY)/max_user_watches ] && [ -r $(K8S_INOTIFY)/max_user_instances ] || return 0
  watches=$$(cat $(K8S_INOTIFY)/max_user_watches) instances=$$(cat $(K8S_INOTIFY)/max_user_instances)
  if [ "$$watches" -ge 524288 ] && [ "$$instances" -ge 512 ]; then ok "inotify limits $$watches watches, $$instances instances (kind needs 524288 and 512)"
  else problem "The kernel's inotify limits ($$watches watches, $$instances instances) are below what kind's nodes need (524288 and 512; otherwise pods fail with \"too many open files\"): sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512, and add both settings to a file in /etc/sysctl.d/ to keep them."; fi
}

# The current context: none yet is fine (make cluster selects its own); the
# kit's must answer.
check_context() {
  context=$$($(KUBECTL) config current-context 2>/dev/null) || { ok "no kube context yet (make cluster creates the kit's cluster and selects it)"; return; }
  case " $(K8S_KIT_CONTEXTS) " in
    *" $$context "*) if $(KUBECTL) get --raw=/readyz --request-timeout=5s >/dev/null 2>&1; then ok "context $$context answers"
      else problem "The kit's cluster (context $$context) does not answer: start Docker, then make cluster (it restarts or recreates what is missing)."; fi;;
    *) ok "context $$context is not one the kit makes: make cluster selects its own (make deploy refuses other clusters)";;
  esac
}

echo "==> make doctor (FLAVOUR=$(FLAVOUR), NODES=$(NODES)): what following along needs"
check_make
if check_docker; then check_memory; check_buildx; fi
check_kubectl
check_tool
[ "$(FLAVOUR)" != kind ] || check_inotify
if [ "$(FLAVOUR)" != docker-desktop ]; then
  check_port $(APP_HOST_PORT) APP_HOST_PORT
  check_port $(INGRESS_HOST_PORT) INGRESS_HOST_PORT
fi
command -v $(KUBECTL) >/dev/null && check_context
if [ "$$problems" = 0 ]; then echo "everything the kit needs is here"
else echo "$$problems problem(s), each with what to do above; make doctor again once fixed." >&2; exit 1; fi
endef
export K8S_DOCTOR

##@ Get a cluster
doctor: k8s-need-flavour ## Check what following along needs (GNU make, Docker, buildx and memory, kubectl, kind/k3d/minikube, inotify limits for kind on Linux, free ports, the context); one sentence per problem
	@eval "$$K8S_DOCTOR"

# ---------------------------------------------------------------------------
# Prerequisites

k8s-need-flavour:
	@case " $(FLAVOURS) " in *" $(FLAVOUR) "*) ;; *) echo "FLAVOUR=$(FLAVOUR) is not a cluster the kit knows: use one of $(FLAVOURS)." >&2; exit 1;; esac
	@case "$(NODES)" in ''|0|*[!0-9]*) echo "NODES=$(NODES) is not a number of nodes: use NODES=3 (the default: a control plane and two workers) or NODES=1 for one node." >&2; exit 1;; esac

# The flavour's own tool (kind, k3d or minikube) and a Docker that answers.
k8s-need-flavour-tool: k8s-need-docker
	@case "$(FLAVOUR)" in \
	  kind) command -v kind >/dev/null || { echo "kind is missing: install it from https://kind.sigs.k8s.io/docs/user/quick-start/#installation." >&2; exit 1; };; \
	  k3d) command -v k3d >/dev/null || { echo "k3d is missing: install it from https://k3d.io/#installation." >&2; exit 1; };; \
	  minikube) command -v minikube >/dev/null || { echo "minikube is missing: install it from https://minikube.sigs.k8s.io/docs/start/." >&2; exit 1; };; \
	esac

# ---------------------------------------------------------------------------
# One recipe per flavour

# A cluster that exists already is reused only if it publishes what the kit
# needs: the app's port and the ingress controller's, each on 127.0.0.1 at
# the host port flavours.mk gives. `docker port CONTAINER PORT/tcp` prints
# the host addresses a container port is published on. Arguments: the
# flavour, the node (or load balancer) container, its port for the app.
K8S_CHECK_PUBLISHED = { $(DOCKER) port $(2) $(3)/tcp 2>/dev/null | grep -qx '127.0.0.1:$(APP_HOST_PORT)' && \
	  $(DOCKER) port $(2) $(INGRESS_NODE_PORT)/tcp 2>/dev/null | grep -qx '127.0.0.1:$(INGRESS_HOST_PORT)'; } || { \
	  echo "The $(1) cluster '$(CLUSTER_NAME)' exists without the kit's ports (the app on 127.0.0.1:$(APP_HOST_PORT), the ingress on 127.0.0.1:$(INGRESS_HOST_PORT)), which only its creation sets: give make cluster the APP_HOST_PORT and INGRESS_HOST_PORT it was created with, or run make cluster-delete FLAVOUR=$(1) (this deletes everything in it) and then make cluster FLAVOUR=$(1) again." >&2; exit 1; }

# kind: one control-plane node and NODES-1 workers, the pinned image; the
# control plane publishes the app's and the ingress controller's nodePorts
# on 127.0.0.1 (a nodePort is open on every node, so the pods may run on the
# workers).
cluster-kind: k8s-need-flavour-tool
	@if kind get clusters 2>/dev/null | grep -qx '$(CLUSTER_NAME)'; then \
	  echo "==> kind cluster $(CLUSTER_NAME) exists: using it"; \
	  $(call K8S_CHECK_PUBLISHED,kind,$(CLUSTER_NAME)-control-plane,$(APP_NODE_PORT)); \
	  $(KUBECTL) config use-context kind-$(CLUSTER_NAME) >/dev/null; \
	else \
	  mkdir -p $(K8S_GENERATED); \
	  { printf '%s\n' 'kind: Cluster' 'apiVersion: kind.x-k8s.io/v1alpha4' 'nodes:' '  - role: control-plane' '    extraPortMappings:'; \
	    for pair in $(APP_NODE_PORT):$(APP_HOST_PORT) $(INGRESS_NODE_PORT):$(INGRESS_HOST_PORT); do \
	      printf '%s\n' "      - containerPort: $${pair%%:*}" "        hostPort: $${pair##*:}" '        listenAddress: "127.0.0.1"' '        protocol: TCP'; \
	    done; \
	    for worker in $$(seq 2 $(NODES)); do echo '  - role: worker'; done; \
	  } > $(K8S_GENERATED)/kind-cluster.yaml; \
	  echo "==> kind create cluster --name $(CLUSTER_NAME) --image $(KIND_NODE_IMAGE) ($(NODES) nodes: $(K8S_GENERATED)/kind-cluster.yaml)"; \
	  kind create cluster --name $(CLUSTER_NAME) --image $(KIND_NODE_IMAGE) --config $(K8S_GENERATED)/kind-cluster.yaml --wait 120s; \
	fi

# k3d: one server and NODES-1 agents; Traefik off (its load balancer would
# hold ports 80 and 443 on every node and leave the app's LoadBalancer
# Service pending); k3d's load balancer publishes, on 127.0.0.1, the app
# Service's port 80 and the ingress controller's nodePort.
cluster-k3d: k8s-need-flavour-tool
	@if k3d cluster get $(CLUSTER_NAME) >/dev/null 2>&1; then \
	  echo "==> k3d cluster $(CLUSTER_NAME) exists: using it"; \
	  $(call K8S_CHECK_PUBLISHED,k3d,k3d-$(CLUSTER_NAME)-serverlb,80); \
	  $(KUBECTL) config use-context k3d-$(CLUSTER_NAME) >/dev/null; \
	  if $(KUBECTL) -n kube-system get deployment traefik >/dev/null 2>&1; then \
	    echo "The k3d cluster '$(CLUSTER_NAME)' runs Traefik, whose load balancer holds port 80 on every node and keeps the app's Service pending: run make cluster-delete FLAVOUR=k3d (this deletes everything in it), then make cluster FLAVOUR=k3d again." >&2; exit 1; \
	  fi; \
	else \
	  echo "==> k3d cluster create $(CLUSTER_NAME) --image $(K3S_IMAGE) --agents $$(( $(NODES) - 1 )) (Traefik disabled)"; \
	  k3d cluster create $(CLUSTER_NAME) --image $(K3S_IMAGE) --agents $$(( $(NODES) - 1 )) \
	    --port '127.0.0.1:$(APP_HOST_PORT):80@loadbalancer' \
	    --port '127.0.0.1:$(INGRESS_HOST_PORT):$(INGRESS_NODE_PORT)@loadbalancer' \
	    --k3s-arg '--disable=traefik@server:*' --wait; \
	fi

# minikube: the docker driver, NODES nodes, Calico (the default network
# ignores NetworkPolicy), metrics-server, and local-path storage: minikube's
# own storage-provisioner makes hostPath volumes on whichever node the pod
# lands and does not work across several nodes (kubernetes/minikube#12165),
# so the storage-provisioner-rancher addon (rancher's local-path, volumes
# on the pod's node, directories created 0777) becomes the default class.
# The profile is minikube's default, so the guide's plain `minikube ...`
# commands reach it. A cluster that already exists keeps the network it was
# created with (minikube start ignores --cni then), so Calico is checked.
#
# The app's and the ingress controller's nodePorts are published by a small
# container of the kit's own, not by minikube's --ports: minikube gives
# every node the same --ports, so a second node fails with "port is already
# allocated" (kubernetes/minikube#12776, #16766). The container runs socat
# from minikube's own node image (kicbase ships it) on the profile's Docker
# network, forwarding 127.0.0.1:PORT on the host to the first node's
# nodePort, as k3d's load balancer does.
MINIKUBE_PUBLISHER := $(MINIKUBE_PROFILE)-k8s-demo-ports
cluster-minikube: k8s-need-flavour-tool
	@echo "==> minikube start --profile $(MINIKUBE_PROFILE) --nodes $(NODES) --kubernetes-version=$(MINIKUBE_KUBERNETES_VERSION) (docker driver, Calico, metrics-server, local-path storage)"
	@minikube start --profile $(MINIKUBE_PROFILE) --driver=docker --nodes $(NODES) --kubernetes-version=$(MINIKUBE_KUBERNETES_VERSION) \
	  --cni=calico --addons=metrics-server --addons=storage-provisioner-rancher
	@$(KUBECTL) --context $(MINIKUBE_PROFILE) -n kube-system get daemonset calico-node >/dev/null 2>&1 || { \
	  echo "The minikube cluster '$(MINIKUBE_PROFILE)' existed before without Calico (minikube keeps an existing cluster's network): delete it with make cluster-delete FLAVOUR=minikube (this deletes everything in it), then run make cluster FLAVOUR=minikube again." >&2; exit 1; }
	@if ! $(DOCKER) container inspect $(MINIKUBE_PUBLISHER) >/dev/null 2>&1; then \
	  echo "==> publishing the app (127.0.0.1:$(APP_HOST_PORT)) and the ingress controller (127.0.0.1:$(INGRESS_HOST_PORT)) through the container $(MINIKUBE_PUBLISHER)"; \
	  image=$$($(DOCKER) container inspect $(MINIKUBE_PROFILE) --format '{{.Config.Image}}'); \
	  $(DOCKER) run -d --name $(MINIKUBE_PUBLISHER) --network $(MINIKUBE_PROFILE) --restart unless-stopped \
	    -p 127.0.0.1:$(APP_HOST_PORT):$(APP_NODE_PORT) -p 127.0.0.1:$(INGRESS_HOST_PORT):$(INGRESS_NODE_PORT) \
	    --entrypoint sh "$$image" -c 'socat TCP-LISTEN:$(APP_NODE_PORT),fork,reuseaddr TCP:$(MINIKUBE_PROFILE):$(APP_NODE_PORT) & exec socat TCP-LISTEN:$(INGRESS_NODE_PORT),fork,reuseaddr TCP:$(MINIKUBE_PROFILE):$(INGRESS_NODE_PORT)' >/dev/null || { \
	    echo "Docker could not publish 127.0.0.1:$(APP_HOST_PORT) and 127.0.0.1:$(INGRESS_HOST_PORT) for minikube (make doctor says what holds them; a minikube cluster created with --ports holds them itself): free them, or run make cluster-delete FLAVOUR=minikube and make cluster FLAVOUR=minikube again." >&2; exit 1; }; \
	fi
	@$(call K8S_CHECK_PUBLISHED,minikube,$(MINIKUBE_PUBLISHER),$(APP_NODE_PORT))
	@echo "==> local-path as the default StorageClass (minikube's standard class does not work across nodes)"
	@$(KUBECTL) --context $(MINIKUBE_PROFILE) patch storageclass standard -p '{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"false"}}}' >/dev/null
	@$(KUBECTL) --context $(MINIKUBE_PROFILE) patch storageclass local-path -p '{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}' >/dev/null

# Docker Desktop: its cluster is switched on in its settings; this checks it
# and fixes what the kit needs (storage in kubeadm mode, the image store in
# kind mode).
cluster-docker-desktop:
	@$(KUBECTL) config get-contexts docker-desktop >/dev/null 2>&1 || { echo "Docker Desktop's Kubernetes is off: turn it on in Docker Desktop > Settings > Kubernetes (kubeadm, or kind with version 1.$(KUBERNETES_MINOR)), then make cluster FLAVOUR=docker-desktop again." >&2; exit 1; }
	@$(KUBECTL) config use-context docker-desktop >/dev/null
	@$(MAKE) --no-print-directory k8s-need-cluster
	@if $(K8S_DOCKER_DESKTOP_KIND_MODE); then \
	  echo "==> Docker Desktop runs Kubernetes in kind mode (whether it enforces NetworkPolicy is not documented: the NetworkPolicy chapter's test pod tells you)"; \
	  $(DOCKER) info --format '{{json .DriverStatus}}' 2>/dev/null | grep -q 'io.containerd.snapshotter' || \
	    echo "Note: kind mode sees the images you build only with Docker's containerd image store: turn on Settings > General > Use containerd for pulling and storing images."; \
	else \
	  echo "==> Docker Desktop runs Kubernetes in kubeadm mode: installing local-path-provisioner $(LOCAL_PATH_PROVISIONER_VERSION) as the default StorageClass"; \
	  echo "    (hostpath volumes are root-owned 755 directories and ignore fsGroup, so the non-root Redis could not write them)"; \
	  $(KUBECTL) apply -f https://raw.githubusercontent.com/rancher/local-path-provisioner/$(LOCAL_PATH_PROVISIONER_VERSION)/deploy/local-path-storage.yaml; \
	  $(KUBECTL) -n local-path-storage patch configmap local-path-config --type merge -p '{"data":{"config.json":"{\"nodePathMap\":[{\"node\":\"DEFAULT_PATH_FOR_NON_LISTED_NODES\",\"paths\":[\"$(DOCKER_DESKTOP_VOLUME_DIR)\"]}]}"}}'; \
	  $(KUBECTL) -n local-path-storage rollout restart deployment/local-path-provisioner; \
	  $(KUBECTL) -n local-path-storage rollout status deployment/local-path-provisioner --timeout=$(ROLLOUT_TIMEOUT); \
	  $(KUBECTL) patch storageclass hostpath -p '{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"false"}}}'; \
	  $(KUBECTL) patch storageclass local-path -p '{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}'; \
	fi

cluster-delete-kind: k8s-need-flavour-tool
	@echo "==> kind delete cluster --name $(CLUSTER_NAME)"
	@kind delete cluster --name $(CLUSTER_NAME)

cluster-delete-k3d: k8s-need-flavour-tool
	@echo "==> k3d cluster delete $(CLUSTER_NAME)"
	@k3d cluster delete $(CLUSTER_NAME)

cluster-delete-minikube: k8s-need-flavour-tool
	@echo "==> docker rm -f $(MINIKUBE_PUBLISHER); minikube delete --profile $(MINIKUBE_PROFILE)"
	@$(DOCKER) rm -f $(MINIKUBE_PUBLISHER) >/dev/null 2>&1 || true
	@minikube delete --profile $(MINIKUBE_PROFILE)

cluster-delete-docker-desktop:
	@echo "Docker Desktop's cluster is not the kit's to delete: reset or turn it off in Docker Desktop > Settings > Kubernetes (make undeploy removes just the kit)." >&2; exit 1

# ---------------------------------------------------------------------------
# Common to every flavour, once the cluster answers: the version the guide
# is written for, metrics-server, and the ConfigMap kube-public/k8s-learning-kit
# that marks the cluster as the kit's (make try looks for it) with the app's
# address (read by make url, make load and make test-e2e); the address is
# empty on Docker Desktop's kind mode, where make url reads the Service's
# LoadBalancer address instead.
k8s-cluster-finish: k8s-need-cluster
	@minor=$$($(KUBECTL) get --raw /version | sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p'); \
	if [ "$$minor" != "$(KUBERNETES_MINOR)" ]; then \
	  echo "Note: this cluster runs Kubernetes 1.$$minor; the guide states its facts for 1.$(KUBERNETES_MINOR), and some outputs will differ."; \
	fi
	@$(MAKE) --no-print-directory metrics-server
	@url=""; \
	case "$(FLAVOUR)" in \
	  kind|k3d|minikube) url="http://localhost:$(APP_HOST_PORT)";; \
	  docker-desktop) $(K8S_DOCKER_DESKTOP_KIND_MODE) || url="http://localhost";; \
	esac; \
	$(KUBECTL) --namespace kube-public create configmap $(K8S_RECORD) --from-literal=app-url="$$url" --dry-run=client -o yaml | $(KUBECTL) apply -f - >/dev/null; \
	if [ -n "$$url" ]; then \
	  echo "Cluster ready: context $$($(KUBECTL) config current-context). Next: make deploy; the app will answer on $$url/ (APP=\$$(make url) in your shell)."; \
	else \
	  echo "Cluster ready: context $$($(KUBECTL) config current-context). Next: make deploy, then make url for the app's address."; \
	fi
