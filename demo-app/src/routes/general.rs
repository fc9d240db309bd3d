//! Routes that show who answered and how it is configured: `/`, `/info`,
//! `/config`, `/version`. None of them touches Redis.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::AppState;

// ANCHOR: index
#[derive(Serialize, ToSchema)]
pub struct Greeting {
    #[schema(example = "Hello from demo-app!")]
    pub message: String,
    /// Host name of the process, i.e. the pod name in a cluster.
    #[schema(example = "demo-app-7c9f8d7b5-x2x9q")]
    pub server: String,
}

#[utoipa::path(get, path = "/", tag = "general",
    responses((status = 200, description = "A greeting naming the replica that answered", body = Greeting)))]
pub async fn index(State(state): State<AppState>) -> Json<Greeting> {
    Json(Greeting {
        message: format!("Hello from {}!", state.config().app_name),
        server: state.hostname().to_owned(),
    })
}
// ANCHOR_END: index

#[derive(Serialize, ToSchema)]
pub struct PodInfo {
    pub pod_name: String,
    pub pod_ip: String,
    pub node_name: String,
    pub namespace: String,
    pub cpu_request: String,
    pub cpu_limit: String,
    pub memory_request: String,
    pub memory_limit: String,
}

// ANCHOR: downward-api
/// What the Downward API told this pod about itself through environment
/// variables (see the `downward-api` part of k8s/app/deployment.yaml).
/// Outside a cluster the variables are unset and the fallbacks show.
#[utoipa::path(get, path = "/info", tag = "general",
    responses((status = 200, description = "Pod facts from the Downward API", body = PodInfo)))]
pub async fn info(State(state): State<AppState>) -> Json<PodInfo> {
    let pod = &state.config().downward;
    let or = |value: &Option<String>, fallback: &str| {
        value.clone().unwrap_or_else(|| fallback.to_owned())
    };
    Json(PodInfo {
        pod_name: or(&pod.pod_name, state.hostname()),
        pod_ip: or(&pod.pod_ip, "unknown"),
        node_name: or(&pod.node_name, "unknown"),
        namespace: or(&pod.namespace, "unknown"),
        cpu_request: or(&pod.cpu_request, "unset"),
        cpu_limit: or(&pod.cpu_limit, "unset"),
        memory_request: or(&pod.memory_request, "unset"),
        memory_limit: or(&pod.memory_limit, "unset"),
    })
}
// ANCHOR_END: downward-api

/// The non-secret settings. Secrets appear only as "is it set" / "how many".
#[derive(Serialize, ToSchema)]
pub struct ConfigView {
    pub app_name: String,
    pub log_level: String,
    #[schema(example = "text")]
    pub log_format: String,
    pub port: u16,
    pub max_stress_seconds: u64,
    pub redis_host: String,
    pub redis_port: u16,
    pub redis_timeout_ms: u64,
    /// Whether REDIS_PASSWORD is set (the password itself is never shown).
    pub redis_password_set: bool,
    pub session_ttl: u64,
    pub chaos_enabled: bool,
    pub shutdown_drain_seconds: u64,
    pub max_body_bytes: usize,
    /// How many users DEMO_USERS defines (names and passwords are not shown).
    pub demo_user_count: usize,
}

#[utoipa::path(get, path = "/config", tag = "general",
    responses((status = 200, description = "The settings in effect, without secrets", body = ConfigView)))]
pub async fn config(State(state): State<AppState>) -> Json<ConfigView> {
    let c = state.config();
    Json(ConfigView {
        app_name: c.app_name.clone(),
        log_level: c.log_level.clone(),
        log_format: match c.log_format {
            crate::config::LogFormat::Text => "text",
            crate::config::LogFormat::Json => "json",
        }
        .to_owned(),
        port: c.port,
        max_stress_seconds: c.max_stress_seconds,
        redis_host: c.redis_host.clone(),
        redis_port: c.redis_port,
        redis_timeout_ms: c.redis_timeout.as_millis() as u64,
        redis_password_set: !c.redis_password.is_empty(),
        session_ttl: c.session_ttl.as_secs(),
        chaos_enabled: c.chaos_enabled,
        shutdown_drain_seconds: c.shutdown_drain.as_secs(),
        max_body_bytes: c.max_body_bytes,
        demo_user_count: state.users().count(),
    })
}

// ANCHOR: version
#[derive(Serialize, ToSchema)]
pub struct VersionInfo {
    /// The crate version from demo-app/Cargo.toml.
    #[schema(example = "0.1.0")]
    pub version: String,
    /// The git commit the binary was built from (`unknown` outside git).
    #[schema(example = "e69f1ce")]
    pub git_revision: String,
    pub server: String,
}

/// Watching this during a rolling update shows the replicas switch from the
/// old version to the new one, pod by pod.
#[utoipa::path(get, path = "/version", tag = "general",
    responses((status = 200, description = "Build version of the replica that answered", body = VersionInfo)))]
pub async fn version(State(state): State<AppState>) -> Json<VersionInfo> {
    Json(VersionInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        git_revision: env!("GIT_REVISION").to_owned(),
        server: state.hostname().to_owned(),
    })
}
// ANCHOR_END: version
