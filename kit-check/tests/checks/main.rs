//! kit-check's tests, in one test binary: each test binary links the heavy
//! dependencies (k8s-openapi, the demo-app) once, so one binary instead of
//! one per area is one link instead of several in every build.
//!
//! | module | checks |
//! |---|---|
//! | [`manifests`] | the manifests under `k8s/`, one module per module of `kit_check` |
//! | [`make`] | what the Makefiles and the workflows do |
//! | [`common`] | what every test does: copy the kit, edit it, build it |

mod common;
mod make;
mod manifests;
