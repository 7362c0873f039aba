//! One fixture per bad input: each is checked in a temp site holding only that file (plus the
//! minimal valid configuration), and must give exit code 1 and an error at the exact
//! `content/entries/<file>:<LINE>:<COL>` with a recognisable Japanese message, never a panic.
//!
//! The entry fixtures in `tests/fixtures/bad/` are variations of `tests/fixtures/valid/aozora.md`:
//!
//! ```text
//!  1 +++                 6 municipality      11 phone
//!  2 name                7 address           12 care
//!  3 kana                8 postal_code       13 ages
//!  4 category            9 lat               14 capacity
//!  5 services           10 lon               15 verified
//!                                            16 +++
//! ```

mod common;

use std::fs;

use common::{Diag, Run, TempSite, fixtures, tsunagu, valid_entry};

/// A bad entry fixture and the error it must produce.
struct Case {
    file: &'static str,
    line: usize,
    /// Checked when the position inside the line means something (a value, a key).
    col: Option<usize>,
    /// Every fragment must appear in the message of the error at that line.
    fragments: &'static [&'static str],
}

const fn case(
    file: &'static str,
    line: usize,
    col: Option<usize>,
    fragments: &'static [&'static str],
) -> Case {
    Case {
        file,
        line,
        col,
        fragments,
    }
}

