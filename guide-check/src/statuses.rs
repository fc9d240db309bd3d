//! Status codes a page states for the requests it shows ("`/ready` answers
//! 503", a table row "`/ready` | 503", "… with status 404") are compared
//! with the statuses the replay saw for those requests.
//!
//! The tie rule: a statement that names a route (`/ready`, `GET /kv/{key}`:
//! the one nearest before the status; in a table, the row's first) is
//! about the requests to that route the page runs, anywhere on the page;
//! one that names none is about the
//! requests of the nearest command block before it in the same section.
//! The stated status must be one the replay saw for them. A statement tied
//! to no request the page runs (a route it never calls, a statement before
//! any command, a cluster's answer) is not compared; [`NOT_THESE`] lists
//! statements that are tied by the rule but speak of other requests, with
//! the reason, and an entry that matches nothing is an error.

use std::sync::LazyLock;

use regex::Regex;

use crate::pages::{Item, Page, items};

/// The answer the replay saw for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// The line of the command block that made it.
    pub block_line: usize,
    /// The request's path (no query).
    pub path: String,
    pub status: u16,
}

/// A status a page states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub line: usize,
    pub status: u16,
    /// The route the statement is about: the one the sentence names
    /// nearest before the status (in a table, the row's first); none when
    /// it names none.
    pub routes: Vec<String>,
    /// The sentence, for messages and [`NOT_THESE`].
    pub text: String,
}

/// Statements the tie rule ties to requests they are not about: (page, a
/// phrase of the sentence, why).
pub const NOT_THESE: &[(&str, &str, &str)] = &[
    (
        "docs/under-the-hood/daemonset-job-cronjob.md",
        "Stop Redis, so /visits answers 503",
        "Redis stopped by the page's `kubectl scale`, which this page does not replay",
    ),
    (
        "docs/under-the-hood/network-policy.md",
        "so it answers 503",
        "the answer while a NetworkPolicy blocks Redis: a cluster's",
    ),
    (
        "docs/walkthrough/persistent-storage.md",
        "For a few seconds Redis-backed requests answer 503",
        "the answer while the Redis pod is replaced on a cluster",
    ),
];

/// The status codes an HTTP answer of the app or a proxy can have.
const CODES: &str = "200|201|202|204|301|302|304|307|308|400|401|403|404|405|409|410|413|415|422|429|500|502|503|504";

static VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:returns?|returned|returning|answers?|answered|answering|responds?|responded|gets?|got|fails?|failed|status(?: code)?|with|is|are|comes back|turns?|flips?|now|→|->)(?: with| to| back to| from)?(?: an?| the| its)?(?: HTTP)?(?: status(?: code)?)?(?: code)? `?({CODES})\b(?:[^\w.%]|\.(?:\s|$)|$)"
    ))
    .unwrap()
});

static REASON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\b({CODES}) (?:OK|Created|No Content|Bad Request|Unauthorized|Forbidden|Not Found|Method Not Allowed|Conflict|Gone|Payload Too Large|Content Too Large|Unsupported Media Type|Unprocessable|Too Many Requests|Internal Server Error|Bad Gateway|Service Unavailable|Gateway Timeout)\b"
    ))
    .unwrap()
});

/// A table cell that is a status alone: `503`, `503 Service Unavailable`.
static CELL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^`?({CODES})`?(?: [A-Z][A-Za-z ]+)?$")).unwrap());

static ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s`(|])(?:(?:GET|POST|PUT|DELETE|PATCH) )?(/[a-z][a-z0-9_/{}.-]*)").unwrap()
});

