//! `make cluster`, `make cluster-delete` and `make deploy` for each flavour,
//! run offline against stand-ins for kubectl, docker, kind, k3d and
//! minikube (`standin.sh`): they record their arguments and answer, or
//! fail, the way the real tools do. The PATH holds only the stand-ins and
//! the few system tools the recipes use, so a real cluster tool on the
//! machine is never reached. What only a real cluster can show (the
//! pinned images exist, the ports answer) is for `.github/workflows/e2e.yml`.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::PathBuf;
use std::process::{Command, Output};

use kit_check::flavours;
use kit_check::tools;
use testkit::repo_root;

// make deploy REGISTRY=...: a child module, so it shares the bench below.
#[path = "registry.rs"]
mod registry;

const STANDINS: &[&str] = &["kubectl", "docker", "kind", "k3d", "minikube"];
/// What the recipes run besides the cluster tools.
const SYSTEM_TOOLS: &[&str] = &[
    "bash", "sh", "make", "sed", "grep", "mkdir", "printf", "cat", "rm", "touch", "tr", "head",
    "cut", "xargs", "git", "id", "date", "mktemp", "cp", "basename", "dirname", "sort", "env",
    "seq", "awk", "tee",
];

struct Bench {
    dir: tempfile::TempDir,
    path: String,
    real_kubectl: PathBuf,
}

/// Stand-ins for `tools` (a tool not listed is missing), system tools, and
/// an empty state.
fn bench(standins: &[&str]) -> Option<Bench> {
    // kustomize builds the kit for real (make deploy renders it).
    let real_kubectl = tools::kubectl()?;
    let dir = tempfile::Builder::new()
        .prefix("standins-")
        .tempdir()
        .unwrap();
    let bin = dir.path().join("bin");
    let system = dir.path().join("system");
    fs::create_dir_all(&bin).unwrap();
    fs::create_dir_all(&system).unwrap();
    fs::create_dir_all(dir.path().join("state")).unwrap();
    fs::create_dir_all(dir.path().join("generated")).unwrap();
    // The kernel's inotify limits make doctor reads (K8S_INOTIFY), as
    // kind's Known Issues page asks for them.
    let inotify = dir.path().join("inotify");
    fs::create_dir_all(&inotify).unwrap();
    fs::write(inotify.join("max_user_watches"), "524288\n").unwrap();
    fs::write(inotify.join("max_user_instances"), "512\n").unwrap();
    let script = repo_root().join("kit-check/tests/checks/make/standin.sh");
    for tool in standins {
        symlink(&script, bin.join(tool)).unwrap();
    }
    for tool in SYSTEM_TOOLS {
        if let Some(found) = which(tool) {
            symlink(found, system.join(tool)).unwrap();
        }
    }
    let path = format!("{}:{}", bin.display(), system.display());
    Some(Bench {
        dir,
        path,
        real_kubectl: if real_kubectl.components().count() > 1 {
            real_kubectl
        } else {
            which(&real_kubectl.to_string_lossy()).expect("kubectl on PATH")
        },
    })
}

fn which(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join(tool))
            .find(|p| p.is_file())
    })
}

impl Bench {
    fn state(&self, name: &str, contents: &str) -> &Self {
        fs::write(self.dir.path().join("state").join(name), contents).unwrap();
        self
    }

    fn generated(&self) -> PathBuf {
        self.dir.path().join("generated")
    }

    /// `make ARGS` in the repository with only the stand-ins on PATH.
    fn make(&self, args: &[&str]) -> Output {
        self.make_with(args, &[])
    }

