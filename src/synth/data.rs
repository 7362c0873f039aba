//! The word and name tables of the synthetic site: Mie's geography, listing kinds, care items,
//! flags and the sentences of descriptions. Changing any of them changes the generated files.

/// Regions as in `content/regions.toml`: id and name.
pub(super) const REGIONS: [(&str, &str); 8] = [
    ("kuwana", "桑員"),
    ("yokkaichi", "三泗"),
    ("suzuka", "鈴亀"),
    ("tsu", "津"),
    ("iga", "伊賀"),
    ("matsusaka", "松阪"),
    ("ise-shima", "伊勢志摩"),
    ("higashi-kishu", "東紀州"),
];

/// A municipality and what its listings are made of.
pub(super) struct Municipality {
    pub(super) region: usize,
    pub(super) code: &'static str,
    pub(super) name: &'static str,
    pub(super) lat: &'static str,
    pub(super) lon: &'static str,
    /// Reading of the name without 市・町.
    pub(super) kana: &'static str,
    pub(super) romaji: &'static str,
    /// Telephone area code.
    pub(super) area: &'static str,
    /// First three digits of its postal codes.
    pub(super) zip: &'static str,
    /// Roughly the population in thousands: how many listings it gets.
    pub(super) weight: u32,
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
pub(super) const MUNICIPALITIES: [Municipality; 29] = [
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
    pub(super) fn short(&self) -> &'static str {
        self.name
            .strip_suffix('市')
            .or_else(|| self.name.strip_suffix('町'))
            .unwrap_or(self.name)
    }

    /// Reading of the 市・町 suffix (every town of Mie reads 町 as ちょう).
    pub(super) fn suffix_kana(&self) -> &'static str {
        if self.name.ends_with('市') {
            "し"
        } else {
            "ちょう"
        }
    }
}

