//! The entry model: one listing of the directory, as it flows from validation to rendering.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Ages {
    /// 下限（歳）
    #[schemars(range(max = 120))]
    pub min: u32,
    /// 上限（歳）
    #[schemars(range(max = 120))]
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
        let mut copy = *self;
        copy.slot(id).and_then(|v| *v)
    }

    pub fn set(&mut self, id: &str, value: bool) {
        if let Some(slot) = self.slot(id) {
            *slot = Some(value);
        }
    }

    /// The one place flag ids map to fields.
    fn slot(&mut self, id: &str) -> Option<&mut Option<bool>> {
        Some(match id {
            "transport" => &mut self.transport,
            "bathing" => &mut self.bathing,
            "overnight" => &mut self.overnight,
            "weekend" => &mut self.weekend,
            "evening" => &mut self.evening,
            "walking" => &mut self.walking,
            _ => return None,
        })
    }
}

/// The fields of an entry file as contributors write them. Validation reads files field by field
/// (to report every problem with its position); this type documents the format and generates the
/// JSON Schema that editors use (`schema/entry.schema.json`), and its field list drives the
/// "did you mean" hints, so the three cannot drift apart.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "tsunagu 掲載情報",
    description = "医療的ケア児の支援資源マップに載せる1件分の情報です。.toml ファイルではこのまま、.md ファイルでは +++ で囲んだ部分（front matter）に書きます。"
)]
pub struct EntryFile {
    /// 名称（必須）。事業所・学校などの正式な名前。
    #[schemars(example = &"ひだまり児童発達支援センター")]
    pub name: String,
    /// 名称の読み（ひらがな・カタカナ）。50音順の並べ替えと、読みでの検索に使います。
    #[schemars(example = &"ひだまりじどうはったつしえんせんたー")]
    pub kana: Option<String>,
    /// 種類（必須）: facility（通所・支援施設）/ short-stay（短期入所・レスパイト）/ visiting-nurse（訪問看護）/ school（学校・保育）。
    #[schemars(example = &"facility")]
    pub category: String,
    /// 提供するサービス。種類ごとの一覧から選びます（例: 児童発達支援、医療型短期入所、訪問看護、特別支援学校）。
    #[schemars(example = ["児童発達支援", "放課後等デイサービス"])]
    pub services: Option<Vec<String>>,
    /// 市町村名または5桁の市町村コード（必須）。地域はここから決まります。
    #[schemars(example = &"津市")]
    pub municipality: String,
    /// 住所（必須）。
    #[schemars(example = &"三重県津市栄町1-2-3")]
    pub address: String,
    /// 郵便番号（「123-4567」の形）。
    #[schemars(regex(pattern = r"^[0-9]{3}-[0-9]{4}$"), example = &"514-0004")]
    pub postal_code: Option<String>,
    /// 緯度（lon と組で書きます。日本の範囲 20〜46）。
    #[schemars(range(min = 20.0, max = 46.0), example = 34.7191)]
    pub lat: Option<f64>,
    /// 経度（lat と組で書きます。日本の範囲 122〜154）。
    #[schemars(range(min = 122.0, max = 154.0), example = 136.5051)]
    pub lon: Option<f64>,
    /// 電話番号。phone・email・url のどれか1つは必須です。
    #[schemars(regex(pattern = r"^[0-9()+\- ]+$"), example = &"059-000-1234")]
    pub phone: Option<String>,
    /// FAX 番号。
    #[schemars(regex(pattern = r"^[0-9()+\- ]+$"), example = &"059-000-1235")]
    pub fax: Option<String>,
    /// メールアドレス。
    #[schemars(example = &"info@example.jp")]
    pub email: Option<String>,
    /// ウェブサイト（http:// または https:// で始まる URL）。
    #[schemars(regex(pattern = r"^https?://"), example = &"https://example.jp/")]
    pub url: Option<String>,
    /// 運営法人。
    #[schemars(example = &"社会福祉法人ひだまり会")]
    pub operator: Option<String>,
    /// 受け入れできる医療的ケア。id（例: ventilator）または名称（例: 人工呼吸器）で書きます。
    #[schemars(example = ["ventilator", "吸引", "tube-feeding"])]
    pub care: Option<Vec<String>>,
    /// 対象年齢（0〜120 の整数、min ≦ max）。
    pub ages: Option<Ages>,
    /// 定員（0 以上の整数）。
    #[schemars(example = 10)]
    pub capacity: Option<u32>,
    /// 送迎がある。
    pub transport: Option<bool>,
    /// 入浴ができる。
    pub bathing: Option<bool>,
    /// 宿泊ができる。
    pub overnight: Option<bool>,
    /// 土日祝に利用できる。
    pub weekend: Option<bool>,
    /// 18時以降（夕方）に利用できる。
    pub evening: Option<bool>,
    /// 動ける医療的ケア児（歩ける・走れる子ども）を受け入れる。
    pub walking: Option<bool>,
    /// 利用できる日と時間帯（自由記述）。
    #[schemars(example = &"平日 9:00〜17:00、土曜 9:00〜12:00")]
    pub hours: Option<String>,
    /// 最終確認日（必須）。内容を最後に確かめた日を、引用符なしの日付で書きます（例: verified = 2026-04-01）。未来の日付は使えません。
    #[schemars(with = "String", extend("format" = "date"), example = &"2026-04-01")]
    pub verified: toml::value::Datetime,
    /// 情報の提供元（例: 県看護協会）。
    #[schemars(example = &"三重県看護協会")]
    pub source: Option<String>,
    /// true にすると公開しません（下書き）。
    pub draft: Option<bool>,
    /// 紹介文（Markdown）。.toml ファイルだけで使います。.md ファイルでは +++ の後の本文に書きます。
    pub description: Option<String>,
}

