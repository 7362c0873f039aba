//! The field registry: every field of an entry file, declared once. The JSON Schema, the
//! unknown-field hints, the scaffold's comments, the yes/no flags (their storage, pages, cards,
//! filters, CLI options, open-data columns and search facets) all read this table, so a new
//! yes/no fact about a listing is one line here.

use serde_json::{Value, json};

/// How a field is written, and so how the schema describes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Text,
    /// Text that must match a pattern (the schema's `pattern`; validation checks it more closely).
    Pattern(&'static str),
    /// Hiragana or katakana.
    Kana,
    /// A list of texts.
    Texts,
    /// A decimal number in a range (coordinates).
    Number {
        min: f64,
        max: f64,
    },
    /// A whole number from 0.
    Count,
    /// `{ min, max }` ages.
    Ages,
    /// An unquoted TOML date.
    Date,
    /// A yes/no fact families filter on: a search facet, a `tsunagu search --<id>` option, an
    /// open-data column `対応_<label>`, a chip on cards and a line on entry pages.
    Flag,
    /// Any other true/false switch of the file itself (`draft`).
    Switch,
}

/// One field of an entry file.
#[derive(Debug)]
pub struct Field {
    /// The key in entry files, open-data JSON and search filters.
    pub id: &'static str,
    /// Short Japanese label (pages, filters, open-data columns).
    pub label: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// What the field means, for contributors (schema, scaffold, required-field messages).
    pub doc: &'static str,
    /// An example value as JSON, for the schema and the scaffold.
    pub example: Option<&'static str>,
}

const fn field(id: &'static str, label: &'static str, kind: Kind, doc: &'static str) -> Field {
    Field {
        id,
        label,
        kind,
        required: false,
        doc,
        example: None,
    }
}

impl Field {
    const fn required(mut self) -> Field {
        self.required = true;
        self
    }

    const fn example(mut self, json: &'static str) -> Field {
        self.example = Some(json);
        self
    }
}

const PHONE_PATTERN: &str = r"^[0-9()+\- ]+$";

