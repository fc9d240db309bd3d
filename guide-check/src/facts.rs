//! Numbers in prose that restate a value of the kit (a manifest field, a
//! ConfigMap setting) are compared with that value, read from the file.
//!
//! [`FACTS`] is the table: where the value lives (file, kind, JSON
//! pointer) and the patterns that find it in prose (group 1 is the number,
//! as digits or a word). Every match must equal the value, so changing
//! `replicas: 5` to 3 fails on every "five pods" still in the guide. A
//! sentence that matches a pattern but is about something else (the HPA's
//! 10 replicas, a worked example with 3) is listed in the fact's
//! `elsewhere`, with the phrase it is recognised by; an entry that no
//! longer matches anything is itself an error, so the list cannot rot.

use std::path::Path;

use regex::Regex;
use serde_json::Value;

use crate::pages::{Item, Page, items};

/// One fact of the kit.
pub struct Fact {
    pub name: &'static str,
    /// File under the repository root, the object's kind, and the JSON
    /// pointer of the value.
    pub file: &'static str,
    pub kind: &'static str,
    pub pointer: &'static str,
    /// The prose states the value in a larger unit (1000: milliseconds
    /// written as seconds); 1 otherwise.
    pub divide: u64,
    /// Regexes; group 1 captures the number as the page writes it.
    pub patterns: &'static [&'static str],
    /// (page, phrase): matches in a piece of prose containing the phrase
    /// are about something else.
    pub elsewhere: &'static [(&'static str, &'static str)],
}

/// A number as digits or a word: `{n}` in a pattern (its group 1).
const N: &str = r"(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)";

