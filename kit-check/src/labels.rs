//! Kubernetes' recommended labels on every object the kit applies, so
//! `kubectl get all -l app.kubernetes.io/part-of=k8s-learning-kit` (and any
//! tool that reads them) sees the whole kit.

use serde_json::Value;

use crate::yaml::Document;

pub const PART_OF: (&str, &str) = ("app.kubernetes.io/part-of", "k8s-learning-kit");
/// Every object but the Namespace also says what it is and what part it plays.
pub const PER_OBJECT: &[&str] = &["app.kubernetes.io/name", "app.kubernetes.io/component"];

pub fn missing(docs: &[Document]) -> Vec<String> {
    let mut problems = Vec::new();
    for doc in docs {
        let kind = doc.value.get("kind").and_then(Value::as_str).unwrap_or("");
        let name = doc
            .value
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("");
        let labels = doc.value.pointer("/metadata/labels");
        let label = |key: &str| labels.and_then(|l| l.get(key)).and_then(Value::as_str);
        if label(PART_OF.0) != Some(PART_OF.1) {
            problems.push(format!(
                "{kind} {name}: no label {}={}",
                PART_OF.0, PART_OF.1
            ));
        }
        if kind != "Namespace" {
            for key in PER_OBJECT.iter().filter(|k| label(k).is_none()) {
                problems.push(format!("{kind} {name}: no label {key}"));
            }
        }
    }
    problems
}
