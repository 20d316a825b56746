//! Money as people type it and CRMs export it: `12500`, `12,500.00`, `$12,500`, `12500 EUR`.

/// Parses an amount with an optional currency (a symbol or a three-letter code).
pub fn parse_money(text: &str) -> Result<(f64, Option<String>), String> {
    let mut rest = text.trim().to_string();
    let mut currency = None;
    for (symbol, code) in [("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY")] {
        if let Some(stripped) = rest
            .strip_prefix(symbol)
            .or_else(|| rest.strip_suffix(symbol))
        {
            rest = stripped.trim().to_string();
            currency = Some(code.to_string());
        }
    }
    let words: Vec<&str> = rest.split_whitespace().collect();
    let amount = match words.as_slice() {
        [amount] => *amount,
        [a, b] if is_code(b) => {
            currency = Some(b.to_uppercase());
            a
        }
        [a, b] if is_code(a) => {
            currency = Some(a.to_uppercase());
            b
        }
        _ => {
            return Err(format!(
                "`{text}` is not an amount like 12500, 12,500.00 or \"12500 EUR\""
            ));
        }
    };
    // "18.000" is 18 thousand to a German and 18 to an American: refuse to guess.
    if let Some((_, decimals)) = amount.rsplit_once('.')
        && decimals.len() == 3
        && !amount.contains(',')
    {
        return Err(format!(
            "`{text}` is ambiguous; write 18000, 18,000 or 18000.00"
        ));
    }
    // A comma after the point is a European decimal comma ("12.500,00"): refuse to guess.
    if let (Some(point), Some(comma)) = (amount.rfind('.'), amount.rfind(','))
        && comma > point
    {
        return Err(format!(
            "`{text}` looks like a decimal comma; write 12500.00"
        ));
    }
    // Thousands separators must group by three: "12,50" is a decimal comma, not 1250.
    let whole = amount.split('.').next().unwrap_or_default();
    if whole.contains(',') {
        let groups: Vec<&str> = whole.split(',').collect();
        let grouped = groups[0].len() <= 3
            && !groups[0].is_empty()
            && groups[1..].iter().all(|g| g.len() == 3);
        if !grouped {
            return Err(format!("`{text}` is ambiguous; write 12.50 or 1,250"));
        }
    }
    let cleaned: String = amount.chars().filter(|c| *c != ',' && *c != '_').collect();
    let value: f64 = cleaned
        .parse()
        .map_err(|_| format!("`{text}` is not an amount like 12500 or 12,500.00"))?;
    if !value.is_finite() || !(0.0..=1e15).contains(&value) {
        return Err(format!(
            "`{text}` is not an amount between 0 and 1,000,000,000,000,000"
        ));
    }
    Ok((value, currency))
}

fn is_code(word: &str) -> bool {
    word.len() == 3 && word.chars().all(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::parse_money;

    #[test]
    fn amounts_parse_as_people_write_them() {
        assert_eq!(parse_money("12500"), Ok((12500.0, None)));
        assert_eq!(parse_money("$12,500.00"), Ok((12500.0, Some("USD".into()))));
        assert_eq!(parse_money("12500 eur"), Ok((12500.0, Some("EUR".into()))));
        assert_eq!(parse_money("GBP 99.5"), Ok((99.5, Some("GBP".into()))));
        assert!(parse_money("lots").is_err());
        assert!(parse_money("-5").is_err());
        assert!(parse_money("NaN").is_err());
        assert!(parse_money("1e308").is_err());
        assert!(parse_money("18.000 EUR").is_err());
        assert!(parse_money("12,50").is_err());
        assert!(parse_money("1,2,3").is_err());
        assert!(parse_money("12.500,00 EUR").is_err());
        assert_eq!(parse_money("1,234,567.5"), Ok((1234567.5, None)));
        assert_eq!(parse_money("18.50"), Ok((18.5, None)));
    }
}