/// Every status a page states in prose or a table, with the routes its
/// sentence names. Headings end a section: the command block before a
/// heading does not reach past it.
pub fn statements(page: &Page) -> Vec<Statement> {
    let mut out = Vec::new();
    // Table cells of a row share a line: a row is read whole.
    let mut rows: Vec<(Vec<String>, usize)> = Vec::new();
    for item in items(&page.text) {
        if let Item::Prose(text, line) = item {
            match rows.last_mut() {
                Some((cells, l)) if *l == line => cells.push(text),
                _ => rows.push((vec![text], line)),
            }
        }
    }
    for (cells, line) in rows {
        let whole = cells.join(" | ");
        if cells.len() > 1 {
            for cell in &cells {
                if let Some(c) = CELL.captures(cell.trim()) {
                    out.push(Statement {
                        line,
                        status: c[1].parse().unwrap(),
                        routes: routes(&whole).into_iter().map(|(_, r)| r).take(1).collect(),
                        text: whole.clone(),
                    });
                }
            }
        }
        for sentence in split_sentences(&whole) {
            let mut codes: Vec<(usize, u16)> = VERB
                .captures_iter(&sentence)
                .chain(REASON.captures_iter(&sentence))
                .map(|c| (c.get(1).unwrap().start(), c[1].parse().unwrap()))
                .collect();
            codes.sort_unstable();
            codes.dedup_by_key(|c| c.0);
            let named = routes(&sentence);
            for (at, status) in codes {
                // The route named nearest before the status, else the
                // first one after it.
                let route = named
                    .iter()
                    .rev()
                    .find(|(start, _)| *start < at)
                    .or(named.first())
                    .map(|(_, r)| r.clone());
                out.push(Statement {
                    line,
                    status,
                    routes: route.into_iter().collect(),
                    text: sentence.clone(),
                });
            }
        }
    }
    out
}

/// The routes `text` names, with where.
fn routes(text: &str) -> Vec<(usize, String)> {
    ROUTE
        .captures_iter(text)
        .map(|c| {
            let m = c.get(1).unwrap();
            (
                m.start(),
                m.as_str().trim_end_matches(['.', ',']).to_owned(),
            )
        })
        .filter(|(_, r)| {
            !["/tmp", "/etc", "/data", "/var", "/dev"]
                .iter()
                .any(|d| r.starts_with(d))
        })
        .collect()
}

fn split_sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if matches!(c, '.' | '!' | '?' | ';')
            && bytes.get(i + 1) == Some(&b' ')
            && bytes
                .get(i + 2)
                .is_some_and(|b| b.is_ascii_uppercase() || *b == b'`')
        {
            out.push(text[start..=i].to_owned());
            start = i + 2;
        }
    }
    out.push(text[start..].to_owned());
    out
}

/// Does a request path match a route as the page writes it (`/kv/{key}`,
/// `/kv/<key>`, `/kv/…`)?
fn matches(route: &str, path: &str) -> bool {
    let route = route.trim_end_matches('/');
    let path = path.trim_end_matches('/');
    let r: Vec<&str> = route.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    r.len() == p.len()
        && r.iter().zip(&p).all(|(a, b)| {
            a == b || a.starts_with('{') || a.starts_with('<') || a.contains('…') || *a == "..."
        })
}

/// The lines of the page's headings.
fn headings(page: &Page) -> Vec<usize> {
    let mut fenced = false;
    let mut heads = Vec::new();
    for (i, l) in page.text.lines().enumerate() {
        let t = l.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
        } else if !fenced && t.starts_with('#') {
            heads.push(i + 1);
        }
    }
    heads
}

/// What the statuses check found on a page.
#[derive(Debug, Default)]
pub struct Report {
    /// Statements compared with a request the page runs.
    pub compared: usize,
    /// `path:line: status (route)` of statements tied to no request the
    /// page runs.
    pub untied: Vec<String>,
    /// Entries of [`NOT_THESE`] used.
    pub exempt: Vec<usize>,
    pub problems: Vec<String>,
}

/// Compares the statuses `page` states with `seen`.
pub fn check(page: &Page, seen: &[Seen], exempt: &[(&str, &str, &str)]) -> Report {
    let mut report = Report::default();
    let heads = headings(page);
    for statement in statements(page) {
        let tied: Vec<&Seen> = if statement.routes.is_empty() {
            // The nearest block before it, in the same section.
            let section_start = heads
                .iter()
                .rev()
                .find(|h| **h <= statement.line)
                .copied()
                .unwrap_or(0);
            let block = seen
                .iter()
                .map(|s| s.block_line)
                .filter(|l| *l < statement.line && *l > section_start)
                .max();
            seen.iter()
                .filter(|s| Some(s.block_line) == block)
                .collect()
        } else {
            seen.iter()
                .filter(|s| statement.routes.iter().any(|r| matches(r, &s.path)))
                .collect()
        };
        if tied.is_empty() {
            report.untied.push(format!(
                "{}: {}{}",
                page.at(statement.line),
                statement.status,
                statement
                    .routes
                    .first()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default()
            ));
            continue;
        }
        if let Some(i) = exempt
            .iter()
            .position(|(p, phrase, _)| *p == page.path && statement.text.contains(phrase))
        {
            report.exempt.push(i);
            continue;
        }
        report.compared += 1;
        if !tied.iter().any(|s| s.status == statement.status) {
            let mut got: Vec<String> = tied
                .iter()
                .map(|s| format!("{} {}", s.path, s.status))
                .collect();
            got.dedup();
            report.problems.push(format!(
                "{}: the page states status {} ({}), but the replay saw {} for {}",
                page.at(statement.line),
                statement.status,
                statement.text.trim(),
                got.join(", "),
                if statement.routes.is_empty() {
                    format!("the command block at line {}", tied[0].block_line)
                } else {
                    format!(
                        "the requests to {} on this page",
                        statement.routes.join(", ")
                    )
                }
            ));
        }
    }
    report
}