    /// `make ARGS` with `env` added to the environment, as a reader's
    /// `NAME=value make ...` does.
    fn make_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        Command::new(which("make").expect("make"))
            .arg("--no-print-directory")
            .arg("-C")
            .arg(repo_root())
            .args(args)
            .arg(format!("K8S_GENERATED={}", self.generated().display()))
            .arg(format!(
                "K8S_INOTIFY={}",
                self.dir.path().join("inotify").display()
            ))
            .env_clear()
            .env("PATH", &self.path)
            .env("HOME", self.dir.path())
            .env("STANDIN_LOG", self.dir.path().join("log"))
            .env("STANDIN_STATE", self.dir.path().join("state"))
            .env("REAL_KUBECTL", &self.real_kubectl)
            .env("TOOL_VERSION_kind", fact("KIND_VERSION"))
            .env("TOOL_VERSION_k3d", fact("K3D_VERSION"))
            .env("TOOL_VERSION_minikube", fact("MINIKUBE_VERSION"))
            .envs(env.iter().copied())
            .output()
            .unwrap()
    }

    /// The commands the stand-ins received, one a line.
    fn log(&self) -> Vec<String> {
        fs::read_to_string(self.dir.path().join("log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn ran(&self, command: &str) -> bool {
        self.log().iter().any(|line| line == command)
    }

    fn ran_starting(&self, prefix: &str) -> bool {
        self.log().iter().any(|line| line.starts_with(prefix))
    }
}

/// Facts from k8s/flavours.mk, the file the Makefile reads too.
fn fact(name: &str) -> String {
    let text = fs::read_to_string(repo_root().join("k8s/flavours.mk")).unwrap();
    flavours::read(&text).unwrap()[name].clone()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The failure's explanation: make's own "*** Error" lines aside, exactly
/// one line on stderr, a sentence.
fn one_sentence(out: &Output) -> String {
    assert!(!out.status.success(), "expected a failure: {}", stdout(out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("make: ***") && !l.starts_with("make[1]: ***"))
        .collect();
    assert_eq!(lines.len(), 1, "not one sentence: {stderr}");
    assert!(lines[0].ends_with('.'), "not a sentence: {}", lines[0]);
    lines[0].to_owned()
}

fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "{}{}",
        stdout(out),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn kind_is_created_pinned_with_two_workers_and_the_ports_on_loopback() {
    let Some(b) = bench(STANDINS) else { return };
    let out = b.make(&["cluster", "FLAVOUR=kind"]);
    assert_ok(&out);
    let config = b.generated().join("kind-cluster.yaml");
    assert!(b.ran(&format!(
        "kind create cluster --name k8s-demo --image {} --config {} --wait 120s",
        fact("KIND_NODE_IMAGE"),
        config.display()
    )));
    let config = fs::read_to_string(config).unwrap();
    let mapping = |node: &str, host: &str| {
        format!(
            "      - containerPort: {}\n        hostPort: {}\n        listenAddress: \"127.0.0.1\"\n",
            fact(node),
            fact(host)
        )
    };
    assert!(
        config.contains(&mapping("APP_NODE_PORT", "APP_HOST_PORT"))
            && config.contains(&mapping("INGRESS_NODE_PORT", "INGRESS_HOST_PORT")),
        "{config}"
    );
    assert_eq!(config.matches("role: control-plane").count(), 1, "{config}");
    assert_eq!(config.matches("role: worker").count(), 2, "{config}");
    assert!(fact("KIND_NODE_IMAGE").starts_with("kindest/node:v1.34."));
    // metrics-server, with the flag local kubelets need.
    assert!(b.ran_starting("kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/"));
    assert!(b.ran_starting("kubectl -n kube-system patch deployment metrics-server"));
    assert!(
        stdout(&out).contains("the app will answer on http://localhost:8080/"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn nodes_1_makes_a_single_node_on_every_flavour() {
    let Some(b) = bench(STANDINS) else { return };
    assert_ok(&b.make(&["cluster", "FLAVOUR=kind", "NODES=1"]));
    let config = fs::read_to_string(b.generated().join("kind-cluster.yaml")).unwrap();
    assert!(!config.contains("role: worker"), "{config}");
    assert_ok(&b.make(&["cluster", "FLAVOUR=k3d", "NODES=1"]));
    assert!(
        b.log()
            .iter()
            .any(|l| l.starts_with("k3d cluster create") && l.contains(" --agents 0 ")),
        "{:#?}",
        b.log()
    );
    assert_ok(&b.make(&["cluster", "FLAVOUR=minikube", "NODES=1"]));
    assert!(
        b.log()
            .iter()
            .any(|l| l.starts_with("minikube start") && l.contains(" --nodes 1 "))
    );
    let sentence = one_sentence(&b.make(&["cluster", "FLAVOUR=kind", "NODES=two"]));
    assert!(sentence.contains("NODES=1"), "{sentence}");
}

#[test]
fn app_host_port_from_the_environment_moves_the_published_port_and_the_url() {
    let Some(b) = bench(STANDINS) else { return };
    let out = b.make_with(&["cluster", "FLAVOUR=kind"], &[("APP_HOST_PORT", "8082")]);
    assert_ok(&out);
    let config = fs::read_to_string(b.generated().join("kind-cluster.yaml")).unwrap();
    assert!(config.contains("hostPort: 8082"), "{config}");
    // make url (without the variable) reads what make cluster recorded.
    let out = b.make(&["--silent", "url"]);
    assert_eq!(stdout(&out), "http://localhost:8082\n");
}

#[test]
fn a_plain_make_cluster_keeps_the_port_the_cluster_was_created_with() {
    for (flavour, container) in [
        ("kind", "k8s-demo-control-plane"),
        ("k3d", "k3d-k8s-demo-serverlb"),
        ("minikube", "minikube-k8s-demo-ports"),
    ] {
        let Some(b) = bench(STANDINS) else { return };
        let flavour_arg = format!("FLAVOUR={flavour}");
        assert_ok(&b.make_with(&["cluster", &flavour_arg], &[("APP_HOST_PORT", "8082")]));
        let published = fs::read_to_string(
            b.dir
                .path()
                .join("state")
                .join(format!("ports-{container}")),
        )
        .unwrap_or_default();
        assert!(
            published.contains("127.0.0.1:8082"),
            "{flavour}: {published}"
        );
        // Reused without APP_HOST_PORT: no complaint, the same address recorded.
        assert_ok(&b.make(&["cluster", &flavour_arg]));
        assert_eq!(
            stdout(&b.make(&["--silent", "url"])),
            "http://localhost:8082\n",
            "{flavour}"
        );
        // A port given on purpose that the cluster does not publish is named.
        let sentence =
            one_sentence(&b.make_with(&["cluster", &flavour_arg], &[("APP_HOST_PORT", "8090")]));
        assert!(
            sentence.contains("exists without the kit's ports"),
            "{flavour}: {sentence}"
        );
    }
}

#[test]
fn kind_again_reuses_the_cluster_and_adds_the_metrics_flag_once() {
    let Some(b) = bench(STANDINS) else { return };
    assert_ok(&b.make(&["cluster", "FLAVOUR=kind"]));
    b.state("insecure-tls", "");
    fs::write(b.dir.path().join("log"), "").unwrap();
    assert_ok(&b.make(&["cluster", "FLAVOUR=kind"]));
    assert!(!b.ran_starting("kind create"), "{:#?}", b.log());
    assert!(
        !b.ran_starting("kubectl -n kube-system patch"),
        "the flag was added again: {:#?}",
        b.log()
    );
}

#[test]
fn an_existing_kind_or_k3d_cluster_without_the_kits_ports_is_named_not_reused() {
    // Created by hand (`kind create cluster --name k8s-demo`): no port
    // published.
    let Some(b) = bench(STANDINS) else { return };
    b.state("kind-clusters", "k8s-demo\n");
    let sentence = one_sentence(&b.make(&["cluster", "FLAVOUR=kind"]));
    assert!(
        sentence.contains("exists without the kit's ports")
            && sentence.contains("make cluster-delete FLAVOUR=kind"),
        "{sentence}"
    );
    // Published on every interface: not the kit's either.
    b.state(
        "ports-k8s-demo-control-plane",
        "30080/tcp 0.0.0.0:8080\n30080/tcp [::]:8080\n30443/tcp 0.0.0.0:8443\n",
    );
    let sentence = one_sentence(&b.make(&["cluster", "FLAVOUR=kind"]));
    assert!(sentence.contains("127.0.0.1:8080"), "{sentence}");

    let Some(b) = bench(STANDINS) else { return };
    b.state("k3d-k8s-demo", "");
    let sentence = one_sentence(&b.make(&["cluster", "FLAVOUR=k3d"]));
    assert!(
        sentence.contains("make cluster-delete FLAVOUR=k3d"),
        "{sentence}"
    );
}

#[test]
fn an_existing_k3d_cluster_with_traefik_is_named_not_reused() {
    let Some(b) = bench(STANDINS) else { return };
    assert_ok(&b.make(&["cluster", "FLAVOUR=k3d"]));
    b.state("k3d-traefik", "");
    let sentence = one_sentence(&b.make(&["cluster", "FLAVOUR=k3d"]));
    assert!(
        sentence.contains("runs Traefik") && sentence.contains("make cluster-delete FLAVOUR=k3d"),
        "{sentence}"
    );
}

#[test]
fn k3d_is_created_with_two_agents_without_traefik_and_its_load_balancer_on_loopback() {
    let Some(b) = bench(STANDINS) else { return };
    let out = b.make(&["cluster", "FLAVOUR=k3d"]);
    assert_ok(&out);
    assert!(
        b.ran(&format!(
            "k3d cluster create k8s-demo --image {} --agents 2 --port 127.0.0.1:{}:80@loadbalancer --port 127.0.0.1:{}:{}@loadbalancer --k3s-arg --disable=traefik@server:* --wait",
            fact("K3S_IMAGE"),
            fact("APP_HOST_PORT"),
            fact("INGRESS_HOST_PORT"),
            fact("INGRESS_NODE_PORT")
        )),
        "{:#?}",
        b.log()
    );
    // k3s bundles metrics-server and creates it once its API server is up:
    // wait for it to exist before waiting for its rollout.
    assert!(!b.ran_starting("kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/"));
    let log = b.log();
    let created = log.iter().position(|l| {
        l == "kubectl -n kube-system wait --for=create deployment/metrics-server --timeout=120s"
    });
    let rolled = log.iter().position(|l| {
        l.starts_with("kubectl -n kube-system rollout status deployment/metrics-server")
    });
    assert!(
        matches!((created, rolled), (Some(c), Some(r)) if c < r),
        "{log:#?}"
    );
    assert!(stdout(&out).contains("http://localhost:8080/"));
}

#[test]
fn minikube_starts_pinned_with_three_nodes_calico_metrics_server_local_path_and_the_ports() {
    let Some(b) = bench(STANDINS) else { return };
    let out = b.make(&["cluster", "FLAVOUR=minikube"]);
    assert_ok(&out);
    assert!(
        b.ran(&format!(
            "minikube start --profile minikube --driver=docker --nodes 3 --kubernetes-version={} --cni=calico --addons=metrics-server --addons=storage-provisioner-rancher",
            fact("MINIKUBE_KUBERNETES_VERSION"),
        )),
        "{:#?}",
        b.log()
    );
    // Not minikube's --ports (every node would publish them: the second
    // fails), but a publisher container on minikube's network, socat from
    // the node's own image, forwarding to the first node's nodePorts.
    let (app, app_node, ingress, ingress_node) = (
        fact("APP_HOST_PORT"),
        fact("APP_NODE_PORT"),
        fact("INGRESS_HOST_PORT"),
        fact("INGRESS_NODE_PORT"),
    );
    let run = format!(
        "docker run -d --name minikube-k8s-demo-ports --network minikube --restart unless-stopped -p 127.0.0.1:{app}:{app_node} -p 127.0.0.1:{ingress}:{ingress_node} --entrypoint sh gcr.io/k8s-minikube/kicbase:v0.0.50@sha256:eb4fec00e8ad70adf8e6436f195cc429825ffb85f95afcdb5d8d9deb576f3e93 -c socat TCP-LISTEN:{app_node},fork,reuseaddr TCP:minikube:{app_node} & exec socat TCP-LISTEN:{ingress_node},fork,reuseaddr TCP:minikube:{ingress_node}"
    );
    assert!(b.ran(&run), "no {run:?} in {:#?}", b.log());
    assert!(
        !b.log().iter().any(|l| l.contains("--ports")),
        "{:#?}",
        b.log()
    );
    assert!(b.ran(
        r#"kubectl --context minikube patch storageclass local-path -p {"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}"#
    ));
    assert!(stdout(&out).contains("http://localhost:8080/"));
    // Again: the publisher is there already.
    fs::write(b.dir.path().join("log"), "").unwrap();
    assert_ok(&b.make(&["cluster", "FLAVOUR=minikube"]));
    assert!(!b.ran_starting("docker run"), "{:#?}", b.log());
    // cluster-delete removes it too, before minikube's network goes.
    assert_ok(&b.make(&["cluster-delete", "FLAVOUR=minikube"]));
    let log = b.log();
    let removed = log
        .iter()
        .position(|l| l == "docker rm -f minikube-k8s-demo-ports");
    let deleted = log
        .iter()
        .position(|l| l == "minikube delete --profile minikube");
    assert!(
        matches!((removed, deleted), (Some(r), Some(d)) if r < d),
        "{log:#?}"
    );
}

#[test]
fn an_existing_minikube_cluster_without_calico_is_named_not_reused() {
    let Some(b) = bench(STANDINS) else { return };
    // Created earlier by a plain `minikube start`: minikube keeps its
    // network whatever the next start asks for.
    b.state("minikube-minikube", "");
    let out = b.make(&["cluster", "FLAVOUR=minikube"]);
    assert!(!out.status.success(), "{:#?}", b.log());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("existed before without Calico")
            && said.contains("make cluster-delete FLAVOUR=minikube"),
        "{said}"
    );
    // Once deleted, the next `make cluster` creates it with Calico.
    assert_ok(&b.make(&["cluster-delete", "FLAVOUR=minikube"]));
    assert_ok(&b.make(&["cluster", "FLAVOUR=minikube"]));
}

#[test]
fn a_publisher_container_without_the_kits_ports_is_named() {
    // A publisher left from a cluster made with other ports.
    let Some(b) = bench(STANDINS) else { return };
    b.state("container-minikube-k8s-demo-ports", "").state(
        "ports-minikube-k8s-demo-ports",
        "30080/tcp 127.0.0.1:8090\n30443/tcp 127.0.0.1:8453\n",
    );
    let sentence = one_sentence(&b.make(&["cluster", "FLAVOUR=minikube"]));
    assert!(
        sentence.contains("exists without the kit's ports")
            && sentence.contains("make cluster-delete FLAVOUR=minikube"),
        "{sentence}"
    );
}

#[test]
fn docker_desktop_kubeadm_gets_local_path_as_the_default_class() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("contexts", "docker-desktop\n");
    let out = b.make(&["cluster", "FLAVOUR=docker-desktop"]);
    assert_ok(&out);
    assert!(b.ran(&format!(
        "kubectl apply -f https://raw.githubusercontent.com/rancher/local-path-provisioner/{}/deploy/local-path-storage.yaml",
        fact("LOCAL_PATH_PROVISIONER_VERSION")
    )));
    // Volumes where Docker Desktop's node can write them, and a provisioner
    // restarted to read that before the first claim.
    let config = serde_json::json!({"nodePathMap": [{
        "node": "DEFAULT_PATH_FOR_NON_LISTED_NODES",
        "paths": [fact("DOCKER_DESKTOP_VOLUME_DIR")],
    }]});
    let patch = serde_json::json!({"data": {"config.json": config.to_string()}});
    assert!(b.ran(&format!(
        "kubectl -n local-path-storage patch configmap local-path-config --type merge -p {patch}"
    )));
    assert!(
        b.ran("kubectl -n local-path-storage rollout restart deployment/local-path-provisioner")
    );
    assert!(b.ran(r#"kubectl patch storageclass hostpath -p {"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"false"}}}"#));
    assert!(b.ran(r#"kubectl patch storageclass local-path -p {"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}"#));
    assert!(stdout(&out).contains("the app will answer on http://localhost/"));
}

#[test]
fn docker_desktop_kind_mode_keeps_its_storage_and_names_the_image_store() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("contexts", "docker-desktop\n")
        .state("dd-kind-mode", "")
        .state("minor", "36");
    let out = b.make(&["cluster", "FLAVOUR=docker-desktop"]);
    assert_ok(&out);
    assert!(!b.ran_starting(
        "kubectl apply -f https://raw.githubusercontent.com/rancher/local-path-provisioner"
    ));
    let said = stdout(&out);
    assert!(said.contains("kind mode"), "{said}");
    assert!(
        said.contains("Use containerd for pulling and storing images"),
        "{said}"
    );
    assert!(
        said.contains("runs Kubernetes 1.36; the guide states its facts for 1.34"),
        "{said}"
    );
}

#[test]
fn docker_desktop_with_kubernetes_off_says_where_to_switch_it_on() {
    let Some(b) = bench(STANDINS) else { return };
    let sentence = one_sentence(&b.make(&["cluster", "FLAVOUR=docker-desktop"]));
    assert!(
        sentence.starts_with("Docker Desktop's Kubernetes is off"),
        "{sentence}"
    );
}

#[test]
fn a_missing_cluster_tool_is_named_with_where_to_get_it() {
    let Some(b) = bench(&["kubectl", "docker", "kind", "minikube"]) else {
        return;
    };
    let sentence = one_sentence(&b.make(&["cluster", "FLAVOUR=k3d"]));
    assert_eq!(
        sentence,
        "k3d is missing: install it from https://k3d.io/#installation."
    );
    assert!(!b.ran_starting("k3d"));
}

#[test]
fn a_docker_that_does_not_answer_stops_cluster_creation() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("docker-down", "");
    let sentence = one_sentence(&b.make(&["cluster", "FLAVOUR=kind"]));
    assert!(
        sentence.starts_with("The Docker daemon does not answer"),
        "{sentence}"
    );
    assert!(!b.ran_starting("kind create"));
}

#[test]
fn an_unknown_flavour_is_refused() {
    let Some(b) = bench(STANDINS) else { return };
    let sentence = one_sentence(&b.make(&["cluster", "FLAVOUR=kubeadm"]));
    assert!(
        sentence.contains("use one of kind k3d minikube docker-desktop"),
        "{sentence}"
    );
}

#[test]
fn the_default_flavour_is_the_installed_tool() {
    let Some(b) = bench(&["kubectl", "docker", "k3d"]) else {
        return;
    };
    assert_ok(&b.make(&["cluster"]));
    assert!(
        b.ran_starting("k3d cluster create k8s-demo"),
        "{:#?}",
        b.log()
    );
}

#[test]
fn cluster_delete_removes_what_cluster_created() {
    for (flavour, command) in [
        ("kind", "kind delete cluster --name k8s-demo"),
        ("k3d", "k3d cluster delete k8s-demo"),
        ("minikube", "minikube delete --profile minikube"),
    ] {
        let Some(b) = bench(STANDINS) else { return };
        assert_ok(&b.make(&["cluster-delete", &format!("FLAVOUR={flavour}")]));
        assert!(b.ran(command), "{flavour}: {:#?}", b.log());
    }
    let Some(b) = bench(STANDINS) else { return };
    let sentence = one_sentence(&b.make(&["cluster-delete", "FLAVOUR=docker-desktop"]));
    assert!(sentence.contains("Settings > Kubernetes"), "{sentence}");
}

#[test]
fn deploy_on_kind_builds_loads_applies_and_prints_the_recorded_address() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "kind-k8s-demo")
        .state("app-url", "http://localhost:8080");
    let out = b.make(&["deploy", "IMAGE_TAG=abc1234"]);
    assert_ok(&out);
    let rendered = b.generated().join("deployed.yaml");
    for command in [
        "docker build --provenance=false -f demo-app/Dockerfile --build-arg GIT_REVISION=abc1234 -t demo-app:abc1234 .".to_owned(),
        "kind load docker-image demo-app:abc1234 --name k8s-demo".to_owned(),
        format!("kubectl apply -f {}", rendered.display()),
        "kubectl --namespace k8s-demo rollout status deployment/redis --timeout=180s".to_owned(),
    ] {
        assert!(b.ran(&command), "no {command:?} in {:#?}", b.log());
    }
    assert!(
        stdout(&out).contains("The app: http://localhost:8080/"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn deploy_to_a_cluster_that_does_not_answer_stops_before_building() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "kind-k8s-demo")
        .state("cluster-down", "");
    let sentence = one_sentence(&b.make(&["deploy", "IMAGE_TAG=abc1234"]));
    assert!(
        sentence.starts_with("The cluster of context 'kind-k8s-demo' does not answer"),
        "{sentence}"
    );
    assert!(!b.ran_starting("docker build"));
}

#[test]
fn deploy_refuses_docker_desktops_hostpath_class_before_building() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "docker-desktop")
        .state("default-sc", "hostpath docker.io/hostpath");
    let sentence = one_sentence(&b.make(&["deploy", "IMAGE_TAG=abc1234"]));
    assert!(
        sentence.contains("make cluster FLAVOUR=docker-desktop once"),
        "{sentence}"
    );
    assert!(!b.ran_starting("docker build"));
}

#[test]
fn deploy_goes_by_the_default_classs_provisioner_not_its_name() {
    // Docker Desktop's provisioner under another class name is refused...
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "docker-desktop")
        .state("default-sc", "fast docker.io/hostpath");
    let sentence = one_sentence(&b.make(&["deploy", "IMAGE_TAG=abc1234"]));
    assert!(sentence.contains("docker.io/hostpath"), "{sentence}");
    assert!(!b.ran_starting("docker build"));
    // ... and a class named hostpath with a provisioner that works is not.
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "kind-k8s-demo")
        .state("default-sc", "hostpath rancher.io/local-path");
    assert_ok(&b.make(&["deploy", "IMAGE_TAG=abc1234"]));
}

#[test]
fn deploy_on_docker_desktops_kind_mode_needs_the_containerd_image_store() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "docker-desktop")
        .state("dd-kind-mode", "")
        .state("default-sc", "standard rancher.io/local-path");
    let sentence = one_sentence(&b.make(&["deploy", "IMAGE_TAG=abc1234"]));
    assert!(sentence.contains("containerd image store"), "{sentence}");
    b.state("containerd-store", "");
    assert_ok(&b.make(&["deploy", "IMAGE_TAG=abc1234"]));
}

