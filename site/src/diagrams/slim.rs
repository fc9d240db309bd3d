//! Makes merman's SVG smaller without changing what it draws: coordinates
//! rounded to 1/100 px (invisible at any zoom a reader uses), empty style
//! attributes dropped, markers (arrow heads) that no line uses removed, and
//! the data attributes mermaid keeps for its own scripts (an edge's points as
//! base64 JSON, ids, "look") dropped: no style or script of ours reads them.
//! The deck inlines a dozen diagrams, so this halves its weight.

/// Attributes no stylesheet or script of the site reads (merman's CSS
/// selects on `data-color-id`, which stays).
const UNUSED_ATTRIBUTES: &[&str] = &[
    "data-points",
    "data-edge",
    "data-et",
    "data-id",
    "data-look",
];

/// The slimmed SVG.
pub fn slim(svg: &str) -> String {
    let svg = round_in_tags(svg);
    let svg = svg.replace(" style=\"\"", "");
    let svg = drop_attributes(&svg, UNUSED_ATTRIBUTES);
    drop_unused_markers(&svg)
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
    fn unused_markers_go() {
        let svg = "<marker id=\"a\"><path/></marker><marker id=\"b\"><path/></marker><path marker-end=\"url(#b)\"/>";
        assert_eq!(
            slim(svg),
            "<marker id=\"b\"><path/></marker><path marker-end=\"url(#b)\"/>"
        );
    }
}
