#!/bin/bash
# A stand-in for kubectl, docker, kind, k3d and minikube (linked under each
# name): it records its arguments in $STANDIN_LOG and answers the way the
# real tool does, including how it fails, from the state in $STANDIN_STATE:
#   context          the current kube context (none: no context selected)
#   contexts         other contexts kubeconfig knows, one a line
#   cluster-down     the API server does not answer
#   docker-down      the Docker daemon does not answer
#   containerd-store Docker uses the containerd image store
#   no-buildx        the Buildx plugin is not installed
#   push-refused     the registry refuses buildx's push
#   image-pull-fails the nodes cannot pull the app's image: its rollout
#                    times out, its pods wait in ImagePullBackOff
#   dd-kind-mode     docker-desktop's nodes are kind's (desktop-control-plane)
#   default-sc       the default StorageClass: "<name> <provisioner>"
#   minor            the server's Kubernetes minor version (default 34)
#   insecure-tls     metrics-server already runs with --kubelet-insecure-tls
#   app-url          the URL recorded in kube-public/k8s-learning-kit
#   lb-ip            the app Service's LoadBalancer address
#   kubectl-minor    kubectl's own minor version (default 34)
#   not-deployed     no deployment/demo-app in k8s-demo
#   template         the app Deployment's pod template (default "kit";
#                    kubectl replace makes it "kit" again)
#   cordoned         names of unschedulable nodes, one a line
#   node-taints      "<node> taints:<key> <key>" lines
#   node-labels      "<node> <label key>" lines
#   tool-version     what kind, k3d and minikube say their version is
#                    (default: the one flavours.mk pins, in $TOOL_VERSION_<tool>)
#   mem-total        the memory Docker may use, in bytes (default 8 GiB)
#   kind-clusters, k3d-<name>   clusters that exist
#   k3d-traefik      the k3d cluster runs Traefik
#   minikube-<profile>          a minikube cluster that exists: the --cni=
#                               it was created with
#   container-<name>            another container that exists (docker run)
#   ports-<container>           what `docker port` answers: lines
#                               "<port>/tcp <address>:<host port>", written
#                               when kind, k3d or minikube create a cluster
#                               (from kind's config, k3d's --port, minikube's
#                               --ports), as Docker publishes them
tool=$(basename "$0")
state=$STANDIN_STATE
echo "$tool $*" >>"$STANDIN_LOG"
has() { [ -e "$state/$1" ]; }
# publish CONTAINER SPEC: record Docker's answer for a published port, SPEC
# as `docker run -p` takes it: [address:]hostport:containerport (no address:
# every interface, which Docker reports as 0.0.0.0 and [::]).
publish() {
  spec=$2 port=${2##*:} rest=${2%:*}
  case "$rest" in
    *:*) echo "$port/tcp ${rest%%:*}:${rest##*:}" >>"$state/ports-$1";;
    *) printf '%s\n' "$port/tcp 0.0.0.0:$rest" "$port/tcp [::]:$rest" >>"$state/ports-$1";;
  esac
}
refused() { echo "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?" >&2; exit 1; }

