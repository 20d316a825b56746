//! Making user text safe for where it goes: no terminal escapes from user text reach a
//! terminal, and no spreadsheet formula survives into CSV.

use std::fmt::Write;

/// Escapes control characters, C1 controls and bidi overrides, keeping newlines and tabs
/// when `keep_lines`; everything else passes through.
pub fn terminal(text: &str, keep_lines: bool) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\t' if keep_lines => out.push(c),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// One-line form for table cells.
pub fn cell(text: &str) -> String {
    terminal(text, false)
}

/// Whether `c` could steer a terminal or hide what a text says: control characters, bidi
/// marks and overrides, invisible characters and line separators.
pub fn is_unsafe(c: char) -> bool {
    needs_escape(c)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            // soft hyphen, Arabic letter mark
            '\u{ad}' | '\u{61c}'
            // zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
            | '\u{200b}'..='\u{200f}'
            // line and paragraph separators; bidi embeddings and overrides
            | '\u{2028}'..='\u{202e}'
            // word joiner and the invisible operators; bidi isolates
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            // zero-width no-break space (byte-order mark)
            | '\u{feff}'
        )
}

/// A CSV cell that a spreadsheet will not run as a formula (OWASP CSV injection): cells
/// starting with `=`, `+`, `-`, `@`, tab or carriage return get a leading apostrophe.
pub fn csv_cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_reach_the_terminal_as_text() {
        assert_eq!(cell("Acme\u{1b}[31m Corp"), "Acme\\u{1b}[31m Corp");
        assert_eq!(cell("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(cell("two\nlines"), "two\\nlines");
        assert_eq!(terminal("two\nlines", true), "two\nlines");
        assert_eq!(cell("Müller ✓"), "Müller ✓");
    }

    #[test]
    fn invisible_and_separator_characters_are_shown_escaped() {
        for c in [
            '\u{200b}', '\u{200c}', '\u{200d}', '\u{feff}', '\u{2060}', '\u{ad}', '\u{2028}',
            '\u{2029}', '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}',
        ] {
            let text = format!("pay{c}pal");
            assert_eq!(cell(&text), format!("pay\\u{{{:x}}}pal", u32::from(c)));
            assert_eq!(
                terminal(&text, true),
                format!("pay\\u{{{:x}}}pal", u32::from(c))
            );
        }
    }

    #[test]
    fn formulas_are_made_inert_in_csv() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("Acme"), "Acme");
    }
}
