//! Offline checks of the manifests under `k8s/`.
//!
//! There is no cluster and no Docker engine where these run, so everything
//! that can be verified without one is verified here, by the tests in
//! `tests/` (`cargo test -p manifest-check`, or `make test-k8s`):
//!
//! - [`schema`]: every object decodes into the Kubernetes 1.34 types and
//!   re-encodes to the same document, so unknown or misspelled fields fail.
//! - [`kustomize`]: `kubectl kustomize` builds the kit (in a throwaway copy
//!   with made-up Secret values, the real ones being generated at deploy time).
//! - [`consistency`]: the manifests agree with each other and with the app.
//! - [`pod_security`]: every pod template meets Pod Security "restricted",
//!   which the namespace enforces.
//! - [`checkov`]: the policy scanner reports no failed check.
//! - [`anchors`]: the anchors the guide includes exist and are listed.

pub mod anchors;
pub mod checkov;
pub mod consistency;
pub mod diff;
pub mod enums;
pub mod kustomize;
pub mod labels;
pub mod make_targets;
pub mod objects;
pub mod paths;
pub mod pod_security;
pub mod schema;
pub mod tools;
pub mod yaml;
