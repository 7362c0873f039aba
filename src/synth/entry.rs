//! One listing's file: what the listing says is drawn from the entry's own stream, then written as
//! front matter and a description.
//!
//! The steps draw from the stream in the order they are called here; reordering any two of them,
//! or a draw within one, changes every generated file.

use std::fmt::Write as _;

use super::NEWEST_VERIFIED;
use super::data::{
    CARE, FLAGS, Flag, KINDS, Kind, MUNICIPALITIES, Municipality, PLACES, SOURCES, STEMS, SUCTION,
    Style, TOWNS, VILLAGES, opening_hours, remarks,
};
use super::rng::Rng;
use crate::date::Date;

/// The id and text of entry `i`.
pub(super) fn entry_file(seed: u64, i: usize) -> (String, String) {
    let mut rng = Rng::for_entry(seed, i);
    let listing = Listing::draw(&mut rng, i);
    let mut t = String::with_capacity(2048);
    front_matter(&mut t, &listing, &mut rng);
    description(&mut t, &listing, &mut rng);
    (listing.id, t)
}

/// The municipality of an entry, as an index into [`MUNICIPALITIES`]: the first draw of its
/// stream, so that [`super::generate`] can choose the entry's folder without drawing the rest.
pub(super) fn pick_municipality(rng: &mut Rng) -> usize {
    rng.weighted(MUNICIPALITIES.iter().map(|m| m.weight))
}

