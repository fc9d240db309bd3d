//! Numbers in prose that state a value of the kit are compared with the
//! kit's files, wherever they appear: paragraphs, table rows, diagram
//! labels, the deck's speaker notes, the self-check questions (their
//! prompts, correct options and whys; see [`crate::quiz`] for the answers).
//!
//! What is compared is derived ([`crate::values`]): every numeric field of
//! the kit's manifests, the Redis settings its Deployment renders and the
//! app's settings table. What is typed in here is only how the prose names
//! a field: [`TERMS`], keyed by the field's NAME (`periodSeconds`,
//! `failureThreshold`, `SESSION_TTL`), never by file or value. So a new
//! probe, a second HPA or a new ConfigMap key of a known name is covered as
//! it lands, and a field whose name has no entry is itself reported.
//!
//! A number the words of a field find is *tied* when it equals one of the
//! kit's values of that field that the sentence can mean: the object it
//! names (Redis or, by default, the app), the probe (liveness, readiness),
//! `request` or `limit`, the kind (the budget or the Deployment), scaling up
//! or down, the app's `default`. A number tied to nothing is a problem,
//! unless the sentence marks it (`Kubernetes default`, `for example`,
//! `e.g.`) or [`MARKED`] lists it, with the reason; an entry of
//! [`MARKED`] that matches nothing any more is itself an error.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::pages::{Item, Page, items};
use crate::values::{KitValue, kit_values};

/// How a field's number is written and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A plain count: digits or a word (`five`).
    Count,
    /// Seconds; the prose may write `ms`, `s`, `seconds`, `minutes`, `hours`.
    Seconds,
    /// Milliseconds; the prose may write seconds.
    Millis,
    /// Bytes; the prose may write `KiB`, `MiB`.
    Bytes,
    /// A Kubernetes quantity (`50m`, `64Mi`) or a Redis size (`64mb`).
    Quantity,
    /// An octal file mode (`0440`).
    Mode,
}

/// How the prose names one field.
pub struct Term {
    /// The field's name in the kit (the last name of its JSON pointer, a
    /// ConfigMap key, a Redis setting).
    pub field: &'static str,
    pub unit: Unit,
    /// The words' patterns count only in a sentence this matches.
    pub context: Option<&'static str>,
    /// Regexes: `{n}` is the number (digits or a word), `{u}` its unit,
    /// `{q}` a quantity. The field's own name followed by a number
    /// (`periodSeconds: 5`, `SESSION_TTL=3600`) is always looked for.
    pub words: &'static [&'static str],
}

/// Sentences about probes.
const PROBE: &str = r"(?i)probe|liveness|readiness|/health|/ready\b|kubelet";

