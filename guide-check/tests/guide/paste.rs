//! The follow-along rules (`guide_check::paste`, README "Rules for
//! commands") on every page, and each rule's failing twin: a fixture page
//! with the fault, which must fail with that rule's message, and the same
//! page fixed, which must pass every rule.

use guide_check::clusters::KitClusters;
use guide_check::pages::{Page, selected_for};
use guide_check::paste::{check, pages};
use testkit::repo_root;

fn kit() -> KitClusters {
    KitClusters::read(repo_root()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_page_pastes_as_is() {
    let kit = kit();
    let pages = selected_for("every_page_pastes_as_is", repo_root(), pages(repo_root()));
    let faults: Vec<String> = pages.iter().flat_map(|p| check(p, &kit)).collect();
    assert!(
        faults.is_empty(),
        "{} command(s) of {} pages do not paste as they are on the cluster `make cluster` made \
         (guide-check/README.md, \"Rules for commands\"):\n{}",
        faults.len(),
        pages.len(),
        faults.join("\n")
    );
}

fn page(text: &str) -> Page {
    Page {
        path: "fixture.md".into(),
        text: format!("# Fixture\n\n## Try it\n\n**Starts from:** the kit deployed.\n\n{text}"),
    }
}

/// `broken` fails every rule only with faults containing `why` (one per
/// entry of `whys`); `fixed` passes them all.
fn twin(broken: &str, fixed: &str, whys: &[&str]) {
    let kit = kit();
    let faults = check(&page(broken), &kit);
    assert_eq!(faults.len(), whys.len(), "{broken}\n{faults:#?}");
    for (fault, why) in faults.iter().zip(whys) {
        assert!(fault.contains(why), "expected `{why}` in {fault}");
        assert!(fault.starts_with("fixture.md:"), "{fault}");
    }
    let faults = check(&page(fixed), &kit);
    assert!(faults.is_empty(), "{fixed}\n{faults:#?}");
}

const SH: &str = "```sh\n";
const END: &str = "\n```\n";

#[test]
fn a_console_block_or_a_prompt_fails() {
    twin(
        "```console\n$ kubectl get pods\nNAME   READY\n```\n",
        "```sh\nkubectl get pods\n```\n\n```text,example\nNAME   READY\n```\n",
        &["a `console` block"],
    );
    twin(
        &format!("{SH}$ kubectl get pods{END}"),
        &format!("{SH}kubectl get pods{END}"),
        &["a `$ ` prompt"],
    );
}

#[test]
fn a_hard_coded_app_address_or_a_silent_curl_fails() {
    let fixed = format!("{SH}APP=$(make url){END}\n{SH}curl -sS \"$APP/visits\"; echo{END}");
    twin(
        &format!("{SH}curl -sS http://localhost:8080/visits; echo{END}"),
        &fixed,
        &["`http://localhost:8080` names the app's address"],
    );
    twin(
        &format!("{SH}APP=$(make url){END}\n{SH}curl -s \"$APP/visits\"; echo{END}"),
        &fixed,
        &["without `-S`"],
    );
    twin(
        &format!(
            "{SH}APP=$(make url){END}\n{SH}ANSWER=$(curl -s -X POST \"$APP/crash\"); echo \"$ANSWER\"{END}"
        ),
        &format!(
            "{SH}APP=$(make url){END}\n{SH}ANSWER=$(curl -sS -X POST \"$APP/crash\"); echo \"$ANSWER\"{END}"
        ),
        &["without `-S`"],
    );
    // The port-forward's address is set once, as APP; a command in a pod
    // may name its own localhost.
    twin(
        &format!("{SH}curl -sS localhost:8081/health{END}"),
        &format!(
            "{SH}APP=http://localhost:8081\ncurl -sS -o /dev/null -w '%{{http_code}}\\n' \"${{APP}}/health\"\n\
             kubectl -n k8s-demo exec deploy/demo-app -- wget -qO- localhost:8000/health{END}"
        ),
        &["`localhost:8081` names"],
    );
}

#[test]
fn a_variable_no_earlier_command_sets_fails() {
    let assign = "POD=$(kubectl -n k8s-demo get pods -l app.kubernetes.io/name=demo-app -o name | head -n 1)";
    twin(
        &format!("{SH}kubectl -n k8s-demo delete \"$POD\"{END}\n{SH}{assign}{END}"),
        &format!(
            "{SH}{assign}{END}\n{SH}kubectl -n k8s-demo delete \"$POD\"\necho \"$HOME $1 ${{X:-x}}\"\nfor i in 1 2; do echo \"$i\"; done\nkubectl exec \"$POD\" -- sh -c 'echo $HOSTNAME'{END}"
        ),
        &["`$POD` is not set by any command before it"],
    );
}

#[test]
fn a_placeholder_in_a_command_fails() {
    twin(
        &format!("{SH}kubectl -n k8s-demo logs <pod-name> --previous{END}"),
        &format!(
            "{SH}POD=$(kubectl -n k8s-demo get pods -o name | head -n 1)\nkubectl -n k8s-demo logs \"$POD\" --previous 2>&1 | head{END}"
        ),
        &["`<pod-name>` is a placeholder"],
    );
}

#[test]
fn another_clusters_names_fail() {
    twin(
        &format!("{SH}kubectl -n kube-system logs etcd-kind-control-plane{END}"),
        &format!("{SH}kubectl -n kube-system logs -l component=etcd{END}"),
        &["`etcd-kind-control-plane` is a name of kind's default cluster"],
    );
    twin(
        "```text,example\nNAME             STATUS   ROLES\ndocker-desktop   Ready    control-plane\n```\n",
        "```text,example\nNAME                     STATUS   ROLES\nk8s-demo-control-plane   Ready    control-plane\n```\n\n\
         On Docker Desktop the one node is:\n\n```text,example\ndocker-desktop   Ready    control-plane\n```\n",
        &["`docker-desktop` is Docker Desktop's node"],
    );
    // A quiz is prose: the line itself says Docker Desktop.
    twin(
        "```quiz\ntext = \"the `docker-desktop` context\"\n```\n",
        "```quiz\ntext = \"Docker Desktop's `docker-desktop` context\"\n```\n",
        &["`docker-desktop` is Docker Desktop's node"],
    );
    twin(
        &format!("{SH}kubectl describe node minikube{END}"),
        &format!(
            "{SH}NODE=$(kubectl get nodes -o name | head -n 1)\nkubectl describe \"$NODE\"\nminikube ssh -- ls\n# minikube only\nkubectl config use-context minikube\nmake cluster FLAVOUR=docker-desktop{END}"
        ),
        &["`minikube` is minikube's node"],
    );
    twin(
        &format!("{SH}IP=$(minikube ip){END}"),
        &format!("{SH}# minikube only\nIP=$(minikube ip){END}"),
        &["`$(minikube …)` runs minikube"],
    );
    twin(
        &format!("{SH}kind load docker-image demo-app:dev{END}"),
        &format!("{SH}kind load docker-image demo-app:dev --name k8s-demo{END}"),
        &["without `--name` acts on kind's default cluster"],
    );
    twin(
        &format!("{SH}kubectl -n k8s-demo delete pod demo-app-7c9d5b6f4d-x2k8p{END}"),
        &format!("{SH}kubectl -n k8s-demo delete pod redis-0 k8s-demo-control-plane-abc{END}"),
        &["`demo-app-7c9d5b6f4d-x2k8p` is one cluster's pod name"],
    );
}

#[test]
fn a_comment_after_a_command_fails() {
    twin(
        &format!(
            "{SH}NODES=1 make cluster   # on a small laptop\nARCH=$(uname -m) # arm64 on a Mac{END}"
        ),
        &format!(
            "{SH}APP=$(make url)\n# on a small laptop\nNODES=1 make cluster\n# arm64 on a Mac\nARCH=$(uname -m)\n\
             curl -sS -o /dev/null -w '%{{http_code}} #1\\n' \"$APP\"\nfor i in 1 2; do\n  # each\n  echo \"$i\"\ndone{END}"
        ),
        &[
            "`# on a small laptop` follows a command",
            "`# arm64 on a Mac` follows a command",
        ],
    );
}

#[test]
fn a_try_it_without_its_starting_state_fails() {
    let kit = kit();
    let broken = Page {
        path: "fixture.md".into(),
        text: "# F\n\n## Try it\n\nRun this:\n\n```sh\nmake reset\n```\n".into(),
    };
    let faults = check(&broken, &kit);
    assert_eq!(faults.len(), 1, "{faults:#?}");
    assert!(faults[0].starts_with("fixture.md:3: `## Try it` does not say what it starts from"));
    let fixed = Page {
        path: "fixture.md".into(),
        text: "# F\n\n## Try it\n\n**Starts from:** the kit deployed and reset: `make deploy` once, then `make reset`.\n\n## Other\n\ntext\n".into(),
    };
    assert!(check(&fixed, &kit).is_empty());
}