case "$tool" in
kubectl)
  case "$*" in
    "version --client -o json")
      minor=$(cat "$state/kubectl-minor" 2>/dev/null || echo 34)
      # As kubectl 1.34 prints it (fields after gitVersion left out).
      printf '{\n  "clientVersion": {\n    "major": "1",\n    "minor": "%s",\n    "emulationMajor": "1",\n    "emulationMinor": "%s",\n    "minCompatibilityMajor": "1",\n    "minCompatibilityMinor": "%s",\n    "gitVersion": "v1.%s.2"\n  },\n  "kustomizeVersion": "v5.7.1"\n}\n' "$minor" "$minor" "$((minor - 1))" "$minor"
      exit 0;;
    "version --client"*) echo "Client Version: v1.34.8"; exit 0;;
    kustomize*|"label --local "*) exec "$REAL_KUBECTL" "$@";;
    "config current-context") has context || { echo "error: current-context is not set" >&2; exit 1; }; cat "$state/context"; exit 0;;
    "config use-context "*) echo "$3" >"$state/context"; echo "Switched to context \"$3\"."; exit 0;;
    "config get-contexts "*) { has context && [ "$(cat "$state/context")" = "$3" ]; } || grep -qx "$3" "$state/contexts" 2>/dev/null || { echo "error: context $3 not found" >&2; exit 1; }; exit 0;;
  esac
  has context || { echo "error: current-context is not set" >&2; exit 1; }
  has cluster-down && refused
  case "$*" in
    "get --raw=/readyz"*|"get --raw /readyz"*) echo ok;;
    "get --raw /version") printf '{\n  "major": "1",\n  "minor": "%s",\n  "gitVersion": "v1.%s.8"\n}\n' "$(cat "$state/minor" 2>/dev/null || echo 34)" "$(cat "$state/minor" 2>/dev/null || echo 34)";;
    "get node desktop-control-plane") has dd-kind-mode || { echo 'Error from server (NotFound): nodes "desktop-control-plane" not found' >&2; exit 1; };;
    "get storageclass"*) has default-sc || exit 0
      read -r name provisioner <"$state/default-sc"
      case "$*" in *"{.provisioner}"*) printf '%s ' "$provisioner";; *) printf '%s ' "$name";; esac;;
    *"get configmap k8s-learning-kit"*) has app-url || { echo 'Error from server (NotFound): configmaps "k8s-learning-kit" not found' >&2; exit 1; }; cat "$state/app-url";;
    *"get deployment metrics-server -o jsonpath"*) has insecure-tls && echo '["--cert-dir=/tmp","--kubelet-insecure-tls"]' || echo '["--cert-dir=/tmp"]';;
    "-n kube-system get deployment traefik") has k3d-traefik || { echo 'Error from server (NotFound): deployments.apps "traefik" not found' >&2; exit 1; };;
    "--context "*" -n kube-system get daemonset calico-node") grep -qx -- --cni=calico "$state/minikube-$2" 2>/dev/null || { echo 'Error from server (NotFound): daemonsets.apps "calico-node" not found' >&2; exit 1; };;
    "--namespace k8s-demo get deployment demo-app") has not-deployed && { echo 'Error from server (NotFound): deployments.apps "demo-app" not found' >&2; exit 1; };;
    "--namespace k8s-demo get deployment demo-app -o jsonpath={.spec.template}") cat "$state/template" 2>/dev/null || printf kit;;
    "replace --save-config -f -") echo kit >"$state/template"
      # What it was given: one "replace <kind> <name>" line per object.
      awk '/^kind:/ {kind=$2} /^  name:/ && kind {print "replace " kind " " $2; kind=""}' >>"$STANDIN_LOG";;
    "get nodes -o jsonpath={range .items[?(@.spec.unschedulable==true)]}"*) tr '\n' ' ' <"$state/cordoned" 2>/dev/null;;
    "get nodes -o jsonpath={range .items[*]}{.metadata.name}{\" taints:\"}"*) cat "$state/node-taints" 2>/dev/null;;
    "get nodes --selector "*) sed -n "s/ $4\$//p" "$state/node-labels" 2>/dev/null | tr '\n' ' ';;
    *"get service demo-app"*) has lb-ip && cat "$state/lb-ip";;
    "--namespace k8s-demo rollout status deployment/demo-app "*) has image-pull-fails || exit 0
      echo 'Waiting for deployment "demo-app" rollout to finish: 0 of 5 updated replicas are available...'
      echo "error: timed out waiting for the condition" >&2; exit 1;;
    "--namespace k8s-demo get pods --selector app.kubernetes.io/name=demo-app -o jsonpath="*"state.waiting.reason}") has image-pull-fails &&
      echo "ImagePullBackOff ErrImagePull ImagePullBackOff ImagePullBackOff ImagePullBackOff";;
    *"create configmap k8s-learning-kit"*) for a in "$@"; do case "$a" in --from-literal=app-url=*) echo "${a#--from-literal=app-url=}" >"$state/app-url";; esac; done;;
  esac
  exit 0;;