pub const TERMS: &[Term] = &[
    Term {
        field: "replicas",
        unit: Unit::Count,
        context: None,
        words: &[
            r"(?i)\b{n} demo-app pods\b",
            r"(?i)demo-app(?:’s)? (?:runs as )?{n} (?:identical )?(?:pods|replicas)\b",
            r"(?i)\bwith {n} replicas, maxSurge",
            r"(?i)\ball {n} (?:app )?(?:pods|replicas)\b",
            r"(?i)\bits {n} pods\b",
            r"(?i)\bruns {n} replicas\b",
            r"(?i)\bshows {n} pods 1/1",
            r"(?i)\bthe {n} app pods\b",
            r"Deployment demo-app \| {n} pods",
            r"(?i)\b{n} Redis (?:pod|replica)s?\b",
        ],
    },
    Term {
        field: "revisionHistoryLimit",
        unit: Unit::Count,
        context: None,
        words: &[r"(?i)\blast {n} ReplicaSets", r"(?i)\b{n} old ReplicaSets"],
    },
    Term {
        field: "maxSurge",
        unit: Unit::Count,
        context: None,
        words: &[
            r"(?i)\b{n} extra pods? at a time",
            r"(?i)\bat most {n} extra pods?",
        ],
    },
    Term {
        field: "maxUnavailable",
        unit: Unit::Count,
        context: None,
        words: &[
            r"(?i)\bmore than {n} (?:app )?pods? (?:unavailable|down|at once|at a time)",
            r"(?i)\bat most {n} (?:app )?pods? (?:unavailable|down|at once|at a time)",
            r"(?i)\ballowing {n} (?:app )?pods? (?:unavailable|down)",
        ],
    },
    Term {
        field: "minReadySeconds",
        unit: Unit::Seconds,
        context: None,
        words: &[r"(?i)\bstays? ready (?:for )?{n} ?{u}"],
    },
    Term {
        field: "progressDeadlineSeconds",
        unit: Unit::Seconds,
        context: None,
        words: &[
            r"(?i)\bprogress deadline (?:of )?{n} ?{u}",
            r"(?i)\bno progress (?:for|in) {n} ?{u}",
        ],
    },
    Term {
        field: "terminationGracePeriodSeconds",
        unit: Unit::Seconds,
        context: None,
        words: &[
            r"(?i)\bgrace period (?:of |is )?{n}(?: ?{u})?\b",
            r"(?i)\b{n}(?: |-){u} grace period",
        ],
    },
    Term {
        field: "maxSkew",
        unit: Unit::Count,
        context: None,
        words: &[],
    },
    Term {
        field: "containerPort",
        unit: Unit::Count,
        context: None,
        words: &[
            r"(?i)container port,? {n}\b",
            r"container :{n}\b",
            r"listens on :?{n}\b",
            r"pods on port {n}\b",
            r"ready pod, port {n}\b",
        ],
    },
    Term {
        field: "divisor",
        unit: Unit::Quantity,
        context: Some(r"divisor"),
        words: &[r"\b(?P<n>1(?:m|Mi))\b"],
    },
    Term {
        field: "cpu",
        unit: Unit::Quantity,
        context: Some(r"(?i)cpu|millicore|request|limit"),
        words: &[r"(?:^|[^\[\w])(?P<n>\d+m)\b"],
    },
    Term {
        field: "memory",
        unit: Unit::Quantity,
        context: Some(r"(?i)memory|request|limit|\bRAM\b|OOM"),
        words: &[r"\b(?P<n>\d+ ?(?:Mi|Gi)B?)\b"],
    },
    Term {
        field: "storage",
        unit: Unit::Quantity,
        context: Some(r"(?i)\bPVC|claim|volume|storage|disk"),
        words: &[r"\b(?P<n>\d+ ?(?:Mi|Gi)B?)\b"],
    },
    Term {
        field: "maxmemory",
        unit: Unit::Quantity,
        context: None,
        words: &[r"\b(?P<n>\d+ ?mb)\b"],
    },
    Term {
        field: "initialDelaySeconds",
        unit: Unit::Seconds,
        context: Some(PROBE),
        words: &[
            r"(?i)\binitial delay (?:of )?{n} ?{u}",
            r"(?i)\bwaits? {n} ?{u} before",
            r"(?i)\bfirst (?:probe|check) (?:comes )?after {n} ?{u}",
            r"(?i)\bafter an? (?:initial )?{n}(?: |-){u} delay",
        ],
    },
    Term {
        field: "periodSeconds",
        unit: Unit::Seconds,
        context: Some(PROBE),
        words: &[
            r"(?i)\bevery {n} ?{u}",
            r"(?i)\b{n} ?{u} apart",
            r"(?i)\bperiod of {n} ?{u}",
        ],
    },
    Term {
        field: "timeoutSeconds",
        unit: Unit::Seconds,
        context: Some(PROBE),
        words: &[
            r"(?i)\b{n}(?: |-){u} (?:liveness |readiness |probe )?timeout",
            r"(?i)\btimeout (?:of |is )?{n} ?{u}",
            r"(?i)\bhas a (?:generous )?{n}(?: |-){u}",
            r"(?i)\bwithin {n} ?{u}",
        ],
    },
    Term {
        field: "failureThreshold",
        unit: Unit::Count,
        context: Some(PROBE),
        words: &[
            r"(?i)\b{n} (?:consecutive |missed |failed )?(?:failures|failed (?:probes|checks)|misses)\b",
            r"(?i)\bafter {n} (?:failed|missed)\b",
        ],
    },
    Term {
        field: "failureWindow",
        unit: Unit::Seconds,
        context: Some(PROBE),
        words: &[r"(?i)(?:\babout |~){n} ?{u}"],
    },
    Term {
        field: "targetPerPod",
        unit: Unit::Quantity,
        context: None,
        words: &[
            r"(?i)(?:\babout |~)?\b(?P<n>\d+m) per pod",
            r"(?i)\busing (?P<n>\d+m) of its \d+m request is at",
        ],
    },
    Term {
        field: "successThreshold",
        unit: Unit::Count,
        context: Some(PROBE),
        words: &[r"(?i)\b{n} (?:consecutive )?success(?:es|ful (?:probes?|checks?))?\b"],
    },
    Term {
        field: "runAsUser",
        unit: Unit::Count,
        context: None,
        words: &[r"(?i)\b(?:UID|user) {n}\b"],
    },
    Term {
        field: "runAsGroup",
        unit: Unit::Count,
        context: None,
        words: &[r"(?i)\b(?:GID|group) {n}\b"],
    },
    Term {
        field: "fsGroup",
        unit: Unit::Count,
        context: None,
        words: &[],
    },
    Term {
        field: "defaultMode",
        unit: Unit::Mode,
        context: Some(r"(?i)defaultMode|secret"),
        words: &[r"\b(?P<n>0[0-7]{3})\b"],
    },
    Term {
        field: "port",
        unit: Unit::Count,
        context: Some(r"(?i)Service|NetworkPolicy|policy|ClusterIP|LoadBalancer"),
        words: &[r"(?i)\bport {n}\b"],
    },
    Term {
        field: "tolerationSeconds",
        unit: Unit::Seconds,
        context: Some(r"(?i)tolerat|taint|not-ready|unreachable"),
        words: &[
            r"(?i)\btoleration of {n} ?{u}",
            r"(?i)\b(?:go|goes|move|moves) after {n} ?{u}",
        ],
    },
    Term {
        field: "sizeLimit",
        unit: Unit::Quantity,
        context: Some(r"(?i)emptyDir|sizeLimit|scratch"),
        words: &[r"\b(?P<n>\d+ ?(?:Mi|Gi)B?)\b"],
    },
    Term {
        field: "nodePort",
        unit: Unit::Count,
        context: None,
        words: &[r"(?i)\bnode ?port {n}\b"],
    },
    Term {
        field: "minReplicas",
        unit: Unit::Count,
        context: None,
        words: &[r"\b{n} ?[–-] ?\d+ (?:pods|replicas)"],
    },
    Term {
        field: "maxReplicas",
        unit: Unit::Count,
        context: None,
        words: &[r"\b\d+ ?[–-] ?{n} (?:pods|replicas)"],
    },
    Term {
        field: "averageUtilization",
        unit: Unit::Count,
        context: None,
        words: &[r"\b{n} ?% (?:CPU )?target", r"at {n} ?% CPU"],
    },
    Term {
        field: "stabilizationWindowSeconds",
        unit: Unit::Seconds,
        context: Some(r"(?i)scal|HPA|autoscal|stabili"),
        words: &[
            r"(?i)\b(?:last|window (?:of|to|is)) {n} ?{u}",
            r"(?i)\b{n}(?: |-){u} (?:stabili[sz]ation )?window",
            r"(?i)\b(?:has|of) (?P<n>no) (?:stabili[sz]ation )?window",
        ],
    },
    Term {
        field: "PORT",
        unit: Unit::Count,
        context: None,
        words: &[],
    },
    Term {
        field: "REDIS_PORT",
        unit: Unit::Count,
        context: None,
        words: &[],
    },
    Term {
        field: "MAX_STRESS_SECONDS",
        unit: Unit::Seconds,
        context: Some(r"/stress"),
        words: &[
            r"(?i)\b(?:up to|at most|capped at|longest) {n} ?{u}",
            r"(?i)\blongest /stress (?:call |request )?(?:of |is |lasts )?{n} ?{u}",
            r"(?i)\b{n}(?: |-){u} /stress",
        ],
    },
    Term {
        field: "REDIS_TIMEOUT_MS",
        unit: Unit::Millis,
        context: Some(r"(?i)redis"),
        words: &[
            r"(?i)\b{n}(?: |-)?{u} (?:Redis )?timeout",
            r"(?i)\btimeout (?:of |is )?{n} ?{u}",
            r"(?i)\bwithin (?:≤ ?)?{n} ?{u}",
        ],
    },
    Term {
        field: "SESSION_TTL",
        unit: Unit::Seconds,
        context: Some(r"(?i)session"),
        words: &[
            r"(?i)\b(?:last|expire after|lives?|lifetime(?: of| is)?) {n} ?{u}",
            r"(?i)\b(?P<n>an|one|\d+) (?P<u>hours?)\b",
        ],
    },
    Term {
        field: "SHUTDOWN_DRAIN_SECONDS",
        unit: Unit::Seconds,
        context: None,
        words: &[
            r"(?i)\bdrains? (?:for )?{n} ?{u}",
            r"(?i)\b{n}(?: |-){u} (?:of )?drain",
            r"(?i)\bserves? (?:for )?{n} ?{u} more",
        ],
    },
    Term {
        field: "MAX_BODY_BYTES",
        unit: Unit::Bytes,
        context: Some(r"(?i)body"),
        words: &[r"(?i)\b{n} ?(?P<u>KiB|MiB|bytes)\b"],
    },
];

