//! The guide's self-check questions: a fenced block whose info string is
//! `quiz`, holding TOML (`[[question]]` tables, each with its
//! `[[question.option]]`s). The site renders them (`site/src/book/quiz.rs`)
//! and guide-check compares the answers of questions about the kit with the
//! kit (`guide-check/src/quiz.rs`); both read them here.
//!
//! ```toml
//! [[question]]
//! id = "scaling-replicas"             # unique in the guide: the browser remembers answers by it
//! prompt = "How many replicas ...?"   # Markdown (inline)
//! kit = "k8s/app/deployment.yaml Deployment /spec/replicas"   # optional
//! multiple = false                    # optional: true = one or more correct options
//!
//! [[question.option]]
//! text = "5"                          # Markdown (inline)
//! correct = true                      # optional, false when left out
//! why = "..."                         # Markdown: why this option is right or wrong
//! ```
//!
//! Lines are 1-based lines of the block's body (the line after the fence is
//! 1): the caller adds the fence's place in its page.

use serde::Deserialize;
use toml::Spanned;

/// The info string of a quiz block.
pub const LANG: &str = "quiz";
/// The heading of the section a quiz block belongs in.
pub const SECTION: &str = "Check yourself";
/// How many options a question has.
pub const OPTIONS: std::ops::RangeInclusive<usize> = 3..=4;

/// One question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: String,
    pub prompt: String,
    pub multiple: bool,
    /// `<file> <Kind> <JSON pointer>`: the kit value the question asks for.
    pub kit: Option<String>,
    pub options: Vec<QuizOption>,
    /// Line of the `id`.
    pub line: usize,
    /// Line of the `kit` key's value (or of the `id` without one).
    pub kit_line: usize,
}

/// One option of a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizOption {
    pub text: String,
    pub correct: bool,
    pub why: String,
    /// Line of the `text`.
    pub line: usize,
    /// Line of the `why`.
    pub why_line: usize,
}

/// What is wrong with a block, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuiz {
    question: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    prompt: Spanned<String>,
    #[serde(default)]
    multiple: bool,
    #[serde(default)]
    kit: Option<Spanned<String>>,
    option: Vec<RawOption>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    text: Spanned<String>,
    #[serde(default)]
    correct: bool,
    why: Spanned<String>,
}

fn line_at(body: &str, at: usize) -> usize {
    body[..at.min(body.len())].matches('\n').count() + 1
}

/// The questions of a quiz block's `body`, or the first TOML problem
/// (bad syntax, an unknown or missing key, a value of the wrong type).
pub fn parse(body: &str) -> Result<Vec<Question>, Problem> {
    let raw: RawQuiz = toml::from_str(body).map_err(|e| Problem {
        line: e.span().map_or(1, |s| line_at(body, s.start)),
        message: format!("quiz: {}", e.message().trim().trim_end_matches('.')),
    })?;
    Ok(raw
        .question
        .into_iter()
        .map(|q| {
            let line = line_at(body, q.id.span().start);
            Question {
                kit_line: q
                    .kit
                    .as_ref()
                    .map_or(line, |k| line_at(body, k.span().start)),
                id: q.id.into_inner(),
                prompt: q.prompt.into_inner(),
                multiple: q.multiple,
                kit: q.kit.map(Spanned::into_inner),
                options: q
                    .option
                    .into_iter()
                    .map(|o| QuizOption {
                        line: line_at(body, o.text.span().start),
                        why_line: line_at(body, o.why.span().start),
                        text: o.text.into_inner(),
                        correct: o.correct,
                        why: o.why.into_inner(),
                    })
                    .collect(),
                line,
            }
        })
        .collect())
}

