//! The facts about the four local clusters, read from `k8s/flavours.mk`
//! (their one home: make reads the same file), and the guide's "Which
//! cluster?" table derived from them.
//!
//! Hand-written reader: the file is a list of `NAME := value` lines with
//! `$(NAME)` references to earlier lines (`NAME ?= value` for a default
//! the reader may override from the environment), a tiny subset of make that a make
//! parser crate would be far too much for. Anything else (a rule, a
//! conditional) is an error, so the file cannot grow make logic unnoticed.

use std::collections::BTreeMap;

/// The guide's table: its columns, each with the suffix of its variables
/// (`FLAVOUR_<flavour>_<suffix>`).
pub const COLUMNS: &[(&str, &str)] = &[
    ("How you get it", "create"),
    ("Your image reaches it", "images"),
    ("The app's address", "address"),
    ("Redis's volume", "storage"),
    ("NetworkPolicy", "networkpolicy"),
    ("metrics-server", "metrics"),
];

/// Markers around the generated table in the guide.
pub const TABLE_START: &str =
    "<!-- flavours-table: generated from k8s/flavours.mk, checked by make test-k8s -->";
pub const TABLE_END: &str = "<!-- flavours-table end -->";

/// The variables of a flavours file, references expanded.
pub fn read(text: &str) -> Result<BTreeMap<String, String>, String> {
    let mut vars = BTreeMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // `NAME ?= value`: a default the reader may override from the
        // environment (`APP_HOST_PORT=8082 make cluster`).
        let Some((name, value)) = line.split_once(":=").or_else(|| line.split_once("?=")) else {
            return Err(format!(
                "line {}: not a `NAME := value` or `NAME ?= value` line: {line}",
                number + 1
            ));
        };
        let value = expand(value.trim(), &vars).map_err(|e| format!("line {}: {e}", number + 1))?;
        vars.insert(name.trim().to_owned(), value);
    }
    Ok(vars)
}

fn expand(value: &str, vars: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("$(") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find(')')
            .ok_or_else(|| format!("unclosed $( in {value}"))?;
        let name = &after[..end];
        let known = vars
            .get(name)
            .ok_or_else(|| format!("$({name}) is not defined above"))?;
        out.push_str(known);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The flavours, in the file's order (`FLAVOURS`).
pub fn flavours(vars: &BTreeMap<String, String>) -> Vec<String> {
    vars.get("FLAVOURS")
        .map(|f| f.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// The guide's table in Markdown, one row per flavour; an error names every
/// cell the file lacks.
pub fn table(vars: &BTreeMap<String, String>) -> Result<String, String> {
    let mut missing = Vec::new();
    let mut out = String::from("| Flavour |");
    for (title, _) in COLUMNS {
        out.push_str(&format!(" {title} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(COLUMNS.len()));
    out.push('\n');
    for flavour in flavours(vars) {
        out.push_str(&format!("| {flavour} |"));
        for (_, suffix) in COLUMNS {
            let name = format!("FLAVOUR_{flavour}_{suffix}");
            match vars.get(&name) {
                Some(cell) => out.push_str(&format!(" {cell} |")),
                None => missing.push(name),
            }
        }
        out.push('\n');
    }
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(format!("k8s/flavours.mk lacks {}", missing.join(", ")))
    }
}

/// The table between the markers in a chapter, if both are there.
pub fn table_in(chapter: &str) -> Option<&str> {
    let start = chapter.find(TABLE_START)? + TABLE_START.len();
    let end = start + chapter[start..].find(TABLE_END)?;
    Some(chapter[start..end].trim_matches('\n'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_expand_and_other_lines_are_refused() {
        let vars = read("# c\nA := 1\nB := x$(A)y\nC ?= $(B)z\n").unwrap();
        assert_eq!(vars["B"], "x1y");
        assert_eq!(vars["C"], "x1yz");
        assert!(
            read("B := $(A)\n")
                .unwrap_err()
                .contains("$(A) is not defined")
        );
        assert!(
            read("all: x\n")
                .unwrap_err()
                .contains("not a `NAME := value` or `NAME ?= value` line")
        );
    }

    #[test]
    fn a_missing_cell_is_named() {
        let vars = read("FLAVOURS := k\nFLAVOUR_k_create := c\n").unwrap();
        let error = table(&vars).unwrap_err();
        assert!(error.contains("FLAVOUR_k_images"), "{error}");
    }
}
