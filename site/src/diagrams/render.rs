//! One diagram: mermaid source in, an SVG (without its stylesheet) out.

use super::font;
use merman::svg::{
    MeasurementProfileId, TextMeasurementPolicy, TextMeasurementProfile,
    TextMeasurementProfileIdentity,
};
use merman::{
    Engine, MermaidConfig, OperationControl, RenderOutput, RenderRequest, Renderer, SvgEnvironment,
    SvgRequest,
};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// A drawn diagram, before it is placed in a page.
#[derive(Debug, Clone)]
pub struct Drawn {
    /// The `<svg>` element with merman's `<style>` removed.
    pub svg: String,
    /// merman's stylesheet for it, scoped by `#{id}`.
    pub css: String,
    /// Natural size in CSS pixels (the viewBox).
    pub width: f64,
    pub height: f64,
    /// The smallest font size any label uses, in CSS pixels at natural size.
    pub smallest_font_px: f64,
}

/// A diagram that could not be drawn: the message and the line of the
/// diagram's source (1-based, counted from the first line inside the fence).
#[derive(Debug, Clone)]
pub struct DiagramError {
    pub line: usize,
    pub message: String,
}

struct Setup {
    renderer: Renderer,
    request: SvgRequest,
}

/// merman configured once: mermaid's defaults, our font for measuring and
/// drawing, strict parsing (an unknown keyword is an error, not a guess).
fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let site_config = MermaidConfig::from_value(serde_json::json!({
            "fontFamily": font::FONT_STACK,
        }));
        let renderer = Renderer::new()
            .with_engine(Engine::new().with_site_config(site_config))
            .with_parse_options(merman::ParseOptions::strict());
        let identity = TextMeasurementProfileIdentity::new(
            MeasurementProfileId::new("k8s-kit.open-sans").expect("a valid profile id"),
            "1:OpenSans-Regular".to_string(),
        )
        .expect("a valid profile identity");
        let policy =
            TextMeasurementPolicy::uniform(TextMeasurementProfile::new(identity, font::measurer()));
        let request = SvgRequest {
            environment: SvgEnvironment::deterministic().with_text_measurement_policy(policy),
            ..Default::default()
        };
        Setup { renderer, request }
    })
}

/// Draws one diagram; `id` must be unique in the page (markers and filters
/// are referenced by it). Drawings are kept for the life of the process, so
/// `make docs` redraws only the diagrams a save changed (a rebuild after a
/// save stays well under a second).
pub fn draw(source: &str, id: &str) -> Result<Drawn, DiagramError> {
    type Cache = Mutex<HashMap<(String, String), Drawn>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let key = (source.to_string(), id.to_string());
    if let Some(drawn) = cache.lock().unwrap_or_else(|p| p.into_inner()).get(&key) {
        return Ok(drawn.clone());
    }
    let drawn = draw_uncached(source, id)?;
    cache
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(key, drawn.clone());
    Ok(drawn)
}

fn draw_uncached(source: &str, id: &str) -> Result<Drawn, DiagramError> {
    let s = setup();
    let mut request = s.request.clone();
    request.options.diagram_id = Some(id.to_string());
    let out = s
        .renderer
        .render(RenderRequest::svg(source, OperationControl::new(), request));
    let svg = match out {
        Ok(RenderOutput::Svg(Some(svg))) => svg.svg().to_string(),
        Ok(_) => {
            return Err(DiagramError {
                line: 1,
                message:
                    "no mermaid diagram found (the first line names its type, e.g. `flowchart LR`)"
                        .into(),
            });
        }
        Err(merman::RenderError::Parse(d)) => {
            let details = d.terminal_diagnostic_details();
            let line = details
                .span
                .map(|s| source[..s.start.min(source.len())].matches('\n').count() + 1)
                .unwrap_or(1);
            return Err(DiagramError {
                line,
                message: d.terminal_safe_message(),
            });
        }
        Err(e) => {
            return Err(DiagramError {
                line: 1,
                message: e.to_string(),
            });
        }
    };
    let (svg, css) = split_style(&svg);
    let (width, height) = view_box(&svg).ok_or_else(|| DiagramError {
        line: 1,
        message: "merman drew an SVG without a viewBox".into(),
    })?;
    let smallest_font_px = smallest_font(&super::prune::used_rules(&css, &svg), &svg);
    Ok(Drawn {
        svg,
        css,
        width,
        height,
        smallest_font_px,
    })
}

/// The SVG without its first `<style>` element, and that element's text.
fn split_style(svg: &str) -> (String, String) {
    if let Some(start) = svg.find("<style>")
        && let Some(len) = svg[start..].find("</style>")
    {
        let css = svg[start + "<style>".len()..start + len].to_string();
        let rest = format!(
            "{}{}",
            &svg[..start],
            &svg[start + len + "</style>".len()..]
        );
        return (rest, css);
    }
    (svg.to_string(), String::new())
}

/// Width and height of the root element's `viewBox`.
fn view_box(svg: &str) -> Option<(f64, f64)> {
    let root = &svg[..svg.find('>')?];
    let at = root.find("viewBox=\"")? + "viewBox=\"".len();
    let value = &root[at..at + root[at..].find('"')?];
    let n: Vec<f64> = value
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    (n.len() == 4).then(|| (n[2], n[3]))
}

/// The smallest `font-size` in px of the diagram's text: in the rules of its
/// stylesheet (pass only the rules that apply, see `prune`) and set on its
/// elements; 16 when none is set. The browser tests measure the real sizes.
pub(crate) fn smallest_font(css: &str, svg: &str) -> f64 {
    let mut smallest = f64::INFINITY;
    for text in [css, svg] {
        for (at, _) in text.match_indices("font-size") {
            let rest = text[at + "font-size".len()..].trim_start_matches([':', '=', '"', ' ']);
            let number: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if let Ok(px) = number.parse::<f64>()
                && px >= 6.0
                && rest[number.len()..].starts_with(['p', '"', ';', '}', ' '])
            {
                smallest = smallest.min(px);
            }
        }
    }
    if smallest.is_finite() { smallest } else { 16.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flowchart_is_drawn_with_its_size_and_without_inline_style() {
        let d = draw("flowchart LR\n  a[Start] --> b[Done]\n", "t1").unwrap();
        assert!(d.svg.starts_with("<svg"), "{}", &d.svg[..80]);
        assert!(!d.svg.contains("<style>"));
        assert!(d.css.contains("#t1"));
        assert!(d.width > 50.0 && d.height > 20.0);
    }

    #[test]
    fn a_syntax_error_names_its_line() {
        let e = draw("flowchart LR\n  a --> b\n  c -->> \n", "t2").unwrap_err();
        assert_eq!(e.line, 3, "{e:?}");
    }
}
