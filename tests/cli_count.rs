//! `tifa count` end to end.

use std::path::Path;

use crate::util::{
    CORPUS, TRAPS, Workdir, fixture, on_a_terminal, snapshot_settings, tifa,
    with_traps,
};

fn count(extra: &[&str]) -> String {
    with_traps(&[&["count", CORPUS], extra].concat())
}

#[test]
fn formats() {
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("count_csv", count(&["--format", "csv"]));
        insta::assert_snapshot!("count_json", count(&["--format", "json"]));
        insta::assert_snapshot!("count_table", count(&["--format", "table"]));
        insta::assert_snapshot!("count_md", count(&["--format", "md"]));
        insta::assert_snapshot!("count_by_doc", count(&["--by", "doc"]));
    });
}

#[test]
fn default_lexicon_on_examples() {
    let run = tifa(&["count", "examples", "--by", "doc"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("count_examples_by_doc", run.stdout));
}

#[test]
fn piped_output_is_csv_and_stdin_is_a_document() {
    let w = Workdir::new();
    let run = w.run_with(
        &["--lexicon", TRAPS, "count", "-"],
        "推进“两重”建设。".as_bytes(),
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut lines = run.stdout.lines();
    assert_eq!(
        lines.next(),
        Some(
            "term,label_zh,label_en,category,hits,hits_zh,hits_en,unconfirmed,docs,rate_zh,rate_en"
        )
    );
    assert_eq!(
        lines.next(),
        Some("two-heavy,两重,two heavy,economy,1,1,0,0,1,1666.6667,")
    );
    assert_eq!(lines.next(), None);

    // Its documents are named as ripgrep names them: a bare `-` reached
    // Excel as `'-`, since cells that begin with `-` are guarded.
    let run = w.run_with(
        &["--lexicon", TRAPS, "count", "--by", "doc", "-"],
        "推进“两重”建设。".as_bytes(),
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.lines().nth(1).unwrap().starts_with("<stdin>,two-heavy,"),
        "{}",
        run.stdout
    );
}

#[test]
fn counts_agree_across_threads_and_input_order() {
    let a = tifa(&[
        "--lexicon",
        TRAPS,
        "-j1",
        "count",
        "--by",
        "doc",
        CORPUS,
        "examples",
    ]);
    let b = tifa(&[
        "--lexicon",
        TRAPS,
        "-j4",
        "count",
        "--by",
        "doc",
        CORPUS,
        "examples",
    ]);
    assert_eq!(a.stdout, b.stdout);
    assert!(!a.stdout.is_empty());
}

#[test]
fn bom_is_stripped_and_counts_unchanged() {
    let w = Workdir::new();
    let text = std::fs::read(fixture(
        "corpus/2024-07-26-two-heavy-two-new-traps.txt",
    ))
    .unwrap();
    let plain = w.write("plain.txt", &text);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(&text);
    let with_bom = w.write("bom.txt", bom);
    let lex = fixture("lexicon/traps.toml");
    let run = |p: &std::path::Path| {
        tifa(&[
            "--lexicon",
            lex.to_str().unwrap(),
            "count",
            p.to_str().unwrap(),
        ])
        .stdout
    };
    assert_eq!(run(&plain), run(&with_bom));
}

#[test]
fn missing_input_is_reported_and_the_rest_counted() {
    let run = tifa(&["--lexicon", TRAPS, "count", "no/such/file.txt", CORPUS]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no/such/file.txt: No such file"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, count(&[]));
}

#[test]
fn output_file_is_csv_with_bom() {
    let w = Workdir::new();
    let out = w.path("counts.csv");
    let run = tifa(&[
        "--lexicon",
        TRAPS,
        "count",
        CORPUS,
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBFterm,"));
    assert_eq!(&bytes[3..], count(&[]).as_bytes());
}

/// An English form inside a web address is not a match (the address's
/// words are not English words either); the same form in the sentence is.
#[test]
fn english_forms_in_web_addresses_are_not_matches() {
    let w = Workdir::new();
    let file = w.write(
        "link.txt",
        "Source: HTTPS://example.com/china-property-whitelist-loans/ \
         and the whitelist for property. https://x.cn/AI+\n",
    );
    let lex = fixture("lexicon/traps.toml");
    let run = tifa(&[
        "--lexicon",
        lex.to_str().unwrap(),
        "scan",
        file.to_str().unwrap(),
    ]);
    let rows: Vec<&str> = run.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{}", run.stdout);
    assert!(rows[0].contains(",property-whitelist,en,whitelist,whitelist,"));
}

/// An English form written inside Chinese prose (人工智能“AI+”行动) counts
/// in `hits_zh` and the Chinese rate, where the chart looks; in an English
/// sentence it counts in `hits_en`.
#[test]
fn english_forms_in_chinese_prose_count_in_the_chinese_rate() {
    let w = Workdir::new();
    let zh = w.write("zh.txt", "推进人工智能“AI+”行动。\n");
    let en = w.write("en.txt", "The AI+ initiative.\n");
    let lex = fixture("lexicon/traps.toml");
    let row = |file: &Path| {
        let run = tifa(&[
            "--lexicon",
            lex.to_str().unwrap(),
            "count",
            file.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let row = run.stdout.lines().nth(1).unwrap().to_string();
        row.split(',').skip(4).take(3).collect::<Vec<_>>().join(",")
    };
    // hits, hits_zh, hits_en
    assert_eq!(row(&zh), "1,1,0");
    assert_eq!(row(&en), "1,0,1");
}

/// Zero-width characters and soft hyphens, which web pages put inside
/// words, hide no match, and `scan` quotes the match with them in it.
#[test]
fn invisible_characters_hide_no_match() {
    let w = Workdir::new();
    let text = "发展新质\u{200B}生产力，房地产“白\u{200C}名单”项目。\nThe white\u{AD}list of projects.\n";
    let file = w.write("a.txt", text);
    let run = tifa(&["scan", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let matches: Vec<(&str, &str)> = run
        .stdout
        .lines()
        .skip(1)
        .map(|row| {
            let cols: Vec<&str> = row.split(',').collect();
            (cols[2], cols[5])
        })
        .collect();
    assert_eq!(
        matches,
        [
            ("new-quality-productive-forces", "新质\u{200B}生产力"),
            ("property-whitelist", "白\u{200C}名单"),
            ("property-whitelist", "white\u{AD}list"),
        ]
    );
}

/// Without `--format`, `-o` takes the format its file name asks for; CSV
/// otherwise. `--encoding auto` is the default spelled out.
#[test]
fn output_format_follows_the_file_name() {
    let w = Workdir::new();
    for (name, starts) in [
        ("c.json", "[\n  {"),
        ("c.jsonl", "{\"term\":"),
        ("c.md", "| term |"),
        ("c.csv", "\u{feff}term,"),
        ("c.txt", "\u{feff}term,"),
    ] {
        let out = w.path(name);
        let run = tifa(&[
            "--lexicon",
            TRAPS,
            "-o",
            out.to_str().unwrap(),
            "count",
            "-E",
            "auto",
            CORPUS,
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let got = std::fs::read_to_string(&out).unwrap();
        assert!(got.starts_with(starts), "{name}: {got}");
    }
}

/// Groups whose labels are integers (a `page` field) come in numeric
/// order, not as text (1, 10, 11, 2); `diff` of the saved counts keeps it.
#[test]
fn integer_groups_sort_by_value() {
    let w = Workdir::new();
    let rows: String = ["10", "2", "11", "1", ""]
        .iter()
        .enumerate()
        .map(|(i, page)| format!("d{i},{page},发展新质生产力。\n"))
        .collect();
    w.write("p.csv", format!("id,page,text\n{rows}"));
    let dir = Some(w.dir.path());
    let run = w.run_with(
        &["count", "--by", "page", "p.csv", "-o", "c.csv"],
        b"",
        dir,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(w.path("c.csv")).unwrap();
    let groups: Vec<&str> =
        text.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(groups, ["1", "2", "10", "11", "(none)"]);
    let run = w.run_with(&["diff", "c.csv", "c.csv"], b"", dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.first_column(), ["1", "2", "10", "11", "(none)"]);
}

/// A number column is aligned right from what it is, not from its cells:
/// over Chinese-only documents every `rate_en` is empty, and the column
/// is still a number column in Markdown (`---:`) and on a terminal.
#[test]
fn an_empty_number_column_stays_right_aligned() {
    let w = Workdir::new();
    let doc = w.write(
        "nl.jsonl",
        "{\"id\":\"a\",\"text\":\"统筹推进“两重”建设项目。\"}\n\
         {\"id\":\"b\",\"text\":\"加力扩围实施“两新”政策，推进“两重”建设。\"}\n",
    );
    let doc = doc.to_str().unwrap();
    let md = tifa(&["count", "--by", "doc", "-q", "--format", "md", doc]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    let lines: Vec<&str> = md.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "| doc | term | label_zh | label_en | category | hits | hits_zh | hits_en | unconfirmed | docs | rate_zh | rate_en |"
    );
    assert_eq!(
        lines[1],
        "| --- | --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    assert!(lines[2..].iter().all(|l| l.ends_with(" |  |")), "{lines:#?}");
    // A table with no row at all keeps its number columns too.
    let none = w.write("none.txt", "今天天气很好。");
    let md = tifa(&["count", "-q", "--format", "md", none.to_str().unwrap()]);
    assert!(md.stdout.ends_with("| ---: | ---: | ---: |\n"), "{}", md.stdout);
    // On a terminal table the empty last column adds no trailing spaces,
    // and the numbers before it stay right-aligned.
    let table =
        tifa(&["count", "--by", "doc", "-q", "--format", "table", doc]);
    for line in table.stdout.lines().skip(1) {
        assert!(!line.ends_with("   "), "{line:?}");
    }
}

/// Every command's number columns are declared, so that a table without
/// rows keeps them right-aligned in Markdown: they were aligned from their
/// cells, and with none, left.
#[test]
fn number_columns_of_tables_without_rows() {
    let w = Workdir::new();
    let none = w.write("none.txt", "今天天气很好。");
    let none = none.to_str().unwrap();
    for (args, rule) in [
        (
            &["scan", none][..],
            "| --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | --- |",
        ),
        (
            &["kwic", "two-new", none],
            "| --- | --- | --- | --- | --- | --- | ---: |",
        ),
        (&["nesting", none], "| --- | --- | ---: |"),
        (
            &["renderings", none],
            "| --- | --- | --- | --- | ---: | --- | --- |",
        ),
        (
            &["renderings", "--gaps", none],
            "| --- | --- | ---: | ---: | --- | --- | --- | --- |",
        ),
        (
            &["cooc", "--sites", none],
            "| --- | --- | --- | --- | ---: | ---: | ---: | --- |",
        ),
        (&["cooc", "--edges", none], "| --- | --- | ---: |"),
    ] {
        let mut all = vec!["-q", "--format", "md"];
        all.extend_from_slice(args);
        let md = tifa(&all);
        assert_eq!(md.code, 0, "{args:?}: {}", md.stderr);
        assert_eq!(md.stdout.lines().nth(1), Some(rule), "{args:?}");
    }
}

/// The progress bar is drawn on a terminal's stderr, but not on one that
/// cannot move the cursor (TERM=dumb, as kwic leaves out its bold there),
/// where each redraw would stack up as a line of its own; the summary
/// stays.
#[test]
fn progress_bar_unless_a_dumb_terminal() {
    let w = Workdir::new();
    let out = w.path("counts.csv");
    let args = ["--lexicon", TRAPS, "count", "-o", out.to_str().unwrap()];
    let args = [&args[..], &[CORPUS, "examples"]].concat();
    // Without `script`, no pseudo-terminal to test on.
    let Some(shown) = on_a_terminal(&args, &[("TERM", "xterm")]) else {
        return;
    };
    let bar = |s: &str| s.contains('█') || s.contains('░');
    assert!(bar(&shown), "{shown}");
    let dumb = on_a_terminal(&args, &[("TERM", "dumb")]).unwrap();
    assert!(!bar(&dumb) && !dumb.contains('\x1b'), "{dumb}");
    assert!(dumb.starts_with("tifa: "), "{dumb}");
    assert_eq!(dumb.lines().count(), 1, "{dumb}");
}

/// `count --by doc` is written batch by batch: with `--all`, every
/// document lists every term, in corpus order, and an input that holds
/// no document (a file of bad lines) adds no row, not a group without
/// name.
#[test]
fn by_doc_all_lists_each_document_and_no_unnamed_group() {
    let w = Workdir::new();
    w.write("c/a.txt", "推进“两重”建设。");
    w.write("c/b.jsonl", "not json\n");
    w.write("c/c.txt", "");
    w.write("c/d.txt", "两新工作。");
    let dir = w.path("c");
    let run = w.run(&["count", "--by", "doc", "--all", dir.to_str().unwrap()]);
    let terms = w.run(&["lexicon", "list"]).stdout.lines().count() - 1;
    let docs: Vec<&str> = run.first_column();
    // The empty file is a document without text.
    assert_eq!(docs.len(), 3 * terms, "{}", run.stdout);
    for (i, name) in ["a.txt", "c.txt", "d.txt"].iter().enumerate() {
        let rows = &docs[i * terms..(i + 1) * terms];
        assert!(rows.iter().all(|d| d.ends_with(name)), "{name}: {rows:?}");
    }
}

/// Terms for `count --terms` over examples/: the first and third row of
/// `count --all` (found) and its last (not found).
fn some_terms() -> Vec<String> {
    let all = tifa(&["count", "--all", "examples"]);
    assert_eq!(all.code, 0, "{}", all.stderr);
    let ids = all.first_column();
    [ids[0], ids[2], ids[ids.len() - 1]].map(String::from).to_vec()
}

/// The header and the rows of `out` whose term (from `term_of`) is in
/// `ids`: one row a line.
fn rows_with<'a>(
    out: &'a str,
    header: usize,
    ids: &[String],
    term_of: impl Fn(&str) -> Option<String>,
) -> Vec<&'a str> {
    let lines = out.lines().enumerate();
    let kept = lines.filter(|&(i, l)| {
        i < header || term_of(l).is_some_and(|t| ids.contains(&t))
    });
    kept.map(|(_, l)| l).collect()
}

/// `count --terms` writes the rows of a count of every term that are of
/// those terms, numbers and order unchanged, whatever else is asked.
#[test]
fn terms_keep_the_rows_of_a_full_count() {
    let ids = some_terms();
    let list = ids.join(",");
    let options: [&[&str]; 7] = [
        &[],
        &["--all"],
        &["--by", "doc"],
        &["--by", "year", "--all"],
        &["--concepts"],
        &["--nesting"],
        &["--by", "doc", "--all", "--nesting", "--concepts"],
    ];
    for extra in options {
        let args = [&["count", "examples"][..], extra].concat();
        let full = tifa(&args);
        let only = tifa(&[&args[..], &["--terms", &list]].concat());
        assert_eq!(only.code, 0, "{extra:?}: {}", only.stderr);
        let header = full.stdout.lines().next().unwrap();
        let col = header.split(',').position(|c| c == "term").unwrap();
        let term_of = |l: &str| l.split(',').nth(col).map(String::from);
        let want = rows_with(&full.stdout, 1, &ids, term_of);
        assert!(want.len() > 1, "{extra:?}: no row");
        assert_eq!(only.stdout.lines().collect::<Vec<_>>(), want, "{extra:?}");
        // Only --all lists the term not found.
        let mut terms = only.stdout.lines().skip(1).filter_map(term_of);
        let listed = terms.any(|t| t == ids[2]);
        assert_eq!(listed, extra.contains(&"--all"), "{extra:?}");
    }
}

/// The same rows in every format.
#[test]
fn terms_in_every_format() {
    let ids = some_terms();
    let list = ids.join(",");
    let count = |format: &str, terms: bool| {
        let mut args = vec!["count", "--by", "doc", "--all", "examples"];
        args.extend(["--format", format]);
        if terms {
            args.extend(["--terms", &list]);
        }
        let run = tifa(&args);
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        run.stdout
    };
    let cell = |l: &str, sep: char, i: usize| {
        l.split(sep).nth(i).map(|c| c.trim().to_string())
    };
    let jsonl = |l: &str| {
        let row: serde_json::Value = serde_json::from_str(l).ok()?;
        row["term"].as_str().map(String::from)
    };
    let csv = count("csv", false);
    let (md, lines) = (count("md", false), count("jsonl", false));
    let want = [
        ("csv", rows_with(&csv, 1, &ids, |l| cell(l, ',', 1))),
        ("md", rows_with(&md, 2, &ids, |l| cell(l, '|', 2))),
        ("jsonl", rows_with(&lines, 0, &ids, jsonl)),
    ];
    for (format, want) in want {
        assert!(want.len() > 2, "{format}: {want:?}");
        assert_eq!(count(format, true).lines().collect::<Vec<_>>(), want);
    }
    let json = |terms| -> Vec<serde_json::Value> {
        serde_json::from_str(&count("json", terms)).unwrap()
    };
    let mut full = json(false);
    full.retain(|r| ids.iter().any(|t| r["term"] == t.as_str()));
    assert_eq!(json(true), full);
    // A terminal table aligns its columns anew: the same cells.
    let words = |out: String| -> Vec<Vec<String>> {
        let rows = out.lines().skip(1);
        rows.map(|l| l.split_whitespace().take(2).map(String::from).collect())
            .collect()
    };
    let rows: Vec<Vec<String>> = rows_with(&csv, 1, &ids, |l| cell(l, ',', 1))
        [1..]
        .iter()
        .map(|l| l.split(',').take(2).map(String::from).collect())
        .collect();
    assert_eq!(words(count("table", true)), rows);
}

/// `--terms` takes the names, lists and errors of the other commands'.
#[test]
fn terms_are_named_as_elsewhere() {
    let ids = |extra: &[&str]| {
        let run = tifa(&[&["count", "--all", "examples"], extra].concat());
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.first_column().iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    // Forms, labels and ids; Chinese commas; repeated.
    assert_eq!(
        ids(&["--terms", "两新，白名单", "--terms", "two-new"]),
        ids(&["--terms", "property-whitelist,two-new"]),
    );
    let run = tifa(&["count", "examples", "--terms", "two-new,三重"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("tifa: unknown term \"三重\": not an id"),
        "{}",
        run.stderr
    );
    // The inputs given as terms get the hint that terms come first.
    let run = tifa(&["count", "--terms", "examples", "examples"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("the terms come before the inputs (tifa count"),
        "{}",
        run.stderr
    );
    let run = tifa(&["count", "examples", "--terms", "，"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no term named"), "{}", run.stderr);
}

/// Hits dated before their term's first official use are said, with the
/// command that lists them, to run as it stands (with the run's lexicon
/// and inputs): 人工智能+ in a 2019 course name is no 2024 policy.
#[test]
fn hits_before_first_official_use_are_said() {
    let w = Workdir::new();
    w.write(
        "2019-10-10-course.txt",
        "学院推出“人工智能+X”课程体系，培养复合型人才。\n",
    );
    w.write("2024-03-05-report.txt", "开展“人工智能+”行动。\n");
    let run = w.run_with(&["count", "."], b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "tifa: first_official_use: hits dated before their term's first official use: ai-plus 1 (before 2024-03); an earlier sense, or an earlier use than the lexicon knows: `tifa scan --term ai-plus --status confirmed --until 2024-02-29 .` lists them"
    );
    // The command's words, as a shell reads them (spaces outside single
    // quotes part them), after `tifa`.
    let given = |stderr: &str| -> Vec<String> {
        let line = stderr.lines().next().unwrap();
        let command = line.split('`').nth(1).unwrap();
        let (mut words, mut word, mut quoted) = (vec![], String::new(), false);
        for c in command.chars().chain([' ']) {
            match c {
                '\'' => quoted = !quoted,
                ' ' if !quoted => words.push(std::mem::take(&mut word)),
                c => word.push(c),
            }
        }
        words.split_off(1)
    };
    let listed = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = w.run_with(&args, b"", Some(w.dir.path()));
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let rows = listed(given(&run.stderr));
    assert_eq!(rows.lines().count(), 2, "{rows}");
    assert!(rows.contains("2019-10-10,ai-plus"), "{rows}");
    // With a lexicon of one's own, in a folder with a space in its name.
    w.write(
        "my lexicon/ai.toml",
        "[[term]]\nid = \"ai-plus\"\ncategory = \"technology\"\nzh = [\"人工智能+\"]\nen = [\"AI Plus\"]\nfirst_official_use = \"2024-03\"\n",
    );
    let run = w.run_with(
        &["--lexicon", "my lexicon", "count", "2019-10-10-course.txt"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let args = given(&run.stderr);
    assert_eq!(args[..2], ["--lexicon", "my lexicon"]);
    let rows = listed(args);
    assert_eq!(rows.lines().count(), 2, "{rows}");
}
