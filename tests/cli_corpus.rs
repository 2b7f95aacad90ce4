//! Reading real-world corpora: formats, metadata, encodings, dates.

use crate::util::{Workdir, tifa};

const TRAPS: &str = "tests/fixtures/lexicon/traps.toml";

const ARTICLE: &str = "推进“两重”建设和“两新”工作，加快发展新质生产力。";

/// The `first_date` column of `corpus --by doc`, row by row.
fn first_dates(run: &crate::util::Run) -> Vec<&str> {
    run.stdout.lines().skip(1).map(|l| l.split(',').nth(5).unwrap()).collect()
}

/// The warnings about a `metadata.csv`.
fn metadata_warnings(run: &crate::util::Run) -> Vec<&str> {
    run.stderr.lines().filter(|l| l.contains("metadata.csv")).collect()
}

fn count_in(w: &Workdir, extra: &[&str]) -> crate::util::Run {
    let lex = crate::util::root().join(TRAPS);
    let mut args = vec!["--lexicon", lex.to_str().unwrap(), "count"];
    args.extend_from_slice(extra);
    w.run_with(&args, b"", Some(w.dir.path()))
}

#[test]
fn encodings_give_identical_counts() {
    let w = Workdir::new();
    let utf16 = |le: bool| {
        let mut v = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for u in ARTICLE.encode_utf16() {
            v.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        v
    };
    let (gbk, _, _) = encoding_rs::GBK.encode(ARTICLE);
    w.write("utf8.txt", ARTICLE);
    w.write("bom.txt", format!("\u{feff}{ARTICLE}"));
    w.write("le.txt", utf16(true));
    w.write("be.txt", utf16(false));
    w.write("gbk.txt", &*gbk);
    let expected = count_in(&w, &["utf8.txt"]).stdout;
    assert!(expected.contains("two-heavy,两重"), "{expected}");
    for f in ["bom.txt", "le.txt", "be.txt", "gbk.txt"] {
        let run = count_in(&w, &[f]);
        assert_eq!(run.code, 0, "{f}: {}", run.stderr);
        assert_eq!(run.stdout, expected, "{f}");
    }
    let run = count_in(&w, &["-E", "gbk", "gbk.txt"]);
    assert_eq!(run.stdout, expected);
}

#[test]
fn unknown_encoding_label_is_a_usage_error() {
    for label in ["nosuch", "csiso2022kr"] {
        let run = tifa(&["count", "-E", label, "examples"]);
        assert_eq!(run.code, 2, "{label}");
        assert!(run.stderr.contains("encoding"), "{}", run.stderr);
    }
}

#[test]
fn invalid_bytes_are_replaced_counted_and_reported() {
    let w = Workdir::new();
    let mut bytes = ARTICLE.repeat(2).into_bytes();
    bytes.extend(b"\xFF\xE4\xB8");
    w.write("bad.txt", &bytes);
    w.write("nul.txt", b"\xe4\xb8\xa4\xe9\x87\x8d\0binary");
    let run = count_in(&w, &["bad.txt", "nul.txt"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // The stray byte, and the character that the end of the file cuts
    // short, each said as what it is; both are counted.
    assert!(
        run.stderr.contains("bad.txt: 1 invalid byte sequence for UTF-8")
            && run
                .stderr
                .contains("bad.txt:1: the file ends inside a character"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("; 2 invalid sequences replaced\n"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nul.txt: binary file"), "{}", run.stderr);
    assert!(run.stdout.contains("two-heavy,两重"));
    let corpus = w.run_with(&["corpus", "bad.txt"], b"", Some(w.dir.path()));
    assert!(
        corpus.stdout.lines().nth(1).unwrap().ends_with(",2,0"),
        "{}",
        corpus.stdout
    );
}

#[test]
fn jsonl_with_a_broken_line() {
    let w = Workdir::new();
    w.write(
        "news.jsonl",
        format!(
            "{{\"id\":\"a\",\"date\":\"2024/3/5\",\"source\":\"XH\",\"text\":\"{ARTICLE}\"}}\n\
             {{\"id\":\"b\",\"date\":\"2024-03-06\",\"text\":\"broken\n\
             {{\"id\":\"c\",\"date\":\"20250101\",\"source\":\"RMRB\",\"text\":\"“两新”政策\",\"page\":3}}\n"
        ),
    );
    let run = count_in(&w, &["--by", "source", "news.jsonl"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr.lines().next().unwrap_or(""),
        "tifa: news.jsonl:2: invalid JSON: EOF while parsing a string at column 44; record skipped"
    );
    assert!(run.stdout.contains("RMRB,two-new,两新"), "{}", run.stdout);
    assert!(run.stdout.contains("XH,two-heavy,两重"), "{}", run.stdout);
    let by_page = count_in(&w, &["--by", "page", "news.jsonl"]);
    assert!(by_page.stdout.contains("\n3,two-new"), "{}", by_page.stdout);
    let corpus = w.run_with(
        &["corpus", "--by", "year", "news.jsonl"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(
        corpus.stdout,
        "year,documents,bytes,han_chars,en_words,first_date,last_date,replacements,skipped\n\
         2024,1,78,20,0,2024-03-05,2024-03-05,0,0\n2025,1,18,4,0,2025-01-01,2025-01-01,0,0\n\
         (skipped),0,0,0,0,,,0,1\n",
        "the skipped record has a row of its own, so that the column adds up"
    );
}

/// A file read twice under two names counts its records twice: every
/// command says which records of the later copy share an id with the
/// earlier (inputs are in path order), whichever order the threads read
/// them in; a JSON array's records are named by number.
#[test]
fn ids_shared_by_two_files_are_said_by_every_command() {
    let w = Workdir::new();
    let records = format!(
        "{{\"id\":\"a\",\"text\":\"{ARTICLE}\"}}\n{{\"id\":\"b\",\"text\":\"两重\"}}\n"
    );
    w.write("2024/news.jsonl", &records);
    w.write("backup/news.jsonl", &records);
    w.write(
        "array.json",
        "[{\"id\":\"z\",\"text\":\"两重\"},{\"id\":\"b\",\"text\":\"两重\"}]",
    );
    let said = "both are read and counted (a file read twice counts twice), \
                under one label in scan, kwic, cooc --sites and --by doc; \
                --id-field can name a field unique across files";
    let lex = crate::util::root().join(TRAPS);
    for (command, threads) in [("scan", "1"), ("count", "2"), ("kwic", "2")] {
        let mut args =
            vec!["--lexicon", lex.to_str().unwrap(), command, "-j", threads];
        if command == "kwic" {
            args.push("two-heavy");
        }
        args.extend(["2024", "backup", "array.json"]);
        let run = w.run_with(&args, b"", Some(w.dir.path()));
        assert_eq!(run.code, 0, "{}", run.stderr);
        let warnings: Vec<&str> =
            run.stderr.lines().filter(|l| l.contains(" too ")).collect();
        assert_eq!(
            warnings,
            [
                format!(
                    "tifa: array.json#2: id given to a record of \
                     2024/news.jsonl too (on line 2): {said}"
                ),
                format!(
                    "tifa: backup/news.jsonl:1: id given to a record of \
                     2024/news.jsonl too (on line 1), and 1 more id of this \
                     file to records of earlier files: {said}"
                ),
            ],
            "{command}"
        );
    }
}

/// Two records with one id cannot be told apart in the output: each is
/// read, and each repeat is named with the line of the first; within a
/// file only (daily files often number their records from 1): across
/// files, the first record of the later file is named.
#[test]
fn a_repeated_record_id_is_reported() {
    let w = Workdir::new();
    let record =
        |id: &str| format!("{{\"id\":\"{id}\",\"text\":\"{ARTICLE}\"}}\n");
    let mut jsonl = record("a") + &record("b") + "\n";
    for _ in 0..6 {
        jsonl += &record("a");
    }
    w.write("news.jsonl", &jsonl);
    w.write("other.jsonl", record("a"));
    w.write("sheet.csv", format!("id,text\nx,{ARTICLE}\nx,两新\n"));
    let run = count_in(
        &w,
        &["--by", "doc", "news.jsonl", "other.jsonl", "sheet.csv"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let said = "id given to an earlier record too: both are read, and the \
                later one is named by its place (FILE#N), as a record without \
                an id is";
    let warnings: Vec<&str> =
        run.stderr.lines().filter(|l| !l.contains(" documents, ")).collect();
    assert_eq!(
        warnings,
        [
            format!("tifa: news.jsonl:4 (id \"a\", as on line 1): {said}"),
            format!("tifa: news.jsonl:5 (id \"a\", as on line 1): {said}"),
            format!("tifa: news.jsonl:6 (id \"a\", as on line 1): {said}"),
            format!("tifa: news.jsonl:7 (id \"a\", as on line 1): {said}"),
            format!("tifa: news.jsonl:8 (id \"a\", as on line 1): {said}"),
            format!("tifa: sheet.csv:3 (id \"x\", as on line 2): {said}"),
            // Across files, ids are kept, and the later file's said.
            "tifa: other.jsonl:1: id given to a record of news.jsonl too (on \
             line 1): both are read and counted (a file read twice counts \
             twice), under one label in scan, kwic, cooc --sites and --by \
             doc; --id-field can name a field unique across files"
                .to_string(),
            format!("tifa: news.jsonl: 1 more times: {said}"),
        ]
    );
    let two_heavy_rows =
        run.stdout.lines().filter(|l| l.contains(",two-heavy,")).count();
    assert_eq!(two_heavy_rows, 10, "every record is counted: {}", run.stdout);
    // Each document of a file has a label of its own; across files, ids
    // are kept.
    let docs: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.contains(",two-heavy,"))
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        docs,
        [
            "a",
            "b",
            "news.jsonl#4",
            "news.jsonl#5",
            "news.jsonl#6",
            "news.jsonl#7",
            "news.jsonl#8",
            "news.jsonl#9",
            "a",
            "x"
        ]
    );
}

/// An id that is the name another record of the file has by its place
/// (`FILE#N`, the name of a record without an id) would give two documents
/// one label: it is set aside, with a warning, and the record named by its
/// own place. An id naming its own place is kept.
#[test]
fn an_id_naming_another_place_is_set_aside() {
    let w = Workdir::new();
    w.write(
        "d.jsonl",
        "{\"id\":\"d.jsonl#2\",\"text\":\"两重\"}\n{\"text\":\"两新\"}\n{\"id\":\"d.jsonl#3\",\"text\":\"两重\"}\n",
    );
    let run = w.run_with(
        &["corpus", "--by", "doc", "d.jsonl"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.first_column(), ["d.jsonl#1", "d.jsonl#2", "d.jsonl#3"]);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "tifa: d.jsonl:1: id \"d.jsonl#2\" is the name of the record on line 2 when it has no id: this one is named by its own place, d.jsonl#1"
    );
}

#[test]
fn csv_corpus_with_renamed_fields_and_a_ragged_row() {
    let w = Workdir::new();
    w.write(
        "export.csv",
        format!("url,published,body\nu1,2024-03-05,{ARTICLE}\nu2,2024-03-06\nu3,2024-04-01,“两新”政策\n"),
    );
    let run = count_in(
        &w,
        &[
            "--id-field",
            "url",
            "--date-field",
            "published",
            "--text-field",
            "body",
            "--by",
            "month",
            "export.csv",
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("export.csv:3: 2 fields where the header has 3"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("2024-03,two-heavy"), "{}", run.stdout);
    assert!(run.stdout.contains("2024-04,two-new"), "{}", run.stdout);
}

/// A record CSV separated by semicolons or tabs, as European Excel and
/// "Unicode text" save it, is read as metadata.csv is: its separator is
/// found on the header line, and a comma in a field, or in a column name
/// (quoted or not), is text.
#[test]
fn csv_corpus_separated_by_semicolons_or_tabs() {
    let w = Workdir::new();
    for (name, sep, note) in [
        ("semi.csv", ";", "\"note, remark\""),
        ("semi-bare.csv", ";", "note (a,b)"),
        ("tab.csv", "\t", "\"note, remark\""),
    ] {
        let body = format!(
            "id{sep}date{sep}text{sep}{note}\n\
             a{sep}2024-03-05{sep}\"推进两重建设, 两重项目\"{sep}x\n\
             b{sep}2024-04-01{sep}“两新”政策{sep}y\n"
        );
        w.write(name, body);
        let run = count_in(&w, &["--by", "doc", name]);
        assert_eq!(run.code, 0, "{name}: {}", run.stderr);
        assert!(!run.stderr.contains(name), "{}", run.stderr);
        let rows: Vec<&str> = run.stdout.lines().skip(1).collect();
        assert_eq!(
            rows,
            [
                "a,two-heavy,两重,two heavy,economy,2,2,0,0,1,2000.0,",
                "b,two-new,两新,two new,economy,1,1,0,0,1,2500.0,",
            ],
            "{name}: {}",
            run.stdout
        );
    }
}

#[test]
fn metadata_csv_beside_text_files() {
    let w = Workdir::new();
    w.write("pd/a1.txt", ARTICLE);
    w.write("pd/a2.txt", "“两新”政策");
    w.write("pd/metadata.csv", "id,date,title,page\na1,2024-03-05,Title one,1\na2,2024-05-01,Title two,4\n");
    let run =
        w.run_with(&["corpus", "--by", "page", "pd"], b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("page,documents"), "{}", run.stdout);
    assert_eq!(
        run.stdout.lines().count(),
        3,
        "metadata.csv is not a document: {}",
        run.stdout
    );
    let run = count_in(&w, &["--by", "month", "--since", "2024-04", "pd"]);
    assert_eq!(
        run.stdout.lines().skip(1).collect::<Vec<_>>(),
        ["2024-05,two-new,两新,two new,economy,1,1,0,0,1,2500.0,"]
    );
}

/// `--encoding gbk` over a folder that also holds UTF-8 files: a file that
/// is valid UTF-8 and not valid GBK is read as UTF-8, with a warning.
#[test]
fn a_forced_encoding_leaves_valid_utf8_alone() {
    let w = Workdir::new();
    let (gbk, _, _) = encoding_rs::GBK.encode(ARTICLE);
    w.write("mixed/gbk.txt", &*gbk);
    w.write("mixed/utf8.txt", ARTICLE);
    let run = count_in(&w, &["-E", "gbk", "mixed"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("two-heavy,两重,two heavy,economy,2,2,"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains(
            "mixed/utf8.txt: read as UTF-8, not gb18030 as --encoding asks"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("gbk.txt: read"), "{}", run.stderr);
    // UTF-16 never fails to decode: UTF-8 without the NUL bytes that
    // UTF-16 text has (in its line breaks) is UTF-8, ASCII too.
    let utf16: Vec<u8> =
        ARTICLE.encode_utf16().flat_map(u16::to_le_bytes).collect();
    w.write("wide/utf16.txt", utf16);
    w.write("wide/utf8.txt", ARTICLE);
    w.write("wide/ascii.txt", "Investment in the two heavy projects.\n");
    let run = count_in(&w, &["-E", "utf-16le", "--by", "doc", "wide"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for doc in ["wide/utf16.txt", "wide/utf8.txt", "wide/ascii.txt"] {
        assert!(
            run.stdout.contains(&format!("{doc},two-heavy,")),
            "{}",
            run.stdout
        );
    }
    let warnings: Vec<&str> =
        run.stderr.lines().filter(|l| l.contains(": read as")).collect();
    assert_eq!(
        warnings,
        [
            "tifa: wide/ascii.txt: read as UTF-8, not UTF-16LE as --encoding asks: it is valid UTF-8 without the NUL bytes of UTF-16 text",
            "tifa: wide/utf8.txt: read as UTF-8, not UTF-16LE as --encoding asks: it is valid UTF-8 without the NUL bytes of UTF-16 text",
        ],
        "{}",
        run.stderr
    );
}

/// The rows of a `metadata.csv` are checked against every entry of its
/// folder, whether the folder was walked (its listing kept from the walk)
/// or its files were named one by one (the folder listed for the check):
/// a row naming a folder, a hidden file or a file of another extension
/// names something, a row naming nothing is reported, and so is a row
/// that a later one overrides.
#[test]
fn metadata_rows_checked_against_every_entry_of_the_folder() {
    let w = Workdir::new();
    w.write("pd/a.txt", ARTICLE);
    w.write("pd/b.txt", ARTICLE);
    w.write("pd/.draft.txt", ARTICLE);
    w.write("pd/scan.pdf", "%PDF");
    w.write("pd/2024/c.txt", ARTICLE);
    w.write(
        "pd/metadata.csv",
        "file,date\na.txt,2024-01-01\nscan.pdf,2024-01-02\n2024,2024-01-03\n.draft.txt,2024-01-04\nmissing.txt,2024-01-05\nb.txt,2024-01-06\ngone.md,\nb.txt,2024-01-07\n",
    );
    let expected = [
        "tifa: pd/metadata.csv:6: `missing.txt` is no file of this folder; so does 1 other row",
        "tifa: pd/metadata.csv:7: not used: the row of `b.txt` is line 9",
    ];
    let walked = count_in(&w, &["pd"]);
    assert_eq!(walked.code, 0, "{}", walked.stderr);
    assert_eq!(metadata_warnings(&walked), expected, "{}", walked.stderr);
    let named = count_in(&w, &["pd/a.txt", "pd/b.txt"]);
    assert_eq!(named.code, 0, "{}", named.stderr);
    assert_eq!(metadata_warnings(&named), expected, "{}", named.stderr);
}

/// A `metadata.csv` saved by a spreadsheet on Chinese Windows (GBK, CRLF)
/// is read; one that cannot be used at all is an input skipped (exit 2,
/// shown under `--quiet`), since its folder loses its dates.
#[test]
fn metadata_csv_in_gbk_and_unusable_metadata() {
    let w = Workdir::new();
    w.write("pd/a1.txt", ARTICLE);
    let (csv, _, _) =
        encoding_rs::GBK.encode("id,date,标题\r\na1,2024-03-05,两会特稿\r\n");
    w.write("pd/metadata.csv", &*csv);
    let run =
        w.run_with(&["corpus", "--by", "标题", "pd"], b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\n两会特稿,1,"), "{}", run.stdout);
    w.write("pd/metadata.csv", "title\nA\n");
    let run = w.run_with(&["-q", "corpus", "pd"], b"", Some(w.dir.path()));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.trim_end(),
        "tifa: pd/metadata.csv: no column `id` or `file`; metadata not used"
    );
}

/// A `year` column dates a file that has no date (1969-09 is the 9th
/// Congress, not September); `--date-field` names the date column; a
/// ragged row is reported by its line and the other rows are used.
#[test]
fn metadata_year_date_field_and_ragged_rows() {
    let w = Workdir::new();
    w.write("cpc/1969-09.txt", ARTICLE);
    w.write("cpc/1977-11.txt", ARTICLE);
    w.write(
        "cpc/metadata.csv",
        "id,year,congress\r\n1969-09,1969,9\r\n1977-11,1977\r\n",
    );
    let by_doc = |extra: &[&str]| {
        let mut args = vec!["corpus", "--by", "doc"];
        args.extend_from_slice(extra);
        args.push("cpc");
        w.run_with(&args, b"", Some(w.dir.path()))
    };
    let run = by_doc(&[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dates = first_dates(&run);
    // The second row is ragged: its file keeps the date of its name.
    assert_eq!(dates, ["1969", "1977-11"], "{}", run.stdout);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "tifa: cpc/metadata.csv:3: 2 fields where the header has 3; row not used"
    );
    w.write("cpc/metadata.csv", "id,congress,held\n1969-09,9,1969-04\n");
    let run = by_doc(&["--date-field", "held"]);
    assert!(run.stdout.contains("cpc/1969-09.txt,1,"), "{}", run.stdout);
    assert!(run.stdout.contains(",1969-04,1969-04,"), "{}", run.stdout);
}

/// A metadata `year` is read as a `date` is: trimmed, `1949年` taken,
/// and a value that is no year reported by its line, as a bad date is.
#[test]
fn metadata_years_trimmed_and_bad_ones_reported() {
    let w = Workdir::new();
    for name in ["a", "b", "c", "d"] {
        w.write(&format!("meta/{name}.txt"), "改革开放\n");
    }
    w.write(
        "meta/metadata.csv",
        "id,year,date\na,1949年,\nb, 1980 ,\nc,19xx,\nd,,19xx\n",
    );
    let run = w.run_with(
        &["corpus", "--by", "doc", "meta"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(first_dates(&run), ["1949", "1980", "", ""], "{}", run.stdout);
    let warnings: Vec<&str> =
        run.stderr.lines().filter(|l| l.contains("metadata.csv:")).collect();
    assert_eq!(
        warnings,
        [
            "tifa: meta/metadata.csv:4: year \"19xx\" is not a year; not used",
            "tifa: meta/metadata.csv:5: date \"19xx\" is not a date; not used",
        ]
    );
}

/// A date or year outside 1800..=2100, in a record or in metadata, stands
/// for none (`9999-12-31`, `0001-01-01`): the document is kept undated,
/// with a warning, rather than stretch a trend over every month between.
#[test]
fn placeholder_dates_are_kept_undated() {
    let w = Workdir::new();
    let record = |id: &str, date: &str| {
        format!(
            "{{\"id\": \"{id}\", \"date\": \"{date}\", \"text\": \"发展新质生产力\"}}\n"
        )
    };
    w.write(
        "recs.jsonl",
        [("a", "2024-01-01"), ("b", "9999-12-31"), ("c", "0001-01-01")]
            .map(|(id, date)| record(id, date))
            .concat(),
    );
    for name in ["d", "e"] {
        w.write(&format!("meta/{name}.txt"), "发展新质生产力\n");
    }
    w.write("meta/metadata.csv", "id,date,year\nd,9999-12-31,\ne,,0500\n");
    let run = w.run_with(
        &["corpus", "--by", "doc", "recs.jsonl", "meta"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(first_dates(&run), ["", "", "2024-01-01", "", ""]);
    let warnings: Vec<&str> =
        run.stderr.lines().filter(|l| l.contains(": ")).collect();
    assert_eq!(
        warnings[..4],
        [
            "tifa: meta/metadata.csv:2: date \"9999-12-31\" is in the year 9999, not in 1800..=2100; not used",
            "tifa: meta/metadata.csv:3: year \"0500\" is not in 1800..=2100; not used",
            "tifa: recs.jsonl:2: field \"date\": \"9999-12-31\" is in the year 9999, not in 1800..=2100; kept undated",
            "tifa: recs.jsonl:3: field \"date\": \"0001-01-01\" is in the year 0001, not in 1800..=2100; kept undated",
        ],
        "{}",
        run.stderr
    );
    let trend = w.run_with(
        &[
            "trend",
            "--period",
            "month",
            "--format",
            "csv",
            "recs.jsonl",
            "meta",
        ],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(trend.code, 0, "{}", trend.stderr);
    assert_eq!(trend.stdout.lines().count(), 2, "{}", trend.stdout);
}

/// A metadata `date` of six digits is a month, as in a file name
/// (`199801`); six digits that are no month are reported, as any date
/// that is none. A `date` that contradicts the row's `year` wins, with a
/// warning naming the row and both.
#[test]
fn metadata_dates_by_month_and_against_year() {
    let w = Workdir::new();
    for name in ["a", "b", "c", "d"] {
        w.write(&format!("pfr/{name}.txt"), "改革开放\n");
    }
    w.write(
        "pfr/metadata.csv",
        "id,date,year\na,199801,\nb,199813,\nc,1990-05-01,1985\nd,198512,1985\n",
    );
    let run =
        w.run_with(&["corpus", "--by", "doc", "pfr"], b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        first_dates(&run),
        ["1998-01", "", "1990-05-01", "1985-12"],
        "{}",
        run.stdout
    );
    assert_eq!(
        metadata_warnings(&run),
        [
            "tifa: pfr/metadata.csv:3: date \"199813\" is not a date; not used",
            "tifa: pfr/metadata.csv:4: date 1990-05-01 differs from year 1985; dated 1990-05-01",
        ],
        "{}",
        run.stderr
    );
}

/// The columns tifa reads by name are found whatever their case and the
/// spaces around them, as a spreadsheet's user writes them; the others
/// keep their names as written for `--by`. Two columns that come to the
/// same name make the table unusable, with both named.
#[test]
fn metadata_columns_in_any_case() {
    let w = Workdir::new();
    w.write("pd/a1.txt", ARTICLE);
    w.write("pd/a2.txt", ARTICLE);
    w.write(
        "pd/metadata.csv",
        "ID , Date ,Title,Source,Page\na1,2024-03-05,One,rmrb,1\na2,2024-05-01,Two,rmrb,4\n",
    );
    let by = |group: &str| {
        w.run_with(&["corpus", "--by", group, "pd"], b"", Some(w.dir.path()))
    };
    let run = by("doc");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        first_dates(&run),
        ["2024-03-05", "2024-05-01"],
        "{}",
        run.stdout
    );
    let run = by("source");
    assert!(run.stdout.contains("\nrmrb,2,"), "{}", run.stdout);
    let run = by("Page");
    assert!(run.stdout.starts_with("Page,documents"), "{}", run.stdout);
    assert_eq!(run.first_column(), ["1", "4"], "{}", run.stdout);
    w.write("pd/metadata.csv", "File,YEAR\na1.txt,2020\na2.txt,2021\n");
    assert_eq!(first_dates(&by("doc")), ["2020", "2021"]);
    // A renamed date field is found whatever its case too.
    w.write("pd/metadata.csv", "id,Held\na1,1969-04\n");
    let run = w.run_with(
        &["corpus", "--by", "doc", "--date-field", "held", "pd"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(first_dates(&run), ["1969-04", ""], "{}", run.stdout);
    w.write("pd/metadata.csv", "id,Date,date \na1,2024-03-05,2024-03-06\n");
    let run = by("doc");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "tifa: pd/metadata.csv: columns 2 (\"Date\") and 3 (\"date \") both name the column `date`: rename one; metadata not used"
    );
}

/// Metadata dates a file over its name, with a warning naming the row
/// when the two disagree; a coarser metadata date that agrees (the 9th
/// Congress's 1969 for 1969-09.txt) is no conflict and dates the file.
#[test]
fn metadata_contradicting_the_file_name_is_said() {
    let w = Workdir::new();
    for name in
        ["1990-05-01", "1969-09", "2024-03-05", "2024-03", "1987-13", "notes"]
    {
        w.write(&format!("m/{name}.txt"), ARTICLE);
    }
    w.write(
        "m/metadata.csv",
        "id,year,date\n1990-05-01,1985,\n1969-09,1969,\n2024-03-05,,2024-03-06\n2024-03,2023,2024-03-05\n1987-13,1987,\nnotes,2001,\n",
    );
    let run =
        w.run_with(&["corpus", "--by", "doc", "m"], b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    // In path order: 1969-09, 1987-13, 1990-05-01, 2024-03-05, 2024-03,
    // notes.
    assert_eq!(
        first_dates(&run),
        ["1969", "1987", "1985", "2024-03-06", "2024-03-05", "2001"],
        "{}",
        run.stdout
    );
    assert_eq!(
        metadata_warnings(&run),
        [
            "tifa: m/metadata.csv:2: year 1985 differs from the file name's date 1990-05-01; dated 1985",
            "tifa: m/metadata.csv:4: date 2024-03-06 differs from the file name's date 2024-03-05; dated 2024-03-06",
            "tifa: m/metadata.csv:5: date 2024-03-05 differs from year 2023; dated 2024-03-05",
        ],
        "{}",
        run.stderr
    );
    // The name's month 13 is not in the calendar, but the name does not
    // date the file: no word on it.
    assert!(!run.stderr.contains("month 13"), "{}", run.stderr);
}

/// What two arguments name twice is read once, with a word on each
/// argument left out: the same file spelled otherwise, a file or a folder
/// inside a folder given, stdin twice. A hidden file inside a folder given
/// is not in its walk, and is read.
#[test]
fn inputs_named_twice_are_read_once() {
    let w = Workdir::new();
    w.write("a.txt", ARTICLE);
    w.write("news/2024-01-01.txt", ARTICLE);
    w.write("news/sub/2024-01-02.txt", ARTICLE);
    w.write("news/.draft.txt", ARTICLE);
    let args = [
        "corpus",
        "a.txt",
        "./a.txt",
        "news",
        "news/2024-01-01.txt",
        "news/sub",
        "news/.draft.txt",
        "a.txt",
        "-",
        "-",
    ];
    let run = w.run_with(&args, ARTICLE.as_bytes(), Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines[..6],
        [
            "tifa: a.txt: the same file as ./a.txt; read once",
            "tifa: news: 1 hidden file or folder not read (names starting with .)",
            "tifa: news/2024-01-01.txt: read once, as part of news",
            "tifa: news/sub: read once, as part of news",
            "tifa: a.txt: the same file as ./a.txt; read once",
            "tifa: -: given more than once; read once",
        ]
    );
    // a.txt, two files of news, the hidden draft, stdin.
    assert!(run.stderr.contains("tifa: 5 documents"), "{}", run.stderr);
}

/// Stdin has no extension: it is JSON Lines when its first line is a JSON
/// object, else text; `--input-format` decides otherwise.
#[test]
fn stdin_is_read_as_jsonl_when_it_starts_with_an_object() {
    let w = Workdir::new();
    let jsonl =
        "{\"id\":\"a\",\"text\":\"两重\"}\n{\"id\":\"b\",\"text\":\"两新\"}\n";
    let docs = |args: &[&str], stdin: &str| {
        let run = w.run_with(args, stdin.as_bytes(), Some(w.dir.path()));
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
            .lines()
            .nth(1)
            .unwrap()
            .split(',')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(docs(&["corpus", "-"], jsonl), "2");
    assert_eq!(docs(&["corpus", "--input-format", "text", "-"], jsonl), "1");
    assert_eq!(docs(&["corpus", "-"], "{两重}\n两新\n"), "1");
}

/// A FIFO or device named as an input, whose name gives no format (the
/// `/dev/fd/63` of `<(zcat news.jsonl.gz)`, `/dev/stdin`), is read as
/// stdin is: JSON Lines found by sniffing, not one text document whose
/// ids and titles are counted.
#[cfg(unix)]
#[test]
fn pipes_named_as_inputs_are_read_as_stdin_is() {
    let w = Workdir::new();
    let jsonl = "{\"id\":\"a\",\"title\":\"两重\",\"text\":\"两重\"}\n\
                 {\"id\":\"b\",\"text\":\"两新\"}\n";
    // The test's stdin is a pipe.
    let run = w.run_with(
        &["corpus", "--by", "doc", "/dev/stdin"],
        jsonl.as_bytes(),
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.first_column(), ["a", "b"]);
    let run = w.run_with(
        &["corpus", "/dev/stdin"],
        b"{\"id\":\"a\"}\n<p>page</p>\n<p>more</p>\n",
        Some(w.dir.path()),
    );
    assert!(
        run.stderr.contains(
            "tifa: /dev/stdin: read as text: 1 of its first 3 lines are JSON objects"
        ),
        "{}",
        run.stderr
    );
}

/// A FIFO in a folder is not read (it would wait for a writer), and is
/// named in a warning rather than passed over in silence.
#[cfg(unix)]
#[test]
fn a_fifo_in_a_folder_is_named() {
    let w = Workdir::new();
    w.write("news/a.txt", ARTICLE);
    std::fs::create_dir(w.path("news/sub")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(w.path("news/sub/feed.jsonl"))
        .status()
        .unwrap();
    assert!(made.success());
    let run = w.run_with(&["corpus", "news"], b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "tifa: news/sub/feed.jsonl: a named pipe (FIFO), not a regular file; not read (named as an input, it is)"
    );
    assert!(lines[1].starts_with("tifa: 1 document, "), "{}", run.stderr);
}

/// A file is read once however it is reached, under the least of its
/// paths: two links to one file and a hard link in a folder, a folder
/// given and its files given, in any order, give the same table.
#[cfg(unix)]
#[test]
fn a_file_reached_twice_is_read_once_under_its_least_path() {
    let w = Workdir::new();
    w.write("n/a b.txt", ARTICLE);
    w.write("n/other.txt", "“两新”政策");
    std::os::unix::fs::symlink("a b.txt", w.path("n/link.txt")).unwrap();
    std::os::unix::fs::symlink("a b.txt", w.path("n/link2.txt")).unwrap();
    std::fs::hard_link(w.path("n/a b.txt"), w.path("n/hard.txt")).unwrap();
    let lex = crate::util::root().join(TRAPS);
    let run = |args: &[&str]| {
        let mut all = vec!["--lexicon", lex.to_str().unwrap(), "scan"];
        all.extend_from_slice(args);
        let run = w.run_with(&all, b"", Some(w.dir.path()));
        assert_eq!(run.code, 0, "{}", run.stderr);
        run
    };
    let folder = run(&["n"]);
    assert!(folder.stdout.contains("\nn/a b.txt,"), "{}", folder.stdout);
    assert!(!folder.stdout.contains("link"), "{}", folder.stdout);
    assert!(!folder.stdout.contains("hard"), "{}", folder.stdout);
    assert_eq!(
        folder.stderr.lines().take(3).collect::<Vec<_>>(),
        [
            "tifa: n/hard.txt: the same file as n/a b.txt; read once",
            "tifa: n/link.txt: the same file as n/a b.txt; read once",
            "tifa: n/link2.txt: the same file as n/a b.txt; read once",
        ]
    );
    let files = ["n/link.txt", "n/a b.txt", "n/other.txt", "n/hard.txt"];
    let forward = run(&files);
    assert_eq!(forward.stdout, folder.stdout);
    let mut reversed = files;
    reversed.reverse();
    let backward = run(&reversed);
    assert_eq!(backward.stdout, folder.stdout);
    // A folder given twice, by a link and by its name: read once, under
    // the least name, whichever comes first.
    std::os::unix::fs::symlink("n", w.path("m")).unwrap();
    let both = run(&["n", "m"]);
    assert!(both.stdout.contains("\nm/a b.txt,"), "{}", both.stdout);
    assert!(both.stderr.contains("tifa: n: the same folder as m; read once"));
    assert_eq!(run(&["m", "n"]).stdout, both.stdout);
}

/// Standard input redirected from a file that is named too (`tifa count
/// - a.txt < a.txt`) is that file: read once, under its name. It was read
/// twice, where `/dev/stdin a.txt` was read once.
#[test]
fn stdin_from_a_named_file_is_read_once() {
    let w = Workdir::new();
    w.write("a.txt", "发展新质生产力\n");
    let lex = crate::util::root().join(crate::util::TRAPS);
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_tifa"))
        .args(["--lexicon", lex.to_str().unwrap(), "scan", "-", "a.txt"])
        .current_dir(w.dir.path())
        .stdin(std::fs::File::open(w.path("a.txt")).unwrap())
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8(run.stdout).unwrap(),
        String::from_utf8(run.stderr).unwrap(),
    );
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr
            .starts_with("tifa: <stdin>: the same file as a.txt; read once\n"),
        "{stderr}"
    );
    let docs: Vec<&str> =
        stdout.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(docs, ["a.txt"], "{stdout}");
}

#[test]
fn split_one_file_into_articles() {
    let w = Workdir::new();
    w.write(
        "digest.txt",
        format!("preface\n=== 第一篇\n{ARTICLE}\n=== 第二篇\n“两新”政策\n"),
    );
    let run = count_in(&w, &["--split", "^=== ", "--by", "doc", "digest.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.first_column(),
        ["digest.txt#1", "digest.txt#1", "digest.txt#1", "digest.txt#2"]
    );
}

#[test]
fn dedup_and_t2s() {
    let w = Workdir::new();
    w.write("a.txt", ARTICLE);
    w.write("b.txt", format!("{ARTICLE}\n"));
    w.write("c.txt", "推進「兩重」建設");
    let run = count_in(&w, &["--dedup", "a.txt", "b.txt"]);
    assert!(
        run.stdout.contains("two-heavy,两重,two heavy,economy,1,"),
        "{}",
        run.stdout
    );
    // Counted nouns agree with their number.
    assert!(
        run.stderr.contains("tifa: 1 document, ")
            && run
                .stderr
                .contains("; 1 duplicate; 0 invalid sequences replaced"),
        "{}",
        run.stderr
    );
    let plain = count_in(&w, &["c.txt"]);
    assert!(!plain.stdout.contains("two-heavy"), "{}", plain.stdout);
    let t2s = count_in(&w, &["--t2s", "c.txt"]);
    assert!(
        t2s.stdout.contains("two-heavy,两重,two heavy,economy,1,1,"),
        "{}",
        t2s.stdout
    );
}

/// The documents `--dedup` drops are named with the copy kept: the run's
/// first five by corpus order, whatever the threads, and the rest
/// counted. With `--t2s`, a traditional copy is a copy.
#[test]
fn dedup_names_what_it_drops() {
    let w = Workdir::new();
    w.write("a.txt", ARTICLE);
    for i in 1..=7 {
        w.write(&format!("copy{i}.txt"), format!("{ARTICLE}\n"));
    }
    w.write(
        "news.jsonl",
        format!("{{\"id\":\"x\",\"text\":\"{ARTICLE}\"}}\n"),
    );
    w.write("trad.txt", "推進“兩重”建設和“兩新”工作，加快發展新質生產力。");
    for threads in ["1", "2"] {
        let run = count_in(&w, &["--dedup", "--t2s", "-j", threads, "."]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let said = |file: &str| {
            format!(
                "tifa: {file}: dropped by --dedup: the same text as \"./a.txt\""
            )
        };
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(
            lines[..6],
            [
                said("./copy1.txt"),
                said("./copy2.txt"),
                said("./copy3.txt"),
                said("./copy4.txt"),
                said("./copy5.txt"),
                "tifa: --dedup: 4 more documents dropped as copies too; \
                 `tifa corpus --by doc` with and without --dedup lists them all"
                    .to_string(),
            ],
            "{}",
            run.stderr
        );
        assert!(lines[6].contains("; 9 duplicates;"), "{}", run.stderr);
    }
}

/// A file name with a day the calendar lacks dates the file by its month,
/// and says so; `_` and `.` separate a name's date as `-` does.
#[test]
fn dates_in_file_names() {
    let w = Workdir::new();
    w.write("dn/2024-02-30.txt", "两新\n");
    w.write("dn/2024_05_01.txt", "两新\n");
    let dir = w.path("dn");
    let run = tifa(&["corpus", "--by", "doc", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let dates = first_dates(&run);
    assert_eq!(dates, ["2024-02", "2024-05-01"], "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "2024-02-30.txt: the file name's day 2024-02-30 is not in the calendar; dated 2024-02\n"
        ),
        "{}",
        run.stderr
    );
}

/// A document dated more coarsely than the period of `--by` is in a group
/// of its own, not in `(none)` with the undated ones.
#[test]
fn coarse_dates_have_groups_of_their_own() {
    let w = Workdir::new();
    let record = |date: &str| {
        format!("{{\"date\":\"{date}\",\"text\":\"{ARTICLE}\"}}\n")
    };
    w.write(
        "news.jsonl",
        ["2024-05-02", "2024", "", "2024-06", "2023-12-31"]
            .map(record)
            .concat(),
    );
    let run = w.run_with(
        &["corpus", "--by", "quarter", "news.jsonl"],
        b"",
        Some(w.dir.path()),
    );
    let groups: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(groups, ["(none)", "2023-Q4", "2024 (year only)", "2024-Q2"]);
    let by_day = w.run_with(
        &["corpus", "--by", "day", "news.jsonl"],
        b"",
        Some(w.dir.path()),
    );
    let groups: Vec<&str> = by_day
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        groups,
        [
            "(none)",
            "2023-12-31",
            "2024 (year only)",
            "2024-05-02",
            "2024-06 (month only)"
        ]
    );
}

/// `-o FILE` inside a folder read, when it does not exist yet, is left
/// out of the walk, and the run says that a run over the folder writing
/// elsewhere will read it; once it exists, it is a file the walk reads,
/// and writing over it is refused, as for any input.
#[test]
fn output_inside_an_input_folder_is_not_read() {
    let w = Workdir::new();
    w.write("news/2024-11-20.txt", ARTICLE);
    w.write("news/sub/2024-11-21.txt", ARTICLE);
    let run = || count_in(&w, &["news", "-o", "news/sub/counts.md"]);
    let first = run();
    assert_eq!(first.code, 0, "{}", first.stderr);
    let lines: Vec<&str> = first.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "tifa: warning: news/sub/counts.md is inside the input news: left out of this run, but a later run over news that writes elsewhere will read it"
    );
    assert!(lines[1].starts_with("tifa: 2 documents, "), "{}", first.stderr);
    assert_eq!(lines.len(), 2, "{}", first.stderr);
    let table = std::fs::read_to_string(w.path("news/sub/counts.md")).unwrap();
    let again = run();
    assert_eq!(again.code, 2, "{}", again.stderr);
    assert_eq!(
        again.stderr,
        "tifa: news/sub/counts.md: -o names a file the run reads from news (an article, or an earlier output kept there); write elsewhere, or remove it first\n"
    );
    let now = std::fs::read_to_string(w.path("news/sub/counts.md"));
    assert_eq!(now.unwrap(), table);
    // Written elsewhere, the same folder reads it: the warning was right.
    let elsewhere = count_in(&w, &["news"]);
    assert!(elsewhere.stderr.contains("tifa: 3 documents, "));
    // A file the walk would not read anyway is not worth a word.
    let json = count_in(&w, &["news", "-o", "news/counts.json"]);
    assert!(!json.stderr.contains("warning"), "{}", json.stderr);
    assert!(!json.stderr.contains("not read"), "{}", json.stderr);
}

/// `-o` naming an article of a folder read is refused before anything is
/// read: the articles stay as they were (they were replaced by the table,
/// and left out of the count, exit 0). A hidden file or `.json` the walk
/// leaves out can be written.
#[test]
fn output_over_an_article_of_an_input_folder_is_refused() {
    let w = Workdir::new();
    let news = "{\"id\":\"a\",\"text\":\"两重\"}\n";
    w.write("corp/news.jsonl", news);
    w.write("corp/sub/news2.jsonl", news);
    for out in ["corp/news.jsonl", "./corp/sub/news2.jsonl"] {
        let run =
            count_in(&w, &["-q", "--format", "jsonl", "-o", out, "corp"]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "tifa: {out}: -o names a file the run reads from corp (an article, or an earlier output kept there); write elsewhere, or remove it first\n"
            )
        );
    }
    for f in ["corp/news.jsonl", "corp/sub/news2.jsonl"] {
        assert_eq!(std::fs::read_to_string(w.path(f)).unwrap(), news);
    }
    w.write("corp/.counts.csv", "old");
    w.write("corp/counts.json", "old");
    for out in ["corp/.counts.csv", "corp/counts.json"] {
        let run = count_in(&w, &["-q", "-o", out, "corp"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_ne!(std::fs::read_to_string(w.path(out)).unwrap(), "old");
    }
}

/// `-o` over the `metadata.csv` that the run reads, of a folder walked
/// or of a file given, is refused as an article is: it was replaced by
/// the table, and the user's metadata was lost.
#[test]
fn output_over_the_metadata_of_an_input_is_refused() {
    let w = Workdir::new();
    let meta = "file,date\na.txt,2024-11-20\n";
    w.write("corp/a.txt", ARTICLE);
    w.write("corp/metadata.csv", meta);
    w.write("corp/sub/b.txt", ARTICLE);
    w.write("corp/sub/metadata.csv", meta);
    for (out, input) in [
        ("corp/metadata.csv", "corp"),
        ("./corp/sub/metadata.csv", "corp"),
        ("corp/metadata.csv", "corp/a.txt"),
    ] {
        let run = count_in(&w, &["-q", "-o", out, input]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "tifa: {out}: -o names the metadata the run reads for {input}; write elsewhere\n"
            )
        );
    }
    for f in ["corp/metadata.csv", "corp/sub/metadata.csv"] {
        assert_eq!(std::fs::read_to_string(w.path(f)).unwrap(), meta);
    }
}

/// Files whose extension a folder is not read for are counted in one
/// warning per folder given, with their extensions, commonest first.
#[test]
fn other_extensions_in_a_folder_are_counted_in_a_warning() {
    let w = Workdir::new();
    for name in ["a.html", "b.html", "c.htm", "notes.TXT", "x.text", "README"]
    {
        w.write(&format!("web/{name}"), ARTICLE);
    }
    w.write("web/sub/arr.json", "[]");
    w.write("web/.hidden.html", ARTICLE);
    let run = w.run_with(&["corpus", "web"], b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "tifa: web: 1 hidden file or folder not read (names starting with .)",
            "tifa: web: 6 files with other extensions not read (.html, no extension, .htm, .json, .text): folders are read for .txt, .md, .jsonl, .ndjson and .csv; a .json array of records is read when named as an input",
        ]
    );
    // notes.TXT alone is read.
    assert!(lines[2].starts_with("tifa: 1 document, "), "{}", run.stderr);
}

/// A JSON array of articles (a scraper's output) is read as records, with
/// the fields of JSONL; records without an id are named by position.
#[test]
fn json_arrays_are_read_as_records() {
    let w = Workdir::new();
    w.write(
        "arr.json",
        "[\n  {\"id\": \"a\", \"date\": \"2024-03-05\", \"text\": \"两重建设项目\"},\n  {\"text\": \"两新政策补贴\", \"source\": \"wire\"}\n]\n",
    );
    let run = w.run_with(
        &["scan", "arr.json", "--format", "csv"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<&str> = run.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{}", run.stdout);
    assert!(rows[0].starts_with("a,2024-03-05,two-heavy,zh,两重,两重,0,6,1,"));
    assert!(rows[1].starts_with("arr.json#2,,two-new,zh,两新,两新,0,6,1,"));
    let corpus = w.run_with(&["corpus", "arr.json"], b"", Some(w.dir.path()));
    // 2 documents, 12 Han characters, no JSON keys as English words.
    assert!(corpus.stdout.lines().nth(1).unwrap().starts_with("2,"));
    assert!(corpus.stdout.contains(",12,0,"), "{}", corpus.stdout);
}

/// A broken JSON array: records that are no objects or lack the text are
/// skipped by position; invalid JSON keeps the records before it; an
/// object is skipped with how to convert it.
#[test]
fn broken_json_arrays_are_reported() {
    let w = Workdir::new();
    w.write(
        "b.json",
        "[{\"id\":\"x\",\"text\":\"两重\"}, 5, {\"title\":\"t\"}, {\"id\":\"x\",\"text\":\"两新\"},\n {\"text\": \"两新\" oops}]",
    );
    w.write("o.json", "{\"data\": [{\"text\": \"两重\"}]}");
    let run = count_in(&w, &["--by", "doc", "b.json", "o.json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines[..5],
        [
            "tifa: b.json#2: not a JSON object; record skipped",
            "tifa: b.json#3: no field \"text\"; record skipped",
            "tifa: b.json#4 (id \"x\", as record 1): id given to an earlier record too: both are read, and the later one is named by its place (FILE#N), as a record without an id is",
            "tifa: b.json:2: invalid JSON after 4 records: expected `,` or `}` at column 16; the rest of the file skipped",
            "tifa: o.json: a JSON object, not an array of records; skipped: convert it to JSON Lines, one record a line (jq -c '.[]' o.json > o.jsonl, with the path to the records in place of .[])",
        ],
        "{}",
        run.stderr
    );
    assert_eq!(run.first_column(), ["x", "b.json#4"], "{}", run.stdout);
    // Read as JSON though not named so, and from standard input: the
    // command names no file built from the input's name.
    w.write("o.jsonl", "{\"data\": [{\"text\": \"两重\"}]}");
    for (input, stdin, want) in [
        ("o.jsonl", "", "tifa: o.jsonl: "),
        ("-", "{\"data\": []}", "tifa: <stdin>: "),
    ] {
        let args = ["count", "--input-format", "json", input];
        let run = w.run_with(&args, stdin.as_bytes(), Some(w.dir.path()));
        assert_eq!(run.code, 2, "{}", run.stderr);
        let from = if input == "-" { "" } else { " o.jsonl" };
        assert_eq!(
            run.stderr.lines().next().unwrap(),
            format!(
                "{want}a JSON object, not an array of records; skipped: convert it to JSON Lines, one record a line (jq -c '.[]'{from} > records.jsonl, with the path to the records in place of .[])"
            )
        );
    }
}

/// `--split` articles are dated by a date in their separator line (as
/// file names are, and 2024年7月1日), else by the file's date.
#[test]
fn split_articles_are_dated_by_their_separator_line() {
    let w = Workdir::new();
    w.write(
        "digest-2023.txt",
        "preface\n=== 2024-03-05 政府工作报告摘要\n两重建设\n=== 2024年7月1日 白名单进展\n白名单\n=== English piece\ntwo new\n=== 2024-02-30 typo\n两新\n",
    );
    let run = w.run_with(
        &["corpus", "--by", "doc", "--split", "^===", "digest-2023.txt"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        first_dates(&run),
        ["2023", "2024-03-05", "2024-07-01", "2023", "2024-02"],
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "tifa: digest-2023.txt:8: the --split line's day 2024-02-30 is not in the calendar; dated 2024-02"
    );
    // A pattern that matches no line leaves the file one article, said.
    let run = w.run_with(
        &["corpus", "--split", "^###", "digest-2023.txt"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "tifa: digest-2023.txt: no line matches --split: read as one article (#0)"
    );
    // The trend has its months.
    let lex = crate::util::root().join(TRAPS);
    let trend = w.run_with(
        &[
            "--lexicon",
            lex.to_str().unwrap(),
            "trend",
            "--period",
            "month",
            "--split",
            "^===",
            "digest-2023.txt",
        ],
        b"",
        Some(w.dir.path()),
    );
    assert!(
        trend.stdout.contains("\n2024-03,two-heavy,1,"),
        "{}",
        trend.stdout
    );
}

/// Pasted HTML gets one warning per file: its tags and entities count as
/// English words. A lone `<` or `&` does not.
#[test]
fn html_leftovers_are_warned_about() {
    let w = Workdir::new();
    w.write(
        "ent.txt",
        "<p>加力扩围实施&ldquo;两新&rdquo;政策，推进&ldquo;两重&rdquo;建设。</p>\n<p>The &quot;two new&quot; program</p>\n",
    );
    w.write("plain.txt", "x < y & z; 两重 R&D 3<4\n");
    let run = count_in(&w, &["ent.txt", "plain.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "tifa: ent.txt: looks like HTML (<p>, &nbsp; ...): tags and entities are counted as English words (lowering rate_en) and can break English forms (white&shy;list); strip them first"
    );
    assert_eq!(lines.len(), 2, "{}", run.stderr);
}

/// Traditional text without `--t2s` matches nothing: a hint says so, once
/// per file; with `--t2s`, or in simplified text, none.
#[test]
fn traditional_text_without_t2s_gets_a_hint() {
    let w = Workdir::new();
    w.write(
        "trad.txt",
        "統籌推進「兩重」建設項目，實施「兩新」政策補貼，發展新質生產力。\n"
            .repeat(5),
    );
    w.write("simp.txt", ARTICLE.repeat(5));
    let run = count_in(&w, &["trad.txt", "simp.txt"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines[0],
        "tifa: trad.txt: looks like traditional Chinese (65 of its first 125 Han characters have a simplified form): the lexicon's simplified forms will not match it; add --t2s"
    );
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    let t2s = count_in(&w, &["--t2s", "trad.txt"]);
    assert_eq!(t2s.stderr.lines().count(), 1, "{}", t2s.stderr);
    assert!(t2s.stdout.contains("two-heavy,两重,two heavy,economy,5,"));
}

/// Without INPUT, the usage error says how to read stdin; stdin whose
/// first line is a JSON object (JSON-LD) but whose other lines are text
/// is read as text, with a warning naming --input-format jsonl.
#[test]
fn stdin_hints() {
    let w = Workdir::new();
    let run = w.run_with(&["count"], b"", Some(w.dir.path()));
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.ends_with(
            "<INPUT>...; to read stdin, give - (... | tifa count -); see tifa count --help\n"
        ),
        "{}",
        run.stderr
    );
    let page = "{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":\"两重\"}\n统筹推进“两重”建设项目。\n加力扩围实施“两新”政策。\n";
    let lex = crate::util::root().join(TRAPS);
    let args = ["--lexicon", lex.to_str().unwrap(), "count", "-"];
    let run = w.run_with(&args, page.as_bytes(), Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "tifa: <stdin>: read as text: 1 of its first 3 lines are JSON objects; --input-format jsonl reads it as JSON Lines"
    );
    assert!(
        run.stdout.contains("two-heavy,两重,two heavy,economy,1,1,0,1,1,")
    );
    // JSON Lines after a first line of something else: read as text, and
    // said (it was silent).
    let lines = "<p>导语</p>\n{\"text\":\"两重\"}\n{\"text\":\"两新\"}\n";
    let run = w.run_with(&args, lines.as_bytes(), Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "tifa: <stdin>: read as text: 2 of its first 3 lines are JSON objects; --input-format jsonl reads it as JSON Lines"
    );
    // JSON Lines whose first record is cut short: still JSON Lines, that
    // record reported and skipped, as in a .jsonl file (it was all read as
    // one text, JSON keys counted as English words).
    let cut = "{\"id\":\"x\",\"text\":\"推进“两重”\n\
               {\"id\":\"a\",\"text\":\"统筹推进“两重”建设项目。\"}\n\
               {\"id\":\"b\",\"text\":\"加力扩围实施“两新”政策。\"}\n";
    let args =
        ["--lexicon", lex.to_str().unwrap(), "count", "--by", "doc", "-"];
    let run = w.run_with(&args, cut.as_bytes(), Some(w.dir.path()));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("tifa: <stdin>:1: invalid JSON"),
        "{}",
        run.stderr
    );
    assert_eq!(run.first_column(), ["a", "b"], "{}", run.stdout);
}

/// `--dedup` reads its inputs twice; stdin can be read once, and its
/// second pass found nothing: 0 documents, exit 0. It is refused.
#[test]
fn dedup_refuses_a_stream() {
    let w = Workdir::new();
    let run = w.run_with(
        &["count", "--dedup", "-"],
        "推进“两重”建设。".as_bytes(),
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "tifa: <stdin>: --dedup reads its inputs twice, and a stream can be \
         read once: save it to a file first\n"
    );
    assert_eq!(run.stdout, "");
}

/// `corpus --by doc` writes its rows as the documents are read, batch by
/// batch, and the `(skipped)` row once the run is over: over a JSONL file
/// read in several batches, with a record and a file skipped, every
/// format ends with that row, with the same bytes at -j1 as at -j2, and
/// the rows add up to the totals of `corpus` without --by.
#[test]
fn by_doc_streams_its_rows_and_ends_with_the_skipped_row() {
    let w = Workdir::new();
    let mut jsonl = String::new();
    for i in 0..3000 {
        jsonl.push_str(&format!(
            "{{\"id\":\"r{i}\",\"date\":\"2025-01-01\",\"text\":\"第{i}条：{ARTICLE}\"}}\n"
        ));
        if i == 1500 {
            jsonl.push_str("not json\n");
        }
    }
    w.write("c/a.jsonl", jsonl);
    w.write("c/b.txt", ARTICLE);
    w.write("c/c.txt", b"\xe4\xb8\xa4\xe9\x87\x8d\0binary");
    w.write("c/d.txt", "AI+ and 两新");
    let run = |args: &[&str]| {
        let run = w.run_with(args, b"", Some(w.dir.path()));
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        run
    };
    let by_doc = |threads, format| {
        run(&["-j", threads, "corpus", "--by", "doc", "--format", format, "c"])
    };
    let csv = by_doc("1", "csv");
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(lines.len(), 1 + 3002 + 1, "{}", csv.stdout);
    assert_eq!(lines[1].split(',').next(), Some("r0"));
    assert_eq!(lines[3002].split(',').next(), Some("c/d.txt"));
    assert_eq!(lines[3003], "(skipped),0,0,0,0,,,0,2");
    // doc,documents,bytes,han_chars,en_words,first_date,last_date,
    // replacements,skipped: the numbers add up to the corpus's.
    let mut sums = [0u64; 9];
    for line in &lines[1..] {
        for (i, cell) in line.split(',').enumerate() {
            sums[i] += cell.parse::<u64>().unwrap_or(0);
        }
    }
    let all = run(&["corpus", "c"]);
    let totals: Vec<&str> =
        all.stdout.lines().nth(1).unwrap().split(',').collect();
    for (i, sum) in
        sums.iter().enumerate().filter(|&(i, _)| ![0, 5, 6].contains(&i))
    {
        assert_eq!(sum.to_string(), totals[i - 1], "{}", lines[0]);
    }
    for format in ["csv", "json", "jsonl", "md", "table"] {
        let one = by_doc("1", format);
        assert!(one.stdout == by_doc("2", format).stdout, "{format} at -j2");
        let last = one.stdout.lines().last().unwrap_or("");
        match format {
            "json" => {
                let rows: Vec<serde_json::Value> =
                    serde_json::from_str(&one.stdout).unwrap();
                assert_eq!(rows.len(), 3003);
                assert_eq!(rows[3002]["doc"], "(skipped)");
                assert_eq!(rows[3002]["skipped"], 2);
            }
            "jsonl" => assert!(
                last.starts_with(r#"{"doc":"(skipped)","documents":0,"#)
                    && last.ends_with(r#""skipped":2}"#),
                "{last}"
            ),
            "md" => {
                assert_eq!(last, "| (skipped) | 0 | 0 | 0 | 0 |  |  | 0 | 2 |")
            }
            "table" => assert!(
                last.starts_with("(skipped) ") && last.ends_with(" 2"),
                "{last}"
            ),
            _ => assert_eq!(last, "(skipped),0,0,0,0,,,0,2"),
        }
    }
}

/// What follows a day is a time of day or nothing: trailing words, an
/// hour 25, or a day after a month are no date, with a warning, where they
/// dated the document by the part before them. A JSON number with a
/// fraction is no date either: `2024.10` (October) arrives as 2024.1.
#[test]
fn loose_timestamps_and_fractional_numbers_are_no_dates() {
    let w = Workdir::new();
    let records = [
        ("ok1", r#""2024-03-05T23:30:00+08:00""#),
        ("ok2", r#""2024/3/5 8:00""#),
        ("bad1", r#""2024-03-05Tgarbage""#),
        ("bad2", r#""2024-03-05 anything at all""#),
        ("bad3", r#""2024-03 05""#),
        ("bad4", r#""2024-03-05T25:00:00""#),
        ("float", "2024.10"),
        ("int", "202410"),
    ];
    let lines: Vec<String> = (records.iter())
        .map(|(id, date)| {
            format!(r#"{{"id":"{id}","date":{date},"text":"{ARTICLE}"}}"#)
        })
        .collect();
    w.write("d.jsonl", lines.join("\n"));
    let run = w.run(&[
        "corpus",
        "--by",
        "doc",
        &w.path("d.jsonl").display().to_string(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        first_dates(&run),
        ["2024-03-05", "2024-03-05", "", "", "", "", "", "2024-10"]
    );
    for line in 3..=6 {
        assert!(
            run.stderr.contains(&format!("d.jsonl:{line}: field \"date\": ")),
            "{}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains(
            "d.jsonl:7: field \"date\" is the number 2024.1, not a date: write dates as strings (\"2024-10\"); kept undated"
        ),
        "{}",
        run.stderr
    );
}

/// The same problem with different values is one problem: shown five
/// times and then counted, not a line per value (3,000 dates written
/// month/day/year took 2,521 lines). Day-first and month-first dates are
/// said to be so.
#[test]
fn warnings_that_differ_only_in_their_values_are_counted_together() {
    let w = Workdir::new();
    let lines: Vec<String> = (1..=12)
        .map(|i| {
            format!(
                r#"{{"id":"r{i}","date":"{i:02}/05/2024","text":"{ARTICLE}"}}"#
            )
        })
        .collect();
    w.write("us.jsonl", lines.join("\n"));
    let run = w.run(&["count", &w.path("us.jsonl").display().to_string()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let warnings: Vec<&str> =
        run.stderr.lines().filter(|l| l.contains("us.jsonl")).collect();
    assert_eq!(warnings.len(), 6, "{}", run.stderr);
    assert!(
        warnings[0].ends_with(
            "us.jsonl:1: field \"date\": \"01/05/2024\" is not a date: the year comes first (2024-03-05); month/day/year and day.month.year are ambiguous; kept undated"
        ),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[5].ends_with(
            "us.jsonl: 7 more times: field \"date\": \"…\" is not a date: the year comes first (2024-03-05); month/day/year and day.month.year are ambiguous; kept undated"
        ),
        "{}",
        warnings[5]
    );
}

/// A field named as tifa's date (or text, id, title, source) field is but
/// for case or spaces is said once a file, with the option that reads
/// it: read as other metadata, it left every document undated in silence.
#[test]
fn a_field_named_like_the_date_field_is_said_once_a_file() {
    let w = Workdir::new();
    w.write(
        "d.csv",
        format!(
            "id,Date,text\nx1,2024-03-05,{ARTICLE}\nx2,2024-04-05,{ARTICLE}\n"
        ),
    );
    w.write(
        "t.jsonl",
        format!("{{\"id\":\"a\",\" title \":\"T\",\"text\":\"{ARTICLE}\"}}\n"),
    );
    let (csv, jsonl) = (w.path("d.csv"), w.path("t.jsonl"));
    let run = w.run(&[
        "corpus",
        "--by",
        "doc",
        csv.to_str().unwrap(),
        jsonl.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let said: Vec<&str> =
        run.stderr.lines().filter(|l| l.contains("is not read as")).collect();
    assert_eq!(said.len(), 2, "{}", run.stderr);
    assert!(said[0].ends_with(
        "d.csv:2: field \"Date\" is not read as the date: field names are matched exactly; --date-field Date reads it"
    ));
    assert!(said[1].ends_with(
        "t.jsonl:1: field \" title \" is not read as the title: field names are matched exactly; --title-field ' title ' reads it"
    ));
    let run = w.run(&[
        "corpus",
        "--by",
        "doc",
        "--date-field",
        "Date",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(first_dates(&run), ["2024-03-05", "2024-04-05"]);
    assert!(!run.stderr.contains("is not read as"), "{}", run.stderr);
}

/// `--since` and `--until` leave undated documents out, as no date is in
/// the range; the summary counts them apart from those dated outside it,
/// and a report says what its range left out.
#[test]
fn a_date_range_counts_undated_documents_apart() {
    let w = Workdir::new();
    w.write(
        "r.jsonl",
        [
            format!(r#"{{"id":"a","date":"2020-05-01","text":"{ARTICLE}"}}"#),
            format!(r#"{{"id":"b","date":"2024-05-01","text":"{ARTICLE}"}}"#),
            format!(r#"{{"id":"c","text":"{ARTICLE}"}}"#),
            format!(r#"{{"id":"d","text":"{ARTICLE}"}}"#),
        ]
        .join("\n"),
    );
    let input = w.path("r.jsonl").display().to_string();
    let run = w.run(&["count", "--since", "2021", &input]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("1 document, 0.0 MB")
            && run.stderr.contains(
                "0 skipped; 1 out of date range and 2 undated; 0 duplicates"
            ),
        "{}",
        run.stderr
    );
    let out = w.path("rep");
    let run = w.run(&[
        "report",
        "--since",
        "2021",
        "--out",
        out.to_str().unwrap(),
        &input,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(
        index.contains(
            "- 1 document, dated 2024-05-01 to 2024-05-01 (kept by --since 2021: 1 dated outside the range and 2 undated left out)"
        ),
        "{index}"
    );
    let summary: serde_json::Value = serde_json::from_slice(
        &std::fs::read(out.join("summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        summary["date_range"],
        serde_json::json!({"since": "2021", "until": null, "left_out_dated": 1, "left_out_undated": 2})
    );
}

/// `--by week` puts a group dated by month alone before the weeks that
/// start in that month, by date: as text, every month of a year came
/// before its first week.
#[test]
fn month_only_groups_sort_among_weeks_by_date() {
    let w = Workdir::new();
    let dates = [
        "2024-06",
        "2024-12",
        "2024-01-02",
        "2024-06-02",
        "2024-06-05",
        "2024-12-31",
        "2025",
    ];
    let lines: Vec<String> = (dates.iter().enumerate())
        .map(|(i, d)| {
            format!(r#"{{"id":"d{i}","date":"{d}","text":"{ARTICLE}"}}"#)
        })
        .collect();
    w.write("w.jsonl", lines.join("\n"));
    let run = w.run(&[
        "corpus",
        "--by",
        "week",
        &w.path("w.jsonl").display().to_string(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.first_column(),
        [
            "2024-W01",
            "2024-W22",
            "2024-06 (month only)",
            "2024-W23",
            "2024-12 (month only)",
            "2025-W01",
            "2025 (year only)",
        ]
    );
}

/// Advice that left nothing out is shown for five files and the others
/// counted (a folder of traditional files is not a line a file); a file
/// left out is always named.
#[test]
fn advice_is_shown_for_five_files_and_skipped_files_all_named() {
    let w = Workdir::new();
    for i in 1..=7 {
        w.write(
            &format!("hk/{i}.txt"),
            "國務院總理在政府工作報告中說，要推動經濟發展，擴大國內需求，實現高質量發展。",
        );
        w.write(&format!("bin/{i}.txt"), b"\x00\x01binary".as_slice());
    }
    let run = count_in(&w, &["hk", "bin"]);
    let lines: Vec<&str> = run.stderr.lines().collect();
    let named: Vec<&str> = (lines.iter())
        .filter(|l| l.contains("looks like traditional Chinese"))
        .map(|l| l.split(": ").nth(1).unwrap())
        .collect();
    assert_eq!(
        named,
        [
            "hk/1.txt",
            "hk/2.txt",
            "hk/3.txt",
            "hk/4.txt",
            "hk/5.txt",
            "2 more files"
        ],
        "{}",
        run.stderr
    );
    let binary = lines.iter().filter(|l| l.starts_with("tifa: bin/")).count();
    assert_eq!(binary, 7, "{}", run.stderr);
}