/// Numbers on pages that are not the kit's, each with its reason: (page,
/// a phrase of the sentence, why). The check reports an entry that
/// matches nothing, so the list cannot go stale.
pub const MARKED: &[(&str, &str, &str)] = &[
    // Kubernetes 1.34 defaults the prose names as defaults.
    (
        "docs/under-the-hood/observability.md",
        "at most 5 pods at once by default",
        "kubectl logs' --max-log-requests default (5)",
    ),
    (
        "docs/walkthrough/hpa.md",
        "--metric-resolution=15s",
        "metrics-server's resolution, from its release manifest",
    ),
    (
        "docs/walkthrough/first-deployment.md",
        "gives every pod a toleration of 300 seconds",
        "the DefaultTolerationSeconds admission plugin's 300 s (Kubernetes 1.34)",
    ),
    (
        "docs/under-the-hood/troubleshooting.md",
        "600 s by default",
        "progressDeadlineSeconds' default in 1.34",
    ),
    (
        "docs/walkthrough/self-healing.md",
        "rather than the default 1",
        "timeoutSeconds' default in 1.34",
    ),
    (
        "docs/walkthrough/hpa.md",
        "in the last five minutes agreed",
        "the 1.34 default scale-down window (300 s)",
    ),
    (
        "docs/what-we-learned.md",
        "last 300 seconds",
        "the 1.34 default scale-down window",
    ),
    (
        "docs/under-the-hood/scheduling.md",
        "with tolerationSeconds: 300",
        "the DefaultTolerationSeconds admission plugin's 300 s (Kubernetes 1.34)",
    ),
    (
        "docs/walkthrough/rolling-updates.md",
        "The default terminationGracePeriodSeconds is 30",
        "the 1.34 default",
    ),
    // Illustrations: what other values would do.
    (
        "docs/walkthrough/core-concepts.md",
        "replicas: 0",
        "the previous ReplicaSet after a rollout",
    ),
    (
        "docs/walkthrough/dockerfile.md",
        "forbids runAsUser: 0",
        "what Pod Security restricted forbids (root)",
    ),
    (
        "docs/walkthrough/redis.md",
        "Setting replicas: 3 on the Redis Deployment",
        "what scaling Redis would do",
    ),
    (
        "docs/walkthrough/rolling-updates.md",
        "two Redis pods must never",
        "why Redis uses Recreate",
    ),
    (
        "docs/walkthrough/self-healing.md",
        "restarts every 30 seconds or so",
        "a failure mode, not the kit's probe",
    ),
    (
        "docs/walkthrough/hpa.md",
        "500m free on the node",
        "a node's free capacity in the example",
    ),
    (
        "docs/under-the-hood/observability.md",
        "Events (kept ~1 h)",
        "the API server's event TTL (--event-ttl, 1 h by default)",
    ),
    (
        "docs/walkthrough/self-healing.md",
        "For about 20 seconds the pod shows",
        "the slow starter's own `sleep 20` (k8s/examples/startup-probe.yaml)",
    ),
    (
        "docs/walkthrough/self-healing.md",
        "cycle takes about 40 seconds",
        "the startup probe's 10 s plus the default 30 s grace period",
    ),
    (
        "docs/walkthrough/persistent-storage.md",
        "make sure only one pod can exist",
        "advice for any workload on a ReadWriteOnce volume",
    ),
    (
        "docs/walkthrough/resource-management.md",
        "64 MiB buffer under a 32Mi limit",
        "the buffer the oom-demo pod tries to fill (its own command)",
    ),
    // Self-check questions (a quiz's prose is read like any paragraph).
    (
        "docs/walkthrough/first-deployment.md",
        "to `replicas: 3` in `/tmp/hello.yaml`",
        "the reader's own exercise Deployment, in a quiz's prompt",
    ),
    (
        "docs/walkthrough/resource-management.md",
        "tries to fill 64 MiB under a 32Mi limit",
        "the buffer the oom-demo pod tries to fill (its own command), in a quiz's why",
    ),
    (
        "docs/walkthrough/self-healing.md",
        "restarts each container every 30 seconds or so",
        "the liveness probe's failure window (periodSeconds × failureThreshold) between restarts, in a quiz's option; \
         written `about 30 seconds` it would be compared with the kit",
    ),
    // How units work.
    (
        "docs/walkthrough/resource-management.md",
        "is one full core",
        "what 1000m means",
    ),
    (
        "docs/walkthrough/resource-management.md",
        "are powers of two",
        "what Mi means",
    ),
    (
        "docs/walkthrough/resource-management.md",
        "means 0.128 bytes",
        "a wrong unit, on purpose",
    ),
    (
        "docs/walkthrough/resource-management.md",
        "in every 100 ms period",
        "the CFS period",
    ),
    // Derived from kit values: five pods' requests and limits.
    (
        "docs/walkthrough/resource-management.md",
        "are only 250m of CPU requests",
        "five pods' requests and limits added up",
    ),
];

