//! Synthetic content for benchmarks and tests: a complete site root with any number of invented
//! listings in Mie's geography.
//!
//! Everything comes from a small SplitMix64 generator, one stream per entry, so the same
//! `(entries, seed)` always gives byte-identical files however the writing threads are scheduled.
//! Every file passes `tsunagu check` without errors or warnings as long as "today" is within 65
//! days after [`NEWEST_VERIFIED`] (benchmarks pin it with `SOURCE_DATE_EPOCH`).

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::date::Date;
use rng::Rng;

mod rng;

/// The newest `verified` date written; the others go back at most 299 days from it.
pub const NEWEST_VERIFIED: Date = Date {
    year: 2026,
    month: 11,
    day: 1,
};

/// Entry files per folder at most (`content/entries/<region>/<NNN>/`).
const FILES_PER_DIR: usize = 1000;

/// Writes a synthetic site (configuration and `entries` listings) under `dir`, which must not hold
/// a `content/` folder yet.
pub fn generate(dir: &Path, entries: usize, seed: u64) -> Result<(), String> {
    generate_with(dir, entries, seed, FILES_PER_DIR)
}

fn generate_with(dir: &Path, entries: usize, seed: u64, per_dir: usize) -> Result<(), String> {
    let content = dir.join("content");
    if content.exists() {
        return Err(format!(
            "{} はすでにあります。空のフォルダを指定してください",
            content.display()
        ));
    }

    // Where each entry goes: its municipality (the first draw of its stream) and its folder.
    let mut per_region = [0usize; REGIONS.len()];
    let plans: Vec<(usize, usize)> = (0..entries)
        .map(|i| {
            let muni = pick_municipality(&mut Rng::for_entry(seed, i));
            let region = MUNICIPALITIES[muni].region;
            let chunk = per_region[region] / per_dir;
            per_region[region] += 1;
            (muni, chunk)
        })
        .collect();

    let folder = |muni: usize, chunk: usize| -> PathBuf {
        content
            .join("entries")
            .join(REGIONS[MUNICIPALITIES[muni].region].0)
            .join(format!("{chunk:03}"))
    };
    let folders: BTreeSet<PathBuf> = plans.iter().map(|&(m, c)| folder(m, c)).collect();
    std::fs::create_dir_all(content.join("entries")).map_err(|e| io_error(&content, e))?;
    for f in &folders {
        std::fs::create_dir_all(f).map_err(|e| io_error(f, e))?;
    }

    write(&content.join("site.toml"), &site_toml(entries, seed))?;
    write(&content.join("regions.toml"), &regions_toml())?;
    write(
        &content.join("demand.toml"),
        &demand_toml(&per_region, seed),
    )?;

    plans
        .par_iter()
        .enumerate()
        .try_for_each(|(i, &(muni, chunk))| {
            let (id, text) = entry_file(seed, i);
            write(&folder(muni, chunk).join(format!("{id}.md")), &text)
        })
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| io_error(path, e))
}

fn io_error(path: &Path, e: std::io::Error) -> String {
    format!("{} に書き込めません: {e}", path.display())
}

fn pick_municipality(rng: &mut Rng) -> usize {
    rng.weighted(MUNICIPALITIES.iter().map(|m| m.weight))
}

/// Regions as in `content/regions.toml`: id and name.
const REGIONS: [(&str, &str); 8] = [
    ("kuwana", "桑員"),
    ("yokkaichi", "三泗"),
    ("suzuka", "鈴亀"),
    ("tsu", "津"),
    ("iga", "伊賀"),
    ("matsusaka", "松阪"),
    ("ise-shima", "伊勢志摩"),
    ("higashi-kishu", "東紀州"),
];

struct Municipality {
    region: usize,
    code: &'static str,
    name: &'static str,
    lat: &'static str,
    lon: &'static str,
    /// Reading of the name without 市・町.
    kana: &'static str,
    romaji: &'static str,
    /// Telephone area code.
    area: &'static str,
    /// First three digits of its postal codes.
    zip: &'static str,
    /// Roughly the population in thousands: how many listings it gets.
    weight: u32,
}

const fn m(
    region: usize,
    code: &'static str,
    name: &'static str,
    (lat, lon): (&'static str, &'static str),
    (kana, romaji): (&'static str, &'static str),
    (area, zip): (&'static str, &'static str),
    weight: u32,
) -> Municipality {
    Municipality {
        region,
        code,
        name,
        lat,
        lon,
        kana,
        romaji,
        area,
        zip,
        weight,
    }
}

