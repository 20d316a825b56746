//! Charts: the SVG rendered to pixels with resvg (a goal at 50% fills half its bar; the
//! burn-up's pace line ends at the target at the period's end), every SVG of the HTML
//! agenda parsed, the HTML agenda in a real headless Chromium, and the sparklines in ASCII
//! and Unicode (through a real pseudo-terminal).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use growth::render::chart::{
    BAR_HEIGHT, BAR_ROW, BARS, BURNUP, BURNUP_SIZE, Bar, Burnup, bars, burnup, burnup_small,
    burnup_top, text_width, trend, trend_small,
};
use growth::render::spark::sparkline;
use resvg::tiny_skia::{Pixmap, PremultipliedColorU8, Transform};
use resvg::usvg;

use crate::common::{BIN, TestEnv};
use crate::meetings::{example, growth_in};

/// Parses `svg` with usvg (proving it valid) and renders it at its own size.
fn render(svg: &str) -> Pixmap {
    let tree = usvg::Tree::from_str(svg, &usvg::Options::default())
        .unwrap_or_else(|e| panic!("invalid SVG ({e}): {svg}"));
    let size = tree.size().to_int_size();
    let mut pixmap = Pixmap::new(size.width(), size.height()).unwrap();
    resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
    pixmap
}

fn pixel(p: &Pixmap, x: u32, y: u32) -> PremultipliedColorU8 {
    p.pixel(x, y).unwrap()
}

/// The bars' green (#2da44e), fully drawn.
fn is_fill(c: PremultipliedColorU8) -> bool {
    c.alpha() == 255 && c.green() > 140 && c.red() < 90 && c.blue() < 110
}

#[test]
fn a_goal_at_half_fills_half_its_bar_within_a_pixel() {
    let rows = [
        Bar {
            label: "half".into(),
            value: 50.0,
            text: "50%".into(),
        },
        Bar {
            label: "over".into(),
            value: 150.0,
            text: "150%".into(),
        },
        Bar {
            label: "none".into(),
            value: 0.0,
            text: "0%".into(),
        },
    ];
    let svg = bars("Goal progress", "half at 50%, over at 150%", &rows, 100.0);
    assert!(svg.contains("role=\"img\"") && svg.contains("<title>Goal progress</title>"));
    assert!(svg.contains("<desc>half at 50%, over at 150%</desc>"));
    let p = render(&svg);
    let filled = |row: usize| {
        let y = (BARS.y + row as f64 * BAR_ROW + BAR_ROW / 2.0) as u32;
        let xs: Vec<u32> = (0..p.width())
            .filter(|&x| is_fill(pixel(&p, x, y)))
            .collect();
        (xs.first().copied(), xs.last().map(|x| x + 1))
    };
    let (start, end) = filled(0);
    let left = BARS.x;
    let half = BARS.x + BARS.width / 2.0;
    assert!(
        (f64::from(start.unwrap()) - left).abs() <= 1.0,
        "starts at {start:?}, not {left}"
    );
    assert!(
        (f64::from(end.unwrap()) - half).abs() <= 1.5,
        "50% ends at {end:?}, not {half}"
    );
    // Past the maximum the bar stays full; at 0 nothing is filled.
    let (_, end) = filled(1);
    assert!((f64::from(end.unwrap()) - (BARS.x + BARS.width)).abs() <= 1.5);
    assert_eq!(filled(2), (None, None));
    // The bar is BAR_HEIGHT high.
    let x = (BARS.x + 10.0) as u32;
    let high = (0..p.height())
        .filter(|&y| y < (BARS.y + BAR_ROW) as u32 && is_fill(pixel(&p, x, y)))
        .count();
    assert!((high as f64 - BAR_HEIGHT).abs() <= 1.0, "{high} rows high");
}