docker)
  has docker-down && { echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2; exit 1; }
  case "$*" in
    "port "*) answer=$(sed -n "s|^$3 ||p" "$state/ports-$2" 2>/dev/null)
      [ -n "$answer" ] || { echo "Error: No public port '$3' published for $2" >&2; exit 1; }
      echo "$answer";;
    # The node image minikube v1.38.1 runs (pkg/drivers/kic/types.go).
    "container inspect "*" --format {{.Config.Image}}") echo "gcr.io/k8s-minikube/kicbase:v0.0.50@sha256:eb4fec00e8ad70adf8e6436f195cc429825ffb85f95afcdb5d8d9deb576f3e93";;
    "container inspect "*) has "container-$3" || { echo "Error response from daemon: No such container: $3" >&2; exit 1; };;
    "run -d --name "*) name=$4; touch "$state/container-$name"
      prev=; for a in "$@"; do [ "$prev" = -p ] && publish "$name" "$a"; prev=$a; done
      echo 3f1e9d0c2b7a;;
    "rm -f "*) rm -f "$state/container-$3" "$state/ports-$3";;
    "info --format {{.MemTotal}}") cat "$state/mem-total" 2>/dev/null || echo 8323002368;;
    "ps --filter publish="*" --format {{.Names}}") port=${3#publish=}
      for f in "$state"/ports-*; do [ -e "$f" ] && grep -q ":$port\$" "$f" && basename "$f" | sed 's/^ports-//'; done;;
    # As Docker CLI 28 says it for a missing plugin.
    "buildx version") has no-buildx && { printf '%s\n' "docker: unknown command: docker buildx" "" "Run 'docker --help' for more information" >&2; exit 1; }
      echo "github.com/docker/buildx v0.29.1 a32761aeb3debd39be1eca514af3693af0db334b";;
    # buildx's last line when the registry says no (BuildKit's exporter:
    # "failed to push <name>"), after the build's progress.
    "buildx build "*) prev=; for a in "$@"; do [ "$prev" = -t ] && tag=$a; prev=$a; done
      echo "#14 exporting to image" >&2
      has push-refused && { echo "ERROR: failed to build: failed to solve: failed to push $tag: push access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed" >&2; exit 1; }
      echo "#14 pushing manifest for $tag done" >&2;;
    "info --format"*) has containerd-store && echo '[["driver-type","io.containerd.snapshotter.v1"]]' || echo '[["Backing Filesystem","extfs"]]';;
  esac
  exit 0;;
kind)
  case "$*" in
    version) echo "kind $(cat "$state/tool-version" 2>/dev/null || echo "$TOOL_VERSION_kind") go1.25.3 linux/amd64";;
    "get clusters") cat "$state/kind-clusters" 2>/dev/null;;
    "create cluster --name "*) echo "$4" >>"$state/kind-clusters"; echo "kind-$4" >"$state/context"
      prev=; for a in "$@"; do [ "$prev" = --config ] && config=$a; prev=$a; done
      # The control plane's extraPortMappings (kind reads the first node's).
      awk '/containerPort:/ {c=$NF} /hostPort:/ {h=$NF} /listenAddress:/ {gsub(/"/, "", $NF); print $NF ":" h ":" c} /role: worker/ {exit}' "$config" |
        while read -r spec; do publish "$4-control-plane" "$spec"; done;;
    "delete cluster --name "*) sed -i "/^$4\$/d" "$state/kind-clusters" 2>/dev/null; rm -f "$state/ports-$4-control-plane";;
  esac
  exit 0;;
k3d)
  case "$*" in
    version) printf 'k3d version %s\nk3s version v1.31.5-k3s1 (default)\n' "$(cat "$state/tool-version" 2>/dev/null || echo "$TOOL_VERSION_k3d")";;
    "cluster get "*) has "k3d-$3" || { echo "FATA[0000] No nodes found for given cluster" >&2; exit 1; };;
    "cluster create "*) touch "$state/k3d-$3"; echo "k3d-$3" >"$state/context"
      prev=; for a in "$@"; do [ "$prev" = --port ] && publish "k3d-$3-serverlb" "${a%@*}"; prev=$a; done;;
    "cluster delete "*) rm -f "$state/k3d-$3" "$state/ports-k3d-$3-serverlb";;
  esac
  exit 0;;
minikube)
  # start creates the profile's cluster with --cni and --ports only the
  # first time; an existing one keeps what it was created with.
  case "$1" in
    version) cat "$state/tool-version" 2>/dev/null || echo "$TOOL_VERSION_minikube";;
    start)
      profile=minikube
      for a in "$@"; do case "$a" in --profile=*) profile=${a#--profile=};; esac; done
      prev=; for a in "$@"; do [ "$prev" = --profile ] && profile=$a; prev=$a; done
      if ! has "minikube-$profile"; then
        : >"$state/minikube-$profile"
        for a in "$@"; do case "$a" in --cni=*) echo "$a" >>"$state/minikube-$profile";; esac; done
      fi
      echo "$profile" >"$state/context";;
    delete) rm -f "$state/minikube-$3";;
  esac
  exit 0;;
esac
echo "standin: unknown tool $tool" >&2
exit 127
