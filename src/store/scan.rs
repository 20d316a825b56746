//! A fast reader for the journal files growth writes: one `[[entry]]` table after another,
//! each key on its own line with a one-line value (a basic or literal string, an array of
//! them, a
//! number, a boolean, a date or date-time). It goes straight from the text to a
//! [`RawEntry`], with no TOML tree in between: at a million entries that is most of a cold
//! load's time and memory.
//!
//! It is an accelerator, never a second parser with opinions: it accepts only text whose
//! meaning it knows exactly, and gives up (`None`) on anything else — a string over
//! several lines, an inline table, a dotted or quoted key, an unknown or repeated key, a
//! value of the wrong type, an escape TOML 1.0 does not have, a control character. The
//! caller then reads the file with the `toml` crate as before, which also locates every
//! problem. So a file reads the same either way; this one is just faster.

use std::ops::Range;

use crate::model::entry::RawEntry;

/// One entry read: its fields and the byte range of its table (from the `[[entry]]`
/// header to the end of its last value), relative to the text scanned.
#[derive(Debug)]
pub struct Scanned {
    pub raw: RawEntry,
    pub span: Range<usize>,
}

/// Every entry of `src`, or `None` when any line is outside what this reader knows.
pub fn entries(src: &str) -> Option<Vec<Scanned>> {
    let mut out = Vec::new();
    each(src, |s| {
        out.push(s);
        true
    })?;
    Some(out)
}

/// Hands every entry of `src` to `take` as it is read (an entry is large: they are not
/// collected). `None` when any line is outside what this reader knows, or `take` returns
/// `false`; the entries taken so far are then to be dropped.
pub fn each(src: &str, mut take: impl FnMut(Scanned) -> bool) -> Option<()> {
    let mut current: Option<(Scanned, u64)> = None;
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.strip_suffix('\n').unwrap_or(line);
        let body = body.strip_suffix('\r').unwrap_or(body);
        let trimmed = body.trim_start_matches([' ', '\t']);
        let lead = body.len() - trimmed.len();
        if trimmed.is_empty() {
            continue;
        }
        if let Some(comment) = trimmed.strip_prefix('#') {
            if !comment_ok(comment) {
                return None;
            }
            continue;
        }
        if trimmed.starts_with('[') {
            let rest = trimmed.strip_prefix("[[entry]]")?;
            if !tail_ok(rest) {
                return None;
            }
            if let Some((done, _)) = current.take()
                && !take(done)
            {
                return None;
            }
            let at = start + lead;
            current = Some((
                Scanned {
                    raw: RawEntry::default(),
                    span: at..at + "[[entry]]".len(),
                },
                0,
            ));
            continue;
        }
        // A key before any `[[entry]]` is not a journal file's.
        let (entry, seen) = current.as_mut()?;
        let key_len = trimmed
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))?;
        let (key, rest) = trimmed.split_at(key_len);
        let rest = rest.trim_start_matches([' ', '\t']).strip_prefix('=')?;
        let value_text = rest.trim_start_matches([' ', '\t']);
        let value_at = start + (body.len() - value_text.len());
        let (value, len) = value(value_text)?;
        if !tail_ok(&value_text[len..]) {
            return None;
        }
        let bit = set(&mut entry.raw, key, value)?;
        // A key twice in one table is a TOML error the full parser reports.
        if *seen & bit != 0 {
            return None;
        }
        *seen |= bit;
        entry.span.end = entry.span.end.max(value_at + len);
    }
    if let Some((done, _)) = current.take()
        && !take(done)
    {
        return None;
    }
    Some(())
}

/// A value as read.
enum Value {
    Str(String),
    Strs(Vec<String>),
    Number(f64),
    Bool(bool),
    /// A date or date-time, as TOML's parser would read the same text.
    Datetime(toml::value::Datetime),
}

