//! Settings from environment variables, the way Kubernetes hands them over:
//! a ConfigMap for plain settings, a Secret for credentials and the Downward
//! API for facts about the pod.
//!
//! [`ENV_VARS`] is the single list of every variable the app reads. The
//! parser takes its defaults from that list, and the manifest checks in
//! `kit-check` compare it with the ConfigMap, the Secrets and the Deployment,
//! so the code and the manifests cannot drift apart unnoticed.

use std::fmt;
use std::time::Duration;

/// Where a variable comes from in the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvSource {
    /// A plain setting, provided by the ConfigMap `demo-app-config`.
    Setting,
    /// A credential, provided by a Secret (`redis-auth` or `demo-users`).
    Secret,
    /// A fact about the pod, provided by the Downward API (`fieldRef` / `resourceFieldRef`).
    Downward,
}

/// One environment variable the app reads.
#[derive(Debug, Clone, Copy)]
pub struct EnvVarSpec {
    pub name: &'static str,
    pub source: EnvSource,
    /// The value used when the variable is unset or empty. `None` for the
    /// Downward API variables: outside a cluster `/info` shows a fallback.
    pub default: Option<&'static str>,
    /// What the value means and which form it must have.
    pub description: &'static str,
    /// For an integer setting, the inclusive range it must lie in: the
    /// parser checks it and the description is written from it.
    pub bounds: Option<Bounds>,
}

/// The inclusive range of an integer setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub min: u64,
    pub max: u64,
}

const fn setting(
    name: &'static str,
    default: &'static str,
    description: &'static str,
) -> EnvVarSpec {
    EnvVarSpec {
        name,
        source: EnvSource::Setting,
        default: Some(default),
        description,
        bounds: None,
    }
}

/// An integer setting. The range is given once: the macro writes it into
/// the description (`concat!` needs literals, hence a macro) and into
/// `bounds`, which the parser checks.
macro_rules! integer {
    ($name:literal, $default:literal, $what:literal, $min:literal ..= $max:literal $(, $more:literal)?) => {
        EnvVarSpec {
            name: $name,
            source: EnvSource::Setting,
            default: Some($default),
            description: concat!($what, ", an integer ", $min, "-", $max $(, $more)?),
            bounds: Some(Bounds { min: $min, max: $max }),
        }
    };
}

const fn secret(name: &'static str, description: &'static str) -> EnvVarSpec {
    EnvVarSpec {
        name,
        source: EnvSource::Secret,
        default: Some(""),
        description,
        bounds: None,
    }
}

const fn downward(name: &'static str, description: &'static str) -> EnvVarSpec {
    EnvVarSpec {
        name,
        source: EnvSource::Downward,
        default: None,
        description,
        bounds: None,
    }
}

/// Every environment variable the app reads, in the order the guide lists them.
pub const ENV_VARS: &[EnvVarSpec] = &[
    setting(
        "APP_NAME",
        "demo-app",
        "name shown in the greeting of GET /",
    ),
    setting(
        "LOG_LEVEL",
        "info",
        "trace, debug, info, warn or error (or tracing filter directives such as demo_app=debug)",
    ),
    setting(
        "LOG_FORMAT",
        "text",
        "text (human-readable) or json (one JSON object per line)",
    ),
    integer!(
        "PORT",
        "8000",
        "TCP port to listen on",
        0..=65535,
        "; 0 takes any free port (the log names it)"
    ),
    integer!(
        "MAX_STRESS_SECONDS",
        "30",
        "upper bound for GET /stress?seconds=N",
        0..=3600
    ),
    setting(
        "REDIS_HOST",
        "localhost",
        "host name or IP address of Redis",
    ),
    integer!("REDIS_PORT", "6379", "TCP port of Redis", 1..=65535),
    integer!(
        "REDIS_TIMEOUT_MS",
        "2000",
        "bound in milliseconds for every Redis call",
        1..=60000,
        "; past it the endpoint answers 503"
    ),
    integer!(
        "SESSION_TTL",
        "3600",
        "session lifetime in seconds",
        1..=2592000,
        " (30 days)"
    ),
    setting(
        "CHAOS_ENABLED",
        "false",
        "true or false: whether POST /crash and GET /stress work (otherwise 403)",
    ),
    integer!(
        "SHUTDOWN_DRAIN_SECONDS",
        "5",
        "seconds to keep serving after SIGTERM while /ready answers 503",
        0..=300
    ),
    integer!(
        "MAX_BODY_BYTES",
        "65536",
        "largest accepted request body in bytes",
        1..=16777216,
        "; larger bodies get 413"
    ),
    secret("REDIS_PASSWORD", "Redis password; empty means no AUTH"),
    secret(
        "DEMO_USERS",
        "login users as name:password pairs separated by commas, e.g. admin:s3cret,alice:pa55; empty means no users",
    ),
    downward("POD_NAME", "metadata.name; falls back to the host name"),
    downward("POD_IP", "status.podIP; falls back to \"unknown\""),
    downward("NODE_NAME", "spec.nodeName; falls back to \"unknown\""),
    downward(
        "POD_NAMESPACE",
        "metadata.namespace; falls back to \"unknown\"",
    ),
    downward("CPU_REQUEST", "requests.cpu; falls back to \"unset\""),
    downward("CPU_LIMIT", "limits.cpu; falls back to \"unset\""),
    downward("MEMORY_REQUEST", "requests.memory; falls back to \"unset\""),
    downward("MEMORY_LIMIT", "limits.memory; falls back to \"unset\""),
];

