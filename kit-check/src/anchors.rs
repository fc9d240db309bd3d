//! The guide includes parts of the manifests by anchor
//! (`# ANCHOR: name` ... `# ANCHOR_END: name`), and mdBook silently
//! includes nothing for an anchor that does not exist. So: every anchor is
//! closed, and `k8s/README.md`, where chapter writers look anchors up, lists
//! exactly the anchors each file has. The markers themselves are read by
//! [`kit_formats::anchors`], with mdBook's grammar; this module reads the
//! README's table.

use std::collections::BTreeMap;

/// The table of `k8s/README.md`: file → the anchors it lists for it.
/// Rows are `| \`file\` | what | \`anchor\`, \`anchor\` (note) |`.
pub fn listed_in_readme(readme: &str) -> BTreeMap<String, Vec<String>> {
    let mut listed = BTreeMap::new();
    for line in readme.lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let (Some(file), Some(anchor_cell)) = (cells.get(1), cells.get(3)) else {
            continue;
        };
        let file = file.trim_matches('`');
        if file.contains('*') || file.ends_with('/') {
            continue;
        }
        let names = anchor_cell
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect();
        listed.insert(file.to_owned(), names);
    }
    listed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_rows_are_read() {
        let readme = "| file | what | anchors |\n|---|---|---|\n| `a.yaml` | A | `x`, `y` (both) |\n| `b.yaml` | B | (whole file) |\n";
        let listed = listed_in_readme(readme);
        assert_eq!(listed["a.yaml"], ["x", "y"]);
        assert!(listed["b.yaml"].is_empty());
    }
}
