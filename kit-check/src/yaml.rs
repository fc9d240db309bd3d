//! Multi-document YAML into JSON values, read the way kubectl reads it.
//!
//! kubectl turns YAML into JSON with YAML 1.1 rules (sigs.k8s.io/yaml):
//! `defaultMode: 0440` is the octal number 288 and an unquoted `yes` or
//! `on` is the boolean true. YAML 1.2 parsers read both as strings, so a
//! check built on one would pass a manifest the API server rejects (and
//! reject one it accepts). Here the parser (yaml-rust2) only tokenises, and
//! [`resolve`] gives each unquoted scalar its YAML 1.1 type.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// One object of a YAML stream, with where it came from for messages.
#[derive(Debug, Clone)]
pub struct Document {
    /// e.g. `examples/job.yaml#2` (the second document of the file).
    pub origin: String,
    pub value: Value,
}

/// Parse every document of `text`; empty documents (`---` alone, comments
/// only) are left out, as kubectl does.
pub fn parse(origin: &str, text: &str) -> Result<Vec<Document>, String> {
    let mut builder = Builder::default();
    Parser::new_from_str(text)
        .load(&mut builder, true)
        .map_err(|e| format!("{origin}: not valid YAML: {e}"))?;
    if let Some(error) = builder.error {
        return Err(format!("{origin}: {error}"));
    }
    Ok(builder
        .documents
        .into_iter()
        .enumerate()
        .filter(|(_, value)| !value.is_null())
        .map(|(index, value)| Document {
            origin: format!("{origin}#{}", index + 1),
            value,
        })
        .collect())
}

enum Frame {
    Sequence {
        anchor: usize,
        items: Vec<Value>,
    },
    Mapping {
        anchor: usize,
        entries: Map<String, Value>,
        key: Option<String>,
        merged: Vec<Value>,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Value>,
    documents: Vec<Value>,
    error: Option<String>,
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.handle(event) {
            self.error = Some(format!("line {}: {e}", mark.line()));
        }
    }
}

impl Builder {
    fn handle(&mut self, event: Event) -> Result<(), String> {
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let value = resolve(&text, style, tag.as_ref())?;
                self.complete(anchor, value)
            }
            Event::Alias(id) => {
                let value = self.anchors.get(&id).cloned().ok_or("unknown alias")?;
                self.add(value)
            }
            Event::SequenceStart(anchor, _) => {
                self.stack.push(Frame::Sequence {
                    anchor,
                    items: Vec::new(),
                });
                Ok(())
            }
            Event::MappingStart(anchor, _) => {
                self.stack.push(Frame::Mapping {
                    anchor,
                    entries: Map::new(),
                    key: None,
                    merged: Vec::new(),
                });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Sequence { anchor, items }) => {
                    self.complete(anchor, Value::Array(items))
                }
                Some(Frame::Mapping {
                    anchor,
                    mut entries,
                    merged,
                    ..
                }) => {
                    // `<<: *base` merges keys the mapping does not set itself.
                    for source in merged {
                        for (k, v) in source.as_object().cloned().unwrap_or_default() {
                            entries.entry(k).or_insert(v);
                        }
                    }
                    self.complete(anchor, Value::Object(entries))
                }
                None => Err("unbalanced YAML".into()),
            },
            _ => Ok(()),
        }
    }

    fn complete(&mut self, anchor: usize, value: Value) -> Result<(), String> {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
        self.add(value)
    }

    fn add(&mut self, value: Value) -> Result<(), String> {
        match self.stack.last_mut() {
            None => self.documents.push(value),
            Some(Frame::Sequence { items, .. }) => items.push(value),
            Some(Frame::Mapping {
                entries,
                key,
                merged,
                ..
            }) => match key.take() {
                None => *key = Some(key_text(&value)?),
                Some(k) if k == "<<" => match value {
                    Value::Array(list) => merged.extend(list),
                    other => merged.push(other),
                },
                Some(k) => {
                    if entries.contains_key(&k) {
                        return Err(format!("duplicate key {k:?}"));
                    }
                    entries.insert(k, value);
                }
            },
        }
        Ok(())
    }
}