/// The spec of one variable. Panics on a name missing from [`ENV_VARS`]:
/// that is a programming error the unit tests catch.
pub fn spec(name: &str) -> &'static EnvVarSpec {
    ENV_VARS
        .iter()
        .find(|spec| spec.name == name)
        .unwrap_or_else(|| panic!("{name} is read but missing from config::ENV_VARS"))
}

/// A bad value in one variable. The message names the variable and the
/// expected form, and never repeats a secret value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub name: &'static str,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.name, self.message)
    }
}

impl std::error::Error for ConfigError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// A string that must not end up in logs or responses.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "\"***\"" })
    }
}

/// One login user from DEMO_USERS, password still in clear text.
/// `AppState::new` takes these out of the config and hands them to
/// [`crate::users`], which hashes them right after start and drops them.
#[derive(Clone, Debug)]
pub struct DemoUser {
    pub name: String,
    pub password: SecretString,
}

/// What the Downward API tells the pod about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Downward {
    pub pod_name: Option<String>,
    pub pod_ip: Option<String>,
    pub node_name: Option<String>,
    pub namespace: Option<String>,
    pub cpu_request: Option<String>,
    pub cpu_limit: Option<String>,
    pub memory_request: Option<String>,
    pub memory_limit: Option<String>,
}

/// The whole configuration, parsed and checked once at start.
#[derive(Debug, Clone)]
pub struct Config {
    pub app_name: String,
    pub log_level: String,
    pub log_format: LogFormat,
    pub port: u16,
    pub max_stress_seconds: u64,
    pub redis_host: String,
    pub redis_port: u16,
    pub redis_timeout: Duration,
    pub session_ttl: Duration,
    pub chaos_enabled: bool,
    pub shutdown_drain: Duration,
    pub max_body_bytes: usize,
    pub redis_password: SecretString,
    pub demo_users: Vec<DemoUser>,
    pub downward: Downward,
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    // ANCHOR: config-env
    /// Reads every setting through `lookup` (the environment in production, a
    /// map in tests). An empty value counts as unset, so a ConfigMap key
    /// left blank falls back to the default instead of failing.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &'static str| -> String {
            match lookup(name) {
                Some(value) if !value.trim().is_empty() => value.trim().to_owned(),
                _ => spec(name).default.unwrap_or_default().to_owned(),
            }
        };
        let optional = |name: &'static str| lookup(name).filter(|v| !v.trim().is_empty());

        Ok(Config {
            app_name: get("APP_NAME"),
            log_level: parse_log_level(get("LOG_LEVEL"))?,
            log_format: parse_log_format(&get("LOG_FORMAT"))?,
            port: parse_int(&get, "PORT")?,
            max_stress_seconds: parse_int(&get, "MAX_STRESS_SECONDS")?,
            redis_host: parse_host(get("REDIS_HOST"))?,
            redis_port: parse_int(&get, "REDIS_PORT")?,
            redis_timeout: Duration::from_millis(parse_int(&get, "REDIS_TIMEOUT_MS")?),
            session_ttl: Duration::from_secs(parse_int(&get, "SESSION_TTL")?),
            chaos_enabled: parse_bool("CHAOS_ENABLED", &get("CHAOS_ENABLED"))?,
            shutdown_drain: Duration::from_secs(parse_int(&get, "SHUTDOWN_DRAIN_SECONDS")?),
            max_body_bytes: parse_int(&get, "MAX_BODY_BYTES")?,
            // Secrets are taken verbatim: a password may begin or end with a space.
            redis_password: SecretString(lookup("REDIS_PASSWORD").unwrap_or_default()),
            demo_users: parse_users(&lookup("DEMO_USERS").unwrap_or_default())?,
            downward: Downward {
                pod_name: optional("POD_NAME"),
                pod_ip: optional("POD_IP"),
                node_name: optional("NODE_NAME"),
                namespace: optional("POD_NAMESPACE"),
                cpu_request: optional("CPU_REQUEST"),
                cpu_limit: optional("CPU_LIMIT"),
                memory_request: optional("MEMORY_REQUEST"),
                memory_limit: optional("MEMORY_LIMIT"),
            },
        })
    }
    // ANCHOR_END: config-env
}

