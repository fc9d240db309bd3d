//! A drawn diagram placed in a page: an accessible, scalable `<figure>`, and
//! the one stylesheet all diagrams of a build share.
//!
//! merman puts a ~20 KB stylesheet in every SVG, scoped by the SVG's id; most
//! diagrams of one kind share it word for word. Each stylesheet is scoped by a
//! class named after its content instead (`.dg-1a2b3c4d`) and written once per
//! page (a guide page's `<style>`, the deck's), so a page with six diagrams
//! does not carry six copies, and a page without diagrams carries none.

use super::{font, prune, render::Drawn, slim, theme};
use std::collections::{BTreeMap, BTreeSet};

/// Labels may shrink with the column down to this share of their size, and
/// no further (the guide's text is 16 px, so labels stay ≥ 12.8 px: 80 % of
/// the body text); below that the diagram scrolls sideways instead.
pub const BODY_TEXT_PX: f64 = 16.0;
pub const SMALLEST_LABEL_SHARE: f64 = 0.8;

/// Labels are HTML inside the SVG (`foreignObject`), so the page's own
/// rules reach them: mdBook's `.content p` line height, and the line breaks
/// its HTML writer puts before `<p>` and `<div>`, which merman's
/// `white-space: break-spaces` would draw as empty lines. Labels get back
/// exactly the text layout merman measured.
const PAGE_CSS_RESET: &str = ".dg foreignObject div[style*=\"break-spaces\"]{white-space:normal!important}\
.dg foreignObject p{margin:0;line-height:inherit;font-size:inherit}";

const DARK_EDGE_LABELS: &str = ":is(.navy, .coal, .ayu) .dg :is(.edgeLabel, .edgeLabel p, .labelBkg){background-color:#3b4150!important}\
:is(.navy, .coal, .ayu) .dg .edgeLabel rect{fill:#3b4150!important}";

/// The styles of all diagrams of one build.
#[derive(Debug, Default, Clone)]
pub struct Stylesheet {
    /// Scope class -> its rules.
    variants: BTreeMap<String, String>,
    /// Every colour used, for the dark themes' values.
    colours: BTreeSet<String>,
}

/// How a figure is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A guide page: keeps labels legible (scrolls sideways when the column
    /// is too narrow) and offers a full-size view.
    Guide,
    /// A slide: fits the 16:9 frame.
    Slide,
}

impl Stylesheet {
    /// The CSS for every diagram seen so far, with the diagram font declared
    /// at `font_url` (relative to the page or stylesheet that holds this CSS):
    /// for pages without the guide's `fonts.css` (the deck, the comparison).
    pub fn css(&self, font_url: &str) -> String {
        format!(
            "@font-face{{font-family:\"{}\";font-style:normal;font-weight:400;font-display:block;src:url(\"{font_url}\") format(\"woff2\");}}\n{}",
            font::FAMILY,
            self.rules()
        )
    }

    /// The CSS for every diagram seen so far, without the font (a guide page
    /// has it from the theme's `fonts.css`).
    pub fn rules(&self) -> String {
        let mut out = format!(
            "/* Diagrams drawn at build time (site/src/diagrams); generated, do not edit. */\n{PAGE_CSS_RESET}\n"
        );
        for css in self.variants.values() {
            out.push_str(css);
            out.push('\n');
        }
        out.push_str(&theme::dark_rules(
            &self.colours,
            ".navy .dg, .coal .dg, .ayu .dg",
        ));
        out.push('\n');
        // Edge labels' backgrounds are hsl()/rgba() values, which `theme`
        // leaves alone: give them a dark surface so their light text shows.
        out.push_str(DARK_EDGE_LABELS);
        out.push('\n');
        out
    }

    pub fn is_empty(&self) -> bool {
        self.variants.is_empty()
    }

