//! Drops the CSS rules of merman's stylesheet that cannot match anything in
//! the diagram. The SVG is static (no script adds classes later), so a rule
//! whose selector names a class or attribute that the SVG's text does not
//! contain can never apply. Hand-written because it is a few lines on
//! merman's flat, minified CSS; a full CSS parser would not change the result.

/// The rules of `css` that may match `svg`, in order.
pub fn used_rules(css: &str, svg: &str) -> String {
    let mut out = String::with_capacity(css.len() / 3);
    for rule in top_level_rules(css) {
        let Some(open) = rule.find('{') else { continue };
        let selector = &rule[..open];
        if let Some(name) = selector.trim().strip_prefix("@keyframes") {
            // Kept only when an element's style or a kept rule names it.
            if svg.contains(name.trim()) {
                out.push_str(rule);
            }
            continue;
        }
        if selector.trim_start().starts_with('@') || selector.split(',').any(|s| can_match(s, svg))
        {
            out.push_str(rule);
        }
    }
    out
}

/// Whether every class (`.name`) and attribute (`[name=...]`) the selector
/// needs appears somewhere in the SVG.
fn can_match(selector: &str, svg: &str) -> bool {
    let mut rest = selector;
    while let Some(at) = rest.find(['.', '[']) {
        let marker = rest.as_bytes()[at];
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(after.len());
        let name = &after[..len];
        // The scope class is on the root; ids and numbers (`1.5`) are not names.
        if !name.is_empty()
            && !name.starts_with("dg-")
            && !name.starts_with(|c: char| c.is_ascii_digit())
        {
            let needed = if marker == b'[' {
                format!("{name}=")
            } else {
                name.to_string()
            };
            if !svg.contains(&needed) {
                return false;
            }
        }
        rest = &after[len..];
    }
    true
}

/// `a{..}b{..}@keyframes x{from{..}to{..}}` -> its top-level rules.
fn top_level_rules(css: &str) -> Vec<&str> {
    let mut rules = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in css.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    rules.push(&css[start..=i]);
                    start = i + 1;
                }
            }
            _ => {}
        }
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_for_absent_classes_go() {
        let css = "S{font:1px}S .node rect{a:b}S .error-text{c:d}S [data-color-id=\"x\"] .n{e:f}@keyframes dash{to{x:0}}S .a,S .node{g:h}";
        let svg = "<g class=\"node\"><rect/></g>";
        assert_eq!(
            used_rules(css, svg),
            "S{font:1px}S .node rect{a:b}S .a,S .node{g:h}"
        );
    }
}
