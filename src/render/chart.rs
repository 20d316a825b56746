//! Charts as SVG: each one self-contained inline `<svg>` (no script, no external asset or
//! font), `role="img"` with a `<title>` and a `<desc>` that says in words what it shows.
//!
//! Colours: text and axes are `currentColor`, so they follow the page (light or dark); the
//! data colours are presentation attributes that a `<style>` inside the chart brightens in
//! `prefers-color-scheme: dark` and turns black and grey, told apart by dashes, in print.
//! The style's rules all sit under `.growth-chart`, and every chart carries the same rules,
//! so several charts on one page agree.
//!
//! Geometry, in the SVG's user units (one unit is one pixel at scale 1, the size the `width`
//! and `height` attributes give): each chart has a documented plot box (`BARS`,
//! `BURNUP`, `BURNUP_SMALL`, `TREND`, `TREND_SMALL`) so a test can map a value to a pixel.
//! - `bars`: row `i`'s bar spans `BARS.x .. BARS.x + BARS.width × value / max`, vertically
//!   `BARS.y + i × BAR_ROW + (BAR_ROW - BAR_HEIGHT) / 2` and `BAR_HEIGHT` high.
//! - `burnup`: x is the share of the period elapsed (0 at the box's left, 1 at its right);
//!   y is the value, 0 at the box's bottom and `burnup_top(..)` at its top.
//! - `trend`: points spread evenly over the box's width; y from `low` (bottom) to `high` (top).

use std::fmt::Write;

use chrono::NaiveDate;

use crate::render::markup::html_escape;

/// A chart's plot area in user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotBox {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl PlotBox {
    fn right(&self) -> f64 {
        self.x + self.width
    }

    fn bottom(&self) -> f64 {
        self.y + self.height
    }

    /// The x of a share 0 to 1 of the width.
    pub fn at_x(&self, share: f64) -> f64 {
        self.x + self.width * share.clamp(0.0, 1.0)
    }

    /// The y of `value` on a scale from `low` (bottom) to `high` (top).
    pub fn at_y(&self, value: f64, low: f64, high: f64) -> f64 {
        let share = if high > low {
            ((value - low) / (high - low)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.bottom() - self.height * share
    }
}

const ACTUAL: &str = "#0969da";
const FILL: &str = "#2da44e";
const WARN: &str = "#bf8700";
const BAD: &str = "#cf222e";
const TARGET: &str = "#1a7f37";
const PROJECTION: &str = "#bf8700";

const STYLE: &str = "<style>\
.growth-chart text{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif}\
@media (prefers-color-scheme: dark){.growth-chart .gc-fill{fill:#3fb950}.growth-chart .gc-warn{fill:#d29922}\
.growth-chart .gc-bad{fill:#f85149}.growth-chart .gc-actual{stroke:#58a6ff}\
.growth-chart .gc-dot,.growth-chart .gc-area,.growth-chart .gc-since{fill:#58a6ff}\
.growth-chart .gc-projection{stroke:#d29922}.growth-chart .gc-target{stroke:#3fb950}}\
@media print{.growth-chart{color:#000}.growth-chart .gc-fill{fill:#555}\
.growth-chart .gc-warn{fill:#aaa;stroke:#000;stroke-width:1}.growth-chart .gc-bad{fill:#000}\
.growth-chart .gc-actual{stroke:#000}.growth-chart .gc-dot{fill:#000}\
.growth-chart .gc-area,.growth-chart .gc-since{fill:#000}\
.growth-chart .gc-projection{stroke:#000}.growth-chart .gc-target{stroke:#555}}\
</style>";

/// Opens a chart: the root, its text alternative, the shared style.
fn open(class: &str, width: f64, height: f64, title: &str, desc: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"growth-chart {class}\" role=\"img\" \
         width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
         style=\"max-width:100%;height:auto\" font-size=\"12\">\
         <title>{}</title><desc>{}</desc>{STYLE}",
        html_escape(title),
        html_escape(desc)
    )
}

