//! mdBook's `{{#include path[:anchor|:start:end]}}` directive (and
//! `{{#rustdoc_include ...}}`, which takes the same argument): finding it in
//! a text, reading its argument exactly as mdBook 0.5 does, and resolving it
//! strictly. mdBook itself only logs a missing file, silently turns an
//! unknown anchor into empty text and clamps a line range to the file; here
//! each of those is a [`Problem`].
//!
//! The directive pattern and the argument reading follow mdBook 0.5.4's
//! `mdbook-driver/src/builtin_preprocessors/links.rs` (`find_links`,
//! `parse_range_or_anchor`); the unit tests pin the cases where a looser
//! reading would differ (`path:name:x` is the anchor `name`, `path:3:` runs
//! to the end, `path::2` is lines 1-2, `\{{#include ...}}` is text).

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use crate::anchors::{self, Missing};

// mdBook 0.5.4, links.rs `find_links`: LINK, verbatim.
static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)              # insignificant whitespace mode
        \\\{\{\#.*\}\}      # match escaped link
        |                   # or
        \{\{\s*             # link opening parens and whitespace
        \#([a-zA-Z0-9_]+)   # link type
        \s+                 # separating whitespace
        ([^}]+)             # link target path and space separated properties
        \}\}                # link closing parens",
    )
    .unwrap()
});

/// Which part of the file a directive takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Every line (`path`, `path:`, `path::`).
    Whole,
    /// The lines between the anchor's markers (`path:name`).
    Anchor(String),
    /// 1-based, inclusive line numbers; `None` is the file's first or last
    /// line (`path:3`, `path:3:5`, `path:3:`, `path::5`).
    Lines {
        start: Option<usize>,
        end: Option<usize>,
    },
}

/// One `{{#include ...}}` found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Byte range of the whole `{{#include ...}}` in the text.
    pub span: Range<usize>,
    /// 1-based line of the directive in the text, for messages.
    pub line: usize,
    /// The path as written (relative to the including file's directory).
    pub path: PathBuf,
    pub part: Part,
}

impl fmt::Display for Directive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{{{{#include {}", self.path.display())?;
        match &self.part {
            Part::Whole => {}
            Part::Anchor(name) => write!(f, ":{name}")?,
            Part::Lines { start, end } => {
                let show = |n: &Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
                write!(f, ":{}:{}", show(start), show(end))?
            }
        }
        write!(f, "}}}}")
    }
}

/// Every `{{#include ...}}` and `{{#rustdoc_include ...}}` in `text` that
/// mdBook would expand. `\{{#...}}` is mdBook's escape for showing a
/// directive and is skipped (as mdBook does, up to the line's last `}}`).
pub fn find(text: &str) -> Vec<Directive> {
    LINK.captures_iter(text)
        .filter_map(|cap| {
            let whole = cap.get(0)?;
            let kind = cap.get(1)?.as_str();
            // mdBook: the first whitespace-separated word is the path argument.
            let arg = cap.get(2)?.as_str().split_whitespace().next()?;
            if kind != "include" && kind != "rustdoc_include" {
                return None;
            }
            let (path, part) = parse_argument(arg);
            Some(Directive {
                span: whole.range(),
                line: text[..whole.start()].matches('\n').count() + 1,
                path,
                part,
            })
        })
        .collect()
}

/// mdBook's `parse_include_path` + `parse_range_or_anchor`.
fn parse_argument(arg: &str) -> (PathBuf, Part) {
    let (path, rest) = arg.split_once(':').unwrap_or((arg, ""));
    let mut pieces = rest.splitn(3, ':');
    let first = pieces.next();
    let number = |s: &str| s.parse::<usize>().ok();
    // mdBook counts from 1 and treats 0 as 1 (saturating_sub).
    let start = match first.and_then(number) {
        Some(n) => Some(n.max(1)),
        None if matches!(first, Some("") | None) => None,
        None => return (path.into(), Part::Anchor(first.unwrap_or_default().into())),
    };
    let end = pieces.next().map(number);
    let part = match (start, end) {
        (Some(s), Some(Some(e))) => Part::Lines {
            start: Some(s),
            end: Some(e),
        },
        (Some(s), Some(None)) => Part::Lines {
            start: Some(s),
            end: None,
        },
        (Some(s), None) => Part::Lines {
            start: Some(s),
            end: Some(s),
        },
        (None, Some(Some(e))) => Part::Lines {
            start: None,
            end: Some(e),
        },
        (None, None | Some(None)) => Part::Whole,
    };
    (path.into(), part)
}

/// What went wrong with a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    MissingFile(PathBuf),
    UnknownAnchor { file: PathBuf, anchor: String },
    UnclosedAnchor { file: PathBuf, anchor: String },
    BadRange { file: PathBuf, lines: usize },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::MissingFile(p) => write!(f, "file {} does not exist", p.display()),
            Problem::UnknownAnchor { file, anchor } => write!(
                f,
                "anchor `{anchor}` not found in {} (no `ANCHOR: {anchor}` line)",
                file.display()
            ),
            Problem::UnclosedAnchor { file, anchor } => write!(
                f,
                "anchor `{anchor}` in {} has no `ANCHOR_END: {anchor}` line",
                file.display()
            ),
            Problem::BadRange { file, lines } => {
                write!(f, "line range outside {} ({lines} lines)", file.display())
            }
        }
    }
}