#[test]
fn url_prints_the_recorded_address_alone_on_stdout() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "kind-k8s-demo")
        .state("app-url", "http://localhost:8080/");
    let out = b.make(&["--silent", "url"]);
    assert_ok(&out);
    // `APP=$(make url)`: the bare URL, no trailing slash, nothing else.
    assert_eq!(stdout(&out), "http://localhost:8080\n");
}

#[test]
fn url_falls_back_to_the_load_balancer_address() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "docker-desktop")
        .state("lb-ip", "localhost");
    let out = b.make(&["--silent", "url"]);
    assert_ok(&out);
    assert_eq!(stdout(&out), "http://localhost\n");
}

#[test]
fn url_on_k3d_with_traefik_explains_the_pending_address() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "k3d-mycluster");
    let out = b.make(&["--silent", "url"]);
    assert_eq!(stdout(&out), "", "nothing on stdout without an address");
    let sentence = one_sentence(&out);
    assert!(sentence.contains("Traefik holds port 80"), "{sentence}");
    assert!(
        sentence.contains("port-forward service/demo-app 8081:80"),
        "{sentence}"
    );
}

#[test]
fn test_e2e_stops_with_the_same_sentence_without_an_address() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "minikube");
    let out = b.make(&["test-e2e"]);
    assert!(!stdout(&out).contains("demo-app tests against"));
    let sentence = one_sentence(&out);
    assert!(sentence.contains("minikube tunnel"), "{sentence}");
}

