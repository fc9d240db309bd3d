//! `make deploy REGISTRY=<registry/repository>`: the image built for amd64
//! and arm64 and pushed with buildx, the rendered manifest running it by
//! that name, no loading into local nodes; a context that is not local
//! refused unless the reader says K8S_ANY_CONTEXT=1. Against the same
//! stand-ins as `cluster.rs` (a child module of it, to share its bench).
//! That a real builder and registry do it is for
//! `.github/workflows/e2e-registry.yml`.

use std::fs;
use std::process::Output;

use super::{Bench, STANDINS, assert_ok, bench, one_sentence, stdout};

const TAG: &str = "IMAGE_TAG=abc1234";
const REGISTRY: &str = "REGISTRY=localhost:5001/demo-app";
/// A cloud cluster's context, as `gcloud container clusters get-credentials`
/// names it.
const CLOUD_CONTEXT: &str = "gke_my-project_europe-west1_prod";

impl Bench {
    /// The app Deployment's image in what the last deploy rendered.
    fn rendered_app_image(&self) -> String {
        let text = fs::read_to_string(self.generated().join("deployed.yaml")).unwrap();
        let docs = kit_check::yaml::parse("deployed.yaml", &text).unwrap();
        docs.iter()
            .find(|d| d.value["kind"] == "Deployment" && d.value["metadata"]["name"] == "demo-app")
            .and_then(|d| d.value.pointer("/spec/template/spec/containers/0/image"))
            .and_then(|v| v.as_str())
            .expect("the rendered kit has the app's image")
            .to_owned()
    }
}

/// The last line on stderr, make's own "***" lines aside (a failed
/// rollout prints kubectl's error before the kit's sentence).
fn last_sentence(out: &Output) -> String {
    assert!(!out.status.success(), "expected a failure: {}", stdout(out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = stderr
        .lines()
        .rfind(|l| !l.starts_with("make: ***") && !l.starts_with("make[1]: ***"))
        .unwrap_or_default();
    assert!(line.ends_with('.'), "not a sentence: {stderr}");
    line.to_owned()
}

#[test]
fn deploy_with_a_registry_builds_both_platforms_pushes_and_runs_that_name() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "kind-k8s-demo")
        .state("app-url", "http://localhost:8080");
    let out = b.make(&["deploy", TAG, REGISTRY]);
    assert_ok(&out);
    let push = "docker buildx build --platform linux/amd64,linux/arm64 -f demo-app/Dockerfile --build-arg GIT_REVISION=abc1234 -t localhost:5001/demo-app:abc1234 --push .";
    assert!(b.ran(push), "no {push:?} in {:#?}", b.log());
    assert!(!b.ran_starting("kind load"), "{:#?}", b.log());
    assert!(!b.ran_starting("docker build "), "{:#?}", b.log());
    assert_eq!(b.rendered_app_image(), "localhost:5001/demo-app:abc1234");
    assert!(
        stdout(&out).contains("The app: http://localhost:8080/"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn deploy_without_a_registry_builds_and_loads_as_before() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "kind-k8s-demo");
    assert_ok(&b.make(&["deploy", TAG]));
    assert!(!b.ran_starting("docker buildx"), "{:#?}", b.log());
    assert!(b.ran("kind load docker-image demo-app:abc1234 --name k8s-demo"));
    assert_eq!(b.rendered_app_image(), "demo-app:abc1234");
}

#[test]
fn a_cluster_that_is_not_local_is_refused_unless_the_reader_says_so() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", CLOUD_CONTEXT);
    let sentence = one_sentence(&b.make(&["deploy", TAG, REGISTRY]));
    assert!(
        sentence.starts_with(&format!("Context '{CLOUD_CONTEXT}' is not a local cluster"))
            && sentence.contains("make deploy REGISTRY=<registry/repository> K8S_ANY_CONTEXT=1"),
        "{sentence}"
    );
    assert!(!b.ran_starting("docker"), "{:#?}", b.log());
    assert!(!b.ran_starting("kubectl apply"), "{:#?}", b.log());
    // Said on the command line or in the environment, it goes ahead.
    assert_ok(&b.make(&["deploy", TAG, REGISTRY, "K8S_ANY_CONTEXT=1"]));
    assert!(b.ran_starting("docker buildx build --platform linux/amd64,linux/arm64 "));
    assert!(b.ran_starting("kubectl apply -f "));
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", CLOUD_CONTEXT);
    assert_ok(&b.make_with(&["deploy", TAG, REGISTRY], &[("K8S_ANY_CONTEXT", "1")]));
    // Without a registry there is no way to its nodes: say the one there is.
    let sentence = one_sentence(&b.make_with(&["deploy", TAG], &[("K8S_ANY_CONTEXT", "1")]));
    assert!(
        sentence.contains("cannot load an image into its nodes")
            && sentence.contains("make deploy REGISTRY="),
        "{sentence}"
    );
}

#[test]
fn a_missing_buildx_a_refused_push_and_a_bad_repository_each_get_a_sentence() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "kind-k8s-demo").state("no-buildx", "");
    let sentence = one_sentence(&b.make(&["deploy", TAG, REGISTRY]));
    assert!(
        sentence.starts_with("docker buildx is missing: install the Buildx plugin"),
        "{sentence}"
    );
    assert!(!b.ran_starting("kubectl apply"), "{:#?}", b.log());

    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "kind-k8s-demo")
        .state("push-refused", "");
    let out = b.make(&["deploy", TAG, "REGISTRY=docker.io/reader/demo-app"]);
    let sentence = one_sentence(&out);
    assert!(
        sentence.starts_with("The registry refused the push of docker.io/reader/demo-app:abc1234: log in to it with docker login"),
        "{sentence}"
    );
    // buildx's own output stays in view, above the sentence.
    assert!(stdout(&out).contains("failed to push"), "{}", stdout(&out));
    assert!(!b.ran_starting("kubectl apply"), "{:#?}", b.log());

    for (registry, says) in [
        ("REGISTRY=localhost:5001", "names no repository"),
        (
            "REGISTRY=ghcr.io/you/demo-app:v1",
            "carries a tag or digest",
        ),
    ] {
        let Some(b) = bench(STANDINS) else { return };
        b.state("context", "kind-k8s-demo");
        let sentence = one_sentence(&b.make(&["deploy", TAG, registry]));
        assert!(sentence.contains(says), "{registry}: {sentence}");
        assert!(!b.ran_starting("docker buildx build"), "{:#?}", b.log());
    }
}

#[test]
fn nodes_that_cannot_pull_are_told_after_the_rollout_times_out() {
    let Some(b) = bench(STANDINS) else { return };
    b.state("context", "kind-k8s-demo")
        .state("image-pull-fails", "");
    let sentence = last_sentence(&b.make(&["deploy", TAG, REGISTRY]));
    assert!(
        sentence.starts_with(
            "The cluster's nodes cannot pull localhost:5001/demo-app:abc1234 (ImagePullBackOff)"
        ) && sentence.contains("imagePullSecret"),
        "{sentence}"
    );
}