fn invalid(name: &'static str, message: String) -> ConfigError {
    ConfigError { name, message }
}

/// An integer within the bounds [`ENV_VARS`] gives for `name`, converted
/// to the type the field needs (every bound fits it; a unit test checks).
fn parse_int<T: TryFrom<u64>>(
    get: &impl Fn(&'static str) -> String,
    name: &'static str,
) -> Result<T, ConfigError> {
    let value = get(name);
    let Bounds { min, max } = spec(name)
        .bounds
        .unwrap_or_else(|| panic!("{name} has no bounds in config::ENV_VARS"));
    value
        .parse::<u64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| {
            invalid(
                name,
                format!("expected an integer from {min} to {max}, got {value:?}"),
            )
        })
}

fn parse_bool(name: &'static str, value: &str) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(invalid(
            name,
            format!("expected true or false, got {value:?}"),
        )),
    }
}

fn parse_log_format(value: &str) -> Result<LogFormat, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "text" => Ok(LogFormat::Text),
        "json" => Ok(LogFormat::Json),
        _ => Err(invalid(
            "LOG_FORMAT",
            format!("expected text or json, got {value:?}"),
        )),
    }
}

fn parse_log_level(value: String) -> Result<String, ConfigError> {
    // Checked here rather than when logging starts, so a typo stops the
    // process with the same one-line message as every other bad setting.
    // A lone word must be a level: tracing would read "loud" as a target
    // name and silently log everything from it.
    const LEVELS: [&str; 6] = ["trace", "debug", "info", "warn", "error", "off"];
    let valid = if value.contains(['=', ',']) {
        tracing_subscriber::EnvFilter::builder()
            .parse(&value)
            .is_ok()
    } else {
        LEVELS.contains(&value.to_ascii_lowercase().as_str())
    };
    if valid {
        Ok(value)
    } else {
        Err(invalid(
            "LOG_LEVEL",
            format!(
                "expected trace, debug, info, warn, error or tracing filter directives, got {value:?}"
            ),
        ))
    }
}

fn parse_host(value: String) -> Result<String, ConfigError> {
    let ok = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':'));
    if ok {
        Ok(value)
    } else {
        Err(invalid(
            "REDIS_HOST",
            format!("expected a host name or IP address, got {value:?}"),
        ))
    }
}

