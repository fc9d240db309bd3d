//! demo-app/README.md lists the environment variables by hand for
//! newcomers; this keeps that list complete and free of stale names.

use demo_app::config::ENV_VARS;

#[test]
fn the_readme_names_every_env_var_and_no_other() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for spec in ENV_VARS {
        assert!(
            readme.contains(&format!("`{}`", spec.name)),
            "README.md misses {}",
            spec.name
        );
        if let Some(default) = spec.default.filter(|d| !d.is_empty()) {
            assert!(
                readme.contains(&format!("`{}`={default}", spec.name)),
                "README.md shows another default for {} (expected {default})",
                spec.name
            );
        }
    }
    // Headings as mdBook parses them: a `## ` line in a code block is not one.
    let section = kit_formats::markdown::section(&readme, "Configuration")
        .expect("README.md has a Configuration section");
    for word in section.split('`').skip(1).step_by(2) {
        let looks_like_var =
            word.len() > 2 && word.chars().all(|c| c.is_ascii_uppercase() || c == '_');
        if looks_like_var {
            assert!(
                ENV_VARS.iter().any(|s| s.name == word),
                "README.md names {word}, which the app does not read"
            );
        }
    }
}
