//! `tifa diff` end to end: saved `count` results (with their byte-order
//! mark), grouped results, `--fail-on` exit codes and bad files.

use crate::util::{CORPUS, TRAPS, Workdir, snapshot_settings, tifa};

const NEW_FILE: &str = "tests/fixtures/corpus/2025-03-10-ai-plus-variants.txt";

/// Saves `count` of `inputs` (with `extra` flags) as `name` in `w`.
fn save(w: &Workdir, name: &str, inputs: &[&str], extra: &[&str]) -> String {
    let out = w.path(name);
    let mut args =
        vec!["--lexicon", TRAPS, "count", "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend_from_slice(inputs);
    let run = tifa(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    out.to_str().unwrap().to_string()
}

#[test]
fn changes_between_two_counts() {
    let w = Workdir::new();
    let old = save(&w, "old.csv", &["examples"], &[]);
    let new = save(&w, "new.csv", &["examples", NEW_FILE], &[]);
    let run = tifa(&["diff", &old, &new]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("diff_csv", run.stdout));
    // The same counts: nothing changes, even with the strictest threshold.
    let same = tifa(&["diff", &old, &old, "--fail-on", "0"]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    assert!(same.stdout.lines().skip(1).all(|l| l.ends_with(",same")));
    // ai-plus rises from 4 to 8 hits (+100%).
    assert_eq!(tifa(&["diff", &old, &new, "--fail-on", "100"]).code, 0);
    let past = tifa(&["diff", &old, &new, "--fail-on", "99.5"]);
    assert_eq!(past.code, 1);
    assert!(past.stderr.contains("1 term appeared"), "{}", past.stderr);
}

#[test]
fn new_and_gone_terms_fail_any_threshold() {
    let w = Workdir::new();
    let old = w.write("old.csv", "term,hits\ntwo-heavy,3\nai-plus,2\n");
    let new = w.write(
        "new.csv",
        "\u{FEFF}term,hits\nai-plus,2\nnew-quality-productive-forces,1\n",
    );
    let run = tifa(&[
        "diff",
        old.to_str().unwrap(),
        new.to_str().unwrap(),
        "--fail-on",
        "1000",
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stdout,
        "term,old,new,change,rel_change,status\n\
         ai-plus,2,2,0,0.0,same\n\
         new-quality-productive-forces,0,1,1,,new\n\
         two-heavy,3,0,-3,-100.0,gone\n"
    );
    assert!(run.stderr.contains("2 terms"), "{}", run.stderr);
}

#[test]
fn grouped_results_match_on_group_and_term() {
    let w = Workdir::new();
    let old = save(&w, "old.csv", &["examples"], &["--by", "year"]);
    let new = save(&w, "new.csv", &["examples", CORPUS], &["--by", "year"]);
    let run = tifa(&["diff", &old, &new]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("year,term,old,new,change,rel_change,status\n")
    );
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("diff_by_year", run.stdout));
    let flat = save(&w, "flat.csv", &["examples"], &[]);
    let mixed = tifa(&["diff", &flat, &new]);
    assert_eq!(mixed.code, 2);
    assert!(mixed.stderr.contains("not grouped"), "{}", mixed.stderr);
}

#[test]
fn formula_prefixes_are_ignored() {
    let w = Workdir::new();
    let old = w.write("old.csv", "source,term,hits\n'=cctv,two-heavy,1\n");
    let new = w.write("new.csv", "source,term,hits\n=cctv,two-heavy,2\n");
    let run = tifa(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // One row (the same group on both sides), protected again on output.
    assert_eq!(
        run.stdout,
        "source,term,old,new,change,rel_change,status\n\
         '=cctv,two-heavy,1,2,1,100.0,up\n"
    );
}

#[test]
fn bad_files_name_file_and_line() {
    let w = Workdir::new();
    let good = w.write("good.csv", "term,hits\na,1\n");
    let bad = w.write("bad.csv", "term,hits\na,1\nb,many\n");
    let run = tifa(&["diff", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("bad.csv:3: hits = \"many\" is not a count"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    let crlf = w.write("crlf.csv", "term,hits\r\na,1\r\nb,many\r\n");
    let run = tifa(&["diff", good.to_str().unwrap(), crlf.to_str().unwrap()]);
    assert!(run.stderr.contains("crlf.csv:3: hits"), "{}", run.stderr);
    let open = w.write("open.csv", "term,hits\na,1\n\"b,2\nc,3\n");
    let run = tifa(&["diff", good.to_str().unwrap(), open.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("open.csv:3: quoted field never closed"),
        "{}",
        run.stderr
    );
    let missing = tifa(&["diff", good.to_str().unwrap(), "no/such.csv"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("no/such.csv"), "{}", missing.stderr);
    let corpus = w.write("corpus.csv", "documents,bytes\n1,2\n");
    let run =
        tifa(&["diff", corpus.to_str().unwrap(), good.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("corpus.csv:1: not a `tifa count` result"));
}

/// `diff` reads no lexicon: `--lexicon` given to it is refused rather than
/// taken as a promise that the two files were counted with it.
#[test]
fn a_lexicon_is_refused() {
    let w = Workdir::new();
    let old = save(&w, "old.csv", &[CORPUS], &[]);
    let run = tifa(&["--lexicon", TRAPS, "diff", &old, &old]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "tifa: diff reads no lexicon: it compares two saved results, each \
         counted with its own; leave out --lexicon\n"
    );
}

/// `count --format json` and `jsonl` results read as its CSV: the same
/// diff, also of one format against another and grouped.
#[test]
fn json_and_json_lines_results_read_as_csv() {
    let w = Workdir::new();
    let by_year: &[&str] = &["--by", "year"];
    for extra in [&[][..], by_year] {
        let corpus = ["examples", CORPUS];
        let old = save(&w, "old.csv", &["examples"], extra);
        let new = save(&w, "new.csv", &corpus, extra);
        let want = tifa(&["diff", &old, &new]);
        assert_eq!(want.code, 0, "{}", want.stderr);
        assert!(want.stdout.lines().count() > 5, "{}", want.stdout);
        for ext in ["json", "jsonl"] {
            let old_j = save(&w, &format!("old.{ext}"), &["examples"], extra);
            let new_j = save(&w, &format!("new.{ext}"), &corpus, extra);
            for (a, b) in [(&old_j, &new_j), (&old, &new_j), (&old_j, &new)] {
                let run = tifa(&["diff", a, b]);
                assert_eq!(run.code, 0, "{a} {b}: {}", run.stderr);
                assert_eq!(run.stdout, want.stdout, "{a} {b}");
            }
        }
    }
}

/// A malformed JSON or JSON Lines result: one line naming the file and
/// line, exit 2, nothing on stdout.
#[test]
fn bad_json_names_file_and_line() {
    let w = Workdir::new();
    let good = w.write("good.csv", "term,hits\na,1\n");
    let cases = [
        (
            "neg.json",
            "[\n  {\"term\": \"a\", \"hits\": 1},\n  {\"term\": \"b\", \"hits\": -1}\n]\n",
            "neg.json:3: hits = \"-1\" is not a count",
        ),
        (
            "cut.jsonl",
            "{\"term\":\"a\",\"hits\":1}\n{\"term\":\"b\",\"hi",
            "cut.jsonl:2: invalid JSON: EOF while parsing",
        ),
        (
            "keys.jsonl",
            "{\"term\":\"a\",\"hits\":1}\n\n{\"doc\":\"x\",\"hits\":1}\n",
            "keys.jsonl:3: no `term` field",
        ),
        (
            "twice.json",
            "[{\"term\":\"a\",\"hits\":1},{\"term\":\"a\",\"hits\":2}]",
            "twice.json:1: term \"a\" appears twice",
        ),
        ("object.json", "[1, 2]", "object.json:1: not a JSON object"),
        // What a failed `tifa count > old.csv` leaves: not "no terms".
        ("failed.csv", "", "failed.csv:1: empty: not a `tifa count` result"),
        ("blank.json", "\n", "blank.json:1: empty: not a `tifa count` result"),
    ];
    for (name, text, want) in cases {
        let bad = w.write(name, text);
        let run =
            tifa(&["diff", good.to_str().unwrap(), bad.to_str().unwrap()]);
        assert_eq!(run.code, 2, "{name}");
        assert!(run.stdout.is_empty(), "{name}");
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains(want), "{name}: {}", run.stderr);
    }
}

/// `count --format jsonl` writes nothing when nothing is found: an empty
/// result, whatever the other's grouping.
#[test]
fn an_empty_result_has_no_rows() {
    let w = Workdir::new();
    let empty = w.write("empty.jsonl", "");
    let new = w.write("new.csv", "year,term,hits\n2024,two-new,2\n");
    let run = tifa(&["diff", empty.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "year,term,old,new,change,rel_change,status\n\
         2024,two-new,0,2,2,,new\n"
    );
}

/// Two versions of a lexicon, counted with --all: a term the old one
/// lacked is `added` and one the new one dropped `removed`, with empty
/// cells where it was not counted, while a term counted 0 times before
/// and found now is `new`. Against a result without --all, a term it
/// does not list has no hits there, as before.
#[test]
fn terms_not_counted_are_added_or_removed() {
    let w = Workdir::new();
    let lexicon = |name: &str, terms: &[(&str, &str)]| {
        let mut toml =
            String::from("[lexicon]\nname = \"v\"\nversion = \"1\"\n");
        for (id, zh) in terms {
            toml += &format!(
                "\n[[term]]\nid = \"{id}\"\nzh = [\"{zh}\"]\ncategory = \"x\"\n"
            );
        }
        w.write(name, toml).to_str().unwrap().to_string()
    };
    let v1 = lexicon(
        "v1.toml",
        &[("two-heavy", "两重"), ("two-new", "两新"), ("dropped", "三农")],
    );
    let v2 = lexicon(
        "v2.toml",
        &[
            ("two-heavy", "两重"),
            ("two-new", "两新"),
            ("ai-plus", "人工智能+"),
            ("quality", "新质生产力"),
        ],
    );
    let a = w.write("a.txt", "推进两重建设。");
    let b = w.write("b.txt", "实施两新，推进人工智能+行动。");
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let count = |name: &str, lexicon: &str, inputs: &[&str], all: bool| {
        let out = w.path(name).to_str().unwrap().to_string();
        let mut args = vec!["--lexicon", lexicon, "count", "-o", &out];
        args.extend(all.then_some("--all"));
        args.extend(inputs);
        let run = tifa(&args);
        assert_eq!(run.code, 0, "{}", run.stderr);
        out
    };
    let old = count("old.csv", &v1, &[a], true);
    let new = count("new.json", &v2, &[a, b], true);
    let run = tifa(&["diff", &old, &new, "--fail-on", "1000"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "term,old,new,change,rel_change,status\n\
         ai-plus,,1,,,added\n\
         dropped,0,,,,removed\n\
         quality,,0,,,added\n\
         two-heavy,1,1,0,0.0,same\n\
         two-new,0,1,1,,new\n"
    );
    assert!(run.stderr.contains("4 terms"), "{}", run.stderr);
    let json = tifa(&["--format", "jsonl", "diff", &old, &new]);
    assert!(
        json.stdout.contains(
            "{\"term\":\"quality\",\"old\":null,\"new\":0,\"change\":null,\
             \"rel_change\":null,\"status\":\"added\"}\n"
        ),
        "{}",
        json.stdout
    );
    // Counted without --all, the old result lists two-heavy only.
    let some = count("some.csv", &v1, &[a], false);
    let run = tifa(&["diff", &some, &new]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "term,old,new,change,rel_change,status\n\
         ai-plus,0,1,1,,new\n\
         quality,0,0,0,,same\n\
         two-heavy,1,1,0,0.0,same\n\
         two-new,0,1,1,,new\n"
    );
}

/// Daily files that number their records from 1 give two documents one
/// label: the run says so, and `diff`'s refusal says why.
#[test]
fn ids_repeated_across_files_are_said() {
    let w = Workdir::new();
    for day in ["day1", "day2"] {
        w.write(
            &format!("{day}.jsonl"),
            "{\"id\":\"1\",\"text\":\"推进“两重”建设\"}\n",
        );
    }
    let (a, b) = (w.path("day1.jsonl"), w.path("day2.jsonl"));
    let out = w.path("by-doc.csv");
    let run = tifa(&[
        "--lexicon",
        TRAPS,
        "count",
        "--by",
        "doc",
        "-o",
        out.to_str().unwrap(),
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with(&format!(
            "tifa: {}:1: id given to a record of {} too (on line 1): ",
            b.display(),
            a.display()
        )),
        "{}",
        run.stderr
    );
    let out = out.to_str().unwrap();
    let run = tifa(&["diff", out, out]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.ends_with(
            "in group \"1\" appears twice (two documents of one id, from two files?)\n"
        ),
        "{}",
        run.stderr
    );
}