pub const FACTS: &[Fact] = &[
    Fact {
        name: "demo-app replicas",
        file: "k8s/app/deployment.yaml",
        kind: "Deployment",
        pointer: "/spec/replicas",
        divide: 1,
        // Where the guide speaks of the app's replica count; "six pods"
        // during a surge or "the other four" are counted by other rules.
        patterns: &[
            r"(?i)\b{n} demo-app pods\b",
            // The prose as rendered: smart punctuation makes `'s` `’s`.
            r"(?i)demo-app(?:’s)? (?:runs as )?{n} (?:identical )?(?:pods|replicas)\b",
            r"`replicas: {n}`",
            r"(?i)\bwith {n} replicas, `maxSurge",
            r"(?i)\ball {n} (?:app )?(?:pods|replicas)\b",
            r"(?i)\bits {n} pods\b",
            r"(?i)\bruns {n} replicas\b",
            r"(?i)\bshows {n} pods 1/1",
            r"(?i)\bthe {n} app pods\b",
            r"Deployment `demo-app` \| {n} pods",
        ],
        elsewhere: &[],
    },
    Fact {
        name: "demo-app maxSurge",
        file: "k8s/app/deployment.yaml",
        kind: "Deployment",
        divide: 1,
        pointer: "/spec/strategy/rollingUpdate/maxSurge",
        patterns: &[r"maxSurge`?:? {n}(?:[^%\d]|$)"],
        elsewhere: &[],
    },
    Fact {
        name: "demo-app maxUnavailable",
        file: "k8s/app/deployment.yaml",
        kind: "Deployment",
        divide: 1,
        pointer: "/spec/strategy/rollingUpdate/maxUnavailable",
        patterns: &[
            r"maxUnavailable`?:? {n}(?:[^%\d]|$)",
            r"maxUnavailable` is {n}\b",
        ],
        elsewhere: &[],
    },
    Fact {
        name: "demo-app minReadySeconds",
        file: "k8s/app/deployment.yaml",
        kind: "Deployment",
        pointer: "/spec/minReadySeconds",
        divide: 1,
        patterns: &[r"minReadySeconds\W{0,3}{n}\b"],
        elsewhere: &[],
    },
    Fact {
        name: "demo-app termination grace period",
        file: "k8s/app/deployment.yaml",
        kind: "Deployment",
        pointer: "/spec/template/spec/terminationGracePeriodSeconds",
        divide: 1,
        patterns: &[
            r"grace period of {n}\b",
            r"terminationGracePeriodSeconds\W{0,4}{n}\b",
            r"{n}-second grace period",
        ],
        elsewhere: &[],
    },
    Fact {
        name: "demo-app container port",
        file: "k8s/app/deployment.yaml",
        kind: "Deployment",
        pointer: "/spec/template/spec/containers/0/ports/0/containerPort",
        divide: 1,
        patterns: &[
            r"container port,? {n}\b",
            r"container :{n}\b",
            r"listens on :{n}\b",
            r"pods on port {n}\b",
            r"ready pod, port {n}\b",
        ],
        elsewhere: &[],
    },
    Fact {
        name: "liveness probe timeout",
        file: "k8s/app/deployment.yaml",
        kind: "Deployment",
        pointer: "/spec/template/spec/containers/0/livenessProbe/timeoutSeconds",
        divide: 1,
        patterns: &[
            r"liveness probe (?:in the Deployment )?has a (?:generous )?{n}(?: |-)(?:s|second)\b",
            r"(?i)\b{n}-second liveness timeout",
        ],
        elsewhere: &[],
    },
    Fact {
        name: "readiness probe period",
        file: "k8s/app/deployment.yaml",
        kind: "Deployment",
        pointer: "/spec/template/spec/containers/0/readinessProbe/periodSeconds",
        divide: 1,
        patterns: &[r"readiness probe asks /ready every {n} seconds"],
        elsewhere: &[],
    },
    Fact {
        name: "drain (SHUTDOWN_DRAIN_SECONDS)",
        file: "k8s/app/configmap.yaml",
        kind: "ConfigMap",
        pointer: "/data/SHUTDOWN_DRAIN_SECONDS",
        divide: 1,
        patterns: &[
            r"SHUTDOWN_DRAIN_SECONDS\W{0,5}{n}\b",
            r"(?i)\b{n}-second drain",
        ],
        elsewhere: &[],
    },
    Fact {
        name: "MAX_STRESS_SECONDS",
        file: "k8s/app/configmap.yaml",
        kind: "ConfigMap",
        pointer: "/data/MAX_STRESS_SECONDS",
        divide: 1,
        patterns: &[r"MAX_STRESS_SECONDS\W{0,5}{n}\b"],
        elsewhere: &[],
    },
    Fact {
        name: "REDIS_TIMEOUT_MS",
        file: "k8s/app/configmap.yaml",
        kind: "ConfigMap",
        pointer: "/data/REDIS_TIMEOUT_MS",
        divide: 1,
        patterns: &[
            r"REDIS_TIMEOUT_MS`?[=:] ?`?{n}\b",
            r"REDIS_TIMEOUT_MS`? \({n}\b",
        ],
        elsewhere: &[],
    },
    Fact {
        name: "REDIS_TIMEOUT_MS in seconds",
        file: "k8s/app/configmap.yaml",
        kind: "ConfigMap",
        pointer: "/data/REDIS_TIMEOUT_MS",
        divide: 1000,
        patterns: &[r"REDIS_TIMEOUT_MS,? {n} ?(?:s|seconds)\b"],
        elsewhere: &[],
    },
    Fact {
        name: "demo-app CPU request",
        file: "k8s/app/deployment.yaml",
        kind: "Deployment",
        pointer: "/spec/template/spec/containers/0/resources/requests/cpu",
        divide: 1,
        patterns: &[
            r"asks for (\d+m) CPU",
            r"requests? (?:of )?(\d+m)\b",
            r"cpu: (\d+m)` arrives",
        ],
        elsewhere: &[],
    },
    Fact {
        name: "demo-app memory request",
        file: "k8s/app/deployment.yaml",
        kind: "Deployment",
        pointer: "/spec/template/spec/containers/0/resources/requests/memory",
        divide: 1,
        patterns: &[r"CPU and (\d+Mi) memory"],
        elsewhere: &[],
    },
    Fact {
        name: "HPA minReplicas",
        file: "k8s/hpa/hpa.yaml",
        kind: "HorizontalPodAutoscaler",
        pointer: "/spec/minReplicas",
        divide: 1,
        patterns: &[
            r"\b{n} ?[–-] ?\d+ (?:pods|replicas)",
            r"minReplicas`?:? {n}\b",
        ],
        elsewhere: &[],
    },
    Fact {
        name: "HPA maxReplicas",
        file: "k8s/hpa/hpa.yaml",
        kind: "HorizontalPodAutoscaler",
        pointer: "/spec/maxReplicas",
        divide: 1,
        patterns: &[
            r"\b\d+ ?[–-] ?{n} (?:pods|replicas)",
            r"maxReplicas`?:? {n}\b",
        ],
        elsewhere: &[],
    },
    Fact {
        name: "HPA CPU target",
        file: "k8s/hpa/hpa.yaml",
        kind: "HorizontalPodAutoscaler",
        pointer: "/spec/metrics/0/resource/target/averageUtilization",
        divide: 1,
        patterns: &[
            r"\b{n} ?% (?:CPU )?target",
            r"at {n} ?% CPU",
            r"averageUtilization`?:? {n}\b",
        ],
        elsewhere: &[],
    },
];

/// The value of a fact, read from its file, as text (`5`, `50m`).
pub fn value(root: &Path, fact: &Fact) -> Result<String, String> {
    let path = root.join(fact.file);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", fact.file))?;
    let docs = kit_check::yaml::parse(fact.file, &text)?;
    let doc = docs
        .iter()
        .find(|d| d.value.get("kind").and_then(Value::as_str) == Some(fact.kind))
        .ok_or_else(|| format!("{}: no {}", fact.file, fact.kind))?;
    let text = match doc.value.pointer(fact.pointer) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        other => {
            return Err(format!(
                "{}: {} is {other:?}, not a number",
                fact.file, fact.pointer
            ));
        }
    };
    if fact.divide == 1 {
        return Ok(text);
    }
    let n: f64 = text
        .parse()
        .map_err(|_| format!("{}: {} is not a number", fact.file, fact.pointer))?;
    Ok((n / fact.divide as f64).to_string())
}

