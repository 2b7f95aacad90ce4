//! `tifa report` end to end: snapshots of index.md and the CSVs, well-formed
//! SVG, the same bytes whatever the run or thread count, and all-or-nothing
//! writing of the folder.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::util::{CORPUS, TRAPS, Workdir, root, snapshot_settings};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Runs `tifa --lexicon TRAPS [global] report CORPUS --out OUT [extra]`
/// with `env`; the exit code and stderr.
fn report(
    out: &Path,
    global: &[&str],
    extra: &[&str],
    env: &[(&str, &str)],
) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tifa"));
    cmd.current_dir(root())
        .env_remove("TIFA_LEXICON")
        .args(["--lexicon", TRAPS, "--quiet"])
        .args(global)
        .args(["report", CORPUS, "--out"])
        .arg(out)
        .args(extra);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (o.status.code().unwrap_or(-1), stderr)
}

/// Every file of a folder, by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            (name, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Names in a folder, hidden ones included (temporary folders start with
/// a dot).
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn snapshots_and_files() {
    let w = Workdir::new();
    let out = w.path("rep");
    let (code, stderr) = report(&out, &[], &["--html"], &[]);
    assert_eq!(code, 0, "{stderr}");
    let got = files(&out);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        [
            "cooc.csv",
            "cooc.svg",
            "counts.csv",
            "index.html",
            "index.md",
            "summary.json",
            "trend.csv",
            "trend.svg"
        ]
    );
    let text = |name: &str| String::from_utf8(got[name].clone()).unwrap();
    let csv = |name: &str| {
        assert!(got[name].starts_with(BOM), "{name} has no BOM");
        String::from_utf8(got[name][BOM.len()..].to_vec()).unwrap()
    };
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("report_index_md", text("index.md"));
        insta::assert_snapshot!("report_counts_csv", csv("counts.csv"));
        insta::assert_snapshot!("report_trend_csv", csv("trend.csv"));
        insta::assert_snapshot!("report_cooc_csv", csv("cooc.csv"));
        insta::assert_snapshot!("report_summary_json", text("summary.json"));
    });
    for svg in ["trend.svg", "cooc.svg"] {
        let s = text(svg);
        roxmltree::Document::parse(&s)
            .unwrap_or_else(|e| panic!("{svg} is not XML: {e}"));
    }
    // The page stands alone: charts inline, nothing fetched.
    let page = text("index.html");
    assert_eq!(page.matches("<svg").count(), 2);
    assert!(!page.contains("src=") && !page.contains("href="));
    assert!(!page.contains("<?xml"));
    let summary: serde_json::Value =
        serde_json::from_str(&text("summary.json")).unwrap();
    assert_eq!(summary["documents"], 6);
    assert!(summary.get("generated").is_none());
}

#[test]
fn same_bytes_twice_and_across_threads() {
    let w = Workdir::new();
    let (a, b, c) = (w.path("a"), w.path("b"), w.path("c"));
    assert_eq!(report(&a, &["-j", "1"], &["--html"], &[]).0, 0);
    assert_eq!(report(&b, &["-j", "2"], &["--html"], &[]).0, 0);
    assert_eq!(report(&c, &["-j", "2"], &["--html"], &[]).0, 0);
    let fa = files(&a);
    assert_eq!(fa, files(&b));
    assert_eq!(fa, files(&c));
}

/// Reading options that change the counts of the same inputs are
/// recorded, so that a reader reruns the report as it was made; without
/// them, nothing is added (the snapshots above).
#[test]
fn t2s_and_dedup_are_recorded() {
    let w = Workdir::new();
    let out = w.path("rep");
    assert_eq!(report(&out, &[], &["--t2s", "--dedup"], &[]).0, 0);
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(
        index.contains(
            "- traditional characters read as simplified (--t2s)\n\
             - documents dropped as copies of earlier ones (--dedup): 0\n"
        ),
        "{index}"
    );
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["t2s"], true);
    assert_eq!(summary["dedup"]["dropped"], 0);
}

#[test]
fn stamp_adds_a_generated_line() {
    let w = Workdir::new();
    let out = w.path("rep");
    assert_eq!(report(&out, &[], &["--stamp"], &[]).0, 0);
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(index.lines().any(|l| l.starts_with("Generated 20")), "{index}");
    let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
    assert!(summary.contains("\"generated\": \"20"));
}

