//! Every `make X` the guide, the deck and the READMEs name (in command
//! blocks and inline code) is a target of the kit's Makefile that
//! `make help` lists. The list comes from make itself: `make help` for
//! the documented targets, `make -pRrq` (make's database) for the rest,
//! so a target that exists but is hidden from `make help` is reported too.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::commands::{one_line, sessions};
use crate::pages::{Item, Page, items};

/// Targets a page names that exist but `make help` does not list, waiting
/// for a fix in a file this crate does not own, with why. Reported on every
/// run; an entry that is listed again fails the run until it is removed.
pub const KNOWN_HIDDEN: &[(&str, &str)] = &[];

/// `path:line` and the target.
pub fn named(pages: &[Page]) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for page in pages {
        let mut lines: Vec<(String, usize)> = Vec::new();
        for session in sessions(page).unwrap_or_default() {
            for c in &session.commands {
                lines.push((one_line(&c.text), c.line));
            }
        }
        for item in items(&page.text) {
            if let Item::InlineCode(code, line) = item {
                lines.push((code, line));
            }
        }
        for (text, line) in lines {
            for target in targets_in(&text) {
                found.push((page.at(line), target));
            }
        }
    }
    found
}

/// The targets of every `make ...` in a shell line.
fn targets_in(text: &str) -> Vec<String> {
    let mut targets = Vec::new();
    for segment in text.split(['|', ';', '&', '(', ')']) {
        let words: Vec<&str> = segment.split_whitespace().collect();
        let Some(at) = words.iter().position(|w| *w == "make") else {
            continue;
        };
        // `make` must start the segment (or follow `$ `): "to make sure" is prose.
        if at != 0 && !(at == 1 && words[0] == "$") {
            continue;
        }
        for word in &words[at + 1..] {
            if word.starts_with('#') {
                break;
            }
            if word.starts_with('-') || word.contains('=') || word.contains('<') {
                continue;
            }
            let target = word.trim_matches(|c: char| c == '`' || c == ',' || c == '.');
            if !target.is_empty()
                && target
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '/')
            {
                targets.push(target.to_owned());
            }
        }
    }
    targets
}

/// This crate's own targets: until the top-level Makefile includes
/// `guide-check/guide-check.mk`, it is passed to make as a second file.
const OWN_MK: &str = "guide-check/guide-check.mk";

fn makefiles(dir: &Path) -> Vec<String> {
    let mut args = vec!["-f".to_owned(), "Makefile".to_owned()];
    let top = std::fs::read_to_string(dir.join("Makefile")).unwrap_or_default();
    if dir.join(OWN_MK).is_file() && !top.contains(OWN_MK) {
        args.extend(["-f".to_owned(), OWN_MK.to_owned()]);
    }
    args
}

/// The targets `make help` prints in `dir`.
pub fn help_targets(dir: &Path) -> Result<BTreeSet<String>, String> {
    let out = Command::new("make")
        .args(makefiles(dir))
        .args(["--no-print-directory", "-s", "help"])
        .current_dir(dir)
        .output()
        .map_err(|e| format!("make does not run: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "make help failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let ansi = regex::Regex::new(r"\x1b\[[0-9;]*m").unwrap();
    Ok(text
        .lines()
        .skip_while(|l| l.starts_with("Usage"))
        .filter_map(|l| {
            let clean = ansi.replace_all(l, "");
            clean.split_whitespace().next().map(str::to_owned)
        })
        .collect())
}

/// Every target in make's database (`make -pRrq`), documented or not.
pub fn all_targets(dir: &Path) -> Result<BTreeSet<String>, String> {
    let out = Command::new("make")
        .args(makefiles(dir))
        .args(["-pRrq", ":"])
        .current_dir(dir)
        .output()
        .map_err(|e| format!("make does not run: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut targets = BTreeSet::new();
    let mut not_a_target = false;
    for line in text.lines() {
        if line.starts_with("# Not a target") {
            not_a_target = true;
            continue;
        }
        if let Some((name, _)) = line.split_once(':')
            && !line.starts_with(['#', '\t', ' ', '.'])
            && !name.contains(char::is_whitespace)
            && !name.contains('%')
            && !line.contains(":=")
            && !not_a_target
        {
            targets.insert(name.to_owned());
        }
        not_a_target = false;
    }
    Ok(targets)
}

/// What the check found.
#[derive(Debug, Default)]
pub struct Report {
    /// `make X` mentions checked.
    pub named: usize,
    pub problems: Vec<String>,
    /// Mentions of [`KNOWN_HIDDEN`] targets, with why.
    pub known: Vec<String>,
}

/// Checks the pages against the Makefile in `dir`.
pub fn check(pages: &[Page], dir: &Path) -> Result<Report, String> {
    let help = help_targets(dir)?;
    let all = all_targets(dir)?;
    let named = named(pages);
    let mut report = Report {
        named: named.len(),
        ..Report::default()
    };
    for (target, _) in KNOWN_HIDDEN {
        if help.contains(*target) {
            report.problems.push(format!(
                "`make help` lists {target} now: remove it from KNOWN_HIDDEN"
            ));
        }
    }
    for (at, target) in &named {
        if help.contains(target) {
            continue;
        }
        if let Some((_, why)) = KNOWN_HIDDEN.iter().find(|(t, _)| t == target)
            && all.contains(target)
        {
            report.known.push(format!("{at}: make {target}: {why}"));
            continue;
        }
        report.problems.push(if all.contains(target) {
            format!("{at}: `make {target}` is a target, but `make help` does not list it (add `## help text`)")
        } else {
            format!("{at}: `make {target}`: no such target")
        });
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::targets_in;

    #[test]
    fn targets_of_a_line() {
        assert_eq!(targets_in("make scale N=2"), ["scale"]);
        assert_eq!(
            targets_in("make metrics-server && make hpa      # once"),
            ["metrics-server", "hpa"]
        );
        assert_eq!(targets_in("make docs PORT=4000"), ["docs"]);
        assert!(targets_in("to make sure").is_empty());
    }
}
