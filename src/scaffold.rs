//! `tsunagu new`: a new entry file with every field present and explained in Japanese, so a
//! contributor editing in the browser sees the whole format in front of them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::config::{Config, is_slug};
use crate::date::Date;
use crate::diag::did_you_mean;
use crate::fields::{FIELDS, Kind};
use crate::gojuon;

/// What `tsunagu new` was asked for.
pub struct Request<'a> {
    pub category: &'a str,
    pub id: &'a str,
    pub name: Option<&'a str>,
    pub municipality: Option<&'a str>,
    pub today: Date,
}

/// Fields written with a value; every other field is written commented out, with an example.
const FILLED: &[&str] = &[
    "name",
    "category",
    "municipality",
    "address",
    "verified",
    "draft",
];

/// Writes the file and returns its path. Refuses an existing file or an id already in use.
pub fn write_new(root: &Path, config: &Config, req: &Request<'_>) -> Result<PathBuf, String> {
    let Some(category) = config.category(req.category) else {
        let ids: Vec<&str> = config.categories.iter().map(|c| c.id.as_str()).collect();
        return Err(format!(
            "カテゴリ `{}` はありません{}。使えるのは {} です",
            req.category,
            did_you_mean(req.category, ids.iter().copied()),
            ids.join(" / ")
        ));
    };
    if !is_slug(req.id) {
        return Err(format!(
            "id `{}` は使えません。半角英小文字・数字・- だけで、英数字で始まる64文字以内にしてください（例: tsu-hidamari）",
            req.id
        ));
    }
    if let Some(row) = gojuon::reserved(req.id) {
        return Err(gojuon::reserved_message(row));
    }
    let municipality = match req.municipality {
        None => None,
        Some(m) => Some(config.municipality(m).ok_or_else(|| {
            let names: Vec<&str> = config.municipalities().map(|m| m.name.as_str()).collect();
            format!(
                "市町村 `{m}` は regions.toml にありません{}",
                did_you_mean(m, names)
            )
        })?),
    };
    let entries = root.join("content").join("entries");
    let mut diags = crate::diag::Diagnostics::default();
    if let Some(existing) = crate::load::entry_paths(root, &entries, &mut diags)
        .into_iter()
        .find(|p| p.file_stem().is_some_and(|s| s == req.id))
    {
        return Err(format!(
            "id `{}` はすでに {} で使われています。別の id にしてください",
            req.id,
            crate::diag::display_path(root, &existing)
        ));
    }
    let dir = municipality.map_or_else(|| entries.clone(), |m| entries.join(&m.region));
    let path = dir.join(format!("{}.md", req.id));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{} を作れません: {e}", dir.display()))?;

    let values = [
        ("name", toml_str(req.name.unwrap_or(""))),
        ("category", toml_str(&category.id)),
        (
            "municipality",
            toml_str(municipality.map_or("", |m| m.name.as_str())),
        ),
        ("address", toml_str("")),
        ("verified", req.today.to_string()),
        ("draft", "true".to_owned()),
    ];
    let text = entry_text(&values, category);
    // create_new: never overwrite, even if a file appeared since the check above.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            format!(
                "{} を作れません（すでにあるか、書き込めません）: {e}",
                path.display()
            )
        })?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| format!("{} に書き込めません: {e}", path.display()))?;
    Ok(path)
}

/// A TOML string literal (quoted and escaped as TOML needs).
pub fn toml_str(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_owned()
}

/// A TOML literal for a schema example.
fn toml_literal(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => toml_str(s),
        serde_json::Value::Array(items) => {
            format!(
                "[{}]",
                items
                    .iter()
                    .map(toml_literal)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
        other => other.to_string(),
    }
}

/// An entry file: the fields in `values` written, every other field commented out with an
/// example, each explained.
pub fn entry_text(values: &[(&str, String)], category: &crate::config::Category) -> String {
    let mut out = String::from("+++\n");
    out.push_str("# 新しい掲載情報です。「#」で始まる行は説明で、公開されません。\n");
    out.push_str("# 必須: name, category, municipality, address, verified と、phone・email・url のどれか1つ。\n");
    out.push_str("# 使う項目は行頭の「# 」を消して書き換えます。書き終えたら draft = true の行を消すと公開されます。\n");
    for f in FIELDS {
        if f.id == "description" {
            continue;
        }
        let _ = writeln!(out, "\n# {}", f.doc);
        if f.id == "services" {
            let _ = writeln!(
                out,
                "# 「{}」で使えるサービス: {}",
                category.label,
                category.services.join("、")
            );
        }
        match values.iter().find(|(n, _)| *n == f.id) {
            Some((_, v)) => {
                let _ = writeln!(out, "{} = {v}", f.id);
            }
            None if FILLED.contains(&f.id) => {}
            None => {
                let example = match (f.kind, f.example_value()) {
                    (Kind::Ages, _) => "{ min = 0, max = 18 }".to_owned(),
                    (_, Some(v)) => toml_literal(&v),
                    (_, None) => "true".to_owned(),
                };
                let _ = writeln!(out, "# {} = {example}", f.id);
            }
        }
    }
    out.push_str("+++\n<!-- ここから下に紹介文を Markdown で書きます（受け入れの条件、見学や申し込みの方法など）。この行は消してください。 -->\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::builtin_categories;

    #[test]
    fn every_field_is_present_and_explained() {
        let cats = builtin_categories();
        let values: Vec<(&str, String)> = FILLED
            .iter()
            .map(|f| match *f {
                "name" => (*f, toml_str("あおぞら \"園\"")),
                _ => (*f, "\"x\"".to_owned()),
            })
            .collect();
        let text = entry_text(&values, &cats[0]);
        for f in FIELDS.iter().filter(|f| f.id != "description") {
            assert!(
                text.contains(&format!("\n{} = ", f.id))
                    || text.contains(&format!("\n# {} = ", f.id)),
                "{}",
                f.id
            );
            assert!(text.contains(f.doc), "{}", f.id);
        }
        assert!(
            text.contains(r#"name = 'あおぞら "園"'"#),
            "quotes survive: {text}"
        );
        assert!(
            text.contains("# care = [\"ventilator\", \"吸引\", \"tube-feeding\"]"),
            "{text}"
        );
        assert!(text.contains("児童発達支援、医療型児童発達支援"));
        assert!(text.starts_with("+++\n") && text.contains("\n+++\n<!--"));
    }
}
