//! Which links growth keeps for a content idea: the CLI's rule, applied again by `check` to
//! what the journal holds, since a teammate's push can bring any text.

/// The schemes a link may have: web pages and mail, never script or inline data
/// (`javascript:`, `data:`, `vbscript:`, ...).
pub const SCHEMES: [&str; 3] = ["https://", "http://", "mailto:"];

/// Why `url` is not a link growth keeps, or `None` when it is one.
pub fn refusal(url: &str) -> Option<&'static str> {
    let scheme_ok = SCHEMES.iter().any(|s| {
        url.len() > s.len()
            && url
                .get(..s.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(s))
    });
    if !scheme_ok {
        return Some("links start with https://, http:// or mailto:");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("a link holds no spaces or control characters");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::refusal;

    #[test]
    fn only_web_and_mail_links_are_kept() {
        for ok in [
            "https://acme.example/x",
            "HTTP://acme.example",
            "mailto:jane@acme.example",
        ] {
            assert_eq!(refusal(ok), None, "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox",
            "https://",
            "https://a b",
            "ftp://x",
            " https://x",
        ] {
            assert!(refusal(bad).is_some(), "{bad}");
        }
    }
}