/// A port nothing listens on now (the system's pick, released at once).
fn free_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port().to_string()
}

impl Bench {
    /// `make doctor ARGS` with both host ports moved to free ones (the
    /// check connects to them for real).
    fn doctor(&self, args: &[&str]) -> Output {
        let (app, ingress) = (free_port(), free_port());
        let mut all = vec!["doctor"];
        all.extend_from_slice(args);
        self.make_with(
            &all,
            &[("APP_HOST_PORT", &app), ("INGRESS_HOST_PORT", &ingress)],
        )
    }
}

/// The problems `make doctor` named (its "problem: ..." lines).
fn problems(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("  problem: "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn doctor_on_a_machine_with_everything_says_so() {
    let Some(b) = bench(STANDINS) else { return };
    let out = b.doctor(&["FLAVOUR=kind"]);
    assert_ok(&out);
    let said = stdout(&out);
    assert!(
        said.ends_with("everything the kit needs is here\n"),
        "{said}"
    );
    for line in [
        "ok: docker answers",
        "ok: kubectl 1.34",
        &format!("ok: kind {}", fact("KIND_VERSION")),
        "ok: no kube context yet",
    ] {
        assert!(said.contains(line), "no {line:?} in {said}");
    }
    // The kit's own cluster holding its ports, and its context answering.
    assert_ok(&b.make(&["cluster", "FLAVOUR=kind"]));
    let out = b.make(&["doctor", "FLAVOUR=kind"]);
    assert_ok(&out);
    let said = stdout(&out);
    assert!(
        said.contains("ok: port 8080 is the kit's cluster's (k8s-demo-control-plane)")
            && said.contains("ok: context kind-k8s-demo answers"),
        "{said}"
    );
}

#[test]
fn doctor_names_each_problem_in_one_sentence_and_counts_them() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("kubectl-minor", "32")
        .state("tool-version", "v0.29.0")
        .state("mem-total", &(2u64 << 30).to_string())
        .state("context", "kind-k8s-demo")
        .state("cluster-down", "");
    let out = b.doctor(&["FLAVOUR=kind"]);
    assert!(!out.status.success());
    let found = problems(&out);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(
        found[0].contains("3 nodes take about 3600 MiB")
            && found[0].contains("NODES=1 make cluster"),
        "{}",
        found[0]
    );
    assert!(
        found[1].starts_with("kubectl 1.32 is not within one minor version")
            && found[1].contains("1.33 to 1.35"),
        "{}",
        found[1]
    );
    assert!(
        found[2].starts_with("kind v0.29.0 is older than v0.32.0"),
        "{}",
        found[2]
    );
    assert!(
        found[3].contains("does not answer") && found[3].contains("make cluster"),
        "{}",
        found[3]
    );
    for sentence in &found {
        assert!(sentence.ends_with('.'), "not a sentence: {sentence}");
    }
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("4 problem(s)"),
        "{}",
        crate::common::said(&out)
    );
    // One node fits in 2 GiB.
    let out = b.doctor(&["FLAVOUR=kind", "NODES=1"]);
    assert_eq!(problems(&out).len(), 3, "{:#?}", problems(&out));
}

