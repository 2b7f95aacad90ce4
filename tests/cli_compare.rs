//! `tifa compare` end to end: two corpora, and one corpus split at a date.

use crate::util::{CORPUS, TRAPS, Workdir, snapshot_settings, tifa};

#[test]
fn two_corpora() {
    let run = tifa(&["--lexicon", TRAPS, "compare", "examples", CORPUS]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "A = examples (8 documents), B = {CORPUS} (6 documents)"
        )),
        "{}",
        run.stderr
    );
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("compare_two_corpora", run.stdout));
}

#[test]
fn split_date() {
    let run = tifa(&[
        "--lexicon",
        TRAPS,
        "compare",
        CORPUS,
        "--split-date",
        "2025-01-01",
        "--format",
        "table",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("compare_split_date", run.stdout));
    // 人工智能+ only in 2025, six times: significant, so `new`.
    let ai = run.stdout.lines().nth(1).unwrap();
    assert!(ai.starts_with("ai-plus ") && ai.ends_with("new"), "{ai}");
}

#[test]
fn a_term_gone_and_one_rising() {
    // A: 200 Han characters with 两重 ten times; B: the same size with
    // 两新 ten times and 两重 once.
    let w = Workdir::new();
    let filler = |n: usize| "经".repeat(n);
    w.write("a/2023.txt", "两重建设。".repeat(10) + &filler(160));
    w.write("b/2024.txt", "两新，".repeat(10) + "两重建设" + &filler(176));
    let (a, b) = (w.path("a"), w.path("b"));
    let run = tifa(&[
        "--lexicon",
        TRAPS,
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<Vec<&str>> =
        run.stdout.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let row = |term: &str| rows.iter().find(|r| r[0] == term).unwrap().clone();
    assert_eq!(row("two-new")[1..3], ["0", "10"]);
    assert_eq!(row("two-new")[8], "new");
    assert_eq!(row("two-heavy")[1..3], ["10", "1"]);
    assert_eq!(row("two-heavy")[8], "falling");
    // Both sides have 200 tokens: 10 hits are 500 per 10,000.
    assert_eq!(row("two-heavy")[3], "500.0");
    // log2(10 / 0.5): the zero in A counts as 0.5.
    assert_eq!(row("two-new")[5], "4.3219");
}

#[test]
fn undated_and_straddling_documents_are_left_out() {
    let w = Workdir::new();
    w.write("c/2024-01-05.txt", "两重建设");
    w.write("c/2024.txt", "两重建设");
    w.write("c/notes.txt", "两重建设");
    w.write("c/2024-06-01.txt", "两重建设");
    let run = tifa(&[
        "--lexicon",
        TRAPS,
        "compare",
        w.path("c").to_str().unwrap(),
        "--split-date",
        "2024-03",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("\ntwo-heavy,1,1,"), "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "A = 1 document dated before 2024-03, B = 1 document from \
             2024-03 on; left out 1 document without a date and 1 document \
             whose date spans 2024-03"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn needs_two_inputs_or_a_split_date() {
    let run = tifa(&["compare", CORPUS]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("two inputs A and B"), "{}", run.stderr);
    assert_eq!(tifa(&["compare", CORPUS, "--split-date", "2024-13"]).code, 2);
}

/// A side without documents is an error naming it, with no output file:
/// against nothing, every term came out "stable" with exit 0.
#[test]
fn an_empty_side_is_an_error() {
    let w = Workdir::new();
    let out = w.path("out.csv");
    let out = out.to_str().unwrap();
    let compare = |args: &[&str]| {
        let run = tifa(
            &[&["--lexicon", TRAPS, "--quiet", "-o", out, "compare"], args]
                .concat(),
        );
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
        assert!(!w.path("out.csv").exists());
        run.stderr
    };
    assert_eq!(
        compare(&[CORPUS, "--split-date", "2000-01-01"]),
        "tifa: compare: A is empty: no document dated before 2000-01-01 \
         (B has 6 documents); nothing to compare\n"
    );
    assert_eq!(
        compare(&[CORPUS, "--split-date", "2030-01-01"]),
        "tifa: compare: B is empty: no document dated from 2030-01-01 on \
         (A has 6 documents); nothing to compare\n"
    );
    std::fs::create_dir(w.path("empty")).unwrap();
    let empty = w.path("empty");
    let err = compare(&[empty.to_str().unwrap(), CORPUS]);
    // Found no file in, an empty folder fails before it is compared.
    assert_eq!(
        err,
        format!(
            "tifa: {}: no file to read (folders are read for .txt, .md, \
             .jsonl, .ndjson and .csv files; - reads stdin); nothing \
             written\n",
            empty.display()
        ),
    );
    // Documents, but nothing to weigh a rate on.
    w.write("figures/table.txt", "12345 ６７ 3.5%\n");
    let figures = w.path("figures");
    assert_eq!(
        compare(&[figures.to_str().unwrap(), CORPUS]),
        format!(
            "tifa: compare: A has no text to weigh: 1 document in {}, with \
             no Han character and no English word; nothing to compare\n",
            figures.display()
        )
    );
}