/// Mie's 29 municipalities, copied from `content/regions.toml` (codes and approximate centres).
#[rustfmt::skip]
const MUNICIPALITIES: [Municipality; 29] = [
    m(0, "24205", "桑名市", ("35.062", "136.684"), ("くわな", "kuwana"), ("0594", "511"), 140),
    m(0, "24214", "いなべ市", ("35.115", "136.561"), ("いなべ", "inabe"), ("0594", "511"), 44),
    m(0, "24303", "木曽岬町", ("35.066", "136.741"), ("きそさき", "kisosaki"), ("0567", "498"), 6),
    m(0, "24324", "東員町", ("35.074", "136.583"), ("とういん", "toin"), ("0594", "511"), 25),
    m(1, "24202", "四日市市", ("34.965", "136.624"), ("よっかいち", "yokkaichi"), ("059", "510"), 310),
    m(1, "24341", "菰野町", ("35.02", "136.507"), ("こもの", "komono"), ("059", "510"), 40),
    m(1, "24343", "朝日町", ("35.035", "136.664"), ("あさひ", "asahi"), ("059", "510"), 11),
    m(1, "24344", "川越町", ("35.023", "136.673"), ("かわごえ", "kawagoe"), ("059", "510"), 15),
    m(2, "24207", "鈴鹿市", ("34.882", "136.584"), ("すずか", "suzuka"), ("059", "513"), 196),
    m(2, "24210", "亀山市", ("34.856", "136.452"), ("かめやま", "kameyama"), ("0595", "519"), 49),
    m(3, "24201", "津市", ("34.719", "136.505"), ("つ", "tsu"), ("059", "514"), 274),
    m(4, "24208", "名張市", ("34.628", "136.108"), ("なばり", "nabari"), ("0595", "518"), 77),
    m(4, "24216", "伊賀市", ("34.769", "136.13"), ("いが", "iga"), ("0595", "518"), 88),
    m(5, "24204", "松阪市", ("34.578", "136.527"), ("まつさか", "matsusaka"), ("0598", "515"), 160),
    m(5, "24441", "多気町", ("34.497", "136.546"), ("たき", "taki"), ("0598", "519"), 14),
    m(5, "24442", "明和町", ("34.549", "136.621"), ("めいわ", "meiwa"), ("0596", "515"), 23),
    m(5, "24443", "大台町", ("34.405", "136.407"), ("おおだい", "odai"), ("0598", "519"), 9),
    m(5, "24471", "大紀町", ("34.363", "136.415"), ("たいき", "taiki"), ("0598", "519"), 8),
    m(6, "24203", "伊勢市", ("34.488", "136.709"), ("いせ", "ise"), ("0596", "516"), 123),
    m(6, "24211", "鳥羽市", ("34.481", "136.843"), ("とば", "toba"), ("0599", "517"), 18),
    m(6, "24215", "志摩市", ("34.328", "136.83"), ("しま", "shima"), ("0599", "517"), 47),
    m(6, "24461", "玉城町", ("34.49", "136.63"), ("たまき", "tamaki"), ("0596", "519"), 15),
    m(6, "24470", "度会町", ("34.437", "136.621"), ("わたらい", "watarai"), ("0596", "516"), 8),
    m(6, "24472", "南伊勢町", ("34.351", "136.703"), ("みなみいせ", "minamiise"), ("0599", "516"), 11),
    m(7, "24209", "尾鷲市", ("34.071", "136.191"), ("おわせ", "owase"), ("0597", "519"), 17),
    m(7, "24212", "熊野市", ("33.888", "136.1"), ("くまの", "kumano"), ("0597", "519"), 16),
    m(7, "24543", "紀北町", ("34.211", "136.337"), ("きほく", "kihoku"), ("0597", "519"), 15),
    m(7, "24561", "御浜町", ("33.814", "136.05"), ("みはま", "mihama"), ("05979", "519"), 8),
    m(7, "24562", "紀宝町", ("33.731", "135.997"), ("きほう", "kiho"), ("0735", "519"), 11),
];

impl Municipality {
    /// The name without 市・町 (津, 四日市, 南伊勢).
    fn short(&self) -> &'static str {
        self.name
            .strip_suffix('市')
            .or_else(|| self.name.strip_suffix('町'))
            .unwrap_or(self.name)
    }

    /// Reading of the 市・町 suffix (every town of Mie reads 町 as ちょう).
    fn suffix_kana(&self) -> &'static str {
        if self.name.ends_with('市') {
            "し"
        } else {
            "ちょう"
        }
    }
}

/// Name stems: as written, reading, romaji for ids.
const STEMS: &[(&str, &str, &str)] = &[
    ("ひまわり", "ひまわり", "himawari"),
    ("あおぞら", "あおぞら", "aozora"),
    ("さくら", "さくら", "sakura"),
    ("たんぽぽ", "たんぽぽ", "tanpopo"),
    ("にじいろ", "にじいろ", "nijiiro"),
    ("こもれび", "こもれび", "komorebi"),
    ("そよかぜ", "そよかぜ", "soyokaze"),
    ("すずらん", "すずらん", "suzuran"),
    ("わかば", "わかば", "wakaba"),
    ("ひだまり", "ひだまり", "hidamari"),
    ("つくし", "つくし", "tsukushi"),
    ("どんぐり", "どんぐり", "donguri"),
    ("なのはな", "なのはな", "nanohana"),
    ("かえで", "かえで", "kaede"),
    ("すみれ", "すみれ", "sumire"),
    ("ほたる", "ほたる", "hotaru"),
    ("もみじ", "もみじ", "momiji"),
    ("きらり", "きらり", "kirari"),
    ("ぽかぽか", "ぽかぽか", "pokapoka"),
    ("にこにこ", "にこにこ", "nikoniko"),
    ("ふわり", "ふわり", "fuwari"),
    ("ことり", "ことり", "kotori"),
    ("はなまる", "はなまる", "hanamaru"),
    ("めばえ", "めばえ", "mebae"),
    ("いろは", "いろは", "iroha"),
    ("ゆいまーる", "ゆいまーる", "yuimaru"),
    ("虹", "にじ", "niji"),
    ("陽だまり", "ひだまり", "hidamari"),
    ("希望", "きぼう", "kibou"),
    ("絆", "きずな", "kizuna"),
    ("結", "ゆい", "yui"),
    ("光", "ひかり", "hikari"),
    ("青空", "あおぞら", "aozora"),
    ("若葉", "わかば", "wakaba"),
    ("翼", "つばさ", "tsubasa"),
    ("未来", "みらい", "mirai"),
    ("星の子", "ほしのこ", "hoshinoko"),
    ("森のくま", "もりのくま", "morinokuma"),
    ("海風", "うみかぜ", "umikaze"),
    ("朝凪", "あさなぎ", "asanagi"),
    ("木漏れ日", "こもれび", "komorebi"),
    ("コスモス", "こすもす", "kosumosu"),
    ("スマイル", "すまいる", "smile"),
    ("オリーブ", "おりーぶ", "olive"),
    ("ハーモニー", "はーもにー", "harmony"),
    ("クローバー", "くろーばー", "clover"),
    ("ポプラ", "ぽぷら", "popura"),
    ("リーフ", "りーふ", "leaf"),
    ("てとて", "てとて", "tetote"),
    ("ここね", "ここね", "kokone"),
];

