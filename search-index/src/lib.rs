//! Search for tsunagu: a tantivy index of the directory, read two ways — by `tsunagu search`
//! through tantivy, and in the browser through a compact static export of the same index.
//!
//! Both readers rank with the same per-(token, document) impacts ([`impact`]), so their results
//! agree exactly; see `docs/search-index-format.md` for the exported files.

pub mod export;
pub mod index;
pub mod normalize;
pub mod search;
pub mod synonyms;

pub use index::{Doc, Facets, Impacts, Label, Municipality, SearchIndex};
pub use search::{Hit, Query, Results};
pub use synonyms::Synonym;