#[test]
fn doctor_without_docker_or_the_flavour_tool_says_what_to_install() {
    let Some(b) = bench(&["kubectl", "kind"]) else {
        return;
    };
    let found = problems(&b.doctor(&["FLAVOUR=minikube"]));
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(
        found[0].starts_with("docker is missing: install"),
        "{}",
        found[0]
    );
    assert!(
        found[1].starts_with("minikube is missing")
            && found[1].contains("https://minikube.sigs.k8s.io/docs/start/"),
        "{}",
        found[1]
    );

    let Some(b) = bench(STANDINS) else { return };
    b.state("docker-down", "");
    let found = problems(&b.doctor(&["FLAVOUR=k3d"]));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("The Docker daemon does not answer"),
        "{}",
        found[0]
    );
}

#[test]
fn doctor_finds_a_host_port_taken_and_says_how_to_move_it() {
    let Some(b) = bench(STANDINS) else { return };
    // A real listener on the app's host port.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let ingress = free_port();
    let out = b.make_with(
        &["doctor", "FLAVOUR=kind"],
        &[("APP_HOST_PORT", &port), ("INGRESS_HOST_PORT", &ingress)],
    );
    let found = problems(&out);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with(&format!("Port {port} is taken"))
            && found[0].contains(&format!(
                "APP_HOST_PORT={} make cluster",
                port.parse::<u32>().unwrap() + 2
            )),
        "{}",
        found[0]
    );
    drop(taken);
}