/// What breaks the format's rules in parsed questions: an id that is not
/// lower-case words joined by `-`, an empty prompt, text or why, not 3 or 4
/// options, not exactly one correct option (one or more with `multiple`).
/// Unique ids across the guide are the caller's to check.
pub fn problems(questions: &[Question]) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut say = |line: usize, message: String| out.push(Problem { line, message });
    if questions.is_empty() {
        say(1, "quiz: the block has no [[question]]".into());
    }
    for q in questions {
        let id = &q.id;
        let words = !id.is_empty()
            && id.split('-').all(|w| {
                !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            });
        if !words {
            say(
                q.line,
                format!(
                    "quiz: the id `{id}` must be lower-case letters and digits joined by `-` (`<chapter>-<short-name>`)"
                ),
            );
        }
        if q.prompt.trim().is_empty() {
            say(q.line, format!("quiz: question `{id}` has an empty prompt"));
        }
        let n = q.options.len();
        if !OPTIONS.contains(&n) {
            say(
                q.line,
                format!(
                    "quiz: question `{id}` has {n} option(s); a question has {} to {}",
                    OPTIONS.start(),
                    OPTIONS.end()
                ),
            );
        }
        let correct = q.options.iter().filter(|o| o.correct).count();
        if q.multiple && correct == 0 {
            say(
                q.line,
                format!("quiz: question `{id}` (multiple) has no option with `correct = true`"),
            );
        } else if !q.multiple && correct != 1 {
            say(
                q.line,
                format!(
                    "quiz: question `{id}` has {correct} options with `correct = true`; exactly one must be (or set `multiple = true`)"
                ),
            );
        }
        for (i, o) in q.options.iter().enumerate() {
            if o.text.trim().is_empty() {
                say(
                    o.line,
                    format!("quiz: option {} of `{id}` has an empty text", i + 1),
                );
            }
            if o.why.trim().is_empty() {
                say(
                    o.why_line,
                    format!(
                        "quiz: option {} of `{id}` has an empty `why`: say why it is right or wrong",
                        i + 1
                    ),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"[[question]]
id = "scaling-replicas"
prompt = "How many replicas?"
kit = "k8s/app/deployment.yaml Deployment /spec/replicas"

[[question.option]]
text = "5"
correct = true
why = "`spec.replicas: 5`."

[[question.option]]
text = "3"
why = "No."

[[question.option]]
text = "1"
why = "No."
"#;

    #[test]
    fn a_good_block_is_read_with_its_lines() {
        let qs = parse(GOOD).unwrap();
        assert_eq!(qs.len(), 1);
        let q = &qs[0];
        assert_eq!(
            (q.id.as_str(), q.line, q.kit_line),
            ("scaling-replicas", 2, 4)
        );
        assert_eq!(q.options.len(), 3);
        assert!(q.options[0].correct && !q.options[1].correct);
        assert_eq!((q.options[1].line, q.options[1].why_line), (12, 13));
        assert!(problems(&qs).is_empty(), "{:?}", problems(&qs));
    }

    #[test]
    fn each_broken_rule_is_one_problem_at_its_line() {
        let unknown = parse(&GOOD.replace("correct = true", "right = true")).unwrap_err();
        assert_eq!(unknown.line, 8, "{unknown:?}");
        assert!(
            unknown.message.contains("unknown field `right`"),
            "{unknown:?}"
        );
        let bad = parse("[[question]\nid = 1").unwrap_err();
        assert_eq!(bad.line, 1, "{bad:?}");
        let cases = [
            (
                GOOD.replace("text = \"3\"\n", "text = \"3\"\ncorrect = true\n"),
                "2 options with `correct = true`",
                2,
            ),
            (
                GOOD.replace("why = \"No.\"\n\n", "why = \" \"\n\n"),
                "empty `why`",
                13,
            ),
            (
                GOOD.replace("scaling-replicas", "Scaling replicas"),
                "must be lower-case",
                2,
            ),
            (
                GOOD.split("\n[[question.option]]\ntext = \"1\"")
                    .next()
                    .unwrap()
                    .to_owned(),
                "has 2 option(s)",
                2,
            ),
        ];
        for (text, message, line) in cases {
            let found = problems(&parse(&text).unwrap());
            assert_eq!(found.len(), 1, "{message}: {found:?}");
            assert!(found[0].message.contains(message), "{found:?}");
            assert_eq!(found[0].line, line, "{found:?}");
        }
        let multiple = GOOD
            .replace("kit = ", "multiple = true\nkit = ")
            .replace("text = \"3\"\n", "text = \"3\"\ncorrect = true\n");
        assert!(problems(&parse(&multiple).unwrap()).is_empty());
    }
}
