//! `tifa cooc` end to end: measures against values computed by hand,
//! each unit, the options, and snapshots of the three outputs.

use std::collections::BTreeMap;

use crate::cli_scan::records;
use crate::util::{
    CORPUS, TRAPS, Workdir, snapshot_settings, tifa, with_traps,
};

const HEADER: &str =
    "term_a,term_b,n_ab,n_a,n_b,n_units,pmi,npmi,dice,jaccard,llr";

/// Runs tifa with the traps lexicon; its stdout.
fn run(args: &[&str]) -> String {
    with_traps(args)
}

fn cooc(w: &Workdir, args: &[&str]) -> String {
    let dir = w.dir.path().to_str().unwrap();
    let mut all = vec!["cooc", dir];
    all.extend_from_slice(args);
    run(&all)
}

fn lines(header: &str, rows: &[&str]) -> String {
    let mut s = format!("{header}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

/// Four documents: {M, Q}, {Q}, {M, A}, {} with A = ai-plus, M =
/// chinese-modernization, Q = new-quality-productive-forces. N = 4.
///
/// (A, M): n_ab=1, n_a=1, n_b=2. pmi = log2(1·4/(1·2)) = 1; npmi =
/// 1/−log2(1/4) = 0.5; dice = 2/3; jaccard = 1/(1+2−1) = 0.5. The 2×2
/// table is [[1,0],[1,2]] with expected [[0.5,0.5],[1.5,1.5]]: G² =
/// 2(1·ln 2 + 1·ln(1/1.5) + 2·ln(2/1.5)) = 2(0.693147 − 0.405465 +
/// 0.575364) = 1.726092.
///
/// (M, Q): n_ab=1, n_a=2, n_b=2: exactly chance. pmi = log2(4/4) = 0,
/// npmi = 0, dice = 2/4, jaccard = 1/3; every cell and every expected
/// count is 1, G² = 0.
#[test]
fn measures_by_hand_per_document() {
    let w = Workdir::new();
    w.write("a.txt", "推进中国式现代化，发展新质生产力。");
    w.write("b.txt", "发展新质生产力。");
    w.write("c.txt", "中国式现代化需要人工智能+。");
    w.write("d.txt", "今天天气很好。");
    assert_eq!(
        cooc(&w, &[]),
        lines(
            HEADER,
            &[
                "ai-plus,chinese-modernization,1,1,2,4,1.0,0.5,0.6667,0.5,1.7261",
                "chinese-modernization,new-quality-productive-forces,1,2,2,4,0.0,0.0,0.5,0.3333,0.0",
            ]
        )
    );
}

/// Edge weights must be positive for Gephi: pairs at or below chance
/// (pmi, npmi ≤ 0) are left out of `--edges`, with one warning saying how
/// many. On the four documents above, (M, Q) is exactly at chance; in
/// three paragraphs {M, Q}, {M}, {Q} it is below (npmi −0.2619).
#[test]
fn edges_leave_out_weights_not_above_zero() {
    let w = Workdir::new();
    w.write("a.txt", "推进中国式现代化，发展新质生产力。");
    w.write("b.txt", "发展新质生产力。");
    w.write("c.txt", "中国式现代化需要人工智能+。");
    w.write("d.txt", "今天天气很好。");
    let dir = w.dir.path().to_str().unwrap();
    let edges = |args: &[&str]| {
        let run =
            tifa(&[&["--lexicon", TRAPS, "cooc", "--edges"], args].concat());
        assert_eq!(run.code, 0, "{}", run.stderr);
        (run.stdout, run.stderr)
    };
    let (out, err) = edges(&[dir, "--weight", "pmi"]);
    assert_eq!(
        out,
        lines("Source,Target,Weight", &["ai-plus,chinese-modernization,1.0"])
    );
    assert!(
        err.lines().any(|l| l
            == "tifa: warning: cooc --edges: left out 1 pair with pmi ≤ 0 \
                (together no more often than chance): edge weights must be \
                positive"),
        "{err}"
    );
    // n_ab is never below 1: nothing left out, nothing said.
    let (out, err) = edges(&[dir, "--weight", "n_ab"]);
    assert_eq!(out.lines().count(), 3, "{out}");
    assert!(!err.contains("left out"), "{err}");

    let w = Workdir::new();
    w.write(
        "t.txt",
        "中国式现代化和新质生产力。\n中国式现代化。\n新质生产力。\n",
    );
    let dir = w.dir.path().to_str().unwrap();
    let (out, err) = edges(&[dir, "--unit", "paragraph", "--weight", "npmi"]);
    assert_eq!(out, "Source,Target,Weight\n");
    assert!(err.contains("left out 1 pair with npmi ≤ 0"), "{err}");
}

/// One text, read by sentence, paragraph and document. The zh and en
/// mentions of M in the first sentence are one term.
///
/// Sentences (5): {M, Q}, {Q, M}, 今天。, "The U.S. economy grew.",
/// "No. 1 is here." (U.S. and No. end none). n_ab = n_a = n_b = 2, N =
/// 5: pmi = log2(2·5/4) = 1.321928 = −log2(2/5), so npmi = 1; dice =
/// jaccard = 1; table [[2,0],[0,3]], expected [[0.8,1.2],[1.2,1.8]]: G² =
/// 2(2·ln 2.5 + 3·ln(5/3)) = 2(1.832581 + 1.532477) = 6.730117.
///
/// Paragraphs (2): {M, Q}, {}: n_ab = n_a = n_b = 1, N = 2: pmi = log2(2)
/// = 1, npmi = 1 (n_ab ≠ N: 1/−log2(1/2)); table [[1,0],[0,1]], expected
/// 0.5 each: G² = 2(2·ln 2) = 2.772589.
///
/// Document (1): n_ab = N = 1: pmi = log2(1) = 0, npmi = 1 by convention
/// (0/0), G² = 0 (the one cell equals its expectation).
#[test]
fn measures_by_hand_per_sentence_paragraph_and_document() {
    let w = Workdir::new();
    w.write(
        "t.txt",
        "中国式现代化（Chinese modernization）和新质生产力。\
         新质生产力与中国式现代化！今天。\n\
         The U.S. economy grew. No. 1 is here.\n",
    );
    let pair = "chinese-modernization,new-quality-productive-forces";
    assert_eq!(
        cooc(&w, &["--unit", "sentence"]),
        lines(HEADER, &[&format!("{pair},2,2,2,5,1.3219,1.0,1.0,1.0,6.7301")])
    );
    assert_eq!(
        cooc(&w, &["--unit", "paragraph"]),
        lines(HEADER, &[&format!("{pair},1,1,1,2,1.0,1.0,1.0,1.0,2.7726")])
    );
    assert_eq!(
        cooc(&w, &["--unit", "doc"]),
        lines(HEADER, &[&format!("{pair},1,1,1,1,0.0,1.0,1.0,1.0,0.0")])
    );
}

/// Paragraphs of a CRLF file: three lines with text, one blank line.
/// (M, Q): n_ab=1, n_a=2, n_b=2, N=3: pmi = log2(3/4) = −0.415037; npmi
/// = −0.415037/log2(3) = −0.261860; table [[1,1],[1,0]], expected
/// [[4/3,2/3],[2/3,1/3]]: G² = 2(ln(3/4) + 2·ln(3/2)) = 2(−0.287682 +
/// 0.810930) = 1.046496.
#[test]
fn paragraphs_of_a_crlf_file() {
    let w = Workdir::new();
    w.write(
        "crlf.txt",
        "中国式现代化\r\n新质生产力\r\n\r\n中国式现代化和新质生产力\r\n",
    );
    assert_eq!(
        cooc(&w, &["--unit", "paragraph"]),
        lines(
            HEADER,
            &[
                "chinese-modernization,new-quality-productive-forces,1,2,2,3,-0.415,-0.2619,0.5,0.3333,1.0465",
            ]
        )
    );
}

/// Q starts at character 0 and M at character 8. A window opens at each
/// match: Q's holds M when N ≥ 8, M's holds M alone. window:8: N=2,
/// n_Q=1, n_M=2, n_ab=1: pmi = log2(1·2/(1·2)) = 0, npmi = 0, dice =
/// 2/3, jaccard = 1/2, table [[1,0],[1,0]] equals its expectation: G² =
/// 0. window:7: no pair.
#[test]
fn windows_by_hand() {
    let w = Workdir::new();
    w.write("w.txt", "新质生产力abc中国式现代化");
    assert_eq!(
        cooc(&w, &["--unit", "window:8"]),
        lines(
            HEADER,
            &[
                "chinese-modernization,new-quality-productive-forces,1,2,1,2,0.0,0.0,0.6667,0.5,0.0",
            ]
        )
    );
    assert_eq!(cooc(&w, &["--unit", "window:7"]), lines(HEADER, &[]));
}

#[test]
fn snapshots() {
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("cooc_csv", run(&["cooc", CORPUS]));
        insta::assert_snapshot!(
            "cooc_sentence_by_llr",
            run(&["cooc", "--unit", "sentence", "--sort", "llr", CORPUS])
        );
        insta::assert_snapshot!(
            "cooc_window_by_year",
            run(&[
                "cooc",
                "--unit",
                "window:40",
                "--by",
                "year",
                "--format",
                "table",
                CORPUS
            ])
        );
        insta::assert_snapshot!(
            "cooc_edges",
            run(&["cooc", "--edges", "--weight", "npmi", CORPUS])
        );
        insta::assert_snapshot!(
            "cooc_matrix",
            run(&["cooc", "--matrix", CORPUS])
        );
    });
}