/// Reads the value at the start of `text`: the value and how many bytes it took.
fn value(text: &str) -> Option<(Value, usize)> {
    let bytes = text.as_bytes();
    match bytes.first()? {
        b'"' => {
            let (s, len) = basic_string(text)?;
            Some((Value::Str(s), len))
        }
        b'\'' => {
            let (s, len) = literal_string(text)?;
            Some((Value::Str(s), len))
        }
        b'[' => {
            let mut items = Vec::new();
            let mut i = 1;
            loop {
                i += spaces(&text[i..]);
                match bytes.get(i)? {
                    b']' => return Some((Value::Strs(items), i + 1)),
                    b'"' | b'\'' => {
                        let (s, len) = if bytes[i] == b'"' {
                            basic_string(&text[i..])?
                        } else {
                            literal_string(&text[i..])?
                        };
                        items.push(s);
                        i += len;
                        i += spaces(&text[i..]);
                        match bytes.get(i)? {
                            b',' => i += 1,
                            b']' => return Some((Value::Strs(items), i + 1)),
                            _ => return None,
                        }
                    }
                    _ => return None,
                }
            }
        }
        b't' if text.starts_with("true") => Some((Value::Bool(true), 4)),
        b'f' if text.starts_with("false") => Some((Value::Bool(false), 5)),
        _ => {
            let len = text
                .bytes()
                .position(|b| matches!(b, b' ' | b'\t' | b'#'))
                .unwrap_or(text.len());
            let token = &text[..len];
            if is_datetime(token) {
                return Some((Value::Datetime(token.parse().ok()?), len));
            }
            number(token).map(|n| (Value::Number(n), len))
        }
    }
}

