//! Consistency: the manifests agree with each other and with the app.
//!
//! Each submodule checks one kind of agreement and returns its problems as
//! sentences; [`check_all`] runs them all. What the app serves and reads
//! comes from the app itself ([`AppFacts`], built from the demo-app library
//! by the tests), never from a list kept here.

mod env;
mod image_user;
mod ports;
mod references;
mod routes;
mod selectors;
mod shutdown;

use std::collections::BTreeSet;

use k8s_openapi::api::core::v1::Container;

use crate::objects::{Objects, Workload};

pub use env::resolved_env;
pub use routes::serves_get;

/// Where the app expects an environment variable to come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A plain setting: from the ConfigMap.
    Setting,
    /// A credential: from a Secret.
    Secret,
    /// A fact about the pod: from the Downward API.
    Downward,
}

/// What the app reads and serves, as far as the manifests must agree.
#[derive(Debug, Clone)]
pub struct AppFacts {
    /// The image repository of the app's containers (`demo-app`).
    pub image: String,
    /// The path templates that answer GET (`/health`, `/kv/{key}`...).
    pub get_paths: BTreeSet<String>,
    /// Every environment variable the app reads, with its source.
    pub env: Vec<(String, Source)>,
    /// The numeric user (and group) the app's image runs as, if known.
    pub image_user: Option<(i64, Option<i64>)>,
}

impl AppFacts {
    /// Is this container one of the app's?
    pub fn runs_in(&self, container: &Container) -> bool {
        let image = container.image.as_deref().unwrap_or("");
        let without_digest = image.split('@').next().unwrap_or("");
        let last = without_digest.rsplit('/').next().unwrap_or("");
        let repository = last.split(':').next().unwrap_or("");
        repository == self.image
    }
}

/// Every problem found by every consistency check.
pub fn check_all(objects: &Objects, app: &AppFacts) -> Vec<String> {
    let mut problems = Vec::new();
    problems.extend(selectors::check(objects));
    problems.extend(ports::check(objects));
    problems.extend(references::check(objects));
    problems.extend(routes::check(objects, app));
    problems.extend(env::check(objects, app));
    problems.extend(image_user::check(objects, app));
    problems.extend(shutdown::check(objects, app));
    if !objects
        .workloads
        .iter()
        .any(|w| containers(w).any(|c| app.runs_in(c)))
    {
        problems.push(format!("no workload runs the app's image {}", app.image));
    }
    problems
}

/// The agreements any manifest of the app keeps, however small (the
/// guide's exercises, which a reader writes from `kubectl create`):
/// selectors select, ports and references resolve, probes ask for routes
/// the app serves. What [`check_all`] adds (every setting provided, the
/// image's user, the grace period) is the kit's own choice.
pub fn check_wiring(objects: &Objects, app: &AppFacts) -> Vec<String> {
    let mut problems = Vec::new();
    problems.extend(selectors::check(objects));
    problems.extend(ports::check(objects));
    problems.extend(references::check(objects));
    problems.extend(routes::check(objects, app));
    problems
}

/// The regular and init containers of a workload's pods.
pub(crate) fn containers(workload: &Workload) -> impl Iterator<Item = &Container> {
    let spec = workload.template.spec.as_ref();
    let regular = spec.into_iter().flat_map(|s| s.containers.iter());
    let init = spec
        .into_iter()
        .flat_map(|s| s.init_containers.iter().flatten());
    regular.chain(init)
}

/// `Deployment k8s-demo/demo-app` for messages.
pub(crate) fn describe(workload: &Workload) -> String {
    format!("{} {}/{}", workload.kind, workload.namespace, workload.name)
}
