//! `make secrets` (run by `make deploy`) writes credentials the app
//! accepts, random and long enough, and never replaces existing ones (the
//! running Redis keeps the password it started with).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::common::{make, said};

/// Run `make secrets` writing into `dir`; false if make is missing.
fn make_secrets(dir: &Path) -> bool {
    let generated = format!("K8S_GENERATED={}", dir.display());
    let Some(out) = make(&["secrets", &generated], &[]) else {
        return false;
    };
    assert!(out.status.success(), "make secrets failed: {}", said(&out));
    true
}

/// `KEY=value` lines of the generated files.
fn read_env(dir: &Path) -> BTreeMap<String, String> {
    let mut env = BTreeMap::new();
    for file in ["redis-auth.env", "demo-users.env"] {
        let text = fs::read_to_string(dir.join(file)).unwrap();
        assert_eq!(text.lines().count(), 1, "{file}: {text:?}");
        let (key, value) = text.trim_end().split_once('=').unwrap();
        env.insert(key.to_owned(), value.to_owned());
    }
    env
}

fn app_accepts(env: &BTreeMap<String, String>) -> Result<(), String> {
    demo_app::config::Config::from_lookup(|name| env.get(name).cloned())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[test]
fn generated_credentials_are_usable_random_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    if !make_secrets(dir.path()) {
        return;
    }
    let first = read_env(dir.path());
    assert!(first["REDIS_PASSWORD"].len() >= 24, "{first:?}");
    let users: Vec<&str> = first["DEMO_USERS"].split(',').collect();
    assert!(users.len() >= 2, "{first:?}");
    for user in &users {
        let (_, password) = user.split_once(':').unwrap();
        assert!(password.len() >= 12, "a short password: {user}");
    }
    assert_eq!(app_accepts(&first), Ok(()));

    make_secrets(dir.path());
    assert_eq!(
        read_env(dir.path()),
        first,
        "make secrets replaced existing credentials"
    );

    let other = tempfile::tempdir().unwrap();
    make_secrets(other.path());
    assert_ne!(
        read_env(other.path()),
        first,
        "two clusters got the same credentials"
    );
}

#[test]
fn a_malformed_user_list_is_rejected_by_the_app() {
    let mut env = BTreeMap::new();
    env.insert("DEMO_USERS".to_owned(), "alice".to_owned());
    let error = app_accepts(&env).unwrap_err();
    assert!(error.starts_with("invalid DEMO_USERS"), "{error}");
}
