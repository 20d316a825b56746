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
const TARGET: &str = "#1a7f37";
const PROJECTION: &str = "#bf8700";

const STYLE: &str = "<style>\
.growth-chart text{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif}\
@media (prefers-color-scheme: dark){.growth-chart .gc-fill{fill:#3fb950}.growth-chart .gc-actual{stroke:#58a6ff}\
.growth-chart .gc-dot,.growth-chart .gc-area,.growth-chart .gc-since{fill:#58a6ff}\
.growth-chart .gc-projection{stroke:#d29922}.growth-chart .gc-target{stroke:#3fb950}}\
@media print{.growth-chart{color:#000}.growth-chart .gc-fill{fill:#555}\
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

/// At most `max` characters, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
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

/// A horizontal bar chart as one self-contained inline `<svg>` (no script, no external
/// asset) with `<title>` = `title` and `<desc>` = `desc` (the text alternative); each bar's
/// width is `value / max` of the plot width (clamped to 0..=1), `text` printed beside it.
pub fn bars(title: &str, desc: &str, bars: &[Bar], max: f64) -> String {
    let rows = bars.len().max(1) as f64;
    let height = BARS.y * 2.0 + rows * BAR_ROW;
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
            &clip(&bar.label, 26),
        );
        let _ = write!(
            svg,
            "<rect class=\"gc-track\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.1}\" height=\"{BAR_HEIGHT}\" fill=\"currentColor\" fill-opacity=\"0.12\"/>",
            BARS.x, BARS.width
        );
        if share > 0.0 {
            let _ = write!(
                svg,
                "<rect class=\"gc-fill\" x=\"{:.1}\" y=\"{top:.1}\" width=\"{:.2}\" height=\"{BAR_HEIGHT}\" fill=\"{FILL}\"/>",
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
            &clip(&bar.text, 30),
        );
        svg.push_str("</g>");
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
    let _ = write!(
        svg,
        "<line class=\"gc-pace\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{target_y:.1}\" stroke=\"currentColor\" stroke-opacity=\"0.6\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>",
        plot.x,
        plot.bottom(),
        plot.right()
    );
    // The actual, as steps, with a light area under it.
    if let Some(&(first_x, first_v)) = b.actual.first() {
        let mut d = format!("M{:.1} {:.1}", x(first_x), y(first_v));
        for &(share, value) in &b.actual[1..] {
            let _ = write!(d, "H{:.1}V{:.1}", x(share), y(value));
        }
        let last_x = b.actual.last().map_or(first_x, |p| p.0);
        let _ = write!(
            svg,
            "<path class=\"gc-area\" d=\"{d}V{:.1}H{:.1}Z\" fill=\"{ACTUAL}\" fill-opacity=\"0.12\" stroke=\"none\"/>",
            plot.bottom(),
            x(first_x)
        );
        let _ = write!(
            svg,
            "<path class=\"gc-actual\" d=\"{d}\" fill=\"none\" stroke=\"{ACTUAL}\" stroke-width=\"2.5\" stroke-linejoin=\"round\"/>"
        );
        let last_v = b.actual.last().map_or(first_v, |p| p.1);
        // Where the pace so far leads by the end.
        if let Some(projected) = b.projected.filter(|_| b.now > 0.0 && b.now < 1.0) {
            let _ = write!(
                svg,
                "<line class=\"gc-projection\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{PROJECTION}\" stroke-width=\"2\" stroke-dasharray=\"2 3\"/>",
                x(last_x),
                y(last_v),
                plot.right(),
                y(projected)
            );
            if labels {
                text(
                    &mut svg,
                    plot.right(),
                    y(projected) + if projected < b.target { 14.0 } else { -6.0 },
                    "end",
                    " font-size=\"11\"",
                    &format!("projected {}", b.projected_label),
                );
            }
        }
        let _ = write!(
            svg,
            "<circle class=\"gc-dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"{}\" fill=\"{ACTUAL}\"/>",
            x(last_x),
            y(last_v),
            if labels { 4 } else { 3 }
        );
        if labels {
            let (ax, anchor) = if x(last_x) > plot.x + plot.width * 0.7 {
                (x(last_x) - 8.0, "end")
            } else {
                (x(last_x) + 8.0, "start")
            };
            // Under the dot when above it would sit on the target line.
            let above = y(last_v) - 8.0;
            let ay = if (above - 4.0 - target_y).abs() < 10.0 {
                y(last_v) + 18.0
            } else {
                above
            };
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
        legend(&mut svg, plot.x, size.1 - 10.0, b.since.is_some());
    }
    svg.push_str("</svg>");
    svg
}

/// The burn-up's key, one line under the axis.
fn legend(svg: &mut String, x0: f64, y: f64, since: bool) {
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
