//! Every value of the kit the pages may state, derived from the files: each
//! numeric scalar leaf of every manifest under `k8s/` (`app/`, `redis/`,
//! `hpa/`, `ingress/`, the namespace; a new directory is read as it
//! lands), the numbers of the
//! Redis configuration its Deployment renders (`maxmemory 64mb`), and the
//! defaults of the app's settings table (`demo_app::config::ENV_VARS`).
//! The manifests under `k8s/examples/` are read too, marked as examples:
//! they are illustrations, not the kit, and only tie a number on a page that
//! names the example's file.
//!
//! Nothing here is typed in: a new field in a manifest is a new
//! [`KitValue`], which [`crate::facts`] then looks for in the prose (or
//! reports, when its name has no words yet).

use std::path::Path;

use regex::Regex;
use serde_json::Value;

/// One value of the kit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KitValue {
    /// Relative to the repository root: `k8s/app/deployment.yaml`.
    pub file: String,
    /// The object's kind (`Deployment`), or `setting` for the settings table.
    pub kind: String,
    /// JSON pointer of the value in its object (`/spec/replicas`), or
    /// `ENV_VARS/NAME/default`; a Redis setting is `<pointer>#maxmemory`.
    pub pointer: String,
    /// The field's name: the pointer's last name (`periodSeconds`), the
    /// ConfigMap key (`SESSION_TTL`), the Redis setting (`maxmemory`).
    pub field: String,
    /// As the file writes it: `5`, `50m`, `64Mi`, `0440`.
    pub value: String,
    /// The object's `app.kubernetes.io/name` (`demo-app`, `redis`,
    /// `traefik`): what the prose calls it.
    pub owner: String,
    /// What else the value belongs to, for telling alike fields apart in
    /// prose: the probe (`liveness`), `request`/`limit`, `up`/`down`,
    /// `default`.
    pub tags: Vec<String>,
    /// From `k8s/examples/`: an illustration, not the kit.
    pub example: bool,
}

impl KitValue {
    /// `k8s/app/deployment.yaml Deployment /spec/replicas = 5`, for messages.
    pub fn describe(&self) -> String {
        format!(
            "{} {} {} = {}",
            self.file, self.kind, self.pointer, self.value
        )
    }
}

/// The kit's manifests: every YAML file under `k8s/` but the examples and
/// what `make deploy` generates.
pub const KIT: &str = "k8s";

/// What is under [`KIT`] but not the kit.
const NOT_KIT: &[&str] = &["k8s/examples/", "k8s/.generated/"];

/// The kit's manifest files, relative to `root`.
pub fn kit_files(root: &Path) -> Vec<String> {
    kit_check::paths::yaml_files(&root.join(KIT))
        .iter()
        .filter_map(|f| {
            let rel = f
                .strip_prefix(root)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            (!NOT_KIT.iter().any(|n| rel.starts_with(n))).then_some(rel)
        })
        .collect()
}

/// The examples: read, but only as illustrations.
pub const EXAMPLES: &str = "k8s/examples";

/// The settings table, as messages name it.
pub const SETTINGS_FILE: &str = "demo-app/src/config.rs";

/// A value that reads as a number: `5`, `2.5`, `50m`, `64Mi`, `100Mi`.
fn numeric(text: &str) -> bool {
    static RE: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        Regex::new(r"^\d+(?:\.\d+)?(?:m|k|M|G|Ki|Mi|Gi|mb|gb|kb)?$").unwrap()
    });
    RE.is_match(text)
}

/// Every value of the kit and of its examples.
pub fn kit_values(root: &Path) -> Result<Vec<KitValue>, String> {
    let mut values = Vec::new();
    for file in kit_files(root) {
        read_file(root, &root.join(file), false, &mut values)?;
    }
    for file in kit_check::paths::yaml_files(&root.join(EXAMPLES)) {
        read_file(root, &file, true, &mut values)?;
    }
    values.extend(derived(&values));
    for spec in demo_app::config::ENV_VARS {
        if let (Some(default), Some(_)) = (spec.default, spec.bounds) {
            values.push(KitValue {
                file: SETTINGS_FILE.into(),
                kind: "setting".into(),
                pointer: format!("ENV_VARS/{}/default", spec.name),
                field: spec.name.into(),
                value: default.into(),
                owner: "demo-app".into(),
                tags: vec!["default".into()],
                example: false,
            });
        }
    }
    Ok(values)
}

