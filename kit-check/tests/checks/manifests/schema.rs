//! Check 1: every manifest validates against the Kubernetes 1.34 schema,
//! unknown or misspelled fields included: the kustomize build, the HPA and
//! every file under k8s/examples/.

use kit_check::schema::check_documents;

use crate::common::{edited, kit};

fn assert_clean(problems: Vec<String>) {
    crate::common::assert_clean("schema problems", &problems);
}

#[test]
fn the_kustomize_build_matches_the_schema() {
    let Some(kit) = kit(&[]) else { return };
    let docs = kit.build();
    assert!(docs.len() >= 12, "only {} objects in the build", docs.len());
    assert_clean(check_documents(&docs));
}

#[test]
fn the_hpa_matches_the_schema() {
    let docs = edited(&[]).hpa_documents().unwrap();
    assert_eq!(docs.len(), 1);
    assert_clean(check_documents(&docs));
}

#[test]
fn every_example_matches_the_schema() {
    let docs = edited(&[]).example_documents().unwrap();
    assert!(!docs.is_empty(), "k8s/examples/ has no manifest");
    assert_clean(check_documents(&docs));
}

#[test]
fn a_misspelled_field_in_the_build_fails() {
    let Some(kit) = kit(&[(
        "app/deployment.yaml",
        "imagePullPolicy: IfNotPresent",
        "imagePullPolcy: IfNotPresent",
    )]) else {
        return;
    };
    let problems = check_documents(&kit.build());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].contains("Deployment demo-app")
            && problems[0].contains("containers[0].imagePullPolcy: unknown field"),
        "{problems:#?}"
    );
}

#[test]
fn a_wrong_type_in_the_build_fails() {
    let Some(kit) = kit(&[("redis/service.yaml", "port: 6379", "port: redis")]) else {
        return;
    };
    let problems = check_documents(&kit.build());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].contains("at spec.ports[0].port: invalid type"),
        "{problems:#?}"
    );
}

#[test]
fn a_misspelled_field_in_the_hpa_fails() {
    let workspace = edited(&[]);
    workspace.replace("hpa/hpa.yaml", "averageUtilization", "averageUtilisation");
    let problems = check_documents(&workspace.hpa_documents().unwrap());
    assert!(
        problems.iter().any(
            |p| p.contains("spec.metrics[0].resource.target.averageUtilisation: unknown field")
        ),
        "{problems:#?}"
    );
}

#[test]
fn a_broken_example_fails_wherever_it_is_in_its_file() {
    let workspace = edited(&[]);
    workspace.write(
        "examples/zz-broken.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fine\n---\n\
         apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: broken\nspec:\n  backofLimit: 2\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: a\n          image: busybox:1.37\n",
    );
    let problems = check_documents(&workspace.example_documents().unwrap());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0]
            .starts_with("examples/zz-broken.yaml#2 (Job broken): spec.backofLimit: unknown field"),
        "{problems:#?}"
    );
}

#[test]
fn a_misspelled_kind_fails() {
    let workspace = edited(&[]);
    workspace.write(
        "examples/zz-broken.yaml",
        "apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: x\n",
    );
    let problems = check_documents(&workspace.example_documents().unwrap());
    assert!(
        problems
            .iter()
            .any(|p| p.contains("apps/v1 Deploymnet is not a Kubernetes 1.34 built-in kind")),
        "{problems:#?}"
    );
}

#[test]
fn a_misspelled_value_fails() {
    let Some(kit) = kit(&[(
        "app/service.yaml",
        "type: LoadBalancer",
        "type: LoadBalancr",
    )]) else {
        return;
    };
    let problems = check_documents(&kit.build());
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0]
            .contains("(Service demo-app): spec.type: \"LoadBalancr\" is not one of ClusterIP"),
        "{problems:#?}"
    );
}
