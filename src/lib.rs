//! tsunagu: a static site generator for a searchable directory of resources for children who need
//! medical care at home.
//!
//! The pipeline, one module a stage: [`load`] reads the files (and checks the configuration into
//! the [`config`] model), [`validate`] checks entries into [`entry::Entry`] values by the
//! [`fields`] registry, [`site`] resolves the model, [`render`] turns it into pages (with
//! [`gaps`], [`opendata`] and [`search`] beside it) and [`output`] writes them atomically.
//! [`pipeline`] runs the stages in order; [`cli`] and [`serve`] drive it.

pub mod chart;
pub mod cli;
pub mod config;
pub mod date;
pub mod diag;
pub mod entry;
pub mod fields;
pub mod gaps;
pub mod geo;
pub mod gojuon;
pub mod import;
pub mod init;
pub mod japan;
pub mod load;
pub mod opendata;
pub mod output;
pub mod paths;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod synth;
pub mod validate;