const CASES: &[Case] = &[
    // Invalid TOML.
    case("toml-missing-quote.md", 2, Some(23), &["TOML", "`\"`"]),
    case("toml-bad-key.md", 11, Some(7), &["TOML", "`=`"]),
    case("toml-duplicate-key.md", 3, Some(1), &["同じキーが2回"]),
    case("toml-missing-value.md", 14, Some(11), &["TOML"]),
    case("plain-toml-unclosed-string.toml", 17, None, &["TOML"]),
    // Front matter and file shape.
    case(
        "unclosed-front-matter.md",
        1,
        Some(1),
        &["front matter", "閉じられていません", "+++"],
    ),
    case("missing-opening.md", 1, Some(1), &["1行目", "+++"]),
    case("yaml-front-matter.md", 1, Some(1), &["1行目", "+++"]),
    case("empty.md", 1, Some(1), &["ファイルが空です"]),
    case("whitespace-only.md", 1, Some(1), &["ファイルが空です"]),
    // Wrong types, one per kind of field.
    case(
        "type-name-integer.md",
        2,
        Some(8),
        &["`name`", "文字列", "整数"],
    ),
    case(
        "type-care-string.md",
        12,
        Some(8),
        &["`care`", "配列", "文字列"],
    ),
    case(
        "type-care-item-integer.md",
        12,
        Some(20),
        &["`care`", "要素", "整数"],
    ),
    case(
        "type-ages-integer.md",
        13,
        Some(8),
        &["`ages`", "min", "整数"],
    ),
    case(
        "type-capacity-string.md",
        14,
        Some(12),
        &["`capacity`", "整数", "文字列"],
    ),
    case(
        "type-lat-string.md",
        9,
        Some(7),
        &["`lat`", "数値", "文字列"],
    ),
    case(
        "type-transport-string.md",
        15,
        Some(13),
        &["`transport`", "true", "false", "文字列"],
    ),
    case(
        "type-verified-string.md",
        15,
        Some(12),
        &["verified", "引用符なしの日付"],
    ),
    case(
        "type-services-string.md",
        5,
        Some(12),
        &["`services`", "配列"],
    ),
    case(
        "type-phone-integer.md",
        11,
        Some(9),
        &["`phone`", "文字列", "整数"],
    ),
    case(
        "draft-string.md",
        15,
        Some(9),
        &["`draft`", "true", "文字列"],
    ),
    // Missing required fields: the whole file, line 1.
    case("missing-name.md", 1, Some(1), &["必須", "`name`"]),
    case("missing-category.md", 1, Some(1), &["必須", "`category`"]),
    case(
        "missing-municipality.md",
        1,
        Some(1),
        &["必須", "`municipality`"],
    ),
    case("missing-address.md", 1, Some(1), &["必須", "`address`"]),
    case("missing-verified.md", 1, Some(1), &["必須", "`verified`"]),
    case(
        "missing-contacts.md",
        1,
        Some(1),
        &["連絡先", "phone", "email", "url"],
    ),
    case(
        "plain-toml-missing-address.toml",
        1,
        Some(1),
        &["必須", "`address`"],
    ),
    case("empty-name.md", 2, Some(8), &["`name`", "空"]),
    // Unknown names, with a did-you-mean hint.
    case(
        "unknown-field.md",
        2,
        Some(1),
        &["不明な項目", "`nmae`", "もしかして `name`"],
    ),
    case(
        "unknown-category.md",
        4,
        Some(12),
        &["category", "`facilty`", "もしかして `facility`"],
    ),
    case(
        "unknown-service.md",
        5,
        Some(23),
        &["`放課後デイ`", "もしかして `放課後等デイサービス`"],
    ),
    case(
        "service-other-category.md",
        5,
        Some(13),
        &["`訪問看護`", "通所・支援施設"],
    ),
    case(
        "unknown-care-item.md",
        12,
        Some(20),
        &["医療的ケア", "`sucton`", "もしかして `suction`"],
    ),
    case("care-empty-string.md", 12, Some(20), &["`care`", "空"]),
    case(
        "unknown-municipality.md",
        6,
        Some(16),
        &["municipality", "`桑名`", "もしかして `桑名市`"],
    ),
    case("kana-kanji.md", 3, Some(8), &["kana", "ひらがな"]),
    // Links and contact details.
    case(
        "url-javascript.md",
        12,
        Some(7),
        &["url", "http", "`javascript:`"],
    ),
    case("url-data.md", 12, Some(7), &["url", "http", "`data:`"]),
    case("url-ftp.md", 12, Some(7), &["url", "http", "`ftp:`"]),
    case("url-no-host.md", 12, Some(7), &["url", "URL の形"]),
    case(
        "email-garbage.md",
        12,
        Some(9),
        &["email", "メールアドレス"],
    ),
    case("email-two-at.md", 12, Some(9), &["email", "メールアドレス"]),
    case(
        "phone-letters.md",
        11,
        Some(9),
        &["`phone`", "数字とハイフン"],
    ),
    case(
        "postal-code-shape.md",
        8,
        Some(15),
        &["postal_code", "123-4567"],
    ),
    // Coordinates.
    case(
        "coordinates-outside-japan.md",
        9,
        Some(7),
        &["座標", "日本の範囲"],
    ),
    case(
        "coordinates-swapped.md",
        9,
        Some(7),
        &["座標", "日本の範囲", "逆"],
    ),
    case("lat-without-lon.md", 9, Some(7), &["lat", "lon", "両方"]),
    case("lon-without-lat.md", 9, Some(7), &["lat", "lon", "両方"]),
    case("lat-nan.md", 9, Some(7), &["`lat`"]),
    // Ages and capacity.
    case(
        "ages-reversed.md",
        13,
        Some(8),
        &["ages", "min (18)", "max (3)"],
    ),
    case(
        "ages-unknown-key.md",
        13,
        Some(29),
        &["ages", "`maxx`", "min と max"],
    ),
    case("ages-missing-max.md", 13, Some(8), &["ages", "min と max"]),
    case("ages-negative.md", 13, Some(16), &["ages.min", "負の数"]),
    case(
        "capacity-negative.md",
        14,
        Some(12),
        &["`capacity`", "負の数", "-5"],
    ),
    case(
        "capacity-too-large.md",
        14,
        Some(12),
        &["`capacity`", "100000"],
    ),
    // Dates. "Today" is 2026-11-21 through SOURCE_DATE_EPOCH.
    case(
        "verified-future.md",
        15,
        Some(12),
        &["verified", "2027-01-01", "未来"],
    ),
    case(
        "verified-tomorrow.md",
        15,
        Some(12),
        &["verified", "2026-11-22", "未来"],
    ),
    case("verified-invalid-date.md", 15, Some(12), &["date"]),
    case("verified-with-time.md", 15, Some(12), &["verified", "日付"]),
    case(
        "description-in-md.md",
        15,
        Some(15),
        &["description", ".md", "本文"],
    ),
];

/// Fixtures in `tests/fixtures/bad/` that are used by a dedicated test instead of the table.
const USED_ELSEWHERE: &[&str] = &["toml-unclosed-array.md"];

