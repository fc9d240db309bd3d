//! Relative links written as repository paths (`../../k8s/app/deployment.yaml`,
//! `../docs/walkthrough/scaling.md#try-it`) and where they point in the built
//! site. Shared by the guide's source appendix and the deck.

use std::path::{Component, Path, PathBuf};

/// Folder of the built site holding one page per project source file.
pub const SOURCES_DIR: &str = "sources";

/// A relative link split into its path and `#fragment`, or `None` for links
/// that are not relative paths (URLs with a scheme, `/absolute`, `#same-page`).
pub fn split_relative(dest: &str) -> Option<(&str, Option<&str>)> {
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with('/') || dest.starts_with('?') {
        return None;
    }
    if let Some(colon) = dest.find(':') {
        // `scheme:` comes before any `/`, `?` or `#`.
        if !dest[..colon].contains(['/', '?', '#']) {
            return None;
        }
    }
    Some(match dest.split_once('#') {
        Some((path, frag)) => (path, Some(frag)),
        None => (dest, None),
    })
}

/// Joins a relative path onto `base` (a repository-relative folder) and
/// normalises `.` and `..`. `None` when the path climbs above the repository.
pub fn join_repo(base: &Path, rel: &str) -> Option<PathBuf> {
    let mut parts: Vec<String> = base
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    for piece in rel.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other.to_string()),
        }
    }
    Some(parts.iter().collect())
}

/// `a/b/c` relative to `a/x` is `../b/c`: the relative link from a page in
/// folder `from` (repository-relative or site-relative) to `to`.
pub fn relative_to(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out: Vec<String> = vec!["..".to_string(); from.len() - common];
    out.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    out.join("/")
}

/// The appendix page (site-relative, `.md` as mdBook sees it) showing
/// repository file `repo_path`.
pub fn source_page(repo_path: &Path) -> PathBuf {
    let mut name = repo_path.as_os_str().to_owned();
    name.push(".md");
    Path::new(SOURCES_DIR).join(name)
}

/// The appendix page for a repository folder.
pub fn source_dir_page(repo_dir: &Path) -> PathBuf {
    Path::new(SOURCES_DIR).join(repo_dir).join("index.md")
}

/// The built HTML of a guide page: `walkthrough/scaling.md` becomes
/// `walkthrough/scaling.html`, a `README.md` becomes `index.html`.
pub fn chapter_html(md: &Path) -> PathBuf {
    if md.file_name().is_some_and(|n| n == "README.md") {
        md.with_file_name("index.html")
    } else {
        md.with_extension("html")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_only_relative_links() {
        assert_eq!(split_relative("a/b.md#x"), Some(("a/b.md", Some("x"))));
        assert_eq!(
            split_relative("../../Makefile"),
            Some(("../../Makefile", None))
        );
        assert_eq!(split_relative("https://kubernetes.io/docs/"), None);
        assert_eq!(split_relative("mailto:x@y"), None);
        assert_eq!(split_relative("#top"), None);
        assert_eq!(split_relative("/abs"), None);
    }

    #[test]
    fn joins_and_relativises() {
        let p = join_repo(
            Path::new("docs/walkthrough"),
            "../../k8s/app/deployment.yaml",
        )
        .unwrap();
        assert_eq!(p, PathBuf::from("k8s/app/deployment.yaml"));
        assert_eq!(join_repo(Path::new("docs"), "../../x"), None);
        assert_eq!(
            relative_to(Path::new("walkthrough"), &source_page(&p)),
            "../sources/k8s/app/deployment.yaml.md"
        );
        assert_eq!(relative_to(Path::new(""), Path::new("a/b")), "a/b");
        assert_eq!(
            chapter_html(Path::new("README.md")),
            PathBuf::from("index.html")
        );
        assert_eq!(chapter_html(Path::new("w/x.md")), PathBuf::from("w/x.html"));
    }
}
