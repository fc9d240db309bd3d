//! Offline checks of the kit: the manifests under `k8s/`, and the Makefiles,
//! READMEs and Dockerfile that must agree with them and with the demo-app.
//!
//! There is no cluster and no Docker engine where these run, so everything
//! that can be verified without one is verified here, by the tests in
//! `tests/` (`cargo test -p kit-check`, or `make test-k8s`):
//!
//! - [`schema`] (with [`diff`] and [`enums`]): every object decodes into the
//!   Kubernetes 1.34 types and re-encodes to the same document, so unknown or
//!   misspelled fields fail; fields with fixed values use one of them.
//! - [`kustomize`]: `kubectl kustomize` builds the kit (in a throwaway copy
//!   with made-up Secret values, the real ones being generated at deploy time).
//! - [`consistency`]: the manifests agree with each other and with the app.
//! - [`pod_security`]: every pod template meets Pod Security "restricted",
//!   which the namespace enforces.
//! - [`checkov`]: the policy scanner reports no failed check, and every
//!   deliberate skip gives its reason.
//! - [`labels`]: the recommended labels are on every object.
//! - [`anchors`]: the anchors the guide includes exist and are listed.
//! - [`make_targets`]: the deploy workflow's targets exist, check first and
//!   are grouped for `make help`.
//! - [`flavours`]: the guide's "Which cluster?" table is the one
//!   `k8s/flavours.mk` gives (the file make creates clusters from).
//! - [`workflows`]: the GitHub workflows call only targets and scripts that
//!   exist.
//! - [`reset`]: no example under `k8s/examples/` (all of which `make reset`
//!   deletes) names an object of the kit.
//!
//! [`yaml`] reads YAML as kubectl does; [`objects`] sorts typed objects by
//! kind; [`paths`] and [`tools`] find the files and the external tools.

pub mod anchors;
pub mod checkov;
pub mod consistency;
pub mod diff;
pub mod enums;
pub mod flavours;
pub mod kustomize;
pub mod labels;
pub mod make_targets;
pub mod objects;
pub mod paths;
pub mod pod_security;
pub mod reset;
pub mod schema;
pub mod tools;
pub mod workflows;
pub mod yaml;