/// Name stems: as written, reading, romaji for ids.
pub(super) const STEMS: &[(&str, &str, &str)] = &[
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

/// Place names of municipal schools: as written, reading, romaji.
pub(super) const PLACES: &[(&str, &str, &str)] = &[
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

/// Towns of street addresses (`…町1-2-3`).
pub(super) const TOWNS: &[&str] = &[
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

/// Rural districts of lot-number addresses (`大字…123`).
pub(super) const VILLAGES: &[&str] = &[
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
pub(super) enum Style {
    /// ひまわり訪問看護ステーション, 伊賀ひまわり…, or 訪問看護ステーションひまわり.
    Stem,
    /// 三重県立ひまわり特別支援学校.
    Prefectural,
    /// 津市立緑ヶ丘小学校.
    Municipal,
}

/// A kind of listing within a category.
pub(super) struct Kind {
    pub(super) category: &'static str,
    pub(super) text: &'static str,
    pub(super) kana: &'static str,
    pub(super) romaji: &'static str,
    /// How the first sentence of the description calls it.
    pub(super) what: &'static str,
    /// Services always listed, then ones listed half of the time.
    pub(super) services: &'static [&'static str],
    pub(super) optional: &'static [&'static str],
    pub(super) ages: Option<(u32, u32)>,
    pub(super) capacity: Option<(u32, u32)>,
    pub(super) style: Style,
    /// Listings per thousand.
    pub(super) weight: u32,
}

pub(super) const KINDS: &[Kind] = &[
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

impl Kind {
    /// The position of its category in [`CATEGORIES`].
    pub(super) fn category_index(&self) -> usize {
        CATEGORIES
            .iter()
            .position(|c| *c == self.category)
            .expect("every kind's category is in CATEGORIES")
    }
}

/// The index of suction in [`CARE`], the care item every listing but a school accepts.
pub(super) const SUCTION: usize = 4;

/// A built-in care item (as in [`crate::config::builtin_care_items`]) and how often a listing
/// accepts it.
pub(super) struct Care {
    pub(super) id: &'static str,
    pub(super) label: &'static str,
    /// Per thousand listings, outside schools (which accept about a third as often).
    pub(super) permille: u32,
}

const fn care(id: &'static str, label: &'static str, permille: u32) -> Care {
    Care {
        id,
        label,
        permille,
    }
}

/// The 14 built-in care items, in the order of the configuration.
#[rustfmt::skip]
pub(super) const CARE: [Care; 14] = [
    care("ventilator", "人工呼吸器", 350),
    care("tracheostomy", "気管切開", 450),
    care("airway", "鼻咽頭エアウェイ", 100),
    care("oxygen", "酸素療法", 500),
    care("suction", "吸引", 750),
    care("nebulizer", "ネブライザー", 350),
    care("tube-feeding", "経管栄養", 700),
    care("central-venous", "中心静脈カテーテル", 120),
    care("injection", "皮下注射", 200),
    care("blood-glucose", "血糖測定", 300),
    care("dialysis", "透析", 50),
    care("catheterization", "導尿", 300),
    care("bowel", "排便管理", 250),
    care("seizure", "痙攣時の処置", 550),
];

/// A flag of [`crate::fields::flags`]: how often it is true and how the description says so.
pub(super) struct Flag {
    pub(super) id: &'static str,
    /// Per thousand listings of each category, in the order of [`CATEGORIES`].
    pub(super) odds: [u32; 4],
    pub(super) yes: &'static str,
    pub(super) no: &'static str,
}

/// The flags in the order of the field registry.
pub(super) const FLAGS: [Flag; 8] = [
    Flag {
        id: "transport",
        odds: [700, 500, 0, 600],
        yes: "ご自宅までの送迎があります。",
        no: "送迎は行っていません。",
    },
    Flag {
        id: "bathing",
        odds: [300, 800, 400, 20],
        yes: "入浴の支援ができます。",
        no: "入浴の支援は行っていません。",
    },
    Flag {
        id: "overnight",
        odds: [20, 900, 0, 10],
        yes: "宿泊を伴う利用ができます。",
        no: "宿泊の受け入れはしていません。",
    },
    Flag {
        id: "weekend",
        odds: [300, 600, 500, 20],
        yes: "土日祝日も利用できます。",
        no: "土日祝日はお休みです。",
    },
    Flag {
        id: "evening",
        odds: [300, 500, 400, 50],
        yes: "18時以降の利用にも対応しています。",
        no: "18時以降の利用はできません。",
    },
    Flag {
        id: "walking",
        odds: [600, 500, 700, 700],
        yes: "歩くことのできる医療的ケア児も受け入れています。",
        no: "歩くことのできる医療的ケア児の受け入れは要相談です。",
    },
    Flag {
        id: "emergency_power",
        odds: [300, 700, 100, 250],
        yes: "停電に備えて非常用電源（発電機）を備えています。",
        no: "非常用電源の設備はありません。",
    },
    Flag {
        id: "welfare_shelter",
        odds: [100, 300, 0, 150],
        yes: "災害時は福祉避難所として医療的ケア児を受け入れます。",
        no: "福祉避難所の指定は受けていません。",
    },
];

/// The categories, in the order of [`Flag::odds`].
pub(super) const CATEGORIES: [&str; 4] = ["facility", "short-stay", "visiting-nurse", "school"];

/// Where a listing says its details come from.
pub(super) const SOURCES: &[&str] = &[
    "みえ医ケア児支援者ネットワーク（合成データ）",
    "地域療育ネットワーク調査（合成データ）",
    "事業所への聞き取り（合成データ）",
    "市町の障害福祉担当課（合成データ）",
];

/// Opening hours a listing may give, by category.
pub(super) fn opening_hours(category: &str) -> &'static [&'static str] {
    match category {
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
    }
}

/// Extra sentences for the description, by category.
pub(super) fn remarks(category: &str) -> &'static [&'static str] {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_match_the_configuration() {
        let care: Vec<(String, String)> = crate::config::builtin_care_items()
            .into_iter()
            .map(|c| (c.id, c.label))
            .collect();
        let ours: Vec<(String, String)> = CARE
            .iter()
            .map(|c| (c.id.to_owned(), c.label.to_owned()))
            .collect();
        assert_eq!(care, ours);
        assert_eq!(CARE[SUCTION].id, "suction");
        let flags: Vec<&str> = crate::fields::flags().iter().map(|f| f.id).collect();
        let ours: Vec<&str> = FLAGS.iter().map(|f| f.id).collect();
        assert_eq!(flags, ours);
        let total: u32 = KINDS.iter().map(|k| k.weight).sum();
        assert_eq!(total, 1000);
        assert!(KINDS.iter().all(|k| CATEGORIES.contains(&k.category)));
    }
}