/// Checks one expectation against a run; returns a description of what is wrong, if anything.
fn verify(
    run: &Run,
    path: &str,
    line: usize,
    col: Option<usize>,
    fragments: &[&str],
) -> Option<String> {
    let mut problems = Vec::new();
    if run.stderr.contains("panicked") {
        problems.push("panicked".to_owned());
    }
    if run.code != Some(1) {
        problems.push(format!("exit code {:?}, expected 1", run.code));
    }
    let prefix = format!("{path}:{line}:");
    if !run.stderr.contains(&prefix) {
        problems.push(format!("no `{prefix}` in stderr"));
    }
    let errors = run.errors();
    let hit = errors.iter().find(|d| {
        d.path == path
            && d.line == line
            && col.is_none_or(|c| d.col == c)
            && fragments.iter().all(|f| d.message.contains(f))
    });
    if hit.is_none() {
        problems.push(format!(
            "no error at {path}:{line}:{} containing {fragments:?}",
            col.map_or("*".to_owned(), |c| c.to_string())
        ));
    }
    if let Some(d) = errors.iter().find(|d| d.path != path) {
        problems.push(format!("unexpected error for another file: {d}"));
    }
    if problems.is_empty() {
        None
    } else {
        Some(format!(
            "{}\n--- stderr\n{}",
            problems.join("; "),
            run.stderr
        ))
    }
}

/// Runs `check` on a temp site holding only `content/entries/<name>` with `bytes`.
fn check_single(name: &str, bytes: &[u8]) -> Run {
    let site = TempSite::minimal();
    site.write_entry(name, bytes);
    site.check()
}