/// A sentence that marks its number as not the kit's.
static PROSE_MARK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\bKubernetes 1\.\d+\b[^.]{0,80}\bdefaults?\b|\bdefaults?\b[^.]{0,80}\bKubernetes 1\.\d+",
        r"|\bfor example\b|\be\.g\.|\bfor instance\b|\bsuch as\b"
    ))
        .unwrap()
});

/// (dimension, tag, words).
type Dimension = (&'static str, &'static str, &'static str);

/// Words that name the thing a value belongs to, by dimension.
const DIMENSIONS: &[Dimension] = &[
    ("probe", "liveness", r"(?i)liveness|/health\b"),
    ("probe", "readiness", r"(?i)readiness|/ready\b"),
    ("probe", "startup", r"(?i)startup"),
    ("resources", "request", r"(?i)\brequest"),
    ("resources", "limit", r"(?i)\blimit"),
    ("direction", "up", r"(?i)\bscal(?:e|es|ing)[ -]up"),
    ("direction", "down", r"(?i)\bscal(?:e|es|ing)[ -]down"),
    (
        "kind",
        "poddisruptionbudget",
        r"(?i)budget|\bPDB|disruption|evict|drain",
    ),
    ("kind", "deployment", r"(?i)roll|surge|update"),
    ("kind", "horizontalpodautoscaler", r"(?i)\bHPA|autoscal"),
];

/// The app's own default (the settings table) is meant only where the
/// sentence says "default".
static DEFAULT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bdefaults?\b").unwrap());

static DIMENSION_WORDS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    DIMENSIONS
        .iter()
        .map(|(_, _, w)| Regex::new(w).unwrap())
        .collect()
});

/// A sentence with no number in it needs no look.
static ANY_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    let words: Vec<&str> = WORDS.iter().map(|(w, _)| *w).collect();
    Regex::new(&format!(r"(?i)\d|\b(?:{})\b", words.join("|"))).unwrap()
});

/// A number as digits or a word.
const N: &str = r"(?P<n>\d+(?:\.\d+)?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty-five|forty|fifty|sixty|ninety)";
const WORDS: &[(&str, u64)] = &[
    ("zero", 0),
    ("no", 0),
    ("a", 1),
    ("an", 1),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("forty-five", 45),
    ("fifty", 50),
    ("sixty", 60),
    ("ninety", 90),
];
/// A unit of time.
const U: &str = r"(?P<u>ms|milliseconds?|s|seconds?|min|minutes?|h|hours?)\b";

/// A number as digits or a word → its value.
fn number(text: &str) -> Option<f64> {
    let lower = text.to_ascii_lowercase();
    WORDS
        .iter()
        .find(|(w, _)| *w == lower)
        .map(|(_, n)| *n as f64)
        .or_else(|| lower.parse().ok())
}

