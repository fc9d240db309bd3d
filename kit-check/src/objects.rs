//! The typed objects the consistency checks look at, sorted by kind.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler;
use k8s_openapi::api::core::v1::{
    ConfigMap, PersistentVolumeClaim, PodTemplateSpec, Secret, Service, ServiceAccount,
};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::yaml::Document;

/// Something that runs pods from a template: Deployment, StatefulSet, DaemonSet.
#[derive(Debug, Clone)]
pub struct Workload {
    pub kind: String,
    pub name: String,
    pub namespace: String,
    pub selector: LabelSelector,
    pub template: PodTemplateSpec,
}

impl Workload {
    /// The labels every pod of this workload carries.
    pub fn pod_labels(&self) -> BTreeMap<String, String> {
        self.template
            .metadata
            .as_ref()
            .and_then(|m| m.labels.clone())
            .unwrap_or_default()
    }
}

#[derive(Debug, Default)]
pub struct Objects {
    pub workloads: Vec<Workload>,
    pub services: Vec<Service>,
    pub config_maps: Vec<ConfigMap>,
    pub secrets: Vec<Secret>,
    pub service_accounts: Vec<ServiceAccount>,
    pub pvcs: Vec<PersistentVolumeClaim>,
    pub pdbs: Vec<PodDisruptionBudget>,
    pub network_policies: Vec<NetworkPolicy>,
    pub hpas: Vec<HorizontalPodAutoscaler>,
}

/// The namespace an object lives in (`default` when unset, as kubectl does).
pub fn namespace_of(meta: &ObjectMeta) -> String {
    meta.namespace.clone().unwrap_or_else(|| "default".into())
}

/// The name of an object.
pub fn name_of(meta: &ObjectMeta) -> String {
    meta.name.clone().unwrap_or_default()
}

impl Objects {
    /// Sort the documents by kind; kinds no check looks at are left out.
    /// Decoding errors are the schema check's business: here they are fatal.
    pub fn from_documents(docs: &[Document]) -> Result<Objects, String> {
        let mut objects = Objects::default();
        for doc in docs {
            let kind = doc.value.get("kind").and_then(Value::as_str).unwrap_or("");
            let api = doc
                .value
                .get("apiVersion")
                .and_then(Value::as_str)
                .unwrap_or("");
            match (api, kind) {
                ("apps/v1", "Deployment") => {
                    let d: Deployment = decode(doc)?;
                    let spec = d.spec.unwrap_or_default();
                    objects.workloads.push(workload(
                        kind,
                        &d.metadata,
                        spec.selector,
                        spec.template,
                    ));
                }
                ("apps/v1", "StatefulSet") => {
                    let s: StatefulSet = decode(doc)?;
                    let spec = s.spec.unwrap_or_default();
                    objects.workloads.push(workload(
                        kind,
                        &s.metadata,
                        spec.selector,
                        spec.template,
                    ));
                }
                ("apps/v1", "DaemonSet") => {
                    let s: DaemonSet = decode(doc)?;
                    let spec = s.spec.unwrap_or_default();
                    objects.workloads.push(workload(
                        kind,
                        &s.metadata,
                        spec.selector,
                        spec.template,
                    ));
                }
                ("v1", "Service") => objects.services.push(decode(doc)?),
                ("v1", "ConfigMap") => objects.config_maps.push(decode(doc)?),
                ("v1", "Secret") => objects.secrets.push(decode(doc)?),
                ("v1", "ServiceAccount") => objects.service_accounts.push(decode(doc)?),
                ("v1", "PersistentVolumeClaim") => objects.pvcs.push(decode(doc)?),
                ("policy/v1", "PodDisruptionBudget") => objects.pdbs.push(decode(doc)?),
                ("networking.k8s.io/v1", "NetworkPolicy") => {
                    objects.network_policies.push(decode(doc)?)
                }
                ("autoscaling/v2", "HorizontalPodAutoscaler") => objects.hpas.push(decode(doc)?),
                _ => {}
            }
        }
        Ok(objects)
    }

    pub fn config_map(&self, namespace: &str, name: &str) -> Option<&ConfigMap> {
        self.config_maps
            .iter()
            .find(|c| namespace_of(&c.metadata) == namespace && name_of(&c.metadata) == name)
    }

    pub fn secret(&self, namespace: &str, name: &str) -> Option<&Secret> {
        self.secrets
            .iter()
            .find(|s| namespace_of(&s.metadata) == namespace && name_of(&s.metadata) == name)
    }

    /// The workloads in `namespace` whose pods `selector` selects.
    pub fn selected<'a>(
        &'a self,
        namespace: &'a str,
        selector: &'a LabelSelector,
    ) -> impl Iterator<Item = &'a Workload> + 'a {
        self.workloads
            .iter()
            .filter(move |w| w.namespace == namespace && matches(selector, &w.pod_labels()))
    }
}

/// The keys a ConfigMap provides.
pub fn config_map_keys(config_map: &ConfigMap) -> Vec<String> {
    let data = config_map.data.iter().flat_map(|d| d.keys().cloned());
    let binary = config_map
        .binary_data
        .iter()
        .flat_map(|d| d.keys().cloned());
    data.chain(binary).collect()
}

/// The keys a Secret provides.
pub fn secret_keys(secret: &Secret) -> Vec<String> {
    let data = secret.data.iter().flat_map(|d| d.keys().cloned());
    let string_data = secret.string_data.iter().flat_map(|d| d.keys().cloned());
    data.chain(string_data).collect()
}

/// Does a label selector select an object with these labels? An empty
/// selector selects everything, as in Kubernetes.
pub fn matches(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    let by_labels = selector
        .match_labels
        .iter()
        .flatten()
        .all(|(k, v)| labels.get(k) == Some(v));
    let by_expressions = selector.match_expressions.iter().flatten().all(|e| {
        let value = labels.get(&e.key);
        let values = e.values.clone().unwrap_or_default();
        match e.operator.as_str() {
            "In" => value.is_some_and(|v| values.contains(v)),
            "NotIn" => value.is_none_or(|v| !values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    });
    by_labels && by_expressions
}

/// A `map[string]string` selector (Services) as a label selector.
pub fn from_map(map: &BTreeMap<String, String>) -> LabelSelector {
    LabelSelector {
        match_labels: Some(map.clone()),
        match_expressions: None,
    }
}

fn workload(
    kind: &str,
    meta: &ObjectMeta,
    selector: LabelSelector,
    template: PodTemplateSpec,
) -> Workload {
    Workload {
        kind: kind.to_owned(),
        name: name_of(meta),
        namespace: namespace_of(meta),
        selector,
        template,
    }
}

fn decode<T: DeserializeOwned>(doc: &Document) -> Result<T, String> {
    serde_json::from_value(doc.value.clone()).map_err(|e| format!("{}: {e}", doc.origin))
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn match_labels_and_expressions() {
        let selector = LabelSelector {
            match_labels: Some(labels(&[("app", "web")])),
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "tier".into(),
                operator: "In".into(),
                values: Some(vec!["front".into(), "edge".into()]),
            }]),
        };
        assert!(matches(
            &selector,
            &labels(&[("app", "web"), ("tier", "edge")])
        ));
        assert!(!matches(
            &selector,
            &labels(&[("app", "web"), ("tier", "back")])
        ));
        assert!(!matches(&selector, &labels(&[("app", "web")])));
        assert!(matches(&LabelSelector::default(), &labels(&[])));
    }
}
