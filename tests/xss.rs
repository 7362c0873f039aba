//! Hostile entries (script tags, `javascript:` and `data:` links, event-handler attributes,
//! template syntax, bidirectional overrides in every free-text field and in the Markdown body)
//! must build (exit 0) and produce no executable markup anywhere in the output.
//!
//! Every page of the hostile build is compared with the same page of a baseline build (one
//! harmless entry): whatever the theme itself contains is allowed, nothing else.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use common::html::{self, Tag};
use common::{TempSite, files_under, fixtures, valid_entry};

const RLO: char = '\u{202E}';

/// Bidirectional controls that must never reach a page.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// A TOML basic string holding `s` (quotes, backslashes and non-ASCII controls escaped).
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() || is_bidi_control(c) => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Every payload at once, tagged with the field it is in.
fn payload(field: &str) -> String {
    format!(
        "{field}<script>alert('{field}')</script>\"><img src=x onerror=alert(1)>'><svg onload=alert(1)>\
         <a href=\"javascript:alert(1)\">js</a><a href=\"data:text/html,<script>alert(1)</script>\">d</a>\
         <iframe src=\"https://evil.example/\"></iframe></script></title></textarea></style>\
         <div onclick=alert(1) onmouseover='alert(1)' style=\"background:url(javascript:alert(1))\">x</div>\
         {{{{ site.title }}}}{{% raw %}}{{# c #}}{{% endraw %}}{RLO}rev"
    )
}