/// The stated number in the field's unit, as text to compare.
fn normalise(unit: Unit, n: &str, u: Option<&str>) -> Option<String> {
    let scaled = |factor: f64| number(n).map(|x| trim(x * factor));
    match unit {
        Unit::Count => scaled(1.0),
        Unit::Seconds | Unit::Millis | Unit::Bytes => {
            let u = u.unwrap_or("").to_ascii_lowercase();
            let factor = match u.as_str() {
                "ms" | "millisecond" | "milliseconds" => 0.001,
                "min" | "minute" | "minutes" => 60.0,
                "h" | "hour" | "hours" => 3600.0,
                "kib" => 1024.0,
                "mib" => 1024.0 * 1024.0,
                _ => 1.0,
            };
            match unit {
                // No unit: the field's own (`REDIS_TIMEOUT_MS=2000`).
                Unit::Millis if u.is_empty() => scaled(1.0),
                Unit::Millis => scaled(factor * 1000.0),
                _ => scaled(factor),
            }
        }
        Unit::Quantity => Some(quantity(n)),
        Unit::Mode => Some(n.to_owned()),
    }
}

fn trim(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// `64 MiB` → `64Mi`, `64MB` → `64mb`.
fn quantity(text: &str) -> String {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let text = text.trim_end_matches('B').to_owned();
    if text.to_ascii_lowercase().ends_with("mb") || text.ends_with('M') && !text.ends_with("Mi") {
        return text.to_ascii_lowercase();
    }
    text
}

/// The kit's value in the field's unit, as text to compare.
fn kit_side(unit: Unit, value: &str) -> String {
    match unit {
        Unit::Quantity => quantity(value),
        Unit::Mode => value.to_owned(),
        _ => value.parse::<f64>().map(trim).unwrap_or(value.to_owned()),
    }
}

/// One sentence of a page: its text, the line its piece starts on, and the
/// whole piece (paragraph, table row, diagram line). A table row is one
/// sentence (its cells joined), so a cell reads with its row.
fn sentences(page: &Page) -> Vec<(String, usize, String)> {
    let mut pieces: Vec<(String, usize)> = Vec::new();
    for item in items(&page.text) {
        match item {
            Item::Prose(text, line) => match pieces.last_mut() {
                Some((last, l)) if *l == line => {
                    last.push_str(" | ");
                    last.push_str(&text);
                }
                _ => pieces.push((text, line)),
            },
            // A quiz is prose the reader reads: its prompts, its correct
            // options and every option's why are sentences like any other.
            // A wrong option is false on purpose (its why says so), and the
            // answer of a question about the kit is compared by
            // `crate::quiz`: wrong options are left out.
            Item::Code(block) if block.lang == kit_formats::quiz::LANG => {
                let Ok(questions) = kit_formats::quiz::parse(&block.body) else {
                    continue;
                };
                let at = |line: usize| block.body_line + line - 1;
                for q in questions {
                    pieces.push((q.prompt.clone(), at(q.line)));
                    for o in q.options {
                        if o.correct {
                            pieces.push((o.text.clone(), at(o.line)));
                        }
                        pieces.push((o.why.clone(), at(o.why_line)));
                    }
                }
            }
            Item::Code(block) if block.lang == "mermaid" => {
                for (i, l) in block.body.lines().enumerate() {
                    pieces.push((
                        l.replace("<br/>", " ").replace("<br>", " "),
                        block.body_line + i,
                    ));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (text, line) in pieces {
        let mut start = 0;
        let bytes = text.as_bytes();
        for (i, c) in text.char_indices() {
            if matches!(c, '.' | '!' | '?')
                && bytes.get(i + 1) == Some(&b' ')
                && bytes
                    .get(i + 2)
                    .is_some_and(|b| b.is_ascii_uppercase() || *b == b'`')
            {
                out.push((text[start..=i].to_owned(), line, text.clone()));
                start = i + 2;
            }
        }
        out.push((text[start..].to_owned(), line, text.clone()));
    }
    out
}

/// The line of the page where `number` (as written) first appears as a
/// word at or after `from`, for messages.
fn line_of(page: &Page, from: usize, number: &str) -> usize {
    let is_word = |c: char| c.is_alphanumeric() || c == '.';
    let has = |line: &str| {
        let lower = line.to_lowercase();
        let number = number.to_lowercase();
        lower.match_indices(&number).any(|(i, _)| {
            !lower[..i].chars().next_back().is_some_and(is_word)
                && !lower[i + number.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric())
        })
    };
    page.text
        .lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .take(60)
        .find(|(_, l)| has(l))
        .map_or(from, |(i, _)| i + 1)
}

/// A compiled term: its regexes (the field's name first).
struct Compiled<'a> {
    term: &'a Term,
    context: Option<Regex>,
    by_name: Vec<Regex>,
    words: Vec<Regex>,
}

fn compile(term: &Term) -> Compiled<'_> {
    let n = match term.unit {
        Unit::Quantity => r"(?P<n>\d+(?:\.\d+)? ?(?:m|Mi|Gi|Ki|mb|MB)?B?)".to_owned(),
        Unit::Mode => r"(?P<n>0[0-7]{3})".to_owned(),
        _ => N.to_owned(),
    };
    let fill = |p: &str| {
        Regex::new(&p.replace("{n}", &n).replace("{u}", U))
            .unwrap_or_else(|e| panic!("facts::TERMS: {}: bad pattern {p}: {e}", term.field))
    };
    let name = regex::escape(term.field);
    let unit = if matches!(term.unit, Unit::Seconds | Unit::Millis) {
        format!("(?: ?{U})?")
    } else {
        String::new()
    };
    // Not a flag (`--replicas=3`: a command, not the kit) nor a percentage.
    let end = r"(?:[^%\d.\w]|\.(?:\s|$)|$)";
    let mut by_name = vec![format!(r"(?:^|[^-\w]){name}[:=] ?{{n}}{unit}{end}")];
    if term
        .field
        .chars()
        .any(|c| c.is_ascii_uppercase() || c == '_')
    {
        // `minReadySeconds 5`, `SESSION_TTL (3600 s)`, `maxUnavailable is 0`.
        by_name.push(format!(
            r"(?:^|[^-\w]){name}\W{{0,4}}(?:is |of |to |at |was |=)?{{n}}{unit}{end}"
        ));
    }
    Compiled {
        term,
        context: term.context.map(|c| Regex::new(c).unwrap()),
        by_name: by_name.iter().map(|p| fill(p)).collect(),
        words: term.words.iter().map(|p| fill(p)).collect(),
    }
}

/// One number the words found in a sentence.
struct Mention<'a> {
    term: &'a Term,
    stated: String,
    text: String,
}

/// What the fact check found.
#[derive(Debug, Default)]
pub struct Report {
    /// Values derived from the kit (examples not counted).
    pub derived: usize,
    /// (value, places where the pages state it), for every kit value.
    pub checked: Vec<(KitValue, usize)>,
    /// Numbers next to a kit term, tied to a kit value.
    pub places: usize,
    /// Numbers tied to an example's value (on a page naming the example).
    pub examples: usize,
    /// Numbers marked in the prose (`Kubernetes default`, `for example`).
    pub marked_in_prose: usize,
    /// Numbers marked in [`MARKED`].
    pub marked_in_table: usize,
    /// Ports on the reader's machine (`names::LOCAL_PORTS`).
    pub local_ports: usize,
    pub problems: Vec<String>,
}

/// The kit values of `field` that `sentence` (in `paragraph`) on a page
/// can mean: first the kit's, then the examples' the page names.
/// The last part of a kit path (`k8s/examples/x.yaml` -> `x.yaml`).
fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn candidates<'a>(
    values: &'a [KitValue],
    field: &str,
    sentence: &str,
    paragraph: &str,
    page_text: &str,
    files_named: &BTreeSet<&str>,
) -> Vec<&'a KitValue> {
    let says_default = DEFAULT.is_match(sentence);
    let of_field = |example: bool| -> Vec<&'a KitValue> {
        values
            .iter()
            .filter(|v| v.field == field && v.example == example)
            // An example's value counts only on a page that names its file.
            .filter(|v| !v.example || files_named.contains(file_name(&v.file)))
            .filter(|v| says_default || !v.tags.iter().any(|t| t == "default"))
            .collect()
    };
    let mut out = narrow(of_field(false), sentence, paragraph, page_text);
    out.extend(narrow(of_field(true), sentence, paragraph, page_text));
    out
}

