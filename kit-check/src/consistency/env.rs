//! The app's containers get every environment variable the app reads, each
//! from the kind of source the app expects, and nothing the app ignores.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::Container;

use crate::objects::{Objects, Workload, config_map_keys};

use super::{AppFacts, Source, containers, describe};

pub fn check(objects: &Objects, app: &AppFacts) -> Vec<String> {
    let mut problems = Vec::new();
    for workload in &objects.workloads {
        for container in containers(workload).filter(|c| app.runs_in(c)) {
            let provided = provided(objects, workload, container);
            let mut report = |what: String| {
                problems.push(format!(
                    "{}: container {}: {what}",
                    describe(workload),
                    container.name
                ))
            };
            for (name, wanted) in &app.env {
                match provided.get(name) {
                    None => report(format!("the app reads {name} but nothing provides it")),
                    Some(got) if got != wanted => report(format!(
                        "{name} comes from {got:?}, the app expects it from {wanted:?}"
                    )),
                    Some(_) => {}
                }
            }
            for name in provided.keys() {
                if !app.env.iter().any(|(known, _)| known == name) {
                    report(format!("{name} is provided but the app never reads it"));
                }
            }
            // The app listens on PORT: a containerPort must say so.
            if let Some(port) = setting_value(objects, workload, container, "PORT") {
                let declared = container
                    .ports
                    .iter()
                    .flatten()
                    .any(|p| p.container_port.to_string() == port);
                if !declared {
                    report(format!("PORT={port}, but no containerPort is {port}"));
                }
            }
        }
    }
    problems
}

/// The plain value a container gets for `name` (from `env` or a ConfigMap).
pub(super) fn setting_value(
    objects: &Objects,
    workload: &Workload,
    container: &Container,
    name: &str,
) -> Option<String> {
    if let Some(var) = container.env.iter().flatten().find(|v| v.name == name) {
        return var.value.clone();
    }
    container
        .env_from
        .iter()
        .flatten()
        .rev()
        .find_map(|source| {
            let prefix = source.prefix.as_deref().unwrap_or("");
            let key = name.strip_prefix(prefix)?;
            let r = source.config_map_ref.as_ref()?;
            let cm = objects.config_map(&workload.namespace, &r.name)?;
            cm.data.as_ref()?.get(key).cloned()
        })
}

/// Each variable the container gets, with the kind of source it comes from.
/// Later definitions win, as in Kubernetes (`env` over `envFrom`).
fn provided(
    objects: &Objects,
    workload: &Workload,
    container: &Container,
) -> BTreeMap<String, Source> {
    let mut provided = BTreeMap::new();
    for source in container.env_from.iter().flatten() {
        let prefix = source.prefix.clone().unwrap_or_default();
        if let Some(r) = &source.config_map_ref
            && let Some(cm) = objects.config_map(&workload.namespace, &r.name)
        {
            for key in config_map_keys(cm) {
                provided.insert(format!("{prefix}{key}"), Source::Setting);
            }
        }
        if let Some(r) = &source.secret_ref
            && let Some(secret) = objects.secret(&workload.namespace, &r.name)
        {
            for key in crate::objects::secret_keys(secret) {
                provided.insert(format!("{prefix}{key}"), Source::Secret);
            }
        }
    }
    for var in container.env.iter().flatten() {
        let source = match &var.value_from {
            None => Source::Setting,
            Some(from) if from.secret_key_ref.is_some() => Source::Secret,
            Some(from) if from.config_map_key_ref.is_some() => Source::Setting,
            Some(_) => Source::Downward,
        };
        provided.insert(var.name.clone(), source);
    }
    provided
}

/// The environment a container would see, as far as it is known offline:
/// plain values, ConfigMap and Secret values (decoded), and for the
/// Downward API a stand-in naming the field (`<metadata.name>`).
pub fn resolved_env(
    objects: &Objects,
    workload: &Workload,
    container: &Container,
) -> BTreeMap<String, String> {
    let ns = &workload.namespace;
    let mut env = BTreeMap::new();
    for source in container.env_from.iter().flatten() {
        let prefix = source.prefix.clone().unwrap_or_default();
        if let Some(cm) = source
            .config_map_ref
            .as_ref()
            .and_then(|r| objects.config_map(ns, &r.name))
        {
            for (key, value) in cm.data.iter().flatten() {
                env.insert(format!("{prefix}{key}"), value.clone());
            }
        }
        if let Some(secret) = source
            .secret_ref
            .as_ref()
            .and_then(|r| objects.secret(ns, &r.name))
        {
            for (key, value) in secret.data.iter().flatten() {
                env.insert(
                    format!("{prefix}{key}"),
                    String::from_utf8_lossy(&value.0).into_owned(),
                );
            }
        }
    }
    for var in container.env.iter().flatten() {
        let value = match &var.value_from {
            None => var.value.clone().unwrap_or_default(),
            Some(from) => {
                if let Some(r) = &from.config_map_key_ref {
                    objects
                        .config_map(ns, &r.name)
                        .and_then(|cm| cm.data.as_ref()?.get(&r.key).cloned())
                        .unwrap_or_default()
                } else if let Some(r) = &from.secret_key_ref {
                    objects
                        .secret(ns, &r.name)
                        .and_then(|s| s.data.as_ref()?.get(&r.key).cloned())
                        .map(|b| String::from_utf8_lossy(&b.0).into_owned())
                        .unwrap_or_default()
                } else if let Some(r) = &from.field_ref {
                    format!("<{}>", r.field_path)
                } else if let Some(r) = &from.resource_field_ref {
                    format!("<{}>", r.resource)
                } else {
                    String::new()
                }
            }
        };
        env.insert(var.name.clone(), value);
    }
    env
}
