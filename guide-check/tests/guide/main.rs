//! guide-check's tests, in one test binary (each test binary links the
//! demo-app and k8s-openapi once; one binary is one link per build).
//!
//! | module | checks |
//! |---|---|
//! | [`answers`] | every answer of the app the pages show, on the real binary and a real redis-server |
//! | [`paste`] | the follow-along rules: every command pastes as is on the cluster `make cluster` made |
//! | [`static_checks`] | what needs no running app: kubectl commands, `make` targets, names, facts |

mod answers;
mod paste;
mod static_checks;