/// Draft 7: the newest draft that TOML editors' schema validators (taplo, VS Code) all support.
fn schema() -> schemars::Schema {
    schemars::generate::SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<EntryFile>()
}

/// The JSON Schema of entry files, as committed at `schema/entry.schema.json`.
pub fn json_schema() -> String {
    let schema = schema();
    let mut s = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    s.push('\n');
    s
}

/// One field of the entry format, as the schema documents it.
#[derive(Debug, Clone)]
pub struct FieldDoc {
    pub name: String,
    pub description: String,
    pub example: Option<serde_json::Value>,
}

/// Every field an entry file may have, in the documented order, read from the schema.
pub fn fields() -> &'static [FieldDoc] {
    static FIELDS: std::sync::LazyLock<Vec<FieldDoc>> = std::sync::LazyLock::new(|| {
        let schema = schema();
        let Some(props) = schema.get("properties").and_then(|p| p.as_object()) else {
            return Vec::new();
        };
        props
            .iter()
            .map(|(name, p)| FieldDoc {
                name: name.clone(),
                description: p
                    .get("description")
                    .and_then(|d| d.as_str())
                    .unwrap_or("")
                    .to_owned(),
                example: p.get("examples").and_then(|e| e.get(0)).cloned(),
            })
            .collect()
    });
    &FIELDS
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
    fn field_list_comes_from_the_schema_in_order() {
        let names: Vec<&str> = fields().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names.len(), 28);
        assert_eq!(&names[..3], ["name", "kana", "category"]);
        assert_eq!(names.last(), Some(&"description"));
        for (id, _) in FLAGS {
            assert!(names.contains(&id), "{id}");
        }
        assert!(fields().iter().all(|f| !f.description.is_empty()));
        let name = &fields()[0];
        assert_eq!(
            name.example,
            Some(serde_json::json!("ひだまり児童発達支援センター"))
        );
    }

    #[test]
    fn committed_schema_is_up_to_date() {
        assert!(
            json_schema() == include_str!("../schema/entry.schema.json"),
            "schema/entry.schema.json is stale: run `cargo run -- schema > schema/entry.schema.json`"
        );
    }

    #[test]
    fn schema_requires_what_validation_requires() {
        let schema: serde_json::Value = serde_json::from_str(&json_schema()).unwrap();
        let required: Vec<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(
            required,
            ["name", "category", "municipality", "address", "verified"]
        );
        assert_eq!(schema["additionalProperties"], serde_json::json!(false));
        assert_eq!(schema["properties"]["verified"]["format"], "date");
    }

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
