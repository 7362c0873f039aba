//! The browse indexes, so that every way a family thinks of a place leads to a list: the menu of
//! them all (`/menu/`), by care item
//! (`/care/` and `/care/<id>/`), by kind (`/categories/`), by region (`/regions/`), by name in
//! 50音順 (`/entries/` and `/entries/<row>/`), the open-data files (`/data/`), and the static
//! keyword guide of the search page for browsers without JavaScript.

use serde_json::{Value, json};

use super::{ListSpec, PageJob, Views};
use crate::diag::thousands;
use crate::gaps::GapReport;
use crate::gaps::format::{csv_header, to_json};
use crate::gojuon::ROWS;
use crate::opendata;
use crate::paths;
use crate::render::gaps::{GAPS_CSV, GAPS_JSON};

/// The index pages: title and path below the root (also their breadcrumbs and footer links).
pub(super) const CATEGORIES: (&str, &str) = ("種類から探す", "categories/");
pub(super) const REGIONS: (&str, &str) = ("地域から探す", "regions/");
pub(super) const CARE: (&str, &str) = ("医療的ケアから探す", "care/");
pub(super) const ENTRIES: (&str, &str) = ("名前の50音順で探す", "entries/");
pub(super) const DATA: (&str, &str) = ("オープンデータ", "data/");
/// The header's buttons on every page: the search page and the menu of every way into the lists.
pub(super) const SEARCH: (&str, &str) = ("探す", "search/");
pub(super) const MENU: (&str, &str) = ("メニュー", "menu/");
/// The gap pages (`render::gaps`), linked with the indexes.
const GAPS: (&str, &str) = ("地域ごとの不足状況", "gaps/");

/// Said wherever the everyday words are shown: the table (`src/synonyms.toml`) and the care
/// items' descriptions (`config::builtin_care_items`) await review.
const WORDS_DRAFT: &str = "言いかえの表は下書きで、医療・福祉の専門職の確認はまだです。";
const CARE_DRAFT: &str = "ケアの説明と言いかえの表は下書きで、医療・福祉の専門職の確認はまだです。";

impl<'a> Views<'a> {
    /// The indexes and the gap pages, listed on the menu page (`menu.html`).
    pub(super) fn index_links(&self) -> Value {
        [CATEGORIES, REGIONS, CARE, ENTRIES, DATA, GAPS]
            .iter()
            .map(|&(label, path)| json!({"label": label, "url": self.url(path)}))
            .collect()
    }

