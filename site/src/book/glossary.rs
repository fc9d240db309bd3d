//! The `glossary` preprocessor: the glossary's entries (`**Term.** text` at
//! the start of a paragraph of `reference/glossary.md`) get a stable anchor
//! (`#pod`, `#api-server`: the term's main name as a slug), and on every
//! other page the first use of each term in the prose is linked to its entry,
//! with the entry's first sentence as the link's title.
//!
//! Only prose is linked: not headings, code (inline or blocks, so not the
//! ```chapter and ```quiz fences either), existing links, image alt text or
//! raw HTML; not the glossary itself, nor the generated source appendix (it
//! is added after this preprocessor runs). The deck is not an mdBook page.
//!
//! How a term is matched (see [`forms`]):
//! - **Aliases.** `A / B` entries are two names for one entry (`Role /
//!   RoleBinding`, `Taint / toleration`); a parenthesis gives another name
//!   (`PersistentVolumeClaim (PVC)`, `API server (kube-apiserver)`), except
//!   code in it (`` Metrics API (`metrics.k8s.io`) ``: code is never linked)
//!   and the few entries in [`OVERRIDES`].
//! - **Longest match first.** At each word the longest name that matches
//!   wins, so `Headless Service` is one link to its entry, and a `Service`
//!   inside it does not count as the first use of `Service`. A name already
//!   linked on the page is still consumed whole, so its words do not link a
//!   shorter entry later.
//! - **Case.** The glossary capitalises each entry's first word because it
//!   starts a sentence, while the guide writes `pod`, `node`, `control
//!   plane`: the first letter matches either case, the rest exactly (`QoS
//!   class`, `hostPath`, `PVC` and any name with a capital inside its first
//!   word match exactly). Except [`EXACT_CASE`]: kinds whose lower-case
//!   spelling is an ordinary word or means something else in the guide (the
//!   demo `service`, a `secret` in general, the `ingress` direction of a
//!   NetworkPolicy).
//! - **Plurals.** The last word also matches with `s` (`Pods`, `PVCs`), `es`
//!   after `s`, `x`, `sh`, `ch` (`Ingresses`), and `y` → `ies`
//!   (`NetworkPolicies`).
//! - **Words.** A match must start and end at a word boundary; `-`, `_`, `/`
//!   and a `.` inside a name (`metrics.k8s.io`) count as part of a word, so
//!   `Pod` is not found in `PodDisruptionBudget` or `kube-proxy` in
//!   `kube-proxy-abcde`.
//! - **Skipped**: [`SKIP`], terms that would match ordinary English words in
//!   a misleading way.

use crate::markdown::{md_links, repo_links};
use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_preprocessor::errors::{Error, Result};
use mdbook_preprocessor::{Preprocessor, PreprocessorContext};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

/// The glossary page, relative to the book's source.
pub const GLOSSARY: &str = "reference/glossary.md";
/// The class of a link to a glossary entry (styled in `assets/site.css`).
pub const LINK_CLASS: &str = "glossary-term";

/// Entries never linked: their names are ordinary words whose first use on a
/// page is usually the ordinary meaning.
const SKIP: &[&str] = &[
    // "what kind of object", and every manifest's `kind:` field.
    "kind",  // "Watch the pods come back" starts many a Try it step.
    "Watch", // "in this context"; the kubeconfig's contexts are named in full.
    "Context",
];

/// Entries whose heading is not a list of names, with the names to match.
const OVERRIDES: &[(&str, &[&str])] = &[
    // The parenthesis says which utilisation, it is not another name (it is
    // the HPA's entry's).
    ("Utilisation (HPA)", &["Utilisation"]),
    // "/ Secret" and "/ Admission" complete the first name.
    (
        "Immutable ConfigMap / Secret",
        &["Immutable ConfigMap", "immutable Secret"],
    ),
    (
        "Pod Security Standards / Admission",
        &["Pod Security Standards", "Pod Security Admission"],
    ),
    // "limit" and "request" alone are mostly ordinary English here ("defaults
    // and limits on this page", the HTTP requests of every Try it).
    ("Limit", &["CPU limit", "memory limit"]),
    ("Request", &["CPU request", "memory request"]),
    // "drain" is also the app's drain of its connections on shutdown.
    ("Cordon / drain", &["Cordon"]),
    // "status" alone is also an HTTP status and `make status`.
    ("Spec / status", &["spec"]),
    // "DNS name" alone is any DNS name.
    ("DNS name of a Service (FQDN)", &["FQDN"]),
];

/// Names matched with their first letter as written (see the module's doc).
const EXACT_CASE: &[&str] = &[
    "Service",
    "Secret",
    "Deployment",
    "Job",
    "Event",
    "Ingress",
    "Role",
    "Recreate",
    "Guaranteed",
    "Operator",
    "Pending",
    "Redis",
];