#[test]
fn doctor_on_kind_checks_the_kernels_inotify_limits() {
    let Some(b) = bench(STANDINS) else { return };
    let said = stdout(&b.doctor(&["FLAVOUR=kind"]));
    assert!(
        said.contains("ok: inotify limits 524288 watches, 512 instances"),
        "{said}"
    );
    // A distribution's defaults.
    let inotify = b.dir.path().join("inotify");
    fs::write(inotify.join("max_user_watches"), "8192\n").unwrap();
    fs::write(inotify.join("max_user_instances"), "128\n").unwrap();
    let found = problems(&b.doctor(&["FLAVOUR=kind"]));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("The kernel's inotify limits (8192 watches, 128 instances)")
            && found[0].contains(
                "sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512"
            ),
        "{}",
        found[0]
    );
    // k3d and minikube are not held to kind's numbers; without the files
    // (macOS) there is nothing to check.
    assert!(problems(&b.doctor(&["FLAVOUR=k3d"])).is_empty());
    fs::remove_dir_all(&inotify).unwrap();
    let out = b.doctor(&["FLAVOUR=kind"]);
    assert_ok(&out);
    assert!(!stdout(&out).contains("inotify"));
}

#[test]
fn doctor_names_an_old_make_and_a_missing_buildx() {
    let Some(b) = bench(STANDINS) else { return };
    let said = stdout(&b.doctor(&["FLAVOUR=kind"]));
    assert!(
        said.contains("ok: GNU make ") && said.contains("ok: docker buildx answers"),
        "{said}"
    );
    // macOS's own make.
    let found = problems(&b.doctor(&["FLAVOUR=kind", "MAKE_VERSION=3.81"]));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("GNU make 3.81 ignores the .SHELLFLAGS")
            && found[0].contains("brew install make")
            && found[0].contains("gnubin"),
        "{}",
        found[0]
    );
    b.state("no-buildx", "");
    let found = problems(&b.doctor(&["FLAVOUR=kind"]));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("docker buildx is missing"),
        "{}",
        found[0]
    );
}

