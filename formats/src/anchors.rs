//! mdBook's anchor markers. A marker is any line that *contains*
//! `ANCHOR: name` or `ANCHOR_END: name` (whitespace after the colon
//! optional, names of word characters and `-`), whatever comment syntax
//! surrounds it: `# ANCHOR: a`, `// ANCHOR: a` and `#ANCHOR:a` all count.
//! The two patterns are mdBook 0.5's own, copied from
//! `mdbook-driver/src/builtin_preprocessors/links/take_lines.rs`, so a
//! marker mdBook renders is a marker our checks see, and no other.
//!
//! mdBook silently includes nothing for an anchor that does not exist and
//! the rest of the file for one never closed; [`anchors`] and
//! [`take_anchored_lines`] report both instead.

use std::sync::LazyLock;

use regex::Regex;

// mdBook 0.5.4, take_lines.rs: ANCHOR_START and ANCHOR_END, verbatim.
static ANCHOR_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR:\s*(?P<anchor_name>[\w_-]+)").unwrap());
static ANCHOR_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"ANCHOR_END:\s*(?P<anchor_name>[\w_-]+)").unwrap());

/// The name `line` opens an anchor with, if it is an `ANCHOR:` marker.
pub fn start(line: &str) -> Option<&str> {
    ANCHOR_START
        .captures(line)
        .and_then(|c| c.name("anchor_name"))
        .map(|m| m.as_str())
}

/// The name `line` closes an anchor with, if it is an `ANCHOR_END:` marker.
pub fn end(line: &str) -> Option<&str> {
    ANCHOR_END
        .captures(line)
        .and_then(|c| c.name("anchor_name"))
        .map(|m| m.as_str())
}

/// True for a line mdBook drops from an anchored include (any marker).
pub fn is_marker(line: &str) -> bool {
    ANCHOR_START.is_match(line) || ANCHOR_END.is_match(line)
}

/// Every anchor name a file opens, in order, balanced or not (for messages
/// that list what an include could have named).
pub fn names(text: &str) -> Vec<String> {
    text.lines().filter_map(start).map(str::to_owned).collect()
}

/// The anchors of a file, in the order they open, or the first thing wrong
/// with them: an anchor opened twice (mdBook would use only the first), an
/// `ANCHOR_END` with no open anchor of its name, an anchor never closed.
/// Anchors may nest and overlap.
pub fn anchors(text: &str) -> Result<Vec<String>, String> {
    let mut open: Vec<&str> = Vec::new();
    let mut found: Vec<String> = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if let Some(name) = start(line) {
            if found.iter().any(|f| f == name) {
                return Err(format!("line {}: anchor {name} appears twice", number + 1));
            }
            open.push(name);
            found.push(name.to_owned());
        } else if let Some(name) = end(line) {
            let Some(position) = open.iter().position(|n| *n == name) else {
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

/// What went wrong taking an anchor's lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// No `ANCHOR: name` line.
    Start,
    /// `ANCHOR: name` without a later `ANCHOR_END: name`.
    End,
}

/// The lines between `ANCHOR: name` and the next `ANCHOR_END: name`,
/// without any marker line (other anchors nested inside included), joined
/// with `\n`: what mdBook's `take_anchored_lines` returns, except that an
/// unknown or unclosed anchor is an error here.
pub fn take_anchored_lines(text: &str, name: &str) -> Result<String, Missing> {
    let mut lines = text.lines();
    if !lines.by_ref().any(|l| start(l) == Some(name)) {
        return Err(Missing::Start);
    }
    let mut kept = Vec::new();
    for line in lines {
        match end(line) {
            Some(closing) if closing == name => return Ok(kept.join("\n")),
            Some(_) => {}
            None if start(line).is_some() => {}
            None => kept.push(line),
        }
    }
    Err(Missing::End)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "a\n# ANCHOR: probes\nb\n# ANCHOR: inner\nc\n# ANCHOR_END: inner\n# ANCHOR_END: probes\nd\n";

    #[test]
    fn any_comment_syntax_and_no_space_count_as_markers() {
        // `#ANCHOR:x` renders in mdBook, so the checks must see it too.
        assert_eq!(start("#ANCHOR:x"), Some("x"));
        assert_eq!(start("    // ANCHOR: config-env"), Some("config-env"));
        assert_eq!(start("<!-- ANCHOR:\tsnake_case -->"), Some("snake_case"));
        assert_eq!(end("#ANCHOR_END:x"), Some("x"));
        // `ANCHOR_END:` is not an `ANCHOR:` line, nor the reverse.
        assert_eq!(start("# ANCHOR_END: x"), None);
        assert_eq!(end("# ANCHOR: x"), None);
        // The name stops at the first character outside [\w_-].
        assert_eq!(start("# ANCHOR: probes (readiness)"), Some("probes"));
        assert_eq!(start("# ANCHOR:"), None);
    }

    #[test]
    fn nested_anchors_are_fine() {
        let text = "# ANCHOR: a\n# ANCHOR: b\nx\n# ANCHOR_END: b\n# ANCHOR_END: a\n";
        assert_eq!(anchors(text).unwrap(), ["a", "b"]);
        assert_eq!(anchors("#ANCHOR:x\ny\n#ANCHOR_END:x\n").unwrap(), ["x"]);
        assert_eq!(names("#ANCHOR:x\n// ANCHOR: y\n"), ["x", "y"]);
    }

    #[test]
    fn an_unclosed_duplicate_or_stray_anchor_fails() {
        let unclosed = anchors("# ANCHOR: a\nx\n").unwrap_err();
        assert!(unclosed.contains("never closed"), "{unclosed}");
        let stray = anchors("x\n# ANCHOR_END: a\n").unwrap_err();
        assert!(stray.contains("without ANCHOR"), "{stray}");
        let twice = anchors("# ANCHOR: a\n# ANCHOR_END: a\n# ANCHOR: a\n").unwrap_err();
        assert!(twice.contains("twice"), "{twice}");
        // The compact form is no longer invisible to the balance check.
        let compact = anchors("#ANCHOR:x\ny\n").unwrap_err();
        assert!(compact.contains("never closed"), "{compact}");
    }

    #[test]
    fn anchored_lines_drop_every_marker_as_mdbook_does() {
        assert_eq!(take_anchored_lines(FILE, "probes").unwrap(), "b\nc");
        assert_eq!(take_anchored_lines(FILE, "inner").unwrap(), "c");
        assert_eq!(take_anchored_lines(FILE, "nope"), Err(Missing::Start));
        assert_eq!(
            take_anchored_lines("# ANCHOR: open\nx\n", "open"),
            Err(Missing::End)
        );
    }
}