fn example_burnup() -> Burnup {
    let day = |d| NaiveDate::from_ymd_opt(2026, 10, d).unwrap();
    Burnup {
        title: "Deals <won> & more".into(),
        desc: "30 of 100".into(),
        start: day(1),
        end: day(31),
        target: 100.0,
        actual: vec![(0.0, 0.0), (0.2, 10.0), (0.35, 20.0), (0.5, 30.0)],
        now: 0.5,
        since: Some(0.4),
        projected: Some(60.0),
        level: false,
        target_label: "100".into(),
        actual_label: "30".into(),
        projected_label: "60".into(),
        today: day(16),
    }
}

#[test]
fn the_burnup_pace_line_ends_at_the_target_at_the_period_end() {
    let b = example_burnup();
    let svg = burnup(&b);
    assert!(svg.contains("<title>Deals &lt;won&gt; &amp; more</title>"));
    let p = render(&svg);
    assert_eq!(
        (p.width(), p.height()),
        (BURNUP_SIZE.0 as u32, BURNUP_SIZE.1 as u32)
    );
    // The documented scale: 0 at the plot's bottom, burnup_top at its top.
    let top = burnup_top(&b);
    assert!((top - 110.0).abs() < 1e-9, "a tenth above the target");
    let bottom = BURNUP.y + BURNUP.height;
    let target_y = bottom - BURNUP.height * b.target / top;
    let right = BURNUP.x + BURNUP.width;
    let pace_y = |x: f64| bottom + (target_y - bottom) * (x - BURNUP.x) / BURNUP.width;
    // The pace line is the only black ink over the last stretch of the period (the actual
    // stops at today, the projection is orange, the target green).
    let mut found = Vec::new();
    for x in ((right - 80.0) as u32)..(right as u32) {
        let ys: Vec<u32> = (0..p.height())
            .filter(|&y| {
                let c = pixel(&p, x, y);
                c.alpha() > 60 && c.red() < 25 && c.green() < 25 && c.blue() < 25
            })
            .collect();
        if ys.is_empty() {
            continue;
        }
        let centre = ys.iter().map(|&y| f64::from(y) + 0.5).sum::<f64>() / ys.len() as f64;
        let x_mid = f64::from(x) + 0.5;
        assert!(
            (centre - pace_y(x_mid)).abs() <= 1.5,
            "at x {x} the pace line is at y {centre}, expected {}",
            pace_y(x_mid)
        );
        found.push(x);
    }
    assert!(
        found.len() >= 30,
        "the dashed pace line is drawn: {found:?}"
    );
    assert!(
        found.iter().any(|&x| f64::from(x) >= right - 12.0),
        "it runs to the period's end: {found:?}"
    );
    // And the target line (green) runs across at the target's height.
    let x = (BURNUP.x + BURNUP.width * 0.25) as u32;
    let c = pixel(&p, x, target_y as u32);
    assert!(
        c.green() > 100 && c.red() < 60,
        "target line at y {target_y}: {c:?}"
    );
    // The actual's dot sits at today's share of the period, at the actual.
    let (dot_x, dot_y) = (
        BURNUP.x + BURNUP.width * 0.5,
        bottom - BURNUP.height * 30.0 / top,
    );
    let c = pixel(&p, dot_x as u32, dot_y as u32);
    assert!(c.alpha() == 255 && c.blue() > 180, "the dot: {c:?}");
}

#[test]
fn every_chart_is_valid_svg_with_a_text_alternative_and_no_script() {
    let b = example_burnup();
    let points = vec![("Nov 9".to_string(), 3.7), ("Nov 16".to_string(), 4.5)];
    let empty = Burnup {
        actual: Vec::new(),
        projected: None,
        since: None,
        now: 0.0,
        ..b.clone()
    };
    for svg in [
        burnup(&b),
        burnup_small(&b),
        burnup(&empty),
        trend("Pulse", "3.7 then 4.5", &points, 1.0, 5.0),
        trend_small("Pulse", "3.7 then 4.5", &points, 1.0, 5.0),
        trend("Pulse", "none yet", &[], 1.0, 5.0),
        bars("None", "nothing", &[], 100.0),
    ] {
        render(&svg);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("role=\"img\"") && svg.contains("<desc>"));
        assert!(svg.contains("prefers-color-scheme: dark") && svg.contains("@media print"));
        for banned in ["<script", "href=", "url(", "@import", "@font-face"] {
            assert!(!svg.contains(banned), "{banned} in {svg}");
        }
    }
}