#[test]
fn a_failure_leaves_nothing_behind() {
    let w = Workdir::new();
    // Failing after two files: no folder, no temporary folder.
    let out = w.path("rep");
    let fail = [("TIFA_TEST_REPORT_FAIL_AFTER", "2")];
    let (code, stderr) = report(&out, &[], &[], &fail);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("rep"), "{stderr}");
    assert!(names(w.dir.path()).is_empty(), "{:?}", names(w.dir.path()));

    // A previous report is left as it was.
    w.write("old/index.md", "previous");
    let old = w.path("old");
    assert_eq!(report(&old, &[], &[], &fail).0, 2);
    assert_eq!(names(&old), ["index.md"]);
    assert_eq!(
        std::fs::read_to_string(old.join("index.md")).unwrap(),
        "previous"
    );
    assert_eq!(names(w.dir.path()), ["old"]);

    // An --out whose parent is a regular file.
    w.write("file", "x");
    let (code, stderr) = report(&w.path("file/rep"), &[], &[], &[]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(names(w.dir.path()), ["file", "old"]);
}

/// SIGINT or SIGTERM before the report folder is renamed into place: the
/// temporary folder is removed and the previous report is left as it was.
#[test]
fn a_signal_leaves_the_previous_report_and_no_temporary_folder() {
    use std::os::unix::process::ExitStatusExt;
    let w = Workdir::new();
    w.write("rep/index.md", "previous");
    let out = w.path("rep");
    let args = [
        "--lexicon",
        TRAPS,
        "--quiet",
        "report",
        CORPUS,
        "--out",
        out.to_str().unwrap(),
    ];
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let status =
            crate::util::interrupted(&args, &root(), w.dir.path(), signal);
        assert_eq!(status.signal(), Some(signal), "{status}");
        assert_eq!(names(w.dir.path()), ["rep"]);
        assert_eq!(names(&out), ["index.md"]);
        assert_eq!(
            std::fs::read_to_string(out.join("index.md")).unwrap(),
            "previous"
        );
    }
}

#[test]
fn a_previous_report_is_replaced_whole() {
    let w = Workdir::new();
    w.write("rep/index.html", "from an older run with --html");
    let out = w.path("rep");
    assert_eq!(report(&out, &[], &[], &[]).0, 0);
    let got = names(&out);
    assert!(!got.contains(&"index.html".to_string()), "{got:?}");
    assert!(got.contains(&"index.md".to_string()));
    assert_eq!(names(w.dir.path()), ["rep"]);
}

/// A folder holding anything a report does not write, or holding an
/// input, is not replaced: a typo in `--out` must not delete a thesis
/// folder or the corpus.
#[test]
fn a_folder_that_is_not_a_report_is_left_alone() {
    let w = Workdir::new();
    w.write("thesis/notes.txt", "chapter one");
    w.write("thesis/index.md", "not a report");
    let (code, stderr) = report(&w.path("thesis"), &[], &[], &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("holds 1 file a report does not write (notes.txt)"),
        "{stderr}"
    );
    assert_eq!(names(&w.path("thesis")), ["index.md", "notes.txt"]);

    // The corpus itself, and a folder holding it.
    let corpus = root().join(CORPUS);
    for out in [corpus.clone(), corpus.parent().unwrap().to_path_buf()] {
        let before = names(&corpus);
        let (code, stderr) = report(&out, &[], &[], &[]);
        assert_eq!(code, 2, "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert_eq!(names(&corpus), before);
    }
}

/// Options that do not apply to a folder, and an `--out` that is a file,
/// are errors on one line, and nothing is written.
#[test]
fn options_for_one_file_and_an_out_that_is_a_file_are_refused() {
    let w = Workdir::new();
    let out = w.dir.path().join("r");
    for global in [&["-o", "x.csv"][..], &["--format", "json"]] {
        let (code, stderr) = report(&out, global, &[], &[]);
        assert_eq!(code, 2, "{stderr}");
        assert_eq!(
            stderr,
            "tifa: report writes a folder of every format (--out DIR); -o and --format are for the other commands\n"
        );
        assert!(!out.exists());
    }
    w.write("file.txt", "x");
    let file = w.dir.path().join("file.txt");
    let (code, stderr) = report(&file, &[], &[], &[]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "tifa: --out {}: exists and is not a folder\n",
            file.display()
        )
    );
}

