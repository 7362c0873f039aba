//! The tantivy index: schema, the Japanese tokenizer, building from [`Doc`]s, and the impacts
//! both readers rank with.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::directory::RamDirectory;
use tantivy::query::Bm25Weight;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tantivy::{Directory, Index, IndexReader, IndexSettings, Searcher, TantivyDocument, Term, doc};

use crate::normalize::{IndexTokenSpans, Words, exact_key};
use crate::synonyms::{Synonym, Synonyms};

/// Searchable text fields and their boosts: a match in the name counts most, the description least.
pub const TEXT_FIELDS: [(&str, f64); 8] = [
    ("name", 4.0),
    ("kana", 3.0),
    ("municipality", 2.0),
    ("services", 1.5),
    ("care", 1.5),
    ("operator", 1.0),
    ("address", 1.0),
    ("body", 0.5),
];

/// Boost of a query that equals a whole name (after normalisation): it ranks first.
pub const EXACT_BOOST: f64 = 20.0;

const TOKENIZER: &str = "tsunagu_ja";
const EXACT_FIELD: &str = "name_exact";

/// One listing as the search index sees it. The caller orders documents; that order is the doc
/// number both readers use to break ties.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Doc {
    pub id: String,
    pub name: String,
    pub kana: String,
    /// Category label and service names.
    pub services: String,
    /// Labels of the accepted care items.
    pub care: String,
    pub municipality: String,
    pub address: String,
    pub operator: String,
    /// Plain text of the description.
    pub body: String,
    /// Index into [`Facets::categories`].
    pub category: u16,
    /// Index into [`Facets::municipalities`].
    pub municipality_index: u16,
    /// Bit i: accepts [`Facets::care_items`]\[i].
    pub care_bits: u32,
    /// Bit i: [`Facets::flags`]\[i] is true.
    pub flag_bits: u32,
    /// Bit i: offers [`Facets::services`]\[i].
    pub service_bits: u64,
    pub ages: Option<(u8, u8)>,
    pub lat: f64,
    pub lon: f64,
    /// The coordinates are the municipality's, not the provider's own.
    pub approx: bool,
    /// Shown on result cards, never searched here (the body holds it for search).
    pub phone: String,
    /// Day the listing was last verified, in days since 1970-01-01.
    pub verified: u32,
    /// The listing has not been verified for too long: result cards mark it.
    pub stale: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Label {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Municipality {
    pub code: String,
    pub name: String,
    /// Index into [`Facets::regions`].
    pub region: u16,
    /// (lat, lon), when the site knows where the municipality is: only such a municipality is
    /// offered as the origin of 近くを探す.
    pub point: Option<(f64, f64)>,
}

/// The vocabularies documents refer to by index, and the box coordinates are quantised in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    pub categories: Vec<Label>,
    pub regions: Vec<Label>,
    pub municipalities: Vec<Municipality>,
    pub care_items: Vec<Label>,
    pub flags: Vec<Label>,
    /// The services entries may offer (at most 64), each its own id and label.
    pub services: Vec<Label>,
    /// [south, west, north, east]
    pub bbox: [f64; 4],
    /// The site words of the tokenizer ([`Words::list`]) but the synonyms' words: those come
    /// from [`Facets::synonyms`] ([`Facets::site_words`]), so the manifest lists each once.
    pub words: Vec<String>,
    /// The words families type for terms of the vocabulary, expanded at query time.
    pub synonyms: Vec<Synonym>,
}

impl Facets {
    /// The tokenizer's site words: [`Facets::words`] and the words of the synonyms.
    pub fn site_words(&self) -> Words {
        let synonyms = self.synonyms.iter().flat_map(|s| &s.words);
        Words::new(self.words.iter().chain(synonyms).map(String::as_str))
    }

    /// Coordinates as stored: 16 bits each inside `bbox`. Both readers compute distances from
    /// these dequantised values, so they sort by distance identically.
    pub fn quantize(&self, lat: f64, lon: f64) -> (u16, u16) {
        let q = |v: f64, lo: f64, hi: f64| {
            let span = hi - lo;
            if span <= 0.0 {
                0
            } else {
                (((v - lo) / span).clamp(0.0, 1.0) * 65535.0).round() as u16
            }
        };
        (
            q(lat, self.bbox[0], self.bbox[2]),
            q(lon, self.bbox[1], self.bbox[3]),
        )
    }

    pub fn dequantize(&self, q: (u16, u16)) -> (f64, f64) {
        let d = |q: u16, lo: f64, hi: f64| lo + f64::from(q) * (hi - lo) / 65535.0;
        (
            d(q.0, self.bbox[0], self.bbox[2]),
            d(q.1, self.bbox[1], self.bbox[3]),
        )
    }
}