#[test]
fn every_bad_entry_fixture_reports_its_line_and_message() {
    let dir = fixtures().join("bad");
    let failures: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = CASES
            .iter()
            .map(|c| {
                let dir = &dir;
                s.spawn(move || {
                    let bytes = fs::read(dir.join(c.file))
                        .unwrap_or_else(|e| panic!("fixture {}: {e}", c.file));
                    let run = check_single(c.file, &bytes);
                    let path = format!("content/entries/{}", c.file);
                    verify(&run, &path, c.line, c.col, c.fragments)
                        .map(|why| format!("[{}] {why}", c.file))
                })
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().expect("case thread"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n\n")
    );
}

#[test]
fn table_covers_every_fixture_and_at_least_forty_cases() {
    assert!(CASES.len() >= 40, "only {} cases", CASES.len());
    let mut on_disk: Vec<String> = fs::read_dir(fixtures().join("bad"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    for name in &on_disk {
        assert!(
            CASES.iter().any(|c| c.file == name) || USED_ELSEWHERE.contains(&name.as_str()),
            "fixture {name} is not in the table"
        );
    }
    for c in CASES {
        assert!(
            on_disk.iter().any(|n| n == c.file),
            "missing fixture {}",
            c.file
        );
    }
}

/// All bad fixtures in one site: one run reports every one of them.
#[test]
fn one_run_reports_every_bad_file() {
    let site = TempSite::minimal();
    for c in CASES {
        site.add_fixture_entry(&fixtures().join("bad").join(c.file), c.file);
    }
    let run = site.check();
    run.assert_code(1);
    let errors = run.errors();
    let mut missing = Vec::new();
    for c in CASES {
        let path = format!("content/entries/{}", c.file);
        let found = errors.iter().any(|d| {
            d.path == path
                && d.line == c.line
                && c.col.is_none_or(|col| d.col == col)
                && c.fragments.iter().all(|f| d.message.contains(f))
        });
        if !found {
            missing.push(path);
        }
    }
    assert!(
        missing.is_empty(),
        "not reported: {missing:?}\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("エラー {} 件", errors.len())),
        "summary line counts the errors:\n{}",
        run.stderr
    );
}

#[test]
fn one_file_with_five_problems_reports_all_five() {
    let text = valid_entry()
        .replace("name = \"あおぞら児童発達支援センター\"", "name = 1")
        .replace("category = \"facility\"", "category = \"facilty\"")
        .replace("lat = 35.06", "lat = 135.0")
        .replace("capacity = 10", "capacity = -2")
        .replace("verified = 2026-04-01", "verified = 2027-03-01");
    let run = check_single("five-problems.md", text.as_bytes());
    run.assert_code(1);
    let errors: Vec<(usize, usize)> = run.errors().iter().map(|d| (d.line, d.col)).collect();
    assert_eq!(
        errors,
        [(2, 8), (4, 12), (9, 7), (14, 12), (15, 12)],
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("エラー 5 件"), "{}", run.stderr);
}

#[test]
fn the_valid_fixture_passes() {
    let run = check_single("aozora.md", valid_entry().as_bytes());
    run.assert_code(0);
    assert!(run.errors().is_empty(), "{}", run.stderr);
}

#[test]
fn shift_jis_is_rejected_at_the_first_bad_byte() {
    // "あおぞら" in Shift_JIS on line 2, after `name = "` (8 characters).
    let mut bytes = b"+++\nname = \"".to_vec();
    bytes.extend_from_slice(b"\x82\xa0\x82\xa8\x82\xbc\x82\xe7");
    bytes.extend_from_slice(b"\"\n+++\n");
    let run = check_single("shift-jis.md", &bytes);
    let msg = verify(
        &run,
        "content/entries/shift-jis.md",
        2,
        Some(9),
        &["UTF-8", "Shift_JIS"],
    );
    assert!(msg.is_none(), "{}", msg.unwrap_or_default());
}

#[test]
fn invalid_utf8_in_the_body_is_rejected_with_its_line() {
    let mut bytes = valid_entry().into_bytes();
    bytes.extend_from_slice(b"\xff\xfe\n"); // line 18, after the body's line 17
    let run = check_single("bad-body.md", &bytes);
    let msg = verify(&run, "content/entries/bad-body.md", 18, Some(1), &["UTF-8"]);
    assert!(msg.is_none(), "{}", msg.unwrap_or_default());
}

#[test]
fn bom_and_crlf_are_accepted() {
    let text = valid_entry().replace('\n', "\r\n");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    let run = check_single("bom-crlf.md", &bytes);
    run.assert_code(0);
    assert!(run.errors().is_empty(), "{}", run.stderr);

    // The same as a plain .toml entry.
    let toml: String = valid_entry()
        .lines()
        .filter(|l| *l != "+++" && !l.starts_with("吸引"))
        .map(|l| format!("{l}\r\n"))
        .collect();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(toml.as_bytes());
    let run = check_single("bom-crlf.toml", &bytes);
    run.assert_code(0);
}

#[test]
fn bom_and_crlf_do_not_shift_positions() {
    let text = valid_entry()
        .replace("capacity = 10", "capacity = -1")
        .replace('\n', "\r\n");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    let run = check_single("bom-crlf-error.md", &bytes);
    let msg = verify(
        &run,
        "content/entries/bom-crlf-error.md",
        14,
        Some(12),
        &["`capacity`", "負の数"],
    );
    assert!(msg.is_none(), "{}", msg.unwrap_or_default());
}

/// The valid entry padded with a Markdown body to exactly `size` bytes.
fn entry_of_size(size: usize) -> Vec<u8> {
    let mut bytes = valid_entry().into_bytes();
    assert!(bytes.len() < size);
    while bytes.len() < size {
        let line = b"1234567890123456789012345678901234567890123456789012345678901234567890\n";
        let room = size - bytes.len();
        bytes.extend_from_slice(&line[..room.min(line.len())]);
    }
    bytes
}

#[test]
fn files_over_one_mebibyte_are_rejected() {
    let run = check_single("huge.md", &entry_of_size(1024 * 1024 + 1));
    let msg = verify(
        &run,
        "content/entries/huge.md",
        1,
        Some(1),
        &["大きすぎます", "1 MiB"],
    );
    assert!(msg.is_none(), "{}", msg.unwrap_or_default());
    assert!(run.stderr.contains("1048577"), "{}", run.stderr);
}

#[test]
fn a_file_of_exactly_one_mebibyte_is_accepted() {
    let run = check_single("just-fits.md", &entry_of_size(1024 * 1024));
    run.assert_code(0);
}

#[test]
fn a_symlink_loop_under_entries_is_reported_not_followed() {
    let site = TempSite::minimal();
    site.write_entry("aozora.md", valid_entry());
    fs::create_dir_all(site.entries().join("loop")).unwrap();
    std::os::unix::fs::symlink("..", site.entries().join("loop/up")).unwrap();
    let run = site.check();
    let msg = verify(
        &run,
        "content/entries/loop/up",
        1,
        Some(1),
        &["シンボリックリンク", "ループ"],
    );
    assert!(msg.is_none(), "{}", msg.unwrap_or_default());
}

#[test]

fn a_self_referencing_symlink_is_reported_as_a_loop() {
    let site = TempSite::minimal();
    std::os::unix::fs::symlink("self.md", site.entries().join("self.md")).unwrap();
    let run = site.check();
    let msg = verify(
        &run,
        "content/entries/self.md",
        1,
        Some(1),
        &["シンボリックリンク", "ループ"],
    );
    assert!(msg.is_none(), "{}", msg.unwrap_or_default());
}

#[test]
fn a_dangling_symlink_is_an_error_not_a_panic() {
    let site = TempSite::minimal();
    std::os::unix::fs::symlink("nowhere.md", site.entries().join("dangling.md")).unwrap();
    let run = site.check();
    let msg = verify(
        &run,
        "content/entries/dangling.md",
        1,
        Some(1),
        &["読み込めません"],
    );
    assert!(msg.is_none(), "{}", msg.unwrap_or_default());
}

#[test]
fn bad_ids_are_rejected() {
    let long = "a".repeat(65);
    let cases = [
        "Aozora.md".to_owned(),
        "-aozora.md".to_owned(),
        format!("{long}.md"),
        "あおぞら.md".to_owned(),
        "ao_zora.md".to_owned(),
        "ao zora.md".to_owned(),
    ];
    for name in &cases {
        let run = check_single(name, valid_entry().as_bytes());
        let msg = verify(
            &run,
            &format!("content/entries/{name}"),
            1,
            Some(1),
            &["ファイル名", "id"],
        );
        assert!(msg.is_none(), "[{name}] {}", msg.unwrap_or_default());
    }
}

/// The 50音 rows' lists live at `/entries/<row>/`, beside the entry pages: no entry may take a
/// row's name as its id, or its page and the row's list would be the same file.
#[test]
fn the_names_of_the_50on_rows_are_reserved_ids() {
    let rows = [
        "a", "ka", "sa", "ta", "na", "ha", "ma", "ya", "ra", "wa", "other",
    ];
    for row in rows {
        let name = format!("{row}.md");
        let run = check_single(&name, valid_entry().as_bytes());
        let msg = verify(
            &run,
            &format!("content/entries/{name}"),
            1,
            Some(1),
            &[&format!("`{row}`"), &format!("/entries/{row}/"), "50音順"],
        );
        assert!(msg.is_none(), "[{name}] {}", msg.unwrap_or_default());
    }
    // Longer ids that start or end like a row are ordinary ids.
    for name in ["ka-1.md", "aka.md", "others.md"] {
        check_single(name, valid_entry().as_bytes()).assert_code(0);
    }
}

#[test]
fn an_id_of_sixty_four_characters_is_accepted() {
    let name = format!("{}.md", "a".repeat(64));
    check_single(&name, valid_entry().as_bytes()).assert_code(0);
}

#[test]
fn duplicate_ids_in_two_folders_are_rejected() {
    let site = TempSite::minimal();
    site.write_entry("kuwana/aozora.md", valid_entry());
    site.write_entry("tsu/aozora.md", valid_entry());
    let run = site.check();
    let msg = verify(
        &run,
        "content/entries/tsu/aozora.md",
        1,
        Some(1),
        &["`aozora`", "content/entries/kuwana/aozora.md", "重複"],
    );
    assert!(msg.is_none(), "{}", msg.unwrap_or_default());
}

#[test]
fn duplicate_ids_across_md_and_toml_are_rejected() {
    let site = TempSite::minimal();
    site.write_entry("aozora.md", valid_entry());
    let toml: String = valid_entry()
        .lines()
        .filter(|l| *l != "+++" && !l.starts_with("吸引"))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write_entry("aozora.toml", toml);
    let run = site.check();
    let msg = verify(
        &run,
        "content/entries/aozora.toml",
        1,
        Some(1),
        &["`aozora`", "重複"],
    );
    assert!(msg.is_none(), "{}", msg.unwrap_or_default());
}

#[test]
fn an_unclosed_array_is_one_problem_at_its_line() {
    let bytes = fs::read(fixtures().join("bad/toml-unclosed-array.md")).unwrap();
    let run = check_single("toml-unclosed-array.md", &bytes);
    run.assert_code(1);
    let errors = run.errors();
    assert!(
        errors.len() <= 2,
        "{} errors for one missing `]`:\n{}",
        errors.len(),
        run.stderr
    );
    assert_eq!(errors[0].line, 12, "{}", run.stderr);
}

#[test]

fn nan_coordinates_get_a_clear_message() {
    let bytes = fs::read(fixtures().join("bad/lat-nan.md")).unwrap();
    let run = check_single("lat-nan.md", &bytes);
    let d: Vec<Diag> = run.errors();
    assert_eq!(d.len(), 1, "{}", run.stderr);
    assert!(!d[0].message.contains("今は小数です"), "{}", d[0]);
}

#[test]
fn warnings_do_not_fail_the_check() {
    // No kana, no coordinates, verified more than a year before 2026-11-21.
    let text = valid_entry()
        .replace("kana = \"あおぞらじどうはったつしえんせんたー\"\n", "")
        .replace("lat = 35.06\nlon = 136.68\n", "")
        .replace("verified = 2026-04-01", "verified = 2025-11-20");
    let run = check_single("old.md", text.as_bytes());
    run.assert_code(0);
    let warnings: Vec<Diag> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.severity == "warning" && d.path == "content/entries/old.md")
        .collect();
    let has = |line: usize, frag: &str| {
        warnings
            .iter()
            .any(|d| d.line == line && d.message.contains(frag))
    };
    assert!(has(1, "kana"), "{}", run.stderr);
    assert!(has(1, "座標"), "{}", run.stderr);
    // verified is on line 12 once kana, lat and lon are gone.
    assert!(has(12, "1年以上"), "{}", run.stderr);
    assert!(run.errors().is_empty(), "{}", run.stderr);

    // Exactly 365 days old is not stale yet.
    let text = valid_entry().replace("verified = 2026-04-01", "verified = 2025-11-21");
    let run = check_single("year-old.md", text.as_bytes());
    run.assert_code(0);
    assert!(!run.stderr.contains("1年以上"), "{}", run.stderr);
}

// Configuration files.

/// A config fixture under `tests/fixtures/bad/config/`; its name starts with the file it replaces
/// (`site-…`, `regions-…`, `demand-…`).
struct ConfigCase {
    file: &'static str,
    line: usize,
    col: usize,
    fragments: &'static [&'static str],
}

const CONFIG_CASES: &[ConfigCase] = &[
    ConfigCase {
        file: "site-invalid-toml.toml",
        line: 2,
        col: 40,
        fragments: &["TOML"],
    },
    ConfigCase {
        file: "site-bad-base-url.toml",
        line: 2,
        col: 12,
        fragments: &["base_url", "https://"],
    },
    ConfigCase {
        file: "site-unknown-key.toml",
        line: 4,
        col: 1,
        fragments: &["不明な項目", "`licence`", "`license`"],
    },
    ConfigCase {
        file: "site-missing-title.toml",
        line: 1,
        col: 1,
        fragments: &["必須", "`title`"],
    },
    ConfigCase {
        file: "site-centre-bad-email.toml",
        line: 9,
        col: 9,
        fragments: &[
            "[centre]",
            "email",
            "`soudan(at)example.jp`",
            "メールアドレス",
        ],
    },
    ConfigCase {
        file: "site-centre-bad-phone.toml",
        line: 8,
        col: 9,
        fragments: &["[centre]", "phone", "`内線 12`", "数字とハイフン"],
    },
    ConfigCase {
        file: "site-centre-bad-form-url.toml",
        line: 8,
        col: 12,
        fragments: &["[centre]", "form_url", "`javascript:alert(1)`", "https://"],
    },
    ConfigCase {
        file: "site-centre-unknown-key.toml",
        line: 8,
        col: 1,
        fragments: &["不明な項目", "`mail`", "もしかして `email`"],
    },
    ConfigCase {
        file: "site-centre-missing-name.toml",
        line: 6,
        col: 1,
        fragments: &["[centre]", "name"],
    },
    ConfigCase {
        file: "site-centre-empty-name.toml",
        line: 7,
        col: 8,
        fragments: &["[centre]", "name"],
    },
    ConfigCase {
        file: "site-map-http-tiles.toml",
        line: 7,
        col: 9,
        fragments: &["[map]", "tiles", "https://", "{z}", "\"none\""],
    },
    ConfigCase {
        file: "site-map-no-attribution.toml",
        line: 6,
        col: 1,
        fragments: &["[map]", "attribution", "提供元"],
    },
    ConfigCase {
        file: "regions-bad-code.toml",
        line: 5,
        col: 8,
        fragments: &["市町村コード", "`2420`", "5桁"],
    },
    ConfigCase {
        file: "regions-code-integer.toml",
        line: 5,
        col: 8,
        fragments: &["型"],
    },
    ConfigCase {
        file: "regions-bad-id.toml",
        line: 2,
        col: 6,
        fragments: &["地域の id", "`Kuwana`"],
    },
    ConfigCase {
        file: "regions-duplicate-code.toml",
        line: 10,
        col: 8,
        fragments: &["`24205`", "重複"],
    },
    ConfigCase {
        file: "regions-outside-japan.toml",
        line: 7,
        col: 7,
        fragments: &["桑名市", "日本の範囲"],
    },
    ConfigCase {
        file: "regions-lat-without-lon.toml",
        line: 7,
        col: 7,
        fragments: &["桑名市", "lat と lon を両方"],
    },
    ConfigCase {
        file: "regions-reading-not-kana.toml",
        line: 7,
        col: 11,
        fragments: &["桑名市", "読み", "ひらがなかカタカナ"],
    },
    ConfigCase {
        file: "regions-empty.toml",
        line: 1,
        col: 1,
        fragments: &["地域が1つもありません"],
    },
    ConfigCase {
        file: "demand-unknown-region.toml",
        line: 7,
        col: 10,
        fragments: &["region", "`tssu`", "もしかして `tsu`"],
    },
    ConfigCase {
        file: "demand-duplicate-region.toml",
        line: 7,
        col: 10,
        fragments: &["`kuwana`", "2回"],
    },
    ConfigCase {
        file: "demand-negative-children.toml",
        line: 4,
        col: 12,
        fragments: &["children", "負の数", "-3"],
    },
    ConfigCase {
        file: "demand-negative-care.toml",
        line: 7,
        col: 14,
        fragments: &["care.ventilator", "負の数"],
    },
    ConfigCase {
        file: "demand-missing-as-of.toml",
        line: 6,
        col: 1,
        fragments: &["as_of"],
    },
    ConfigCase {
        file: "demand-as-of-string.toml",
        line: 3,
        col: 9,
        fragments: &["型"],
    },
    ConfigCase {
        file: "demand-unknown-care.toml",
        line: 7,
        col: 1,
        fragments: &["医療的ケア", "`ventilatr`", "もしかして `ventilator`"],
    },
];

#[test]
fn every_bad_config_fixture_reports_its_file_line_and_message() {
    let dir = fixtures().join("bad").join("config");
    let mut failures = Vec::new();
    for c in CONFIG_CASES {
        let target = format!("{}.toml", c.file.split('-').next().unwrap());
        let site = TempSite::minimal();
        site.write_entry("aozora.md", valid_entry());
        site.write_config(&target, fs::read(dir.join(c.file)).unwrap());
        let run = site.check();
        let path = format!("content/{target}");
        if let Some(why) = verify(&run, &path, c.line, Some(c.col), c.fragments) {
            failures.push(format!("[{}] {why}", c.file));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));

    let mut on_disk: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    for name in on_disk {
        assert!(
            CONFIG_CASES.iter().any(|c| c.file == name),
            "config fixture {name} is not in the table"
        );
    }
}

#[test]
fn a_missing_site_toml_is_reported() {
    let site = TempSite::minimal();
    site.write_entry("aozora.md", valid_entry());
    fs::remove_file(site.content().join("site.toml")).unwrap();
    let run = site.check();
    let msg = verify(
        &run,
        "content/site.toml",
        1,
        Some(1),
        &["site.toml", "ありません"],
    );
    assert!(msg.is_none(), "{}", msg.unwrap_or_default());
}

#[test]
fn a_missing_regions_toml_is_reported() {
    let site = TempSite::minimal();
    fs::remove_file(site.content().join("regions.toml")).unwrap();
    let run = site.check();
    let msg = verify(
        &run,
        "content/regions.toml",
        1,
        Some(1),
        &["regions.toml", "ありません"],
    );
    assert!(msg.is_none(), "{}", msg.unwrap_or_default());
}

#[test]

fn config_errors_do_not_hide_entry_errors() {
    let site = TempSite::minimal();
    site.write_entry(
        "aozora.md",
        valid_entry().replace("capacity = 10", "capacity = -5"),
    );
    site.write_config(
        "demand.toml",
        fs::read(fixtures().join("bad/config/demand-negative-children.toml")).unwrap(),
    );
    let run = site.check();
    run.assert_code(1);
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|d| d.path == "content/demand.toml" && d.line == 4),
        "{}",
        run.stderr
    );
    assert!(
        errors
            .iter()
            .any(|d| d.path == "content/entries/aozora.md" && d.line == 14),
        "the entry's own error is reported in the same run:\n{}",
        run.stderr
    );
}