/// The width `text` takes at `size` px, estimated from its characters (no font is
/// embedded, so a reader's font decides; this errs wide): narrow letters and punctuation
/// about 0.3 em, wide ones (m, w, capitals) 0.8 em, the rest 0.6 em.
pub fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | 't' | 'f' | 'r' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' '
            | '(' | ')' | '-' => 0.32,
            'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.85,
            c if c.is_uppercase() => 0.7,
            c if unicode_width::UnicodeWidthChar::width(c) == Some(2) => 1.0,
            _ => 0.6,
        })
        .sum::<f64>()
        * size
}

/// `text` cut with an ellipsis to fit `width` px at `size` px: a label never runs out of
/// the chart's viewBox.
pub fn fit(text: &str, width: f64, size: f64) -> String {
    if text_width(text, size) <= width {
        return text.to_string();
    }
    let mut cut = String::new();
    for c in text.chars() {
        cut.push(c);
        if text_width(&cut, size) + text_width("…", size) > width {
            cut.pop();
            break;
        }
    }
    cut.push('…');
    cut
}

/// A line segment, (x1, y1, x2, y2).
type Segment = (f64, f64, f64, f64);

/// How far a label's box keeps from the nearest of `lines` (negative: it crosses one).
fn clearance(left: f64, right: f64, top: f64, bottom: f64, lines: &[Segment]) -> f64 {
    lines
        .iter()
        .filter_map(|&(x1, y1, x2, y2)| {
            let (lo, hi) = (x1.min(x2).max(left), x1.max(x2).min(right));
            if lo > hi {
                return None;
            }
            let at = |x: f64| {
                if (x2 - x1).abs() < f64::EPSILON {
                    y1
                } else {
                    y1 + (y2 - y1) * (x - x1) / (x2 - x1)
                }
            };
            let (a, b) = (at(lo), at(hi));
            let (ly, hy) = (a.min(b), a.max(b));
            Some(if hy < top {
                top - hy
            } else if ly > bottom {
                ly - bottom
            } else {
                -1.0
            })
        })
        .fold(f64::INFINITY, f64::min)
}

/// The first of `spots` (text anchor points, in order of preference) where `label` keeps
/// at least 3 px off every line and inside the plot's height; else the clearest.
fn clear_spot(
    spots: &[(f64, f64)],
    anchor: &str,
    size: f64,
    label: &str,
    lines: &[Segment],
    plot: PlotBox,
) -> (f64, f64) {
    let width = text_width(label, size);
    let score = |&(x, y): &(f64, f64)| {
        let left = match anchor {
            "end" => x - width,
            "middle" => x - width / 2.0,
            _ => x,
        };
        let (top, bottom) = (y - size * 0.8, y + size * 0.25);
        if top < plot.y - 14.0 || bottom > plot.bottom() {
            return f64::NEG_INFINITY;
        }
        clearance(left, left + width, top, bottom, lines)
    };
    spots
        .iter()
        .find(|s| score(s) >= 3.0)
        .or_else(|| spots.iter().max_by(|a, b| score(a).total_cmp(&score(b))))
        .copied()
        .unwrap_or((plot.x, plot.y))
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, extra: &str, body: &str) {
    let _ = write!(
        out,
        "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" fill=\"currentColor\"{extra}>{}</text>",
        html_escape(body)
    );
}

#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
}

/// Width of a bar chart.
pub const BARS_WIDTH: f64 = 620.0;
/// Height of one row of a bar chart, and of its bar.
pub const BAR_ROW: f64 = 26.0;
pub const BAR_HEIGHT: f64 = 14.0;
/// The bars' plot box for one row; `height` grows by `BAR_ROW` a row.
pub const BARS: PlotBox = PlotBox {
    x: 172.0,
    y: 6.0,
    width: 260.0,
    height: BAR_ROW,
};

/// What a bar's value means, told by its colour: green, amber, red on screen; in print
/// dark grey, light grey outlined, black (the text beside a bar says it in words too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Good,
    Warn,
    Bad,
}