#[test]
fn doctor_on_docker_desktop_checks_that_its_kubernetes_is_on() {
    let Some(b) = bench(STANDINS) else { return };
    let found = problems(&b.doctor(&["FLAVOUR=docker-desktop"]));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].starts_with("Docker Desktop's Kubernetes is off"),
        "{}",
        found[0]
    );
    b.state("contexts", "docker-desktop\n");
    assert_ok(&b.doctor(&["FLAVOUR=docker-desktop"]));
}

/// A bench where the kit is deployed on the kit's kind cluster: the
/// rendered manifests of a deploy are there (rendered for real).
fn deployed() -> Option<Bench> {
    let b = bench(STANDINS)?;
    b.state("context", "kind-k8s-demo");
    assert_ok(&b.make(&["k8s-render", "IMAGE_TAG=abc1234"]));
    fs::write(b.dir.path().join("log"), "").unwrap();
    Some(b)
}

#[test]
fn reset_removes_what_the_guide_added_and_reapplies_the_kit() {
    let Some(b) = deployed() else { return };
    // A reader mid-guide: kubectl set env changed the pod template, a worker
    // is cordoned, another tainted and labelled as the scheduling example
    // asks.
    b.state("template", "kit plus LOG_FORMAT=yaml")
        .state("cordoned", "k8s-demo-worker\n")
        .state(
            "node-taints",
            "k8s-demo-control-plane taints:node-role.kubernetes.io/control-plane\nk8s-demo-worker taints:\nk8s-demo-worker2 taints:dedicated\n",
        )
        .state(
            "node-labels",
            "k8s-demo-worker2 dedicated\nk8s-demo-worker disktype\n",
        );
    let out = b.make(&["reset"]);
    assert_ok(&out);
    let rendered = b.generated().join("deployed.yaml");
    let log = b.log();
    let at = |command: &str| {
        log.iter()
            .position(|l| l == command)
            .unwrap_or_else(|| panic!("no {command:?} in {log:#?}"))
    };
    at("kubectl delete -f k8s/hpa/hpa.yaml --ignore-not-found");
    // Every example, in one call, each file named once.
    let deleted = &log[at(&log
        .iter()
        .find(|l| l.starts_with("kubectl delete --ignore-not-found"))
        .expect("the examples are deleted")
        .clone())];
    let examples = kit_check::paths::yaml_files(&repo_root().join("k8s/examples"));
    assert_eq!(deleted.matches(" -f ").count(), examples.len(), "{deleted}");
    for example in &examples {
        let relative = example
            .strip_prefix(repo_root())
            .unwrap()
            .display()
            .to_string();
        assert!(
            deleted.contains(&format!(" -f {relative}")),
            "{relative} is not deleted: {deleted}"
        );
    }
    // Nodes: uncordoned, the example's taint key removed where it is (and
    // nowhere else), its label too; the control plane's own taint stays.
    at("kubectl uncordon k8s-demo-worker");
    at("kubectl taint nodes k8s-demo-worker2 dedicated-");
    at("kubectl label nodes k8s-demo-worker2 dedicated-");
    at("kubectl label nodes k8s-demo-worker disktype-");
    assert!(
        !b.ran_starting("kubectl taint nodes k8s-demo-worker "),
        "{log:#?}"
    );
    assert!(
        !log.iter()
            .any(|l| l.contains("node-role.kubernetes.io/control-plane-"))
    );
    assert!(
        !log.iter().any(|l| l.contains("node.kubernetes.io/")),
        "{log:#?}"
    );
    // The kit again: applied, then its Deployments and ConfigMap replaced
    // whole, after the examples and the nodes.
    let applied = at(&format!("kubectl apply -f {}", rendered.display()));
    assert!(applied > at("kubectl uncordon k8s-demo-worker"));
    let replaced: Vec<&String> = log.iter().filter(|l| l.starts_with("replace ")).collect();
    assert_eq!(
        replaced,
        [
            "replace ConfigMap demo-app-config",
            "replace Deployment demo-app",
            "replace Deployment redis"
        ],
        "{log:#?}"
    );
    // The template changed back, so its rollout replaces the pods: no
    // second rollout.
    assert!(
        !b.ran_starting("kubectl --namespace k8s-demo rollout restart"),
        "{log:#?}"
    );
    at("kubectl --namespace k8s-demo rollout status deployment/demo-app --timeout=180s");
    assert!(stdout(&out).contains("Reset:"), "{}", stdout(&out));
}