/// A number word as digits; digits and quantities stay as they are.
fn normalise(text: &str) -> String {
    const WORDS: &[&str] = &[
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    let lower = text.to_ascii_lowercase();
    WORDS
        .iter()
        .position(|w| *w == lower)
        .map_or(text.to_owned(), |i| i.to_string())
}

/// The prose of a page the facts are looked for in: paragraphs, table
/// cells, inline code, and the labels of diagrams.
fn prose(page: &Page) -> Vec<(String, usize)> {
    items(&page.text)
        .into_iter()
        .filter_map(|item| match item {
            Item::Prose(text, line) => Some((text, line)),
            Item::Code(block) if block.lang == "mermaid" => Some((block.body, block.body_line)),
            _ => None,
        })
        .collect()
}

/// What the fact check found.
#[derive(Debug, Default)]
pub struct Report {
    /// (fact, value, places where the pages state it).
    pub checked: Vec<(&'static str, String, usize)>,
    pub problems: Vec<String>,
}

/// Checks every fact against the pages.
pub fn check(root: &Path, pages: &[Page], facts: &[Fact]) -> Report {
    let mut report = Report::default();
    let texts: Vec<(&Page, Vec<(String, usize)>)> = pages.iter().map(|p| (p, prose(p))).collect();
    for fact in facts {
        let value = match value(root, fact) {
            Ok(v) => v,
            Err(e) => {
                report.problems.push(format!("{}: {e}", fact.name));
                continue;
            }
        };
        let patterns: Vec<Regex> = fact
            .patterns
            .iter()
            .map(|p| Regex::new(&p.replace("{n}", N)).expect("a valid fact pattern"))
            .collect();
        let mut places = 0;
        let mut elsewhere_used = vec![false; fact.elsewhere.len()];
        for (page, pieces) in &texts {
            for (text, line) in pieces {
                for pattern in &patterns {
                    for captures in pattern.captures_iter(text) {
                        let stated = normalise(&captures[1]);
                        if let Some(i) = fact
                            .elsewhere
                            .iter()
                            .position(|(p, phrase)| *p == page.path && text.contains(phrase))
                        {
                            elsewhere_used[i] = true;
                            continue;
                        }
                        places += 1;
                        if stated != value {
                            report.problems.push(format!(
                                "{}: \"{}\" says {} but {} has {value} ({} {})",
                                page.at(*line),
                                &captures[0],
                                fact.name,
                                fact.file,
                                fact.kind,
                                fact.pointer
                            ));
                        }
                    }
                }
            }
        }
        for (used, (page, phrase)) in elsewhere_used.iter().zip(fact.elsewhere) {
            if !used {
                report.problems.push(format!(
                    "{}: `elsewhere` entry ({page}, {phrase:?}) matches nothing: remove it",
                    fact.name
                ));
            }
        }
        if places == 0 {
            report.problems.push(format!(
                "{}: no page states it any more: remove the fact or fix its patterns",
                fact.name
            ));
        }
        report.checked.push((fact.name, value, places));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::{FACTS, check, normalise};
    use crate::pages::Page;

    /// The replica facts of a one-line page, checked against the real kit.
    fn replica_report(line: &str) -> super::Report {
        let page = Page {
            path: "page.md".into(),
            text: format!("{line}\n"),
        };
        let replicas = FACTS
            .iter()
            .find(|f| f.name == "demo-app replicas")
            .unwrap();
        check(
            testkit::repo_root(),
            &[page],
            std::slice::from_ref(replicas),
        )
    }

    #[test]
    fn a_possessive_is_read_as_the_reader_sees_it() {
        // Smart punctuation renders `demo-app's` as `demo-app’s`; the
        // pattern must find the sentence either way it is typed.
        let right = replica_report("Uses the demo-app's five replicas as the example.");
        assert_eq!(right.checked[0].2, 1, "{:?}", right);
        assert!(right.problems.is_empty(), "{:?}", right.problems);
        // Its failing twin: a wrong count in the same sentence is caught.
        let wrong = replica_report("Uses the demo-app's three replicas as the example.");
        assert!(
            wrong
                .problems
                .iter()
                .any(|p| p.contains("says demo-app replicas")),
            "{:?}",
            wrong.problems
        );
    }

    #[test]
    fn number_words() {
        assert_eq!(normalise("Five"), "5");
        assert_eq!(normalise("50m"), "50m");
        assert_eq!(normalise("10"), "10");
    }
}