/// The tokenizer of [`crate::normalize`] as a tantivy tokenizer (index side), with its site words.
#[derive(Clone, Default)]
pub struct JapaneseTokenizer(pub std::sync::Arc<Words>);

/// Index tokens of one text, each copied into the same [`Token`] as the indexer asks for it.
pub struct SpanTokenStream {
    spans: IndexTokenSpans,
    next: usize,
    token: Token,
}

impl TokenStream for SpanTokenStream {
    fn advance(&mut self) -> bool {
        let Some(&(start, end)) = self.spans.spans.get(self.next) else {
            return false;
        };
        self.token.text.clear();
        self.token.text.push_str(&self.spans.text[start..end]);
        self.token.position = self.next;
        self.next += 1;
        true
    }
    fn token(&self) -> &Token {
        &self.token
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

impl Tokenizer for JapaneseTokenizer {
    type TokenStream<'a> = SpanTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> SpanTokenStream {
        SpanTokenStream {
            spans: IndexTokenSpans::new(text, &self.0),
            next: 0,
            token: Token::default(),
        }
    }
}

fn schema() -> Schema {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    for (name, _) in TEXT_FIELDS {
        b.add_text_field(name, text.clone());
    }
    b.add_text_field(EXACT_FIELD, STRING);
    // Read back, never searched: stored only. The numbers are read from columns (fast fields);
    // postings of them would be tens of thousands of terms no query uses.
    b.add_text_field("id", STORED);
    b.add_text_field("display_name", STORED);
    b.add_text_field("phone", STORED);
    for name in [
        "doc",
        "category",
        "municipality_index",
        "care_bits",
        "flag_bits",
        "service_bits",
        "lat_q",
        "lon_q",
        "approx",
        "verified",
        "stale",
    ] {
        b.add_u64_field(name, FAST);
    }
    for name in ["age_min", "age_max"] {
        b.add_i64_field(name, FAST);
    }
    b.build()
}

/// An opened index with its facets.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub facets: Facets,
    /// The tokenizer's site words (from [`Facets::words`]).
    pub words: Words,
    /// [`Facets::synonyms`], read against the site words.
    pub synonyms: Synonyms,
    /// Number of documents.
    pub docs: u32,
}

const FACETS_FILE: &str = "facets.json";

impl SearchIndex {
    /// Builds a fresh index in `dir` (emptied first) from documents in their final order.
    pub fn build(
        dir: &Path,
        docs: impl IntoIterator<Item = Doc>,
        facets: Facets,
    ) -> tantivy::Result<SearchIndex> {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let schema = schema();
        let ram = RamDirectory::create();
        let index = Index::create(ram.clone(), schema.clone(), IndexSettings::default())?;
        let words = facets.site_words();
        register(&index, &words);
        let f = |n: &str| schema.get_field(n).expect("field in schema");
        let text_fields: Vec<Field> = TEXT_FIELDS.iter().map(|(n, _)| f(n)).collect();
        let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, 256 * 1024 * 1024)?;
        for (i, d) in docs.into_iter().enumerate() {
            let (lat_q, lon_q) = facets.quantize(d.lat, d.lon);
            let mut document = doc!(
                f(EXACT_FIELD) => exact_key(&d.name),
                f("id") => d.id.clone(),
                f("display_name") => d.name.clone(),
                f("phone") => d.phone.clone(),
                f("doc") => i as u64,
                f("category") => u64::from(d.category),
                f("municipality_index") => u64::from(d.municipality_index),
                f("care_bits") => u64::from(d.care_bits),
                f("flag_bits") => u64::from(d.flag_bits),
                f("service_bits") => d.service_bits,
                f("lat_q") => u64::from(lat_q),
                f("lon_q") => u64::from(lon_q),
                f("approx") => u64::from(d.approx),
                f("verified") => u64::from(d.verified),
                f("stale") => u64::from(d.stale),
                f("age_min") => d.ages.map_or(-1, |a| i64::from(a.0)),
                f("age_max") => d.ages.map_or(-1, |a| i64::from(a.1)),
            );
            let texts = [
                &d.name,
                &d.kana,
                &d.municipality,
                &d.services,
                &d.care,
                &d.operator,
                &d.address,
                &d.body,
            ];
            for (field, text) in text_fields.iter().zip(texts) {
                document.add_text(*field, text);
            }
            writer.add_document(document)?;
        }
        writer.commit()?;
        let segments = index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        writer.wait_merging_threads()?;
        persist(&ram, &index, dir)?;
        std::fs::write(
            dir.join(FACETS_FILE),
            serde_json::to_vec(&facets)
                .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?,
        )?;
        SearchIndex::with_reader(index, facets, words)
    }

    fn with_reader(index: Index, facets: Facets, words: Words) -> tantivy::Result<SearchIndex> {
        let reader = index.reader()?;
        let docs = reader.searcher().num_docs() as u32;
        let synonyms = Synonyms::new(&facets.synonyms, &words);
        Ok(SearchIndex {
            index,
            reader,
            facets,
            words,
            synonyms,
            docs,
        })
    }

    /// Opens an index built by [`SearchIndex::build`].
    pub fn open(dir: &Path) -> tantivy::Result<SearchIndex> {
        let index = Index::open_in_dir(dir)?;
        let facets: Facets = serde_json::from_slice(&std::fs::read(dir.join(FACETS_FILE))?)
            .map_err(|e| tantivy::TantivyError::InternalError(e.to_string()))?;
        let words = facets.site_words();
        register(&index, &words);
        SearchIndex::with_reader(index, facets, words)
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    pub(crate) fn field(&self, name: &str) -> Field {
        self.index
            .schema()
            .get_field(name)
            .expect("field in schema")
    }

    /// Impacts of one token (or, with `exact`, of one whole-name key), looked up in the index.
    pub fn impacts(&self, token: &str, exact: bool) -> tantivy::Result<Impacts> {
        let searcher = self.searcher();
        let Some(segment) = single_segment(&searcher)? else {
            return Ok(Impacts::default());
        };
        let scorer = ImpactScorer::new(self, &searcher, segment)?;
        let mut infos = Vec::new();
        for (i, (field, _)) in scorer.fields.iter().enumerate() {
            if (i == EXACT_INDEX) != exact {
                continue;
            }
            let term = Term::from_field_text(*field, token);
            if let Some(info) = segment.inverted_index(*field)?.get_term_info(&term)? {
                infos.push((i, info));
            }
        }
        scorer.impacts(&infos)
    }
}

