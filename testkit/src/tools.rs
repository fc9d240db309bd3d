//! Finding the external programs the tests run for real.

use std::path::PathBuf;

/// The first file called `name` in a directory of `PATH`.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// `redis-server` from `PATH`. Install: `apt-get install redis-server`.
pub fn redis_server() -> Option<PathBuf> {
    find_on_path("redis-server")
}

/// A Chromium (or Chrome) binary: `$CHROMIUM` if set, else the usual names
/// on `PATH`, else Debian's and Ubuntu's install paths.
/// Install: `apt-get install chromium`.
pub fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROMIUM").map(PathBuf::from) {
        return path.is_file().then_some(path);
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find_map(find_on_path)
        .or_else(|| {
            ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
                .into_iter()
                .map(PathBuf::from)
                .find(|path| path.is_file())
        })
}
