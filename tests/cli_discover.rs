//! `tifa discover` end to end, on `fixtures/discover`: six short articles
//! written for these tests, 2023 (the reference) and 2024 (the target).
//! They quote a phrase that is new in 2024 (“耐心资本”, also in English),
//! phrases the reference has too (“五个必须”, “三新一高”), a recurring n-gram
//! (数智化转型), numbered junk (三个月, 两个项目), and strings the traps
//! lexicon covers (“两重”, “两重建设”, "two heavy").

use crate::util::{
    TRAPS, Workdir, fixture, snapshot_settings, tifa, with_traps,
};

const ALL: &str = "tests/fixtures/discover";

fn discover(args: &[&str]) -> String {
    let mut all = vec!["--format", "csv", "discover"];
    all.extend_from_slice(args);
    with_traps(&all)
}

fn candidates(csv: &str) -> Vec<(String, String)> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let mut cells = l.split(',');
            let c = cells.next().unwrap_or_default().to_string();
            let kind = cells.nth(1).unwrap_or_default().to_string();
            (c, kind)
        })
        .collect()
}

#[test]
fn keyness_against_earlier_documents() {
    let out = discover(&[ALL, "--reference-before", "2024-01-01"]);
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("discover_reference_before", out));
    let rows = candidates(&out);
    // New in 2024, so first; the formulas the reference has score lower.
    assert_eq!(rows[0], ("耐心资本".into(), "quoted".into()));
    assert!(rows.iter().any(|r| r.0 == "五个必须" && r.1 == "numbered"));
}

/// A reference without English: an English phrase new in the target is
/// measured in all the text of both sides (Han characters and words), and
/// scores above 0, as new phrases do, where against no English words at
/// all every English phrase scored 0.
#[test]
fn english_phrases_against_a_chinese_reference() {
    let w = Workdir::new();
    w.write("c/2023-01-01.txt", "会议强调稳中求进，推动高质量发展。\n");
    w.write(
        "c/2024-03-01.txt",
        "Analysts call it \"investment in people\". 专家称之为投资于人。\n",
    );
    w.write(
        "c/2024-06-01.txt",
        "Again \"investment in people\" and \"investment in people\".\n",
    );
    let args = [
        "--format",
        "csv",
        "discover",
        "c",
        "--since",
        "2024",
        "--reference-before",
        "2024",
        "--kind",
        "quoted",
    ];
    let run = w.run_with(&args, b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let row = run.stdout.lines().nth(1).unwrap_or_default();
    let cells: Vec<&str> = row.split(',').collect();
    assert_eq!(cells[..2], ["investment in people", "en"], "{}", run.stdout);
    let score: f64 = cells[6].parse().unwrap();
    assert!(score > 0.0, "{}", run.stdout);
}

#[test]
fn a_reference_corpus_gives_the_same_table() {
    let by_date = discover(&[ALL, "--reference-before", "2024-01-01"]);
    let apart = discover(&[
        "tests/fixtures/discover/2024",
        "--reference",
        "tests/fixtures/discover/2023",
    ]);
    assert_eq!(by_date, apart);
}

#[test]
fn frequency_without_reference() {
    let out = discover(&[ALL, "--kind", "quoted,numbered", "--min-docs", "1"]);
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("discover_frequency", out));
}

#[test]
fn covered_candidates_and_junk_are_left_out() {
    let out = discover(&[ALL, "--min-hits", "1", "--min-docs", "1"]);
    let rows = candidates(&out);
    for (c, kind) in &rows {
        // Forms of the traps lexicon, and a quoted phrase holding one.
        assert!(!c.contains("两重") && !c.contains("两新"), "{c}");
        assert!(!c.eq_ignore_ascii_case("two heavy"), "{c}");
        if kind == "numbered" {
            assert!(!["三个月", "两个项目"].contains(&c.as_str()), "{c}");
        }
    }
    assert!(rows.contains(&("patient capital".into(), "quoted".into())));
    assert!(rows.contains(&("数智化转型".into(), "ngram".into())));
    // An n-gram that is also a quoted or numbered candidate is not listed
    // again as an n-gram.
    assert!(!rows.contains(&("三新一高".into(), "ngram".into())));
}

#[test]
fn same_output_whatever_the_thread_count() {
    let args = [ALL, "--reference-before", "2024", "--min-hits", "1"];
    let one = discover(&[&args[..], &["-j", "1"]].concat());
    let three = discover(&[&args[..], &["-j", "3"]].concat());
    assert_eq!(one, three);
}

#[test]
fn kinds_and_limits() {
    let out = discover(&[ALL, "--kind", "numbered", "--limit", "1"]);
    let rows = candidates(&out);
    assert_eq!(rows.len(), 1, "{out}");
    assert_eq!(rows[0].1, "numbered");
    assert!(out.starts_with(
        "candidate,lang,kind,hits,docs,first_seen,score,example\n"
    ));
}

