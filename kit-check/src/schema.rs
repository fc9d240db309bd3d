//! Schema validation against Kubernetes 1.34 (k8s-openapi, feature `v1_34`).
//!
//! Each object is decoded into the typed struct for its `apiVersion` and
//! `kind`, which rejects wrong types (a number where a string belongs, an
//! unknown enum value the types model, a missing required field), then
//! encoded back; any difference from the original (see [`crate::diff`])
//! means a field the schema does not have, usually a misspelling.

use k8s_openapi::Resource;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diff::differences;
use crate::enums;
use crate::yaml::Document;

/// Problems found in one document, each a full sentence with its origin.
pub fn check_document(doc: &Document) -> Vec<String> {
    let value = &doc.value;
    let origin = &doc.origin;
    let (Some(api_version), Some(kind)) = (
        value.get("apiVersion").and_then(Value::as_str),
        value.get("kind").and_then(Value::as_str),
    ) else {
        return vec![format!("{origin}: no apiVersion or kind")];
    };
    let name = value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    let what = format!("{origin} ({kind} {name})");
    if api_version.starts_with("kustomize.config.k8s.io/") {
        return Vec::new(); // A kustomization file, not an object for the API server.
    }
    if kind == "List" && api_version == "v1" {
        return check_list(&what, value);
    }
    let mut problems = Vec::new();
    if name.is_empty() && value.pointer("/metadata/generateName").is_none() {
        problems.push(format!("{what}: metadata.name is missing"));
    }
    match round_trip(api_version, kind, value) {
        None => problems.push(format!(
            "{what}: {api_version} {kind} is not a Kubernetes 1.34 built-in kind \
             (misspelled kind or apiVersion, or a kind the checker does not list in schema.rs)"
        )),
        Some(Err(error)) => problems.push(format!("{what}: does not decode: {error}")),
        Some(Ok(reencoded)) => {
            problems.extend(
                differences(value, &reencoded)
                    .into_iter()
                    .filter(|d| !server_defaulted(d))
                    .map(|d| format!("{what}: {d}")),
            );
            problems.extend(
                enums::check(value)
                    .into_iter()
                    .map(|d| format!("{what}: {d}")),
            );
        }
    }
    problems
}

/// Fields the 1.34 OpenAPI document lists as required although the API
/// server fills them in when missing (the 1.35 document makes them
/// optional). Written as JSON paths with the list indexes left out.
const SERVER_DEFAULTED: &[&str] = &[
    // "Defaults to True" (batch/v1 Job podFailurePolicy).
    "spec.podFailurePolicy.rules[].onPodConditions[].status",
    "spec.jobTemplate.spec.podFailurePolicy.rules[].onPodConditions[].status",
];

fn server_defaulted(difference: &str) -> bool {
    let Some((path, what)) = difference.split_once(": ") else {
        return false;
    };
    let mut generic = String::new();
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                generic.push('[');
            }
            ']' => {
                in_index = false;
                generic.push(']');
            }
            _ if in_index => {}
            _ => generic.push(c),
        }
    }
    what.starts_with("required field is missing") && SERVER_DEFAULTED.contains(&generic.as_str())
}

/// Every problem in every document.
pub fn check_documents(docs: &[Document]) -> Vec<String> {
    docs.iter().flat_map(check_document).collect()
}

fn check_list(what: &str, value: &Value) -> Vec<String> {
    let Some(items) = value.get("items").and_then(Value::as_array) else {
        return vec![format!("{what}: a List without items")];
    };
    items
        .iter()
        .enumerate()
        .flat_map(|(index, item)| {
            check_document(&Document {
                origin: format!("{what} items[{index}]"),
                value: item.clone(),
            })
        })
        .collect()
}

fn decode_encode<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T = serde_path_to_error::deserialize(value.clone()).map_err(|e| {
        let path = e.path().to_string();
        format!("at {path}: {}", e.into_inner())
    })?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

