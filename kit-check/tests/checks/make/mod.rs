//! The checks of what the Makefiles and workflows do: the deploy workflow's
//! targets, each cluster flavour's commands (against stand-ins), the
//! rendered manifest, the generated credentials, the guide's cluster table,
//! the GitHub workflows.

mod cluster;
mod flavours;
mod k8s_render;
mod make_targets;
mod reset;
mod secrets;
mod test_groups;
mod workflows;
