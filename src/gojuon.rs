//! The 50音 rows (あ行 … わ行, and その他) that file each entry under its reading's first kana,
//! for the `/entries/` index and its per-row lists.
//!
//! A row's list lives at `/entries/<slug>/`, beside the entry pages `/entries/<id>/`, so that the
//! index of all entries and its rows share one folder. Entry ids are lowercase slugs too, so the
//! row slugs are reserved: validation and `tsunagu new` refuse them as ids, with a Japanese
//! message. The alternatives were worse: a path no slug can spell needs characters that either
//! get percent-encoded in every link and the sitemap (`/entries/か/`) or that hosts drop (GitHub
//! Pages' Jekyll skips folders starting with `_`), and a folder of its own (`/kana/ka/`) would
//! leave `/entries/` apart from its rows. Eleven short names are a small price: few listings are
//! called `ka` or `other`.

use crate::entry::to_hiragana;

/// One row of the 50音 table.
#[derive(Debug)]
pub struct Row {
    /// The path segment of the row's list (`/entries/<slug>/`), reserved as an entry id.
    pub slug: &'static str,
    /// `か行`, or `その他`.
    pub label: &'static str,
    /// The kana it starts with, for a lead: `か・き・く・け・こ`; empty for その他.
    pub kana: &'static str,
}

const fn row(slug: &'static str, label: &'static str, kana: &'static str) -> Row {
    Row { slug, label, kana }
}

/// The rows in 50音順, その他 last (no reading, or one starting with another sign than kana).
pub const ROWS: [Row; 11] = [
    row("a", "あ行", "あ・い・う・え・お"),
    row("ka", "か行", "か・き・く・け・こ"),
    row("sa", "さ行", "さ・し・す・せ・そ"),
    row("ta", "た行", "た・ち・つ・て・と"),
    row("na", "な行", "な・に・ぬ・ね・の"),
    row("ha", "は行", "は・ひ・ふ・へ・ほ"),
    row("ma", "ま行", "ま・み・む・め・も"),
    row("ya", "や行", "や・ゆ・よ"),
    row("ra", "ら行", "ら・り・る・れ・ろ"),
    row("wa", "わ行", "わ・を・ん"),
    row("other", "その他", ""),
];

/// The index in [`ROWS`] of the row a reading files under: its first kana after any spaces
/// (katakana as hiragana, voiced and small kana with their row), その他 without one.
pub fn row_of(reading: Option<&str>) -> usize {
    let first = reading
        .map(|r| r.trim_start_matches([' ', '　']))
        .and_then(|r| r.chars().next())
        .map(|c| to_hiragana(&c.to_string()).chars().next().unwrap_or(c));
    match first {
        Some('ぁ'..='お' | 'ゔ') => 0,
        Some('か'..='ご' | 'ゕ' | 'ゖ') => 1,
        Some('さ'..='ぞ') => 2,
        Some('た'..='ど') => 3,
        Some('な'..='の') => 4,
        Some('は'..='ぽ') => 5,
        Some('ま'..='も') => 6,
        Some('ゃ'..='よ') => 7,
        Some('ら'..='ろ') => 8,
        // ヷ ヸ ヹ ヺ are ワ ヰ ヱ ヲ with a voicing mark, and have no hiragana of their own.
        Some('ゎ'..='ん' | 'ヷ'..='ヺ') => 9,
        _ => ROWS.len() - 1,
    }
}

/// The row whose list takes this id's place (`/entries/<slug>/`): such an id is reserved.
pub fn reserved(id: &str) -> Option<&'static Row> {
    ROWS.iter().find(|r| r.slug == id)
}

/// Why an id is reserved, for validation and `tsunagu new`.
pub fn reserved_message(row: &Row) -> String {
    format!(
        "ファイル名（id）`{}` は使えません。/entries/{}/ は50音順の一覧（{}）のページです。ほかの名前にしてください（例: tsu-{}）",
        row.slug, row.slug, row.label, row.slug
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(reading: &str) -> &'static str {
        ROWS[row_of(Some(reading))].label
    }

    #[test]
    fn readings_file_under_their_first_kana() {
        let cases = [
            ("あおぞら", "あ行"),
            ("ぉ", "あ行"),
            ("ヴィラ", "あ行"),
            ("おひさま", "あ行"),
            ("がっこう", "か行"),
            ("ゴール", "か行"),
            ("ヵ", "か行"),
            ("じどう", "さ行"),
            ("ぞう", "さ行"),
            ("っと", "た行"),
            ("どんぐり", "た行"),
            ("ノア", "な行"),
            ("ぱんだ", "は行"),
            ("ほっと", "は行"),
            ("まつ", "ま行"),
            ("もも", "ま行"),
            ("ゃ", "や行"),
            ("よつば", "や行"),
            ("ラッコ", "ら行"),
            ("ろば", "ら行"),
            ("わかば", "わ行"),
            ("ヲ", "わ行"),
            ("ん", "わ行"),
            ("ヺ", "わ行"),
            ("　ひだまり", "は行"),
            ("ーー", "その他"),
            ("・あ", "その他"),
            ("", "その他"),
            ("abc", "その他"),
        ];
        for (reading, row) in cases {
            assert_eq!(label(reading), row, "{reading}");
        }
        assert_eq!(ROWS[row_of(None)].slug, "other");
    }

    #[test]
    fn row_slugs_are_slugs_and_reserved() {
        for r in &ROWS {
            assert!(crate::config::is_slug(r.slug), "{}", r.slug);
            assert_eq!(reserved(r.slug).map(|x| x.label), Some(r.label));
        }
        assert!(reserved("tsu-hidamari").is_none());
        assert!(reserved("kana").is_none());
    }
}
