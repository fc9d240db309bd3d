//! The one font of the diagrams: Open Sans Regular (Apache License 2.0), the
//! guide's own body font. The layout measures every label with this font's
//! real advances (shaped with rustybuzz) and the page draws the labels with the
//! same file: `site/theme/fonts/open-sans-regular.woff2`, which the theme's
//! `fonts.css` declares as [`FAMILY`] too (and the deck, for its diagrams). What
//! was measured is what is shown, so labels fit their shapes, and a page
//! downloads the font once for text and diagrams.
//!
//! The `.ttf` (`site/assets/fonts/`, not served) is the `.woff2` decompressed
//! once (fontTools), byte for byte the same glyphs and metrics; rustybuzz reads
//! only uncompressed fonts.

use merman::svg::{DeterministicTextMeasurer, TextMeasurer, TextStyle};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The CSS family name the diagrams are drawn in: the body's Open Sans file
/// under a name of its own, because the body text and the labels want
/// different `font-display`. Text shows at once in a fallback font when the
/// font is late (`optional`: nothing moves); a label waits for the font
/// (`block`): drawn in another font it would not fit the shape measured for
/// it. `site/theme/fonts/fonts.css` (the guide) and
/// [`super::Stylesheet::css`] (the deck) declare it, without `local()`, so an
/// installed Open Sans of another version cannot change the metrics.
pub const FAMILY: &str = "Kit Diagram Sans";
/// What the SVG asks for: our family first, then what a text-only viewer has.
pub const FONT_STACK: &str = "\"Kit Diagram Sans\", \"Open Sans\", sans-serif";

const TTF: &[u8] = include_bytes!("../../assets/fonts/open-sans-regular.ttf");
/// Served to browsers: mdBook copies it from the theme (see `crate::assets`).
pub const WOFF2: &[u8] = include_bytes!("../../theme/fonts/open-sans-regular.woff2");
pub const LICENSE: &[u8] = include_bytes!("../../assets/fonts/OPEN-SANS-LICENSE.txt");

/// Bold labels (`<b>`, sequence titles) are drawn by the browser's synthetic
/// or real bold of the same family; Open Sans Bold is about 6 % wider.
const BOLD_WIDENING: f64 = 1.06;

/// Width of text in CSS pixels, in Open Sans at the style's size.
struct Shaper {
    face: rustybuzz::Face<'static>,
    /// Advance of each string in em, so each label is shaped once per build.
    cache: Mutex<HashMap<String, f64>>,
}

impl Shaper {
    fn width(&self, text: &str, style: &TextStyle) -> f64 {
        if text.is_empty() {
            return 0.0;
        }
        let em = {
            let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            *cache
                .entry(text.to_string())
                .or_insert_with(|| self.advance_em(text))
        };
        let bold = style
            .font_weight
            .as_deref()
            .is_some_and(|w| w == "bold" || w.parse::<u32>().is_ok_and(|n| n >= 600));
        em * style.font_size.max(1.0) * if bold { BOLD_WIDENING } else { 1.0 }
    }

    fn advance_em(&self, text: &str) -> f64 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let shaped = rustybuzz::shape(&self.face, &[], buffer);
        let units: i64 = shaped
            .glyph_positions()
            .iter()
            .map(|g| i64::from(g.x_advance))
            .sum();
        units as f64 / f64::from(self.face.units_per_em())
    }
}

/// A text measurer for merman that uses the shipped font.
pub fn measurer() -> Arc<dyn TextMeasurer + Send + Sync> {
    let face = rustybuzz::Face::from_slice(TTF, 0).expect("the embedded Open Sans parses");
    let shaper = Shaper {
        face,
        cache: Mutex::new(HashMap::new()),
    };
    DeterministicTextMeasurer::default()
        .with_width_callback(move |text, style| shaper.width(text, style))
}