/// Writes an index built in memory to `dir` for [`SearchIndex::open`]: its segment files and
/// `meta.json`, with plain writes. The folder is a cache every build replaces, so the fsync
/// tantivy's own directory makes after each file would only slow a build on a busy disk.
fn persist(ram: &RamDirectory, index: &Index, dir: &Path) -> tantivy::Result<()> {
    let mut files: Vec<PathBuf> = index
        .load_metas()?
        .list_segment_files()
        .into_iter()
        .collect();
    files.sort();
    files.push(PathBuf::from("meta.json"));
    for file in files {
        if ram.exists(&file)? {
            let bytes = ram.open_read(&file)?.read_bytes()?;
            std::fs::write(dir.join(&file), bytes.as_slice())?;
        }
    }
    Ok(())
}

/// Index of the exact-name field in [`ImpactScorer::fields`] (after the text fields).
pub(crate) const EXACT_INDEX: usize = TEXT_FIELDS.len();

/// The index is merged into one segment when built, so doc ids and statistics are simple. An
/// index of no documents (a new site whose only entry is a draft) has no segment: `None`.
pub(crate) fn single_segment(
    searcher: &Searcher,
) -> tantivy::Result<Option<&tantivy::SegmentReader>> {
    match searcher.segment_readers() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        _ => Err(tantivy::TantivyError::InternalError(
            "the search index must have exactly one segment; rebuild it".to_owned(),
        )),
    }
}

/// Computes impacts from term infos of one segment: the one place scores are defined, used by
/// the CLI reader and by the export.
pub(crate) struct ImpactScorer {
    /// The text fields, then the exact-name field, with their boosts.
    pub(crate) fields: Vec<(Field, f64)>,
    /// Average field length per field, as tantivy's BM25 computes it.
    averages: Vec<f32>,
    /// Per field, opened once: its postings and its field norms.
    inverted: Vec<std::sync::Arc<tantivy::InvertedIndexReader>>,
    norms: Vec<tantivy::fieldnorm::FieldNormReader>,
    total_docs: u64,
    doc_numbers: tantivy::columnar::Column<u64>,
    /// Every doc id is its doc number (documents were added in order to the one segment, as
    /// [`SearchIndex::build`] does), so postings need no lookup.
    doc_ids_are_numbers: bool,
}

