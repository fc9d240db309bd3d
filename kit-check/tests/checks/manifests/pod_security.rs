//! Pod Security "restricted" (enforced by the namespace): every pod
//! template of the kit meets it, and breaking a rule is caught offline.

use kit_check::pod_security::violations;

use crate::common::{Edit, edited, kit};

fn violations_after(edits: &[Edit]) -> Option<Vec<String>> {
    let objects = kit(edits)?.objects(false);
    assert_eq!(objects.workloads.len(), 2, "the kit has two Deployments");
    Some(objects.workloads.iter().flat_map(violations).collect())
}

#[test]
fn the_namespace_enforces_restricted() {
    let text = std::fs::read_to_string(edited(&[]).root().join("namespace.yaml")).unwrap();
    assert!(text.contains("pod-security.kubernetes.io/enforce: restricted"));
}

#[test]
fn every_pod_template_meets_restricted() {
    let Some(found) = violations_after(&[]) else {
        return;
    };
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn privilege_escalation_is_caught() {
    let Some(found) = violations_after(&[(
        "app/deployment.yaml",
        "allowPrivilegeEscalation: false",
        "allowPrivilegeEscalation: true",
    )]) else {
        return;
    };
    assert_eq!(
        found,
        [
            "Deployment k8s-demo/demo-app: container demo-app: allowPrivilegeEscalation must be false"
        ]
    );
}

#[test]
fn a_missing_seccomp_profile_is_caught() {
    let Some(found) = violations_after(&[(
        "redis/deployment.yaml",
        "        seccompProfile:\n          type: RuntimeDefault\n",
        "",
    )]) else {
        return;
    };
    assert_eq!(
        found,
        [
            "Deployment k8s-demo/redis: container redis: seccompProfile must be RuntimeDefault or Localhost (pod or container)"
        ]
    );
}

#[test]
fn a_host_path_volume_is_caught() {
    let Some(found) = violations_after(&[(
        "redis/deployment.yaml",
        "          persistentVolumeClaim:\n            claimName: redis-data",
        "          hostPath:\n            path: /var/lib/redis",
    )]) else {
        return;
    };
    assert_eq!(
        found,
        ["Deployment k8s-demo/redis: volume data is of type hostPath, not allowed"]
    );
}