/// With `--unit doc`, n_units is the number of documents and n_a the
/// `docs` column of count, for every term, with the built-in lexicon.
#[test]
fn documents_agree_with_count() {
    let count = tifa(&["count", CORPUS, "examples"]);
    let docs: BTreeMap<String, String> = records(&count.stdout)
        .into_iter()
        .map(|r| (r["term"].clone(), r["docs"].clone()))
        .collect();
    let pairs = tifa(&["cooc", CORPUS, "examples"]);
    assert_eq!(pairs.code, 0, "{}", pairs.stderr);
    let rows = records(&pairs.stdout);
    assert!(!rows.is_empty());
    let corpus = tifa(&["corpus", CORPUS, "examples"]);
    let documents = records(&corpus.stdout)[0]["documents"].clone();
    for r in rows {
        assert_eq!(r["n_units"], documents);
        assert_eq!(r["n_a"], docs[&r["term_a"]], "{}", r["term_a"]);
        assert_eq!(r["n_b"], docs[&r["term_b"]], "{}", r["term_b"]);
        assert!(r["term_a"] < r["term_b"]);
    }
}

/// The matrix holds the table's n_ab off the diagonal (symmetric) and
/// n_a on it.
#[test]
fn matrix_agrees_with_pairs() {
    for unit in ["doc", "sentence"] {
        let rows = records(&run(&["cooc", "--unit", unit, CORPUS]));
        let matrix =
            records(&run(&["cooc", "--unit", unit, "--matrix", CORPUS]));
        let cell = |a: &str, b: &str| -> String {
            matrix.iter().find(|r| r["term"] == a).unwrap()[b].clone()
        };
        let mut nonzero = 0;
        for r in &matrix {
            for (col, v) in r {
                if col != "term" && col != &r["term"] && v != "0" {
                    nonzero += 1;
                }
            }
        }
        assert_eq!(nonzero, 2 * rows.len(), "{unit}");
        for r in &rows {
            let (a, b) = (&r["term_a"], &r["term_b"]);
            assert_eq!(cell(a, b), r["n_ab"]);
            assert_eq!(cell(b, a), r["n_ab"]);
            assert_eq!(cell(a, a), r["n_a"]);
            assert_eq!(cell(b, b), r["n_b"]);
        }
    }
}

