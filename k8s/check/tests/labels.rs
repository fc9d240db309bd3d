//! The recommended labels are on every object of the kit.

use manifest_check::kustomize::Workspace;
use manifest_check::labels::missing;
use manifest_check::tools;
use manifest_check::yaml::Document;

fn kit(workspace: &Workspace) -> Option<Vec<Document>> {
    let kubectl = tools::kubectl()?;
    let mut docs = workspace.build_documents(&kubectl).unwrap();
    docs.extend(workspace.hpa_documents().unwrap());
    Some(docs)
}

#[test]
fn every_object_has_the_recommended_labels() {
    let Some(docs) = kit(&Workspace::new()) else {
        return;
    };
    let found = missing(&docs);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn an_object_without_them_fails() {
    let workspace = Workspace::new();
    workspace.replace(
        "redis/pvc.yaml",
        "    app.kubernetes.io/part-of: k8s-learning-kit\n",
        "",
    );
    let Some(docs) = kit(&workspace) else { return };
    assert_eq!(
        missing(&docs),
        ["PersistentVolumeClaim redis-data: no label app.kubernetes.io/part-of=k8s-learning-kit"]
    );
}
