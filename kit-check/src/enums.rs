//! Values from a fixed set. The Kubernetes types hold these as plain
//! strings, so the round-trip cannot see `imagePullPolicy: Allways`; the
//! API server rejects it. This checks the fields whose allowed values the
//! 1.34 API reference lists and whose name alone says which field it is.

use serde_json::Value;

/// (field name, allowed values). Fields whose meaning depends on where
/// they are (`type`, `operator`) are handled in [`allowed_for`].
const BY_NAME: &[(&str, &[&str])] = &[
    ("imagePullPolicy", &["Always", "IfNotPresent", "Never"]),
    (
        "dnsPolicy",
        &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
    ),
    ("protocol", &["TCP", "UDP", "SCTP"]),
    (
        "accessModes",
        &[
            "ReadWriteOnce",
            "ReadOnlyMany",
            "ReadWriteMany",
            "ReadWriteOncePod",
        ],
    ),
    ("concurrencyPolicy", &["Allow", "Forbid", "Replace"]),
    ("podManagementPolicy", &["OrderedReady", "Parallel"]),
    ("externalTrafficPolicy", &["Cluster", "Local"]),
    ("internalTrafficPolicy", &["Cluster", "Local"]),
    ("sessionAffinity", &["None", "ClientIP"]),
    ("whenUnsatisfiable", &["DoNotSchedule", "ScheduleAnyway"]),
    ("effect", &["NoSchedule", "PreferNoSchedule", "NoExecute"]),
    (
        "persistentVolumeReclaimPolicy",
        &["Retain", "Delete", "Recycle"],
    ),
    ("reclaimPolicy", &["Retain", "Delete", "Recycle"]),
    ("volumeBindingMode", &["Immediate", "WaitForFirstConsumer"]),
    (
        "unhealthyPodEvictionPolicy",
        &["IfHealthyBudget", "AlwaysAllow"],
    ),
    ("fsGroupChangePolicy", &["OnRootMismatch", "Always"]),
    (
        "terminationMessagePolicy",
        &["File", "FallbackToLogsOnError"],
    ),
    ("policyTypes", &["Ingress", "Egress"]),
    ("pathType", &["Exact", "Prefix", "ImplementationSpecific"]),
    ("completionMode", &["NonIndexed", "Indexed"]),
    ("preemptionPolicy", &["PreemptLowerPriority", "Never"]),
    ("nodeAffinityPolicy", &["Honor", "Ignore"]),
    ("nodeTaintsPolicy", &["Honor", "Ignore"]),
];

/// Maps whose keys are chosen by the author.
const FREE_FORM_MAPS: &[&str] = &[
    "labels",
    "annotations",
    "data",
    "stringData",
    "binaryData",
    "matchLabels",
    "selector",
    "nodeSelector",
    "parameters",
];

/// Every value outside its allowed set, with its path.
pub fn check(document: &Value) -> Vec<String> {
    let kind = document.get("kind").and_then(Value::as_str).unwrap_or("");
    let mut found = Vec::new();
    walk(kind, "", document, &mut found);
    found
}

fn walk(kind: &str, path: &str, value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                if let Some(allowed) = allowed_for(kind, &here, key) {
                    let values: Vec<&Value> = match child {
                        Value::Array(items) => items.iter().collect(),
                        single => vec![single],
                    };
                    for v in values {
                        if !v.as_str().is_some_and(|s| allowed.contains(&s)) {
                            found.push(format!("{here}: {v} is not one of {}", allowed.join(", ")));
                        }
                    }
                }
                walk(kind, &here, child, found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk(kind, &format!("{path}[{index}]"), item, found);
            }
        }
        _ => {}
    }
}

fn allowed_for(kind: &str, path: &str, key: &str) -> Option<&'static [&'static str]> {
    // In free-form maps (labels, ConfigMap data, selectors...) keys are
    // names chosen by the author, not fields.
    let parent = path
        .strip_suffix(key)
        .and_then(|p| p.strip_suffix('.'))
        .map(|p| p.rsplit('.').next().unwrap_or(p))
        .unwrap_or("");
    if FREE_FORM_MAPS.contains(&parent) {
        return None;
    }
    if key == "restartPolicy" {
        // A container's restartPolicy makes it a native sidecar: only Always.
        return Some(if path.ends_with("].restartPolicy") {
            &["Always"]
        } else {
            &["Always", "OnFailure", "Never"]
        });
    }
    if key == "type" {
        return match (kind, path) {
            ("Service", "spec.type") => {
                Some(&["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"])
            }
            ("Deployment", "spec.strategy.type") => Some(&["RollingUpdate", "Recreate"]),
            ("StatefulSet", "spec.updateStrategy.type")
            | ("DaemonSet", "spec.updateStrategy.type") => Some(&["RollingUpdate", "OnDelete"]),
            _ if path.ends_with("seccompProfile.type") => {
                Some(&["RuntimeDefault", "Localhost", "Unconfined"])
            }
            _ => None,
        };
    }
    BY_NAME
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, allowed)| *allowed)
}

#[cfg(test)]
mod tests {
    use super::check;
    use serde_json::json;

    #[test]
    fn a_misspelled_value_fails_and_good_ones_pass() {
        let pod = json!({"kind": "Pod", "metadata": {"labels": {"protocol": "anything"}},
            "data": {"effect": "x"},
            "spec": {"restartPolicy": "Never", "containers": [
                {"name": "a", "imagePullPolicy": "Allways", "ports": [{"protocol": "TCP"}]},
                {"name": "b", "restartPolicy": "Never"}]}});
        assert_eq!(
            check(&pod),
            [
                "spec.containers[0].imagePullPolicy: \"Allways\" is not one of Always, IfNotPresent, Never",
                "spec.containers[1].restartPolicy: \"Never\" is not one of Always",
            ]
        );
    }

    #[test]
    fn type_is_checked_where_its_meaning_is_known() {
        let service = json!({"kind": "Service", "spec": {"type": "LoadBalancr"}});
        assert_eq!(check(&service).len(), 1);
        let secret = json!({"kind": "Secret", "type": "Opaque"});
        assert!(check(&secret).is_empty());
    }
}