#[test]
fn overlapping_target_and_reference_is_a_usage_error() {
    let run = tifa(&[
        "discover",
        ALL,
        "--since",
        "2023-06-01",
        "--reference-before",
        "2024-01-01",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--reference-before"), "{}", run.stderr);
    let run = tifa(&["discover", ALL, "--kind", "words"]);
    assert_eq!(run.code, 2);
}

/// `first_seen` is the earliest date of the candidate in anything read:
/// “五个必须”, quoted in the 2024 target and already in the 2023
/// reference, was first seen in 2023.
#[test]
fn first_seen_looks_into_the_reference() {
    let out = discover(&[
        ALL,
        "--since",
        "2024",
        "--reference-before",
        "2024",
        "--min-hits",
        "1",
        "--min-docs",
        "1",
    ]);
    let row = out
        .lines()
        .find(|l| l.starts_with("五个必须,zh,quoted,"))
        .unwrap_or_else(|| panic!("{out}"));
    let first_seen = row.split(',').nth(5).unwrap();
    assert!(first_seen.starts_with("2023"), "{row}");
}

/// Over files, candidates keep the place of their first occurrence and
/// the rows written take their examples from a second read; from stdin,
/// read once, examples are kept as found. Both give the same table, with
/// the first occurrence in corpus order as example, at -j1 and -j2, and
/// the same n-grams.
#[test]
fn examples_are_the_same_from_files_and_stdin() {
    let w = Workdir::new();
    let mut jsonl = String::new();
    for year in ["2023", "2024"] {
        let dir = fixture(&format!("discover/{year}"));
        let mut paths: Vec<_> = (std::fs::read_dir(dir).unwrap())
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().unwrap().to_str().unwrap();
            let text = std::fs::read_to_string(&path).unwrap();
            let line = serde_json::json!({"date": &name[..10], "text": text});
            jsonl += &format!("{line}\n");
        }
    }
    let file = w.write("all.jsonl", &jsonl);
    let file = file.to_str().unwrap();
    let args = [
        "--lexicon",
        TRAPS,
        "--format",
        "csv",
        "discover",
        "--min-docs",
        "1",
        "--limit",
        "0",
    ];
    let run = |extra: &[&str], stdin: &str| {
        let run =
            w.run_with(&[&args[..], extra].concat(), stdin.as_bytes(), None);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let quoted = ["--kind", "quoted,numbered", "--min-hits", "1"];
    let stdin = ["--input-format", "jsonl", "-"];
    let from_file = run(&[&quoted[..], &["-j", "1", file]].concat(), "");
    assert_eq!(
        run(&[&quoted[..], &["-j", "2", file]].concat(), ""),
        from_file
    );
    assert_eq!(run(&[&quoted[..], &stdin].concat(), &jsonl), from_file);
    // “五个必须” is quoted first in the 2023 article (the 2024 one has it
    // in another sentence).
    let row = from_file
        .lines()
        .find(|l| l.starts_with("五个必须,zh,quoted,"))
        .unwrap_or_else(|| panic!("{from_file}"));
    let example = row.rsplit(',').next().unwrap();
    let first = fixture("discover/2023/2023-06-15-economy.txt");
    let first = std::fs::read_to_string(first).unwrap();
    assert!(first.contains(example), "{example}");
    // n-grams, which files have counted in two passes (a sketch first),
    // stdin in one: the same rows. (Stdin used to be spent by the sketch's
    // pass, leaving the count an empty file and a table without rows.)
    let ngrams = ["--kind", "ngram", "--min-hits", "2"];
    let from_file = run(&[&ngrams[..], &[file]].concat(), "");
    assert!(from_file.lines().count() > 5, "{from_file}");
    assert_eq!(run(&[&ngrams[..], &stdin].concat(), &jsonl), from_file);
}

/// Hong Kong copies of a dispatch: with `--t2s`, candidates are found in
/// the text as matching sees it (jieba's dictionary is simplified, and
/// cut 三個融合 short), and shown as the original wrote them; the
/// simplified original gives the same figures.
#[test]
fn traditional_text_with_t2s_gives_the_candidates_of_its_simplified_twin() {
    let w = Workdir::new();
    for day in 1..=3 {
        w.write(
            &format!("hk/2025-0{day}-01.txt"),
            "會議提出，要推進三個融合工作，落實兩個毫不動搖。\n",
        );
        w.write(
            &format!("cn/2025-0{day}-01.txt"),
            "会议提出，要推进三个融合工作，落实两个毫不动摇。\n",
        );
    }
    let run = |args: &[&str]| {
        let mut all =
            vec!["--format", "csv", "discover", "--kind", "numbered"];
        all.extend_from_slice(args);
        let run = w.run(&all);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let hk = run(&["--t2s", w.path("hk").to_str().unwrap()]);
    let cn = run(&[w.path("cn").to_str().unwrap()]);
    let figures = |csv: &str| -> Vec<String> {
        (csv.lines().skip(1))
            .map(|l| {
                l.split(',').skip(1).take(5).collect::<Vec<_>>().join(",")
            })
            .collect()
    };
    assert_eq!(figures(&hk), figures(&cn), "{hk}\n{cn}");
    let shown: Vec<&str> =
        hk.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(shown, ["三個融合", "兩個毫不動搖"], "{hk}");
}