/// What a listing says, drawn before any of it is written.
struct Listing {
    muni: &'static Municipality,
    kind: &'static Kind,
    id: String,
    name: String,
    kana: String,
    services: Vec<&'static str>,
    contact: Contact,
    operator: String,
    /// Indices into [`CARE`].
    care: Vec<usize>,
    /// Whether the front matter gives the care items by label (吸引) rather than by id.
    care_as_labels: bool,
    ages: Option<(u32, u32)>,
    capacity: Option<u32>,
    /// The flags the listing states, with their values.
    flags: Vec<(&'static Flag, bool)>,
    hours: Option<&'static str>,
    verified: Date,
}

impl Listing {
    /// Draws the facts of the listing; the writing steps after it draw only for which optional
    /// fields to leave out and how to word the description.
    fn draw(rng: &mut Rng, i: usize) -> Listing {
        let muni = &MUNICIPALITIES[pick_municipality(rng)];
        let kind = &KINDS[rng.weighted(KINDS.iter().map(|k| k.weight))];
        let naming = Naming::draw(rng, muni, kind);
        let id = format!("{}-{}-{}-{i:06}", muni.romaji, naming.romaji, kind.romaji);
        let services = services(rng, kind);
        let contact = Contact::draw(rng, muni);
        let care = care(rng, kind);
        let care_as_labels = rng.chance(150);
        let operator = operator(rng, kind, muni, naming.stem);
        let ages = kind.ages.map(|range| ages(rng, range));
        let capacity = kind.capacity.map(|(lo, hi)| rng.range(lo, hi));
        let flags = flags(rng, kind);
        let hours = rng
            .chance(600)
            .then(|| *rng.pick(opening_hours(kind.category)));
        let verified = Date::from_days_since_epoch(
            NEWEST_VERIFIED.days_since_epoch() - i64::from(rng.range(0, 299)),
        );
        Listing {
            muni,
            kind,
            id,
            name: naming.name,
            kana: naming.kana,
            services,
            contact,
            operator,
            care,
            care_as_labels,
            ages,
            capacity,
            flags,
            hours,
            verified,
        }
    }
}

/// A listing's name as written and read, the romaji its id is made of, and the stem its operator
/// is named after.
struct Naming {
    name: String,
    kana: String,
    romaji: &'static str,
    stem: &'static str,
}

impl Naming {
    fn draw(rng: &mut Rng, muni: &Municipality, kind: &Kind) -> Naming {
        let (stem, stem_kana, stem_romaji) = *rng.pick(STEMS);
        let (name, kana, romaji) = match kind.style {
            Style::Prefectural => (
                format!("三重県立{stem}{}", kind.text),
                format!("みえけんりつ{stem_kana}{}", kind.kana),
                stem_romaji,
            ),
            // Municipal schools are named after a place, not a stem.
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
        // Readings in katakana are accepted too, and some editors write them so.
        let kana = if rng.chance(100) {
            hiragana_to_katakana(&kana)
        } else {
            kana
        };
        Naming {
            name,
            kana,
            romaji,
            stem,
        }
    }
}

/// The kind's services, and each of its optional ones half of the time.
fn services(rng: &mut Rng, kind: &Kind) -> Vec<&'static str> {
    let mut services: Vec<&str> = kind.services.to_vec();
    for s in kind.optional {
        if rng.chance(500) {
            services.push(s);
        }
    }
    services
}

/// Where a listing is and how to reach it.
struct Contact {
    address: String,
    postal: String,
    /// In ten-thousandths of a degree.
    lat: i64,
    lon: i64,
    phone: String,
    fax: String,
}

impl Contact {
    fn draw(rng: &mut Rng, muni: &Municipality) -> Contact {
        // Seven in ten in a town with a street number, the others by lot number in a rural
        // district.
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
        // Within 0.035° of the municipality's centre.
        let lat = ten_thousandths(muni.lat) + i64::from(rng.range(0, 700)) - 350;
        let lon = ten_thousandths(muni.lon) + i64::from(rng.range(0, 700)) - 350;
        // Area code and exchange make six digits; the fax is the next line, so a line ends at
        // 9998.
        let exchange = &"000"[..6 - muni.area.len()];
        let line = rng.range(0, 9998);
        Contact {
            address,
            postal,
            lat,
            lon,
            phone: format!("{}-{exchange}-{line:04}", muni.area),
            fax: format!("{}-{exchange}-{:04}", muni.area, line + 1),
        }
    }
}

/// The care items a listing accepts, as indices into [`CARE`]. Schools accept each about a third
/// as often and may accept none; any other listing accepts at least suction.
fn care(rng: &mut Rng, kind: &Kind) -> Vec<usize> {
    let school = kind.category == "school";
    let scale = if school { 350 } else { 1000 };
    let mut care: Vec<usize> = (0..CARE.len())
        .filter(|&c| rng.chance(CARE[c].permille * scale / 1000))
        .collect();
    if care.is_empty() && !school {
        care.push(SUCTION);
    }
    care
}

/// Who runs the listing: the board of education for public schools, otherwise a legal person of
/// a form usual for the category, named after the listing's stem.
fn operator(rng: &mut Rng, kind: &Kind, muni: &Municipality, stem: &str) -> String {
    match (kind.category, kind.style) {
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
    }
}

/// The ages taken: the kind's, with the youngest raised by up to two years for some listings whose
/// range spans more than three years. The chance is drawn whatever the span.
fn ages(rng: &mut Rng, (lo, hi): (u32, u32)) -> (u32, u32) {
    if rng.chance(300) && hi - lo > 3 {
        (rng.range(lo, lo + 2), hi)
    } else {
        (lo, hi)
    }
}

/// Three in four listings state each flag, true with the odds of the listing's category.
fn flags(rng: &mut Rng, kind: &Kind) -> Vec<(&'static Flag, bool)> {
    let category = kind.category_index();
    let mut flags = Vec::new();
    for flag in &FLAGS {
        if rng.chance(750) {
            flags.push((flag, rng.chance(flag.odds[category])));
        }
    }
    flags
}

/// The TOML front matter between `+++` lines. Some optional fields are left out, and one listing
/// in a hundred gives its municipality by code instead of by name (both are valid).
fn front_matter(t: &mut String, l: &Listing, rng: &mut Rng) {
    let c = &l.contact;
    t.push_str("+++\n");
    let _ = writeln!(t, "name = \"{}\"", l.name);
    let _ = writeln!(t, "kana = \"{}\"", l.kana);
    let _ = writeln!(t, "category = \"{}\"", l.kind.category);
    let _ = writeln!(t, "services = [{}]", quoted(l.services.iter().copied()));
    if rng.chance(100) {
        let _ = writeln!(t, "municipality = \"{}\"", l.muni.code);
    } else {
        let _ = writeln!(t, "municipality = \"{}\"", l.muni.name);
    }
    let _ = writeln!(t, "address = \"{}\"", c.address);
    if rng.chance(900) {
        let _ = writeln!(t, "postal_code = \"{}\"", c.postal);
    }
    let _ = writeln!(t, "lat = {}", degrees(c.lat));
    let _ = writeln!(t, "lon = {}", degrees(c.lon));
    let _ = writeln!(t, "phone = \"{}\"", c.phone);
    if rng.chance(500) {
        let _ = writeln!(t, "fax = \"{}\"", c.fax);
    }
    if rng.chance(600) {
        let _ = writeln!(t, "email = \"info@{}.example.org\"", l.id);
    }
    if rng.chance(500) {
        let _ = writeln!(t, "url = \"https://{}.example.org/\"", l.id);
    }
    let _ = writeln!(t, "operator = \"{}\"", l.operator);
    if !l.care.is_empty() {
        let items = l.care.iter().map(|&c| {
            if l.care_as_labels {
                CARE[c].label
            } else {
                CARE[c].id
            }
        });
        let _ = writeln!(t, "care = [{}]", quoted(items));
    }
    if let Some((min, max)) = l.ages {
        let _ = writeln!(t, "ages = {{ min = {min}, max = {max} }}");
    }
    if let Some(capacity) = l.capacity {
        let _ = writeln!(t, "capacity = {capacity}");
    }
    for (flag, value) in &l.flags {
        let _ = writeln!(t, "{} = {value}", flag.id);
    }
    if let Some(h) = l.hours {
        let _ = writeln!(t, "hours = \"{h}\"");
    }
    let _ = writeln!(t, "verified = {}", l.verified);
    let _ = writeln!(t, "source = \"{}\"", rng.pick(SOURCES));
    t.push_str("+++\n");
}

/// The description: an opening sentence with the care items, then 2–7 more sentences (one fewer
/// when care items are listed) in one or two paragraphs.
fn description(t: &mut String, l: &Listing, rng: &mut Rng) {
    let sentences = sentences(l, rng);
    opening(t, l, rng);
    paragraphs(t, &sentences, rng);
}

/// The sentences after the opening, in a random order, drawn from what the listing says and the
/// remarks of its category.
fn sentences(l: &Listing, rng: &mut Rng) -> Vec<String> {
    let mut pool: Vec<String> = Vec::new();
    if let Some((min, max)) = l.ages {
        pool.push(format!("対象は{min}歳から{max}歳までの方です。"));
    }
    for (flag, value) in &l.flags {
        pool.push(if *value { flag.yes } else { flag.no }.to_owned());
    }
    if let Some(h) = l.hours {
        pool.push(format!("利用できる時間は{h}です。"));
    }
    pool.extend(remarks(l.kind.category).iter().map(|s| (*s).to_owned()));
    let more = rng.range(2, 7) as usize - usize::from(!l.care.is_empty());
    let mut chosen = Vec::new();
    while chosen.len() < more && !pool.is_empty() {
        chosen.push(pool.swap_remove(rng.below(pool.len())));
    }
    chosen
}

/// What the listing is and where, then its care items as a list, in bold or in a sentence. The
/// sentences of a paragraph run on without breaks, as Japanese text does.
fn opening(t: &mut String, l: &Listing, rng: &mut Rng) {
    let _ = write!(
        t,
        "{}は、{}にある{}です。",
        l.name, l.muni.name, l.kind.what
    );
    let labels: Vec<&str> = l.care.iter().map(|&c| CARE[c].label).collect();
    if labels.is_empty() {
        t.push('\n');
        return;
    }
    match rng.below(4) {
        0 => {
            t.push_str("対応できる医療的ケアは次のとおりです。\n\n");
            for label in &labels {
                let _ = writeln!(t, "- {label}");
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
}

/// The other sentences in one or two paragraphs, the last one sometimes under a heading.
fn paragraphs(t: &mut String, sentences: &[String], rng: &mut Rng) {
    let heading = rng.chance(150);
    let split = rng.below(sentences.len() + 1);
    let (first, second) = sentences.split_at(split);
    for (n, group) in [first, second].iter().filter(|g| !g.is_empty()).enumerate() {
        t.push('\n');
        if heading && (n == 1 || second.is_empty() || first.is_empty()) {
            t.push_str("## ご利用について\n\n");
        }
        t.push_str(&group.concat());
        t.push('\n');
    }
}

/// `"a", "b"`: TOML strings (the word lists hold no quotes or backslashes).
fn quoted<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ")
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

/// Ten-thousandths of a degree as TOML's decimal degrees.
fn degrees(v: i64) -> String {
    format!("{}.{:04}", v / 10_000, v % 10_000)
}

#[cfg(test)]
mod tests {
    use super::*;

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
