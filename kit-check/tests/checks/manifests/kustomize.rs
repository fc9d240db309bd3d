//! Check 2 (`kit_check::kustomize`): `kubectl kustomize k8s` builds (with
//! made-up Secret values).

use crate::common::kit;

#[test]
fn the_kit_builds_with_every_named_object() {
    let Some(kit) = kit(&[]) else { return };
    let built = kit
        .workspace
        .build(&kit.kubectl)
        .expect("kubectl kustomize k8s builds");
    for expected in [
        "kind: Namespace",
        "name: demo-app-config",
        "name: redis-data",
        "name: redis-allow-app",
        // The generated Secrets keep their plain names (no hash suffix).
        "name: redis-auth\n",
        "name: demo-users\n",
    ] {
        assert!(built.contains(expected), "the build lacks {expected:?}");
    }
}

#[test]
fn a_missing_resource_file_breaks_the_build() {
    let Some(kit) = kit(&[(
        "kustomization.yaml",
        "  - app/pdb.yaml\n",
        "  - app/pdb-typo.yaml\n",
    )]) else {
        return;
    };
    let error = kit
        .workspace
        .build(&kit.kubectl)
        .expect_err("the build must fail");
    assert!(error.contains("pdb-typo.yaml"), "{error}");
}

#[test]
fn the_build_needs_the_generated_secret_files() {
    let Some(kit) = kit(&[]) else { return };
    std::fs::remove_file(kit.root().join(".generated/redis-auth.env")).unwrap();
    let error = kit
        .workspace
        .build(&kit.kubectl)
        .expect_err("the build must fail");
    assert!(error.contains("redis-auth.env"), "{error}");
}