fn parse_users(value: &str) -> Result<Vec<DemoUser>, ConfigError> {
    let mut users: Vec<DemoUser> = Vec::new();
    for (index, pair) in value
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .enumerate()
    {
        // The error names the position, never the pair: it holds a password.
        let bad = |why: &str| {
            invalid(
                "DEMO_USERS",
                format!(
                    "expected name:password pairs separated by commas; entry {} {why}",
                    index + 1
                ),
            )
        };
        let (name, password) = pair.split_once(':').ok_or_else(|| bad("has no ':'"))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(bad("has an empty name"));
        }
        if password.is_empty() {
            return Err(bad("has an empty password"));
        }
        if users.iter().any(|u| u.name == name) {
            return Err(bad("repeats a name"));
        }
        users.push(DemoUser {
            name: name.to_owned(),
            password: SecretString(password.to_owned()),
        });
    }
    Ok(users)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::{BTreeSet, HashMap};

    fn parse(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_match_the_contract() {
        let config = parse(&[]).unwrap();
        assert_eq!(config.app_name, "demo-app");
        assert_eq!(config.log_level, "info");
        assert_eq!(config.log_format, LogFormat::Text);
        assert_eq!(config.port, 8000);
        assert_eq!(config.max_stress_seconds, 30);
        assert_eq!(config.redis_host, "localhost");
        assert_eq!(config.redis_port, 6379);
        assert_eq!(config.redis_timeout, Duration::from_millis(2000));
        assert_eq!(config.session_ttl, Duration::from_secs(3600));
        assert!(!config.chaos_enabled);
        assert_eq!(config.shutdown_drain, Duration::from_secs(5));
        assert_eq!(config.max_body_bytes, 65536);
        assert!(config.redis_password.is_empty());
        assert!(config.demo_users.is_empty());
        assert_eq!(config.downward, Downward::default());
    }

    #[test]
    fn every_variable_read_is_listed_and_every_listed_variable_is_read() {
        let asked = RefCell::new(BTreeSet::new());
        Config::from_lookup(|name| {
            asked.borrow_mut().insert(name.to_owned());
            None
        })
        .unwrap();
        let listed: BTreeSet<String> = ENV_VARS.iter().map(|s| s.name.to_owned()).collect();
        assert_eq!(asked.into_inner(), listed);
    }

    #[test]
    fn empty_values_fall_back_to_defaults() {
        let config = parse(&[("PORT", ""), ("LOG_LEVEL", "  ")]).unwrap();
        assert_eq!(config.port, 8000);
        assert_eq!(config.log_level, "info");
    }

    #[test]
    fn bad_values_name_the_variable_and_the_form() {
        let cases = [
            (
                "PORT",
                "80a",
                "invalid PORT: expected an integer from 0 to 65535, got \"80a\"",
            ),
            (
                "PORT",
                "65536",
                "invalid PORT: expected an integer from 0 to 65535, got \"65536\"",
            ),
            (
                "REDIS_PORT",
                "70000",
                "invalid REDIS_PORT: expected an integer",
            ),
            (
                "MAX_STRESS_SECONDS",
                "-1",
                "invalid MAX_STRESS_SECONDS: expected an integer from 0 to 3600",
            ),
            ("REDIS_TIMEOUT_MS", "0", "invalid REDIS_TIMEOUT_MS"),
            ("SESSION_TTL", "1h", "invalid SESSION_TTL"),
            (
                "CHAOS_ENABLED",
                "maybe",
                "invalid CHAOS_ENABLED: expected true or false",
            ),
            (
                "SHUTDOWN_DRAIN_SECONDS",
                "1.5",
                "invalid SHUTDOWN_DRAIN_SECONDS",
            ),
            ("MAX_BODY_BYTES", "0", "invalid MAX_BODY_BYTES"),
            (
                "LOG_FORMAT",
                "xml",
                "invalid LOG_FORMAT: expected text or json",
            ),
            ("LOG_LEVEL", "loud", "invalid LOG_LEVEL"),
            ("REDIS_HOST", "redis host", "invalid REDIS_HOST"),
        ];
        for (name, value, expected) in cases {
            let err = parse(&[(name, value)]).unwrap_err().to_string();
            assert!(err.starts_with(expected), "{name}={value}: {err}");
        }
    }

    #[test]
    fn port_0_is_accepted_and_descriptions_show_the_parsed_bounds() {
        assert_eq!(parse(&[("PORT", "0")]).unwrap().port, 0);
        for spec in ENV_VARS {
            if let Some(Bounds { min, max }) = spec.bounds {
                assert!(
                    spec.description.contains(&format!("{min}-{max}")),
                    "{}: {}",
                    spec.name,
                    spec.description
                );
                let (below, above) = (min.checked_sub(1), max + 1);
                let with = |v: String| parse(&[(spec.name, v.as_str())]);
                assert!(with(min.to_string()).is_ok() && with(max.to_string()).is_ok());
                assert!(with(above.to_string()).is_err(), "{}", spec.name);
                if let Some(below) = below {
                    assert!(with(below.to_string()).is_err(), "{}", spec.name);
                }
            }
        }
    }

    #[test]
    fn users_are_parsed_and_bad_pairs_do_not_leak_the_password() {
        let config = parse(&[("DEMO_USERS", "admin:s3cret, alice:pa:55")]).unwrap();
        let names: Vec<_> = config.demo_users.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["admin", "alice"]);
        assert_eq!(config.demo_users[1].password.expose(), "pa:55");

        for bad in ["admin", "admin:", ":pw", "a:1,a:2"] {
            let err = parse(&[("DEMO_USERS", bad)]).unwrap_err().to_string();
            assert!(
                err.starts_with("invalid DEMO_USERS: expected name:password"),
                "{err}"
            );
        }
        let err = parse(&[("DEMO_USERS", "ok:fine,topsecretvalue")]).unwrap_err();
        assert!(!err.to_string().contains("topsecretvalue"));
    }

    #[test]
    fn secrets_do_not_show_in_debug_output() {
        let config = parse(&[("REDIS_PASSWORD", "hunter2"), ("DEMO_USERS", "a:hunter3")]).unwrap();
        let debug = format!("{config:?}");
        assert!(
            !debug.contains("hunter2") && !debug.contains("hunter3"),
            "{debug}"
        );
    }
}