/// Grouped, each group's rows form a square: one row per column term,
/// with zeros for a term the group lacks.
#[test]
fn matrix_by_group_is_square_per_group() {
    let matrix = records(&run(&["cooc", "--matrix", "--by", "year", CORPUS]));
    let columns = matrix[0].len() - 2;
    let mut rows: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in &matrix {
        rows.entry(&r["year"]).or_default().push(&r["term"]);
    }
    assert!(rows.len() > 1, "{rows:?}");
    for (year, terms) in &rows {
        assert_eq!(terms.len(), columns, "{year}");
        assert!(terms.iter().all(|t| matrix[0].contains_key(*t)), "{year}");
    }
    // A group lacking a term has a row of zeros for it.
    assert!(matrix.iter().any(|r| {
        r.iter().all(|(c, v)| c == "year" || c == "term" || v == "0")
    }));
}

#[test]
fn term_min_and_sort() {
    let all = records(&run(&["cooc", "--unit", "doc", CORPUS]));
    // By a form or an id: pairs with that term only.
    let q = records(&run(&["cooc", "--term", "新质生产力", CORPUS]));
    let want: Vec<_> = all
        .iter()
        .filter(|r| {
            r["term_a"] == "new-quality-productive-forces"
                || r["term_b"] == "new-quality-productive-forces"
        })
        .cloned()
        .collect();
    assert!(!want.is_empty());
    assert_eq!(q, want);
    let min2 = records(&run(&["cooc", "--min", "2", CORPUS]));
    let want: Vec<_> =
        all.iter().filter(|r| r["n_ab"] != "1").cloned().collect();
    assert_eq!(min2, want);
    let by_llr = records(&run(&["cooc", "--sort", "llr", CORPUS]));
    let llr: Vec<f64> =
        by_llr.iter().map(|r| r["llr"].parse().unwrap()).collect();
    assert!(llr.windows(2).all(|w| w[0] >= w[1]), "{llr:?}");
    assert_eq!(by_llr.len(), all.len());
}