/// Keeps the values whose tags the sentence names, dimension by dimension;
/// a dimension the sentence names nothing of (or nothing these values
/// carry) keeps them all. The object comes first: the app's values, and
/// Redis's where the paragraph names Redis, an add-on's (Traefik) where
/// the page names it.
fn narrow<'a>(
    mut list: Vec<&'a KitValue>,
    sentence: &str,
    paragraph: &str,
    page_text: &str,
) -> Vec<&'a KitValue> {
    let (paragraph, page) = (paragraph.to_lowercase(), page_text.to_lowercase());
    let named = |owner: &str| {
        // Redis is named in its paragraph; an add-on (Traefik) anywhere on
        // the page that is about it.
        let lower = if owner == "redis" { &paragraph } else { &page };
        owner == "demo-app"
            || lower.match_indices(&owner.to_lowercase()).any(|(i, _)| {
                !lower[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
                    && !lower[i + owner.len()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
    };
    let owned: Vec<&KitValue> = list
        .iter()
        .copied()
        .filter(|v| v.owner.is_empty() || named(&v.owner))
        .collect();
    if !owned.is_empty() {
        list = owned;
    }
    let tags_of = |v: &KitValue| -> Vec<String> {
        let mut tags = v.tags.clone();
        tags.push(v.kind.to_ascii_lowercase());
        tags
    };
    let mut dimensions: Vec<&str> = DIMENSIONS.iter().map(|d| d.0).collect();
    dimensions.dedup();
    for dimension in dimensions {
        let rows: Vec<(usize, &Dimension)> = DIMENSIONS
            .iter()
            .enumerate()
            .filter(|(_, d)| d.0 == dimension)
            .collect();
        let carried = |tag: &str| list.iter().any(|v| tags_of(v).iter().any(|t| t == tag));
        let named_in = |scope: &str| -> Vec<&str> {
            rows.iter()
                .filter(|(i, d)| DIMENSION_WORDS[*i].is_match(scope) && carried(d.1))
                .map(|(_, d)| d.1)
                .collect()
        };
        let named = named_in(sentence);
        if named.is_empty() {
            continue;
        }
        let kept: Vec<&KitValue> = list
            .iter()
            .copied()
            .filter(|v| {
                let tags = tags_of(v);
                let in_dimension: Vec<&String> = tags
                    .iter()
                    .filter(|t| rows.iter().any(|(_, d)| d.1 == t.as_str()))
                    .collect();
                in_dimension.is_empty() || in_dimension.iter().any(|t| named.contains(&t.as_str()))
            })
            .collect();
        if !kept.is_empty() {
            list = kept;
        }
    }
    list
}

/// Checks every number the terms find on `pages` against the kit at `root`.
pub fn check(root: &Path, pages: &[Page]) -> Report {
    scan(pages, TERMS).judge(root, MARKED)
}

/// [`check`] with its tables given (the tests use smaller ones).
pub fn check_with(
    root: &Path,
    pages: &[Page],
    terms: &[Term],
    marked: &[(&str, &str, &str)],
) -> Report {
    scan(pages, terms).judge(root, marked)
}

/// One number the terms found in a sentence.
struct Found<'a> {
    page: &'a Page,
    /// The line it is on, for messages.
    line: usize,
    sentence: String,
    paragraph: String,
    mentions: Vec<Mention<'a>>,
}

/// Every number the terms find on a set of pages. Finding them is the
/// slow part and does not depend on the kit: a scan is judged against as
/// many copies of the kit as needed.
pub struct Scan<'a> {
    terms: &'a [Term],
    found: Vec<Found<'a>>,
}

/// Finds every number next to a kit term on `pages`.
pub fn scan<'a>(pages: &'a [Page], terms: &'a [Term]) -> Scan<'a> {
    // Compiling the terms takes a while: [`TERMS`] is compiled once.
    static COMPILED: LazyLock<Vec<Compiled<'static>>> =
        LazyLock::new(|| TERMS.iter().map(compile).collect());
    let own: Vec<Compiled>;
    let compiled: &[Compiled] = if std::ptr::eq(terms, TERMS) {
        &COMPILED
    } else {
        own = terms.iter().map(compile).collect();
        &own
    };
    let mut all = Vec::new();
    for page in pages {
        for (sentence, line, paragraph) in sentences(page) {
            if !ANY_NUMBER.is_match(&sentence) {
                continue;
            }
            // Number position → what the terms read there.
            let mut found: BTreeMap<(usize, usize), Vec<Mention>> = BTreeMap::new();
            for c in compiled {
                // The words count where the sentence, or its paragraph
                // (a table row, a slide's note), speaks of the field.
                let in_context = c.context.as_ref().is_none_or(|r| r.is_match(&paragraph));
                let regexes = c
                    .by_name
                    .iter()
                    .chain(c.words.iter().filter(|_| in_context));
                for re in regexes {
                    for caps in re.captures_iter(&sentence) {
                        let Some(n) = caps.name("n") else { continue };
                        let u = caps.name("u").map(|m| m.as_str());
                        let Some(stated) = normalise(c.term.unit, n.as_str(), u) else {
                            continue;
                        };
                        let mentions = found.entry((n.start(), n.end())).or_default();
                        if !mentions.iter().any(|m| std::ptr::eq(m.term, c.term)) {
                            mentions.push(Mention {
                                term: c.term,
                                stated,
                                text: caps[0].to_owned(),
                            });
                        }
                    }
                }
            }
            for ((start, end), mentions) in found {
                all.push(Found {
                    page,
                    line: line_of(page, line, &sentence[start..end]),
                    sentence: sentence.clone(),
                    paragraph: paragraph.clone(),
                    mentions,
                });
            }
        }
    }
    Scan { terms, found: all }
}

impl Scan<'_> {
    /// Compares what was found with the kit at `root`.
    pub fn judge(&self, root: &Path, marked: &[(&str, &str, &str)]) -> Report {
        let mut report = Report::default();
        let values = match kit_values(root) {
            Ok(v) => v,
            Err(e) => {
                report.problems.push(format!("reading the kit: {e}"));
                return report;
            }
        };
        let mut unnamed = BTreeSet::new();
        for v in values.iter().filter(|v| !v.example) {
            report.derived += 1;
            if !self.terms.iter().any(|t| t.field == v.field) && unnamed.insert(v.field.clone()) {
                report.problems.push(format!(
                    "{}: the field `{}` has no words in guide-check's facts::TERMS: add how the \
                     prose names it, so the pages are checked for it",
                    v.describe(),
                    v.field
                ));
            }
        }
        // The example files each page names, looked up once per page (not
        // once per mention and value).
        let example_files: BTreeSet<&str> = values
            .iter()
            .filter(|v| v.example)
            .map(|v| file_name(&v.file))
            .collect();
        let mut files_named: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for f in &self.found {
            files_named.entry(&f.page.path).or_insert_with(|| {
                example_files
                    .iter()
                    .filter(|name| f.page.text.contains(**name))
                    .copied()
                    .collect()
            });
        }
        let mut places: BTreeMap<usize, usize> = BTreeMap::new();
        let mut marked_used = vec![false; marked.len()];
        for f in &self.found {
            let mut tied = false;
            let mut example = false;
            let mut told = Vec::new();
            for m in &f.mentions {
                let list = candidates(
                    &values,
                    m.term.field,
                    &f.sentence,
                    &f.paragraph,
                    &f.page.text,
                    &files_named[f.page.path.as_str()],
                );
                for v in &list {
                    if kit_side(m.term.unit, &v.value) == m.stated {
                        tied = true;
                        example |= v.example;
                        if !v.example
                            && let Some(i) = values.iter().position(|x| x == *v)
                        {
                            *places.entry(i).or_default() += 1;
                        }
                    }
                }
                told.push(format!(
                    "\"{}\" reads as {} = {}, but {}",
                    m.text,
                    m.term.field,
                    m.stated,
                    if list.is_empty() {
                        "the kit has no such field".to_owned()
                    } else {
                        list.iter()
                            .map(|v| v.describe())
                            .collect::<Vec<_>>()
                            .join("; ")
                    }
                ));
            }
            if tied {
                if example {
                    report.examples += 1;
                } else {
                    report.places += 1;
                }
                continue;
            }
            if let Some(i) = marked
                .iter()
                .position(|(p, phrase, _)| *p == f.page.path && f.sentence.contains(phrase))
            {
                marked_used[i] = true;
                report.marked_in_table += 1;
                continue;
            }
            if PROSE_MARK.is_match(&f.sentence) {
                report.marked_in_prose += 1;
                continue;
            }
            // The reader's own ports (port-forwards, the guide's server):
            // `names::LOCAL_PORTS`, not the kit's.
            if f.mentions
                .iter()
                .all(|m| m.term.field.to_lowercase().contains("port"))
                && f.mentions
                    .iter()
                    .any(|m| crate::names::LOCAL_PORTS.contains(&m.stated.as_str()))
            {
                report.local_ports += 1;
                continue;
            }
            report.problems.push(format!(
                "{}: {}: fix the page, or mark the number as not the kit's \
                 (see guide-check/README.md, \"Values of the kit\")",
                f.page.at(f.line),
                told.join("; or ")
            ));
        }
        for (used, (page, phrase, _)) in marked_used.iter().zip(marked) {
            if !used {
                report.problems.push(format!(
                    "facts::MARKED entry ({page}, {phrase:?}) matches nothing: remove it"
                ));
            }
        }
        for (i, v) in values.iter().enumerate() {
            if !v.example {
                report
                    .checked
                    .push((v.clone(), places.get(&i).copied().unwrap_or(0)));
            }
        }
        report
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check on fixture pages, with no marks (those are the guide's).
    fn check(root: &Path, pages: &[Page]) -> Report {
        check_with(root, pages, TERMS, &[])
    }

    fn page(text: &str) -> Page {
        Page {
            path: "page.md".into(),
            text: format!("{text}\n"),
        }
    }

    #[test]
    fn a_possessive_is_read_as_the_reader_sees_it() {
        // Smart punctuation renders `demo-app's` as `demo-app’s`; the
        // words must find the sentence either way it is typed.
        let root = testkit::repo_root();
        let right = check(
            root,
            &[page("Uses the demo-app's five replicas as the example.")],
        );
        assert_eq!(right.places, 1, "{right:?}");
        let wrong = check(
            root,
            &[page("Uses the demo-app's three replicas as the example.")],
        );
        assert!(
            wrong.problems.iter().any(|p| p.contains("replicas = 3")),
            "{:?}",
            wrong.problems
        );
    }

    #[test]
    fn numbers_and_units() {
        assert_eq!(normalise(Unit::Count, "Five", None).as_deref(), Some("5"));
        assert_eq!(
            normalise(Unit::Seconds, "an", Some("hour")).as_deref(),
            Some("3600")
        );
        assert_eq!(
            normalise(Unit::Millis, "2", Some("s")).as_deref(),
            Some("2000")
        );
        assert_eq!(
            normalise(Unit::Millis, "2000", None).as_deref(),
            Some("2000")
        );
        assert_eq!(quantity("64 MiB"), "64Mi");
        assert_eq!(quantity("64mb"), "64mb");
        assert_eq!(kit_side(Unit::Seconds, "5"), "5");
    }

    #[test]
    fn the_sentence_picks_the_object_and_the_probe() {
        let root = testkit::repo_root();
        // The app's readiness probe: every 5 s; Redis's liveness: 15 s.
        for good in [
            "The readiness probe asks /ready every 5 seconds.",
            "Redis's liveness probe runs every 15 s.",
            "| readiness | every 5 s |",
        ] {
            let r = check(root, &[page(good)]);
            assert!(r.problems.is_empty() && r.places == 1, "{good}: {r:?}");
        }
        for bad in [
            "The liveness probe asks /health every 5 seconds.",
            "The app's liveness probe runs every 15 s.",
        ] {
            let r = check(root, &[page(bad)]);
            assert_eq!(r.problems.len(), 1, "{bad}: {r:?}");
            assert!(r.problems[0].contains("page.md:1"), "{:?}", r.problems);
            assert!(
                r.problems[0].contains("k8s/app/deployment.yaml"),
                "{:?}",
                r.problems
            );
        }
        let marked = check(
            root,
            &[page(
                "The liveness probe runs every 10 s; for example every 7 s would do.",
            )],
        );
        assert_eq!(
            (marked.places, marked.marked_in_prose),
            (1, 1),
            "{marked:?}"
        );
    }
}
