//! `tifa trend` end to end: zero-filled periods, ISO weeks, dates too
//! coarse for the period, the wide table, the summary and the SVG chart.

use crate::util::{
    CORPUS, TRAPS, Workdir, snapshot_settings, tifa, with_traps,
};

fn trend(extra: &[&str]) -> String {
    with_traps(&[&["trend", CORPUS], extra].concat())
}

#[test]
fn snapshots() {
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("trend_year_csv", trend(&[]));
        insta::assert_snapshot!(
            "trend_quarter_per_doc",
            trend(&[
                "--period",
                "quarter",
                "--per-doc",
                "--terms",
                "两重,ai-plus"
            ])
        );
        insta::assert_snapshot!(
            "trend_wide_rate_zh",
            trend(&["--wide", "--value", "rate_zh"])
        );
        insta::assert_snapshot!("trend_summary", trend(&["--summary"]));
    });
}

#[test]
fn every_period_is_present_with_zeros() {
    // The fixtures are dated 2020, 2024 and 2025: 2021 to 2023 have no
    // documents, so zero hits and no rate.
    let out = trend(&["--terms", "two-heavy"]);
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(
        rows,
        [
            "2020,two-heavy,0,0,0.0,0.0",
            "2021,two-heavy,0,0,,",
            "2022,two-heavy,0,0,,",
            "2023,two-heavy,0,0,,",
            "2024,two-heavy,2,1,37.594,0.0",
            "2025,two-heavy,0,0,0.0,0.0",
        ]
    );
    // 2020-06 to 2025-03: 58 months.
    let months = trend(&["--period", "month", "--terms", "two-heavy"]);
    assert_eq!(months.lines().count(), 1 + 58);
    let wide = trend(&["--period", "day", "--wide"]);
    // 2020-06-10 to 2025-03-12, both included.
    assert_eq!(wide.lines().count(), 1 + 1737);
}

