//! Splits `slides/deck.md` into slides: separators, front matter (layout,
//! classes, `optional: true`) and the `::left::`, `::right::`, `::pause::`,
//! `::notes::` markers (format in `slides/README.md`). Markdown inside a
//! slide is left to `render`.

use anyhow::{Result, bail};

/// How a slide is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Cover,
    Section,
    Default,
    TwoCols,
    Center,
}

impl Layout {
    fn parse(value: &str) -> Option<Layout> {
        Some(match value {
            "cover" => Layout::Cover,
            "section" => Layout::Section,
            "default" => Layout::Default,
            "two-cols" => Layout::TwoCols,
            "center" => Layout::Center,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Layout::Cover => "cover",
            Layout::Section => "section",
            Layout::Default => "default",
            Layout::TwoCols => "two-cols",
            Layout::Center => "center",
        }
    }
}

/// Where a piece of a slide goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// The whole slide, or in `two-cols` what comes before the columns.
    Main,
    Left,
    Right,
}

/// Markdown shown from reveal step `step` on (0: from the start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub region: Region,
    pub step: usize,
    pub markdown: String,
    /// 1-based line in the deck file where this piece starts.
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slide {
    /// 1-based.
    pub number: usize,
    /// 1-based line in the deck file where the slide starts.
    pub line: usize,
    pub layout: Layout,
    pub classes: Vec<String>,
    /// `optional: true`: kept in the deck, skipped by the talk unless the
    /// presenter includes the optional slides (and not counted in its pace).
    pub optional: bool,
    pub pieces: Vec<Piece>,
    /// Number of reveal steps after the first view.
    pub steps: usize,
    pub notes: String,
    pub notes_line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deck {
    /// From the first slide's `title:`; `None` to use its first heading.
    pub title: Option<String>,
    /// From the first slide's `duration:` (minutes): the talk's planned
    /// length, for the presenter view's time left.
    pub duration_minutes: Option<u32>,
    pub slides: Vec<Slide>,
}

/// A fenced code block opener or closer: the fence character and its length.
fn fence(line: &str) -> Option<(char, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line[indent..];
    let c = rest.chars().next()?;
    if c != '`' && c != '~' {
        return None;
    }
    let n = rest.chars().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

/// Tracks whether a line is inside a fenced code block.
#[derive(Default)]
struct Fences {
    open: Option<(char, usize)>,
}

impl Fences {
    /// Feeds a line; true when the line is outside any code block (and is not a fence).
    fn outside(&mut self, line: &str) -> bool {
        match (self.open, fence(line)) {
            (None, Some(f)) => {
                self.open = Some(f);
                false
            }
            (Some((c, n)), Some((c2, n2)))
                if c == c2 && n2 >= n && line.trim()[n2..].trim().is_empty() =>
            {
                self.open = None;
                false
            }
            (Some(_), _) => false,
            (None, None) => true,
        }
    }
}

fn is_front_matter_line(line: &str) -> bool {
    match line.split_once(':') {
        Some((key, _)) => {
            !key.is_empty()
                && key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        }
        None => false,
    }
}

/// Lines of the deck with their 0-based index.
type Lines<'a> = Vec<(usize, &'a str)>;

/// A slide as found: its first line index, front matter lines, body lines.
type RawSlide<'a> = (usize, Lines<'a>, Lines<'a>);

/// Parses the whole deck.
pub fn parse(text: &str) -> Result<Deck> {
    let lines: Vec<&str> = text.lines().collect();
    // (first line index, front matter lines, body lines with their index)
    let mut raw: Vec<RawSlide> = Vec::new();
    let mut fences = Fences::default();
    let mut i = 0;
    let mut current: RawSlide = (0, Vec::new(), Vec::new());
    let mut at_separator = true; // the file's start acts as a separator
    while i < lines.len() {
        let line = lines[i];
        if at_separator {
            at_separator = false;
            // Front matter: `---`, `key: value` lines, `---`. At the file's
            // start the opening `---` is the line itself.
            let open = if i == 0 && line.trim_end() == "---" {
                Some(1)
            } else if i == 0 {
                None
            } else {
                Some(0)
            };
            if let Some(skip) = open {
                let mut j = i + skip;
                while j < lines.len() && is_front_matter_line(lines[j]) {
                    j += 1;
                }
                if j > i + skip && j < lines.len() && lines[j].trim_end() == "---" {
                    current.1 = (i + skip..j).map(|k| (k, lines[k])).collect();
                    i = j + 1;
                    continue;
                }
                if i == 0 && skip == 1 {
                    // A leading `---` without front matter: an empty separator.
                    i += 1;
                    continue;
                }
            }
        }
        if fences.outside(line) && line.trim_end() == "---" {
            raw.push(std::mem::replace(
                &mut current,
                (i + 1, Vec::new(), Vec::new()),
            ));
            at_separator = true;
            i += 1;
            continue;
        }
        current.2.push((i, line));
        i += 1;
    }
    raw.push(current);
    // Drop empty slides (e.g. text before the first separator that is only blank).
    raw.retain(|(_, fm, body)| !fm.is_empty() || body.iter().any(|(_, l)| !l.trim().is_empty()));

    let mut title = None;
    let mut duration_minutes = None;
    let mut slides = Vec::new();
    for (index, (start, front, body)) in raw.into_iter().enumerate() {
        let number = index + 1;
        let mut layout = Layout::Default;
        let mut classes = Vec::new();
        let mut optional = false;
        for (k, line) in front {
            let (key, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.trim();
            let place = format!("slide {number} (deck.md line {})", k + 1);
            match key.trim() {
                "layout" => {
                    layout = Layout::parse(value).ok_or_else(|| {
                        anyhow::anyhow!(
                            "{place}: unknown layout `{value}` (cover, section, default, two-cols, center)"
                        )
                    })?
                }
                "class" => classes.extend(value.split_whitespace().map(str::to_string)),
                "optional" => {
                    optional = match value {
                        "true" => true,
                        "false" => false,
                        _ => bail!("{place}: `optional: {value}` must be `true` or `false`"),
                    };
                    if optional && number == 1 {
                        bail!(
                            "{place}: the first slide opens the talk and cannot be optional"
                        );
                    }
                }
                "title" if number == 1 => title = Some(value.to_string()),
                "duration" if number == 1 => {
                    duration_minutes = Some(value.parse::<u32>().ok().filter(|&m| m > 0).ok_or_else(|| {
                        anyhow::anyhow!(
                            "{place}: `duration: {value}` must be the talk's length in whole minutes, e.g. `duration: 45`"
                        )
                    })?)
                }
                other => bail!(
                    "{place}: unknown front matter key `{other}` (layout, class, optional; first slide: title, duration)"
                ),
            }
        }
        slides.push(split_body(number, start, layout, classes, optional, &body)?);
    }
    if slides.is_empty() {
        bail!("the deck has no slides");
    }
    Ok(Deck {
        title,
        duration_minutes,
        slides,
    })
}

fn split_body(
    number: usize,
    start: usize,
    layout: Layout,
    classes: Vec<String>,
    optional: bool,
    body: &[(usize, &str)],
) -> Result<Slide> {
    let mut pieces: Vec<Piece> = Vec::new();
    let mut region = Region::Main;
    let mut step = 0;
    let mut notes: Option<(usize, String)> = None;
    let mut fences = Fences::default();
    let mut buf = String::new();
    let mut buf_line = body.first().map(|(i, _)| i + 1).unwrap_or(start + 1);
    let flush = |pieces: &mut Vec<Piece>, buf: &mut String, region, step, line| {
        if !buf.trim().is_empty() {
            pieces.push(Piece {
                region,
                step,
                markdown: std::mem::take(buf),
                line,
            });
        }
        buf.clear();
    };
    for &(i, line) in body {
        if let Some((_, text)) = notes.as_mut() {
            text.push_str(line);
            text.push('\n');
            continue;
        }
        let outside = fences.outside(line);
        let marker = if outside { line.trim() } else { "" };
        let place = || format!("slide {number} (deck.md line {})", i + 1);
        match marker {
            "::left::" | "::right::" => {
                if layout != Layout::TwoCols {
                    bail!("{}: `{marker}` is only for `layout: two-cols`", place());
                }
                let next = if marker == "::left::" {
                    Region::Left
                } else {
                    Region::Right
                };
                let order = |r| match r {
                    Region::Main => 0,
                    Region::Left => 1,
                    Region::Right => 2,
                };
                if order(next) <= order(region) && !(region == Region::Main && next == Region::Left)
                {
                    bail!(
                        "{}: `{marker}` out of order (left, then right, once each)",
                        place()
                    );
                }
                // Without `::left::`, what precedes `::right::` is the left column.
                if next == Region::Right && region == Region::Main {
                    flush(&mut pieces, &mut buf, region, step, buf_line);
                    for piece in pieces.iter_mut() {
                        piece.region = Region::Left;
                    }
                } else {
                    flush(&mut pieces, &mut buf, region, step, buf_line);
                }
                region = next;
                buf_line = i + 2;
            }
            "::pause::" => {
                flush(&mut pieces, &mut buf, region, step, buf_line);
                step += 1;
                buf_line = i + 2;
            }
            "::notes::" => {
                flush(&mut pieces, &mut buf, region, step, buf_line);
                notes = Some((i + 2, String::new()));
            }
            _ => {
                if outside
                    && line.trim().starts_with("::")
                    && line.trim().ends_with("::")
                    && line.trim().len() > 4
                {
                    bail!(
                        "{}: unknown marker `{}` (::left::, ::right::, ::pause::, ::notes::)",
                        place(),
                        line.trim()
                    );
                }
                buf.push_str(line);
                buf.push('\n');
            }
        }
    }
    flush(&mut pieces, &mut buf, region, step, buf_line);
    if layout == Layout::TwoCols && !pieces.iter().any(|p| p.region == Region::Right) {
        bail!(
            "slide {number} (deck.md line {}): `layout: two-cols` needs a `::right::` marker",
            start + 1
        );
    }
    // Steps actually used (a trailing `::pause::` adds nothing to reveal).
    let steps = pieces.iter().map(|p| p.step).max().unwrap_or(0);
    let (notes_line, notes) = notes.unwrap_or((0, String::new()));
    Ok(Slide {
        number,
        line: start + 1,
        layout,
        classes,
        optional,
        pieces,
        steps,
        notes,
        notes_line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str = "---\ntitle: T\nlayout: cover\n---\n\n# Cover\n\n::notes::\nSay hi\n\n---\n\n# Plain\n\n- a\n::pause::\n- b\n\n```yaml\n---\nkind: X\n```\n\n---\nlayout: two-cols\nclass: dense wide\n---\n\n# Head\n\n::left::\nL\n::right::\nR\n";

    #[test]
    fn splits_slides_front_matter_and_markers() {
        let deck = parse(DECK).unwrap();
        assert_eq!(deck.title.as_deref(), Some("T"));
        assert_eq!(deck.slides.len(), 3);
        let [cover, plain, cols] = &deck.slides[..] else {
            panic!()
        };
        assert_eq!(cover.layout, Layout::Cover);
        assert_eq!(cover.notes.trim(), "Say hi");
        assert_eq!(plain.steps, 1);
        assert_eq!(plain.pieces.len(), 2);
        // A `---` inside a code fence is YAML, not a separator.
        assert!(plain.pieces[1].markdown.contains("kind: X"));
        assert_eq!(plain.line, 12);
        assert_eq!(cols.layout, Layout::TwoCols);
        assert_eq!(cols.classes, ["dense", "wide"]);
        let regions: Vec<_> = cols.pieces.iter().map(|p| p.region).collect();
        assert_eq!(regions, [Region::Main, Region::Left, Region::Right]);
    }

    #[test]
    fn without_left_marker_everything_before_right_is_left() {
        let deck = parse("---\nlayout: two-cols\n---\n# H\nL\n::right::\nR\n").unwrap();
        let regions: Vec<_> = deck.slides[0].pieces.iter().map(|p| p.region).collect();
        assert_eq!(regions, [Region::Left, Region::Right]);
    }

    #[test]
    fn errors_name_the_slide() {
        let err = parse("# a\n---\nlayout: wide\n---\n# b\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("slide 2") && err.contains("unknown layout `wide`"),
            "{err}"
        );
        let err = parse("# a\n::right::\n").unwrap_err().to_string();
        assert!(err.contains("only for `layout: two-cols`"), "{err}");
        let err = parse("# a\n::pasue::\n").unwrap_err().to_string();
        assert!(err.contains("unknown marker"), "{err}");
        let err = parse("---\ncolour: red\n---\n# a\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown front matter key `colour`"), "{err}");
    }

    #[test]
    fn the_first_slide_sets_the_talks_duration() {
        let deck = parse("---\ntitle: T\nduration: 45\n---\n# a\n").unwrap();
        assert_eq!(deck.duration_minutes, Some(45));
        assert_eq!(parse("# a\n").unwrap().duration_minutes, None);
        let err = parse("---\nduration: soon\n---\n# a\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("whole minutes"), "{err}");
        let err = parse("# a\n---\nduration: 5\n---\n# b\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown front matter key `duration`"), "{err}");
    }

    #[test]
    fn a_slide_can_be_optional_but_not_the_first() {
        let deck = parse(
            "---\ntitle: T\n---\n# a\n---\noptional: true\nclass: dense\n---\n# b\n---\n# c\n",
        )
        .unwrap();
        let optional: Vec<bool> = deck.slides.iter().map(|s| s.optional).collect();
        assert_eq!(optional, [false, true, false]);
        assert_eq!(deck.slides[1].classes, ["dense"]);
        let err = parse("# a\n---\noptional: yes\n---\n# b\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("slide 2") && err.contains("`true` or `false`"),
            "{err}"
        );
        let err = parse("---\noptional: true\n---\n# a\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("first slide opens the talk"), "{err}");
    }

    #[test]
    fn a_deck_without_front_matter_works() {
        let deck = parse("# One\n---\n# Two\n").unwrap();
        assert_eq!(deck.slides.len(), 2);
        assert_eq!(deck.slides[1].layout, Layout::Default);
    }
}
