//! User text inside Markdown, Slack mrkdwn and HTML: escaped just enough that it reads as
//! typed and can add no markup (no headings, links, emphasis, HTML or pings), and split
//! into lines so a note typed over several lines shows as several lines, never as `\n`.

use super::sanitize;

/// The lines of a user text, each safe for a terminal (no control characters; a tab is a
/// space), trimmed, without empty ones. One-line text gives one line.
pub fn lines(text: &str) -> Vec<String> {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line).replace('\t', " "))
        .map(|line| sanitize::cell(&line).trim().to_string())
        .filter(|line| !line.is_empty())
        .collect()
}

/// Text for a Markdown paragraph or list item, on one line: escapes only what CommonMark
/// or GitHub would read as markup. A text of several lines is joined by spaces; use
/// [`markdown_lines`] to keep them.
pub fn markdown_text(text: &str) -> String {
    lines(text)
        .iter()
        .map(|l| markdown_line(l, false, true))
        .collect::<Vec<_>>()
        .join(" ")
}

/// [`markdown_text`] for a table cell: `|` would end the cell, and no block starts there.
pub fn markdown_cell(text: &str) -> String {
    lines(text)
        .iter()
        .map(|l| markdown_line(l, true, false))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The lines of a user text for Markdown, each escaped as the start of a line. With more
/// than one line, `|` is escaped too (two lines could otherwise make a table).
pub fn markdown_lines(text: &str) -> Vec<String> {
    let lines = lines(text);
    let pipes = lines.len() > 1;
    lines
        .iter()
        .map(|l| markdown_line(l, pipes, true))
        .collect()
}

/// One line of user text as Markdown. Escaped anywhere: `` ` `` `*` `[` `]` `~`; `_` not
/// inside a word; `\` before punctuation or at the end; `<` that could open a tag or an
/// autolink; `&` that could spell an entity. At the start of a block's line only: `#`
/// `>` and what would open a list or underline a heading.
fn markdown_line(line: &str, pipes: bool, block: bool) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 4);
    let start = if block {
        line_start_escape(&chars)
    } else {
        None
    };
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '`' | '*' | '[' | ']' | '~' => true,
            '|' => pipes,
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            '\\' => next.is_none_or(|n| n.is_ascii_punctuation()),
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
            '&' => spells_entity(&chars[i + 1..]),
            _ => start == Some(i),
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Which character at the start of a line would make it a heading, a quote, a list item
/// or a heading's underline.
fn line_start_escape(chars: &[char]) -> Option<usize> {
    let spaced = |i: usize| chars.get(i).is_none_or(|c| *c == ' ');
    match chars.first()? {
        '#' | '>' => Some(0),
        '-' | '+' if spaced(1) => Some(0),
        '-' | '=' if chars.iter().all(|c| *c == chars[0] || *c == ' ') => Some(0),
        c if c.is_ascii_digit() => {
            let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
            let after = *chars.get(digits)?;
            (digits <= 9 && matches!(after, '.' | ')') && spaced(digits + 1)).then_some(digits)
        }
        _ => None,
    }
}

/// Whether what follows an `&` reads as an HTML entity (`&amp;`, `&#38;`, `&#x26;`).
fn spells_entity(rest: &[char]) -> bool {
    let body: Vec<char> = rest.iter().take(33).copied().collect();
    let Some(end) = body.iter().position(|c| *c == ';') else {
        return false;
    };
    let name = &body[..end];
    match name {
        ['#', 'x' | 'X', hex @ ..] => !hex.is_empty() && hex.iter().all(char::is_ascii_hexdigit),
        ['#', digits @ ..] => !digits.is_empty() && digits.iter().all(char::is_ascii_digit),
        _ => !name.is_empty() && name.iter().all(char::is_ascii_alphanumeric),
    }
}

/// User text for Slack mrkdwn, on one line: `&`, `<` and `>` as entities (Slack's own
/// rule; no link, mention or quote can form), and a zero-width space outside a `*`, `_`,
/// `~` or `` ` `` that is not inside a word, which Slack then reads as a plain character
/// (mrkdwn has no escape for them).
pub fn slack_text(text: &str) -> String {
    lines(text)
        .iter()
        .map(|l| slack_line(l))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The lines of a user text for Slack mrkdwn.
pub fn slack_lines(text: &str) -> Vec<String> {
    lines(text).iter().map(|l| slack_line(l)).collect()
}

const ZERO_WIDTH_SPACE: char = '\u{200b}';

fn slack_line(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' | '_' | '~' | '`' => {
                let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                if !word(prev) {
                    out.push(ZERO_WIDTH_SPACE);
                }
                out.push(c);
                if !word(next) {
                    out.push(ZERO_WIDTH_SPACE);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for HTML element content and attribute values, on one line.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in sanitize::cell(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A user text as HTML element content, its lines kept as line breaks.
pub fn html_lines(text: &str) -> String {
    lines(text)
        .iter()
        .map(|l| html_escape(l))
        .collect::<Vec<_>>()
        .join("<br>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_only_what_would_be_markup() {
        let plain = "Great call! 3.7 -> 4.1, R&D at 50% (q4_new_revenue), a < b, C:\\dir";
        assert_eq!(markdown_text(plain), plain);
        assert_eq!(
            markdown_text("**bold** `code`"),
            "\\*\\*bold\\*\\* \\`code\\`"
        );
        assert_eq!(markdown_text("![img](http://x)"), "!\\[img\\](http://x)");
        assert_eq!(markdown_text("<script>"), "\\<script>");
        assert_eq!(markdown_text("_em_ ~~del~~"), "\\_em\\_ \\~\\~del\\~\\~");
        assert_eq!(
            markdown_text("&amp; &#38; &#x26;"),
            "\\&amp; \\&#38; \\&#x26;"
        );
        assert_eq!(markdown_text("a\\*b"), "a\\\\\\*b");
        assert_eq!(markdown_text("a | b"), "a | b");
        assert_eq!(markdown_cell("a | b"), "a \\| b");
        assert_eq!(markdown_cell("-"), "-");
    }

    #[test]
    fn markdown_escapes_what_would_start_a_block() {
        assert_eq!(markdown_text("# Title"), "\\# Title");
        assert_eq!(markdown_text("> quote"), "\\> quote");
        assert_eq!(markdown_text("- item"), "\\- item");
        assert_eq!(markdown_text("-5% churn"), "-5% churn");
        assert_eq!(markdown_text("2026. A year"), "2026\\. A year");
        assert_eq!(markdown_text("3.7 points"), "3.7 points");
        assert_eq!(markdown_text("==="), "\\===");
        assert_eq!(
            markdown_lines("Next steps:\n- call Erik\n\n  a | b\n"),
            ["Next steps:", "\\- call Erik", "a \\| b"]
        );
    }

    #[test]
    fn slack_escapes_its_control_characters_and_breaks_formatting() {
        assert_eq!(
            slack_text("R&D <!channel> >quote"),
            "R&amp;D &lt;!channel&gt; &gt;quote"
        );
        assert_eq!(slack_text("q4_new_revenue"), "q4_new_revenue");
        assert_eq!(slack_text("*bold*"), "\u{200b}*bold*\u{200b}");
        assert_eq!(slack_lines("one\ntwo"), ["one", "two"]);
    }

    #[test]
    fn lines_drop_blank_lines_and_control_characters() {
        assert_eq!(lines("a\r\n\n\tb\u{1b}[31m"), ["a", "b\\u{1b}[31m"]);
        assert_eq!(html_lines("a<b\nc"), "a&lt;b<br>\nc");
    }
}
