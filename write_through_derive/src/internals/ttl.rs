//! Parsing a TTL: `"1h"`, `"1h30m"`, `"90s"`, `"1500ms"` or a number of seconds.

/// A TTL in milliseconds, or the reason it is not one.
pub fn parse_ttl(text: &str) -> Result<u64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("a TTL cannot be empty; write e.g. \"30s\", \"5m\", \"1h\" or \"7d\"".into());
    }
    if text.starts_with('-') {
        return Err("a TTL cannot be negative".into());
    }
    let mut total: u64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return Err(format!(
                "cannot read TTL {text:?}: expected whole numbers with units ms, s, m, h or d, e.g. \"1h30m\""
            ));
        }
        let number: u64 = rest[..digits]
            .parse()
            .map_err(|_| format!("TTL {text:?} is too large"))?;
        rest = rest[digits..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let millis_per_unit = match &rest[..unit_len] {
            "ms" => 1,
            "s" | "" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            unit => {
                return Err(format!(
                    "unknown TTL unit {unit:?} in {text:?}; use ms, s, m, h or d"
                ));
            }
        };
        if unit_len == 0 && !rest.is_empty() {
            return Err(format!(
                "cannot read TTL {text:?}: expected whole numbers with units ms, s, m, h or d, e.g. \"1h30m\""
            ));
        }
        rest = rest[unit_len..].trim_start();
        total = number
            .checked_mul(millis_per_unit)
            .and_then(|part| total.checked_add(part))
            .filter(|&total| total <= i64::MAX as u64)
            .ok_or_else(|| format!("TTL {text:?} is too large"))?;
    }
    check_millis(total)
}

/// A TTL given as a number of seconds.
pub fn ttl_from_seconds(seconds: u64) -> Result<u64, String> {
    let millis = seconds
        .checked_mul(1_000)
        .filter(|&ms| ms <= i64::MAX as u64)
        .ok_or_else(|| format!("TTL of {seconds} seconds is too large"))?;
    check_millis(millis)
}

fn check_millis(millis: u64) -> Result<u64, String> {
    match millis {
        0 => Err("a TTL of zero would expire every value at once; give at least one second".into()),
        1..=999 => Err(format!(
            "a sub-second TTL ({millis}ms) is not supported: give at least one second"
        )),
        _ => Ok(millis),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_convert_to_milliseconds() {
        assert_eq!(parse_ttl("30s"), Ok(30_000));
        assert_eq!(parse_ttl("5m"), Ok(300_000));
        assert_eq!(parse_ttl("1h"), Ok(3_600_000));
        assert_eq!(parse_ttl("7d"), Ok(604_800_000));
        assert_eq!(parse_ttl("1500ms"), Ok(1_500));
    }

    #[test]
    fn parts_add_up() {
        assert_eq!(parse_ttl("1h30m"), Ok(5_400_000));
        assert_eq!(parse_ttl("1h 30m 5s"), Ok(5_405_000));
    }

    #[test]
    fn a_bare_number_is_seconds() {
        assert_eq!(parse_ttl("3600"), Ok(3_600_000));
        assert_eq!(ttl_from_seconds(60), Ok(60_000));
    }

    #[test]
    fn zero_negative_and_sub_second_are_refused() {
        assert!(parse_ttl("0s").unwrap_err().contains("zero"));
        assert!(parse_ttl("-5s").unwrap_err().contains("negative"));
        assert!(parse_ttl("500ms").unwrap_err().contains("sub-second"));
        assert!(ttl_from_seconds(0).unwrap_err().contains("zero"));
    }

    #[test]
    fn nonsense_is_refused() {
        assert!(parse_ttl("").is_err());
        assert!(parse_ttl("soon").is_err());
        assert!(parse_ttl("1.5h").is_err());
        assert!(
            parse_ttl("5 fortnights")
                .unwrap_err()
                .contains("unknown TTL unit")
        );
        assert!(
            parse_ttl("99999999999999999999d")
                .unwrap_err()
                .contains("too large")
        );
        assert!(
            ttl_from_seconds(u64::MAX)
                .unwrap_err()
                .contains("too large")
        );
    }
}
