//! Self-check questions about the kit: a question of a ```` ```quiz ````
//! block (read by `kit_formats::quiz`) with `kit = "<file> <Kind> <JSON
//! pointer>"` asks for a value of the kit, and its answer is taken from the
//! kit: the pointer must name one of the values [`crate::values`] derives
//! (the same file, kind and pointer as [`KitValue::describe`]; a name, such
//! as a port's or a Service's, is read from the manifest itself), the
//! correct option must state it (as the file writes it, a number may carry
//! its unit: `5`, `5 seconds`, `50m`), and no wrong option may state it. So
//! changing the manifest fails `make test` until the question changes.
//!
//! The site checks the rest of the format (`site/src/book/quiz.rs`); a
//! block that does not parse is reported here too, so no question is
//! skipped unseen.

use std::path::Path;

use kit_formats::quiz;
use serde_json::Value;

use crate::pages::{Page, code_blocks};
use crate::values::{KitValue, kit_values};

/// What the check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Questions with `kit`, compared with the kit.
    pub checked: usize,
    /// Every question read.
    pub questions: usize,
    pub problems: Vec<String>,
}

/// Every question of `pages` about the kit at `root`, against the kit.
pub fn check(root: &Path, pages: &[Page]) -> Report {
    let values = match kit_values(root) {
        Ok(values) => values,
        Err(e) => {
            return Report {
                problems: vec![format!("reading the kit: {e}")],
                ..Report::default()
            };
        }
    };
    let mut report = Report::default();
    for page in pages {
        for block in code_blocks(&page.text)
            .into_iter()
            .filter(|b| b.lang == quiz::LANG)
        {
            let at = |line: usize| page.at(block.body_line + line - 1);
            let questions = match quiz::parse(&block.body) {
                Ok(questions) => questions,
                Err(p) => {
                    report
                        .problems
                        .push(format!("{}: {}", at(p.line), p.message));
                    continue;
                }
            };
            for q in questions {
                report.questions += 1;
                let Some(kit) = &q.kit else { continue };
                report.checked += 1;
                let value = match kit_value(root, &values, kit) {
                    Ok(value) => value,
                    Err(e) => {
                        report
                            .problems
                            .push(format!("{}: quiz `{}`: {e}", at(q.kit_line), q.id));
                        continue;
                    }
                };
                for o in &q.options {
                    let states = states(&o.text, &value.value);
                    if o.correct && !states {
                        report.problems.push(format!(
                            "{}: quiz `{}`: the correct option `{}` does not state the kit's value, {}: \
                             write the value as the file does (a number may carry its unit)",
                            at(o.line),
                            q.id,
                            o.text,
                            value.describe()
                        ));
                    } else if !o.correct && states {
                        report.problems.push(format!(
                            "{}: quiz `{}`: the option `{}` is marked wrong but states the kit's value, {}",
                            at(o.line),
                            q.id,
                            o.text,
                            value.describe()
                        ));
                    }
                }
            }
        }
    }
    report
}

/// The value `kit` (`<file> <Kind> <JSON pointer>`) names: one of the
/// derived values, or a scalar the manifest writes (a name, a path).
fn kit_value(root: &Path, values: &[KitValue], kit: &str) -> Result<KitValue, String> {
    let words: Vec<&str> = kit.split_whitespace().collect();
    let [file, kind, pointer] = words[..] else {
        return Err(format!(
            "`kit = \"{kit}\"` must be three words, `<file> <Kind> <JSON pointer>` \
             (`k8s/app/deployment.yaml Deployment /spec/replicas`)"
        ));
    };
    if let Some(v) = values
        .iter()
        .find(|v| v.file == file && v.kind == kind && v.pointer == pointer)
    {
        return Ok(v.clone());
    }
    let text = std::fs::read_to_string(root.join(file))
        .map_err(|_| format!("`kit` names `{file}`, which is not a file of the kit"))?;
    let docs = kit_check::yaml::parse(file, &text).map_err(|e| format!("`kit` names {e}"))?;
    let Some(doc) = docs
        .iter()
        .find(|d| d.value.get("kind").and_then(Value::as_str) == Some(kind))
    else {
        return Err(format!("`kit` names a {kind} in {file}, which has none"));
    };
    let scalar = match doc.value.pointer(pointer) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => {
            return Err(format!(
                "`kit` names {pointer} in the {kind} of {file}, which holds no single value there"
            ));
        }
    };
    Ok(KitValue {
        file: file.to_owned(),
        kind: kind.to_owned(),
        pointer: pointer.to_owned(),
        field: pointer.rsplit('/').next().unwrap_or("").to_owned(),
        value: scalar,
        owner: String::new(),
        tags: Vec::new(),
        example: false,
    })
}

/// Whether `text` states `value`: as a word of its own (`5` in `5 seconds`
/// or `` `5` ``, not in `15`, `50m` or `5.5`).
pub fn states(text: &str, value: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(value).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let mut after = text[i + value.len()..].chars();
        let next = after.next();
        let continues = match next {
            Some('.') | Some(',') => after.next().is_some_and(|c| c.is_ascii_digit()),
            Some(c) => word(c),
            None => false,
        };
        !before.is_some_and(|c| word(c) || c == '.' || c == '-') && !continues
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_stated_as_a_word_with_or_without_its_unit() {
        for (text, value) in [
            ("5", "5"),
            ("`5`", "5"),
            ("5 seconds", "5"),
            ("about 50m of CPU", "50m"),
            ("`64Mi`", "64Mi"),
            ("It is 5.", "5"),
            ("a 5-second period", "5"),
        ] {
            assert!(states(text, value), "{text} states {value}");
        }
        for (text, value) in [
            ("15", "5"),
            ("50m", "5"),
            ("5.5", "5"),
            ("500m", "50m"),
            ("v1.5", "5"),
        ] {
            assert!(!states(text, value), "{text} does not state {value}");
        }
    }
}
