//! The rules of single values, shared with `import` so that it writes only what `check` accepts.

use unicode_normalization::UnicodeNormalization;

use crate::entry::is_kana_char;

/// A reading after NFKC (half-width katakana becomes full-width); the normalised text is the error
/// when it has anything but kana.
pub fn kana_rule(s: &str) -> Result<String, String> {
    let kana: String = s.nfkc().collect();
    if kana.chars().all(is_kana_char) {
        Ok(kana)
    } else {
        Err(kana)
    }
}

/// A phone or fax number after NFKC, with the look-alike dashes that Japanese input methods type
/// (ー − ‐ ― …) read as hyphens; the normalised text is the error when it is not 6–15 digits with
/// hyphens, brackets, `+` and spaces.
pub fn phone_rule(s: &str) -> Result<String, String> {
    let p: String = s
        .nfkc()
        .map(|c| match c {
            'ー' | '−' | '‐' | '‑' | '‒' | '–' | '—' | '―' | 'ｰ' => '-',
            c => c,
        })
        .collect();
    let digits = p.chars().filter(char::is_ascii_digit).count();
    let ok = p.chars().all(|c| c.is_ascii_digit() || "-()+ ".contains(c));
    if ok && (6..=15).contains(&digits) {
        Ok(p)
    } else {
        Err(p)
    }
}

/// An http or https URL with a host; the error is the scheme when it is another one, `None` when
/// the text is no URL at all.
pub fn url_rule(s: &str) -> Result<url::Url, Option<String>> {
    let parsed = url::Url::parse(s).map_err(|_| None)?;
    if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() {
        Ok(parsed)
    } else {
        Err(Some(parsed.scheme().to_owned()))
    }
}

/// True for text shaped like an e-mail address: something, `@`, a domain with a dot inside, and
/// no spaces, quotes, brackets or other characters an address never has in practice.
pub fn email_rule(s: &str) -> bool {
    s.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
    }) && s
        .chars()
        .all(|c| c.is_ascii_graphic() && !"<>\"'()[]\\,;:".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_rules_normalise_or_say_what_was_read() {
        assert_eq!(kana_rule("ｱｵｿﾞﾗ"), Ok("アオゾラ".to_owned()));
        assert_eq!(kana_rule("青空"), Err("青空".to_owned()));
        assert_eq!(
            phone_rule("０５９ー０００−１２３４"),
            Ok("059-000-1234".to_owned())
        );
        assert_eq!(phone_rule("12"), Err("12".to_owned()));
        assert!(url_rule("https://example.jp").is_ok());
        assert_eq!(
            url_rule("javascript:alert(1)").unwrap_err(),
            Some("javascript".to_owned())
        );
        assert_eq!(url_rule("not a url").unwrap_err(), None);
        assert!(email_rule("info@example.jp"));
        for bad in [
            "info",
            "@example.jp",
            "a@example",
            "a@.jp",
            "a@b.jp.",
            "a b@c.jp",
            "a@b@c.jp",
            "<a>@b.jp",
        ] {
            assert!(!email_rule(bad), "{bad}");
        }
    }
}