/// Every `<svg>…</svg>` in a page.
fn svgs(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").unwrap() + start + "</svg>".len();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

#[test]
fn the_html_agenda_and_progress_draw_a_burnup_per_goal_and_the_pulse() {
    let env = TestEnv::empty();
    let ws = example();
    let html = growth_in(
        &env,
        &ws,
        &["--today", "2026-11-27", "agenda", "--format", "html"],
    );
    let doc = scraper::Html::parse_document(&html);
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    let goals = doc.select(&select("section#goals li")).count();
    assert_eq!(goals, 8);
    // The opening strip: a small burn-up per goal and the pulse, before the sections.
    let strip = doc
        .select(&select("section#since-last-meeting"))
        .next()
        .unwrap();
    assert_eq!(strip.select(&select("svg.gc-burnup")).count(), goals);
    assert_eq!(strip.select(&select("svg.gc-trend")).count(), 1);
    assert!(html.find("since-last-meeting") < html.find("id=\"celebrations\""));
    assert_eq!(
        doc.select(&select("section#goals svg.gc-burnup")).count(),
        goals
    );
    assert_eq!(
        doc.select(&select("section#feedback svg.gc-trend")).count(),
        1
    );
    let all = svgs(&html);
    assert_eq!(all.len(), 2 * goals + 2);
    for svg in all {
        render(svg);
    }
    // progress --format html: the overview bars and a burn-up per goal.
    let page = growth_in(
        &env,
        &ws,
        &["--today", "2026-11-27", "progress", "--format", "html"],
    );
    let doc = scraper::Html::parse_document(&page);
    assert_eq!(doc.select(&select("svg.gc-bars")).count(), 1);
    assert_eq!(doc.select(&select("svg.gc-burnup")).count(), goals);
    assert_eq!(doc.select(&select("script, link, img")).count(), 0);
    for svg in svgs(&page) {
        render(svg);
    }
}

#[test]
fn the_markdown_agenda_links_no_picture() {
    let env = TestEnv::empty();
    let md = growth_in(
        &env,
        &example(),
        &["--today", "2026-11-27", "agenda", "--format", "md"],
    );
    for picture in ["![", "<img", "<svg", ".svg", ".png"] {
        assert!(!md.contains(picture), "{picture} in the Markdown agenda");
    }
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Headless Chromium's screenshot of `page` at `width` × `height`.
fn screenshot(browser: &Path, page: &Path, width: u32, height: u32) -> Pixmap {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("shot.png");
    let status = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "chromium failed: {status}");
    Pixmap::decode_png(&std::fs::read(&png).unwrap()).unwrap()
}

#[test]
fn a_real_browser_draws_the_agenda_charts() {
    let Some(browser) = chromium() else {
        println!("skipped: no chromium on PATH (.ci/run installs it)");
        return;
    };
    let env = TestEnv::empty();
    let html = growth_in(
        &env,
        &example(),
        &["--today", "2026-11-27", "agenda", "--format", "html"],
    );
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("agenda.html");
    std::fs::write(&page, html).unwrap();
    let shot = screenshot(&browser, &page, 1000, 2400);
    // The actual's blue (#0969da): in the strip's three rows of small burn-ups and in the
    // goals section's large ones, each a band of rows apart from the others.
    let blue =
        |c: PremultipliedColorU8| c.blue() > 180 && c.red() < 60 && (80..140).contains(&c.green());
    let rows: Vec<u32> = (0..shot.height())
        .filter(|&y| {
            (0..shot.width())
                .filter(|&x| blue(pixel(&shot, x, y)))
                .count()
                >= 2
        })
        .collect();
    let mut bands = 0;
    let mut last = None;
    for &y in &rows {
        if last.is_none_or(|l| y > l + 30) {
            bands += 1;
        }
        last = Some(y);
    }
    assert!(
        bands >= 5,
        "expected the strip and the burn-ups drawn, found {bands} bands of chart rows"
    );
    // Where the first chart is, the page is not blank: axes and lines around the blue.
    let first = rows[0];
    let ink = (first..first + 60)
        .flat_map(|y| (0..shot.width()).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let c = pixel(&shot, x, y.min(shot.height() - 1));
            c.red() < 200 || c.green() < 200 || c.blue() < 200
        })
        .count();
    assert!(ink > 500, "the first chart has {ink} drawn pixels");
}

