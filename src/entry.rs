//! The entry model: one listing of the directory, as it flows from validation to rendering.

use serde::Serialize;

use crate::date::Date;

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

/// Yes/no facts families filter on; `None` means the listing does not say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Flags {
    pub transport: Option<bool>,
    pub bathing: Option<bool>,
    pub overnight: Option<bool>,
    pub weekend: Option<bool>,
    pub evening: Option<bool>,
    pub walking: Option<bool>,
}

/// Flag ids with their Japanese labels, in display order.
pub const FLAGS: [(&str, &str); 6] = [
    ("transport", "送迎"),
    ("bathing", "入浴"),
    ("overnight", "宿泊"),
    ("weekend", "土日祝"),
    ("evening", "夕方（18時以降）"),
    ("walking", "動ける医ケア児"),
];

impl Flags {
    /// The value of a flag by id (one of [`FLAGS`]).
    pub fn get(&self, id: &str) -> Option<bool> {
        match id {
            "transport" => self.transport,
            "bathing" => self.bathing,
            "overnight" => self.overnight,
            "weekend" => self.weekend,
            "evening" => self.evening,
            "walking" => self.walking,
            _ => None,
        }
    }

    pub fn set(&mut self, id: &str, value: bool) {
        let slot = match id {
            "transport" => &mut self.transport,
            "bathing" => &mut self.bathing,
            "overnight" => &mut self.overnight,
            "weekend" => &mut self.weekend,
            "evening" => &mut self.evening,
            "walking" => &mut self.walking,
            _ => return,
        };
        *slot = Some(value);
    }
}

/// Every field an entry file may have, with what it means (used for hints and generated files).
pub const FIELDS: &[(&str, &str)] = &[
    ("name", "名称（必須）"),
    (
        "kana",
        "名称の読み（ひらがな・カタカナ）。50音順の並べ替えと検索に使います",
    ),
    (
        "category",
        "種類（必須）: facility / short-stay / visiting-nurse / school",
    ),
    ("services", "提供するサービス（種類ごとの一覧から）"),
    ("municipality", "市町村名または5桁の市町村コード（必須）"),
    ("address", "住所（必須）"),
    ("postal_code", "郵便番号（例: \"514-0001\"）"),
    ("lat", "緯度（lon と組で）"),
    ("lon", "経度（lat と組で）"),
    ("phone", "電話番号"),
    ("fax", "FAX 番号"),
    ("email", "メールアドレス"),
    ("url", "ウェブサイト（http:// または https://）"),
    ("operator", "運営法人"),
    ("care", "対応できる医療的ケア（id または名称）"),
    ("ages", "対象年齢 { min = 0, max = 18 }"),
    ("capacity", "定員"),
    ("transport", "送迎あり"),
    ("bathing", "入浴あり"),
    ("overnight", "宿泊あり"),
    ("weekend", "土日祝の利用"),
    ("evening", "18時以降の利用"),
    ("walking", "動ける医療的ケア児の受け入れ"),
    ("hours", "利用できる時間帯（自由記述）"),
    ("verified", "最終確認日（必須、例: 2026-04-01）"),
    ("source", "情報の提供元"),
    ("draft", "true にすると公開しません"),
    (
        "description",
        "紹介文（.toml ファイルのみ。.md では本文に書きます）",
    ),
];

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_katakana() {
        assert_eq!(to_hiragana("ヒダマリ センター"), "ひだまり せんたー");
        assert_eq!(to_hiragana("ヴぁ"), "ゔぁ");
    }

    #[test]
    fn flags_get_and_set_agree() {
        let mut f = Flags::default();
        for (id, _) in FLAGS {
            assert_eq!(f.get(id), None);
            f.set(id, true);
            assert_eq!(f.get(id), Some(true));
        }
    }
}
