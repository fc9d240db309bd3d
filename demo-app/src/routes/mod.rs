//! HTTP handlers, one module per area of the API. `crate::app` wires them
//! to paths; `crate::openapi` lists them in the OpenAPI document.

pub mod auth;
pub mod chaos;
pub mod fallback;
pub mod general;
pub mod kv;
pub mod metrics;
pub mod probes;
pub mod visits;