/// Place names for schools and addresses: as written, reading, romaji.
const PLACES: &[(&str, &str, &str)] = &[
    ("中央", "ちゅうおう", "chuo"),
    ("東", "ひがし", "higashi"),
    ("西", "にし", "nishi"),
    ("南", "みなみ", "minami"),
    ("北", "きた", "kita"),
    ("緑ヶ丘", "みどりがおか", "midorigaoka"),
    ("桜台", "さくらだい", "sakuradai"),
    ("若葉台", "わかばだい", "wakabadai"),
    ("旭が丘", "あさひがおか", "asahigaoka"),
    ("白山", "はくさん", "hakusan"),
    ("高田", "たかだ", "takada"),
    ("清水", "しみず", "shimizu"),
    ("浜田", "はまだ", "hamada"),
    ("山手", "やまて", "yamate"),
    ("栄", "さかえ", "sakae"),
    ("港", "みなと", "minato"),
    ("松ヶ崎", "まつがさき", "matsugasaki"),
    ("川原", "かわら", "kawara"),
];

const TOWNS: &[&str] = &[
    "栄町",
    "本町",
    "中町",
    "新町",
    "緑町",
    "旭町",
    "幸町",
    "寿町",
    "桜町",
    "東町",
    "西町",
    "南町",
    "北町",
    "港町",
    "川原町",
    "若葉台",
    "桜台",
    "緑ヶ丘",
    "白山町",
    "高田本山",
];

const VILLAGES: &[&str] = &[
    "大字上野",
    "大字中村",
    "大字下川",
    "大字高岡",
    "大字平田",
    "大字森",
    "大字山田",
    "大字岡本",
];

/// How a listing's name is made.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// ひまわり訪問看護ステーション, 伊賀ひまわり…, or 訪問看護ステーションひまわり.
    Stem,
    /// 三重県立ひまわり特別支援学校.
    Prefectural,
    /// 津市立緑ヶ丘小学校.
    Municipal,
}

/// A kind of listing within a category.
struct Kind {
    category: &'static str,
    text: &'static str,
    kana: &'static str,
    romaji: &'static str,
    /// How the first sentence of the description calls it.
    what: &'static str,
    /// Services always listed, then ones listed half of the time.
    services: &'static [&'static str],
    optional: &'static [&'static str],
    ages: Option<(u32, u32)>,
    capacity: Option<(u32, u32)>,
    style: Style,
    /// Listings per thousand.
    weight: u32,
}