/// Every field an entry file may have, in the documented order.
pub const FIELDS: &[Field] = &[
    field("name", "名称", Kind::Text, "名称（必須）。事業所・学校などの正式な名前。")
        .required()
        .example(r#""ひだまり児童発達支援センター""#),
    field("kana", "読み", Kind::Kana, "名称の読み（ひらがな・カタカナ）。50音順の並べ替えと、読みでの検索に使います。")
        .example(r#""ひだまりじどうはったつしえんせんたー""#),
    field("category", "種類", Kind::Text, "種類（必須）: facility（通所・支援施設）/ short-stay（短期入所・レスパイト）/ visiting-nurse（訪問看護）/ school（学校・保育）。")
        .required()
        .example(r#""facility""#),
    field("services", "サービス", Kind::Texts, "提供するサービス。種類ごとの一覧から選びます（例: 児童発達支援、医療型短期入所、訪問看護、特別支援学校）。")
        .example(r#"["児童発達支援", "放課後等デイサービス"]"#),
    field("municipality", "市町村", Kind::Text, "市町村名または5桁の市町村コード（必須）。地域はここから決まります。")
        .required()
        .example(r#""津市""#),
    field("address", "住所", Kind::Text, "住所（必須）。")
        .required()
        .example(r#""三重県津市栄町1-2-3""#),
    field("postal_code", "郵便番号", Kind::Pattern(r"^[0-9]{3}-[0-9]{4}$"), "郵便番号（「123-4567」の形）。")
        .example(r#""514-0004""#),
    field("lat", "緯度", Kind::Number { min: 20.0, max: 46.0 }, "緯度（lon と組で書きます。日本の範囲 20〜46）。")
        .example("34.7191"),
    field("lon", "経度", Kind::Number { min: 122.0, max: 154.0 }, "経度（lat と組で書きます。日本の範囲 122〜154）。")
        .example("136.5051"),
    field("phone", "電話", Kind::Pattern(PHONE_PATTERN), "電話番号。phone・email・url のどれか1つは必須です。")
        .example(r#""059-000-1234""#),
    field("fax", "FAX", Kind::Pattern(PHONE_PATTERN), "FAX 番号。")
        .example(r#""059-000-1235""#),
    field("email", "メール", Kind::Text, "メールアドレス。")
        .example(r#""info@example.jp""#),
    field("url", "ウェブサイト", Kind::Pattern("^https?://"), "ウェブサイト（http:// または https:// で始まる URL）。")
        .example(r#""https://example.jp/""#),
    field("operator", "運営法人", Kind::Text, "運営法人。")
        .example(r#""社会福祉法人ひだまり会""#),
    field("care", "医療的ケア", Kind::Texts, "受け入れできる医療的ケア。id（例: ventilator）または名称（例: 人工呼吸器）で書きます。")
        .example(r#"["ventilator", "吸引", "tube-feeding"]"#),
    field("ages", "対象年齢", Kind::Ages, "対象年齢（0〜120 の整数、min ≦ max）。"),
    field("capacity", "定員", Kind::Count, "定員（0 以上の整数）。").example("10"),
    field("transport", "送迎", Kind::Flag, "送迎がある。"),
    field("bathing", "入浴", Kind::Flag, "入浴ができる。"),
    field("overnight", "宿泊", Kind::Flag, "宿泊ができる。"),
    field("weekend", "土日祝", Kind::Flag, "土日祝に利用できる。"),
    field("evening", "夕方（18時以降）", Kind::Flag, "18時以降（夕方）に利用できる。"),
    field("walking", "動ける医ケア児", Kind::Flag, "動ける医療的ケア児（歩ける・走れる子ども）を受け入れる。"),
    field("emergency_power", "非常用電源", Kind::Flag, "非常用電源・発電機がある（停電のときも人工呼吸器などの電源が使える）。"),
    field("welfare_shelter", "福祉避難所", Kind::Flag, "福祉避難所として医療的ケア児を受け入れる（市町村の指定または協定による）。"),
    field("hours", "利用できる時間", Kind::Text, "利用できる日と時間帯（自由記述）。")
        .example(r#""平日 9:00〜17:00、土曜 9:00〜12:00""#),
    field("verified", "最終確認日", Kind::Date, "最終確認日（必須）。内容を最後に確かめた日を、引用符なしの日付で書きます（例: verified = 2026-04-01）。未来の日付は使えません。")
        .required()
        .example(r#""2026-04-01""#),
    field("source", "情報提供元", Kind::Text, "情報の提供元（例: 県看護協会）。")
        .example(r#""三重県看護協会""#),
    field("draft", "下書き", Kind::Switch, "true にすると公開しません（下書き）。"),
    field("description", "紹介文", Kind::Text, "紹介文（Markdown）。.toml ファイルだけで使います。.md ファイルでは +++ の後の本文に書きます。"),
];

/// The field with this id.
pub fn get(id: &str) -> Option<&'static Field> {
    FIELDS.iter().find(|f| f.id == id)
}

/// How many yes/no flags there are.
pub const FLAG_COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < FIELDS.len() {
        if matches!(FIELDS[i].kind, Kind::Flag) {
            n += 1;
        }
        i += 1;
    }
    n
};

// Flags travel as 32-bit masks in the search index.
const _: () = assert!(FLAG_COUNT <= 32);

/// The yes/no flags, in display order.
pub fn flags() -> &'static [&'static Field; FLAG_COUNT] {
    static FLAGS: std::sync::LazyLock<[&'static Field; FLAG_COUNT]> =
        std::sync::LazyLock::new(|| {
            let mut flags = FIELDS.iter().filter(|f| f.kind == Kind::Flag);
            std::array::from_fn(|_| flags.next().expect("FLAG_COUNT counts the flags"))
        });
    &FLAGS
}

impl Field {
    /// The example as JSON.
    pub fn example_value(&self) -> Option<Value> {
        self.example
            .map(|e| serde_json::from_str(e).expect("registry examples are JSON"))
    }

    /// The `tsunagu search` option of a flag: its id with `-` for `_`.
    pub fn cli_option(&self) -> String {
        self.id.replace('_', "-")
    }

    /// The open-data CSV column of a flag.
    pub fn column(&self) -> String {
        format!("対応_{}", self.label)
    }

    /// The field's JSON Schema.
    fn schema(&self) -> Value {
        let typed = |t: &str| {
            if self.required {
                json!(t)
            } else {
                json!([t, "null"])
            }
        };
        let mut s = json!({ "description": self.doc });
        match self.kind {
            Kind::Text | Kind::Kana => s["type"] = typed("string"),
            Kind::Pattern(p) => {
                s["type"] = typed("string");
                s["pattern"] = json!(p);
            }
            Kind::Texts => {
                s["type"] = typed("array");
                s["items"] = json!({ "type": "string" });
            }
            Kind::Number { min, max } => {
                s["type"] = typed("number");
                s["minimum"] = json!(min);
                s["maximum"] = json!(max);
            }
            Kind::Count => {
                s["type"] = typed("integer");
                s["minimum"] = json!(0);
            }
            Kind::Ages => {
                let age = |d: &str| json!({ "description": d, "type": "integer", "minimum": 0, "maximum": 120 });
                s["type"] = typed("object");
                s["properties"] = json!({ "min": age("下限（歳）"), "max": age("上限（歳）") });
                s["additionalProperties"] = json!(false);
                s["required"] = json!(["min", "max"]);
            }
            Kind::Date => {
                s["type"] = typed("string");
                s["format"] = json!("date");
            }
            Kind::Flag | Kind::Switch => s["type"] = typed("boolean"),
        }
        if let Some(example) = self.example_value() {
            s["examples"] = json!([example]);
        }
        s
    }
}

/// The JSON Schema of entry files (draft 7, the newest that TOML editors' validators all
/// support), as committed at `schema/entry.schema.json`.
pub fn json_schema() -> String {
    let properties: serde_json::Map<String, Value> = FIELDS
        .iter()
        .map(|f| (f.id.to_owned(), f.schema()))
        .collect();
    let required: Vec<&str> = FIELDS.iter().filter(|f| f.required).map(|f| f.id).collect();
    let schema = json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "tsunagu 掲載情報",
        "description": "医療的ケア児の支援資源マップに載せる1件分の情報です。.toml ファイルではこのまま、.md ファイルでは +++ で囲んだ部分（front matter）に書きます。",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
        "required": required,
    });
    let mut s = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_flags_counted() {
        let mut ids: Vec<&str> = FIELDS.iter().map(|f| f.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), FIELDS.len());
        assert_eq!(
            flags().iter().map(|f| f.id).collect::<Vec<_>>(),
            FIELDS
                .iter()
                .filter(|f| f.kind == Kind::Flag)
                .map(|f| f.id)
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn every_field_is_documented_and_examples_parse() {
        for f in FIELDS {
            assert!(!f.doc.is_empty() && !f.label.is_empty(), "{}", f.id);
            let _ = f.example_value();
        }
        assert_eq!(
            get("name").unwrap().example_value(),
            Some(json!("ひだまり児童発達支援センター"))
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
        let schema: Value = serde_json::from_str(&json_schema()).unwrap();
        assert_eq!(
            schema["required"],
            json!(["name", "category", "municipality", "address", "verified"])
        );
        assert_eq!(schema["additionalProperties"], json!(false));
        assert_eq!(schema["properties"]["verified"]["format"], "date");
        assert_eq!(
            schema["properties"]["transport"]["type"],
            json!(["boolean", "null"])
        );
        assert_eq!(
            schema["properties"]["ages"]["required"],
            json!(["min", "max"])
        );
    }

    #[test]
    fn contributors_guide_documents_every_field() {
        let guide = include_str!("../CONTRIBUTING.md");
        for f in FIELDS {
            assert!(
                guide.contains(&format!("| `{}` |", f.id)),
                "CONTRIBUTING.md lacks {}",
                f.id
            );
        }
    }

    #[test]
    fn flag_options_and_columns() {
        let f = flags()[0];
        assert_eq!(
            (f.cli_option(), f.column()),
            ("transport".to_owned(), "対応_送迎".to_owned())
        );
    }
}