/// Reads the part of the file a directive names, relative to `base_dir`.
pub fn resolve(base_dir: &Path, directive: &Directive) -> Result<String, Problem> {
    let file = base_dir.join(&directive.path);
    let text = std::fs::read_to_string(&file).map_err(|_| Problem::MissingFile(file.clone()))?;
    select(&text, &directive.part).map_err(|problem| match problem {
        Problem::UnknownAnchor { anchor, .. } => Problem::UnknownAnchor { file, anchor },
        Problem::UnclosedAnchor { anchor, .. } => Problem::UnclosedAnchor { file, anchor },
        Problem::BadRange { lines, .. } => Problem::BadRange { file, lines },
        other => other,
    })
}

/// Picks `part` out of `text` as mdBook does: lines joined with `\n` (no
/// final newline); marker lines dropped from an anchor's lines only (a
/// whole-file or line-range include keeps them, as in the rendered book).
/// Errors carry an empty `file`; [`resolve`] fills it in.
pub fn select(text: &str, part: &Part) -> Result<String, Problem> {
    let lines: Vec<&str> = text.lines().collect();
    match part {
        Part::Whole => Ok(lines.join("\n")),
        Part::Lines { start, end } => {
            let first = start.unwrap_or(1);
            let last = end.unwrap_or(lines.len());
            if first > lines.len() || last > lines.len() || first > last {
                return Err(Problem::BadRange {
                    file: PathBuf::new(),
                    lines: lines.len(),
                });
            }
            Ok(lines[first - 1..last].join("\n"))
        }
        Part::Anchor(name) => {
            anchors::take_anchored_lines(text, name).map_err(|missing| match missing {
                Missing::Start => Problem::UnknownAnchor {
                    file: PathBuf::new(),
                    anchor: name.clone(),
                },
                Missing::End => Problem::UnclosedAnchor {
                    file: PathBuf::new(),
                    anchor: name.clone(),
                },
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "a\n# ANCHOR: probes\nb\n# ANCHOR: inner\nc\n# ANCHOR_END: inner\n# ANCHOR_END: probes\nd\n";

    fn part(arg: &str) -> Part {
        parse_argument(arg).1
    }

    #[test]
    fn finds_directives_and_skips_escaped_ones() {
        let text = "x\n{{#include ../a.yaml:probes}}\n\\{{#include shown.rs}}\n{{#title T}}\n{{ #include b.rs:2:3 }}\n{{#rustdoc_include c.rs:x extra}}";
        let found = find(text);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].path, PathBuf::from("../a.yaml"));
        assert_eq!(found[0].part, Part::Anchor("probes".into()));
        assert_eq!(found[0].line, 2);
        assert_eq!(
            &text[found[0].span.clone()],
            "{{#include ../a.yaml:probes}}"
        );
        assert_eq!(
            found[1].part,
            Part::Lines {
                start: Some(2),
                end: Some(3)
            }
        );
        assert_eq!(found[2].path, PathBuf::from("c.rs"));
        assert_eq!(found[2].part, Part::Anchor("x".into()));
        // A directive needs an argument; `{{#include}}` is text to mdBook.
        assert!(find("{{#include}}").is_empty());
    }

    #[test]
    fn arguments_read_as_mdbook_reads_them() {
        let lines = |start, end| Part::Lines { start, end };
        assert_eq!(part("f"), Part::Whole);
        assert_eq!(part("f:"), Part::Whole);
        assert_eq!(part("f::"), Part::Whole);
        assert_eq!(part("f:name"), Part::Anchor("name".into()));
        // The third piece is ignored: still the anchor `name`.
        assert_eq!(part("f:name:x"), Part::Anchor("name".into()));
        assert_eq!(part("f:7"), lines(Some(7), Some(7)));
        assert_eq!(part("f:0"), lines(Some(1), Some(1)));
        assert_eq!(part("f:3:5"), lines(Some(3), Some(5)));
        // An end that is not a number means "to the end of the file".
        assert_eq!(part("f:3:"), lines(Some(3), None));
        assert_eq!(part("f:3:x"), lines(Some(3), None));
        assert_eq!(part("f::5"), lines(None, Some(5)));
        assert_eq!(part("f::x"), Part::Whole);
    }

    #[test]
    fn selects_anchors_without_marker_lines() {
        assert_eq!(
            select(FILE, &Part::Anchor("probes".into())).unwrap(),
            "b\nc"
        );
        assert_eq!(select(FILE, &Part::Anchor("inner".into())).unwrap(), "c");
        let compact = "#ANCHOR:x\ny\n#ANCHOR_END:x\n";
        assert_eq!(select(compact, &Part::Anchor("x".into())).unwrap(), "y");
        // Whole files and ranges keep markers, as mdBook shows them.
        assert_eq!(select(compact, &Part::Whole).unwrap(), compact.trim_end());
    }

    #[test]
    fn unknown_or_unclosed_anchor_and_bad_range_are_errors() {
        assert!(matches!(
            select(FILE, &Part::Anchor("nope".into())),
            Err(Problem::UnknownAnchor { .. })
        ));
        assert!(matches!(
            select("# ANCHOR: open\nx\n", &Part::Anchor("open".into())),
            Err(Problem::UnclosedAnchor { .. })
        ));
        let range = Part::Lines {
            start: Some(20),
            end: None,
        };
        assert!(matches!(
            select(FILE, &range),
            Err(Problem::BadRange { .. })
        ));
    }

    #[test]
    fn line_ranges_are_one_based_and_inclusive() {
        let text = "1\n2\n3\n4\n";
        let part = |s, e| Part::Lines { start: s, end: e };
        assert_eq!(select(text, &part(Some(2), Some(3))).unwrap(), "2\n3");
        assert_eq!(select(text, &part(Some(3), None)).unwrap(), "3\n4");
        assert_eq!(select(text, &part(None, Some(1))).unwrap(), "1");
    }

    #[test]
    fn missing_file_is_reported_with_its_path() {
        let d = &find("{{#include nowhere.yaml}}")[0];
        let err = resolve(Path::new("/nonexistent-dir"), d).unwrap_err();
        assert!(err.to_string().contains("nowhere.yaml"), "{err}");
    }
}
