//! Sparklines: a series as one line of characters, for trends in a terminal table or a
//! summary line. Unicode blocks where the terminal shows colour (`Ctx::unicode_charts`),
//! ASCII for pipes, files and `--color never` / `NO_COLOR`.

/// Low to high.
const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const ASCII: [char; 7] = ['_', '.', '-', '=', '+', '*', '#'];

/// A sparkline of `values`, one character per value: Unicode blocks `▁▂▃▄▅▆▇█` when
/// `unicode`, else ASCII `_.-=+*#` (low to high) — min maps to the lowest, max to the highest,
/// all-equal values to the middle (all zero, nothing yet: the lowest); empty input gives "".
///
/// A value that is not a number (NaN, infinite) shows as a space and is left out of the
/// range.
pub fn sparkline(values: &[f64], unicode: bool) -> String {
    let levels: &[char] = if unicode { &BLOCKS } else { &ASCII };
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let (min, max) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let top = levels.len() - 1;
    values
        .iter()
        .map(|v| {
            if !v.is_finite() {
                ' '
            } else if max > min {
                levels[((v - min) / (max - min) * top as f64).round() as usize]
            } else if *v == 0.0 {
                // A goal with nothing yet is flat on the floor, not halfway up.
                levels[0]
            } else {
                levels[top / 2]
            }
        })
        .collect()
}

/// The most characters a sparkline in a table takes: a quarter of weeks. Wider, it pushed
/// the trend out of tables at ordinary terminal widths.
pub const COMPACT: usize = 13;

/// At most `max` of `values`, evenly spaced, the first and the last always kept: a running
/// total (a goal's weeks) keeps its shape. (A series of counts per week is cut to its last
/// weeks instead: sampling would drop counts.)
pub fn compact(values: &[f64], max: usize) -> Vec<f64> {
    let n = values.len();
    if n <= max {
        return values.to_vec();
    }
    if max < 2 {
        return values[n - max..].to_vec();
    }
    (0..max)
        .map(|i| values[(i * (n - 1) + (max - 1) / 2) / (max - 1)])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_keeps_the_ends_and_at_most_max_values() {
        let year: Vec<f64> = (1..=52).map(f64::from).collect();
        let short = compact(&year, COMPACT);
        assert_eq!(short.len(), COMPACT);
        assert_eq!((short[0], short[COMPACT - 1]), (1.0, 52.0));
        assert!(short.windows(2).all(|w| w[0] < w[1]), "{short:?}");
        assert_eq!(compact(&[1.0, 2.0, 3.0], COMPACT), vec![1.0, 2.0, 3.0]);
        assert_eq!(compact(&[], COMPACT), Vec::<f64>::new());
    }

    #[test]
    fn min_is_lowest_max_is_highest_and_flat_is_the_middle() {
        assert_eq!(
            sparkline(&[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0], false),
            "_.-=+*#"
        );
        assert_eq!(sparkline(&[1.0, 8.0], true), "▁█");
        assert_eq!(sparkline(&[3.0, 3.0, 3.0], true), "▄▄▄");
        assert_eq!(sparkline(&[3.0], false), "=");
        assert_eq!(sparkline(&[0.0, 0.0, 0.0], false), "___");
        assert_eq!(sparkline(&[], true), "");
        assert_eq!(sparkline(&[1.0, f64::NAN, 2.0], false), "_ #");
    }
}
