#!/bin/bash
# A stand-in for kubectl, make, docker, kind, k3d and minikube (linked under
# each name, first on PATH):
# it records its arguments in $STANDIN_LOG and answers from recorded
# outputs: the first line of $STANDIN_ANSWERS/<tool>.tsv whose pattern (a
# bash glob over the arguments) matches gives the exit status and the file
# (under $STANDIN_ANSWERS, or "-" for none) it prints; the status "run"
# prints the file and then runs until stopped, as a watch does. State in
# $STANDIN_STATE:
#   no-record     make cluster recorded nothing (no ConfigMap kube-public/k8s-learning-kit)
#   not-deployed  make deploy has not run (no deployment demo-app in k8s-demo)
#   app-url       what make url prints (the local app's address)
tool=$(basename "$0")
state=$STANDIN_STATE
echo "$tool $*" >>"$STANDIN_LOG"
has() { [ -e "$state/$1" ]; }
case "$tool $*" in
  *"get configmap k8s-learning-kit"*)
    has no-record && { echo 'Error from server (NotFound): configmaps "k8s-learning-kit" not found' >&2; exit 1; }
    echo "configmap/k8s-learning-kit"; exit 0;;
  *"get deployment demo-app")
    has not-deployed && { echo 'Error from server (NotFound): deployments.apps "demo-app" not found' >&2; exit 1; }
    echo "deployment.apps/demo-app"; exit 0;;
  "make url") cat "$state/app-url"; exit 0;;
esac
while IFS=$'\t' read -r pattern status file; do
  [ -n "$pattern" ] && [ "${pattern:0:1}" != "#" ] || continue
  # shellcheck disable=SC2053 # the pattern is a glob on purpose
  if [[ "$*" == $pattern ]]; then
    [ "$file" = - ] || cat "$STANDIN_ANSWERS/$file"
    # The real sleep, not a stand-in for it on PATH (tests/standin/sleep.sh).
    [ "$status" = run ] && exec "$(PATH=/usr/bin:/bin command -v sleep)" 600
    exit "$status"
  fi
done <"$STANDIN_ANSWERS/$tool.tsv"
echo "standin: no recorded answer for: $tool $*" >&2
exit 127