const KINDS: &[Kind] = &[
    Kind {
        category: "facility",
        text: "児童発達支援センター",
        kana: "じどうはったつしえんせんたー",
        romaji: "jihatsu-center",
        what: "医療的ケアが必要なお子さんも通える児童発達支援センター",
        services: &["児童発達支援"],
        optional: &[
            "保育所等訪問支援",
            "障害児相談支援",
            "居宅訪問型児童発達支援",
        ],
        ages: Some((0, 6)),
        capacity: Some((10, 30)),
        style: Style::Stem,
        weight: 80,
    },
    Kind {
        category: "facility",
        text: "医療型児童発達支援センター",
        kana: "いりょうがたじどうはったつしえんせんたー",
        romaji: "iryo-jihatsu",
        what: "看護師と療法士が常駐する医療型児童発達支援センター",
        services: &["医療型児童発達支援"],
        optional: &["児童発達支援", "保育所等訪問支援"],
        ages: Some((0, 6)),
        capacity: Some((10, 40)),
        style: Style::Stem,
        weight: 25,
    },
    Kind {
        category: "facility",
        text: "放課後等デイサービス",
        kana: "ほうかごとうでいさーびす",
        romaji: "houkago-day",
        what: "学校の放課後や長期休みに通える放課後等デイサービス",
        services: &["放課後等デイサービス"],
        optional: &[],
        ages: Some((6, 18)),
        capacity: Some((5, 10)),
        style: Style::Stem,
        weight: 110,
    },
    Kind {
        category: "facility",
        text: "多機能型事業所",
        kana: "たきのうがたじぎょうしょ",
        romaji: "takinou",
        what: "児童発達支援と放課後等デイサービスを一体で行う多機能型の事業所",
        services: &["児童発達支援", "放課後等デイサービス"],
        optional: &["生活介護", "障害児相談支援"],
        ages: Some((0, 18)),
        capacity: Some((5, 20)),
        style: Style::Stem,
        weight: 70,
    },
    Kind {
        category: "facility",
        text: "重症児デイサービス",
        kana: "じゅうしょうじでいさーびす",
        romaji: "jushin-day",
        what: "重症心身障害児を主な対象とするデイサービス",
        services: &["児童発達支援", "放課後等デイサービス"],
        optional: &[],
        ages: Some((0, 18)),
        capacity: Some((5, 5)),
        style: Style::Stem,
        weight: 50,
    },
    Kind {
        category: "facility",
        text: "相談支援事業所",
        kana: "そうだんしえんじぎょうしょ",
        romaji: "soudan",
        what: "医療的ケア児等コーディネーターが在籍する相談支援事業所",
        services: &["障害児相談支援"],
        optional: &[],
        ages: Some((0, 18)),
        capacity: None,
        style: Style::Stem,
        weight: 35,
    },
    Kind {
        category: "facility",
        text: "療育センター",
        kana: "りょういくせんたー",
        romaji: "ryoiku-center",
        what: "入所と通所の両方を備えた療育センター",
        services: &["医療型障害児入所施設", "医療型児童発達支援"],
        optional: &["障害児相談支援"],
        ages: Some((0, 18)),
        capacity: Some((30, 120)),
        style: Style::Stem,
        weight: 8,
    },
    Kind {
        category: "facility",
        text: "ヘルパーステーション",
        kana: "へるぱーすてーしょん",
        romaji: "helper",
        what: "喀痰吸引等の研修を修了したヘルパーが在籍する居宅介護事業所",
        services: &["居宅介護"],
        optional: &[],
        ages: Some((0, 18)),
        capacity: None,
        style: Style::Stem,
        weight: 10,
    },
    Kind {
        category: "facility",
        text: "こどもクリニック",
        kana: "こどもくりにっく",
        romaji: "kodomo-clinic",
        what: "小児の在宅医療に取り組む診療所",
        services: &["訪問診療"],
        optional: &[],
        ages: Some((0, 18)),
        capacity: None,
        style: Style::Stem,
        weight: 7,
    },
    Kind {
        category: "facility",
        text: "生活介護事業所",
        kana: "せいかつかいごじぎょうしょ",
        romaji: "seikatsu-kaigo",
        what: "特別支援学校を卒業した後の日中の居場所となる生活介護事業所",
        services: &["生活介護"],
        optional: &[],
        ages: Some((18, 64)),
        capacity: Some((10, 30)),
        style: Style::Stem,
        weight: 5,
    },
    Kind {
        category: "short-stay",
        text: "ショートステイ",
        kana: "しょーとすてい",
        romaji: "shortstay",
        what: "障害のあるお子さんの宿泊を受け入れる福祉型短期入所",
        services: &["福祉型短期入所"],
        optional: &["日中一時支援"],
        ages: Some((6, 18)),
        capacity: Some((2, 10)),
        style: Style::Stem,
        weight: 40,
    },
    Kind {
        category: "short-stay",
        text: "短期入所ホーム",
        kana: "たんきにゅうしょほーむ",
        romaji: "tanki-home",
        what: "看護師が夜間も配置されている医療型短期入所",
        services: &["医療型短期入所"],
        optional: &["日中一時支援"],
        ages: Some((0, 18)),
        capacity: Some((2, 8)),
        style: Style::Stem,
        weight: 25,
    },
    Kind {
        category: "short-stay",
        text: "病院",
        kana: "びょういん",
        romaji: "hospital",
        what: "レスパイト入院を受け入れている病院",
        services: &["レスパイト入院"],
        optional: &["医療型短期入所"],
        ages: Some((0, 18)),
        capacity: Some((1, 6)),
        style: Style::Stem,
        weight: 15,
    },
    Kind {
        category: "short-stay",
        text: "日中一時支援センター",
        kana: "にっちゅういちじしえんせんたー",
        romaji: "nitchu",
        what: "日中の一時預かりを行う事業所",
        services: &["日中一時支援"],
        optional: &[],
        ages: Some((3, 18)),
        capacity: Some((3, 10)),
        style: Style::Stem,
        weight: 20,
    },
    Kind {
        category: "visiting-nurse",
        text: "訪問看護ステーション",
        kana: "ほうもんかんごすてーしょん",
        romaji: "houkan",
        what: "小児の利用者も受け入れている訪問看護ステーション",
        services: &["訪問看護"],
        optional: &[],
        ages: Some((0, 18)),
        capacity: None,
        style: Style::Stem,
        weight: 170,
    },
    Kind {
        category: "visiting-nurse",
        text: "小児訪問看護ステーション",
        kana: "しょうにほうもんかんごすてーしょん",
        romaji: "shoni-houkan",
        what: "小児専門の訪問看護ステーション",
        services: &["訪問看護"],
        optional: &["訪問リハビリ"],
        ages: Some((0, 18)),
        capacity: None,
        style: Style::Stem,
        weight: 80,
    },
    Kind {
        category: "visiting-nurse",
        text: "訪問看護リハビリステーション",
        kana: "ほうもんかんごりはびりすてーしょん",
        romaji: "houkan-reha",
        what: "看護師と理学療法士がご自宅に伺う訪問看護・リハビリの事業所",
        services: &["訪問看護", "訪問リハビリ"],
        optional: &[],
        ages: Some((0, 18)),
        capacity: None,
        style: Style::Stem,
        weight: 50,
    },
    Kind {
        category: "school",
        text: "特別支援学校",
        kana: "とくべつしえんがっこう",
        romaji: "tokushi",
        what: "小学部・中学部・高等部のある県立の特別支援学校",
        services: &["特別支援学校"],
        optional: &[],
        ages: Some((6, 18)),
        capacity: Some((40, 300)),
        style: Style::Prefectural,
        weight: 25,
    },
    Kind {
        category: "school",
        text: "小学校",
        kana: "しょうがっこう",
        romaji: "shogakko",
        what: "看護師を配置して医療的ケア児を受け入れている小学校",
        services: &["小学校"],
        optional: &[],
        ages: Some((6, 12)),
        capacity: Some((60, 800)),
        style: Style::Municipal,
        weight: 55,
    },
    Kind {
        category: "school",
        text: "中学校",
        kana: "ちゅうがっこう",
        romaji: "chugakko",
        what: "看護師を配置して医療的ケア児を受け入れている中学校",
        services: &["中学校"],
        optional: &[],
        ages: Some((12, 15)),
        capacity: Some((90, 700)),
        style: Style::Municipal,
        weight: 25,
    },
    Kind {
        category: "school",
        text: "保育園",
        kana: "ほいくえん",
        romaji: "hoikuen",
        what: "医療的ケア児の受け入れに取り組む保育所",
        services: &["保育所"],
        optional: &[],
        ages: Some((0, 5)),
        capacity: Some((30, 150)),
        style: Style::Stem,
        weight: 45,
    },
    Kind {
        category: "school",
        text: "こども園",
        kana: "こどもえん",
        romaji: "kodomoen",
        what: "看護師が在籍する認定こども園",
        services: &["認定こども園"],
        optional: &[],
        ages: Some((0, 5)),
        capacity: Some((40, 200)),
        style: Style::Stem,
        weight: 35,
    },
    Kind {
        category: "school",
        text: "幼稚園",
        kana: "ようちえん",
        romaji: "yochien",
        what: "医療的ケア児の受け入れを相談できる幼稚園",
        services: &["幼稚園"],
        optional: &[],
        ages: Some((3, 5)),
        capacity: Some((30, 160)),
        style: Style::Stem,
        weight: 15,
    },
];

