//! The guide includes parts of the manifests by anchor
//! (`# ANCHOR: name` ... `# ANCHOR_END: name`), and mdBook silently
//! includes nothing for an anchor that does not exist. So: every anchor is
//! closed, and `k8s/README.md`, where chapter writers look anchors up, lists
//! exactly the anchors each file has.

use std::collections::BTreeMap;

/// The anchors of a file, in order, or what is wrong with them.
pub fn anchors(text: &str) -> Result<Vec<String>, String> {
    let mut open: Vec<String> = Vec::new();
    let mut found = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix("# ANCHOR: ") {
            let name = name.trim().to_owned();
            if found.contains(&name) {
                return Err(format!("line {}: anchor {name} appears twice", number + 1));
            }
            open.push(name.clone());
            found.push(name);
        } else if let Some(name) = line.strip_prefix("# ANCHOR_END: ") {
            let name = name.trim();
            let Some(position) = open.iter().position(|n| n == name) else {
                return Err(format!(
                    "line {}: ANCHOR_END {name} without ANCHOR",
                    number + 1
                ));
            };
            open.remove(position);
        }
    }
    match open.first() {
        Some(name) => Err(format!("anchor {name} is never closed (ANCHOR_END)")),
        None => Ok(found),
    }
}

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
    fn nested_anchors_are_fine() {
        let text = "# ANCHOR: a\n# ANCHOR: b\nx\n# ANCHOR_END: b\n# ANCHOR_END: a\n";
        assert_eq!(anchors(text).unwrap(), ["a", "b"]);
    }

    #[test]
    fn an_unclosed_anchor_fails() {
        assert!(
            anchors("# ANCHOR: a\nx\n")
                .unwrap_err()
                .contains("never closed")
        );
        assert!(
            anchors("x\n# ANCHOR_END: a\n")
                .unwrap_err()
                .contains("without ANCHOR")
        );
    }

    #[test]
    fn readme_rows_are_read() {
        let readme = "| file | what | anchors |\n|---|---|---|\n| `a.yaml` | A | `x`, `y` (both) |\n| `b.yaml` | B | (whole file) |\n";
        let listed = listed_in_readme(readme);
        assert_eq!(listed["a.yaml"], ["x", "y"]);
        assert!(listed["b.yaml"].is_empty());
    }
}
