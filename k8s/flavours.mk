# The four local clusters the guide supports, and what differs between them
# for a reader: the one home of these facts. k8s/cluster.mk reads them to
# create and delete clusters and k8s/k8s.mk to deploy; kit-check's tests
# check the guide's "Which cluster?" table (in
# docs/walkthrough/deploying-and-verifying.md) and k8s/app/service.yaml
# against them. Plain `NAME := value` lines (`NAME ?= value` for a default
# the reader may override from the environment), so both make and the test
# read them; `$(NAME)` refers to an earlier line.

# The guide states its facts for this Kubernetes minor version; kubectl
# supports one minor version of skew either way.
KUBERNETES_MINOR := 34
# The cluster `make cluster` creates (kind and k3d prefix the context name
# with kind- and k3d-; minikube's context is its profile name).
CLUSTER_NAME := k8s-demo
MINIKUBE_PROFILE := minikube
# Where the app answers on the clusters `make cluster` creates: kind and
# minikube publish this host port (on 127.0.0.1 only) to the app Service's
# fixed nodePort, k3d to port 80 of its load balancer (the Service's port).
# A default: when 8080 is taken, `APP_HOST_PORT=8082 make cluster` moves it
# (make cluster records the address, so make url follows).
APP_HOST_PORT ?= 8080
APP_NODE_PORT := 30080
# The ingress controller (`make ingress`, k8s/ingress/): its HTTPS entry
# point is this fixed nodePort, which `make cluster` publishes on
# 127.0.0.1 at this host port on kind, k3d and minikube.
INGRESS_HOST_PORT ?= 8443
INGRESS_NODE_PORT := 30443

# How many nodes `make cluster` creates: one control plane and NODES-1
# workers (kind: worker nodes; k3d: agents; minikube: --nodes). Roughly
# what they take of the memory Docker may use, with the kit deployed: about
# 1.2 GB a node, so 3.5 to 4 GB for three (k3s documents about 1.6 GB for
# a server with a workload and 0.3 GB an agent; a kind node runs the whole
# kubeadm control plane; minikube asks 2 GB a node, 6 GB for three).
# `NODES=1 make cluster` for a small laptop. make doctor warns below
# NODES x NODE_MEMORY_MIB.
NODES ?= 3
NODE_MEMORY_MIB := 1200

# Node images, pinned to Kubernetes 1.34 (a cluster tool's own default moves
# on: kind v0.32.0 creates 1.36 clusters, pkg/apis/config/defaults/image.go).
# The kind image is the 1.34 one built for kind v0.32.0, named by tag only:
# kind's release notes ask for tag@digest, but the digest lives only in the
# GitHub release body, which we could not read, and a wrong digest fails
# every `make cluster FLAVOUR=kind` at the pull. The price of the tag: if a
# later kind release re-publishes v1.34.8 for a newer node format, `kind load`
# from kind v0.32.0 may not work with it. Whoever can read
# https://github.com/kubernetes-sigs/kind/releases/tag/v0.32.0 should append
# the digest listed there for 1.34 (third-party copies cite sha256:02722c2d...).
KIND_NODE_IMAGE := kindest/node:v1.34.8
K3S_IMAGE := rancher/k3s:v1.34.8-k3s1
MINIKUBE_KUBERNETES_VERSION := v1.34.8
# Installed by `make cluster FLAVOUR=docker-desktop` in kubeadm mode: its
# volumes are directories created 0777, which Redis (non-root) can write.
LOCAL_PATH_PROVISIONER_VERSION := v0.0.32
# Where that local-path keeps the volumes on Docker Desktop's node. Its own
# default, /opt/local-path-provisioner, is reported not writable there; the
# node's persistent disk is under /var/lib, where Docker Desktop's own
# hostpath class keeps its volumes (/var/lib/k8s-pvs).
DOCKER_DESKTOP_VOLUME_DIR := /var/lib/k8s-pvs/local-path

FLAVOURS := kind k3d minikube docker-desktop

# ANCHOR: tool-versions
# The cluster tools `make cluster-tool` installs (CI does; readers may use
# their own, recent enough for the pinned node images).
KIND_VERSION := v0.32.0
K3D_VERSION := v5.8.3
# minikube v1.37.0's newest supported Kubernetes is v1.34.0: for v1.34.8 it
# warns and asks GitHub's API whether the version exists (rate-limited on CI
# runners, fatal when the call fails). v1.38.1 supports up to v1.35.1
# (pkg/minikube/constants/constants.go), so v1.34.8 needs no lookup.
MINIKUBE_VERSION := v1.38.1
# ANCHOR_END: tool-versions

# The guide's table: one line per flavour and column.
FLAVOUR_kind_create := `make cluster FLAVOUR=kind`
FLAVOUR_kind_images := `kind load docker-image` copies it into the nodes
FLAVOUR_kind_address := http://localhost:$(APP_HOST_PORT) (host port mapped to nodePort $(APP_NODE_PORT))
FLAVOUR_kind_storage := local-path: directories created 0777, writable by any user
FLAVOUR_kind_networkpolicy := enforced (kindnetd, kind 0.24 and later)
FLAVOUR_kind_metrics := installed by `make cluster` (with `--kubelet-insecure-tls`)

FLAVOUR_k3d_create := `make cluster FLAVOUR=k3d` (Traefik off, so port 80 is free for the app)
FLAVOUR_k3d_images := `k3d image import` copies it into the nodes
FLAVOUR_k3d_address := http://localhost:$(APP_HOST_PORT) (k3d's load balancer, to the Service's port 80)
FLAVOUR_k3d_storage := local-path: honours `fsGroup`
FLAVOUR_k3d_networkpolicy := enforced (k3s's built-in controller)
FLAVOUR_k3d_metrics := built in

FLAVOUR_minikube_create := `make cluster FLAVOUR=minikube` (docker driver, Calico)
FLAVOUR_minikube_images := `minikube image load` copies it into the node
FLAVOUR_minikube_address := http://localhost:$(APP_HOST_PORT) (host port mapped to nodePort $(APP_NODE_PORT))
FLAVOUR_minikube_storage := local-path (the `storage-provisioner-rancher` addon, made the default class by `make cluster`): directories created 0777
FLAVOUR_minikube_networkpolicy := enforced with `--cni=calico` (the default network does not)
FLAVOUR_minikube_metrics := the `metrics-server` addon, switched on by `make cluster`

FLAVOUR_docker-desktop_create := Docker Desktop 4.51 and later: the Dashboard's Kubernetes view, Create cluster (kind mode lets you pick 1.34); then `make cluster FLAVOUR=docker-desktop` once
FLAVOUR_docker-desktop_images := kubeadm mode: nothing to do; kind mode: needs Docker's containerd image store
FLAVOUR_docker-desktop_address := kubeadm mode: http://localhost (LoadBalancer Services are published there); kind mode: the address `make url` prints
FLAVOUR_docker-desktop_storage := `hostpath` ignores `fsGroup` (root-owned 755): the kit installs local-path in kubeadm mode
FLAVOUR_docker-desktop_networkpolicy := kubeadm mode: not enforced; kind mode: not documented by Docker, the NetworkPolicy chapter's test pod tells you
FLAVOUR_docker-desktop_metrics := installed by `make cluster` (with `--kubelet-insecure-tls`)