impl Tone {
    /// A goal's status as a tone: done and on-track good, at-risk a warning, behind bad.
    pub fn of_status(status: &str) -> Tone {
        match status {
            "at-risk" => Tone::Warn,
            "behind" => Tone::Bad,
            _ => Tone::Good,
        }
    }

    fn paint(self) -> (&'static str, &'static str) {
        match self {
            Tone::Good => ("gc-fill", FILL),
            Tone::Warn => ("gc-warn", WARN),
            Tone::Bad => ("gc-bad", BAD),
        }
    }
}

/// A bar chart with more to say than [`bars`]: a tone per bar (missing ones are good), and
/// a limit drawn as a dashed line across every row with its label under the bars.
#[derive(Debug, Clone, Copy)]
pub struct BarChart<'a> {
    pub title: &'a str,
    pub desc: &'a str,
    pub bars: &'a [Bar],
    pub max: f64,
    pub tones: &'a [Tone],
    /// The value of the limit and its label ("SLA 4h").
    pub limit: Option<(f64, &'a str)>,
}

/// Room under the bars for a limit's label.
const LIMIT_LABEL: f64 = 16.0;

/// A horizontal bar chart as one self-contained inline `<svg>` (no script, no external
/// asset) with `<title>` = `title` and `<desc>` = `desc` (the text alternative); each bar's
/// width is `value / max` of the plot width (clamped to 0..=1), `text` printed beside it.
pub fn bars(title: &str, desc: &str, bars: &[Bar], max: f64) -> String {
    bar_chart(&BarChart {
        title,
        desc,
        bars,
        max,
        tones: &[],
        limit: None,
    })
}