#[test]
fn sparklines_in_ascii_and_unicode() {
    let series: [&[f64]; 5] = [
        &[0.0, 1.0, 2.0, 4.0, 4.0, 7.0, 9.0, 12.0],
        &[4.5, 3.7, 4.1],
        &[2.0, 2.0, 2.0],
        &[5.0],
        &[],
    ];
    let lines: Vec<String> = series
        .iter()
        .map(|s| {
            format!(
                "{:?}\n  ascii   [{}]\n  unicode [{}]",
                s,
                sparkline(s, false),
                sparkline(s, true)
            )
        })
        .collect();
    insta::assert_snapshot!("sparklines", lines.join("\n"));
}

/// `growth progress` through a real pseudo-terminal; `no_color` sets NO_COLOR.
fn progress_on_a_terminal(no_color: bool) -> String {
    let ws = example();
    let home = tempfile::tempdir().unwrap();
    let mut cmd = crate::common::terminal_command(home.path(), &ws);
    cmd.env("COLUMNS", "140")
        .args(["--today", "2026-11-27", "progress"]);
    if no_color {
        cmd.env("NO_COLOR", "1");
    }
    crate::common::terminal_screen(cmd)
}

#[test]
fn progress_sparklines_are_unicode_on_a_colour_terminal_and_ascii_otherwise() {
    let tty = progress_on_a_terminal(false);
    assert!(tty.contains("WEEKS"), "{tty}");
    assert!(tty.contains("▁▂▃▅▆▆▇▇█"), "{tty}");
    let no_color = progress_on_a_terminal(true);
    assert!(no_color.contains("_.-=+***#"), "{no_color}");
    assert!(!no_color.contains('▁'), "{no_color}");
    // A pipe gets ASCII even when colour is forced.
    let env = TestEnv::empty();
    let mut cmd = assert_cmd::Command::new(BIN);
    crate::common::pin_env(&mut cmd, &env.home);
    let out = cmd
        .env_remove("NO_COLOR")
        .env("COLUMNS", "200")
        .arg("-C")
        .arg(example())
        .args(["--today", "2026-11-27", "--color", "always", "progress"])
        .output()
        .unwrap();
    let piped = String::from_utf8(out.stdout).unwrap();
    assert!(piped.contains("WEEKS"), "{piped}");
    assert!(
        piped.contains("_.-=+***#") && !piped.contains('▁'),
        "{piped}"
    );
}

