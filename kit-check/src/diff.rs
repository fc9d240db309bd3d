//! Where two JSON documents differ: the heart of the strict round-trip.
//!
//! The original manifest is compared with what the typed Kubernetes object
//! encodes back to. A field the types do not know is dropped on decoding,
//! so it shows up here as missing from the re-encoded side.

use serde_json::Value;

/// Every difference between `original` and `reencoded`, as one line each,
/// with the JSON path (`spec.template.spec.containers[0].imagePullPolcy`).
///
/// Differences that are not differences to Kubernetes are ignored:
/// - a `null` field in the original is the same as an absent one;
/// - a number where the types hold a quantity string (`cpu: 1` becomes
///   `"1"`): the API server accepts both forms.
pub fn differences(original: &Value, reencoded: &Value) -> Vec<String> {
    let mut found = Vec::new();
    walk("", original, reencoded, &mut found);
    found
}

fn walk(path: &str, original: &Value, reencoded: &Value, found: &mut Vec<String>) {
    match (original, reencoded) {
        (Value::Object(orig), Value::Object(re)) => {
            for (key, value) in orig {
                let here = join(path, key);
                match re.get(key) {
                    _ if value.is_null() => {}
                    None => found.push(format!(
                        "{here}: unknown field (not in the Kubernetes 1.34 schema here)"
                    )),
                    Some(other) => walk(&here, value, other, found),
                }
            }
            for (key, value) in re {
                // Embedded objects (a StatefulSet's volumeClaimTemplates)
                // are re-encoded with their apiVersion and kind: harmless.
                let embedded_type = !path.is_empty() && (key == "apiVersion" || key == "kind");
                if !orig.contains_key(key) && !value.is_null() && !embedded_type {
                    // The types fill a missing required field with its
                    // empty value ("", 0, false): the schema requires it.
                    found.push(format!(
                        "{}: required field is missing (the 1.34 schema requires it; re-encoded as {value})",
                        join(path, key)
                    ));
                }
            }
        }
        (Value::Array(orig), Value::Array(re)) if orig.len() == re.len() => {
            for (index, (a, b)) in orig.iter().zip(re).enumerate() {
                walk(&format!("{path}[{index}]"), a, b, found);
            }
        }
        (Value::Number(n), Value::String(s))
            if n.to_string() == *s || s.parse::<f64>().ok() == n.as_f64() => {}
        _ if original == reencoded => {}
        _ => found.push(format!(
            "{}: {original} became {reencoded} on re-encoding",
            if path.is_empty() { "(document)" } else { path }
        )),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::differences;
    use serde_json::json;

    #[test]
    fn equal_documents_have_no_differences() {
        let doc = json!({"a": {"b": [1, "x"]}});
        assert!(differences(&doc, &doc).is_empty());
    }

    #[test]
    fn a_dropped_field_is_reported_with_its_path() {
        let original = json!({"spec": {"containers": [{"name": "a", "imagePullPolcy": "Always"}]}});
        let reencoded = json!({"spec": {"containers": [{"name": "a"}]}});
        assert_eq!(
            differences(&original, &reencoded),
            [
                "spec.containers[0].imagePullPolcy: unknown field (not in the Kubernetes 1.34 schema here)"
            ]
        );
    }

    #[test]
    fn nulls_and_numeric_quantities_are_not_differences() {
        let original =
            json!({"cpu": 1, "creationTimestamp": null, "memory": "64Mi", "storage": 1e3});
        let reencoded = json!({"cpu": "1", "memory": "64Mi", "storage": "1000"});
        assert!(differences(&original, &reencoded).is_empty());
    }

    #[test]
    fn a_changed_value_is_reported() {
        let found = differences(&json!({"port": 80}), &json!({"port": 81}));
        assert_eq!(found, ["port: 80 became 81 on re-encoding"]);
    }
}
