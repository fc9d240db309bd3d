//! Colours that follow mdBook's themes. merman writes fixed colours (mermaid's
//! light theme); every one of them becomes a CSS variable named after its
//! light value, `var(--dg-c28253d, #28253d)`, so the light theme needs no
//! rules at all and the dark themes (navy, coal, ayu) redefine each variable
//! with the same hue at the opposite lightness ([`dark_rules`]).

use std::collections::BTreeSet;

/// Replaces every `#rgb`/`#rrggbb` colour in `text` by its variable and
/// records the colour in `seen`. Anything else (ids like `url(#dg3-x)`, rgba()
/// and hsl() values) is left alone: only hex colours are themed.
pub fn variables(text: &str, seen: &mut BTreeSet<String>) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut last = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'#' && is_colour_context(&bytes[..i]) {
            let len = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_hexdigit())
                .count();
            let ends_word = bytes
                .get(i + 1 + len)
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_'));
            if (len == 3 || len == 6) && ends_word {
                let hex = normalise(&text[i + 1..i + 1 + len]);
                out.push_str(&text[last..i]);
                out.push_str(&format!("var(--dg-c{hex}, #{hex})"));
                seen.insert(hex);
                i += 1 + len;
                last = i;
                continue;
            }
        }
        i += 1;
    }
    out.push_str(&text[last..]);
    out
}

/// A `#` starts a colour after `:`, `=` + quote, `,` or a space inside a
/// value; after `{`, `;` or the start of a selector it is an id.
fn is_colour_context(before: &[u8]) -> bool {
    let prev = before.iter().rev().find(|b| **b != b' ');
    matches!(prev, Some(b':' | b'"' | b'\'' | b',' | b'('))
}

fn normalise(hex: &str) -> String {
    let hex = hex.to_ascii_lowercase();
    if hex.len() == 3 {
        hex.chars().flat_map(|c| [c, c]).collect()
    } else {
        hex
    }
}

/// The dark themes' values of every variable in `colours`.
pub fn dark_rules(colours: &BTreeSet<String>, scope: &str) -> String {
    let mut out = format!("{scope} {{");
    for hex in colours {
        out.push_str(&format!("--dg-c{hex}:#{};", dark(hex)));
    }
    out.push('}');
    out
}

/// Same hue and saturation, lightness mirrored (white paper becomes the dark
/// page, dark ink becomes light ink), saturation eased so pastels stay calm.
fn dark(hex: &str) -> String {
    let v = u32::from_str_radix(hex, 16).unwrap_or(0);
    let (r, g, b) = (
        f64::from((v >> 16) & 0xff) / 255.0,
        f64::from((v >> 8) & 0xff) / 255.0,
        f64::from(v & 0xff) / 255.0,
    );
    let (h, s, l) = rgb_to_hsl(r, g, b);
    // Light fills (l > 0.85) turn into a slightly lifted dark surface rather
    // than pure black, so boxes stay visible on navy/coal/ayu backgrounds.
    let l2 = if l > 0.85 {
        0.12 + (1.0 - l) * 0.8
    } else {
        1.0 - l * 0.9
    };
    let (r, g, b) = hsl_to_rgb(h, s * 0.7, l2.clamp(0.0, 1.0));
    let c = |x: f64| (x * 255.0).round().clamp(0.0, 255.0) as u8;
    format!("{:02x}{:02x}{:02x}", c(r), c(g), c(b))
}

fn rgb_to_hsl(r: f64, g: f64, b: f64) -> (f64, f64, f64) {
    let max = r.max(g).max(b);
    let min = r.min(g).min(b);
    let l = (max + min) / 2.0;
    if (max - min).abs() < f64::EPSILON {
        return (0.0, 0.0, l);
    }
    let d = max - min;
    let s = if l > 0.5 {
        d / (2.0 - max - min)
    } else {
        d / (max + min)
    };
    let h = if max == r {
        (g - b) / d + if g < b { 6.0 } else { 0.0 }
    } else if max == g {
        (b - r) / d + 2.0
    } else {
        (r - g) / d + 4.0
    };
    (h / 6.0, s, l)
}

fn hsl_to_rgb(h: f64, s: f64, l: f64) -> (f64, f64, f64) {
    if s == 0.0 {
        return (l, l, l);
    }
    let q = if l < 0.5 {
        l * (1.0 + s)
    } else {
        l + s - l * s
    };
    let p = 2.0 * l - q;
    let f = |mut t: f64| {
        if t < 0.0 {
            t += 1.0;
        }
        if t > 1.0 {
            t -= 1.0;
        }
        if t < 1.0 / 6.0 {
            p + (q - p) * 6.0 * t
        } else if t < 0.5 {
            q
        } else if t < 2.0 / 3.0 {
            p + (q - p) * (2.0 / 3.0 - t) * 6.0
        } else {
            p
        }
    };
    (f(h + 1.0 / 3.0), f(h), f(h - 1.0 / 3.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_become_variables_and_ids_stay() {
        let mut seen = BTreeSet::new();
        let out = variables(
            "#dg1 .a{fill:#FFF;stroke:#28253D;filter:url(#dg1-x)}<rect fill=\"#ececff\"/>",
            &mut seen,
        );
        assert_eq!(
            out,
            "#dg1 .a{fill:var(--dg-cffffff, #ffffff);stroke:var(--dg-c28253d, #28253d);filter:url(#dg1-x)}<rect fill=\"var(--dg-cececff, #ececff)\"/>"
        );
        assert_eq!(seen.len(), 3);
    }

    #[test]
    fn dark_mirrors_lightness() {
        assert!(dark("ffffff").starts_with('2') || dark("ffffff").starts_with('1'));
        assert_eq!(dark("000000"), "ffffff");
    }
}
