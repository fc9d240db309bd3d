//! Every port reference lands on a port a container declares: Service
//! targetPorts, probe ports, NetworkPolicy ports.

use k8s_openapi::api::core::v1::{Container, Probe};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::objects::{Objects, Workload, from_map, name_of, namespace_of};

use super::{containers, describe};

pub fn check(objects: &Objects) -> Vec<String> {
    let mut problems = Vec::new();
    for service in &objects.services {
        let namespace = namespace_of(&service.metadata);
        let Some(spec) = &service.spec else { continue };
        let Some(selector) = &spec.selector else {
            continue;
        };
        for port in spec.ports.iter().flatten() {
            let target = port
                .target_port
                .clone()
                .unwrap_or(IntOrString::Int(port.port));
            for workload in objects.selected(&namespace, &from_map(selector)) {
                if !declares(workload, &target) {
                    problems.push(format!(
                        "Service {namespace}/{}: targetPort {} is not a containerPort of {}",
                        name_of(&service.metadata),
                        show(&target),
                        describe(workload)
                    ));
                }
            }
        }
    }
    for workload in &objects.workloads {
        for container in containers(workload) {
            for (which, probe) in probes(container) {
                if let Some(port) = probe_port(probe)
                    && !declared_by(container, &port)
                {
                    problems.push(format!(
                        "{}: container {} {which} probe port {} is not one of its containerPorts",
                        describe(workload),
                        container.name,
                        show(&port)
                    ));
                }
            }
        }
    }
    for policy in &objects.network_policies {
        let namespace = namespace_of(&policy.metadata);
        let Some(spec) = &policy.spec else { continue };
        let selector = spec.pod_selector.clone().unwrap_or_default();
        for rule in spec.ingress.iter().flatten() {
            for port in rule.ports.iter().flatten().filter_map(|p| p.port.as_ref()) {
                for workload in objects.selected(&namespace, &selector) {
                    if !declares(workload, port) {
                        problems.push(format!(
                            "NetworkPolicy {namespace}/{}: port {} is not a containerPort of {}",
                            name_of(&policy.metadata),
                            show(port),
                            describe(workload)
                        ));
                    }
                }
            }
        }
    }
    problems
}

/// The probes a container has, with their names for messages.
pub(super) fn probes(container: &Container) -> Vec<(&'static str, &Probe)> {
    [
        ("liveness", &container.liveness_probe),
        ("readiness", &container.readiness_probe),
        ("startup", &container.startup_probe),
    ]
    .into_iter()
    .filter_map(|(which, probe)| probe.as_ref().map(|p| (which, p)))
    .collect()
}

fn probe_port(probe: &Probe) -> Option<IntOrString> {
    if let Some(http) = &probe.http_get {
        return Some(http.port.clone());
    }
    if let Some(tcp) = &probe.tcp_socket {
        return Some(tcp.port.clone());
    }
    probe.grpc.as_ref().map(|g| IntOrString::Int(g.port))
}

fn declares(workload: &Workload, port: &IntOrString) -> bool {
    containers(workload).any(|c| declared_by(c, port))
}

fn declared_by(container: &Container, port: &IntOrString) -> bool {
    container.ports.iter().flatten().any(|p| match port {
        IntOrString::Int(number) => p.container_port == *number,
        IntOrString::String(name) => p.name.as_deref() == Some(name.as_str()),
    })
}

fn show(port: &IntOrString) -> String {
    match port {
        IntOrString::Int(number) => number.to_string(),
        IntOrString::String(name) => format!("{name:?}"),
    }
}