// The command line.

#[test]
fn a_root_without_content_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = tsunagu(dir.path(), &["check"]);
    run.assert_code(2);
    assert!(run.stderr.contains("content/"), "{}", run.stderr);
}

#[test]
fn an_unknown_subcommand_is_a_usage_error() {
    let site = TempSite::minimal();
    tsunagu(site.root(), &["publish"]).assert_code(2);
}

#[test]
fn build_reports_content_errors_with_exit_code_one() {
    let site = TempSite::minimal();
    site.add_fixture_entry(
        &fixtures().join("bad/capacity-negative.md"),
        "capacity-negative.md",
    );
    let out = site.root().join("public");
    let run = site.build(&out);
    let msg = verify(
        &run,
        "content/entries/capacity-negative.md",
        14,
        Some(12),
        &["負の数"],
    );
    assert!(msg.is_none(), "{}", msg.unwrap_or_default());
    assert!(
        !out.exists(),
        "nothing is written when the content has errors"
    );
}

#[test]

fn diagnostics_never_point_at_a_missing_file() {
    let site = TempSite::minimal();
    site.write_entry("aozora.md", valid_entry());
    let run = site.check();
    run.assert_code(0);
    for d in run.diagnostics() {
        assert!(
            site.root().join(&d.path).exists(),
            "`{d}` points at a file that does not exist"
        );
    }
}

