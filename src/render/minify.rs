//! Minifying with minify-html, once per template instead of once per page.
//!
//! Minifying every rendered page cost more than half of a large build. A template minified with
//! its `{{ … }}` and `{% … %}` kept verbatim renders the same pages, as long as template syntax
//! never decides the shape of a tag: inside a tag it may only sit in a quoted attribute value that
//! stays quoted. [`template`] checks that and declines otherwise; a theme with such a template
//! gets every page minified after rendering instead ([`page`]), which is slower but always right.
//! Text from entries is escaped by the templates and needs no minifying.

fn cfg(keep_template_syntax: bool) -> minify_html::Cfg {
    minify_html::Cfg {
        keep_html_and_head_opening_tags: true,
        preserve_brace_template_syntax: keep_template_syntax,
        ..minify_html::Cfg::default()
    }
}

/// A rendered page, minified.
pub fn page(html: &[u8]) -> Vec<u8> {
    minify_html::minify(html, &cfg(false))
}

/// The template minified with its template syntax kept, or `None` when minifying the template
/// could change what it renders.
pub fn template(text: &str) -> Option<String> {
    if !safe_to_minify(text) {
        return None;
    }
    String::from_utf8(minify_html::minify(text.as_bytes(), &cfg(true))).ok()
}

/// Whether every piece of template syntax in `text` sits in text content or inside a quoted
/// attribute value that has whitespace (so the minifier never unquotes it), and none in a
/// comment (the minifier drops comments).
fn safe_to_minify(text: &str) -> bool {
    let bytes = text.as_bytes();
    let syntax_at = |i: usize| {
        bytes.get(i) == Some(&b'{') && matches!(bytes.get(i + 1), Some(b'{' | b'%' | b'#'))
    };
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"<!--") {
            let end = text[i..].find("-->").map_or(bytes.len(), |e| i + e + 3);
            if (i..end).any(syntax_at) {
                return false;
            }
            i = end;
        } else if bytes[i] == b'<'
            && bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/')
        {
            // Inside a tag until its `>`, skipping quoted values.
            i += 1;
            loop {
                match bytes.get(i) {
                    None => return true,
                    Some(b'>') => break,
                    Some(&q @ (b'"' | b'\'')) => {
                        let start = i + 1;
                        let end = text[start..]
                            .find(q as char)
                            .map_or(bytes.len(), |e| start + e);
                        let value = &bytes[start..end];
                        if (start..end).any(syntax_at) && !value.iter().any(u8::is_ascii_whitespace)
                        {
                            return false;
                        }
                        i = end + 1;
                    }
                    Some(_) if syntax_at(i) => return false,
                    Some(_) => i += 1,
                }
            }
            i += 1;
        } else {
            i += 1;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declines_template_syntax_that_shapes_a_tag() {
        for unsafe_text in [
            r#"<a href="x"{% if c %} aria-current="page"{% endif %}>a</a>"#,
            r#"<a {{ attrs }}>a</a>"#,
            r#"<a href="{{x}}">a</a>"#,
            r#"<a href='{{x}}'>a</a>"#,
            "<!-- {% if a %} --><p>x<!-- {% endif %} -->",
        ] {
            assert!(template(unsafe_text).is_none(), "{unsafe_text}");
        }
    }

    #[test]
    fn minifies_around_kept_template_syntax() {
        let out = template(
            "<ul class=\"a\">\n  {%- for x in xs %}\n  <li class=\"{% if x.on %}on{% endif %}\">  {{ x.name }}  </li>\n  {%- endfor %}\n</ul>\n<p>{# note #}{{ a }} {{ b }}</p>",
        )
        .unwrap();
        assert_eq!(
            out,
            "<ul class=a>{%- for x in xs %} <li class=\"{% if x.on %}on{% endif %}\">{{ x.name }}</li>{%- endfor %}</ul><p>{# note #}{{ a }} {{ b }}"
        );
    }

    #[test]
    fn pages_are_minified() {
        assert_eq!(
            page(b"<p class=\"a\">\n  x  </p>\n<p>y</p>"),
            b"<p class=a>x<p>y".to_vec()
        );
    }
}
