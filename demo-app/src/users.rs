//! Login users from DEMO_USERS, with argon2id password hashes kept in memory.
//!
//! - The clear-text passwords are hashed right after start on a blocking
//!   thread and then dropped. Hashing in the background keeps start-up fast
//!   (the pod is ready in milliseconds); a login that arrives earlier waits
//!   for the hashes instead of failing.
//! - A check always runs one full argon2 computation and compares in
//!   constant time. An unknown user is checked against a dummy hash, so it
//!   costs the same as a wrong password and response times do not reveal
//!   which user names exist.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use argon2::{Algorithm, Argon2, Params, Version};
use subtle::ConstantTimeEq;
use tokio::sync::{Semaphore, watch};

use crate::config::DemoUser;

const SALT_LEN: usize = 16;
const HASH_LEN: usize = 32;

/// argon2id with 7 MiB of memory and 5 passes: one of the equivalent
/// settings OWASP recommends, the one with the smallest memory footprint,
/// which suits a pod with a small memory limit.
fn hasher() -> Argon2<'static> {
    let params =
        Params::new(7 * 1024, 5, 1, Some(HASH_LEN)).expect("constant argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

struct Hashed {
    salt: [u8; SALT_LEN],
    hash: [u8; HASH_LEN],
}

impl Hashed {
    fn new(password: &[u8]) -> Self {
        let mut salt = [0u8; SALT_LEN];
        getrandom::fill(&mut salt).expect("the OS random number generator is available");
        let mut hash = [0u8; HASH_LEN];
        hasher()
            .hash_password_into(password, &salt, &mut hash)
            .expect("salt and output lengths are within argon2's limits");
        Hashed { salt, hash }
    }

    fn matches(&self, password: &[u8]) -> bool {
        let mut candidate = [0u8; HASH_LEN];
        if hasher()
            .hash_password_into(password, &self.salt, &mut candidate)
            .is_err()
        {
            return false;
        }
        candidate.ct_eq(&self.hash).into()
    }
}

struct Credentials {
    users: HashMap<String, Hashed>,
    /// Stands in for unknown users; its password is random and unknowable.
    dummy: Hashed,
    /// argon2 computations made by `verify`: one per check, whether the
    /// user exists or not.
    checks: AtomicU64,
}

impl Credentials {
    fn hash(users: Vec<DemoUser>) -> Self {
        let mut random = [0u8; 32];
        getrandom::fill(&mut random).expect("the OS random number generator is available");
        let users = users
            .into_iter()
            .map(|user| {
                let hashed = Hashed::new(user.password.expose().as_bytes());
                (user.name, hashed)
            })
            .collect();
        Credentials {
            users,
            dummy: Hashed::new(&random),
            checks: AtomicU64::new(0),
        }
    }

    fn verify(&self, username: &str, password: &str) -> bool {
        let (hashed, known) = match self.users.get(username) {
            Some(hashed) => (hashed, true),
            None => (&self.dummy, false),
        };
        // The hash runs in both cases; only then does `known` decide.
        let matches = hashed.matches(password.as_bytes());
        self.checks.fetch_add(1, Ordering::Relaxed);
        matches & known
    }
}

#[derive(Clone)]
pub struct Users {
    credentials: watch::Receiver<Option<Arc<Credentials>>>,
    count: usize,
    /// Each check holds 7 MiB for its duration; two at a time bounds the
    /// memory a burst of logins can take (a memory-limited pod stays alive).
    permits: Arc<Semaphore>,
}

impl Users {
    /// Starts hashing on a blocking thread and returns at once. Needs a
    /// Tokio runtime.
    pub fn hash_in_background(users: Vec<DemoUser>) -> Self {
        let count = users.len();
        let (sender, receiver) = watch::channel(None);
        tokio::task::spawn_blocking(move || {
            let credentials = Credentials::hash(users);
            tracing::debug!(users = credentials.users.len(), "login passwords hashed");
            let _ = sender.send(Some(Arc::new(credentials)));
        });
        Users {
            credentials: receiver,
            count,
            permits: Arc::new(Semaphore::new(2)),
        }
    }

    /// How many users DEMO_USERS defined.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Whether the start-up hashing is done (logins wait for it).
    pub fn is_hashed(&self) -> bool {
        self.credentials.borrow().is_some()
    }

    /// Password checks run so far, each one argon2 computation: a login
    /// for an unknown user counts like a wrong password (the tests see
    /// that without timing anything).
    pub fn password_checks(&self) -> u64 {
        self.credentials
            .borrow()
            .as_ref()
            .map_or(0, |credentials| credentials.checks.load(Ordering::Relaxed))
    }

    /// True if `username` exists and `password` is its password.
    pub async fn verify(&self, username: &str, password: &str) -> bool {
        let mut receiver = self.credentials.clone();
        let credentials = match receiver.wait_for(Option::is_some).await {
            Ok(credentials) => credentials.clone().expect("wait_for returned a hashed set"),
            // The hashing thread panicked: no login can succeed.
            Err(_) => return false,
        };
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        let (username, password) = (username.to_owned(), password.to_owned());
        // argon2 takes milliseconds of CPU: off the async workers, so other
        // requests keep flowing while a login is checked.
        tokio::task::spawn_blocking(move || credentials.verify(&username, &password))
            .await
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn users(spec: &str) -> Vec<DemoUser> {
        let spec = spec.to_owned();
        Config::from_lookup(|name| (name == "DEMO_USERS").then(|| spec.clone()))
            .unwrap()
            .demo_users
    }

    #[tokio::test]
    async fn right_password_passes_and_everything_else_fails() {
        let users = Users::hash_in_background(users("admin:s3cret,alice:pa55"));
        assert_eq!(users.count(), 2);
        assert!(users.verify("admin", "s3cret").await);
        assert!(users.verify("alice", "pa55").await);
        assert!(!users.verify("admin", "pa55").await);
        assert!(!users.verify("admin", "s3cret ").await);
        assert!(!users.verify("bob", "s3cret").await);
        assert!(!users.verify("", "").await);
    }

    #[tokio::test]
    async fn no_users_means_no_login() {
        let users = Users::hash_in_background(Vec::new());
        assert!(!users.verify("admin", "admin").await);
    }

    #[test]
    fn each_hash_has_its_own_salt() {
        let a = Hashed::new(b"same");
        let b = Hashed::new(b"same");
        assert_ne!(a.salt, b.salt);
        assert_ne!(a.hash, b.hash);
        assert!(a.matches(b"same") && b.matches(b"same"));
    }
}
