//! Charts for HTML reports: self-contained inline SVG, no script and no external asset.

use std::fmt::Write;

use super::markup::html_escape;

#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

/// Layout of a bar chart, in SVG user units.
const LABEL_WIDTH: f64 = 160.0;
const PLOT_WIDTH: f64 = 320.0;
const TEXT_WIDTH: f64 = 200.0;
const ROW: f64 = 24.0;
const BAR: f64 = 16.0;

/// A horizontal bar chart as one self-contained inline `<svg>` (no script, no external
/// asset) with `<title>` = `title` and `<desc>` = `desc` (the text alternative); each bar's
/// width is `value / max` of the plot width (clamped to 0..=1), `text` printed beside it.
pub fn bars(title: &str, desc: &str, bars: &[Bar], max: f64) -> String {
    let width = LABEL_WIDTH + PLOT_WIDTH + TEXT_WIDTH;
    let height = ROW * bars.len().max(1) as f64 + 8.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n<title>{}</title>\n<desc>{}</desc>\n",
        html_escape(title),
        html_escape(desc)
    );
    for (i, bar) in bars.iter().enumerate() {
        let share = if max > 0.0 && bar.value.is_finite() {
            (bar.value / max).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let y = 4.0 + ROW * i as f64;
        let text_y = y + BAR - 4.0;
        let bar_width = (PLOT_WIDTH * share * 10.0).round() / 10.0;
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"{text_y}\" text-anchor=\"end\">{}</text>\n<rect x=\"{LABEL_WIDTH}\" y=\"{y}\" width=\"{bar_width}\" height=\"{BAR}\" fill=\"#2da44e\"/>\n<text x=\"{}\" y=\"{text_y}\">{}</text>\n",
            LABEL_WIDTH - 6.0,
            html_escape(&bar.label),
            LABEL_WIDTH + bar_width + 6.0,
            html_escape(&bar.text)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_max_and_escape_text() {
        let svg = bars(
            "Leads <by> stage",
            "a & b",
            &[
                Bar {
                    label: "<script>".into(),
                    value: 5.0,
                    text: "5".into(),
                },
                Bar {
                    label: "x".into(),
                    value: 20.0,
                    text: "20".into(),
                },
            ],
            10.0,
        );
        assert!(svg.contains("<title>Leads &lt;by&gt; stage</title>"));
        assert!(svg.contains("<desc>a &amp; b</desc>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("width=\"160\""));
        assert!(svg.contains("width=\"320\""), "clamped to the plot");
        assert!(!svg.contains("<script"));
    }
}