/// [`bars`] with a tone per bar and a limit line: the geometry is the same (`BARS`), the
/// chart `LIMIT_LABEL` taller when it has a limit.
pub fn bar_chart(c: &BarChart<'_>) -> String {
    let (title, desc, bars, max) = (c.title, c.desc, c.bars, c.max);
    let rows = bars.len().max(1) as f64;
    let extra = if c.limit.is_some() { LIMIT_LABEL } else { 0.0 };
    let height = BARS.y * 2.0 + rows * BAR_ROW + extra;
    let mut svg = open("gc-bars", BARS_WIDTH, height, title, desc);
    if bars.is_empty() {
        text(
            &mut svg,
            BARS.x,
            BARS.y + 17.0,
            "start",
            "",
            "nothing to show",
        );
    }
    for (i, bar) in bars.iter().enumerate() {
        let share = if max > 0.0 && bar.value.is_finite() {
            (bar.value / max).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let top = BARS.y + i as f64 * BAR_ROW + (BAR_ROW - BAR_HEIGHT) / 2.0;
        let middle = top + BAR_HEIGHT / 2.0 + 4.0;
        let _ = write!(
            svg,
            "<g><title>{}: {}</title>",
            html_escape(&bar.label),
            html_escape(&bar.text)
        );
        text(
            &mut svg,
            BARS.x - 8.0,
            middle,
            "end",
            "",
            &fit(&bar.label, BARS.x - 12.0, 12.0),
        );
        let _ = write!(
            svg,
            "<rect class=\"gc-track\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{BAR_HEIGHT}\" fill=\"currentColor\" fill-opacity=\"0.12\"/>",
            BARS.x, BARS.width
        );
        if share > 0.0 {
            let (class, colour) = c.tones.get(i).copied().unwrap_or_default().paint();
            let _ = write!(
                svg,
                "<rect class=\"{class}\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.2}\" height=\"{BAR_HEIGHT}\" fill=\"{colour}\"/>",
                BARS.x,
                BARS.width * share
            );
        }
        text(
            &mut svg,
            BARS.right() + 8.0,
            middle,
            "start",
            "",
            &fit(&bar.text, BARS_WIDTH - BARS.right() - 12.0, 12.0),
        );
        svg.push_str("</g>");
    }
    if let Some((value, label)) = c.limit.filter(|(v, _)| v.is_finite() && max > 0.0) {
        let lx = BARS.at_x(value / max);
        let bottom = BARS.y + rows * BAR_ROW;
        let _ = write!(
            svg,
            "<line class=\"gc-limit\" x1=\"{lx:.1}\" y1=\"{:.1}\" x2=\"{lx:.1}\" y2=\"{:.1}\" stroke=\"currentColor\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>",
            BARS.y,
            bottom + 2.0
        );
        text(
            &mut svg,
            lx,
            bottom + 13.0,
            "middle",
            " font-size=\"11\"",
            &fit(label, 120.0, 11.0),
        );
    }
    svg.push_str("</svg>");
    svg
}

/// A goal's burn-up: the actual over the period against the expected pace (a straight line
/// from 0 at the start to the target at the end), the projection of the pace so far to the
/// end, the target line, and the stretch since the last meeting shaded.
#[derive(Debug, Clone)]
pub struct Burnup {
    pub title: String,
    pub desc: String,
    /// The period's first and last day.
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub target: f64,
    /// The actual as (share of the period elapsed, 0 to 1; value) in time order, drawn as
    /// steps; its last point is now.
    pub actual: Vec<(f64, f64)>,
    /// Share of the period elapsed now, and at the last meeting.
    pub now: f64,
    pub since: Option<f64>,
    /// Where the pace so far ends the period, while it runs.
    pub projected: Option<f64>,
    /// A level (the latest check-in counts, like an NPS): the check-ins against the
    /// target, no expected pace from 0, no area under them, no projection.
    pub level: bool,
    /// The values as people read them (money, units).
    pub target_label: String,
    pub actual_label: String,
    pub projected_label: String,
    pub today: NaiveDate,
}

pub const BURNUP_SIZE: (f64, f64) = (560.0, 244.0);
pub const BURNUP: PlotBox = PlotBox {
    x: 40.0,
    y: 24.0,
    width: 480.0,
    height: 170.0,
};
pub const BURNUP_SMALL_SIZE: (f64, f64) = (200.0, 80.0);
pub const BURNUP_SMALL: PlotBox = PlotBox {
    x: 4.0,
    y: 6.0,
    width: 192.0,
    height: 68.0,
};

/// The value at the top of a burn-up's plot box: a tenth above the highest of the
/// target, the projection and the actual (1 when all are 0).
pub fn burnup_top(b: &Burnup) -> f64 {
    let peak = b
        .actual
        .iter()
        .map(|(_, v)| *v)
        .chain([b.target, b.projected.unwrap_or(0.0)])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    if peak > 0.0 { peak * 1.1 } else { 1.0 }
}

/// The burn-up with axes, labels and a legend (`BURNUP_SIZE`, plot box `BURNUP`).
pub fn burnup(b: &Burnup) -> String {
    draw_burnup(b, BURNUP_SIZE, BURNUP, true)
}

/// The same burn-up as a small multiple, without labels (`BURNUP_SMALL_SIZE`, plot box
/// `BURNUP_SMALL`), for a strip of charts.
pub fn burnup_small(b: &Burnup) -> String {
    draw_burnup(b, BURNUP_SMALL_SIZE, BURNUP_SMALL, false)
}

fn draw_burnup(b: &Burnup, size: (f64, f64), plot: PlotBox, labels: bool) -> String {
    let top = burnup_top(b);
    let x = |share: f64| plot.at_x(share);
    let y = |value: f64| plot.at_y(value, 0.0, top);
    let mut svg = open("gc-burnup", size.0, size.1, &b.title, &b.desc);
    let now_x = x(b.now);
    // Since the last meeting: a light band up to now.
    if let Some(since) = b.since.filter(|s| *s < b.now) {
        let _ = write!(
            svg,
            "<rect class=\"gc-since\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{ACTUAL}\" fill-opacity=\"0.1\"/>",
            x(since),
            plot.y,
            now_x - x(since),
            plot.height
        );
    }
    // Axes.
    let _ = write!(
        svg,
        "<path class=\"gc-axis\" d=\"M{:.1} {:.1}V{:.1}H{:.1}\" fill=\"none\" stroke=\"currentColor\" stroke-opacity=\"0.45\" stroke-width=\"1\"/>",
        plot.x,
        plot.y,
        plot.bottom(),
        plot.right()
    );
    // Today.
    if b.now > 0.0 && b.now < 1.0 {
        let _ = write!(
            svg,
            "<line class=\"gc-today\" x1=\"{now_x:.1}\" y1=\"{:.1}\" x2=\"{now_x:.1}\" y2=\"{:.1}\" stroke=\"currentColor\" stroke-opacity=\"0.3\" stroke-width=\"1\"/>",
            plot.y,
            plot.bottom()
        );
    }
    // The target.
    let target_y = y(b.target);
    let _ = write!(
        svg,
        "<line class=\"gc-target\" x1=\"{:.1}\" y1=\"{target_y:.1}\" x2=\"{:.1}\" y2=\"{target_y:.1}\" stroke=\"{TARGET}\" stroke-width=\"1.5\"/>",
        plot.x,
        plot.right()
    );
    // The expected pace: 0 at the start, the target at the end.
    if !b.level {
        let _ = write!(
            svg,
            "<line class=\"gc-pace\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{target_y:.1}\" stroke=\"currentColor\" stroke-opacity=\"0.6\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
            plot.x,
            plot.bottom(),
            plot.right()
        );
    }
    // What a label should keep clear of: the target, the pace and (below) the projection.
    let mut lines = vec![(plot.x, target_y, plot.right(), target_y)];
    if !b.level {
        lines.push((plot.x, plot.bottom(), plot.right(), target_y));
    }
    // The actual, as steps, with a light area under it.
    if let Some(&(first_x, first_v)) = b.actual.first() {
        let mut d = format!("M{:.1} {:.1}", x(first_x), y(first_v));
        for &(share, value) in &b.actual[1..] {
            let _ = write!(d, "H{:.1}V{:.1}", x(share), y(value));
        }
        let last_x = b.actual.last().map_or(first_x, |p| p.0);
        if !b.level {
            let _ = write!(
                svg,
                "<path class=\"gc-area\" d=\"{d}V{:.1}H{:.1}Z\" fill=\"{ACTUAL}\" fill-opacity=\"0.12\" stroke=\"none\"/>",
                plot.bottom(),
                x(first_x)
            );
        }
        let _ = write!(
            svg,
            "<path class=\"gc-actual\" d=\"{d}\" fill=\"none\" stroke=\"{ACTUAL}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>"
        );
        let last_v = b.actual.last().map_or(first_v, |p| p.1);
        // A level's check-ins, each a dot (the last one, now, is drawn below).
        if b.level {
            for &(share, value) in &b.actual[..b.actual.len() - 1] {
                let _ = write!(
                    svg,
                    "<circle class=\"gc-dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{}\" fill=\"{ACTUAL}\"/>",
                    x(share),
                    y(value),
                    if labels { 3 } else { 2 }
                );
            }
        }
        // The actual's own line, left of its last point.
        lines.push((x(first_x), y(last_v), x(last_x), y(last_v)));
        // Where the pace so far leads by the end.
        let projection = b
            .projected
            .filter(|_| !b.level && b.now > 0.0 && b.now < 1.0);
        if let Some(projected) = projection {
            let _ = write!(
                svg,
                "<line class=\"gc-projection\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{PROJECTION}\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>",
                x(last_x),
                y(last_v),
                plot.right(),
                y(projected)
            );
            lines.push((x(last_x), y(last_v), plot.right(), y(projected)));
        }
        if let (Some(projected), true) = (projection, labels) {
            let label = format!("projected {}", b.projected_label);
            let end = y(projected);
            let spots = [(plot.right(), end + 15.0), (plot.right(), end - 7.0)];
            let spots = if projected < b.target {
                spots
            } else {
                [spots[1], spots[0]]
            };
            let (lx, ly) = clear_spot(&spots, "end", 11.0, &label, &lines, plot);
            text(&mut svg, lx, ly, "end", " font-size=\"11\"", &label);
        }
        let _ = write!(
            svg,
            "<circle class=\"gc-dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{}\" fill=\"{ACTUAL}\"/>",
            x(last_x),
            y(last_v),
            if labels { 4 } else { 3 }
        );
        if labels {
            // Beside the dot, above or below, on the side with room: wherever it keeps
            // clear of the lines (it used to sit on the pace line).
            let (dx, dy) = (x(last_x), y(last_v));
            let anchor = if dx > plot.x + plot.width * 0.7 {
                "end"
            } else {
                "start"
            };
            let side = if anchor == "end" { -8.0 } else { 8.0 };
            let spots = [
                (dx + side, dy - 8.0),
                (dx + side, dy + 18.0),
                (dx + side, dy - 22.0),
                (dx + side, dy + 32.0),
            ];
            let (ax, ay) = clear_spot(&spots, anchor, 12.0, &b.actual_label, &lines, plot);
            text(
                &mut svg,
                ax,
                ay,
                anchor,
                " font-weight=\"600\"",
                &b.actual_label,
            );
        }
    }
    if labels {
        text(
            &mut svg,
            plot.x + 4.0,
            target_y - 6.0,
            "start",
            " font-size=\"11\"",
            &format!("target {}", b.target_label),
        );
        text(&mut svg, plot.x - 6.0, plot.bottom() + 4.0, "end", "", "0");
        let below = plot.bottom() + 16.0;
        text(
            &mut svg,
            plot.x,
            below,
            "start",
            "",
            &b.start.format("%b %-d").to_string(),
        );
        text(
            &mut svg,
            plot.right(),
            below,
            "end",
            "",
            &b.end.format("%b %-d").to_string(),
        );
        if b.now > 0.12 && b.now < 0.88 {
            text(
                &mut svg,
                now_x,
                below,
                "middle",
                "",
                &format!("today {}", b.today.format("%b %-d")),
            );
        }
        legend(&mut svg, plot.x, size.1 - 10.0, b.since.is_some(), b.level);
    }
    svg.push_str("</svg>");
    svg
}

/// The burn-up's key, one line under the axis.
fn legend(svg: &mut String, x0: f64, y: f64, since: bool, level: bool) {
    let mut x = x0;
    let mut key = |svg: &mut String, mark: String, label: &str, width: f64| {
        svg.push_str(
            &mark
                .replace("{x}", &format!("{x:.1}"))
                .replace("{x2}", &format!("{:.1}", x + 18.0)),
        );
        text(svg, x + 22.0, y + 4.0, "start", " font-size=\"11\"", label);
        x += width;
    };
    let line = |class: &str, colour: &str, extra: &str| {
        format!(
            "<line class=\"{class}\" x1=\"{{x}}\" y1=\"{y:.1}\" x2=\"{{x2}}\" y2=\"{y:.1}\" stroke=\"{colour}\" stroke-width=\"2\"{extra}/>"
        )
    };
    if level {
        key(svg, line("gc-actual", ACTUAL, ""), "check-ins", 90.0);
    } else {
        key(svg, line("gc-actual", ACTUAL, ""), "actual", 70.0);
        key(
            svg,
            line(
                "gc-pace",
                "currentColor",
                " stroke-opacity=\"0.6\" stroke-dasharray=\"6 4\"",
            ),
            "expected pace",
            112.0,
        );
        key(
            svg,
            line("gc-projection", PROJECTION, " stroke-dasharray=\"2 3\""),
            "projection",
            92.0,
        );
    }
    key(svg, line("gc-target", TARGET, ""), "target", 66.0);
    if since {
        key(
            svg,
            format!(
                "<rect class=\"gc-since\" x=\"{{x}}\" y=\"{:.1}\" width=\"18\" height=\"10\" fill=\"{ACTUAL}\" fill-opacity=\"0.1\"/>",
                y - 5.0
            ),
            "since the last meeting",
            150.0,
        );
    }
}

pub const TREND_SIZE: (f64, f64) = (560.0, 170.0);
pub const TREND: PlotBox = PlotBox {
    x: 40.0,
    y: 16.0,
    width: 490.0,
    height: 120.0,
};
pub const TREND_SMALL_SIZE: (f64, f64) = (200.0, 80.0);
pub const TREND_SMALL: PlotBox = PlotBox {
    x: 8.0,
    y: 8.0,
    width: 184.0,
    height: 64.0,
};

/// A line over the last meetings (the pulse): `points` are (label, value) oldest first,
/// on a scale from `low` to `high` with a grid line at each whole number between.
pub fn trend(title: &str, desc: &str, points: &[(String, f64)], low: f64, high: f64) -> String {
    draw_trend(title, desc, points, (low, high), TREND_SIZE, TREND, true)
}

/// The same line as a small multiple, without labels.
pub fn trend_small(
    title: &str,
    desc: &str,
    points: &[(String, f64)],
    low: f64,
    high: f64,
) -> String {
    draw_trend(
        title,
        desc,
        points,
        (low, high),
        TREND_SMALL_SIZE,
        TREND_SMALL,
        false,
    )
}

/// The x of point `i` of `n` in a trend's plot box: spread evenly, one point in the middle.
pub fn trend_x(plot: PlotBox, i: usize, n: usize) -> f64 {
    if n <= 1 {
        plot.at_x(0.5)
    } else {
        plot.at_x(i as f64 / (n - 1) as f64)
    }
}

fn draw_trend(
    title: &str,
    desc: &str,
    points: &[(String, f64)],
    (low, high): (f64, f64),
    size: (f64, f64),
    plot: PlotBox,
    labels: bool,
) -> String {
    let mut svg = open("gc-trend", size.0, size.1, title, desc);
    let y = |v: f64| plot.at_y(v, low, high);
    // A grid line at each whole number of the scale.
    let mut level = low.ceil();
    while level <= high && high - low <= 20.0 {
        let _ = write!(
            svg,
            "<line class=\"gc-grid\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"currentColor\" stroke-opacity=\"{}\" stroke-width=\"1\"/>",
            plot.x,
            y(level),
            plot.right(),
            y(level),
            if level == low { "0.45" } else { "0.15" }
        );
        if labels {
            text(
                &mut svg,
                plot.x - 8.0,
                y(level) + 4.0,
                "end",
                "",
                &format!("{level}"),
            );
        }
        level += 1.0;
    }
    let n = points.len();
    let at: Vec<(f64, f64)> = points
        .iter()
        .enumerate()
        .map(|(i, (_, v))| (trend_x(plot, i, n), y(*v)))
        .collect();
    if n > 1 {
        let d: Vec<String> = at.iter().map(|(x, y)| format!("{x:.1} {y:.1}")).collect();
        let _ = write!(
            svg,
            "<path class=\"gc-actual\" d=\"M{}\" fill=\"none\" stroke=\"{ACTUAL}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>",
            d.join("L")
        );
    }
    // Labels for at most about ten points: every k-th, and always the last.
    let every = n.div_ceil(10).max(1);
    for (i, ((px, py), (label, value))) in at.iter().zip(points).enumerate() {
        let _ = write!(
            svg,
            "<circle class=\"gc-dot\" cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"{}\" fill=\"{ACTUAL}\"/>",
            if labels { 4 } else { 3 }
        );
        if labels && (i % every == 0 || i + 1 == n) {
            text(
                &mut svg,
                *px,
                py - 9.0,
                "middle",
                " font-weight=\"600\"",
                &format!("{value:.1}"),
            );
            text(&mut svg, *px, plot.bottom() + 18.0, "middle", "", label);
        }
    }
    if n == 0 {
        text(
            &mut svg,
            plot.at_x(0.5),
            plot.y + plot.height / 2.0,
            "middle",
            "",
            "nothing to show yet",
        );
    }
    svg.push_str("</svg>");
    svg
}
