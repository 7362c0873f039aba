//! Japan's 47 prefectures and their municipalities, from the national table bundled in
//! `src/data/municipalities.csv` (source, licence and date in `src/data/README.md`). `init` writes
//! a prefecture's regions.toml from it, and `import` tells a national file's rows of the site's
//! prefecture from the others' by it.

use std::sync::OnceLock;

/// A prefecture: its two-digit code (the first two digits of its municipalities' codes), its
/// name and its name in Hepburn romaji, as typed on a command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefecture {
    pub code: &'static str,
    pub name: &'static str,
    pub romaji: &'static str,
}

/// One municipality of the national table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    /// Five-digit local government code (the JIS X 0402 code without its check digit).
    pub code: &'static str,
    pub name: &'static str,
    /// The name's reading in hiragana.
    pub reading: &'static str,
}

const TABLE: &str = include_str!("data/municipalities.csv");

pub const PREFECTURES: [Prefecture; 47] = {
    const fn p(code: &'static str, name: &'static str, romaji: &'static str) -> Prefecture {
        Prefecture { code, name, romaji }
    }
    [
        p("01", "北海道", "hokkaido"),
        p("02", "青森県", "aomori"),
        p("03", "岩手県", "iwate"),
        p("04", "宮城県", "miyagi"),
        p("05", "秋田県", "akita"),
        p("06", "山形県", "yamagata"),
        p("07", "福島県", "fukushima"),
        p("08", "茨城県", "ibaraki"),
        p("09", "栃木県", "tochigi"),
        p("10", "群馬県", "gunma"),
        p("11", "埼玉県", "saitama"),
        p("12", "千葉県", "chiba"),
        p("13", "東京都", "tokyo"),
        p("14", "神奈川県", "kanagawa"),
        p("15", "新潟県", "niigata"),
        p("16", "富山県", "toyama"),
        p("17", "石川県", "ishikawa"),
        p("18", "福井県", "fukui"),
        p("19", "山梨県", "yamanashi"),
        p("20", "長野県", "nagano"),
        p("21", "岐阜県", "gifu"),
        p("22", "静岡県", "shizuoka"),
        p("23", "愛知県", "aichi"),
        p("24", "三重県", "mie"),
        p("25", "滋賀県", "shiga"),
        p("26", "京都府", "kyoto"),
        p("27", "大阪府", "osaka"),
        p("28", "兵庫県", "hyogo"),
        p("29", "奈良県", "nara"),
        p("30", "和歌山県", "wakayama"),
        p("31", "鳥取県", "tottori"),
        p("32", "島根県", "shimane"),
        p("33", "岡山県", "okayama"),
        p("34", "広島県", "hiroshima"),
        p("35", "山口県", "yamaguchi"),
        p("36", "徳島県", "tokushima"),
        p("37", "香川県", "kagawa"),
        p("38", "愛媛県", "ehime"),
        p("39", "高知県", "kochi"),
        p("40", "福岡県", "fukuoka"),
        p("41", "佐賀県", "saga"),
        p("42", "長崎県", "nagasaki"),
        p("43", "熊本県", "kumamoto"),
        p("44", "大分県", "oita"),
        p("45", "宮崎県", "miyazaki"),
        p("46", "鹿児島県", "kagoshima"),
        p("47", "沖縄県", "okinawa"),
    ]
};

impl Prefecture {
    /// The name without 都/府/県 (北海道 keeps its name): 長野, 東京, 北海道.
    pub fn short_name(&self) -> &'static str {
        match self.name {
            "北海道" => self.name,
            n => n
                .strip_suffix(['都', '府', '県'])
                .expect("every other prefecture ends in 都, 府 or 県"),
        }
    }

    /// Its municipalities in code order.
    pub fn municipalities(&self) -> &'static [Municipality] {
        let all = table();
        let start = all.partition_point(|m| &m.code[..2] < self.code);
        let end = all.partition_point(|m| &m.code[..2] <= self.code);
        &all[start..end]
    }

    /// Whether a municipality code (five or six digits) belongs to this prefecture.
    pub fn has_code(&self, code: &str) -> bool {
        code.len() >= 5 && code.starts_with(self.code)
    }
}

/// Every municipality of the table, in code order.
fn table() -> &'static [Municipality] {
    static TABLE_ROWS: OnceLock<Vec<Municipality>> = OnceLock::new();
    TABLE_ROWS.get_or_init(|| {
        TABLE
            .lines()
            .skip(1)
            .map(|line| {
                let mut f = line.splitn(4, ',');
                let mut next = || {
                    f.next()
                        .expect("four columns in src/data/municipalities.csv")
                };
                let (code, _prefecture, name, reading) = (next(), next(), next(), next());
                Municipality {
                    code,
                    name,
                    reading,
                }
            })
            .collect()
    })
}