#[test]
fn machine_formats_carry_the_same_positions() {
    let site = TempSite::minimal();
    site.add_fixture_entry(
        &fixtures().join("bad/capacity-negative.md"),
        "capacity-negative.md",
    );

    let run = tsunagu(site.root(), &["check", "--format", "json"]);
    run.assert_code(1);
    let doc: serde_json::Value = serde_json::from_str(run.stdout.trim())
        .unwrap_or_else(|e| panic!("one JSON document on stdout ({e}):\n{}", run.stdout));
    assert_eq!(doc["errors"], 1, "{doc}");
    let d = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["severity"] == "error")
        .expect("the error");
    assert_eq!(d["path"], "content/entries/capacity-negative.md");
    assert_eq!(
        (d["line"].as_u64(), d["col"].as_u64()),
        (Some(14), Some(12))
    );
    assert_eq!(d["field"], "capacity");

    let run = tsunagu(site.root(), &["check", "--format", "github"]);
    run.assert_code(1);
    assert!(
        run.stdout.contains(
            "::error file=content/entries/capacity-negative.md,line=14,col=12,title=tsunagu%3A capacity::"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn thousands_of_warnings_print_twenty_then_a_count_per_kind() {
    let site = TempSite::minimal();
    for i in 0..45 {
        let text = valid_entry().replace("kana = \"あおぞらじどうはったつしえんせんたー\"\n", "");
        let text = if i % 3 == 0 {
            text.replace("lat = 35.06\nlon = 136.68\n", "")
        } else {
            text
        };
        site.write_entry(&format!("e{i:02}.md"), text);
    }
    let run = site.check();
    run.assert_code(0);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let warnings = lines.iter().filter(|l| l.contains(": warning: ")).count();
    assert_eq!(warnings, 20, "{}", run.stderr);
    // 45 without kana, 15 without coordinates and the minimal site's missing demand: 61 in all,
    // 41 of them counted; a warning of no kind is counted by its message.
    let tail: Vec<&str> = lines
        .iter()
        .filter(|l| l.starts_with("… ほか"))
        .copied()
        .collect();
    assert_eq!(tail.len(), 3, "{}", run.stderr);
    assert_eq!(tail[0], "… ほか 30 件: kana（読み）がありません");
    assert_eq!(tail[1], "… ほか 10 件: 座標（lat, lon）がありません");
    assert!(
        tail[2].starts_with("… ほか 1 件: 需要データ"),
        "{}",
        tail[2]
    );
    assert!(
        run.stderr.ends_with("エラー 0 件、警告 61 件\n"),
        "{}",
        run.stderr
    );
    // Tools get them all.
    let json = tsunagu(site.root(), &["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["diagnostics"].as_array().unwrap().len(), 61);
}
