//! `make reset` deletes every example object: none may be the kit's own.
//! (What reset runs is checked against stand-ins in `cluster.rs`.)

use kit_check::reset::example_collisions;

use crate::common::kit;

/// The kit's objects (what make deploy, make hpa and make ingress apply)
/// and the examples' collisions with them, in a copy edited by `edits`.
fn collisions(edits: &[crate::common::Edit]) -> Option<Vec<String>> {
    let kit = kit(edits)?;
    let mut own = kit.build_with_hpa();
    own.extend(kit.workspace.ingress_documents().unwrap());
    let examples = kit.workspace.example_documents().unwrap();
    Some(example_collisions(&own, &examples))
}

#[test]
fn no_example_names_an_object_of_the_kit() {
    let Some(found) = collisions(&[]) else { return };
    crate::common::assert_clean("examples that make reset would delete", &found);
}

#[test]
fn an_example_named_like_the_kits_configmap_or_namespace_fails() {
    let Some(found) = collisions(&[(
        "examples/configmap-immutable.yaml",
        "name: demo-app-config-v2",
        "name: demo-app-config",
    )]) else {
        return;
    };
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].contains("ConfigMap k8s-demo/demo-app-config is the kit's own"),
        "{}",
        found[0]
    );
    let Some(found) = collisions(&[(
        "examples/three-tier/namespace.yaml",
        "name: three-tier",
        "name: k8s-demo",
    )]) else {
        return;
    };
    assert!(
        found
            .iter()
            .any(|p| p.contains("Namespace /k8s-demo holds the kit's objects")),
        "{found:#?}"
    );
}