#[test]
fn same_output_whatever_the_threads() {
    let args = |j: &'static str| {
        vec![
            "--lexicon",
            TRAPS,
            j,
            "cooc",
            "--unit",
            "sentence",
            "--by",
            "doc",
            CORPUS,
            "examples",
        ]
    };
    let a = tifa(&args("-j1"));
    let b = tifa(&args("-j4"));
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout);
    assert!(a.stdout.lines().count() > 1);
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        &["cooc", "--unit", "window:0", CORPUS][..],
        &["cooc", "--unit", "line", CORPUS],
        &["cooc", "--min", "0", CORPUS],
        &["cooc", "--weight", "llr", CORPUS],
        &["cooc", "--edges", "--matrix", CORPUS],
        &["cooc", "--sort", "hits", CORPUS],
        &["cooc", "--term", "no-such-term", CORPUS],
    ] {
        let mut all = vec!["--lexicon", TRAPS];
        all.extend_from_slice(args);
        let r = tifa(&all);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.is_empty());
    }
}

/// The matrix is ordered by term id: `--sort` would do nothing there.
#[test]
fn sort_with_matrix_is_refused() {
    let run = tifa(&["cooc", "--matrix", "--sort", "llr", CORPUS]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("'--matrix' cannot be used with '--sort"));
}

