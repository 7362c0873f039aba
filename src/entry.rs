//! The entry model: one listing of the directory, as it flows from validation to rendering.

use serde::Serialize;

use crate::date::Date;
use crate::fields::{self, FLAG_COUNT, Field};

/// A provider or school, checked and resolved against the configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The file stem; the page lives at `/entries/<id>/`.
    pub id: String,
    /// Source path relative to the site root, for edit links and messages.
    pub path: String,
    pub name: String,
    pub kana: Option<String>,
    pub category: String,
    pub services: Vec<String>,
    /// Five-digit code of the municipality (given as a code or a name in the file).
    pub municipality: String,
    pub region: String,
    pub address: String,
    pub postal_code: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
    pub operator: Option<String>,
    /// Care-item ids (labels in the file are resolved to ids), in configuration order.
    pub care: Vec<String>,
    pub ages: Option<Ages>,
    pub capacity: Option<u32>,
    pub flags: Flags,
    pub hours: Option<String>,
    pub verified: Date,
    pub source: Option<String>,
    pub draft: bool,
    /// Markdown, from the body of a `.md` file or the `description` field of a `.toml` file.
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Ages {
    pub min: u32,
    pub max: u32,
}

/// Yes/no facts families filter on, in the order of [`fields::flags`]; `None` means the listing
/// does not say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags([Option<bool>; FLAG_COUNT]);

impl Flags {
    /// The value of a flag by id.
    pub fn get(&self, id: &str) -> Option<bool> {
        position(id).and_then(|i| self.0[i])
    }

    pub fn set(&mut self, id: &str, value: bool) {
        if let Some(i) = position(id) {
            self.0[i] = Some(value);
        }
    }

    /// Each flag with its value, in display order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static Field, Option<bool>)> + '_ {
        fields::flags().iter().copied().zip(self.0)
    }
}

fn position(id: &str) -> Option<usize> {
    fields::flags().iter().position(|f| f.id == id)
}

/// A map from flag id to value (open data writes it flattened among the other fields).
impl Serialize for Flags {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(FLAG_COUNT))?;
        for (f, v) in self.iter() {
            map.serialize_entry(f.id, &v)?;
        }
        map.end()
    }
}

/// A character allowed in `kana` (after NFKC): hiragana, katakana, the long-vowel and iteration
/// marks, the middle dot and spaces (validation and import agree on it).
pub fn is_kana_char(c: char) -> bool {
    matches!(c, 'ぁ'..='ゖ' | 'ゝ' | 'ゞ' | 'ァ'..='ヺ' | 'ー' | '・' | 'ヽ' | 'ヾ' | ' ' | '　')
}

/// The largest `capacity` an entry may give (validation and import agree on it).
pub const MAX_CAPACITY: i64 = 100_000;

/// Characters never allowed in published text: C0/C1 controls (except tab and line breaks) and the
/// bidirectional overrides that can make text read differently from what it is.
fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t' && c != '\r')
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// `s` without forbidden characters; borrowed when it has none (almost always).
pub fn without_forbidden_chars(s: &str) -> std::borrow::Cow<'_, str> {
    // Each forbidden character is a control byte or starts with 0xC2 (C1 controls) or 0xE2
    // (U+2000–U+2FFF): only text with such a byte needs the closer look.
    let suspect = s.bytes().any(|b| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F || b == 0xC2 || b == 0xE2
    });
    if suspect && s.chars().any(is_forbidden_char) {
        s.chars()
            .filter(|&c| !is_forbidden_char(c))
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// Folds katakana to hiragana, the key for 50音順 sorting and kana search.
pub fn to_hiragana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ァ'..='ヶ' => char::from_u32(c as u32 - 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

impl Entry {
    /// Sort key for 50音順: the reading in hiragana, entries without one after, then by name and id.
    pub fn sort_key(&self) -> (bool, String, String, String) {
        let kana = self.kana.as_deref().map(to_hiragana);
        (
            kana.is_none(),
            kana.unwrap_or_default(),
            self.name.clone(),
            self.id.clone(),
        )
    }

    /// Whether `verified` is more than a year before `today`.
    pub fn is_stale(&self, today: Date) -> bool {
        self.verified.days_until(today) > 365
    }
}

/// An entry for unit tests: a facility in 津市 (24201) with a phone number and nothing else.
#[cfg(test)]
pub(crate) fn test_entry(id: &str) -> Entry {
    Entry {
        id: id.into(),
        path: format!("content/entries/{id}.md"),
        name: id.into(),
        kana: None,
        category: "facility".into(),
        services: Vec::new(),
        municipality: "24201".into(),
        region: "tsu".into(),
        address: "x".into(),
        postal_code: None,
        lat: None,
        lon: None,
        phone: Some("059-000-0000".into()),
        fax: None,
        email: None,
        url: None,
        operator: None,
        care: Vec::new(),
        ages: None,
        capacity: None,
        flags: Flags::default(),
        hours: None,
        verified: Date {
            year: 2026,
            month: 6,
            day: 1,
        },
        source: None,
        draft: false,
        description: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_go_and_the_rest_stays() {
        let kept = "津市…○※〜\n\ta\r\n「」";
        assert!(
            matches!(without_forbidden_chars(kept), std::borrow::Cow::Borrowed(k) if k == kept)
        );
        assert_eq!(
            without_forbidden_chars("a\u{202E}b\u{2066}c\u{200F}d\u{0085}e\u{7}f\u{7F}g…"),
            "abcdefg…"
        );
    }

    #[test]
    fn folds_katakana() {
        assert_eq!(to_hiragana("ヒダマリ センター"), "ひだまり せんたー");
        assert_eq!(to_hiragana("ヴぁ"), "ゔぁ");
    }

    #[test]
    fn flags_get_and_set_agree() {
        let mut f = Flags::default();
        for flag in fields::flags() {
            assert_eq!(f.get(flag.id), None);
            f.set(flag.id, true);
            assert_eq!(f.get(flag.id), Some(true));
        }
        assert_eq!(f.get("draft"), None);
        assert!(f.iter().all(|(_, v)| v == Some(true)));
    }
}
