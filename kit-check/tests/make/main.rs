//! The checks of what the Makefiles do: the deploy workflow's targets, the
//! rendered manifest, the generated credentials. One test binary.

#[path = "../common/mod.rs"]
mod common;

mod k8s_render;
mod make_targets;
mod secrets;