/// The 14 built-in care items with how often a listing accepts each (per thousand).
const CARE: [(&str, &str, u32); 14] = [
    ("ventilator", "人工呼吸器", 350),
    ("tracheostomy", "気管切開", 450),
    ("airway", "鼻咽頭エアウェイ", 100),
    ("oxygen", "酸素療法", 500),
    ("suction", "吸引", 750),
    ("nebulizer", "ネブライザー", 350),
    ("tube-feeding", "経管栄養", 700),
    ("central-venous", "中心静脈カテーテル", 120),
    ("injection", "皮下注射", 200),
    ("blood-glucose", "血糖測定", 300),
    ("dialysis", "透析", 50),
    ("catheterization", "導尿", 300),
    ("bowel", "排便管理", 250),
    ("seizure", "痙攣時の処置", 550),
];

/// Flag ids (as in [`crate::fields::flags`]) with how often each is true, per category
/// (facility, short-stay, visiting-nurse, school), per thousand.
const FLAG_ODDS: [(&str, [u32; 4]); 8] = [
    ("transport", [700, 500, 0, 600]),
    ("bathing", [300, 800, 400, 20]),
    ("overnight", [20, 900, 0, 10]),
    ("weekend", [300, 600, 500, 20]),
    ("evening", [300, 500, 400, 50]),
    ("walking", [600, 500, 700, 700]),
    ("emergency_power", [300, 700, 100, 250]),
    ("welfare_shelter", [100, 300, 0, 150]),
];

const CATEGORIES: [&str; 4] = ["facility", "short-stay", "visiting-nurse", "school"];

const SOURCES: &[&str] = &[
    "みえ医ケア児支援者ネットワーク（合成データ）",
    "地域療育ネットワーク調査（合成データ）",
    "事業所への聞き取り（合成データ）",
    "市町の障害福祉担当課（合成データ）",
];

fn pick_hours(rng: &mut Rng, category: &str) -> &'static str {
    let options: &[&str] = match category {
        "facility" => &[
            "平日 9:00〜17:00",
            "月〜土 9:30〜17:30",
            "平日 10:00〜18:00（学校休業日は 9:00〜17:00）",
            "月〜金 8:30〜17:15",
        ],
        "short-stay" => &[
            "24時間（要予約）",
            "日中 9:00〜17:00、宿泊は要相談",
            "毎日 8:30〜翌朝 9:00",
        ],
        "visiting-nurse" => &[
            "平日 9:00〜17:00（24時間の電話対応あり）",
            "月〜土 8:30〜17:30",
            "毎日 9:00〜18:00（緊急時は24時間対応）",
        ],
        _ => &["授業日 8:30〜15:30", "平日 7:30〜18:30", "平日 8:00〜16:00"],
    };
    rng.pick::<&str>(options)
}

/// Extra sentences for the description, by category.
fn remarks(category: &str) -> &'static [&'static str] {
    match category {
        "facility" => &[
            "看護師が常勤で2名以上在籍しています。",
            "理学療法士・作業療法士による個別の療育を行っています。",
            "ご利用の前に、見学と面談をお願いしています。",
            "空き状況はお電話でお問い合わせください。",
            "地域の学校や保育所と連携して支援を行っています。",
            "きょうだい児の預かりについてもご相談ください。",
            "初回の利用前に主治医の診療情報提供書が必要です。",
            "保護者同士が交流できる茶話会を月に1回開いています。",
        ],
        "short-stay" => &[
            "初回の利用前に面談と主治医の診療情報提供書が必要です。",
            "緊急時の受け入れはできない場合があります。",
            "利用日の1か月前から予約を受け付けています。",
            "夜間も看護師が配置されています。",
            "ご家族の休息（レスパイト）を目的とした利用もできます。",
            "人工呼吸器を使用しているお子さんは事前の調整が必要です。",
        ],
        "visiting-nurse" => &[
            "小児看護の経験が豊富な看護師が在籍しています。",
            "24時間の電話相談に対応しています。",
            "主治医の訪問看護指示書に基づいて訪問します。",
            "入浴の介助や呼吸のリハビリにも対応しています。",
            "退院前のカンファレンスから関わることができます。",
            "学校や通所先への付き添いについてもご相談ください。",
        ],
        _ => &[
            "看護師が配置されており、授業中の医療的ケアに対応しています。",
            "入学・入園の前に、保護者と主治医を交えた面談を行っています。",
            "医療的ケアの内容によっては保護者の付き添いをお願いする場合があります。",
            "見学は随時受け付けています。",
            "教育委員会と連携して受け入れの体制を整えています。",
            "バリアフリーに対応した校舎です。",
        ],
    }
}

fn flag_sentence(id: &str, value: bool) -> &'static str {
    match (id, value) {
        ("transport", true) => "ご自宅までの送迎があります。",
        ("transport", false) => "送迎は行っていません。",
        ("bathing", true) => "入浴の支援ができます。",
        ("bathing", false) => "入浴の支援は行っていません。",
        ("overnight", true) => "宿泊を伴う利用ができます。",
        ("overnight", false) => "宿泊の受け入れはしていません。",
        ("weekend", true) => "土日祝日も利用できます。",
        ("weekend", false) => "土日祝日はお休みです。",
        ("evening", true) => "18時以降の利用にも対応しています。",
        ("evening", false) => "18時以降の利用はできません。",
        ("walking", true) => "歩くことのできる医療的ケア児も受け入れています。",
        ("walking", false) => "歩くことのできる医療的ケア児の受け入れは要相談です。",
        ("emergency_power", true) => "停電に備えて非常用電源（発電機）を備えています。",
        ("emergency_power", false) => "非常用電源の設備はありません。",
        ("welfare_shelter", true) => "災害時は福祉避難所として医療的ケア児を受け入れます。",
        _ => "福祉避難所の指定は受けていません。",
    }
}