/// `YYYY-MM-DD`, or that with `THH:MM:SS`, optional fraction, then `Z` or `±HH:MM`: the
/// forms growth writes (anything else goes to the full parser).
fn is_datetime(token: &str) -> bool {
    let b = token.as_bytes();
    let digits = |r: Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if !(digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && b.get(7) == Some(&b'-')
        && digits(8..10))
    {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    if !(b.get(10) == Some(&b'T')
        && digits(11..13)
        && b.get(13) == Some(&b':')
        && digits(14..16)
        && b.get(16) == Some(&b':')
        && digits(17..19))
    {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        let n = b[i + 1..].iter().take_while(|d| d.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        i += 1 + n;
    }
    match &b[i..] {
        [b'Z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    }
}

/// A decimal integer or a plain decimal fraction (`12000`, `-3`, `0.5`), as TOML reads it.
fn number(token: &str) -> Option<f64> {
    let unsigned = token.strip_prefix(['-', '+']).unwrap_or(token);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (unsigned, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // No leading zeros, no underscores, exponents, inf or nan here.
    if !all_digits(whole) || (whole.len() > 1 && whole.starts_with('0')) {
        return None;
    }
    match fraction {
        None => token.parse::<i64>().ok().map(|i| i as f64),
        Some(f) if all_digits(f) => token.parse::<f64>().ok(),
        Some(_) => None,
    }
}

/// A basic string at the start of `text` (which starts with `"`): its value and length.
/// A multi-line basic string (`"""…"""`) that fits on its line reads the same, with
/// quotes inside (toml_edit writes text holding both kinds of quotes so).
fn basic_string(text: &str) -> Option<(String, usize)> {
    let multi = text.starts_with("\"\"\"");
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut i = if multi { 3 } else { 1 };
    let mut run = i;
    loop {
        match *bytes.get(i)? {
            b'"' if !multi => {
                out.push_str(&text[run..i]);
                return Some((out, i + 1));
            }
            b'"' => {
                // Up to two quotes may stand right before the closing three.
                let n = bytes[i..].iter().take_while(|&&b| b == b'"').count();
                if n < 3 {
                    i += n;
                    continue;
                }
                if n > 5 {
                    return None;
                }
                i += n - 3;
                out.push_str(&text[run..i]);
                return Some((out, i + 3));
            }
            b'\\' => {
                out.push_str(&text[run..i]);
                let e = *bytes.get(i + 1)?;
                i += 2;
                match e {
                    b'b' => out.push('\u{8}'),
                    b't' => out.push('\t'),
                    b'n' => out.push('\n'),
                    b'f' => out.push('\u{c}'),
                    b'r' => out.push('\r'),
                    b'"' => out.push('"'),
                    b'\\' => out.push('\\'),
                    b'u' | b'U' => {
                        let n = if e == b'u' { 4 } else { 8 };
                        let hex = text.get(i..i + n)?;
                        if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                            return None;
                        }
                        out.push(char::from_u32(u32::from_str_radix(hex, 16).ok()?)?);
                        i += n;
                    }
                    _ => return None,
                }
                run = i;
            }
            // Control characters are not allowed in a basic string (tab is).
            b if (b < b' ' && b != b'\t') || b == 0x7f => return None,
            _ => i += 1,
        }
    }
}

/// A literal string at the start of `text` (which starts with `'`): no escapes, no
/// control characters but tab. `'''…'''` on one line too, as for basic strings.
fn literal_string(text: &str) -> Option<(String, usize)> {
    let multi = text.starts_with("'''");
    let open = if multi { 3 } else { 1 };
    let bytes = text.as_bytes();
    let mut i = open;
    let end = loop {
        match *bytes.get(i)? {
            b'\'' if !multi => break i,
            b'\'' => {
                let n = bytes[i..].iter().take_while(|&&b| b == b'\'').count();
                if n < 3 {
                    i += n;
                    continue;
                }
                if n > 5 {
                    return None;
                }
                break i + n - 3;
            }
            _ => i += 1,
        }
    };
    let body = &text[open..end];
    if !comment_ok(body) {
        return None;
    }
    Some((body.to_string(), end + open))
}

fn spaces(text: &str) -> usize {
    text.len() - text.trim_start_matches([' ', '\t']).len()
}

/// What may follow a value or a header on its line: spaces, then nothing or a comment.
fn tail_ok(rest: &str) -> bool {
    let rest = rest.trim_start_matches([' ', '\t']);
    rest.is_empty() || rest.strip_prefix('#').is_some_and(comment_ok)
}

/// A comment holds no control characters but tab.
fn comment_ok(comment: &str) -> bool {
    !comment
        .chars()
        .any(|c| (c < ' ' && c != '\t') || c == '\u{7f}')
}

/// Puts `value` into the field `key` of `raw`; `None` for an unknown key or a value of the
/// wrong type. Returns the key's bit, to notice a key given twice.
fn set(raw: &mut RawEntry, key: &str, value: Value) -> Option<u64> {
    macro_rules! fields {
        ($( $bit:literal $name:ident : $kind:ident ),* $(,)?) => {
            match key {
                $( stringify!($name) => {
                    raw.$name = Some(fields!(@ $kind value));
                    Some(1u64 << $bit)
                } )*
                _ => None,
            }
        };
        (@ str $v:ident) => { match $v { Value::Str(s) => s, _ => return None } };
        (@ strs $v:ident) => { match $v { Value::Strs(s) => s, _ => return None } };
        (@ num $v:ident) => { match $v { Value::Number(n) => n, _ => return None } };
        (@ bool $v:ident) => { match $v { Value::Bool(b) => b, _ => return None } };
        (@ datetime $v:ident) => { match $v { Value::Datetime(d) => d, _ => return None } };
        (@ date $v:ident) => {
            match $v {
                Value::Datetime(d) => toml::Value::Datetime(d).try_into().ok()?,
                _ => return None,
            }
        };
    }
    // `type` is not a field; every RawEntry field is here, with its own bit.
    fields! {
        0 entry: str, 1 after: strs, 2 undoes: str, 3 at: datetime, 4 by: str, 5 kind: str,
        6 id: str, 7 lead: str, 8 company: str, 9 contact: str, 10 email: str, 11 source: str,
        12 value: num, 13 currency: str, 14 owner: str, 15 tags: strs, 16 stage: str,
        17 reason: str, 18 met: strs, 19 note: str, 20 handoff: str, 21 to: str, 22 text: str,
        23 category: str, 24 anonymous: bool, 25 feedback: str, 26 idea: str, 27 offer: str,
        28 status: str, 29 link: str, 30 credit: strs, 31 action: str, 32 due: date,
        33 goal: str, 34 title: str, 35 metric: str, 36 target: num, 37 unit: str,
        38 start: date, 39 end: date, 40 aggregate: str, 41 meeting: date, 42 crm_id: str,
        43 created: datetime, 44 facilitator: str, 45 attendees: strs, 46 section: str,
        47 member: str, 48 name: str, 49 department: str, 50 leader: bool, 51 unmet: strs,
        52 absent: strs, 53 retract: str, 54 active: bool, 55 win: str, 56 clear: strs,
        57 signing_key: str,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test's failure is its panic
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde::de::IntoDeserializer;

    /// What the `toml` crate reads from `src`, entry by entry, with the same spans.
    fn by_toml(src: &str) -> Option<Vec<String>> {
        let doc = toml::de::DeTable::parse(src).ok()?;
        let items = doc.get_ref().get("entry")?.get_ref().as_array()?;
        items
            .iter()
            .map(|i| {
                RawEntry::deserialize(i.clone().into_deserializer())
                    .ok()
                    .map(|r| format!("{r:?}"))
            })
            .collect()
    }

    fn by_scan(src: &str) -> Option<Vec<String>> {
        entries(src).map(|v| v.into_iter().map(|s| format!("{:?}", s.raw)).collect())
    }

    #[test]
    fn reads_what_growth_writes_as_toml_does() {
        let src = "# growth journal\n\n[[entry]]\nat = 2026-11-20T10:00:00+01:00\nby = \"maria\"\n\
                   kind = \"lead.add\"\nlead = 'acme'\ncompany = \"Acme \\\"Q\\\" \\u00e9\\t\"\n\
                   value = 12000\ntags = [\"a\", \"b\",]\nentry = \"7kq2m9xa3fpd\"\n\n\
                   [[entry]]  # two\r\nat = 2026-11-21T10:00:00.5Z\nby = \"tom\"\nkind = \"action.add\"\n\
                   id = \"x\"\ntext = \"\"\nowner = \"tom\"\ndue = 2026-12-01 # soon\ntarget = 0.25\n\
                   anonymous = false\nafter = []\n\n[[entry]]\nat = 2026-11-22T10:00:00Z\n\
                   by = \"tom\"\nkind = \"idea.add\"\nid = \"y\"\ntext = \"\"\"\"'a\"\"\"\"\"\n\
                   offer = \"\"\"\"\"\"\n";
        let scanned = by_scan(src).expect("scans");
        assert_eq!(Some(scanned), by_toml(src));
    }

    fn written(text: &str, note: &str) -> String {
        use crate::model::entry::{Change, Entry};
        let mut entry = Entry::new(
            crate::model::time::Instant(1_764_000_000_000),
            "maria",
            Change::IdeaAdd {
                id: "idea-1".into(),
                text: text.into(),
                lead: Some("acme".into()),
                offer: Some(note.into()),
            },
        );
        entry.after = Some(vec![7, 1 << 59]);
        crate::store::journal::format_entry(&entry, chrono_tz::Europe::Berlin)
    }

    /// The cases proptest once shrank to: quotes and escapes toml_edit writes as literal
    /// or multi-line strings.
    #[test]
    fn quotes_that_once_failed_read_the_same_fast_or_not() {
        for text in ["\"", "\"'", "\\'", "'''", "a\"b\\c"] {
            let src = written(text, "note");
            if let Some(fast) = by_scan(&src) {
                assert_eq!(Some(fast), by_toml(&src), "{text:?}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// Whatever text growth writes, the fast reader reads it as the `toml` crate does,
        /// or leaves it to it.
        #[test]
        fn any_text_growth_writes_reads_the_same_fast_or_not(text in ".*", note: String) {
            let src = written(&text, &note);
            if let Some(fast) = by_scan(&src) {
                proptest::prop_assert_eq!(Some(fast), by_toml(&src));
            }
        }

        /// Ordinary text takes the fast path.
        #[test]
        fn plain_text_takes_the_fast_path(text in "[ -~é€😀\t]*") {
            let src = written(&text, "a note");
            proptest::prop_assert!(by_scan(&src).is_some(), "{}", src);
            proptest::prop_assert_eq!(by_scan(&src), by_toml(&src));
        }
    }

    #[test]
    fn anything_else_is_left_to_the_full_parser() {
        for src in [
            "at = 2026-11-20T10:00:00Z\n",
            "[[entry]]\nnote = \"\"\"multi\nline\"\"\"\n",
            "[[entry]]\nnote = \"\"\"a\"\"\"\"\"\"\n",
            "[[entry]]\nnote = '''literal\nover lines'''\n",
            "[[entry]]\nnote = 'unclosed\n",
            "[[entry]]\nby = \"a\"\nby = \"b\"\n",
            "[[entry]]\nwho = \"a\"\n",
            "[[entry]]\nvalue = \"12\"\n",
            "[[entry]]\nvalue = 1_000\n",
            "[[entry]]\nvalue = 1e3\n",
            "[[entry]]\nnote = \"\\e\"\n",
            "[[entry]]\nnote = \"a\u{1}b\"\n",
            "[[entry]]\ntags = [\n\"a\"]\n",
            "[entry]\nby = \"a\"\n",
            "[[entry]]\n\"by\" = \"a\"\n",
            "[[entry]]\nat = 2026-11-20 10:00:00Z\n",
            "[[entry]]\nby = \"a\" x\n",
        ] {
            assert!(entries(src).is_none(), "{src:?}");
        }
    }
}
