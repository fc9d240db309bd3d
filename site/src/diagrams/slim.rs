//! Makes merman's SVG smaller without changing what it draws: coordinates
//! rounded to 1/100 px (invisible at any zoom a reader uses), empty style
//! attributes dropped, markers (arrow heads) that no line uses removed, and
//! the data attributes mermaid keeps for its own scripts (an edge's points as
//! base64 JSON, ids, "look") dropped: no style or script of ours reads them.
//! Also a class named twice in one `class` is named once, and the labels'
//! XHTML namespace goes (below). The deck inlines a dozen diagrams, so this
//! halves its weight.

/// Attributes no stylesheet or script of the site reads (merman's CSS
/// selects on `data-color-id`, which stays).
const UNUSED_ATTRIBUTES: &[&str] = &[
    "data-points",
    "data-edge",
    "data-et",
    "data-id",
    "data-look",
];

/// The XHTML namespace merman writes on each label's `<div>` inside a
/// `<foreignObject>`. The SVG is inline in an HTML page, whose parser makes
/// a foreignObject's children HTML elements whatever they say (there an
/// `xmlns` may only repeat the HTML namespace): it changes nothing. 4 KB of
/// the deck.
const XHTML_NAMESPACE: &str = " xmlns=\"http://www.w3.org/1999/xhtml\"";

/// The slimmed SVG.
pub fn slim(svg: &str) -> String {
    let svg = round_in_tags(svg);
    let svg = svg.replace(" style=\"\"", "").replace(XHTML_NAMESPACE, "");
    let svg = drop_attributes(&svg, UNUSED_ATTRIBUTES);
    let svg = dedupe_classes(&svg);
    drop_unused_markers(&svg)
}

/// Each ` class="..."` with every class once, in its first place (merman
/// names an edge's `edge-thickness-normal edge-pattern-solid` twice).
fn dedupe_classes(svg: &str) -> String {
    const NEEDLE: &str = " class=\"";
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find(NEEDLE) {
        let value_at = at + NEEDLE.len();
        let Some(len) = rest[value_at..].find('"') else {
            break;
        };
        let mut seen: Vec<&str> = Vec::new();
        for class in rest[value_at..value_at + len].split_whitespace() {
            if !seen.contains(&class) {
                seen.push(class);
            }
        }
        out.push_str(&rest[..value_at]);
        out.push_str(&seen.join(" "));
        rest = &rest[value_at + len..];
    }
    out.push_str(rest);
    out
}

/// Removes ` name="..."` for each of `names` (merman writes attribute values
/// with `"` escaped, so a value ends at the next `"`).
fn drop_attributes(svg: &str, names: &[&str]) -> String {
    let mut svg = svg.to_string();
    for name in names {
        let needle = format!(" {name}=\"");
        let mut out = String::with_capacity(svg.len());
        let mut rest = svg.as_str();
        while let Some(at) = rest.find(&needle) {
            out.push_str(&rest[..at]);
            let value = &rest[at + needle.len()..];
            match value.find('"') {
                Some(end) => rest = &value[end + 1..],
                None => {
                    rest = &rest[at..];
                    break;
                }
            }
        }
        out.push_str(rest);
        svg = out;
    }
    svg
}

/// Rounds numbers with more than two decimals inside tags (not in text).
fn round_in_tags(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut in_tag = false;
    let bytes = svg.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'<' {
            in_tag = true;
        } else if c == b'>' {
            in_tag = false;
        }
        if in_tag && c.is_ascii_digit() && (i == 0 || !is_word(bytes[i - 1])) {
            let int_len = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
            let after = i + int_len;
            if bytes.get(after) == Some(&b'.') {
                let frac = bytes[after + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                if frac > 2 {
                    let end = after + 1 + frac;
                    if let Ok(v) = svg[i..end].parse::<f64>() {
                        let r = format!("{v:.2}");
                        out.push_str(r.trim_end_matches('0').trim_end_matches('.'));
                        i = end;
                        continue;
                    }
                }
            }
            out.push_str(&svg[i..after]);
            i = after;
            continue;
        }
        let ch = svg[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// A digit right after another digit or a point continues a number already
/// copied. (Path commands like `M409.239` start a number after a letter.)
fn is_word(b: u8) -> bool {
    b.is_ascii_digit() || b == b'.'
}

/// Removes `<marker id="x">...</marker>` elements never referenced as `#x`.
fn drop_unused_markers(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find("<marker ") {
        let Some(len) = rest[at..].find("</marker>") else {
            break;
        };
        let element = &rest[at..at + len + "</marker>".len()];
        out.push_str(&rest[..at]);
        let id = element
            .split_once(" id=\"")
            .and_then(|(_, r)| r.split_once('"'))
            .map(|(id, _)| id);
        if id.is_some_and(|id| svg.contains(&format!("#{id})"))) {
            out.push_str(element);
        }
        rest = &rest[at + element.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_tags_are_rounded_but_text_is_not() {
        assert_eq!(
            slim(
                "<g transform=\"translate(773.4541015625,59.5)\" style=\"\"><path d=\"M409.239,130L5.004\"/><p>v1.23456</p></g>"
            ),
            "<g transform=\"translate(773.45,59.5)\"><path d=\"M409.24,130L5\"/><p>v1.23456</p></g>"
        );
    }

    #[test]
    fn unused_data_attributes_go() {
        assert_eq!(
            slim(
                "<path d=\"M1,2\" data-edge=\"true\" data-points=\"W3s=\" data-id=\"e0\" data-color-id=\"color-1\"/><p>data-id=\"x\"</p>"
            ),
            "<path d=\"M1,2\" data-color-id=\"color-1\"/><p>data-id=\"x\"</p>"
        );
    }

    #[test]
    fn a_class_named_twice_is_named_once_and_the_labels_namespace_goes() {
        assert_eq!(
            slim(
                "<path class=\"a b a  b c\"/><foreignObject><div xmlns=\"http://www.w3.org/1999/xhtml\" class=\"x\"><p>a a</p></div></foreignObject>"
            ),
            "<path class=\"a b c\"/><foreignObject><div class=\"x\"><p>a a</p></div></foreignObject>"
        );
    }

    #[test]
    fn unused_markers_go() {
        let svg = "<marker id=\"a\"><path/></marker><marker id=\"b\"><path/></marker><path marker-end=\"url(#b)\"/>";
        assert_eq!(
            slim(svg),
            "<marker id=\"b\"><path/></marker><path marker-end=\"url(#b)\"/>"
        );
    }
}