/// The bash function that records every request's status: `curl` with its
/// response headers dumped, then `<status> <url>` appended to
/// `$GUIDE_CHECK_DIR/statuses`. The page's own options (`-w`, `-o`, `-i`)
/// are untouched, so its output is what it would be.
pub const RECORDER: &str = r#"curl() {
  local __gc_h __gc_u __gc_rc
  __gc_h=$(mktemp "$GUIDE_CHECK_DIR/headers.XXXXXX")
  command curl -D "$__gc_h" "$@"
  __gc_rc=$?
  for __gc_u in "$@"; do case "$__gc_u" in http://127.0.0.1:*) break ;; esac; __gc_u=; done
  printf '%s %s\n' "$(grep -a '^HTTP/' "$__gc_h" | tail -n 1 | cut -d' ' -f2)" "$__gc_u" >> "$GUIDE_CHECK_DIR/statuses"
  rm -f "$__gc_h"
  return $__gc_rc
}
"#;

/// The statuses [`RECORDER`] wrote: (status, path), in order.
pub fn recorded(text: &str, base: &str) -> Vec<(u16, String)> {
    text.lines()
        .filter_map(|l| {
            let (status, url) = l.split_once(' ')?;
            let status = status.trim().parse().ok()?;
            let path = url.strip_prefix(base).unwrap_or(url);
            let path = path.split(['?', '#']).next().unwrap_or("");
            Some((
                status,
                if path.is_empty() {
                    "/".into()
                } else {
                    path.to_owned()
                },
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Page {
        Page {
            path: "p.md".into(),
            text: text.into(),
        }
    }

    #[test]
    fn statements_and_their_routes() {
        let p = page(
            "# A\n\nNow `/ready` answers 503 while draining.\n\n| route | status |\n|---|---|\n| `/visits` | 503 |\n\nThe pod listens on 8000 and the HPA targets 50%.\n",
        );
        let s = statements(&p);
        assert_eq!(s.len(), 2, "{s:?}");
        assert_eq!(
            (s[0].status, s[0].routes.clone()),
            (503, vec!["/ready".to_string()])
        );
        assert_eq!((s[1].status, s[1].line), (503, 7));
        assert_eq!(s[1].routes, ["/visits"]);
    }

    #[test]
    fn the_tie_rule() {
        let p = page(
            "# A\n\n```sh\ncurl localhost/ready\n```\n\nIt answers 503.\n\n# B\n\nIt answers 200.\n",
        );
        let seen = [Seen {
            block_line: 3,
            path: "/ready".into(),
            status: 503,
        }];
        let r = check(&p, &seen, &[]);
        assert_eq!(
            (r.compared, r.untied.len(), r.problems.len()),
            (1, 1, 0),
            "{r:?}"
        );
        let seen = [Seen {
            status: 200,
            ..seen[0].clone()
        }];
        let r = check(&p, &seen, &[]);
        assert_eq!(r.problems.len(), 1, "{r:?}");
        assert!(r.problems[0].starts_with("p.md:7: "), "{r:?}");
        assert!(matches("/kv/{key}", "/kv/colour"));
        assert!(!matches("/kv/{key}", "/kv"));
        assert_eq!(
            recorded(
                "503 http://127.0.0.1:9/ready?x=1\n 0\n",
                "http://127.0.0.1:9"
            ),
            [(503, "/ready".to_string())]
        );
    }
}