/// `--sites` lists the units behind each pair's `n_ab`: grouped by pair,
/// its rows are the table's `n_ab`, for every unit, `--by` and `--min`;
/// each row's offsets cut its unit's text out of the document.
#[test]
fn sites_add_up_to_n_ab() {
    for unit in ["doc", "paragraph", "sentence", "window:30"] {
        for extra in [&[][..], &["--by", "year"], &["--min", "2"]] {
            let args = [&["cooc", CORPUS, "--unit", unit], extra].concat();
            let table = records(&run(&args));
            let sites = records(&run(&[&args[..], &["--sites"]].concat()));
            let key = |r: &BTreeMap<String, String>| {
                let group = r.get("year").cloned().unwrap_or_default();
                (group, r["term_a"].clone(), r["term_b"].clone())
            };
            let mut from_sites: BTreeMap<_, u64> = BTreeMap::new();
            for site in &sites {
                *from_sites.entry(key(site)).or_default() += 1;
            }
            let from_table: BTreeMap<_, u64> = table
                .iter()
                .map(|r| (key(r), r["n_ab"].parse().unwrap()))
                .collect();
            assert!(!extra.is_empty() || !from_table.is_empty(), "{unit}");
            assert_eq!(from_sites, from_table, "{unit} {extra:?}");
        }
    }
    let sites =
        records(&run(&["cooc", CORPUS, "--unit", "sentence", "--sites"]));
    for site in &sites {
        let path = crate::util::root().join(&site["doc"]);
        let text = std::fs::read_to_string(&path).unwrap();
        let (start, end): (usize, usize) =
            (site["start"].parse().unwrap(), site["end"].parse().unwrap());
        assert_eq!(
            text[start..end].replace("\r\n", "⏎").replace(['\n', '\r'], "⏎"),
            site["text"],
            "{site:?}"
        );
    }
}

/// `--sites` are written in corpus order whatever the groups, from a
/// second pass over files (memory does not grow with them) and from the
/// one pass over stdin alike: a file read as a stream gives the same rows.
#[test]
fn sites_come_in_corpus_order_from_files_and_stdin() {
    let w = Workdir::new();
    let a =
        "推进中国式现代化，发展新质生产力。\n\n中国式现代化需要人工智能+。";
    let b = "发展新质生产力，推进中国式现代化。";
    w.write("a.txt", a);
    w.write("b.txt", b);
    // Named so that the later year comes first in corpus order.
    w.write("metadata.csv", "file,date\na.txt,2024-03-05\nb.txt,2019-01-01\n");
    let dir = w.dir.path().to_str().unwrap();
    let args = ["cooc", "--sites", "--unit", "paragraph", "--by", "year"];
    let sites = w.run(&[&args[..], &[dir]].concat());
    assert_eq!(sites.code, 0, "{}", sites.stderr);
    let rows = records(&sites.stdout);
    let order: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r["year"].as_str(), r["term_a"].as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("2024", "chinese-modernization"),
            ("2024", "ai-plus"),
            ("2019", "chinese-modernization"),
        ]
    );
    // One JSONL stream holding both documents, in the same order.
    let jsonl = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "a", "date": "2024-03-05", "text": a}),
        serde_json::json!({"id": "b", "date": "2019-01-01", "text": b}),
    );
    let file = w.write("both.jsonl", &jsonl);
    let from_file = w.run(&[&args[..], &[file.to_str().unwrap()]].concat());
    let from_stdin = w.run_with(
        &[&args[..], &["--input-format", "jsonl", "-"]].concat(),
        jsonl.as_bytes(),
        None,
    );
    assert_eq!(from_file.code, 0, "{}", from_file.stderr);
    let cells = |run: &crate::util::Run| -> Vec<Vec<String>> {
        records(&run.stdout)
            .iter()
            .map(|r| {
                ["year", "term_a", "term_b", "start", "end", "text"]
                    .map(|c| r[c].clone())
                    .to_vec()
            })
            .collect()
    };
    assert_eq!(cells(&from_stdin), cells(&from_file));
    assert_eq!(cells(&from_file).len(), 3);
}

/// `--term` names terms by label and full-width form, as `kwic` does.
#[test]
fn term_accepts_labels_and_full_width_forms() {
    let by_id = with_traps(&["cooc", CORPUS, "--term", "ai-plus"]);
    assert!(by_id.lines().count() > 1, "{by_id}");
    for name in ["人工智能＋", "ａｉ＋"] {
        assert_eq!(
            with_traps(&["cooc", CORPUS, "--term", name]),
            by_id,
            "{name}"
        );
    }
}
