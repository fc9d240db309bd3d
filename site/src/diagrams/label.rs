//! The accessible name of a diagram: its own title (`title:` in its front
//! matter, or `accTitle:`), else the sentence that introduces it (the
//! paragraph just before it, when that ends with a colon), else the heading
//! of its section.

/// The name for a diagram with source `source`, after the paragraph `intro`
/// (its plain text) in the section titled `heading`.
pub fn name(source: &str, intro: Option<&str>, heading: Option<&str>) -> String {
    if let Some(title) = own_title(source) {
        return title;
    }
    if let Some(sentence) = intro
        .filter(|p| p.trim_end().ends_with(':'))
        .and_then(last_sentence)
    {
        return sentence;
    }
    match heading.and_then(non_empty) {
        Some(h) => format!("Diagram: {h}"),
        None => format!("Diagram: {}", kind(source)),
    }
}

fn own_title(source: &str) -> Option<String> {
    let mut lines = source.lines().map(str::trim);
    let mut in_front_matter = false;
    let mut first = true;
    for line in lines.by_ref() {
        if first && line == "---" {
            in_front_matter = true;
            first = false;
            continue;
        }
        first = false;
        if in_front_matter {
            if line == "---" {
                in_front_matter = false;
            } else if let Some(t) = line.strip_prefix("title:") {
                return non_empty(t);
            }
            continue;
        }
        if let Some(t) = line
            .strip_prefix("accTitle:")
            .or_else(|| line.strip_prefix("title "))
        {
            return non_empty(t);
        }
    }
    None
}

fn non_empty(t: &str) -> Option<String> {
    let t = t.trim().trim_matches('"').trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The last sentence of a paragraph, without a closing colon.
fn last_sentence(paragraph: &str) -> Option<String> {
    let text = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = text.trim().trim_end_matches(':').trim();
    let mut start = 0;
    for (at, _) in text.match_indices(['.', '!', '?']) {
        let next = at + 1;
        let rest = &text[next..];
        if rest.starts_with(' ') && rest[1..].starts_with(|c: char| c.is_uppercase()) {
            start = next + 1;
        }
    }
    non_empty(&text[start..])
}

/// The diagram's type, for a generic name.
fn kind(source: &str) -> &'static str {
    let first = source
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("%%") && *l != "---")
        .unwrap_or("");
    match first.split_whitespace().next().unwrap_or("") {
        "sequenceDiagram" => "sequence",
        "stateDiagram" | "stateDiagram-v2" => "states",
        _ => "flowchart",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_introducing_sentence_names_the_diagram() {
        assert_eq!(
            name(
                "flowchart LR\n a-->b",
                Some("Pods die. What happens next, step by step:"),
                None
            ),
            "What happens next, step by step"
        );
        assert_eq!(
            name("flowchart LR\n a-->b", Some("See e.g. this one:"), None),
            "See e.g. this one"
        );
        assert_eq!(
            name("flowchart LR\n a-->b", Some("Unrelated."), Some("Probes")),
            "Diagram: Probes"
        );
    }

    #[test]
    fn an_own_title_wins() {
        assert_eq!(
            name(
                "---\ntitle: Rollout\n---\nflowchart LR\n a-->b",
                Some("x:"),
                None
            ),
            "Rollout"
        );
        assert_eq!(
            name("sequenceDiagram\n accTitle: Login\n a->>b: x", None, None),
            "Login"
        );
        assert_eq!(
            name("sequenceDiagram\n a->>b: x", None, None),
            "Diagram: sequence"
        );
    }
}
