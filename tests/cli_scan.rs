//! `tifa scan` end to end: every match behind every count.

use std::collections::BTreeMap;

use crate::util::{
    CORPUS, TRAPS, Workdir, snapshot_settings, tifa, with_traps,
};

fn scan(extra: &[&str]) -> String {
    with_traps(&[&["scan", CORPUS], extra].concat())
}

/// Rows of a CSV as maps from column to cell.
pub fn records(csv: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn formats() {
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("scan_csv", scan(&["--format", "csv"]));
        insta::assert_snapshot!("scan_jsonl", scan(&["--format", "jsonl"]));
        insta::assert_snapshot!("scan_md", scan(&["--format", "md"]));
        insta::assert_snapshot!(
            "scan_filtered",
            scan(&[
                "--status",
                "excluded,unconfirmed",
                "--term",
                "两重",
                "--term",
                "property-whitelist"
            ])
        );
    });
}

/// The invariant that makes counts auditable: on the same input, the
/// confirmed rows of a term are its `hits` and the unconfirmed rows its
/// `unconfirmed`, with the test lexicon and with the built-in one.
#[test]
fn rows_agree_with_count() {
    for (lexicon, inputs) in [
        (Some(TRAPS), vec![CORPUS, "examples"]),
        (None, vec!["examples", CORPUS]),
    ] {
        let run = |cmd: &[&str]| {
            let mut args: Vec<&str> =
                lexicon.map_or(vec![], |l| vec!["--lexicon", l]);
            args.extend_from_slice(cmd);
            args.extend(&inputs);
            let run = tifa(&args);
            assert_eq!(run.code, 0, "{}", run.stderr);
            records(&run.stdout)
        };
        let mut from_scan: BTreeMap<(String, String), u64> = BTreeMap::new();
        for row in run(&["-j2", "scan"]) {
            *from_scan
                .entry((row["term"].clone(), row["status"].clone()))
                .or_default() += 1;
        }
        let counts = run(&["-j1", "count", "--all"]);
        assert!(!counts.is_empty());
        for row in counts {
            let n = |status: &str| {
                from_scan
                    .get(&(row["term"].clone(), status.into()))
                    .copied()
                    .unwrap_or(0)
            };
            assert_eq!(
                n("confirmed").to_string(),
                row["hits"],
                "{lexicon:?} {}",
                row["term"]
            );
            assert_eq!(
                n("unconfirmed").to_string(),
                row["unconfirmed"],
                "{lexicon:?} {}",
                row["term"]
            );
        }
        assert!(from_scan.keys().any(|k| k.1 == "excluded"));
    }
}

