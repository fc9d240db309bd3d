//! Pod Security Standard "restricted", checked offline.
//!
//! The namespace `k8s-demo` enforces it (see namespace.yaml): a pod that
//! breaks a rule is rejected when the ReplicaSet creates it, so the mistake
//! would only show on a reader's cluster, as a Deployment with no pods. This
//! repeats the standard's rules for every pod template of the kit:
//! <https://kubernetes.io/docs/concepts/security/pod-security-standards/>

use k8s_openapi::api::core::v1::{Container, PodSpec, Volume};

use crate::objects::Workload;

/// The volume types "restricted" allows.
const ALLOWED_VOLUMES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

/// Every rule a workload's pod template breaks.
pub fn violations(workload: &Workload) -> Vec<String> {
    let what = format!("{} {}/{}", workload.kind, workload.namespace, workload.name);
    let Some(spec) = &workload.template.spec else {
        return vec![format!("{what}: no pod spec")];
    };
    let mut found = Vec::new();
    let mut report = |rule: String| found.push(format!("{what}: {rule}"));
    let pod = spec.security_context.clone().unwrap_or_default();
    if spec.host_network == Some(true) || spec.host_pid == Some(true) || spec.host_ipc == Some(true)
    {
        report("shares a host namespace (hostNetwork, hostPID or hostIPC)".into());
    }
    if pod.run_as_user == Some(0) {
        report("pod runAsUser is 0 (root)".into());
    }
    for volume in spec.volumes.iter().flatten() {
        if let Some(kind) = volume_type(volume).filter(|k| !ALLOWED_VOLUMES.contains(&k.as_str())) {
            report(format!(
                "volume {} is of type {kind}, not allowed",
                volume.name
            ));
        }
    }
    let pod_seccomp = pod.seccomp_profile.as_ref().map(|p| p.type_.as_str());
    if pod_seccomp == Some("Unconfined") {
        report("pod seccompProfile is Unconfined".into());
    }
    let all = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten());
    for container in all {
        for rule in container_violations(container, spec, pod_seccomp) {
            report(format!("container {}: {rule}", container.name));
        }
    }
    found
}

fn container_violations(
    container: &Container,
    spec: &PodSpec,
    pod_seccomp: Option<&str>,
) -> Vec<String> {
    let mut found = Vec::new();
    let pod = spec.security_context.clone().unwrap_or_default();
    let own = container.security_context.clone().unwrap_or_default();
    if own.privileged == Some(true) {
        found.push("privileged".into());
    }
    if own.allow_privilege_escalation != Some(false) {
        found.push("allowPrivilegeEscalation must be false".into());
    }
    if own.run_as_non_root.or(pod.run_as_non_root) != Some(true) {
        found.push("runAsNonRoot must be true (pod or container)".into());
    }
    if own.run_as_user == Some(0) {
        found.push("runAsUser is 0 (root)".into());
    }
    let seccomp = own
        .seccomp_profile
        .as_ref()
        .map(|p| p.type_.as_str())
        .or(pod_seccomp);
    if !matches!(seccomp, Some("RuntimeDefault" | "Localhost")) {
        found.push("seccompProfile must be RuntimeDefault or Localhost (pod or container)".into());
    }
    let capabilities = own.capabilities.unwrap_or_default();
    if !capabilities.drop.iter().flatten().any(|c| c == "ALL") {
        found.push("capabilities must drop ALL".into());
    }
    for added in capabilities
        .add
        .iter()
        .flatten()
        .filter(|c| *c != "NET_BIND_SERVICE")
    {
        found.push(format!("adds capability {added}"));
    }
    if container
        .ports
        .iter()
        .flatten()
        .any(|p| p.host_port.unwrap_or(0) != 0)
    {
        found.push("uses a hostPort".into());
    }
    found
}

/// The name of the volume source a volume uses (`hostPath`, `secret`...).
fn volume_type(volume: &Volume) -> Option<String> {
    let value = serde_json::to_value(volume).ok()?;
    value.as_object()?.keys().find(|k| *k != "name").cloned()
}