#[test]
fn reset_again_restarts_the_pods_whose_template_did_not_change() {
    let Some(b) = deployed() else { return };
    assert_ok(&b.make(&["reset"]));
    assert!(
        b.ran("kubectl --namespace k8s-demo rollout restart deployment/demo-app"),
        "{:#?}",
        b.log()
    );
    assert!(!b.ran_starting("kubectl uncordon"));
    assert!(!b.ran_starting("kubectl taint"));
    assert!(!b.ran_starting("kubectl label nodes"));
    assert_ok(&b.make(&["reset"]));
}

#[test]
fn reset_refuses_when_the_kit_is_not_deployed() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "kind-k8s-demo");
    let sentence = one_sentence(&b.make(&["reset"]));
    assert!(sentence.contains("run make deploy"), "{sentence}");
    let Some(b) = deployed() else { return };
    b.state("not-deployed", "");
    let sentence = one_sentence(&b.make(&["reset"]));
    assert!(
        sentence.starts_with("The kit is not deployed on context 'kind-k8s-demo'"),
        "{sentence}"
    );
    assert!(!b.ran_starting("kubectl delete"), "{:#?}", b.log());
}

#[test]
fn ingress_applies_the_controller_namespace_first_and_waits() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "k3d-k8s-demo");
    let out = b.make(&["ingress"]);
    assert_ok(&out);
    let log = b.log();
    let applied: Vec<&String> = log
        .iter()
        .filter(|l| l.starts_with("kubectl apply"))
        .collect();
    assert_eq!(
        applied,
        [
            "kubectl apply -f k8s/ingress/namespace.yaml",
            "kubectl apply -f k8s/ingress/"
        ]
    );
    assert!(b.ran("kubectl --namespace traefik rollout status deployment/traefik --timeout=180s"));
    assert!(
        stdout(&out).contains(&format!("port {} of 127.0.0.1", fact("INGRESS_HOST_PORT"))),
        "{}",
        stdout(&out)
    );
    // Not on a context the kit does not know.
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "gke_prod");
    let sentence = one_sentence(&b.make(&["ingress"]));
    assert!(sentence.contains("not a local cluster"), "{sentence}");
    assert!(!b.ran_starting("kubectl apply"));
}