/// Values the prose states that are products of two kit values:
/// `failureWindow`, how long a probe takes to act (`periodSeconds` ×
/// `failureThreshold`: "about 30 seconds"), and `targetPerPod`, the CPU an
/// HPA's utilisation target means per pod (`averageUtilization` % of the
/// CPU request it is measured against: "about 25m per pod").
fn derived(values: &[KitValue]) -> Vec<KitValue> {
    let mut out = Vec::new();
    for period in values.iter().filter(|v| v.field == "periodSeconds") {
        let probe = period.pointer.trim_end_matches("/periodSeconds");
        let failures = values
            .iter()
            .find(|v| v.file == period.file && v.pointer == format!("{probe}/failureThreshold"));
        // Kubernetes 1.34's default failureThreshold is 3.
        let failures = failures.map_or("3", |v| v.value.as_str());
        if let (Ok(p), Ok(f)) = (period.value.parse::<u64>(), failures.parse::<u64>()) {
            out.push(KitValue {
                pointer: format!("{probe}/periodSeconds × failureThreshold"),
                field: "failureWindow".into(),
                value: (p * f).to_string(),
                ..period.clone()
            });
        }
    }
    for target in values
        .iter()
        .filter(|v| v.field == "averageUtilization" && v.kind == "HorizontalPodAutoscaler")
    {
        let request = values.iter().find(|v| {
            v.field == "cpu"
                && v.kind == "Deployment"
                && v.example == target.example
                && v.tags.iter().any(|t| t == "request")
                && v.owner == target.owner
        });
        let (Some(request), Ok(percent)) = (request, target.value.parse::<u64>()) else {
            continue;
        };
        if let Some(millis) = request
            .value
            .strip_suffix('m')
            .and_then(|m| m.parse::<u64>().ok())
        {
            out.push(KitValue {
                pointer: format!("{} × {} {}", target.pointer, request.file, request.pointer),
                field: "targetPerPod".into(),
                value: format!("{}m", millis * percent / 100),
                ..target.clone()
            });
        }
    }
    out
}

fn read_file(
    root: &Path,
    path: &Path,
    example: bool,
    values: &mut Vec<KitValue>,
) -> Result<(), String> {
    let rel = path
        .strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/");
    let text = std::fs::read_to_string(path).map_err(|e| format!("{rel}: {e}"))?;
    for doc in kit_check::yaml::parse(&rel, &text)? {
        let kind = doc
            .value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let owner = doc
            .value
            .pointer("/metadata/labels/app.kubernetes.io~1name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let mut leaves = Vec::new();
        walk(&doc.value, String::new(), &mut leaves);
        for (pointer, leaf) in leaves {
            // Labels, annotations, names: words, not values.
            if pointer.starts_with("/metadata") || pointer.contains("/metadata/") {
                continue;
            }
            let field = pointer.rsplit('/').next().unwrap_or("").to_owned();
            let tags: Vec<String> = pointer
                .split('/')
                .filter_map(|segment| {
                    Some(match segment {
                        "livenessProbe" => "liveness",
                        "readinessProbe" => "readiness",
                        "startupProbe" => "startup",
                        "requests" => "request",
                        "limits" => "limit",
                        "scaleUp" => "up",
                        "scaleDown" => "down",
                        _ => return None,
                    })
                })
                .map(str::to_owned)
                .collect();
            let push = |values: &mut Vec<KitValue>, pointer: String, field: String, value| {
                values.push(KitValue {
                    file: rel.clone(),
                    kind: kind.clone(),
                    pointer,
                    field,
                    value,
                    owner: owner.clone(),
                    tags: tags.clone(),
                    example,
                });
            };
            match leaf {
                Value::Number(n) => {
                    // YAML's `0440` (an octal file mode) is read as 288.
                    let value = if field == "defaultMode" {
                        format!("0{:o}", n.as_u64().unwrap_or(0))
                    } else {
                        n.to_string()
                    };
                    push(values, pointer, field, value);
                }
                Value::String(s) if numeric(s) => push(values, pointer, field, s.clone()),
                Value::String(s) if s.contains("redis-server") => {
                    // The configuration a shell renders for `redis-server -`.
                    for line in s.lines() {
                        let mut words = line.split_whitespace();
                        if let (Some(key), Some(value), None) =
                            (words.next(), words.next(), words.next())
                            && key.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                            && numeric(value)
                        {
                            push(
                                values,
                                format!("{pointer}#{key}"),
                                key.to_owned(),
                                value.to_owned(),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn walk<'a>(value: &'a Value, pointer: String, leaves: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                walk(
                    v,
                    format!("{pointer}/{}", k.replace('~', "~0").replace('/', "~1")),
                    leaves,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(v, format!("{pointer}/{i}"), leaves);
            }
        }
        _ => leaves.push((pointer, value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kit_is_read_whole() {
        let values = kit_values(testkit::repo_root()).unwrap();
        let find = |file: &str, pointer: &str| {
            values
                .iter()
                .find(|v| v.file == file && v.pointer == pointer)
                .map(|v| v.value.clone())
        };
        assert_eq!(
            find("k8s/app/deployment.yaml", "/spec/replicas").as_deref(),
            Some("5")
        );
        assert!(
            values
                .iter()
                .any(|v| v.field == "maxmemory" && v.owner == "redis")
        );
        assert!(
            values
                .iter()
                .any(|v| v.field == "defaultMode" && v.value == "0440")
        );
        assert!(
            values
                .iter()
                .any(|v| v.file == SETTINGS_FILE && v.field == "SESSION_TTL")
        );
        assert!(values.iter().any(|v| v.example));
        assert!(
            values
                .iter()
                .all(|v| !v.pointer.contains("/metadata/labels"))
        );
    }
}