/// The Markdown body: raw HTML, unsafe links, template syntax and an override.
fn hostile_markdown() -> String {
    format!(
        r#"# 見出し <script>alert('h1')</script>

<script>alert('body')</script>
</script><script>alert(2)</script>

[javascript link](javascript:alert(1))
[JS upper](JAVASCRIPT:alert(1))
[entity js](jav&#x61;script:alert(1))
[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[vbscript](vbscript:msgbox(1))
[reference][r]
<javascript:alert(1)>

[r]: javascript:alert(1)

<a href="javascript:alert(1)">raw anchor</a>
<a href="https://example.jp/" onclick="alert(1)" onmouseover="alert(1)">events</a>
<img src=x onerror=alert(1)>
![image](javascript:alert(1))
<iframe src="https://evil.example/"></iframe>
<object data="x.swf"></object><embed src="x.swf">
<svg><script>alert(1)</script></svg>
<math><mtext><style><img src=x onerror=alert(1)></style></mtext></math>
<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">b</button></form>
<div style="background:url(javascript:alert(1))">style</div>
<meta http-equiv="refresh" content="0;url=javascript:alert(1)">
<base href="javascript:alert(1)//">
<details open ontoggle=alert(1)>t</details>
<!-- <script>alert(1)</script> -->
<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>

{{{{ site.title }}}} {{% raw %}}{{{{ entry.name }}}}{{% endraw %}} {{# comment #}}

right-to-left {RLO}txet desrever

[ok link](https://example.jp/ok) [mail](mailto:info@example.jp) [tel](tel:0594000000)
"#
    )
}

/// The front matter of a hostile entry (every free-text field carries the payload).
fn hostile_fields(extra: &str) -> String {
    format!(
        "name = {name}
kana = \"てすと\"
category = \"facility\"
services = [\"児童発達支援\"]
municipality = \"桑名市\"
address = {address}
postal_code = \"511-0000\"
lat = 35.06
lon = 136.68
phone = \"0594-00-0000\"
fax = \"0594-00-0001\"
email = \"a+b@example.jp\"
url = {url}
operator = {operator}
care = [\"suction\"]
ages = {{ min = 0, max = 18 }}
capacity = 10
hours = {hours}
verified = 2026-04-01
source = {source}
{extra}",
        name = toml_str(&payload("name")),
        address = toml_str(&format!("三重県桑名市{}", payload("address"))),
        url =
            toml_str("https://example.jp/\"><script>alert(1)</script>?q=<b onmouseover=alert(1)>"),
        operator = toml_str(&payload("operator")),
        hours = toml_str(&payload("hours")),
        source = toml_str(&payload("source")),
    )
}

/// site.toml of the minimal site with a repository and a centre, so entry pages get edit links
/// and a mail about an error too.
fn site_toml() -> String {
    let mut s = fs::read_to_string(fixtures().join("minimal/site.toml")).unwrap();
    s.push_str("repository = \"https://github.com/example/tsunagu\"\n");
    s.push_str("[centre]\nname = \"テスト支援センター\"\nemail = \"soudan@example.jp\"\n");
    s
}

struct Builds {
    hostile: TempSite,
    baseline: TempSite,
}

impl Builds {
    fn hostile_out(&self) -> PathBuf {
        self.hostile.root().join("public")
    }
    fn baseline_out(&self) -> PathBuf {
        self.baseline.root().join("public")
    }
}

/// Builds the baseline (one harmless entry) and the hostile site; both must succeed.
fn build(hostile_entries: &[(&str, String)]) -> Builds {
    let baseline = TempSite::minimal();
    baseline.write_config("site.toml", site_toml());
    baseline.write_entry("aozora.md", valid_entry());
    let run = baseline.build(&baseline.root().join("public"));
    run.assert_code(0);

    let hostile = TempSite::minimal();
    hostile.write_config("site.toml", site_toml());
    for (rel, text) in hostile_entries {
        hostile.write_entry(rel, text);
    }
    let run = hostile.build(&hostile.root().join("public"));
    run.assert_code(0);
    Builds { hostile, baseline }
}

fn hostile_entries() -> Vec<(&'static str, String)> {
    vec![
        (
            "hostile.md",
            format!("+++\n{}+++\n{}", hostile_fields(""), hostile_markdown()),
        ),
        (
            "hostile-toml.toml",
            hostile_fields(&format!(
                "description = {}\n",
                toml_str(&hostile_markdown())
            )),
        ),
        // A folder name ends up in the edit link.
        (
            "\"><svg onload=alert(1)>/hostile-in-folder.md",
            format!("+++\n{}+++\n{}", hostile_fields(""), hostile_markdown()),
        ),
    ]
}

const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "srcset",
    "ping",
];

/// Problems that no page may ever have, theme or not.
fn absolute_violations(tag: &Tag) -> Vec<String> {
    let mut v = Vec::new();
    if matches!(
        tag.name.as_str(),
        "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "base"
    ) {
        v.push(format!("<{}> element", tag.name));
    }
    if tag.name == "meta"
        && tag
            .attr("http-equiv")
            .is_some_and(|h| h.eq_ignore_ascii_case("refresh"))
    {
        v.push("<meta http-equiv=refresh>".to_owned());
    }
    for (name, value) in &tag.attrs {
        if name.starts_with("on") {
            v.push(format!("<{} {name}=…> event handler", tag.name));
        }
        let scheme = URL_ATTRS
            .contains(&name.as_str())
            .then(|| html::scheme(value))
            .flatten();
        // `geo:` only as tsunagu writes it from checked coordinates: two numbers.
        let geo_point = |v: &str| {
            v.strip_prefix("geo:")
                .and_then(|p| p.split_once(','))
                .is_some_and(|(lat, lon)| lat.parse::<f64>().is_ok() && lon.parse::<f64>().is_ok())
        };
        if let Some(scheme) = scheme.filter(|s| {
            !(matches!(s.as_str(), "http" | "https" | "tel" | "mailto")
                || (s == "geo" && geo_point(value)))
        }) {
            v.push(format!(
                "<{} {name}=\"{value}\"> with scheme {scheme}:",
                tag.name
            ));
        }
        if name == "style" {
            let s = html::decode(value).to_ascii_lowercase();
            if s.contains("javascript") || s.contains("expression(") || s.contains("url(") {
                v.push(format!("<{} style=\"{value}\">", tag.name));
            }
        }
    }
    v
}

/// Markup that is fine only where the theme itself puts it: the signature of such a tag. Scripts
/// must match the theme's exactly; `<meta>` and `<link>` by kind (their values differ per page
/// and are checked by [`absolute_violations`]); the others by their attribute names.
fn theme_only_signature(tag: &Tag) -> Option<String> {
    let mut attrs: Vec<(String, String)> = match tag.name.as_str() {
        "script" => tag.attrs.clone(),
        "meta" | "link" => tag
            .attrs
            .iter()
            .filter(|(n, _)| {
                matches!(
                    n.as_str(),
                    "rel" | "name" | "http-equiv" | "charset" | "property"
                )
            })
            .cloned()
            .collect(),
        "svg" | "math" | "form" | "style" | "noscript" | "template" => tag
            .attrs
            .iter()
            .map(|(n, _)| (n.clone(), String::new()))
            .collect(),
        _ => return None,
    };
    attrs.sort();
    Some(format!("<{} {attrs:?}>", tag.name))
}

fn signatures(page: &str) -> BTreeSet<String> {
    html::tags(page)
        .iter()
        .filter(|t| !t.is_end)
        .filter_map(theme_only_signature)
        .collect()
}

/// The baseline page a hostile page is compared with.
fn baseline_of(baseline_out: &Path, rel: &str) -> Option<PathBuf> {
    let same = baseline_out.join(rel);
    if same.is_file() {
        return Some(same);
    }
    rel.starts_with("entries/")
        .then(|| baseline_out.join("entries/aozora/index.html"))
        .filter(|p| p.is_file())
}

/// Every way the hostile output could run code, across all files.
fn violations(b: &Builds) -> Vec<String> {
    let out = b.hostile_out();
    let mut found = Vec::new();
    for file in files_under(&out) {
        let rel = file
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let bytes = fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        if let Some(c) = text.chars().find(|c| is_bidi_control(*c)) {
            found.push(format!("{rel}: bidirectional control U+{:04X}", c as u32));
        }
        let markup = matches!(
            file.extension().and_then(|e| e.to_str()),
            Some("html" | "htm" | "xml" | "svg")
        );
        if !markup {
            continue;
        }
        let allowed = baseline_of(&b.baseline_out(), &rel)
            .map(|p| signatures(&fs::read_to_string(p).unwrap()))
            .unwrap_or_default();
        for tag in html::tags(&text).iter().filter(|t| !t.is_end) {
            for v in absolute_violations(tag) {
                found.push(format!("{rel}: {v}"));
            }
            if let Some(sig) = theme_only_signature(tag).filter(|s| !allowed.contains(s)) {
                found.push(format!("{rel}: {sig} is not the theme's own"));
            }
        }
    }
    found
}

#[test]
fn hostile_text_in_every_field_builds_into_inert_pages() {
    let b = build(&hostile_entries());
    let found = violations(&b);
    assert!(
        found.is_empty(),
        "{} problem(s):\n{}",
        found.len(),
        found
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn hostile_text_is_shown_literally_not_dropped_or_evaluated() {
    let b = build(&hostile_entries());
    let out = b.hostile_out();
    for id in ["hostile", "hostile-toml", "hostile-in-folder"] {
        let page = fs::read_to_string(out.join("entries").join(id).join("index.html")).unwrap();
        let h1 = html::text(html::inner(&page, "h1").expect("an <h1>"));
        let expected: String = payload("name").chars().filter(|c| *c != RLO).collect();
        assert_eq!(
            h1.trim(),
            expected,
            "{id}: the name is shown as text, override removed"
        );

        let text = html::text(&page);
        for field in ["address", "operator", "hours", "source"] {
            let shown: String = payload(field).chars().filter(|c| *c != RLO).collect();
            assert!(text.contains(&shown), "{id}: {field} shown literally");
        }
        // Template syntax from the content is printed, never evaluated.
        assert!(
            text.contains("{{ site.title }}{% raw %}{# c #}{% endraw %}"),
            "{id}"
        );
        assert!(
            text.contains("{{ site.title }} {% raw %}{{ entry.name }}{% endraw %} {# comment #}"),
            "{id}"
        );
        // The sanitizer keeps the safe links.
        let hrefs: Vec<String> = html::tags(&page)
            .iter()
            .filter(|t| t.name == "a")
            .filter_map(|t| t.attr("href").map(html::decode))
            .collect();
        for safe in [
            "https://example.jp/ok",
            "mailto:info@example.jp",
            "tel:0594000000",
        ] {
            assert!(
                hrefs.iter().any(|h| h == safe),
                "{id}: {safe} kept in {hrefs:?}"
            );
        }
    }
}

#[test]
fn the_mail_about_an_error_carries_a_hostile_name_only_encoded_in_its_subject() {
    let b = build(&hostile_entries());
    let expected: String = payload("name").chars().filter(|c| *c != RLO).collect();
    for id in ["hostile", "hostile-toml", "hostile-in-folder"] {
        let path = b.hostile_out().join("entries").join(id).join("index.html");
        let page = fs::read_to_string(path).unwrap();
        let mails: Vec<_> = html::tags(&page)
            .iter()
            .filter_map(|t| t.attr("href").map(html::decode))
            .filter_map(|h| common::mailto(&h))
            .filter(|(to, fields)| to == "soudan@example.jp" && !fields.is_empty())
            .collect();
        assert_eq!(mails.len(), 1, "{id}: one mail to the centre");
        let (_, fields) = &mails[0];
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ["subject", "body"],
            "{id}: no field added by the name"
        );
        assert!(fields[0].1.ends_with(&expected), "{id}: {:?}", fields[0].1);
        assert!(
            fields[1].1.contains(&format!("/entries/{id}/\r\n")),
            "{id}: {:?}",
            fields[1].1
        );
    }
}

#[test]
fn list_pages_escape_hostile_names_too() {
    let b = build(&hostile_entries());
    let out = b.hostile_out();
    let expected: String = payload("name").chars().filter(|c| *c != RLO).collect();
    // The hostile listings accept 吸引, read てすと (た行) and are in 桑名市 (24205).
    for list in ["care/suction/", "entries/ta/", "municipalities/24205/"] {
        let text: String = (1..)
            .map(|n| match n {
                1 => out.join(list).join("index.html"),
                _ => out.join(list).join(format!("page/{n}/index.html")),
            })
            .take_while(|page| page.exists())
            .map(|page| html::text(&fs::read_to_string(page).unwrap()))
            .collect();
        assert!(text.contains(&expected), "{list} lists the name as text");
    }
}

#[test]

fn encoded_bidi_overrides_in_markdown_are_removed() {
    let text = valid_entry().replace(
        "吸引と経管栄養のあるお子さんを受け入れています。",
        "名前&#x202E;txet &#8238;desrever &#X202e;upper\n\n[link&#x202E;](https://example.jp/&#x202E;)",
    );
    let b = build(&[("encoded.md", text)]);
    let page = fs::read_to_string(b.hostile_out().join("entries/encoded/index.html")).unwrap();
    let hits: Vec<usize> = page
        .char_indices()
        .filter(|(_, c)| is_bidi_control(*c))
        .map(|(i, _)| i)
        .collect();
    assert!(hits.is_empty(), "U+202E at byte offsets {hits:?}");
}

/// The detector itself: it must flag executable markup in minified HTML and leave escaped text,
/// RCDATA and quoted attribute values alone, or the tests above prove nothing.
#[test]
fn the_detector_flags_executable_markup_and_ignores_escaped_text() {
    let flagged = |page: &str| -> usize {
        html::tags(page)
            .iter()
            .filter(|t| !t.is_end)
            .map(|t| absolute_violations(t).len() + usize::from(theme_only_signature(t).is_some()))
            .sum()
    };
    for bad in [
        "<p><a href=javascript:alert(1)>x</a>",
        "<a href=\"JaVa&#x53;cript&colon;alert(1)\">x</a>",
        "<a href=' java\tscript:alert(1)'>x</a>",
        "<a href=data:text/html,x>x</a>",
        "<img src=x onerror=alert(1)>",
        "<div><b ONCLICK=\"x\">b</b></div>",
        "<iframe src=https://e.example/></iframe>",
        "<script>alert(1)</script>",
        "<svg/onload=alert(1)>",
        "<meta http-equiv=refresh content=\"0;url=https://e.example/\">",
        "<p style=\"background:url(javascript:x)\">",
    ] {
        assert!(flagged(bad) > 0, "not flagged: {bad}");
    }
    for good in [
        "<p>&lt;script>alert(1)&lt;/script>",
        "<p>&LTimg src=x onerror=alert(1)>",
        "<title>&lt;/title><script>alert(1)</script></title><p>x",
        "<meta content=\"<script>alert(1)</script> onerror=alert(1)\">",
        "<a href=https://example.jp/?q=javascript:alert(1)>ok</a>",
        "<a href=/tsunagu/entries/x/>x</a><a href=tel:0590001234>t</a><a href=mailto:a@b.jp>m</a>",
        "<p>a < b and c<3 {{ site.title }}</p>",
        "<!-- <script>alert(1)</script> --><p>x",
    ] {
        let n = html::tags(good)
            .iter()
            .filter(|t| !t.is_end)
            .map(|t| absolute_violations(t).len())
            .sum::<usize>();
        let scripts = html::tags(good)
            .iter()
            .filter(|t| t.name == "script")
            .count();
        assert_eq!((n, scripts), (0, 0), "flagged: {good}");
    }
}

/// A listing whose texts start like spreadsheet formulas: in the published CSV every such cell
/// starts with an apostrophe, so a spreadsheet shows it and never runs it.
#[test]
fn the_csv_never_hands_a_spreadsheet_a_formula() {
    let site = TempSite::minimal();
    site.write_config("site.toml", site_toml());
    let entry = valid_entry()
        .replace(
            "name = \"あおぞら児童発達支援センター\"",
            "name = \"=HYPERLINK(\\\"https://evil.example/\\\",\\\"x\\\")\"\noperator = \"@SUM(1+1)\"\nhours = \"+1+1\"",
        )
        .replace(
            "吸引と経管栄養のあるお子さんを受け入れています。",
            "-1+1\n\n吸引と経管栄養のあるお子さんを受け入れています。",
        );
    site.write_entry("formula.md", entry);
    let out = site.root().join("public");
    site.build(&out).assert_code(0);
    let rows = common::csv_records(&out.join("data/entries.csv"));
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(row["名称"], "'=HYPERLINK(\"https://evil.example/\",\"x\")");
    assert_eq!(row["法人の名称"], "'@SUM(1+1)");
    assert_eq!(row["利用可能時間"], "'+1+1");
    assert!(row["紹介文"].starts_with("'-1+1\n"), "{:?}", row["紹介文"]);
    for (column, cell) in row {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{column}: {cell:?}"
        );
    }
}
