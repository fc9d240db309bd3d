//! The offline checks of the manifests under `k8s/`, one module per module
//! of `kit_check` they test, in one test binary (each binary links the
//! heavy dependencies once: fewer binaries, shorter CI).

#[path = "../common/mod.rs"]
mod common;

mod anchors;
mod checkov;
mod consistency;
mod kustomize;
mod labels;
mod pod_security;
mod redis_container;
mod schema;