    /// Adds the styles of another stylesheet (the deck's to the guide's).
    pub fn merge(&mut self, other: &Stylesheet) {
        self.variants
            .extend(other.variants.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.colours.extend(other.colours.iter().cloned());
    }

    /// The `<figure>` for a drawn diagram with id `id`, named `label` for
    /// assistive technology; its styles join this stylesheet.
    pub fn figure(&mut self, drawn: &Drawn, id: &str, label: &str, place: Place) -> String {
        let used = prune::used_rules(&drawn.css, &drawn.svg);
        let scoped = without_id_filters(&replace_id(&used, id, "SCOPE"), id);
        let class = format!("dg-{:08x}", fnv1a(scoped.as_bytes()));
        let css = theme::variables(
            &scoped.replace("SCOPE", &format!(".{class}")),
            &mut self.colours,
        );
        self.variants.entry(class.clone()).or_insert(css);

        let svg = theme::variables(&slim::slim(&drawn.svg), &mut self.colours);
        let svg = root_attributes(&svg, &class, label, drawn.width, drawn.height);
        // An HTML block in Markdown ends at a blank line: keep it on one line.
        let svg = svg.replace(['\n', '\r'], " ");
        // Above 1 when the diagram's own labels are already smaller than the
        // floor (sequence numbers are 12 px): it then never shrinks, and grows.
        let scale = BODY_TEXT_PX * SMALLEST_LABEL_SHARE / drawn.smallest_font_px;
        let style = format!(
            "--dg-w:{:.0}px;--dg-h:{:.0}px;--dg-min:{:.0}px",
            drawn.width.ceil(),
            drawn.height.ceil(),
            (drawn.width * scale).ceil()
        );
        match place {
            Place::Guide => format!(
                "<figure class=\"diagram\" style=\"{style}\"><div class=\"diagram-frame\" tabindex=\"0\">{svg}</div>\
                 <button type=\"button\" class=\"diagram-zoom\" aria-expanded=\"false\" aria-label=\"Show the diagram full size\" title=\"Full size\">⤢</button></figure>"
            ),
            Place::Slide => format!("<figure class=\"diagram\" style=\"{style}\">{svg}</figure>"),
        }
    }
}

/// Drops `filter:url(#id-drop-shadow)` declarations: mermaid 12's 6 %
/// shadows are barely visible, wrong on dark themes, and naming the diagram's
/// own id they would make every diagram's stylesheet unique.
fn without_id_filters(css: &str, id: &str) -> String {
    let needle = format!("filter:url(#{id}-");
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find(&needle) {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = after.find([';', '}']).unwrap_or(after.len());
        let skip = if after[end..].starts_with(';') {
            end + 1
        } else {
            end
        };
        rest = &after[skip..];
    }
    out.push_str(rest);
    out
}

/// Replaces the CSS id selector `#id` (not `#id-suffix`) by `with`.
fn replace_id(css: &str, id: &str, with: &str) -> String {
    let needle = format!("#{id}");
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(at) = rest.find(&needle) {
        let after = &rest[at + needle.len()..];
        out.push_str(&rest[..at]);
        if after.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            out.push_str(&needle);
        } else {
            out.push_str(with);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Rewrites the root `<svg ...>` tag: our classes, the natural size (the
/// page's CSS scales it), and an accessible name in place of merman's roles.
fn root_attributes(svg: &str, class: &str, label: &str, width: f64, height: f64) -> String {
    let Some(end) = svg.find('>') else {
        return svg.to_string();
    };
    let mut root = svg[..end].to_string();
    for attr in [
        "width",
        "style",
        "role",
        "aria-roledescription",
        "class",
        "height",
    ] {
        remove_attr(&mut root, attr);
    }
    let kind = diagram_kind(&svg[..end]);
    format!(
        "{root} class=\"dg {class} {kind}\" width=\"{:.0}\" height=\"{:.0}\" role=\"img\" aria-label=\"{}\">{}",
        width.ceil(),
        height.ceil(),
        escape_attr(label),
        &svg[end + 1..]
    )
}

/// merman's class on the root (`flowchart`, `statediagram`, ...), which its
/// CSS may use.
fn diagram_kind(root: &str) -> String {
    attr_value(root, "class").unwrap_or_default()
}

fn attr_value(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let at = tag.find(&needle)? + needle.len();
    Some(tag[at..at + tag[at..].find('"')?].to_string())
}

fn remove_attr(tag: &mut String, name: &str) {
    let needle = format!(" {name}=\"");
    if let Some(at) = tag.find(&needle)
        && let Some(len) = tag[at + needle.len()..].find('"')
    {
        tag.replace_range(at..at + needle.len() + len + 1, "");
    }
}

pub fn escape_attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// FNV-1a, 32 bits: a short, stable name for a stylesheet's content.
fn fnv1a(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for b in bytes {
        hash ^= u32::from(*b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_selector_is_replaced_but_longer_ids_stay() {
        assert_eq!(
            replace_id("#d1{a}#d1 .x{}url(#d1-shadow)#d10{}", "d1", "S"),
            "S{a}S .x{}url(#d1-shadow)#d10{}"
        );
    }

    #[test]
    fn filters_naming_the_diagram_go() {
        assert_eq!(
            without_id_filters(
                "a{stroke:red;filter:url(#d1-drop-shadow);}b{filter:url(#d1-x)}",
                "d1"
            ),
            "a{stroke:red;}b{}"
        );
    }

    #[test]
    fn the_root_gets_a_name_and_its_size() {
        let out = root_attributes(
            "<svg id=\"d\" width=\"100%\" class=\"flowchart\" style=\"max-width: 9px;\" viewBox=\"0 0 9 5\" role=\"graphics-document document\"><g/></svg>",
            "dg-1",
            "A \"box\"",
            9.0,
            5.0,
        );
        assert_eq!(
            out,
            "<svg id=\"d\" viewBox=\"0 0 9 5\" class=\"dg dg-1 flowchart\" width=\"9\" height=\"5\" role=\"img\" aria-label=\"A &quot;box&quot;\"><g/></svg>"
        );
    }
}