/// Builds the table from (apiVersion, kind) to the typed decoder.
macro_rules! kinds {
    ($($ty:ty),* $(,)?) => {
        fn round_trip(api_version: &str, kind: &str, value: &Value) -> Option<Result<Value, String>> {
            $(
                if api_version == <$ty as Resource>::API_VERSION && kind == <$ty as Resource>::KIND {
                    return Some(decode_encode::<$ty>(value));
                }
            )*
            None
        }

        /// Every `apiVersion kind` the schema check knows.
        pub fn known_kinds() -> Vec<String> {
            vec![$(format!("{} {}", <$ty as Resource>::API_VERSION, <$ty as Resource>::KIND)),*]
        }
    };
}

use k8s_openapi::api::{
    admissionregistration, apps, autoscaling, batch, coordination, core, discovery, networking,
    node, policy, rbac, scheduling, storage,
};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions;

kinds!(
    core::v1::ConfigMap,
    core::v1::Endpoints,
    core::v1::LimitRange,
    core::v1::Namespace,
    core::v1::Node,
    core::v1::PersistentVolume,
    core::v1::PersistentVolumeClaim,
    core::v1::Pod,
    core::v1::PodTemplate,
    core::v1::ReplicationController,
    core::v1::ResourceQuota,
    core::v1::Secret,
    core::v1::Service,
    core::v1::ServiceAccount,
    apps::v1::ControllerRevision,
    apps::v1::DaemonSet,
    apps::v1::Deployment,
    apps::v1::ReplicaSet,
    apps::v1::StatefulSet,
    autoscaling::v1::HorizontalPodAutoscaler,
    autoscaling::v2::HorizontalPodAutoscaler,
    batch::v1::CronJob,
    batch::v1::Job,
    coordination::v1::Lease,
    discovery::v1::EndpointSlice,
    networking::v1::Ingress,
    networking::v1::IngressClass,
    networking::v1::NetworkPolicy,
    node::v1::RuntimeClass,
    policy::v1::PodDisruptionBudget,
    rbac::v1::ClusterRole,
    rbac::v1::ClusterRoleBinding,
    rbac::v1::Role,
    rbac::v1::RoleBinding,
    scheduling::v1::PriorityClass,
    storage::v1::CSIDriver,
    storage::v1::StorageClass,
    storage::v1::VolumeAttachment,
    admissionregistration::v1::MutatingWebhookConfiguration,
    admissionregistration::v1::ValidatingAdmissionPolicy,
    admissionregistration::v1::ValidatingAdmissionPolicyBinding,
    admissionregistration::v1::ValidatingWebhookConfiguration,
    apiextensions::v1::CustomResourceDefinition,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    fn problems(text: &str) -> Vec<String> {
        check_documents(&parse("test.yaml", text).unwrap())
    }

    #[test]
    fn a_valid_object_passes() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {A: \"1\"}\n";
        assert_eq!(problems(text), Vec::<String>::new());
    }

    #[test]
    fn a_misspelled_field_fails() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndatta: {A: \"1\"}\n";
        let found = problems(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("datta: unknown field"), "{found:?}");
    }

    #[test]
    fn a_wrong_type_fails_with_its_path() {
        let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {PORT: 8000}\n";
        let found = problems(text);
        assert!(found[0].contains("at data.PORT: invalid type"), "{found:?}");
    }

    #[test]
    fn a_missing_required_field_fails() {
        let text = "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n    - image: busybox:1.37\n";
        let found = problems(text);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].contains("spec.containers[0].name: required field is missing"),
            "{found:?}"
        );
    }

    #[test]
    fn a_field_the_server_defaults_may_be_left_out() {
        let text = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: a}\nspec:\n  podFailurePolicy:\n    rules:\n      - action: Ignore\n        onPodConditions:\n          - type: DisruptionTarget\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - {name: a, image: busybox:1.37}\n";
        assert_eq!(problems(text), Vec::<String>::new());
    }

    #[test]
    fn an_unknown_kind_fails() {
        let found = problems("apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: a}\n");
        assert!(
            found[0].contains("not a Kubernetes 1.34 built-in kind"),
            "{found:?}"
        );
    }
}