impl ImpactScorer {
    pub(crate) fn new(
        index: &SearchIndex,
        searcher: &Searcher,
        segment: &tantivy::SegmentReader,
    ) -> tantivy::Result<ImpactScorer> {
        use tantivy::query::Bm25StatisticsProvider;
        let mut fields: Vec<(Field, f64)> = TEXT_FIELDS
            .iter()
            .map(|(n, b)| (index.field(n), *b))
            .collect();
        fields.push((index.field(EXACT_FIELD), EXACT_BOOST));
        let total_docs = searcher.total_num_docs()?;
        let averages = fields
            .iter()
            .map(|(f, _)| Ok(searcher.total_num_tokens(*f)? as f32 / total_docs.max(1) as f32))
            .collect::<tantivy::Result<Vec<f32>>>()?;
        let inverted = fields
            .iter()
            .map(|(f, _)| segment.inverted_index(*f))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let norms = fields
            .iter()
            .map(|(f, _)| segment.get_fieldnorms_reader(*f))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let doc_numbers = segment.fast_fields().u64("doc")?;
        let doc_ids_are_numbers =
            (0..segment.max_doc()).all(|d| doc_numbers.first(d) == Some(u64::from(d)));
        Ok(ImpactScorer {
            fields,
            averages,
            inverted,
            norms,
            total_docs,
            doc_numbers,
            doc_ids_are_numbers,
        })
    }

    /// Impacts of one token given its term info in each field that has it (field index, info),
    /// in field order.
    pub(crate) fn impacts(
        &self,
        infos: &[(usize, tantivy::postings::TermInfo)],
    ) -> tantivy::Result<Impacts> {
        use tantivy::DocSet;
        use tantivy::postings::Postings;
        // Per document, the sum of its fields' scores in field order: each field's postings
        // come by doc number, and are merged into the sum of the fields before it.
        let mut raw: Vec<(u32, f64)> = Vec::new();
        let mut field: Vec<(u32, f64)> = Vec::new();
        for (fi, info) in infos {
            let boost = self.fields[*fi].1;
            let weight = Bm25Weight::for_one_term(
                u64::from(info.doc_freq),
                self.total_docs,
                self.averages[*fi],
            );
            let mut postings = self.inverted[*fi]
                .read_postings_from_terminfo(info, IndexRecordOption::WithFreqs)?;
            let norms = &self.norms[*fi];
            field.clear();
            let mut d = postings.doc();
            while d != tantivy::TERMINATED {
                let score =
                    f64::from(weight.score(norms.fieldnorm_id(d), postings.term_freq())) * boost;
                field.push((self.doc_number(d), score));
                d = postings.advance();
            }
            if !self.doc_ids_are_numbers {
                field.sort_unstable_by_key(|p| p.0);
            }
            raw = add_sorted(&raw, &field);
        }
        Ok(Impacts::quantize(
            raw.into_iter().map(|(d, v)| (d, v as f32)).collect(),
        ))
    }

    fn doc_number(&self, doc: tantivy::DocId) -> u32 {
        if self.doc_ids_are_numbers {
            doc
        } else {
            self.doc_numbers.first(doc).unwrap_or(0) as u32
        }
    }
}

/// `a + b` of two lists of (doc, value) sorted by doc, a document's value in both `a`'s plus
/// `b`'s (in that order, so sums never depend on anything but field order).
fn add_sorted(a: &[(u32, f64)], b: &[(u32, f64)]) -> Vec<(u32, f64)> {
    if a.is_empty() {
        return b.to_vec();
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push((a[i].0, a[i].1 + b[j].1));
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

fn register(index: &Index, words: &Words) {
    let tokenizer = JapaneseTokenizer(std::sync::Arc::new(words.clone()));
    index
        .tokenizers()
        .register(TOKENIZER, TextAnalyzer::builder(tokenizer).build());
}

/// A token's documents with their impacts, quantised to one byte against the token's maximum.
/// The score of a document for a query is the sum, in query-token order, of [`Impacts::value`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Impacts {
    /// Largest raw impact (f32), the scale of the levels.
    pub max: f32,
    /// (doc number, level 1–255), by doc number.
    pub postings: Vec<(u32, u8)>,
}

impl Impacts {
    fn quantize(raw: Vec<(u32, f32)>) -> Impacts {
        let max = raw.iter().map(|r| r.1).fold(0.0_f32, f32::max);
        let postings = raw
            .into_iter()
            .map(|(d, v)| {
                let level = if max > 0.0 {
                    (f64::from(v) / f64::from(max) * 255.0).round()
                } else {
                    0.0
                };
                (d, level.clamp(1.0, 255.0) as u8)
            })
            .collect();
        Impacts { max, postings }
    }

    /// The value both readers add for a level: `level × max / 255` in f64.
    pub fn value(max: f32, level: u8) -> f64 {
        f64::from(level) * f64::from(max) / 255.0
    }
}
