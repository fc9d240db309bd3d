//! What a step's output is held to.
//!
//! - An `output` block is compared as the guide's checks compare it
//!   (`kit_formats::expect`): line by line, `…` and `<placeholder>` match
//!   anything. A difference fails the step.
//! - An `example` block is a cluster's output: names, ages, addresses and
//!   counts differ from one cluster to the next. It is held to a loose rule:
//!   every table header it shows (`NAME   READY   STATUS ...`) is printed
//!   with the same column names, and the key words it shows are printed
//!   too: pod and object states (`Running`, `Completed`, `Bound`...), what
//!   kubectl did (`created`, `deleted`, `scaled`...), refusals (`Forbidden`,
//!   `Connection refused`, `timed out`...), `yes`/`no` lines and HTTP
//!   status codes. A difference is a warning with a hint, not a failure.
//! - A command that exits non-zero fails the step, unless the block's shown
//!   output shows a failure (an error, a refusal, a timeout).

use kit_formats::expect::{StandIns, compare};

/// Words whose presence an `example` block promises, wherever they stand.
const KEY_WORDS: &[&str] = &[
    // What pods, nodes, claims and Jobs are in.
    "Running",
    "Pending",
    "Completed",
    "Complete",
    "CrashLoopBackOff",
    "ContainerCreating",
    "Terminating",
    "ImagePullBackOff",
    "ErrImagePull",
    "OOMKilled",
    "Evicted",
    "NotReady",
    "SchedulingDisabled",
    "Bound",
    "Failed",
    "Succeeded",
    // What kubectl did.
    "created",
    "configured",
    "unchanged",
    "deleted",
    "patched",
    "scaled",
    "labeled",
    "annotated",
    "cordoned",
    "uncordoned",
    "drained",
    "evicted",
    "tainted",
    "untainted",
    "restarted",
    "rolled back",
    "successfully rolled out",
    // Refusals.
    "Forbidden",
    "Unauthorized",
    "NotFound",
    "Connection refused",
    "timed out",
];

/// Signs that a shown output is a failure (case-insensitive).
const FAILURE_SIGNS: &[&str] = &[
    "error",
    "forbidden",
    "refused",
    "timed out",
    "timeout",
    "curl: (",
    "denied",
    "not found",
    "notfound",
    "unauthorized",
    "terminated with exit code",
    "cannot",
    "unable",
    "invalid",
];

/// The kind of output block the page shows after a command block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Output,
    Example,
}

/// A step's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    /// A loose (`example`) mismatch: the hint.
    Warn(String),
    /// The hint.
    Fail(String),
}

/// Does the shown output show a failure (so a non-zero exit is expected)?
/// A `no` line is `kubectl auth can-i`'s answer, which exits 1.
pub fn shows_failure(shown: &str) -> bool {
    let lower = shown.to_lowercase();
    FAILURE_SIGNS.iter().any(|s| lower.contains(s)) || shown.lines().any(|l| l.trim() == "no")
}

/// The environment variable of the runner's own tests: values of the local
/// stand-in for a cluster (the real app with a local redis-server) that
/// stand for the kit's, `local=kit` pairs separated by commas
/// (`127.0.0.1=redis`), as the guide's checks translate them. Unset on a
/// real cluster, where the app prints the kit's values.
pub const STAND_INS: &str = "KIT_TRY_STAND_INS";

fn stand_ins() -> StandIns {
    let mut s = StandIns::default();
    for pair in std::env::var(STAND_INS).unwrap_or_default().split(',') {
        if let Some((local, kit)) = pair.split_once('=') {
            match (local.parse(), kit.parse()) {
                (Ok(l), Ok(k)) => s.numbers.push((l, k)),
                _ => s.strings.push((local.to_owned(), kit.to_owned())),
            }
        }
    }
    s
}

/// `output` blocks: as the guide's checks compare them.
pub fn check_output(shown: &str, seen: &str) -> Verdict {
    let lines: Vec<String> = shown.lines().map(str::to_owned).collect();
    match compare(&lines, seen, &stand_ins()) {
        Ok(()) => Verdict::Ok,
        Err(e) => Verdict::Fail(format!(
            "the page checks this output line by line (`…` and `<names>` match anything): {}",
            e.lines().next().unwrap_or_default()
        )),
    }
}

/// `example` blocks: the loose rule of this module's documentation.
pub fn check_example(shown: &str, seen: &str) -> Verdict {
    let mut missing = Vec::new();
    if seen.trim().is_empty() && !shown.trim().is_empty() {
        return Verdict::Warn("it printed nothing, and the page shows some output".into());
    }
    let seen_headers: Vec<Vec<&str>> = seen
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    for header in shown.lines().filter(|l| is_header(l)) {
        let words: Vec<&str> = header.split_whitespace().collect();
        if !seen_headers.contains(&words) {
            missing.push(format!("the table header `{}`", words.join(" ")));
        }
    }
    for word in key_words(shown) {
        if !contains_word(seen, &word) {
            missing.push(format!("`{word}`"));
        }
    }
    if missing.is_empty() {
        Verdict::Ok
    } else {
        Verdict::Warn(format!(
            "the page's example shows {} and this output does not (names, ages and addresses may \
             differ; these should not): the cluster may not be in the state the chapter starts \
             from (make reset), or it needed more time",
            missing.join(", ")
        ))
    }
}

