//! Markdown from contributors to safe HTML, and the link helpers that must be safe too.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::entry::without_forbidden_chars;

/// Markdown from a contributor to safe HTML: raw HTML dropped by ammonia, only http/https/tel/mailto
/// links, no images (they would load from elsewhere), headings moved under the page's own.
pub fn markdown_to_html(md: &str) -> String {
    // Markup that needs the sanitiser: raw HTML, links (schemes, rel) and images.
    let mut needs_sanitizer = false;
    let parser =
        Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|ev| {
            match ev {
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => Event::Start(Tag::Heading {
                    level: demote(level),
                    id,
                    classes,
                    attrs,
                }),
                Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
                Event::Html(_)
                | Event::InlineHtml(_)
                | Event::Start(Tag::Link { .. } | Tag::Image { .. }) => {
                    needs_sanitizer = true;
                    ev
                }
                other => other,
            }
        });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    // Without raw HTML, links or images, pulldown-cmark's output is escaped text in fixed tags
    // (and heading attributes, which are off): nothing for the sanitiser to remove.
    let clean = if needs_sanitizer {
        drop_rel_without_href(&sanitizer().clean(&html).to_string())
    } else {
        html
    };
    // Markdown entities (`&#x202E;`) decode to characters validation never saw: drop them here.
    match without_forbidden_chars(&clean) {
        std::borrow::Cow::Borrowed(_) => clean,
        std::borrow::Cow::Owned(cleaned) => cleaned,
    }
}

/// The sanitiser, configured once: building one allocates its whole allow-list.
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: std::sync::LazyLock<ammonia::Builder<'static>> =
        std::sync::LazyLock::new(|| {
            let mut b = ammonia::Builder::default();
            // <details> needs a <summary> first, which the sanitiser cannot ensure: both go,
            // their text stays (pages must stay valid HTML whatever the description holds).
            b.rm_tags(["img", "details", "summary"])
                .url_schemes(["http", "https", "tel", "mailto"].into())
                .link_rel(Some("noopener noreferrer"));
            b
        });
    &SANITIZER
}

/// ammonia gives every `<a>` the `rel`, also those whose `href` it removed (`javascript:` …), and
/// `rel` without `href` is invalid HTML: it goes from those. Text never holds `<a ` (escaped).
fn drop_rel_without_href(html: &str) -> String {
    const REL: &str = " rel=\"noopener noreferrer\"";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<a ") {
        out.push_str(&rest[..i]);
        let len = rest[i..].find('>').map_or(rest.len() - i, |e| e + 1);
        let tag = &rest[i..i + len];
        if tag.contains(" href=") {
            out.push_str(tag);
        } else {
            out.push_str(&tag.replacen(REL, "", 1));
        }
        rest = &rest[i + len..];
    }
    out.push_str(rest);
    out
}

/// A file path in a URL: ASCII that a URL path cannot hold as it is (`"`, `<`, space, `#`, `?` …)
/// percent-encoded; other characters kept, as browsers show them.
pub(super) fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    percent_encode(&mut out, path, |c| {
        c.is_ascii_alphanumeric()
            || "-._~/!$&'()*+,;=:@".contains(c)
            || !(c.is_ascii() || c.is_control())
    });
    out
}

/// A `mailto:` link to `to` with header fields such as `subject` and `body` (RFC 6068): every
/// ASCII character but the unreserved ones (and `@`, `+` in the address) percent-encoded, so
/// that no value can end the address, add a field or leave the URL; line breaks of the body sent
/// as CRLF, control characters of the other fields as spaces. Other characters stay as written
/// (an IRI, which browsers encode as UTF-8 when they open it): a Japanese subject costs a third
/// of its percent-encoded bytes on every entry page. Invisible ones (spaces, format and
/// non-characters) are encoded, so the link holds nothing a reader of the source cannot see.
pub fn mailto_href(to: &str, fields: &[(&str, &str)]) -> String {
    let visible = |c: char| {
        !c.is_ascii()
            && !c.is_whitespace()
            && !invisible(c)
            && !matches!(c, '\u{80}'..='\u{9f}' | '\u{fdd0}'..='\u{fdef}')
            && (u32::from(c) & 0xfffe) != 0xfffe
    };
    let unreserved = |c: char| c.is_ascii_alphanumeric() || "-._~".contains(c);
    let value_char = |c: char| unreserved(c) || visible(c);
    let mut href = String::from("mailto:");
    percent_encode(&mut href, to, |c| unreserved(c) || c == '@' || c == '+');
    for (i, (name, value)) in fields.iter().enumerate() {
        href.push(if i == 0 { '?' } else { '&' });
        percent_encode(&mut href, name, unreserved);
        href.push('=');
        let value: String = if *name == "body" {
            value
                .replace("\r\n", "\n")
                .replace('\r', "\n")
                .replace('\n', "\r\n")
        } else {
            value
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect()
        };
        percent_encode(&mut href, &value, value_char);
    }
    href
}

/// Unicode's Default_Ignorable_Code_Point (format characters, fillers, variation selectors, tags):
/// characters that show nothing, and the blank braille pattern.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{115f}'..='\u{1160}' | '\u{17b4}'..='\u{17b5}'
        | '\u{180b}'..='\u{180f}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}' | '\u{2800}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}'
        | '\u{feff}' | '\u{ffa0}' | '\u{fff0}'..='\u{fffb}' | '\u{1bca0}'..='\u{1bca3}'
        | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}')
}