/// `--out -` is refused on one line, exit 2, with no folder named `-`:
/// `-` is stdout for `-o`, and a report is a folder. `./-` names such a
/// folder on purpose.
#[test]
fn out_dash_is_refused() {
    let w = Workdir::new();
    let corpus = root().join(CORPUS);
    let corpus = corpus.to_str().unwrap();
    let args = ["--lexicon", TRAPS, "-q", "report", corpus, "--out", "-"];
    let lexicon = root().join(TRAPS);
    let args =
        args.map(|a| if a == TRAPS { lexicon.to_str().unwrap() } else { a });
    let run = w.run_with(&args, b"", Some(w.dir.path()));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "tifa: invalid value '-' for '--out <DIR>': a report is a folder, not stdout: name a folder (./- for one named -); see tifa report --help\n"
    );
    assert!(run.stdout.is_empty());
    assert!(!w.path("-").exists());
    let mut args = args;
    args[args.len() - 1] = "./-";
    let run = w.run_with(&args, b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(w.path("-/index.md").is_file());
}

/// A title is one line: a line break in it cannot start Markdown.
#[test]
fn title_is_one_line() {
    let w = Workdir::new();
    let out = w.dir.path().join("r");
    let (code, stderr) =
        report(&out, &[], &["--title", "Two new\n## injected"], &[]);
    assert_eq!(code, 0, "{stderr}");
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(index.starts_with("# Two new ## injected\n"), "{index}");
    assert!(!index.contains("\n## injected"), "{index}");
}

/// The title is the user's text, shown as written: Markdown escaped in
/// index.md, HTML escaped and no `code` span in index.html.
#[test]
fn title_is_text_not_markup() {
    let w = Workdir::new();
    let out = w.dir.path().join("r");
    let title = "人民日报 <2024> *bold* x_y_ `c` & [a](b)";
    let (code, stderr) = report(&out, &[], &["--html", "--title", title], &[]);
    assert_eq!(code, 0, "{stderr}");
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(
        index.starts_with(
            "# 人民日报 \\<2024\\> \\*bold\\* x_y\\_ \\`c\\` \\& \\[a\\](b)\n"
        ),
        "{index}"
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains(
            "<h1>人民日报 &lt;2024&gt; *bold* x_y_ `c` &amp; [a](b)</h1>"
        ),
        "{html}"
    );
}

