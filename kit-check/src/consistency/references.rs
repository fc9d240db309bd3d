//! Every reference by name resolves: ConfigMaps, Secrets and their keys,
//! the PVC a volume claims, the ServiceAccount, the HPA's target.

use crate::objects::{Objects, Workload, config_map_keys, name_of, namespace_of, secret_keys};

use super::{containers, describe};

pub fn check(objects: &Objects) -> Vec<String> {
    let mut problems = Vec::new();
    for workload in &objects.workloads {
        problems.extend(env_references(objects, workload));
        problems.extend(pod_references(objects, workload));
    }
    problems.extend(hpa_targets(objects));
    problems
}

fn env_references(objects: &Objects, workload: &Workload) -> Vec<String> {
    let ns = &workload.namespace;
    let mut problems = Vec::new();
    let mut report = |what: String| problems.push(format!("{}: {what}", describe(workload)));
    let names: Vec<&str> = containers(workload).map(|c| c.name.as_str()).collect();
    for container in containers(workload) {
        for source in container.env_from.iter().flatten() {
            if let Some(r) = &source.config_map_ref
                && !r.optional.unwrap_or(false)
                && objects.config_map(ns, &r.name).is_none()
            {
                report(format!("envFrom ConfigMap {} does not exist", r.name));
            }
            if let Some(r) = &source.secret_ref
                && !r.optional.unwrap_or(false)
                && objects.secret(ns, &r.name).is_none()
            {
                report(format!("envFrom Secret {} does not exist", r.name));
            }
        }
        for var in container.env.iter().flatten() {
            let Some(from) = &var.value_from else {
                continue;
            };
            if let Some(r) = &from.config_map_key_ref
                && !r.optional.unwrap_or(false)
            {
                match objects.config_map(ns, &r.name) {
                    None => report(format!(
                        "env {}: ConfigMap {} does not exist",
                        var.name, r.name
                    )),
                    Some(cm) if !config_map_keys(cm).contains(&r.key) => report(format!(
                        "env {}: ConfigMap {} has no key {}",
                        var.name, r.name, r.key
                    )),
                    Some(_) => {}
                }
            }
            if let Some(r) = &from.secret_key_ref
                && !r.optional.unwrap_or(false)
            {
                match objects.secret(ns, &r.name) {
                    None => report(format!(
                        "env {}: Secret {} does not exist",
                        var.name, r.name
                    )),
                    Some(s) if !secret_keys(s).contains(&r.key) => report(format!(
                        "env {}: Secret {} has no key {}",
                        var.name, r.name, r.key
                    )),
                    Some(_) => {}
                }
            }
            if let Some(r) = &from.resource_field_ref {
                let target = r.container_name.as_deref().unwrap_or(&container.name);
                if !names.contains(&target) {
                    report(format!(
                        "env {}: resourceFieldRef names container {target}, which the pod does not have",
                        var.name
                    ));
                }
            }
        }
    }
    problems
}

fn pod_references(objects: &Objects, workload: &Workload) -> Vec<String> {
    let ns = &workload.namespace;
    let mut problems = Vec::new();
    let Some(spec) = &workload.template.spec else {
        return problems;
    };
    let mut report = |what: String| problems.push(format!("{}: {what}", describe(workload)));
    if let Some(account) = &spec.service_account_name {
        let exists = objects
            .service_accounts
            .iter()
            .any(|sa| namespace_of(&sa.metadata) == *ns && name_of(&sa.metadata) == *account);
        if !exists && account != "default" {
            report(format!("serviceAccountName {account} does not exist"));
        }
    }
    for volume in spec.volumes.iter().flatten() {
        if let Some(claim) = &volume.persistent_volume_claim {
            let exists = objects.pvcs.iter().any(|pvc| {
                namespace_of(&pvc.metadata) == *ns && name_of(&pvc.metadata) == claim.claim_name
            });
            if !exists {
                report(format!(
                    "volume {}: claimName {} matches no PersistentVolumeClaim",
                    volume.name, claim.claim_name
                ));
            }
        }
        if let Some(secret) = &volume.secret
            && let Some(name) = &secret.secret_name
            && !secret.optional.unwrap_or(false)
            && objects.secret(ns, name).is_none()
        {
            report(format!(
                "volume {}: Secret {name} does not exist",
                volume.name
            ));
        }
        if let Some(cm) = &volume.config_map
            && !cm.optional.unwrap_or(false)
            && objects.config_map(ns, &cm.name).is_none()
        {
            report(format!(
                "volume {}: ConfigMap {} does not exist",
                volume.name, cm.name
            ));
        }
    }
    let volumes: Vec<&str> = spec
        .volumes
        .iter()
        .flatten()
        .map(|v| v.name.as_str())
        .collect();
    for container in containers(workload) {
        for mount in container.volume_mounts.iter().flatten() {
            if !volumes.contains(&mount.name.as_str()) {
                report(format!(
                    "container {} mounts volume {}, which the pod does not have",
                    container.name, mount.name
                ));
            }
        }
    }
    problems
}

fn hpa_targets(objects: &Objects) -> Vec<String> {
    let mut problems = Vec::new();
    for hpa in &objects.hpas {
        let ns = namespace_of(&hpa.metadata);
        let Some(spec) = &hpa.spec else { continue };
        let target = &spec.scale_target_ref;
        let found = objects.workloads.iter().any(|w| {
            w.namespace == ns
                && w.kind == target.kind
                && w.name == target.name
                && target.api_version.as_deref() == Some("apps/v1")
        });
        if !found {
            problems.push(format!(
                "HorizontalPodAutoscaler {ns}/{}: scaleTargetRef {} {} ({}) matches no workload",
                name_of(&hpa.metadata),
                target.kind,
                target.name,
                target.api_version.as_deref().unwrap_or("no apiVersion")
            ));
        }
    }
    problems
}
