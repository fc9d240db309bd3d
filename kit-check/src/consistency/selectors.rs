//! Every selector selects what it means to: a workload's own pods, the pods
//! behind a Service, a PodDisruptionBudget's and a NetworkPolicy's pods.

use crate::objects::{Objects, from_map, matches, name_of, namespace_of};

use super::describe;

pub fn check(objects: &Objects) -> Vec<String> {
    let mut problems = Vec::new();
    for workload in &objects.workloads {
        if !matches(&workload.selector, &workload.pod_labels()) {
            problems.push(format!(
                "{}: spec.selector does not match its own pod template's labels",
                describe(workload)
            ));
        }
    }
    for service in &objects.services {
        let namespace = namespace_of(&service.metadata);
        let Some(selector) = service.spec.as_ref().and_then(|s| s.selector.as_ref()) else {
            continue; // A Service without selector has endpoints managed by hand.
        };
        if objects
            .selected(&namespace, &from_map(selector))
            .next()
            .is_none()
        {
            problems.push(format!(
                "Service {namespace}/{}: selector {selector:?} matches no pod template",
                name_of(&service.metadata)
            ));
        }
    }
    for pdb in &objects.pdbs {
        let namespace = namespace_of(&pdb.metadata);
        let selector = pdb.spec.as_ref().and_then(|s| s.selector.clone());
        let selects = selector.is_some_and(|s| objects.selected(&namespace, &s).next().is_some());
        if !selects {
            problems.push(format!(
                "PodDisruptionBudget {namespace}/{}: selector matches no pod template",
                name_of(&pdb.metadata)
            ));
        }
    }
    for policy in &objects.network_policies {
        let namespace = namespace_of(&policy.metadata);
        let name = name_of(&policy.metadata);
        let Some(spec) = &policy.spec else { continue };
        if objects
            .selected(&namespace, &spec.pod_selector.clone().unwrap_or_default())
            .next()
            .is_none()
        {
            problems.push(format!(
                "NetworkPolicy {namespace}/{name}: podSelector matches no pod template"
            ));
        }
        for (index, rule) in spec.ingress.iter().flatten().enumerate() {
            for peer in rule.from.iter().flatten() {
                // A peer with a namespaceSelector may mean pods elsewhere:
                // only same-namespace peers can be checked here.
                let (Some(selector), None) = (&peer.pod_selector, &peer.namespace_selector) else {
                    continue;
                };
                if objects.selected(&namespace, selector).next().is_none() {
                    problems.push(format!(
                        "NetworkPolicy {namespace}/{name}: ingress[{index}].from podSelector matches no pod template"
                    ));
                }
            }
        }
    }
    problems
}