/// A last period that runs to its last day is not called incomplete.
#[test]
fn a_complete_last_period_is_not_qualified() {
    let w = Workdir::new();
    let filler = "今天的天气很好，我们去公园散步。".repeat(20);
    w.write("news/2020-04-02.txt", &filler);
    w.write(
        "news/2020-05-31.txt",
        format!("{}{filler}", "发展新质生产力。".repeat(6)),
    );
    let run = w.run_with(
        &["--quiet", "report", "news", "--period", "month", "--out", "rep"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = std::fs::read_to_string(w.path("rep/index.md")).unwrap();
    assert!(index.contains("\n2020-05 against 2020-04: "), "{index}");
}

/// `--no-bom` and `--raw` apply to the report's CSV files as to `-o`.
#[test]
fn csv_options_apply_to_the_report() {
    let w = Workdir::new();
    let (plain, bare) = (w.dir.path().join("a"), w.dir.path().join("b"));
    assert_eq!(report(&plain, &[], &[], &[]).0, 0);
    assert_eq!(report(&bare, &["--no-bom", "--raw"], &[], &[]).0, 0);
    let (plain, bare) = (files(&plain), files(&bare));
    for name in ["counts.csv", "trend.csv", "cooc.csv"] {
        assert!(plain[name].starts_with(BOM), "{name}");
        assert_eq!(plain[name][BOM.len()..], bare[name][..], "{name}");
    }
}

/// A report written into a folder that is read is left out of that
/// folder's walk, run after run, with a warning that a run writing
/// elsewhere will read it.
#[test]
fn out_inside_an_input_folder_is_not_read() {
    let w = Workdir::new();
    w.write("news/a.txt", "“两重”建设");
    for _ in 0..3 {
        let run = w.run_with(
            &["report", "news", "--out", "news/report"],
            b"",
            Some(w.dir.path()),
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            run.stderr.lines().next().unwrap(),
            "tifa: warning: news/report is inside the input news: left out of this run, but a later run over news that writes elsewhere will read it"
        );
        let index =
            std::fs::read_to_string(w.path("news/report/index.md")).unwrap();
        assert!(index.contains("- 1 document, no dated documents"), "{index}");
    }
    let run = w.run_with(
        &["count", "news", "-o", "counts.csv"],
        b"",
        Some(w.dir.path()),
    );
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

/// A report kept inside its corpus is left out of the next run over the
/// corpus that writes elsewhere, with one line naming its folder: its
/// index.md was counted as an article and its CSVs skipped as broken
/// ones (exit 2). A folder that only looks like one (an index.md of a
/// site, a report with a file of one's own added) is read.
#[test]
fn a_report_found_in_a_folder_is_not_read() {
    let w = Workdir::new();
    w.write("news/a.txt", "“两重”建设");
    w.write("news/2024/b.txt", "“两重”建设");
    let report = w.run_with(
        &["-q", "report", "news", "--out", "news/2024/report"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(report.code, 0, "{}", report.stderr);
    w.write("news/page/index.md", "“两重”建设");
    w.write("news/kept/index.md", "“两重”建设");
    w.write("news/kept/summary.json", "{}");
    w.write("news/kept/notes.txt", "“两重”建设");
    let run = w.run_with(&["count", "news"], b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "tifa: news/2024/report: a report written by tifa report; not read (its index.md and CSVs are no articles)",
            "tifa: news: 1 file with another extension not read (.json): folders are read for .txt, .md, .jsonl, .ndjson and .csv; a .json array of records is read when named as an input",
        ]
    );
    assert!(lines[2].starts_with("tifa: 5 documents, "), "{}", run.stderr);
    // Named as an input, a report folder is read.
    let named =
        w.run_with(&["corpus", "news/2024/report"], b"", Some(w.dir.path()));
    assert!(!named.stderr.contains("a report written"), "{}", named.stderr);
}

/// Without dated documents, the report draws no trend chart (an empty
/// one was titled by English words) and says why.
#[test]
fn no_dated_documents_no_trend_chart() {
    let w = Workdir::new();
    w.write("news/a.txt", "推进“两重”建设，加力扩围实施“两新”政策。Two new.");
    let run = w.run_with(
        &["report", "news", "--out", "rep", "--html"],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = std::fs::read_to_string(w.path("rep/index.md")).unwrap();
    assert!(
        index.contains(
            "No trend chart: no document is dated by year or more finely."
        ),
        "{index}"
    );
    assert!(index.contains(
        "- There is no trend chart: no document is dated finely enough."
    ));
    assert!(!index.contains("trend.svg"), "{index}");
    assert!(!index.contains("rate_en` (the dated"), "{index}");
    assert!(!w.path("rep/trend.svg").exists());
    let html = std::fs::read_to_string(w.path("rep/index.html")).unwrap();
    assert!(!html.contains("提法频率"), "{html}");
}

/// The last period is compared with the last earlier period that has
/// documents, not with an empty one before it (People's Daily 2020-05
/// against an empty 2020-04 listed nothing as rising or falling).
#[test]
fn change_passes_over_periods_without_documents() {
    let w = Workdir::new();
    let filler = "今天的天气很好，我们去公园散步。".repeat(20);
    w.write("news/2020-03-02.txt", &filler);
    w.write(
        "news/2020-05-02.txt",
        format!("{}{filler}", "发展新质生产力。".repeat(6)),
    );
    let report = || {
        w.run_with(
            &[
                "--quiet", "report", "news", "--period", "month", "--out",
                "rep",
            ],
            b"",
            Some(w.dir.path()),
        )
    };
    let run = report();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = std::fs::read_to_string(w.path("rep/index.md")).unwrap();
    let change = &index[index.find("## Rising and falling").unwrap()
        ..index.find("## Together").unwrap()];
    assert!(
        change.contains(
            "2020-05 (incomplete: its last document is dated 2020-05-02; \
             rates compare, counts do not) against 2020-03, the last earlier \
             month with documents (2020-04 has none): "
        ),
        "{change}"
    );
    assert!(change.contains("`new` means no hit in 2020-03"), "{change}");
    let rising = &change[change.find("### Rising").unwrap()
        ..change.find("### Falling").unwrap()];
    assert!(
        rising.contains("| new-quality-productive-forces | 0 | 6 |"),
        "{change}"
    );

    // One period with documents: nothing earlier to compare with.
    std::fs::remove_file(w.path("news/2020-03-02.txt")).unwrap();
    let run = report();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = std::fs::read_to_string(w.path("rep/index.md")).unwrap();
    assert!(
        index.contains(
            "Fewer than two periods with dated documents: no earlier period \
             to compare the last one with."
        ),
        "{index}"
    );
}

/// The heatmap's diagonal (a term against itself) is hatched, not the grey
/// of a pair never seen together, and the text says what is drawn: no
/// "−1 when never" for cells that are grey.
#[test]
fn heatmap_diagonal_is_hatched_and_explained() {
    let w = Workdir::new();
    let out = w.path("rep");
    let (code, stderr) = report(&out, &[], &[], &[]);
    assert_eq!(code, 0, "{stderr}");
    let svg = std::fs::read_to_string(out.join("cooc.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let fills: Vec<&str> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("rect")
                && n.attribute("width") == Some("44.0")
                && n.attribute("height") == Some("44.0")
        })
        .map(|n| n.attribute("fill").unwrap())
        .collect();
    let terms = (fills.len() as f64).sqrt() as usize;
    assert!(terms >= 3 && terms * terms == fills.len(), "{fills:?}");
    for (k, fill) in fills.iter().enumerate() {
        let diagonal = k / terms == k % terms;
        assert_eq!(
            *fill == "url(#tifa-heatmap-diagonal)",
            diagonal,
            "cell {k}: {fill}"
        );
    }
    assert!(doc.descendants().any(|n| n.has_tag_name("pattern")
        && n.attribute("id") == Some("tifa-heatmap-diagonal")));
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(!index.contains("−1 when never"), "{index}");
    assert!(
        index.contains("the hatched diagonal is each term against itself")
    );
}

/// What XML 1.0 forbids (control characters, U+FFFF) never reaches the
/// SVG charts or index.html, whatever the title or labels hold: a single
/// one makes a browser show an error instead of the chart.
#[test]
fn pages_and_charts_hold_only_xml_characters() {
    let w = Workdir::new();
    let out = w.dir.path().join("r");
    let title = "R&D\u{1}spending\u{FFFF} 两重";
    let (code, stderr) = report(&out, &[], &["--html", "--title", title], &[]);
    assert_eq!(code, 0, "{stderr}");
    let invalid = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r') && c < '\u{80}')
            || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    let page = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!page.contains(invalid), "{page}");
    assert!(page.contains("<h1>R&amp;D spending\u{FFFD} 两重</h1>"), "{page}");
    for svg in ["trend.svg", "cooc.svg"] {
        let text = std::fs::read_to_string(out.join(svg)).unwrap();
        assert!(!text.contains(invalid), "{svg}");
        roxmltree::Document::parse(&text).expect("well-formed XML");
    }
}

/// The trend chart draws the terms of the series: a term found only in
/// undated documents was a line at zero that trend.csv lacked.
#[test]
fn the_trend_chart_draws_only_terms_of_the_series() {
    let w = Workdir::new();
    w.write(
        "r.jsonl",
        "{\"id\":\"a\",\"date\":\"2024-01-05\",\"text\":\"加快发展新质生产力。\"}\n\
         {\"id\":\"b\",\"date\":\"2024-03-05\",\"text\":\"发展新质生产力。\"}\n\
         {\"id\":\"u\",\"text\":\"推进中国式现代化。\"}\n",
    );
    let out = w.path("rep");
    let run = w.run(&[
        "report",
        "--period",
        "month",
        "--out",
        out.to_str().unwrap(),
        w.path("r.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let svg = std::fs::read_to_string(out.join("trend.svg")).unwrap();
    let csv = std::fs::read_to_string(out.join("trend.csv")).unwrap();
    assert!(
        svg.contains("新质生产力")
            && csv.contains("new-quality-productive-forces")
    );
    assert!(
        !svg.contains("中国式现代化")
            && !csv.contains("chinese-modernization"),
        "{svg}"
    );
    let counts = std::fs::read_to_string(out.join("counts.csv")).unwrap();
    assert!(counts.contains("chinese-modernization"), "{counts}");
}