/// The key words an example shows: [`KEY_WORDS`], `yes`/`no` lines and
/// HTTP status codes at the start of a line.
pub fn key_words(shown: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut add = |w: &str| {
        if !words.iter().any(|x| x == w) {
            words.push(w.to_owned());
        }
    };
    for w in KEY_WORDS {
        if contains_word(shown, w) {
            add(w);
        }
    }
    for line in shown.lines().map(str::trim) {
        if line == "yes" || line == "no" {
            add(line);
        }
        let first = line.split_whitespace().next().unwrap_or("");
        if first.len() == 3
            && first.starts_with(['1', '2', '3', '4', '5'])
            && first.chars().all(|c| c.is_ascii_digit())
        {
            add(first);
        }
        if let Some(rest) = line.strip_prefix("HTTP/")
            && let Some(code) = rest.split_whitespace().nth(1)
        {
            add(code);
        }
    }
    words
}

/// `word` in `text`, not inside a longer word.
fn contains_word(text: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    let mut from = 0;
    while let Some(i) = text[from..].find(word) {
        let start = from + i;
        let end = start + word.len();
        let before = text[..start].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
            return true;
        }
        from = start + word.len().max(1);
    }
    false
}

/// A table header as kubectl prints it: two or more column names in
/// capitals (`CPU(cores)` and `NOMINATED NODE` included), the first
/// `NAME`, `NAMESPACE` (with `-A`) or `LAST` (`LAST SEEN`, events).
pub fn is_header(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.len() >= 2
        && ["NAME", "NAMESPACE", "LAST"].contains(&words[0])
        && words.iter().all(|w| {
            let head = w.split('(').next().unwrap_or(w);
            !head.is_empty()
                && head
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PODS: &str = "NAME                        READY   STATUS    RESTARTS   AGE\n\
demo-app-7c9d5b6f4d-9xbtr   1/1     Running   0          25m\n";

    #[test]
    fn an_example_is_held_to_its_header_and_key_words() {
        let seen = "==> scaling\nNAME                       READY   STATUS    RESTARTS   AGE\n\
demo-app-55d7c8b9f-abcde   1/1     Running   0          3s\n";
        assert_eq!(check_example(PODS, seen), Verdict::Ok);
        let pending = seen.replace("Running", "Pending");
        let Verdict::Warn(hint) = check_example(PODS, &pending) else {
            panic!("a pod that is not Running passed")
        };
        assert!(hint.contains("`Running`"), "{hint}");
        let other = "NAME   STATUS   AGE\ndemo-app   Running  1s\n";
        let Verdict::Warn(hint) = check_example(PODS, other) else {
            panic!("another table passed")
        };
        assert!(hint.contains("NAME READY STATUS RESTARTS AGE"), "{hint}");
    }

    #[test]
    fn key_words_status_codes_and_answers() {
        assert_eq!(key_words("503 in 2.0…s\n200\n"), ["503", "200"]);
        assert_eq!(key_words("yes\nno\n"), ["yes", "no"]);
        assert_eq!(
            key_words("pod/x created\ncurl: (7) Failed to connect: Connection refused\n"),
            ["Failed", "created", "Connection refused"]
        );
        assert_eq!(
            key_words("job.batch/visits-once   Completed\n"),
            ["Completed"]
        );
        assert!(key_words("deployment.apps/demo-app scaled\n").contains(&"scaled".to_string()));
        assert!(!contains_word("uncordoned", "cordoned"));
    }

    #[test]
    fn headers_are_kubectl_s() {
        assert!(is_header("NAME   CPU(cores)   MEMORY(bytes)"));
        assert!(is_header(
            "NAME  READY  STATUS  RESTARTS  AGE  IP  NODE  NOMINATED NODE  READINESS GATES"
        ));
        assert!(is_header(
            "LAST SEEN   TYPE     REASON    OBJECT    MESSAGE"
        ));
        assert!(!is_header("HTTP 200"));
        assert!(!is_header("demo-app-1   1/1   Running"));
    }

    #[test]
    fn outputs_are_compared_with_the_guide_s_wildcards() {
        assert_eq!(
            check_output(
                "{\"server\":\"<pod-name>\"}\n...\n",
                "{\"server\":\"a\"}\n{}\n"
            ),
            Verdict::Ok
        );
        assert!(matches!(
            check_output("{\"visits\":…}\n", "{\"count\":1}\n"),
            Verdict::Fail(_)
        ));
        assert!(shows_failure(
            "Error from server (Forbidden): pods is forbidden"
        ));
        assert!(!shows_failure("pod/x created"));
    }
}
