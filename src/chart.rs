//! Horizontal bar charts as inline SVG, generated at build time: no chart library, no JavaScript.
//! Each chart carries a title and a description for screen readers; pages also show the same
//! numbers in a table, so nothing depends on seeing the bars or their colours.

use std::fmt::Write;

/// One bar: its label, value, the text printed after it and whether it marks a problem.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub text: String,
    pub alert: bool,
}

/// A vertical reference line, e.g. a threshold.
pub struct Marker {
    pub value: f64,
    pub label: String,
}

const WIDTH: f64 = 640.0;
const LABEL_W: f64 = 190.0;
const VALUE_W: f64 = 110.0;
const ROW_H: f64 = 28.0;
const BAR_H: f64 = 18.0;
const TOP: f64 = 24.0;

/// Renders a chart. `id` must be unique on the page (it names the title and description).
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[Bar], markers: &[Marker]) -> String {
    let max = bars
        .iter()
        .map(|b| b.value)
        .chain(markers.iter().map(|m| m.value))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let plot_w = WIDTH - LABEL_W - VALUE_W;
    let height = TOP + ROW_H * bars.len() as f64 + 8.0;
    let x_of = |v: f64| LABEL_W + plot_w * (v / max);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="{id}-t {id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(desc)
    );
    for (i, b) in bars.iter().enumerate() {
        let y = TOP + ROW_H * i as f64;
        let w = (x_of(b.value.max(0.0)) - LABEL_W).max(0.0);
        let (fill, weight) = if b.alert {
            ("#b3261e", "bold")
        } else {
            ("#1f5f99", "normal")
        };
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" text-anchor="end" font-size="13" fill="#1a1a1a">{}</text><rect x="{LABEL_W}" y="{y}" width="{w:.1}" height="{BAR_H}" fill="{fill}"/><text x="{:.1}" y="{}" font-size="13" font-weight="{weight}" fill="#1a1a1a">{}</text>"##,
            LABEL_W - 8.0,
            y + 14.0,
            esc(&b.label),
            LABEL_W + w + 6.0,
            y + 14.0,
            esc(&b.text),
        );
    }
    for m in markers {
        let x = x_of(m.value);
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{}" stroke="#5c5c5c" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{x:.1}" y="14" text-anchor="middle" font-size="12" fill="#3d3d3d">{}</text>"##,
            TOP - 4.0,
            height - 4.0,
            esc(&m.label)
        );
    }
    s.push_str("</svg>");
    s
}

/// Escapes text for SVG/HTML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_is_labelled_and_escaped() {
        let bars = [
            Bar {
                label: "<script>".into(),
                value: 2.0,
                text: "2".into(),
                alert: false,
            },
            Bar {
                label: "人工呼吸器".into(),
                value: 0.0,
                text: "0（受け入れ先なし）".into(),
                alert: true,
            },
        ];
        let svg = bar_chart(
            "c1",
            "タイトル",
            "説明 & 詳細",
            &bars,
            &[Marker {
                value: 5.0,
                label: "基準 5".into(),
            }],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"aria-labelledby="c1-t c1-d""#));
        assert!(svg.contains("<title id=\"c1-t\">タイトル</title>"));
        assert!(svg.contains("説明 &amp; 詳細"));
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script"));
        assert!(svg.contains("0（受け入れ先なし）"));
        assert_eq!(svg.matches("<rect").count(), 2);
        assert!(svg.contains("stroke-dasharray"));
    }
}