/// A mapping key as JSON needs it: a string.
fn key_text(value: &Value) -> Result<String, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Ok("null".into()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Number(n) => Ok(n.to_string()),
        _ => Err("a mapping key must be a scalar".into()),
    }
}

/// The YAML 1.1 type of a scalar. Quoted and block scalars are strings;
/// an explicit tag (`!!str`, `!!int`...) wins over the plain-scalar rules.
pub fn resolve(text: &str, style: TScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    let standard = tag.and_then(|t| {
        (t.handle == "!!" || t.handle == "tag:yaml.org,2002:").then_some(t.suffix.as_str())
    });
    match standard {
        Some("str" | "binary" | "timestamp") => return Ok(Value::String(text.into())),
        Some("int" | "float" | "bool" | "null") => {
            return Ok(plain(text)).and_then(|v| {
                if v.is_string() {
                    Err(format!("{text:?} is not a valid !!{}", standard.unwrap()))
                } else {
                    Ok(v)
                }
            });
        }
        _ => {}
    }
    if style != TScalarStyle::Plain {
        return Ok(Value::String(text.into()));
    }
    Ok(plain(text))
}

fn plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            return Value::Bool(true);
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            return Value::Bool(false);
        }
        _ => {}
    }
    if let Some(n) = integer(text) {
        return Value::Number(n);
    }
    if is_float(text)
        && let Some(n) = text
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
    {
        return Value::Number(n);
    }
    Value::String(text.into())
}

/// An integer as Go's `strconv.ParseInt(s, 0, 64)` reads it after YAML 1.1
/// drops `_`: `0x1F`, `0b101`, `0o17`, and a leading 0 means octal (`0440`).
fn integer(text: &str) -> Option<Number> {
    let cleaned = text.replace('_', "");
    let (negative, digits) = match cleaned.as_bytes().first()? {
        b'-' => (true, &cleaned[1..]),
        b'+' => (false, &cleaned[1..]),
        _ => (false, cleaned.as_str()),
    };
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if body.is_empty() || !body.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(body, radix).ok()?;
    if negative {
        let value = i64::try_from(magnitude).ok()?;
        Some(Number::from(-value))
    } else {
        Some(Number::from(magnitude))
    }
}

/// go-yaml v2's float syntax: `1.5`, `.5`, `1e3`, `-2.` (no `.inf`/`.nan`:
/// JSON has no such numbers, so they stay strings and fail decoding).
fn is_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit() || c == '_');
    let mantissa_ok = match fraction {
        Some(f) => digits(whole) && digits(f) && (!whole.is_empty() || !f.is_empty()),
        None => !whole.is_empty() && digits(whole),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::parse;
    use serde_json::json;

    fn one(text: &str) -> serde_json::Value {
        parse("t", text).unwrap().remove(0).value
    }

    #[test]
    fn scalars_resolve_as_kubectl_reads_them() {
        let doc = one(
            "octal: 0440\nhex: 0x10\ndecimal: 8000\nneg: -3\nfloat: 0.5\n\
             yes: yes\noff: off\nquoted: \"0440\"\nsingle: 'on'\nnull: ~\nversion: 1.34.0\ntext: hello\n",
        );
        assert_eq!(
            doc,
            json!({"octal": 288, "hex": 16, "decimal": 8000, "neg": -3, "float": 0.5,
                   "true": true, "false": false, "quoted": "0440", "single": "on",
                   "null": null, "version": "1.34.0", "text": "hello"})
        );
    }

    #[test]
    fn documents_anchors_and_merge_keys() {
        let docs = parse(
            "t",
            "---\n# only a comment\n---\na: &x {b: 1}\nc: *x\nd:\n  <<: *x\n  e: 2\n",
        )
        .unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].origin, "t#2");
        assert_eq!(
            docs[0].value,
            json!({"a": {"b": 1}, "c": {"b": 1}, "d": {"b": 1, "e": 2}})
        );
    }

    #[test]
    fn a_duplicate_key_is_an_error() {
        let error = parse("t", "a: 1\nb: 2\na: 3\n").unwrap_err();
        assert!(error.contains("duplicate key \"a\""), "{error}");
    }

    #[test]
    fn invalid_yaml_is_an_error() {
        assert!(parse("t", "a: [1, 2\n").is_err());
    }
}
