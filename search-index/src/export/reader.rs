//! The browser reader as the site ships it: `js/text.js` and `js/search.js` joined into one
//! module, with the manifest built in, so that a cold query needs no request for either, and
//! minified.

use std::sync::LazyLock;

use super::File;

/// The text rules (normalisation, tokens, synonyms), which `search.js` imports.
const TEXT: &str = include_str!("../../js/text.js");
/// The reader, which imports `TEXT` and re-exports what it names.
const SEARCH: &str = include_str!("../../js/search.js");
/// Whether a line of `SEARCH` imports from or re-exports `text.js`: the joined module has none.
fn names_text(line: &str) -> bool {
    (line.starts_with("import {") || line.starts_with("export {"))
        && line.ends_with("} from './text.js';")
}

/// The reader's source: one module, `TEXT` then `SEARCH` without its lines that name `TEXT`
/// (whose exports stay the module's).
static READER: LazyLock<String> = LazyLock::new(|| {
    let search: String = SEARCH
        .split_inclusive('\n')
        .filter(|line| !names_text(line.trim_end()))
        .collect();
    format!("{TEXT}\n{search}")
});
/// The reader's line that the build replaces with the manifest.
const READER_MANIFEST_LINE: &str = "const BUILT_MANIFEST = null;";
/// Name of the reader in the export.
const READER_FILE: &str = "tsunagu-search.js";

/// The reader's file, with `manifest` (JSON) built in.
pub(super) fn file(manifest: &str) -> File {
    let reader = reader_with(manifest);
    let reader = minify_module(&reader).unwrap_or(reader);
    (READER_FILE.to_owned(), reader.into_bytes())
}

/// The reader with `manifest` (JSON, which is JavaScript) built in.
fn reader_with(manifest: &str) -> String {
    READER.replacen(
        READER_MANIFEST_LINE,
        &format!("const BUILT_MANIFEST = {manifest};"),
        1,
    )
}

/// An ES module minified by oxc (names mangled, safe compression only): every cold query
/// downloads the reader, and its comments and long names are most of it. `None` if it does not
/// parse.
fn minify_module(code: &str) -> Option<String> {
    let allocator = oxc_allocator::Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, code, oxc_span::SourceType::mjs()).parse();
    if !parsed.errors.is_empty() || parsed.panicked {
        return None;
    }
    let mut program = parsed.program;
    let minified = oxc_minifier::Minifier::new(oxc_minifier::MinifierOptions {
        // A module's top level is its own: only its exports keep their names.
        mangle: Some(oxc_minifier::MangleOptions {
            top_level: true,
            ..oxc_minifier::MangleOptions::default()
        }),
        compress: Some(oxc_minifier::CompressOptions::safest()),
    })
    .minify(&allocator, &mut program);
    let out = oxc_codegen::Codegen::new()
        .with_options(oxc_codegen::CodegenOptions::minify())
        .with_scoping(minified.scoping)
        .with_private_member_mappings(minified.class_private_mappings)
        .build(&program);
    Some(out.code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_joined_reader_names_no_other_file() {
        assert_eq!(
            SEARCH.lines().filter(|l| names_text(l)).count(),
            2,
            "an import and an export"
        );
        assert!(!READER.contains("./text.js'"), "no import is left");
        assert!(READER.starts_with(TEXT));
    }

    #[test]
    fn the_reader_has_one_line_for_the_manifest() {
        assert_eq!(READER.matches(READER_MANIFEST_LINE).count(), 1);
        let reader = reader_with(r#"{"format":2}"#);
        assert!(reader.contains("\nconst BUILT_MANIFEST = {\"format\":2};\n"));
        assert_eq!(
            reader.len(),
            READER.len() - "null".len() + r#"{"format":2}"#.len()
        );
    }

    #[test]
    fn the_reader_is_minified_with_its_manifest() {
        let source = reader_with(r#"{"format":4,"dir":"x-0000abcd"}"#);
        let min = minify_module(&source).expect("the reader parses");
        assert!(
            min.len() * 2 < source.len(),
            "{} of {} bytes",
            min.len(),
            source.len()
        );
        assert!(min.contains("x-0000abcd"), "the manifest is kept");
        for export in [
            "SearchClient",
            "queryTokens",
            "synonymsOf",
            "normalize",
            "TOKENIZER_VERSION",
        ] {
            assert!(min.contains(export), "export {export}");
        }
        assert!(!min.contains("// "), "no comments");
        assert_eq!(
            minify_module(&source),
            Some(min),
            "the same bytes every time"
        );
        assert_eq!(minify_module("export const = ;"), None);
    }
}
