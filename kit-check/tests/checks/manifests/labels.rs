//! The recommended labels are on every object of the kit.

use kit_check::labels::missing;

use crate::common::{assert_clean, kit};

#[test]
fn every_object_has_the_recommended_labels() {
    let Some(kit) = kit(&[]) else { return };
    assert_clean("objects without labels", &missing(&kit.build_with_hpa()));
}

#[test]
fn an_object_without_them_fails() {
    let Some(kit) = kit(&[(
        "redis/pvc.yaml",
        "    app.kubernetes.io/part-of: k8s-learning-kit\n",
        "",
    )]) else {
        return;
    };
    assert_eq!(
        missing(&kit.build_with_hpa()),
        ["PersistentVolumeClaim redis-data: no label app.kubernetes.io/part-of=k8s-learning-kit"]
    );
}