fn hiragana_to_katakana(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ぁ'..='ゖ' => char::from_u32(c as u32 + 0x60).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// A coordinate of the form `35.062` in ten-thousandths of a degree.
fn ten_thousandths(s: &str) -> i64 {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let frac = format!("{frac:0<4}");
    whole.parse::<i64>().unwrap_or(0) * 10_000 + frac[..4].parse::<i64>().unwrap_or(0)
}

fn degrees(v: i64) -> String {
    format!("{}.{:04}", v / 10_000, v % 10_000)
}

/// The id and text of entry `i`.
fn entry_file(seed: u64, i: usize) -> (String, String) {
    let mut rng = Rng::for_entry(seed, i);
    let muni = &MUNICIPALITIES[pick_municipality(&mut rng)];
    let kind = &KINDS[rng.weighted(KINDS.iter().map(|k| k.weight))];
    let cat_index = CATEGORIES
        .iter()
        .position(|c| *c == kind.category)
        .unwrap_or(0);

    let (stem, stem_kana, stem_romaji) = *rng.pick(STEMS);
    let (name, kana, romaji) = match kind.style {
        Style::Prefectural => (
            format!("三重県立{stem}{}", kind.text),
            format!("みえけんりつ{stem_kana}{}", kind.kana),
            stem_romaji,
        ),
        Style::Municipal => {
            let (place, place_kana, place_romaji) = *rng.pick(PLACES);
            (
                format!("{}立{place}{}", muni.name, kind.text),
                format!(
                    "{}{}りつ{place_kana}{}",
                    muni.kana,
                    muni.suffix_kana(),
                    kind.kana
                ),
                place_romaji,
            )
        }
        Style::Stem => match rng.below(10) {
            0..=5 => (
                format!("{stem}{}", kind.text),
                format!("{stem_kana}{}", kind.kana),
                stem_romaji,
            ),
            6..=7 => (
                format!("{}{stem}{}", muni.short(), kind.text),
                format!("{}{stem_kana}{}", muni.kana, kind.kana),
                stem_romaji,
            ),
            _ => (
                format!("{}{stem}", kind.text),
                format!("{}{stem_kana}", kind.kana),
                stem_romaji,
            ),
        },
    };
    let kana = if rng.chance(100) {
        hiragana_to_katakana(&kana)
    } else {
        kana
    };
    let id = format!("{}-{romaji}-{}-{i:06}", muni.romaji, kind.romaji);

    let mut services: Vec<&str> = kind.services.to_vec();
    for s in kind.optional {
        if rng.chance(500) {
            services.push(s);
        }
    }

    let address = if rng.chance(700) {
        format!(
            "三重県{}{}{}-{}-{}",
            muni.name,
            rng.pick(TOWNS),
            rng.range(1, 5),
            rng.range(1, 30),
            rng.range(1, 20)
        )
    } else {
        format!(
            "三重県{}{}{}",
            muni.name,
            rng.pick(VILLAGES),
            rng.range(1, 3200)
        )
    };
    let postal = format!("{}-{:04}", muni.zip, rng.range(0, 9999));
    let lat = ten_thousandths(muni.lat) + i64::from(rng.range(0, 700)) - 350;
    let lon = ten_thousandths(muni.lon) + i64::from(rng.range(0, 700)) - 350;
    let (exchange, line) = if muni.area.len() == 3 {
        ("000", rng.range(0, 9998))
    } else {
        (&"00"[..6 - muni.area.len()], rng.range(0, 9998))
    };
    let phone = format!("{}-{exchange}-{line:04}", muni.area);
    let fax = format!("{}-{exchange}-{:04}", muni.area, line + 1);

    let school = kind.category == "school";
    let scale = if school { 350 } else { 1000 };
    let mut care: Vec<usize> = (0..CARE.len())
        .filter(|&c| rng.chance(CARE[c].2 * scale / 1000))
        .collect();
    if care.is_empty() && !school {
        care.push(4); // suction
    }
    let care_as_labels = rng.chance(150);

    let operator = match (kind.category, kind.style) {
        (_, Style::Prefectural) => "三重県教育委員会".to_owned(),
        (_, Style::Municipal) => format!("{}教育委員会", muni.name),
        ("school", _) => match rng.below(3) {
            0 => muni.name.to_owned(),
            1 => format!("社会福祉法人{stem}会"),
            _ => format!("学校法人{stem}学園"),
        },
        ("visiting-nurse", _) => match rng.below(3) {
            0 => format!("株式会社{stem}"),
            1 => format!("医療法人社団{stem}会"),
            _ => format!("合同会社{stem}ケア"),
        },
        _ => match rng.below(4) {
            0 => format!("社会福祉法人{stem}会"),
            1 => format!("特定非営利活動法人{stem}"),
            2 => format!("一般社団法人{stem}"),
            _ => format!("医療法人{stem}会"),
        },
    };

    let ages = kind.ages.map(|(lo, hi)| {
        if rng.chance(300) && hi - lo > 3 {
            let lo2 = rng.range(lo, lo + 2);
            (lo2, hi)
        } else {
            (lo, hi)
        }
    });
    let capacity = kind.capacity.map(|(lo, hi)| rng.range(lo, hi));
    let mut flags: Vec<(&str, bool)> = Vec::new();
    for (id, odds) in &FLAG_ODDS {
        if rng.chance(750) {
            flags.push((id, rng.chance(odds[cat_index])));
        }
    }
    let hours = rng.chance(600).then(|| pick_hours(&mut rng, kind.category));
    let verified = Date::from_days_since_epoch(
        NEWEST_VERIFIED.days_since_epoch() - i64::from(rng.range(0, 299)),
    );

    let mut t = String::with_capacity(2048);
    t.push_str("+++\n");
    let _ = writeln!(t, "name = \"{name}\"");
    let _ = writeln!(t, "kana = \"{kana}\"");
    let _ = writeln!(t, "category = \"{}\"", kind.category);
    let _ = writeln!(t, "services = [{}]", quoted(services.iter().copied()));
    if rng.chance(100) {
        let _ = writeln!(t, "municipality = \"{}\"", muni.code);
    } else {
        let _ = writeln!(t, "municipality = \"{}\"", muni.name);
    }
    let _ = writeln!(t, "address = \"{address}\"");
    if rng.chance(900) {
        let _ = writeln!(t, "postal_code = \"{postal}\"");
    }
    let _ = writeln!(t, "lat = {}", degrees(lat));
    let _ = writeln!(t, "lon = {}", degrees(lon));
    let _ = writeln!(t, "phone = \"{phone}\"");
    if rng.chance(500) {
        let _ = writeln!(t, "fax = \"{fax}\"");
    }
    if rng.chance(600) {
        let _ = writeln!(t, "email = \"info@{id}.example.org\"");
    }
    if rng.chance(500) {
        let _ = writeln!(t, "url = \"https://{id}.example.org/\"");
    }
    let _ = writeln!(t, "operator = \"{operator}\"");
    if !care.is_empty() {
        let items = care
            .iter()
            .map(|&c| if care_as_labels { CARE[c].1 } else { CARE[c].0 });
        let _ = writeln!(t, "care = [{}]", quoted(items));
    }
    if let Some((min, max)) = ages {
        let _ = writeln!(t, "ages = {{ min = {min}, max = {max} }}");
    }
    if let Some(c) = capacity {
        let _ = writeln!(t, "capacity = {c}");
    }
    for (id, value) in &flags {
        let _ = writeln!(t, "{id} = {value}");
    }
    if let Some(h) = hours {
        let _ = writeln!(t, "hours = \"{h}\"");
    }
    let _ = writeln!(t, "verified = {verified}");
    let _ = writeln!(t, "source = \"{}\"", rng.pick(SOURCES));
    t.push_str("+++\n");

    // The description: an opening sentence, then 2–7 more from what the listing says.
    let mut pool: Vec<String> = Vec::new();
    if let Some((min, max)) = ages {
        pool.push(format!("対象は{min}歳から{max}歳までの方です。"));
    }
    for (id, value) in &flags {
        pool.push(flag_sentence(id, *value).to_owned());
    }
    if let Some(h) = hours {
        pool.push(format!("利用できる時間は{h}です。"));
    }
    pool.extend(remarks(kind.category).iter().map(|s| (*s).to_owned()));
    let more = rng.range(2, 7) as usize - usize::from(!care.is_empty());
    let mut chosen = Vec::new();
    while chosen.len() < more && !pool.is_empty() {
        chosen.push(pool.swap_remove(rng.below(pool.len())));
    }

    // Sentences of a paragraph run on without breaks, as Japanese text does.
    let _ = write!(t, "{name}は、{}にある{}です。", muni.name, kind.what);
    let labels: Vec<&str> = care.iter().map(|&c| CARE[c].1).collect();
    if !labels.is_empty() {
        match rng.below(4) {
            0 => {
                t.push_str("対応できる医療的ケアは次のとおりです。\n\n");
                for l in &labels {
                    let _ = writeln!(t, "- {l}");
                }
            }
            1 => {
                let _ = writeln!(t, "**{}**に対応しています。", labels.join("・"));
            }
            _ => {
                let _ = writeln!(
                    t,
                    "対応できる医療的ケアは{}です（内容によっては事前の調整が必要です）。",
                    labels.join("・")
                );
            }
        }
    } else {
        t.push('\n');
    }
    // The other sentences in one or two paragraphs, the last one sometimes under a heading.
    let heading = rng.chance(150);
    let split = rng.below(chosen.len() + 1);
    let (first, second) = chosen.split_at(split);
    for (n, group) in [first, second].iter().filter(|g| !g.is_empty()).enumerate() {
        t.push('\n');
        if heading && (n == 1 || second.is_empty() || first.is_empty()) {
            t.push_str("## ご利用について\n\n");
        }
        t.push_str(&group.concat());
        t.push('\n');
    }
    (id, t)
}

/// `"a", "b"`: TOML strings (the word lists hold no quotes or backslashes).
fn quoted<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn site_toml(entries: usize, seed: u64) -> String {
    format!(
        "# 合成サイト: `tsunagu synth --entries {entries} --seed {seed}` が作った架空のデータです（ベンチマーク・テスト用）。\n\
         title = \"三重県 医療的ケア児 支援資源マップ（合成データ {entries} 件）\"\n\
         base_url = \"https://example.org\"\n\
         language = \"ja\"\n\
         prefecture = \"三重県\"\n\
         repository = \"https://github.com/example/tsunagu\"\n\
         branch = \"main\"\n\
         license = \"CC BY 4.0\"\n\
         theme = \"default\"\n\
         sample = true\n\
         \n\
         [privacy]\n\
         min_count = 3\n"
    )
}

fn regions_toml() -> String {
    let mut t =
        String::from("# 合成サイト: 三重県の8つの地域医療構想区域と29市町（座標は概略値）\n");
    for (r, (id, name)) in REGIONS.iter().enumerate() {
        let _ = write!(t, "\n[[regions]]\nid = \"{id}\"\nname = \"{name}\"\n");
        for m in MUNICIPALITIES.iter().filter(|m| m.region == r) {
            let _ = write!(
                t,
                "[[regions.municipalities]]\ncode = \"{}\"\nname = \"{}\"\nlat = {}\nlon = {}\n",
                m.code, m.name, m.lat, m.lon
            );
        }
    }
    t
}

/// Children needing care per region: about 1.7 per listing (Mie reported 309 children with a
/// directory of about 180 listings), care items as typical shares of them.
fn demand_toml(per_region: &[usize; REGIONS.len()], seed: u64) -> String {
    const SHARES: [u32; 14] = [
        200, 260, 20, 230, 560, 150, 500, 30, 50, 70, 10, 70, 90, 190,
    ];
    let mut rng = Rng::for_demand(seed);
    let mut t = String::from(
        "# 合成サイト: 地域別の医療的ケア児数（掲載件数に合わせた架空の数値です。実在の統計ではありません）\n",
    );
    for ((id, _), &count) in REGIONS.iter().zip(per_region) {
        let children = (count * 7 / 4 + rng.range(0, 4) as usize) as u64;
        let _ = write!(
            t,
            "\n[[demand]]\nregion = \"{id}\"\nas_of = 2026-04-01\nsource = \"合成データ（架空の数値）\"\nchildren = {children}\n[demand.care]\n"
        );
        for ((care_id, _, _), share) in CARE.iter().zip(SHARES) {
            let jitter = u64::from(rng.range(900, 1100));
            let n = children * u64::from(share) * jitter / 1_000_000;
            if n > 0 {
                let _ = writeln!(t, "{care_id} = {n}");
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(root: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut out: Vec<_> = walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
                (rel, std::fs::read(e.path()).unwrap())
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn same_seed_same_bytes() {
        let (a, b, c) = (
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
            tempfile::tempdir().unwrap(),
        );
        generate(a.path(), 300, 7).unwrap();
        generate(b.path(), 300, 7).unwrap();
        generate(c.path(), 300, 8).unwrap();
        let (fa, fb, fc) = (files(a.path()), files(b.path()), files(c.path()));
        assert_eq!(fa.len(), 303);
        assert!(fa == fb, "same entries and seed must give the same files");
        assert!(fa != fc, "another seed must give other files");
    }

    #[test]
    fn counts_and_folders() {
        let dir = tempfile::tempdir().unwrap();
        generate_with(dir.path(), 700, 1, 40).unwrap();
        let entries = dir.path().join("content/entries");
        let mut total = 0;
        for region in std::fs::read_dir(&entries).unwrap() {
            for folder in std::fs::read_dir(region.unwrap().path()).unwrap() {
                let n = std::fs::read_dir(folder.unwrap().path()).unwrap().count();
                assert!((1..=40).contains(&n), "{n} files in one folder");
                total += n;
            }
        }
        assert_eq!(total, 700);
        assert!(generate(dir.path(), 1, 1).is_err(), "refuses to overwrite");
    }

    #[test]
    fn passes_check_without_warnings() {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path(), 1500, 42).unwrap();
        for today in [NEWEST_VERIFIED, Date::new(2027, 1, 4).unwrap()] {
            let mut diags = crate::diag::Diagnostics::default();
            let site = crate::pipeline::check(dir.path(), today, &mut diags);
            let items = format!("{:?}", diags.into_sorted().first());
            assert_eq!(items, "None", "no diagnostics at {today}");
            let site = site.expect("valid site");
            assert_eq!(site.entries.len(), 1500);
            for c in CATEGORIES {
                assert!(site.in_category(c).len() > 10, "{c}");
            }
            for (id, _, _) in CARE {
                assert!(site.entries.iter().any(|e| e.care.iter().any(|c| c == id)));
            }
            for m in site.config.municipalities() {
                assert!(!site.in_municipality(&m.code).is_empty(), "{}", m.name);
            }
            assert!(
                site.entries
                    .iter()
                    .all(|e| e.kana.is_some() && e.lat.is_some())
            );
            assert_eq!(site.config.demand.len(), REGIONS.len());
        }
    }

    #[test]
    fn tables_match_the_configuration() {
        let care: Vec<(String, String)> = crate::config::builtin_care_items()
            .into_iter()
            .map(|c| (c.id, c.label))
            .collect();
        let ours: Vec<(String, String)> = CARE
            .iter()
            .map(|(id, label, _)| ((*id).to_owned(), (*label).to_owned()))
            .collect();
        assert_eq!(care, ours);
        let flags: Vec<&str> = crate::fields::flags().iter().map(|f| f.id).collect();
        let ours: Vec<&str> = FLAG_ODDS.iter().map(|(id, _)| *id).collect();
        assert_eq!(flags, ours);
        let total: u32 = KINDS.iter().map(|k| k.weight).sum();
        assert_eq!(total, 1000);

        let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/regions.toml");
        if let Ok(text) = std::fs::read_to_string(sample) {
            let theirs: toml::Table = toml::from_str(&text).unwrap();
            let ours: toml::Table = toml::from_str(&regions_toml()).unwrap();
            assert_eq!(theirs, ours, "regions differ from content/regions.toml");
        }
    }

    #[test]
    fn coordinates_and_katakana() {
        assert_eq!(degrees(ten_thousandths("35.02") + 5), "35.0205");
        assert_eq!(hiragana_to_katakana("ひまわりー"), "ヒマワリー");
    }

    #[test]
    fn dates_and_descriptions() {
        for i in 0..2000 {
            let (_, text) = entry_file(9, i);
            let line = text.lines().find(|l| l.starts_with("verified = ")).unwrap();
            let d = &line["verified = ".len()..];
            let (y, rest) = d.split_once('-').unwrap();
            let (m, day) = rest.split_once('-').unwrap();
            let date =
                Date::new(y.parse().unwrap(), m.parse().unwrap(), day.parse().unwrap()).unwrap();
            assert!(date <= NEWEST_VERIFIED);
            assert!(date.days_until(NEWEST_VERIFIED) < 300);
            let body = text.splitn(3, "+++\n").nth(2).unwrap();
            let sentences = body.matches('。').count();
            assert!(
                (3..=8).contains(&sentences),
                "{sentences} sentences:\n{body}"
            );
        }
    }
}
