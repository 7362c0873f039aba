//! Fuzz target `normalize`. The properties live in `tests/fuzz_props/normalize.rs`, shared with
//! `tests/fuzz_regressions.rs`, which replays saved crashes under `cargo test`.
//! See docs/fuzzing.md.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[allow(dead_code)]
#[path = "../../tests/fuzz_props/mod.rs"]
mod props;

fuzz_target!(|text: &str| props::normalize::check(text));