pub struct Glossary;

/// One entry of the glossary.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The heading as written, without its final full stop.
    pub heading: String,
    pub anchor: String,
    /// Its first sentence, plain text.
    pub title: String,
    /// Where `**Term.**` is in the glossary's Markdown.
    span: Range<usize>,
}

/// A name to look for, and its entry.
#[derive(Debug, Clone)]
struct Form {
    text: String,
    fold_first: bool,
    entry: usize,
}

impl Preprocessor for Glossary {
    fn name(&self) -> &str {
        "glossary"
    }

    fn run(&self, _ctx: &PreprocessorContext, mut book: Book) -> Result<Book> {
        let Some((glossary_page, content)) = book.iter().find_map(|item| match item {
            BookItem::Chapter(c) if c.source_path.as_deref() == Some(Path::new(GLOSSARY)) => {
                Some((c.path.clone()?, c.content.clone()))
            }
            _ => None,
        }) else {
            return Ok(book);
        };
        let entries = entries(&content);
        let mut seen = HashSet::new();
        if let Some(dup) = entries.iter().find(|e| !seen.insert(e.anchor.as_str())) {
            return Err(Error::msg(format!(
                "docs/{GLOSSARY}: two entries have the anchor `#{}`; rename one ({}).",
                dup.anchor, dup.heading
            )));
        }
        let matcher = Matcher::new(&entries);
        let glossary_html = repo_links::chapter_html(&glossary_page);
        book.for_each_chapter_mut(|chapter| {
            if chapter.path.as_deref() == Some(glossary_page.as_path()) {
                chapter.content = with_anchors(&chapter.content, &entries);
            } else if chapter.source_path.is_some() {
                link_chapter(chapter, &matcher, &entries, &glossary_html);
            }
        });
        Ok(book)
    }

    fn supports_renderer(&self, renderer: &str) -> Result<bool> {
        Ok(renderer == "html")
    }
}

fn link_chapter(chapter: &mut Chapter, matcher: &Matcher, entries: &[Entry], glossary: &Path) {
    let href = repo_links::relative_to(&super::page_dir(chapter), glossary);
    chapter.content = link_first_uses(&chapter.content, matcher, |entry, text| {
        let e = &entries[entry];
        format!(
            "<a class=\"{LINK_CLASS}\" href=\"{href}#{}\" title=\"{}\">{text}</a>",
            e.anchor,
            attr(&e.title)
        )
    });
}

/// Text for an HTML attribute in Markdown (a `|` would end a table cell).
fn attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "&#124;")
}