/// The prefecture a name designates: its full name (長野県), the name without 都/府/県 (長野) or
/// its romaji in any case (nagano, Nagano). Otherwise the closest names, for the message.
pub fn prefecture(name: &str) -> Result<&'static Prefecture, Vec<&'static str>> {
    let name = name.trim();
    let lower = name.to_ascii_lowercase();
    if let Some(p) = PREFECTURES
        .iter()
        .find(|p| p.name == name || p.short_name() == name || p.romaji == lower)
    {
        return Ok(p);
    }
    Err(closest(name, &lower))
}

/// The prefecture names (up to three) closest to what was typed, by edit distance to the full name, the
/// short name or the romaji, whichever is closest.
fn closest(name: &str, lower: &str) -> Vec<&'static str> {
    let mut scored: Vec<(usize, &'static str)> = PREFECTURES
        .iter()
        .map(|p| {
            let d = [
                strsim::levenshtein(name, p.name),
                strsim::levenshtein(name, p.short_name()),
                strsim::levenshtein(lower, p.romaji),
            ];
            (d.into_iter().min().unwrap_or(usize::MAX), p.name)
        })
        .collect();
    scored.sort();
    let best = scored[0].0;
    // Nothing near at all: a list of three far names would only mislead.
    if best > name.chars().count().max(2) / 2 + 1 {
        return Vec::new();
    }
    scored
        .into_iter()
        .take_while(|(d, _)| *d == best)
        .take(3)
        .map(|(_, n)| n)
        .collect()
}

/// The prefecture whose code a municipality code (five or six digits) starts with.
pub fn prefecture_of_code(code: &str) -> Option<&'static Prefecture> {
    PREFECTURES.iter().find(|p| p.has_code(code))
}

/// The prefecture an address starts with (after leading spaces and a postal code, if any).
pub fn prefecture_of_address(address: &str) -> Option<&'static Prefecture> {
    let rest = address
        .trim_start_matches(|c: char| {
            c.is_whitespace() || c.is_ascii_digit() || "〒-－ー‐".contains(c)
        })
        .trim_start();
    PREFECTURES.iter().find(|p| rest.starts_with(p.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each prefecture's count is pinned by tests/init.rs, through the regions.toml `init` writes.
    #[test]
    fn the_table_has_every_municipality_once() {
        assert_eq!(table().len(), 1741);
        let per_prefecture: usize = PREFECTURES.iter().map(|p| p.municipalities().len()).sum();
        assert_eq!(per_prefecture, 1741);
    }

    #[test]
    fn rows_are_well_formed_and_in_their_prefecture() {
        let mut last = "";
        for line in TABLE.lines().skip(1) {
            let cols: Vec<&str> = line.split(',').collect();
            assert_eq!(cols.len(), 4, "{line}");
            let (code, pref, name, reading) = (cols[0], cols[1], cols[2], cols[3]);
            assert!(code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()));
            assert!(code > last, "sorted and unique: {code}");
            last = code;
            assert_eq!(prefecture_of_code(code).map(|p| p.name), Some(pref));
            assert!(!name.is_empty());
            assert!(
                reading
                    .chars()
                    .all(|c| ('ぁ'..='ゖ').contains(&c) || c == 'ー'),
                "{line}"
            );
        }
    }

    #[test]
    fn names_short_names_and_romaji_find_a_prefecture() {
        for q in ["長野県", "長野", "nagano", "Nagano", " NAGANO "] {
            assert_eq!(prefecture(q).map(|p| p.code), Ok("20"), "{q}");
        }
        assert_eq!(prefecture("東京").map(|p| p.name), Ok("東京都"));
        assert_eq!(prefecture("京都").map(|p| p.name), Ok("京都府"));
        assert_eq!(prefecture("北海道").map(|p| p.name), Ok("北海道"));
        let nagano = prefecture("長野").unwrap();
        assert_eq!(nagano.municipalities()[0].name, "長野市");
        assert_eq!(nagano.municipalities()[0].reading, "ながのし");
    }

    #[test]
    fn unknown_names_get_the_closest() {
        assert_eq!(prefecture("長野件"), Err(vec!["長野県"]));
        assert!(prefecture("nagno").unwrap_err().contains(&"長野県"));
        assert!(prefecture("oosaka").unwrap_err().contains(&"大阪府"));
        assert_eq!(prefecture("atlantis"), Err(vec![]));
    }

    #[test]
    fn codes_and_addresses_name_their_prefecture() {
        assert_eq!(prefecture_of_code("24201").map(|p| p.name), Some("三重県"));
        assert_eq!(prefecture_of_code("242012").map(|p| p.name), Some("三重県"));
        assert_eq!(prefecture_of_code("99999"), None);
        assert_eq!(
            prefecture_of_address("〒514-0001 三重県津市江戸橋").map(|p| p.name),
            Some("三重県")
        );
        assert_eq!(
            prefecture_of_address("京都府京都市").map(|p| p.name),
            Some("京都府")
        );
        assert_eq!(prefecture_of_address("津市江戸橋"), None);
    }
}