    /// The everyday words for a term (a care item's, service's or category's label).
    fn words(&self, term: &str) -> &'a [String] {
        self.site
            .config
            .synonyms
            .iter()
            .find(|s| s.term == term)
            .map_or(&[], |s| s.words.as_slice())
    }

    /// The list of each care item: the entries that accept it, as lines.
    pub(super) fn care_jobs<'s>(&'s self, jobs: &mut Vec<PageJob<'s>>) {
        for c in &self.site.config.care_items {
            let words = self.words(&c.label);
            let mut notes: Vec<String> = [
                c.description.clone(),
                if words.is_empty() {
                    String::new()
                } else {
                    format!("ふだんの言い方・読み：{}", words.join("、"))
                },
            ]
            .into_iter()
            .filter(|n| !n.is_empty())
            .collect();
            if !notes.is_empty() {
                notes.push(CARE_DRAFT.to_owned());
            }
            let list = ListSpec {
                notes,
                lines: true,
                crumbs: vec![self.link(CARE)],
                ..ListSpec::new(
                    "care",
                    format!("{}に対応している所", c.label),
                    format!("{}のケアに対応している所", c.label),
                    paths::care(&c.id),
                    self.site.accepting(&c.id),
                )
            };
            self.list_jobs(list, jobs);
        }
    }

    /// The list of each 50音 row, as lines.
    pub(super) fn row_jobs<'s>(&'s self, jobs: &mut Vec<PageJob<'s>>) {
        for (i, row) in ROWS.iter().enumerate() {
            let (title, lead) = if row.kana.is_empty() {
                (
                    "その他の名前".to_owned(),
                    "読みがなが登録されていない所と、読みがかなで始まらない所".to_owned(),
                )
            } else {
                (
                    format!("{}で始まる名前", row.label),
                    format!("名前の読みが「{}」で始まる所", row.kana),
                )
            };
            let list = ListSpec {
                lines: true,
                crumbs: vec![self.link(ENTRIES)],
                ..ListSpec::new(
                    "row",
                    title,
                    lead,
                    paths::row(row.slug),
                    self.site.in_row(i),
                )
            };
            self.list_jobs(list, jobs);
        }
    }

    /// A care item or category on a guide: its label, description, list, count and everyday words.
    fn guide_item(
        &self,
        id: &str,
        label: &str,
        description: &str,
        path: String,
        count: usize,
    ) -> Value {
        json!({
            "id": id,
            "label": label,
            "description": description,
            "url": self.url(&path),
            "count": count,
            "words": self.words(label),
        })
    }

    /// Each care item on a guide.
    fn care_guide(&self) -> Vec<Value> {
        let site = self.site;
        site.config
            .care_items
            .iter()
            .map(|c| {
                let path = paths::care(&c.id);
                let count = site.accepting(&c.id).len();
                self.guide_item(&c.id, &c.label, &c.description, path, count)
            })
            .collect()
    }

    /// Each category on a guide, with its services and their everyday words.
    fn category_guide(&self) -> Vec<Value> {
        let site = self.site;
        site.config
            .categories
            .iter()
            .map(|c| {
                let path = paths::category(&c.id);
                let count = site.in_category(&c.id).len();
                let mut item = self.guide_item(&c.id, &c.label, &c.description, path, count);
                item["services"] = c
                    .services
                    .iter()
                    .map(|s| json!({"label": s, "words": self.words(s)}))
                    .collect();
                item
            })
            .collect()
    }

    /// The search page's guide without JavaScript: every care item, category and service with
    /// its everyday words, linking to the list that has them.
    pub(super) fn keyword_guide(&self) -> Value {
        json!({
            "care": self.care_guide(),
            "categories": self.category_guide(),
            "draft_note": WORDS_DRAFT,
        })
    }

    /// A page with the home page as its only breadcrumb, from a JSON view.
    fn index_job<'s>(
        &'s self,
        template: &'static str,
        (title, path): (&str, &str),
        description: &str,
        mut view: Value,
    ) -> PageJob<'s> {
        view["page"] = json!(self.page(title, path, description));
        view["breadcrumbs"] = json!([self.home_link()]);
        PageJob::new(template, paths::file(path), move || view.clone())
    }

    /// `/menu/`, `/care/`, `/categories/`, `/regions/` and `/entries/`.
    pub(super) fn index_jobs<'s>(&'s self, jobs: &mut Vec<PageJob<'s>>) {
        let site = self.site;
        jobs.push(self.index_job(
            "menu.html",
            MENU,
            "種類・地域・医療的ケア・名前から、掲載の一覧を開けます。",
            json!({}),
        ));
        jobs.push(self.index_job(
            "guide.html",
            CARE,
            "医療的ケアの種類ごとに、対応している事業所・学校などの一覧を開けます。",
            json!({"guide": {
                "kind": "care",
                "lead": "お子さんに必要な医療的ケアを選ぶと、そのケアに対応している事業所・学校などの一覧が開きます。",
                "note": CARE_DRAFT,
                "items": self.care_guide(),
            }}),
        ));
        jobs.push(self.index_job(
            "guide.html",
            CATEGORIES,
            "事業所・学校などの種類ごとに、掲載の一覧を開けます。",
            json!({"guide": {
                "kind": "category",
                "lead": "事業所・学校などの種類を選ぶと、その種類の掲載の一覧が開きます。",
                "note": WORDS_DRAFT,
                "items": self.category_guide(),
            }}),
        ));
        jobs.push(self.index_job(
            "regions_index.html",
            REGIONS,
            "地域と市町村ごとに、掲載の一覧を開けます。",
            json!({"regions_heading": "地域と市町村"}),
        ));
        let rows: Vec<Value> = ROWS
            .iter()
            .enumerate()
            .map(|(i, row)| {
                json!({
                    "label": row.label,
                    "kana": row.kana,
                    "url": self.url(&paths::row(row.slug)),
                    "count": site.in_row(i).len(),
                })
            })
            .collect();
        jobs.push(self.index_job(
            "entries_index.html",
            ENTRIES,
            "すべての掲載を、名前の読みの50音順で行ごとに開けます。",
            json!({"rows": rows}),
        ));
    }

    /// `/data/`: each open-data and gap file, what it holds, its format and its columns, as the
    /// code that writes the file names them.
    pub(in crate::render) fn data_job(&self, report: &GapReport) -> PageJob<'_> {
        let parts = opendata::site_parts(self.site);
        let mut files: Vec<Value> = opendata::FILES
            .iter()
            .map(|f| {
                let about = [f.title, f.about, f.format, f.fields_are];
                let mut file = self.data_file(&f.path(0, parts.len()), about, (f.fields)(self.site));
                if parts.len() > 1 {
                    file["parts"] = parts
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            let path = f.path(i, parts.len());
                            json!({
                                "url": self.url(&path),
                                "address": format!("{}/{path}", self.base),
                                "label": format!("{}〜{}件目", thousands(r.start + 1), thousands(r.end)),
                            })
                        })
                        .collect();
                }
                file
            })
            .collect();
        let gaps_json: Vec<String> = match serde_json::from_str(&to_json(report)) {
            Ok(Value::Object(map)) => map.keys().cloned().collect(),
            _ => Vec::new(),
        };
        let gaps_csv = [
            "地域ごとの不足状況（CSV）",
            "地域ごとの不足状況のページと同じ数字を、地域と種類の組み合わせごとに1行にした表です。人数の少ない数字は、ページと同じように伏せています。",
            "CSV、文字コード UTF-8（BOM なし）、改行 CRLF",
            "列",
        ];
        let gaps_json_about = [
            "地域ごとの不足状況（JSON）",
            "CSV と同じ数字に、判定の理由と基準の文章を加えたものです。",
            "JSON、文字コード UTF-8",
            "ファイル全体の項目",
        ];
        files.push(self.data_file(GAPS_CSV, gaps_csv, csv_header(report)));
        files.push(self.data_file(GAPS_JSON, gaps_json_about, gaps_json));
        self.index_job(
            "data.html",
            DATA,
            "掲載情報と地域ごとの不足状況を、CSV・JSON のファイルで自由に使えます。",
            json!({"files": files, "gaps_url": self.url(GAPS.1)}),
        )
    }

    /// One file on `/data/`: its path below the root; its title, what it holds, its format and
    /// what its fields are; and their names.
    fn data_file(&self, path: &str, about: [&str; 4], fields: Vec<String>) -> Value {
        let [title, holds, format, fields_are] = about;
        json!({
            "title": title, "url": self.url(path), "address": format!("{}/{path}", self.base),
            "about": holds, "format": format, "fields_are": fields_are, "fields": fields,
        })
    }
}