#[test]
fn iso_weeks_and_coarse_dates() {
    let w = Workdir::new();
    w.write("c/2024-12-23-a.txt", "推进两重建设。");
    w.write("c/2025-01-09-b.txt", "两重项目");
    w.write("c/2024-c.txt", "两重建设，only a year");
    w.write("c/undated.txt", "两重建设");
    let dir = w.path("c");
    let run = tifa(&[
        "--lexicon",
        TRAPS,
        "trend",
        "--period",
        "week",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // 2025-W01 starts on Monday 30 December 2024.
    assert_eq!(
        run.stdout,
        "period,term,hits,docs,rate_zh,rate_en\n\
         2024-W52,two-heavy,1,1,1666.6667,\n\
         2025-W01,two-heavy,0,0,,\n\
         2025-W02,two-heavy,1,1,2500.0,\n"
    );
    assert!(
        run.stderr.contains(
            "left out 1 document without a date and 1 document dated \
             more coarsely than a week"
        ),
        "{}",
        run.stderr
    );
    // By year, the document dated 2024 counts.
    let run = tifa(&["--lexicon", TRAPS, "trend", dir.to_str().unwrap()]);
    assert!(run.stdout.contains("\n2024,two-heavy,2,2,"), "{}", run.stdout);
}

/// Decades are labelled `1950s`, zero-filled between the first and the
/// last, and a date of any precision has one (a file dated by its year
/// alone is not coarse); `--by decade` and the report's chart agree.
#[test]
fn decades() {
    let w = Workdir::new();
    w.write("c/1958.txt", "两重建设");
    w.write("c/1959-10-01.txt", "推进两重建设。两重项目");
    w.write("c/1981-06.txt", "两重建设");
    w.write("c/undated.txt", "两重建设");
    let dir = w.path("c");
    let dir = dir.to_str().unwrap();
    let run = tifa(&[
        "--lexicon",
        TRAPS,
        "trend",
        "--period",
        "decade",
        "--terms",
        "two-heavy",
        dir,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "period,term,hits,docs,rate_zh,rate_en\n\
         1950s,two-heavy,3,2,2142.8571,\n\
         1960s,two-heavy,0,0,,\n\
         1970s,two-heavy,0,0,,\n\
         1980s,two-heavy,1,1,2500.0,\n"
    );
    assert!(
        run.stderr.contains(
            "left out 1 document without a date and 0 documents dated \
             more coarsely than a decade"
        ),
        "{}",
        run.stderr
    );
    let run = tifa(&["--lexicon", TRAPS, "count", "--by", "decade", dir]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.first_column(), ["(none)", "1950s", "1980s"]);

    let svg = w.path("d.svg");
    let run = tifa(&[
        "--lexicon",
        TRAPS,
        "trend",
        "--period",
        "decade",
        "--svg",
        svg.to_str().unwrap(),
        dir,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let svg = std::fs::read_to_string(svg).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    for label in ["1950s", "1960s", "1970s", "1980s"] {
        assert!(texts.contains(&label), "{label} not in {texts:?}");
    }

    let out = w.path("rep");
    let run = tifa(&[
        "--lexicon",
        TRAPS,
        "--quiet",
        "report",
        dir,
        "--period",
        "decade",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let index = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(index.contains("## Over time, by decade"), "{index}");
    assert!(index.contains("1980s (incomplete: its last document is dated 1981-06; rates compare, counts do not) against 1950s, the last earlier decade with documents (1960s to 1970s, 2 decades, have none)"), "{index}");
    let csv = std::fs::read_to_string(out.join("trend.csv")).unwrap();
    assert!(csv.contains("\n1960s,two-heavy,0,0,,"), "{csv}");
    assert!(out.join("trend.svg").exists());
}

#[test]
fn unknown_term_is_a_usage_error() {
    let run =
        tifa(&["--lexicon", TRAPS, "trend", CORPUS, "--terms", "两重,三重"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown term \"三重\""), "{}", run.stderr);
    assert!(run.stdout.is_empty());
}

#[test]
fn value_needs_wide_and_summary_excludes_wide() {
    assert_eq!(tifa(&["trend", CORPUS, "--value", "hits"]).code, 2);
    assert_eq!(tifa(&["trend", CORPUS, "--wide", "--summary"]).code, 2);
    assert_eq!(tifa(&["trend", CORPUS, "--period", "century"]).code, 2);
}

/// `-` is stdout elsewhere, and stdout holds the table: a chart named `-`
/// is refused, not written to a file of that name.
#[test]
fn svg_to_a_dash_is_refused() {
    let w = Workdir::new();
    let lexicon = crate::util::root().join(TRAPS);
    let corpus = crate::util::root().join(CORPUS);
    let args = |svg| {
        let (lexicon, corpus) = (lexicon.to_str(), corpus.to_str());
        ["--lexicon", lexicon.unwrap(), "trend", corpus.unwrap(), "--svg", svg]
    };
    let run = w.run_with(&args("-"), b"", Some(w.dir.path()));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "tifa: invalid value '-' for '--svg <FILE>': stdout holds the table: name a file for the chart (./- for one named -); see tifa trend --help\n"
    );
    assert!(run.stdout.is_empty() && !w.path("-").exists());
    let run = w.run_with(&args("./-"), b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(std::fs::read_to_string(w.path("-")).unwrap().contains("<svg"));
}

/// A chart named as a folder, or not at all, is refused before anything
/// is read. (It failed only when the chart was put in place, after the
/// table had replaced the `-o` file.)
#[test]
fn svg_named_as_a_folder_is_refused() {
    let w = Workdir::new();
    w.write("table.csv", "previous\n");
    let corpus = crate::util::root().join(CORPUS);
    for (svg, said) in [
        ("", "name a file for the chart"),
        (
            "charts/",
            "charts/ names a folder: name the chart's file (charts/trend.svg)",
        ),
        (
            "x.svg/",
            "x.svg/ names a folder: name the chart's file (x.svg/trend.svg)",
        ),
    ] {
        let args = [
            "trend",
            corpus.to_str().unwrap(),
            "--svg",
            svg,
            "-o",
            "table.csv",
        ];
        let run = w.run_with(&args, b"", Some(w.dir.path()));
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "tifa: invalid value '{svg}' for '--svg <FILE>': {said}; see tifa trend --help\n"
            )
        );
        assert_eq!(
            std::fs::read_to_string(w.path("table.csv")).unwrap(),
            "previous\n"
        );
    }
}

/// A chart and a table named alike: refused before anything is read, and
/// nothing written, where the chart used to replace the table unsaid.
#[test]
fn svg_and_output_of_one_name_are_refused() {
    let w = Workdir::new();
    let corpus = crate::util::root().join(CORPUS);
    std::fs::create_dir(w.path("sub")).unwrap();
    for (svg, out) in [
        ("both.svg", "both.svg"),
        ("./both.svg", "both.svg"),
        ("sub/../both.svg", "both.svg"),
    ] {
        let args =
            ["trend", corpus.to_str().unwrap(), "--svg", svg, "-o", out];
        let run = w.run_with(&args, b"", Some(w.dir.path()));
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_eq!(
            run.stderr,
            format!(
                "tifa: {svg}: named by both --svg and -o; the chart would replace the table: name them apart\n"
            )
        );
        assert!(!w.path("both.svg").exists());
    }
}

#[test]
fn svg_is_well_formed_and_the_same_for_any_thread_count() {
    let w = Workdir::new();
    let draw = |name: &str, threads: &str| {
        let path = w.path(name);
        let run = tifa(&[
            "--lexicon",
            TRAPS,
            threads,
            "trend",
            CORPUS,
            "--period",
            "quarter",
            "--terms",
            "two-heavy,ai-plus,chinese-modernization",
            "--svg",
            path.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        std::fs::read_to_string(path).unwrap()
    };
    let svg = draw("a.svg", "-j1");
    assert_eq!(svg, draw("b.svg", "-j4"));
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert!(
        root.attribute("font-family").unwrap().starts_with("Noto Sans CJK SC")
    );
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    for label in [
        "两重 two heavy",
        "人工智能+ AI+",
        "中国式现代化 Chinese modernization",
    ] {
        assert!(texts.contains(&label), "{label} not in {texts:?}");
    }
    // Quarters 2020-Q2 to 2025-Q1 are 20: too many labels for the axis, so
    // only round ones (every 2nd, 4th ...) are drawn.
    assert!(texts.contains(&"2021-Q1"), "{texts:?}");
    assert!(!texts.contains(&"2020-Q2"), "{texts:?}");
    let lines = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("series"))
        .count();
    assert_eq!(lines, 3);
    // Written atomically: no temporary file left beside it.
    let left: Vec<_> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".tifa-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Past the ten colours of the palette, series differ by dash pattern,
/// in the chart and in its legend: no two of 24 lines look alike.
#[test]
fn svg_series_past_the_palette_are_dashed() {
    let w = Workdir::new();
    let list = tifa(&["lexicon", "list", "--format", "csv"]);
    assert_eq!(list.code, 0, "{}", list.stderr);
    let ids: Vec<&str> = list.first_column().into_iter().take(24).collect();
    assert_eq!(ids.len(), 24);
    let path = w.path("t.svg");
    let terms = ids.join(",");
    let run = tifa(&[
        "trend",
        CORPUS,
        "--period",
        "quarter",
        "--terms",
        &terms,
        "--svg",
        path.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let svg = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let style = |n: roxmltree::Node| {
        (
            n.attribute("stroke").unwrap().to_string(),
            n.attribute("stroke-dasharray").unwrap_or("").to_string(),
        )
    };
    let series: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("series"))
        .map(|g| style(g.children().find(|c| c.has_tag_name("path")).unwrap()))
        .collect();
    let legend: Vec<_> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("line") && n.attribute("stroke-width") == Some("3")
        })
        .map(style)
        .collect();
    assert_eq!(series.len(), 24);
    assert_eq!(series, legend);
    let distinct: std::collections::BTreeSet<_> = series.iter().collect();
    assert_eq!(distinct.len(), 24, "{series:?}");
    // The first ten keep their solid lines.
    assert!(series[..10].iter().all(|(_, d)| d.is_empty()), "{series:?}");
}

/// `--per-doc` adds a column to the long table: with `--wide` or
/// `--summary` it would do nothing, so it is refused.
#[test]
fn per_doc_with_wide_or_summary_is_refused() {
    for other in ["--wide", "--summary"] {
        let run = tifa(&["trend", "--per-doc", other, CORPUS]);
        assert_eq!(run.code, 2, "{other}");
        assert!(
            run.stderr.contains("'--per-doc' cannot be used with")
                && run.stderr.contains(other),
            "{}",
            run.stderr
        );
    }
}

/// In a corpus of Chinese and English documents the summary uses
/// `rate_zh`: a period of English documents only has no rate, and stderr
/// says that it was left out of the slope and the test.
#[test]
fn summary_says_which_periods_have_no_rate() {
    let w = Workdir::new();
    w.write("2020.txt", "Chinese modernization");
    w.write("2021.txt", "中国式现代化");
    w.write("2022.txt", "中国式现代化，中国式现代化");
    let run = w.run_with(
        &[
            "--lexicon",
            &crate::util::root().join(TRAPS).display().to_string(),
            "trend",
            "--summary",
            ".",
        ],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("chinese-modernization,2020,2022,2022,3,0,"),
        "{}",
        run.stdout
    );
    assert_eq!(
        run.stderr.lines().next().unwrap(),
        "tifa: trend: left out of slope and mk: 1 period with documents but no Han characters (no rate_zh)"
    );
}

/// `--terms` keeps a form holding a comma whole beside other terms, as
/// `kwic` does, and may be repeated.
#[test]
fn terms_with_commas_and_repeated() {
    let run = tifa(&[
        "trend",
        "examples",
        "--terms",
        "one country, two systems,两新",
        "--terms",
        "ai-plus",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut terms: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    terms.sort_unstable();
    terms.dedup();
    assert_eq!(terms, ["ai-plus", "one-country-two-systems", "two-new"]);
}

/// `--terms` splits at the commas a Chinese keyboard types and accepts
/// labels, as `kwic` does.
#[test]
fn terms_split_at_chinese_commas_and_name_labels() {
    let ids = |terms: &str| -> Vec<String> {
        let out = trend(&["--terms", terms]);
        let mut ids: Vec<String> = out
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap().to_string())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    let want = ["two-heavy", "two-new"];
    assert_eq!(ids("两新，两重"), want);
    assert_eq!(ids("两新、 两重"), want);
    assert_eq!(ids(" 两新,two-heavy ,"), want);
}

/// With no dated document there is no period to draw: `--svg` writes no
/// chart and says so, and the table is still written.
#[test]
fn no_chart_without_dated_documents() {
    let w = Workdir::new();
    let doc = w.write("undated.txt", "推进“两重”建设。\n");
    let svg = w.path("t.svg");
    let run = tifa(&[
        "trend",
        "--svg",
        svg.to_str().unwrap(),
        doc.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("period,term,"), "{}", run.stdout);
    assert!(!svg.exists());
    assert!(
        run.stderr.contains(
            "tifa: warning: trend --svg: no document is dated by year or more finely: no chart written"
        ),
        "{}",
        run.stderr
    );
}