#[test]
fn offsets_and_lines_point_into_the_original_text() {
    let w = Workdir::new();
    let doc = w.write(
        "doc.txt",
        "第一行\r\n推进“两重”建设\r第三行\n\n新质生\n产力 AI+",
    );
    let run = tifa(&[
        "--lexicon",
        TRAPS,
        "--format",
        "json",
        "scan",
        doc.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(&doc).unwrap();
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&run.stdout).unwrap();
    let got: Vec<(&str, u64)> = rows
        .iter()
        .map(|r| {
            let (start, end) = (
                r["start"].as_u64().unwrap() as usize,
                r["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[start..end], r["match"].as_str().unwrap());
            (r["match"].as_str().unwrap(), r["line"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(got, [("两重", 2), ("新质生\n产力", 5), ("AI+", 6)]);
    assert!(rows[0]["date"].is_null());
}

#[test]
fn same_rows_whatever_the_thread_count() {
    let a = tifa(&["--lexicon", TRAPS, "-j1", "scan", CORPUS, "examples"]);
    let b = tifa(&["--lexicon", TRAPS, "-j2", "scan", CORPUS, "examples"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn unknown_term_exits_2_naming_it() {
    let run = tifa(&[
        "--lexicon",
        TRAPS,
        "scan",
        "--term",
        "two-heavy",
        "--term",
        "三重",
        CORPUS,
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown term \"三重\""), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let run = tifa(&["--lexicon", TRAPS, "scan", "--status", "maybe", CORPUS]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("maybe"), "{}", run.stderr);
}

/// `--status all`, the default `scan --help` names, is every status, for
/// `scan` and `kwic` alike.
#[test]
fn status_all_is_every_status() {
    let every = scan(&[]);
    assert!(every.contains(",excluded\n") && every.contains(",unconfirmed\n"));
    assert_eq!(scan(&["--status", "all"]), every);
    assert_eq!(scan(&["--status", "confirmed,all"]), every);
    let kwic = |status: &str| {
        with_traps(&["kwic", "两新,白名单", CORPUS, "--status", status])
    };
    let all = kwic("all");
    assert_eq!(all, kwic("confirmed,unconfirmed,excluded"));
    assert_ne!(all, kwic("confirmed"));
    let run = tifa(&["scan", "--status", "some", CORPUS]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "unknown status \"some\" (confirmed, unconfirmed, excluded, all)"
        ),
        "{}",
        run.stderr
    );
}

/// The sites behind a cell of `trend --period quarter` are those `scan`
/// lists over the quarter's days: a document dated by month only is in
/// both, whatever day its month ends on.
#[test]
fn a_quarter_audited_by_its_days() {
    let w = Workdir::new();
    let record = |date: &str| {
        format!("{{\"date\":\"{date}\",\"text\":\"推进“两重”建设。\"}}\n")
    };
    let dates = ["2024-03-31", "2024-04", "2024-06", "2024-06-30", "2024-07"];
    w.write("news.jsonl", dates.map(record).concat());
    let lex = crate::util::root().join(TRAPS);
    let lex = lex.to_str().unwrap();
    let run = |args: &[&str]| w.run_with(args, b"", Some(w.dir.path()));
    let trend = run(&[
        "--lexicon",
        lex,
        "trend",
        "--period",
        "quarter",
        "--terms",
        "two-heavy",
        "news.jsonl",
    ]);
    assert!(
        trend.stdout.contains("\n2024-Q2,two-heavy,3,3,"),
        "{}",
        trend.stdout
    );
    let scan = run(&[
        "--lexicon",
        lex,
        "scan",
        "--since",
        "2024-04-01",
        "--until",
        "2024-06-30",
        "news.jsonl",
    ]);
    let found: Vec<String> =
        records(&scan.stdout).into_iter().map(|r| r["date"].clone()).collect();
    assert_eq!(found, ["2024-04", "2024-06", "2024-06-30"], "{}", scan.stderr);
}

/// `scan`'s `lang` is the language a match counts in, so that its rows
/// add up to `count`'s `hits_zh` and `hits_en`: "AI+" inside Chinese
/// prose counts as Chinese.
#[test]
fn lang_is_the_rate_a_match_counts_in() {
    let w = Workdir::new();
    w.write(
        "a.txt",
        "开展人工智能“AI+”行动。\nThe AI+ initiative was launched in Beijing.\n",
    );
    let run = |cmd: &str| w.run_with(&[cmd, "a.txt"], b"", Some(w.dir.path()));
    let rows: Vec<(String, String)> = records(&run("scan").stdout)
        .into_iter()
        .filter(|r| r["term"] == "ai-plus")
        .map(|r| (r["lang"].clone(), r["match"].clone()))
        .collect();
    assert_eq!(
        rows,
        [("zh".into(), "AI+".into()), ("en".into(), "AI+ initiative".into())]
    );
    let count = records(&run("count").stdout);
    let ai = count.iter().find(|r| r["term"] == "ai-plus").unwrap();
    assert_eq!((ai["hits_zh"].as_str(), ai["hits_en"].as_str()), ("1", "1"));
}

/// `--term` takes lists and names as `kwic` does: full-width and
/// enumeration commas, full-width forms, labels.
#[test]
fn term_lists_as_a_chinese_keyboard_types_them() {
    let w = Workdir::new();
    let doc = w.write(
        "a.txt",
        "统筹推进“两重”建设项目，加力扩围实施“两新”政策，开展“人工智能＋”行动。\n",
    );
    let terms = |args: &[&str]| {
        let run = tifa(&[&["scan"], args, &[doc.to_str().unwrap()]].concat());
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let mut ids: Vec<String> = records(&run.stdout)
            .into_iter()
            .map(|r| r["term"].clone())
            .collect();
        ids.dedup();
        ids
    };
    assert_eq!(terms(&["--term", "两新，两重"]), ["two-heavy", "two-new"]);
    assert_eq!(
        terms(&["--term", "two major", "--term", "ＡＩ＋"]),
        ["two-heavy", "ai-plus"]
    );
    let run = tifa(&["scan", "--term", "，、", doc.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no term named in [\"，、\"]"),
        "{}",
        run.stderr
    );
}

/// English forms inside web and e-mail addresses are not matches, whether
/// the link has a scheme or starts at `www.`; the words around are.
#[test]
fn no_match_inside_an_address_without_a_scheme() {
    let w = Workdir::new();
    let doc = w.write(
        "a.txt",
        "房地产项目详见WWW.mohurd.gov.cn/zhengce/whitelist.html，\
         或发邮件至whitelist@mohurd.gov.cn。The whitelist mechanism works.\n",
    );
    let run = tifa(&["scan", "--status", "all", doc.to_str().unwrap()]);
    let found: Vec<String> = records(&run.stdout)
        .into_iter()
        .map(|r| format!("{}@{}", r["match"], r["start"]))
        .collect();
    assert_eq!(found, ["whitelist@109"], "{}", run.stdout);
    let corpus = tifa(&["corpus", doc.to_str().unwrap()]);
    let en_words = &records(&corpus.stdout)[0]["en_words"];
    assert_eq!(en_words, "4", "The, whitelist, mechanism, works");
}

/// A context rule's window counts a CR LF as one character, a line break:
/// an article with Windows line ends gets the statuses it gets with LF.
#[test]
fn context_windows_count_a_crlf_as_one_character() {
    let w = Workdir::new();
    w.write(
        "narrow.toml",
        "[lexicon]\nname = \"narrow\"\nversion = \"1\"\n\n[[term]]\nid = \"wl\"\nzh = [\"白名单\"]\nen = [\"whitelist\"]\ncategory = \"x\"\ncontext = { near = [\"房地产\"], window = 5 }\n",
    );
    w.write("lf.txt", "房地产a\n白名单\n");
    w.write("crlf.txt", "房地产a\r\n白名单\r\n");
    let args = ["--lexicon", "narrow.toml", "scan", "lf.txt", "crlf.txt"];
    let run = w.run_with(&args, b"", Some(w.dir.path()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let statuses: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').next().unwrap())
        .collect();
    assert_eq!(statuses, ["confirmed", "confirmed"], "{}", run.stdout);
}
