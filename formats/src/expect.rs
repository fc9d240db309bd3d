//! Does what the app really printed match what the page shows?
//!
//! The page marks what varies (guide-check/README.md "Conventions"):
//! - `…` (or `...`) inside a line or a JSON string matches any text;
//! - `<pod-name>`-style placeholders (lower-case words in angle brackets)
//!   match any text;
//! - in JSON, a bare `…` where a value goes matches any number;
//! - a line that is only `…` (or `...`) stands for any number of lines.
//!
//! Everything else must be equal. A line that is JSON on the page is
//! compared as JSON: the same keys, the same value types, the same values.
//! Hand-written because it is the page's own small grammar, not a format a
//! crate knows.

use serde_json::Value;

/// Stands for "any number" once a bare `…` in a JSON line is read.
const ANY_NUMBER: &str = "\u{E000}any-number";

/// Values of the local run that stand in for the kit's: the Redis host
/// `127.0.0.1` for `redis`, the test's ports for 8000 and 6379. They are
/// translated back before comparing, so the page can show the kit's values.
#[derive(Debug, Clone, Default)]
pub struct StandIns {
    pub strings: Vec<(String, String)>,
    pub numbers: Vec<(u64, u64)>,
}

impl StandIns {
    fn translate(&self, value: &mut Value) {
        match value {
            Value::String(s) => {
                if let Some((_, kit)) = self.strings.iter().find(|(local, _)| local == s) {
                    *s = kit.clone();
                }
            }
            Value::Number(n) => {
                if let Some((_, kit)) = self
                    .numbers
                    .iter()
                    .find(|(local, _)| n.as_u64() == Some(*local))
                {
                    *n = (*kit).into();
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|v| self.translate(v)),
            Value::Object(map) => map.values_mut().for_each(|v| self.translate(v)),
            _ => {}
        }
    }
}

/// Compares the shown lines with the real ones; the error says where and why.
pub fn compare(shown: &[String], actual: &str, stand_ins: &StandIns) -> Result<(), String> {
    let actual: Vec<&str> = actual.lines().collect();
    let shown: Vec<&str> = shown.iter().map(String::as_str).collect();
    let mut closest = (0, String::new());
    if lines_match(&shown, &actual, 0, stand_ins, &mut closest) {
        return Ok(());
    }
    let (at, why) = closest;
    Err(format!(
        "shown line {} does not match: {why}\n    shown:\n      {}\n    real:\n      {}",
        at + 1,
        shown.join("\n      "),
        actual.join("\n      ")
    ))
}

fn is_any_lines(line: &str) -> bool {
    matches!(line.trim(), "…" | "...")
}

/// Matches line by line; `…` lines may take any number of real lines.
/// `closest` keeps the furthest shown line that failed, for the message.
fn lines_match(
    shown: &[&str],
    actual: &[&str],
    offset: usize,
    stand_ins: &StandIns,
    closest: &mut (usize, String),
) -> bool {
    let Some((first, rest)) = shown.split_first() else {
        if actual.is_empty() {
            return true;
        }
        if offset >= closest.0 {
            *closest = (offset, format!("the app printed more: `{}`", actual[0]));
        }
        return false;
    };
    if is_any_lines(first) {
        return (0..=actual.len())
            .any(|skip| lines_match(rest, &actual[skip..], offset + 1, stand_ins, closest));
    }
    let Some((real, real_rest)) = actual.split_first() else {
        if offset >= closest.0 {
            *closest = (offset, "the app printed nothing more".into());
        }
        return false;
    };
    match line_matches(first, real, stand_ins) {
        Ok(()) => lines_match(rest, real_rest, offset + 1, stand_ins, closest),
        Err(why) => {
            if offset >= closest.0 {
                *closest = (offset, why);
            }
            false
        }
    }
}

/// One shown line against one real line.
pub fn line_matches(shown: &str, real: &str, stand_ins: &StandIns) -> Result<(), String> {
    let (shown_t, real_t) = (shown.trim_end(), real.trim_end());
    if let Some(shown_json) = json_with_placeholders(shown_t) {
        let mut real_json: Value = serde_json::from_str(real_t)
            .map_err(|_| format!("the page shows JSON, the app printed `{real_t}`"))?;
        stand_ins.translate(&mut real_json);
        return json_matches(&shown_json, &real_json, "");
    }
    if glob(shown_t, real_t) {
        Ok(())
    } else {
        Err(format!("`{shown_t}` vs `{real_t}`"))
    }
}

/// The shown line read as JSON (an object or array), with bare `…` values
/// turned into [`ANY_NUMBER`]; `None` when it is not JSON.
fn json_with_placeholders(line: &str) -> Option<Value> {
    if !(line.starts_with('{') || line.starts_with('[')) {
        return None;
    }
    let mut text = String::with_capacity(line.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if let Some(after) = rest.strip_prefix('…').or_else(|| rest.strip_prefix("...")) {
            text.push('"');
            text.push_str(ANY_NUMBER);
            text.push('"');
            rest = after;
            continue;
        }
        text.push(c);
        rest = &rest[c.len_utf8()..];
    }
    serde_json::from_str(&text).ok()
}

fn json_matches(shown: &Value, real: &Value, at: &str) -> Result<(), String> {
    let here = if at.is_empty() { "the answer" } else { at };
    match (shown, real) {
        (Value::String(s), real) if s == ANY_NUMBER => {
            if real.is_number() {
                Ok(())
            } else {
                Err(format!(
                    "{here}: the page shows a number, the app gave {real}"
                ))
            }
        }
        (Value::String(s), Value::String(r)) => {
            if glob(s, r) {
                Ok(())
            } else {
                Err(format!("{here}: the page shows {s:?}, the app gave {r:?}"))
            }
        }
        (Value::Object(s), Value::Object(r)) => {
            let missing: Vec<&String> = s.keys().filter(|k| !r.contains_key(*k)).collect();
            let extra: Vec<&String> = r.keys().filter(|k| !s.contains_key(*k)).collect();
            if !missing.is_empty() || !extra.is_empty() {
                return Err(format!(
                    "{here}: keys differ: the page has {missing:?} the app does not, the app has {extra:?} the page does not"
                ));
            }
            for (k, v) in s {
                json_matches(v, &r[k], &format!("{at}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(s), Value::Array(r)) if s.len() == r.len() => {
            for (i, (a, b)) in s.iter().zip(r).enumerate() {
                json_matches(a, b, &format!("{at}[{i}]"))?;
            }
            Ok(())
        }
        (s, r) if s == r => Ok(()),
        (s, r) if std::mem::discriminant(s) != std::mem::discriminant(r) => Err(format!(
            "{here}: the page shows {} {s}, the app gave {} {r}",
            kind(s),
            kind(r)
        )),
        (s, r) => Err(format!("{here}: the page shows {s}, the app gave {r}")),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The literal pieces of a shown text between its placeholders.
fn pieces(pattern: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = pattern;
    let mut start = 0;
    let mut i = 0;
    while i < rest.len() {
        let tail = &rest[i..];
        let skip = if tail.starts_with('…') {
            Some('…'.len_utf8())
        } else if tail.starts_with("...") {
            Some(3)
        } else if tail.starts_with('<') {
            placeholder_len(tail)
        } else {
            None
        };
        match skip {
            Some(n) => {
                out.push(&rest[start..i]);
                rest = &rest[i + n..];
                start = 0;
                i = 0;
            }
            None => i += tail.chars().next().map_or(1, char::len_utf8),
        }
    }
    out.push(&rest[start..]);
    out
}

/// Length of a `<lower-case words>` placeholder at the start of `text`.
fn placeholder_len(text: &str) -> Option<usize> {
    let end = text.find('>')?;
    let inner = &text[1..end];
    let ok = !inner.is_empty()
        && inner.starts_with(|c: char| c.is_ascii_lowercase())
        && inner
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == ' ');
    ok.then_some(end + 1)
}

/// Does `text` match `pattern`, whose placeholders match any text?
pub fn glob(pattern: &str, text: &str) -> bool {
    let parts = pieces(pattern);
    if parts.len() == 1 {
        return pattern == text;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_owned).collect()
    }

    #[test]
    fn placeholders_in_text_and_json() {
        let none = StandIns::default();
        assert!(line_matches("503 in 2.0…s", "503 in 2.0041s", &none).is_ok());
        assert!(line_matches("503 in 2.0…s", "503 in 0.004s", &none).is_err());
        let shown = r#"{"visits":…,"server":"<pod-name>","redis_host":"redis"}"#;
        assert!(
            line_matches(
                shown,
                r#"{"visits":7,"server":"h1","redis_host":"redis"}"#,
                &none
            )
            .is_ok()
        );
        let renamed = line_matches(
            shown,
            r#"{"count":7,"server":"h1","redis_host":"redis"}"#,
            &none,
        )
        .unwrap_err();
        assert!(renamed.contains("keys differ"), "{renamed}");
        let typed = line_matches(
            shown,
            r#"{"visits":"7","server":"h1","redis_host":"redis"}"#,
            &none,
        )
        .unwrap_err();
        assert!(typed.contains("a number"), "{typed}");
        assert!(
            line_matches(
                r#"{"detail":"redis is unavailable: ..."}"#,
                r#"{"detail":"redis is unavailable: connection failed"}"#,
                &none
            )
            .is_ok()
        );
    }

    #[test]
    fn stand_ins_are_translated_back() {
        let s = StandIns {
            strings: vec![("127.0.0.1".into(), "redis".into())],
            numbers: vec![(41234, 8000)],
        };
        assert!(
            line_matches(
                r#"{"redis_host":"redis","port":8000}"#,
                r#"{"redis_host":"127.0.0.1","port":41234}"#,
                &s
            )
            .is_ok()
        );
    }

    #[test]
    fn an_ellipsis_line_takes_any_number_of_lines() {
        let none = StandIns::default();
        let shown = lines("a\n…\nz");
        assert!(compare(&shown, "a\nz\n", &none).is_ok());
        assert!(compare(&shown, "a\nb\nc\nz\n", &none).is_ok());
        assert!(compare(&shown, "a\nb\n", &none).is_err());
        assert!(
            compare(&lines("a"), "a\nb\n", &none)
                .unwrap_err()
                .contains("more")
        );
    }

    #[test]
    fn glob_pieces() {
        assert!(glob("demo-app-…", "demo-app-7c9d"));
        assert!(!glob("demo-app-…", "redis-7c9d"));
        assert!(glob("<a>x<b>", "1x2"));
        assert!(glob("<unset>", "anything"));
        assert!(!glob("<NotAPlaceholder>", "x"));
    }
}
