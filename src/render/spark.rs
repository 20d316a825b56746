//! Sparklines: a series of numbers as one line of characters, for a trend in a table cell.

/// The levels, low to high, on a terminal that shows Unicode.
const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/// The levels, low to high, in plain ASCII.
const ASCII: [char; 7] = ['_', '.', '-', '=', '+', '*', '#'];

/// A sparkline of `values`, one character per value: Unicode blocks `▁▂▃▄▅▆▇█` when
/// `unicode`, else ASCII `_.-=+*#` (low to high) — min maps to the lowest, max to the highest,
/// all-equal values to the middle; empty input gives "".
pub fn sparkline(values: &[f64], unicode: bool) -> String {
    let levels: &[char] = if unicode { &BLOCKS } else { &ASCII };
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let top = levels.len() - 1;
    values
        .iter()
        .map(|v| {
            let level = if !v.is_finite() || hi <= lo {
                levels.len() / 2
            } else {
                (((v - lo) / (hi - lo)) * top as f64).round() as usize
            };
            levels[level.min(top)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::sparkline;

    #[test]
    fn min_is_lowest_max_is_highest_and_flat_is_the_middle() {
        assert_eq!(sparkline(&[], true), "");
        assert_eq!(sparkline(&[0.0, 7.0], true), "▁█");
        assert_eq!(
            sparkline(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], false),
            "_.-=+*#"
        );
        assert_eq!(sparkline(&[3.0, 3.0], false), "==");
        assert_eq!(sparkline(&[2.0], true), "▅");
    }
}