/// The glossary's entries: top-level paragraphs that start with `**Term.**`.
pub fn entries(markdown: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    // (the strong's span, its text, the paragraph's text after it)
    let mut current: Option<(Range<usize>, String, String)> = None;
    let mut in_strong = false;
    let mut paragraph_start = None;
    for (event, range) in Parser::new_ext(markdown, md_links::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => {
                paragraph_start = Some(range.start);
                depth += 1;
            }
            Event::Start(Tag::Strong) if depth == 1 && paragraph_start == Some(range.start) => {
                current = Some((range, String::new(), String::new()));
                in_strong = true;
                depth += 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(TagEnd::Strong) if in_strong => {
                in_strong = false;
                depth -= 1;
            }
            Event::End(TagEnd::Paragraph) if depth == 1 => {
                depth = 0;
                paragraph_start = None;
                if let Some((span, heading, rest)) = current.take()
                    && let Some(heading) = heading.trim().strip_suffix('.')
                {
                    out.push(Entry {
                        heading: heading.to_string(),
                        anchor: slug(main_name(heading)),
                        title: first_sentence(rest.trim()),
                        span,
                    });
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, heading, rest)) = current.as_mut() {
                    if in_strong {
                        heading.push_str(&t);
                    } else {
                        rest.push_str(&t);
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, rest)) = current.as_mut() {
                    rest.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

/// The name an anchor is made from: before any ` / ` or ` (`.
fn main_name(heading: &str) -> &str {
    let end = [heading.find(" / "), heading.find(" (")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(heading.len());
    &heading[..end]
}

/// `API server` → `api-server`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Up to the first full stop that ends a sentence (not `e.g.`, not inside
/// `metrics.k8s.io`); the `→` link to the chapter is left out.
fn first_sentence(text: &str) -> String {
    let text = text.split(" → ").next().unwrap_or(text).trim();
    let mut from = 0;
    while let Some(at) = text[from..].find(". ").map(|i| from + i) {
        let before = &text[..at];
        if !(before.ends_with("e.g") || before.ends_with("i.e") || before.ends_with("etc")) {
            return text[..=at].to_string();
        }
        from = at + 2;
    }
    text.trim_end_matches('→').trim().to_string()
}

/// The names of an entry (see the module's doc).
fn forms(heading: &str) -> Vec<String> {
    if SKIP.contains(&heading) {
        return Vec::new();
    }
    if let Some((_, names)) = OVERRIDES.iter().find(|(h, _)| *h == heading) {
        return names.iter().map(|n| n.to_string()).collect();
    }
    let (base, paren) = match heading.strip_suffix(')').and_then(|h| h.rsplit_once(" (")) {
        Some((base, paren)) => (base, Some(paren)),
        None => (heading, None),
    };
    let mut names: Vec<String> = base.split(" / ").map(|s| s.trim().to_string()).collect();
    if let Some(paren) = paren
        && !paren.contains('`')
    {
        names.push(paren.to_string());
    }
    names.retain(|n| !n.is_empty() && !n.contains('`'));
    names
}

/// `Pod` → `Pods`, `Ingress` → `Ingresses`, `NetworkPolicy` → `NetworkPolicies`.
fn plural(name: &str) -> String {
    let lower = name.to_lowercase();
    if ["s", "x", "sh", "ch"].iter().any(|e| lower.ends_with(e)) {
        format!("{name}es")
    } else if lower.ends_with('y') && !lower.ends_with("ay") && !lower.ends_with("ey") {
        format!("{}ies", &name[..name.len() - 1])
    } else {
        format!("{name}s")
    }
}

/// Whether the first letter of `name` may be either case.
fn folds_first(name: &str) -> bool {
    let first_word = name.split(' ').next().unwrap_or(name);
    !EXACT_CASE.contains(&name) && !first_word.chars().skip(1).any(char::is_uppercase)
}

/// Raw inline HTML elements whose text is not prose.
const INLINE_SKIP: &[&str] = &["a", "code", "kbd", "dfn"];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '/')
}

/// Every name of every entry, by its first word in lower case, longest first.
pub struct Matcher {
    by_first_word: HashMap<String, Vec<Form>>,
}

impl Matcher {
    pub fn new(entries: &[Entry]) -> Matcher {
        let mut by_first_word: HashMap<String, Vec<Form>> = HashMap::new();
        for (entry, e) in entries.iter().enumerate() {
            for name in forms(&e.heading) {
                let fold_first = folds_first(&name);
                for text in [plural(&name), name] {
                    let first = text.split(' ').next().unwrap_or(&text).to_lowercase();
                    by_first_word.entry(first).or_default().push(Form {
                        text,
                        fold_first,
                        entry,
                    });
                }
            }
        }
        for forms in by_first_word.values_mut() {
            forms.sort_by_key(|f| std::cmp::Reverse(f.text.len()));
        }
        Matcher { by_first_word }
    }

    /// The longest name starting at `at` in `text` (a word start), and its
    /// length in bytes.
    fn at(&self, text: &str, at: usize) -> Option<(usize, usize)> {
        let rest = &text[at..];
        let word_end = rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
        let word = rest[..word_end].to_lowercase();
        // A word ending in `.` + letter (`metrics.k8s.io`) is not a name.
        let candidates = self.by_first_word.get(&word)?;
        candidates.iter().find_map(|form| {
            let len = form.text.len();
            let found = rest.get(..len)?;
            let same = if form.fold_first {
                let mut a = found.chars();
                let mut b = form.text.chars();
                a.next()?.to_lowercase().eq(b.next()?.to_lowercase()) && a.as_str() == b.as_str()
            } else {
                found == form.text
            };
            let after = &rest[len..];
            let mut next = after.chars();
            let boundary = match next.next() {
                None => true,
                Some('.') => !next.next().is_some_and(char::is_alphanumeric),
                Some(c) => !is_word_char(c),
            };
            (same && boundary).then_some((form.entry, len))
        })
    }
}

/// `markdown` with the first use of each entry in its prose wrapped by
/// `link(entry, text)`.
pub fn link_first_uses(
    markdown: &str,
    matcher: &Matcher,
    link: impl Fn(usize, &str) -> String,
) -> String {
    let mut linked = HashSet::new();
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    // Inside a heading, link, image, code block or metadata: not prose.
    let mut skip = 0usize;
    for (event, range) in Parser::new_ext(markdown, md_links::options()).into_offset_iter() {
        match event {
            Event::Start(
                Tag::Heading { .. }
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::CodeBlock(_)
                | Tag::MetadataBlock(_)
                | Tag::HtmlBlock,
            ) => skip += 1,
            Event::End(
                TagEnd::Heading(_)
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::CodeBlock
                | TagEnd::MetadataBlock(_)
                | TagEnd::HtmlBlock,
            ) => skip = skip.saturating_sub(1),
            // Raw inline links and code (`<a href>`, `<code>`) are not prose either.
            Event::InlineHtml(html) => {
                let tag = html.trim_start_matches('<').to_ascii_lowercase();
                let name = |t: &str| {
                    t.split(|c: char| !c.is_ascii_alphanumeric())
                        .next()
                        .unwrap_or("")
                        .to_string()
                };
                if let Some(closing) = tag.strip_prefix('/') {
                    if INLINE_SKIP.contains(&name(closing).as_str()) {
                        skip = skip.saturating_sub(1);
                    }
                } else if INLINE_SKIP.contains(&name(&tag).as_str()) && !tag.ends_with("/>") {
                    skip += 1;
                }
            }
            Event::Text(_) if skip == 0 => {
                let text = &markdown[range.clone()];
                let mut i = 0;
                while i < text.len() {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    let prev = markdown[..range.start + i].chars().next_back();
                    let starts_word =
                        is_word_char(c) && !prev.is_some_and(|p| is_word_char(p) || p == '.');
                    if starts_word && let Some((entry, len)) = matcher.at(text, i) {
                        if linked.insert(entry) {
                            let at = range.start + i;
                            edits.push((at..at + len, link(entry, &text[i..i + len])));
                        }
                        i += len;
                        continue;
                    }
                    i += c.len_utf8();
                }
            }
            _ => {}
        }
    }
    let mut out = markdown.to_string();
    for (range, replacement) in edits.into_iter().rev() {
        out.replace_range(range, &replacement);
    }
    out
}

/// The glossary with each entry's term wrapped in `<dfn id="anchor">`.
fn with_anchors(markdown: &str, entries: &[Entry]) -> String {
    let mut out = markdown.to_string();
    let mut spans: Vec<&Entry> = entries.iter().collect();
    spans.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    for e in spans {
        let term = &markdown[e.span.clone()];
        out.replace_range(
            e.span.clone(),
            &format!("<dfn id=\"{}\">{term}</dfn>", e.anchor),
        );
    }
    out
}

/// The glossary's anchors and titles, for the tests.
pub fn anchors(glossary_markdown: &str) -> Vec<(String, String)> {
    entries(glossary_markdown)
        .into_iter()
        .map(|e| (e.heading, e.anchor))
        .collect()
}

/// Where a page links the glossary: (anchor, linked text), in order.
pub fn links_on(markdown: &str, glossary_markdown: &str) -> Vec<(String, String)> {
    let entries = entries(glossary_markdown);
    let matcher = Matcher::new(&entries);
    let found = std::cell::RefCell::new(Vec::new());
    link_first_uses(markdown, &matcher, |entry, text| {
        found
            .borrow_mut()
            .push((entries[entry].anchor.clone(), text.to_string()));
        String::new()
    });
    found.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLOSSARY_MD: &str = "# Glossary\n\n## P\n\n**Pod.** The smallest unit, e.g. one container. More.\n\n\
        **PersistentVolumeClaim (PVC).** A claim. → [Storage](x.md)\n\n**Service.** A stable name.\n\n\
        **Headless Service.** A Service with no IP.\n\n**kind.** A tool.\n\n**Taint / toleration.** Keeps pods off.\n";

    #[test]
    fn entries_get_anchors_and_first_sentences() {
        let e = entries(GLOSSARY_MD);
        let pairs: Vec<_> = e
            .iter()
            .map(|e| (e.anchor.as_str(), e.title.as_str()))
            .collect();
        assert_eq!(pairs[0], ("pod", "The smallest unit, e.g. one container."));
        assert_eq!(pairs[1], ("persistentvolumeclaim", "A claim."));
        assert_eq!(pairs[5].0, "taint");
    }

    #[test]
    fn first_uses_longest_names_and_case() {
        let page = "# Pods\n\nA pod runs. Pods again. A headless Service, then a Service. \
                    The demo service. A PVC and `Pod` and [a pod](x.md). Tolerations. kind of.\n";
        let links = links_on(page, GLOSSARY_MD);
        let texts: Vec<_> = links.iter().map(|(a, t)| format!("{a}={t}")).collect();
        assert_eq!(
            texts,
            [
                "pod=pod",
                "headless-service=headless Service",
                "service=Service",
                "persistentvolumeclaim=PVC",
                "taint=Tolerations"
            ]
        );
    }

    #[test]
    fn names_inside_other_words_do_not_match() {
        let page = "PodDisruptionBudget and pod-template and k8s.pod.io and /pods/ here.\n";
        assert!(links_on(page, GLOSSARY_MD).is_empty());
    }
}
