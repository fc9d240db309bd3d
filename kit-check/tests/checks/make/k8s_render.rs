//! `make deploy` applies what `make k8s-render` writes: the kit with the
//! image tag of this build and the generated Secrets. Rendered here into a
//! temporary directory with a made-up tag.

use std::fs;

use kit_check::schema::check_documents;
use kit_check::tools;
use kit_check::yaml::parse;
use serde_json::Value;

use crate::common::{assert_clean, make, said};

#[test]
fn the_rendered_kit_runs_the_tag_of_this_build() {
    if tools::kubectl().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let generated = format!("K8S_GENERATED={}", dir.path().display());
    let Some(out) = make(
        &["k8s-render", &generated, "IMAGE_TAG=0123abc-dirty-4567def"],
        &[],
    ) else {
        return;
    };
    assert!(
        out.status.success(),
        "make k8s-render failed: {}",
        said(&out)
    );
    let text = fs::read_to_string(dir.path().join("deployed.yaml")).unwrap();
    let docs = parse("deployed.yaml", &text).unwrap();
    assert_clean("schema problems", &check_documents(&docs));

    let image_of = |name: &str| {
        docs.iter()
            .find(|d| d.value["kind"] == "Deployment" && d.value["metadata"]["name"] == name)
            .and_then(|d| {
                d.value
                    .pointer("/spec/template/spec/containers/0/image")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
    };
    assert_eq!(
        image_of("demo-app").as_deref(),
        Some("demo-app:0123abc-dirty-4567def")
    );
    assert!(
        image_of("redis").is_some_and(|i| i.starts_with("redis:")),
        "the Redis image changed"
    );

    let password = fs::read_to_string(dir.path().join("redis-auth.env")).unwrap();
    let password = password.trim_end().strip_prefix("REDIS_PASSWORD=").unwrap();
    let secret = docs
        .iter()
        .find(|d| d.value["kind"] == "Secret" && d.value["metadata"]["name"] == "redis-auth")
        .expect("the Secret redis-auth is rendered");
    let encoded = secret.value["data"]["REDIS_PASSWORD"].as_str().unwrap();
    let decoded: k8s_openapi::ByteString =
        serde_json::from_value(Value::String(encoded.into())).unwrap();
    assert_eq!(
        decoded.0,
        password.as_bytes(),
        "the Secret does not hold the generated password"
    );
}