/// Appends `text` to `out` with every character that `keep` refuses written as `%XX` per UTF-8 byte.
fn percent_encode(out: &mut String, text: &str, keep: impl Fn(char) -> bool) {
    for c in text.chars() {
        if keep(c) {
            out.push(c);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            for &b in c.encode_utf8(&mut [0; 4]).as_bytes() {
                out.extend([
                    '%',
                    HEX[usize::from(b >> 4)].into(),
                    HEX[usize::from(b & 15)].into(),
                ]);
            }
        }
    }
}

/// Description headings start at h3 and keep their order: the page has its h1 and the
/// description sits under an h2, so no level is skipped.
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// A `tel:` link target: digits and a leading `+` only.
pub fn tel_href(phone: &str) -> String {
    let digits: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitised_markup_stays_valid_html() {
        let html = markdown_to_html(
            "[x](javascript:alert(1)) <a href=\"https://e.jp/\">ok</a> <details>t</details>",
        );
        assert!(html.contains("<a>x</a>"), "{html}");
        assert!(
            html.contains(r#"<a href="https://e.jp/" rel="noopener noreferrer">ok</a>"#),
            "{html}"
        );
        assert!(!html.contains("<details") && html.contains(">t<"), "{html}");
        assert_eq!(
            url_path("content/entries/\"><x y>/a b#?.md"),
            "content/entries/%22%3E%3Cx%20y%3E/a%20b%23%3F.md"
        );
        assert_eq!(
            url_path("content/entries/津/a-1.md"),
            "content/entries/津/a-1.md"
        );
    }

    #[test]
    fn markdown_drops_raw_html_and_unsafe_links() {
        let html = markdown_to_html(
            "# 見出し\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) [y](data:text/html,hi) \
             [ok](https://example.jp/) <img src=x onerror=alert(1)> ![i](https://e.jp/i.png)\n\n\
             <a href=\"https://e.jp\" onclick=\"alert(1)\">a</a>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert!(
            !html.contains("onerror") && !html.contains("onclick"),
            "{html}"
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("<h3>見出し</h3>"), "{html}");
        assert!(html.contains(r#"href="https://example.jp/""#), "{html}");
        assert!(html.contains("noopener noreferrer"), "{html}");
        assert!(!markdown_to_html("a&#x202E;b &#8238;c").contains('\u{202E}'));
        // The fast path (no HTML, links or images) still escapes everything.
        let plain =
            markdown_to_html("## 見学\n\n`<b>` &lt;i&gt; 1 < 2 & \"q\" {{ x }}\n\n- a\n- b");
        assert_eq!(
            plain,
            "<h3>見学</h3>\n<p><code>&lt;b&gt;</code> &lt;i&gt; 1 &lt; 2 &amp; \"q\" {{ x }}</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
        );
    }

    #[test]
    fn mailto_links_percent_encode_every_ascii_delimiter_and_every_invisible_character() {
        assert_eq!(
            mailto_href("info@example.jp", &[]),
            "mailto:info@example.jp"
        );
        assert_eq!(
            mailto_href("a+b@example.jp", &[("subject", "誤り"), ("body", "a b")]),
            "mailto:a+b@example.jp?subject=誤り&body=a%20b"
        );
        // Spaces, format characters (a right-to-left override, a zero-width space) and
        // non-characters are encoded; visible text, full-width punctuation included, is not.
        assert_eq!(
            mailto_href(
                "c@example.jp",
                &[(
                    "subject",
                    "正しい内容：\u{3000}\u{202e}a\u{200b}b\u{ffff}\u{a0}"
                )]
            ),
            "mailto:c@example.jp?subject=正しい内容：%E3%80%80%E2%80%AEa%E2%80%8Bb%EF%BF%BF%C2%A0"
        );
        // A hostile entry name can neither add a field, end the URL nor break out of the attribute.
        let href = mailto_href(
            "x?cc=evil@example.jp",
            &[
                ("subject", "A&cc=evil@example.jp?#x\r\nBcc: e@x.jp\"<>'%20"),
                ("body", "1行目\n2行目\r\n3 & 4 ? # = + %"),
            ],
        );
        assert_eq!(
            href,
            "mailto:x%3Fcc%3Devil@example.jp\
             ?subject=A%26cc%3Devil%40example.jp%3F%23x%20%20Bcc%3A%20e%40x.jp%22%3C%3E%27%2520\
             &body=1行目%0D%0A2行目%0D%0A3%20%26%204%20%3F%20%23%20%3D%20%2B%20%25"
        );
        // Decoded by a URL parser, the fields are the values given (no raw `+` is left to mean a space).
        let url = url::Url::parse(&href).unwrap();
        assert_eq!(
            (url.path(), url.fragment()),
            ("x%3Fcc%3Devil@example.jp", None)
        );
        let fields: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            fields,
            [
                (
                    "subject".to_owned(),
                    "A&cc=evil@example.jp?#x  Bcc: e@x.jp\"<>'%20".to_owned()
                ),
                (
                    "body".to_owned(),
                    "1行目\r\n2行目\r\n3 & 4 ? # = + %".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn tel_links_keep_digits_only() {
        assert_eq!(tel_href("059-000-1234"), "tel:0590001234");
        assert_eq!(tel_href("+81 (59) 000"), "tel:+8159000");
    }
}
