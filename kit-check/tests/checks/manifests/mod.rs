//! The offline checks of the manifests under `k8s/`, one module per module
//! of `kit_check` they test.

mod anchors;
mod checkov;
mod consistency;
mod exercises;
mod ingress;
mod kustomize;
mod labels;
mod pod_security;
mod redis_container;
mod schema;