/// `growth ARGS` in `ws` on 2026-11-30 at `columns`, asserting success.
fn at_width(env: &TestEnv, ws: &Path, columns: &str, args: &[&str]) -> String {
    let mut cmd = assert_cmd::Command::new(BIN);
    crate::common::pin_env(&mut cmd, &env.home);
    let out = cmd
        .env("COLUMNS", columns)
        .arg("-C")
        .arg(ws)
        .args(["--today", "2026-11-30"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "growth {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The header line of the first table in `text` holding `first` (a column name).
fn header<'a>(text: &'a str, first: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start().starts_with(first))
        .unwrap_or_else(|| panic!("no {first} header in {text}"))
}

#[test]
fn trends_show_at_ordinary_widths() {
    let env = TestEnv::empty();
    let ws = example();
    // progress and the agenda's goals keep the weeks' trend down to 80 columns (it used to
    // appear only at about 180); the projection and run-rate go first.
    for columns in ["100", "80"] {
        let progress = at_width(&env, &ws, columns, &["progress"]);
        let head = header(&progress, "GOAL");
        assert!(head.ends_with("WEEKS"), "{columns}: {head}");
        assert!(!head.contains("PROJECTED"), "{columns}: {head}");
        let agenda = at_width(&env, &ws, columns, &["agenda"]);
        let head = header(&agenda, "GOAL");
        assert!(head.ends_with("WEEKS"), "{columns}: {head}");
        for text in [&progress, &agenda] {
            let table = text
                .lines()
                .skip_while(|l| !l.trim_start().starts_with("GOAL"))
                .take_while(|l| !l.trim().is_empty());
            for line in table {
                assert!(line.chars().count() <= columns.parse().unwrap(), "{line}");
            }
        }
    }
    // At most 13 characters of trend: q4-deals' nine weeks to 2026-11-30.
    let progress = at_width(&env, &ws, "100", &["progress"]);
    let deals = progress
        .lines()
        .find(|l| l.starts_with("q4-deals"))
        .unwrap();
    assert!(deals.ends_with("__=**####"), "{deals}");
    // Every report keeps its WEEKLY at 100 columns (sources dropped it).
    for report in ["funnel", "sources", "sla", "team"] {
        let text = at_width(&env, &ws, "100", &["report", report]);
        let first = match report {
            "funnel" => "STAGE",
            "sources" => "SOURCE",
            _ => "MEMBER",
        };
        assert!(header(&text, first).ends_with("WEEKLY"), "{report}: {text}");
    }
}

#[test]
fn a_level_goal_has_no_pace_from_zero() {
    let env = TestEnv::empty();
    let ws = example();
    // nps: manual, the latest check-in counts (38 on Oct 22, 42 on Nov 19 in make-acme.sh),
    // target 50. It was "projected 63.9 points", "needs 1.8 points a week" and on-track
    // against a pace from 0; a level has no pace: 42 of 50 is 84%, at-risk (75% to 95%).
    let json: serde_json::Value = serde_json::from_str(&at_width(
        &env,
        &ws,
        "100",
        &["progress", "--goal", "nps", "--format", "json"],
    ))
    .unwrap();
    let nps = &json["rows"][0];
    assert_eq!(nps["level"], true);
    assert_eq!(nps["actual"], 42.0);
    assert_eq!(nps["status"], "at-risk");
    for field in ["expected", "projected", "needed_per_week"] {
        assert_eq!(nps[field], serde_json::Value::Null, "{field}");
    }
    // No value before the first check-in (Oct 22, in the fourth week), 38 then 42.
    let weekly: Vec<Option<f64>> = nps["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .map(serde_json::Value::as_f64)
        .collect();
    assert_eq!(weekly[..3], [None, None, None]);
    assert_eq!(weekly[3], Some(38.0));
    assert_eq!(weekly.last(), Some(&Some(42.0)));
    let wide = at_width(&env, &ws, "200", &["progress"]);
    let row = wide.lines().find(|l| l.starts_with("nps")).unwrap();
    let cells: Vec<&str> = row
        .split("   ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(cells[5..9], ["at-risk", "-", "-", "-"], "{row}");
    // A count keeps its pace.
    let deals = wide.lines().find(|l| l.starts_with("q4-deals")).unwrap();
    assert!(deals.contains("6.1"), "{deals}");
    // Its burn-up: the check-ins against the target, no pace line, no projection.
    let page = at_width(
        &env,
        &ws,
        "100",
        &["progress", "--goal", "nps", "--format", "html"],
    );
    let burnups: Vec<&str> = svgs(&page)
        .into_iter()
        .filter(|s| s.contains("gc-burnup"))
        .collect();
    assert_eq!(burnups.len(), 1);
    let svg = burnups[0];
    render(svg);
    for absent in [
        "class=\"gc-pace\"",
        "class=\"gc-projection\"",
        "class=\"gc-area\"",
        "projected",
    ] {
        assert!(!svg.contains(absent), "{absent} in {svg}");
    }
    assert!(svg.contains("class=\"gc-target\"") && svg.contains(">check-ins</text>"));
    // A dot per check-in, and the one for now.
    assert_eq!(svg.matches("<circle class=\"gc-dot\"").count(), 3, "{svg}");
    assert!(page.contains("the latest check-in counts"), "{page}");
}

#[test]
fn progress_writes_any_format_to_a_file() {
    let env = TestEnv::empty();
    let ws = example();
    let dir = tempfile::tempdir().unwrap();
    for (format, name) in [
        ("html", "progress.html"),
        ("md", "p.md"),
        ("table", "p.txt"),
    ] {
        let path = dir.path().join("out").join(name);
        let said = at_width(
            &env,
            &ws,
            "100",
            &[
                "progress",
                "--format",
                format,
                "--output",
                path.to_str().unwrap(),
            ],
        );
        assert!(said.contains("wrote goal progress to"), "{said}");
        let written = std::fs::read_to_string(&path).unwrap();
        if format == "table" {
            // Not a terminal: no width to fit, so every column, ASCII trends.
            assert!(
                written.contains("PROJECTED") && written.contains("WEEKS"),
                "{written}"
            );
            assert!(!written.contains('▁'), "{written}");
        } else {
            let piped = at_width(&env, &ws, "100", &["progress", "--format", format]);
            assert_eq!(written, piped, "{format}");
        }
    }
}

#[test]
fn html_bars_take_the_colour_of_their_status() {
    let env = TestEnv::empty();
    let ws = example();
    // On 2026-11-30: at-risk nps, q4-handoffs, q4-handoffs-accepted; behind q4-new-revenue.
    let page = at_width(&env, &ws, "100", &["progress", "--format", "html"]);
    let overview = svgs(&page)
        .into_iter()
        .find(|s| s.contains("gc-bars"))
        .unwrap();
    assert_eq!(
        overview.matches("<rect class=\"gc-warn\"").count(),
        3,
        "{overview}"
    );
    assert_eq!(
        overview.matches("<rect class=\"gc-bad\"").count(),
        1,
        "{overview}"
    );
    assert_eq!(
        overview.matches("<rect class=\"gc-fill\"").count(),
        4,
        "{overview}"
    );
    // Print tells them apart by grey levels; the status word stands beside each bar.
    assert!(overview.contains(".gc-warn{fill:#aaa") && overview.contains(".gc-bad{fill:#000}"));
    assert!(overview.contains("27% behind"), "{overview}");
    // Every chart has a visible title: a figure with a caption around the SVG.
    let doc = scraper::Html::parse_document(&page);
    let select = |css: &str| scraper::Selector::parse(css).unwrap();
    assert_eq!(
        doc.select(&select("figure > figcaption + svg")).count(),
        svgs(&page).len()
    );
    // The agenda's goal bars too (on its date, 2026-12-07).
    let agenda = at_width(&env, &ws, "100", &["agenda", "--format", "html"]);
    assert!(agenda.contains("<span class=\"bar behind\">"), "{agenda}");
    assert!(agenda.contains("<span class=\"bar at-risk\">"), "{agenda}");
    assert!(agenda.contains(".bar.behind span{background:#cf222e}"));
}

#[test]
fn report_html_shows_unicode_trends_a_visible_title_and_scrolls_wide_tables() {
    let env = TestEnv::empty();
    let ws = example();
    for report in ["funnel", "sources", "sla", "team"] {
        let page = at_width(&env, &ws, "100", &["report", report, "--format", "html"]);
        let doc = scraper::Html::parse_document(&page);
        let select = |css: &str| scraper::Selector::parse(css).unwrap();
        // HTML is not a terminal: blocks, not `____#=====___`.
        let trends: Vec<String> = doc
            .select(&select("td.trend"))
            .map(|td| td.text().collect())
            .collect();
        assert!(!trends.is_empty(), "{report}");
        for t in &trends {
            assert!(
                t.chars().all(|c| ('▁'..='█').contains(&c)),
                "{report}: {t:?}"
            );
        }
        // Each table in a box that scrolls sideways; the page never widens.
        assert_eq!(
            doc.select(&select("div.scroll > table")).count(),
            doc.select(&select("table")).count()
        );
        assert!(page.contains(".scroll{max-width:100%;overflow-x:auto}"));
        assert_eq!(
            doc.select(&select("figure > figcaption + svg")).count(),
            1,
            "{report}"
        );
        // No label cut off at the viewBox: every bar label measured to fit.
        for svg in svgs(&page) {
            render(svg);
            assert!(!svg.contains("…"), "{report}: a label had to be cut: {svg}");
        }
        let md = at_width(&env, &ws, "100", &["report", report, "--format", "md"]);
        assert!(md.contains('▁') && !md.contains("`____"), "{report}: {md}");
    }
}

/// The x, y and anchor of the `<text>` whose content is `label`.
fn text_at(svg: &str, label: &str) -> (f64, f64, String) {
    let end = svg.find(&format!(">{label}</text>")).unwrap();
    let start = svg[..end].rfind("<text").unwrap();
    let tag = &svg[start..end];
    let attr = |name: &str| {
        let from = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        let to = tag[from..].find('"').unwrap() + from;
        tag[from..to].to_string()
    };
    (
        attr("x").parse().unwrap(),
        attr("y").parse().unwrap(),
        attr("text-anchor"),
    )
}

#[test]
fn the_point_label_keeps_off_the_pace_and_target_lines() {
    // Exactly on pace at several moments: the label used to sit on the pace line.
    for (now, actual) in [
        (0.5, 50.0),
        (0.3, 30.0),
        (0.75, 75.0),
        (0.5, 95.0),
        (0.9, 98.0),
    ] {
        let b = Burnup {
            actual: vec![(0.0, 0.0), (now, actual)],
            now,
            since: None,
            projected: Some(actual / now),
            actual_label: "42 points".into(),
            projected_label: "99".into(),
            ..example_burnup()
        };
        let svg = burnup(&b);
        let top = burnup_top(&b);
        let bottom = BURNUP.y + BURNUP.height;
        let y_of = |v: f64| bottom - BURNUP.height * v / top;
        let pace = |x: f64| bottom + (y_of(b.target) - bottom) * (x - BURNUP.x) / BURNUP.width;
        for (label, size) in [("42 points", 12.0), ("projected 99", 11.0)] {
            let (x, y, anchor) = text_at(&svg, label);
            let width = text_width(label, size);
            let left = if anchor == "end" { x - width } else { x };
            let (box_top, box_bottom) = (y - size * 0.8, y + size * 0.25);
            let mut xs = left;
            while xs <= left + width {
                for line_y in [pace(xs), y_of(b.target)] {
                    assert!(
                        line_y < box_top || line_y > box_bottom,
                        "{label} at ({x}, {y}) crosses a line at ({xs}, {line_y}) for {now} {actual}"
                    );
                }
                xs += 1.0;
            }
            assert!(
                left >= 0.0 && left + width <= BURNUP_SIZE.0,
                "{label} inside the chart"
            );
        }
    }
}
