//! Bilingual texts end to end: `count --concepts` against a hand count on
//! `fixtures/bilingual`, its invariants, and snapshots of `renderings`,
//! `renderings --by year` and `renderings --gaps`.
//!
//! The fixtures are read with `fixtures/lexicon/bilingual.toml`, eight
//! terms abridged from the default lexicon with their old and new
//! renderings: the snapshots then show what the fixtures exercise, and
//! do not move whenever the default lexicon is curated. The default
//! lexicon is checked on them through invariants only.

use std::collections::BTreeMap;

use crate::cli_scan::records;
use crate::util::{CORPUS, Workdir, snapshot_settings, tifa, with_traps};

const BILINGUAL: &str = "tests/fixtures/bilingual";
const LEXICON: &str = "tests/fixtures/lexicon/bilingual.toml";

/// Runs tifa; its stdout, after checking that it succeeded.
fn ok(args: &[&str]) -> String {
    let run = tifa(args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    run.stdout
}

/// Runs tifa with the bilingual lexicon.
fn run(args: &[&str]) -> String {
    let mut all = vec!["--lexicon", LEXICON];
    all.extend_from_slice(args);
    ok(&all)
}

#[test]
fn snapshots() {
    snapshot_settings().bind(|| {
        insta::assert_snapshot!(
            "renderings_csv",
            run(&["renderings", BILINGUAL])
        );
        insta::assert_snapshot!(
            "renderings_by_year",
            run(&["renderings", "--by", "year", BILINGUAL])
        );
        insta::assert_snapshot!(
            "renderings_gaps",
            run(&["renderings", "--gaps", BILINGUAL])
        );
        insta::assert_snapshot!(
            "count_concepts",
            run(&["count", "--concepts", BILINGUAL])
        );
    });
}

/// `count --concepts --by doc` on the fixtures, computed by hand.
/// Paragraphs are numbered from 1 (the `# fixture` line); {a,b} is a
/// pair, and a term's mentions in a block are max(zh, en).
///
/// 2022-10-24 congress briefing: 1 header, 2 title (English), 3 EN, 4 ZH,
/// 5 EN, 6 ZH, 7 EN. Blocks {1} {2} {3,4} {5,6} {7}.
/// - chinese-modernization: {3,4} en 1 zh 1 → 1; {5,6} en 1 zh 1 → 1;
///   {7} en 1 → 1. Hits 5 (zh 2, en 3), mentions 3.
/// - high-quality-development: {3,4} en 1 zh 1 → 1. Hits 2, mentions 1.
/// - common-prosperity: {5,6} zh 1 (the English says "spread wealth more
///   evenly") → 1. Hits 1, mentions 1.
///
/// 2023-09-20 newsletter: 3 and 4 hold the English and the Chinese in one
/// paragraph (mixed), 5 is English. Blocks are single paragraphs.
/// - new-quality-productive-forces: {3} en 1 zh 1 → 1; {4} en 1 → 1.
///   Hits 3 (zh 1, en 2), mentions 2.
/// - high-quality-development: {4} en 1 → 1. Hits 1, mentions 1.
///
/// 2024-03-08 digest: 3 EN, 4 ZH, 5 EN, 6 ZH, 7 EN, 8 ZH, 9 EN. Blocks
/// {3,4} {5,6} {7,8} {9}.
/// - chinese-modernization: {3,4} en 1 zh 1 → 1; {9} en 2 (both
///   renderings) → 2. Hits 4 (zh 1, en 3), mentions 3.
/// - new-quality-productive-forces, ai-plus: {3,4} en 1 zh 1 → 1 each.
///   Hits 2, mentions 1.
/// - two-heavy: {5,6} en 1 ("two major undertakings"), zh 2 (两重 and the
///   spelled-out form) → 2. Hits 3 (zh 2, en 1), mentions 2.
/// - property-whitelist: {7,8} zh 1 → 1. Hits 1, mentions 1.
///
/// 2025-03-07 digest, Chinese first: 2 title (Chinese), 3 ZH, 4 EN, 5 ZH,
/// 6 EN, 7 ZH, 8 EN, 9 EN comment. Chinese-first pairing makes 3 pairs,
/// English-first 2 ({4,5} {6,7}), so blocks are {1} {2} {3,4} {5,6}
/// {7,8} {9}. (Paired English first, two-heavy would count 2.)
/// - two-heavy, two-new: {3,4} zh 1 en 1 → 1 each. Hits 2, mentions 1.
/// - ai-plus: {5,6} zh 1 en 1 → 1. Hits 2, mentions 1.
/// - new-quality-productive-forces: {5,6} zh 1 ("new kinds of productive
///   capacity" is not listed) → 1. Hits 1, mentions 1.
/// - chinese-modernization: {7,8} zh 1 en 1 → 1; {9} en 1 → 1. Hits 3
///   (zh 1, en 2), mentions 2.
/// - common-prosperity: {7,8} zh 1 en 1 → 1. Hits 2, mentions 1.
///
/// Over the corpus: chinese-modernization 12 hits, 8 mentions;
/// new-quality-productive-forces 6, 4; two-heavy 5, 3; ai-plus 4, 2;
/// common-prosperity 3, 2; high-quality-development 3, 2; two-new 2, 1;
/// property-whitelist 1, 1.
#[test]
fn concept_count_by_hand() {
    type Row = (&'static str, &'static str, [u64; 4]);
    // (file date, term, [hits, hits_zh, hits_en, mentions])
    let want: &[Row] = &[
        ("2022-10-24", "chinese-modernization", [5, 2, 3, 3]),
        ("2022-10-24", "high-quality-development", [2, 1, 1, 1]),
        ("2022-10-24", "common-prosperity", [1, 1, 0, 1]),
        ("2023-09-20", "new-quality-productive-forces", [3, 1, 2, 2]),
        ("2023-09-20", "high-quality-development", [1, 0, 1, 1]),
        ("2024-03-08", "chinese-modernization", [4, 1, 3, 3]),
        ("2024-03-08", "new-quality-productive-forces", [2, 1, 1, 1]),
        ("2024-03-08", "ai-plus", [2, 1, 1, 1]),
        ("2024-03-08", "two-heavy", [3, 2, 1, 2]),
        ("2024-03-08", "property-whitelist", [1, 1, 0, 1]),
        ("2025-03-07", "two-heavy", [2, 1, 1, 1]),
        ("2025-03-07", "two-new", [2, 1, 1, 1]),
        ("2025-03-07", "ai-plus", [2, 1, 1, 1]),
        ("2025-03-07", "new-quality-productive-forces", [1, 1, 0, 1]),
        ("2025-03-07", "chinese-modernization", [3, 1, 2, 2]),
        ("2025-03-07", "common-prosperity", [2, 1, 1, 1]),
    ];
    let cells = |r: &BTreeMap<String, String>| -> [u64; 4] {
        ["hits", "hits_zh", "hits_en", "mentions"]
            .map(|c| r[c].parse().unwrap())
    };
    let got: BTreeMap<(String, String), [u64; 4]> =
        records(&run(&["count", "--concepts", "--by", "doc", BILINGUAL]))
            .iter()
            .map(|r| {
                let file = r["doc"].rsplit('/').next().unwrap();
                ((file[..10].to_string(), r["term"].clone()), cells(r))
            })
            .collect();
    let want_docs: BTreeMap<(String, String), [u64; 4]> = want
        .iter()
        .map(|&(d, t, c)| ((d.to_string(), t.to_string()), c))
        .collect();
    assert_eq!(got, want_docs);

    let totals: BTreeMap<String, (u64, u64)> =
        records(&run(&["count", "--concepts", BILINGUAL]))
            .iter()
            .map(|r| {
                let c = cells(r);
                (r["term"].clone(), (c[0], c[3]))
            })
            .collect();
    let want_totals: BTreeMap<String, (u64, u64)> = [
        ("chinese-modernization", (12, 8)),
        ("new-quality-productive-forces", (6, 4)),
        ("two-heavy", (5, 3)),
        ("ai-plus", (4, 2)),
        ("common-prosperity", (3, 2)),
        ("high-quality-development", (3, 2)),
        ("two-new", (2, 1)),
        ("property-whitelist", (1, 1)),
    ]
    .into_iter()
    .map(|(t, c)| (t.to_string(), c))
    .collect();
    assert_eq!(totals, want_totals);
}

#[test]
fn mentions_sit_after_hits_en() {
    let out = run(&["count", "--concepts", "--nesting", BILINGUAL]);
    assert_eq!(
        out.lines().next(),
        Some(
            "term,label_zh,label_en,category,hits,hits_zh,hits_en,mentions,\
             unconfirmed,nested,total,docs,rate_zh,rate_en"
        )
    );
    // Without --concepts the columns are as before.
    let out = run(&["count", BILINGUAL]);
    assert!(!out.lines().next().unwrap().contains("mentions"));
}

/// In a monolingual text every block holds one language, so mentions are
/// hits, whatever the lexicon.
#[test]
fn mentions_equal_hits_on_a_monolingual_corpus() {
    let args = ["count", "--concepts", "--by", "doc", CORPUS];
    for out in [ok(&args), with_traps(&args)] {
        let rows = records(&out);
        assert!(rows.len() > 5);
        for r in rows {
            assert_eq!(r["mentions"], r["hits"], "{r:?}");
        }
    }
}

/// Per block, max(zh, en) lies between the larger language and their sum;
/// so do the sums: max(hits_zh, hits_en) ≤ mentions ≤ hits. Checked with
/// the default lexicon on the fixtures and the examples.
#[test]
fn mentions_lie_between_the_larger_language_and_hits() {
    let rows = records(&ok(&[
        "count",
        "--concepts",
        "--by",
        "doc",
        BILINGUAL,
        "examples",
    ]));
    let mut fewer = 0;
    for r in &rows {
        let n = |c: &str| r[c].parse::<u64>().unwrap();
        let (hits, mentions) = (n("hits"), n("mentions"));
        assert!(n("hits_zh").max(n("hits_en")) <= mentions, "{r:?}");
        assert!(mentions <= hits, "{r:?}");
        fewer += u64::from(mentions < hits);
    }
    assert!(fewer >= 5, "{fewer}");
}

/// Each form's hits add up to the term's hits in `count`, overall and per
/// year.
#[test]
fn renderings_add_up_to_count() {
    for by in [None, Some("year")] {
        let mut args = vec!["renderings"];
        let mut count_args = vec!["count"];
        if let Some(by) = by {
            args.extend(["--by", by]);
            count_args.extend(["--by", by]);
        }
        args.extend([BILINGUAL, "examples"]);
        count_args.extend([BILINGUAL, "examples"]);
        let group = |r: &BTreeMap<String, String>| {
            by.map_or(String::new(), |b| r[b].clone())
        };
        let mut sums: BTreeMap<(String, String), u64> = BTreeMap::new();
        for r in records(&ok(&args)) {
            *sums.entry((group(&r), r["term"].clone())).or_default() +=
                r["hits"].parse::<u64>().unwrap();
        }
        // Terms with unconfirmed matches only have no rendering.
        let counts: BTreeMap<(String, String), u64> =
            records(&ok(&count_args))
                .iter()
                .map(|r| {
                    ((group(r), r["term"].clone()), r["hits"].parse().unwrap())
                })
                .filter(|&(_, hits)| hits > 0)
                .collect();
        assert_eq!(sums, counts, "{by:?}");
    }
}

/// The official column: yes/no for English forms as the lexicon marks
/// them, empty for Chinese forms.
#[test]
fn official_marks() {
    let rows = records(&run(&["renderings", BILINGUAL]));
    let official: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| (r["form"].as_str(), r["official"].as_str()))
        .collect();
    assert_eq!(official["Chinese path to modernization"], "yes");
    assert_eq!(official["new productive forces"], "no");
    assert_eq!(official["two major undertakings"], "no");
    assert_eq!(official["中国式现代化"], "");
    for r in &rows {
        assert_eq!(r["lang"] == "zh", r["official"].is_empty(), "{r:?}");
    }
}

/// Gaps need a bilingual block: an English paragraph quoting a Chinese
/// term is English, and a term rendered on both sides is no gap.
#[test]
fn gaps_only_in_bilingual_blocks() {
    let w = Workdir::new();
    w.write(
        "2025-01-02-quote.txt",
        "Officials keep repeating 中国式现代化 at every meeting, and the \
         phrase now opens most speeches on the economy, on technology and \
         on the countryside, a habit that started long before this year.\n",
    );
    w.write(
        "2025-01-03-pair.txt",
        "Chinese modernization needs common prosperity, the premier said.\n\
         总理说，中国式现代化需要扎实推进共同富裕。\n\
         Provinces should develop high-quality development zones, he added.\n\
         他还说，各省要建设新的开发区。\n",
    );
    let dir = w.dir.path().to_str().unwrap();
    let gaps = records(&run(&["renderings", "--gaps", dir]));
    let found: Vec<(&str, &str, &str, &str)> = gaps
        .iter()
        .map(|r| {
            (
                r["paragraph"].as_str(),
                r["line"].as_str(),
                r["term"].as_str(),
                r["present"].as_str(),
            )
        })
        .collect();
    assert_eq!(found, [("3", "3", "high-quality-development", "en")]);
    assert_eq!(gaps[0]["missing"], "zh");
    assert_eq!(gaps[0]["date"], "2025-01-03");
    assert_eq!(
        gaps[0]["excerpt"],
        "…d develop high-quality development zones…"
    );
}

#[test]
fn same_output_whatever_the_threads() {
    for extra in
        [&["renderings", "--by", "doc"][..], &["renderings", "--gaps"]]
    {
        let args = |j: &'static str| {
            let mut a = vec![j];
            a.extend_from_slice(extra);
            a.extend([BILINGUAL, "examples"]);
            a
        };
        let a = ok(&args("-j1"));
        assert!(a.lines().count() > 3);
        assert_eq!(a, ok(&args("-j4")), "{extra:?}");
    }
}

#[test]
fn gaps_and_by_do_not_mix() {
    let r = tifa(&["renderings", "--gaps", "--by", "year", BILINGUAL]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--by"), "{}", r.stderr);
}

/// A term the other language holds only inside a longer match of another
/// term is there, not a gap: 设备更新 and 以旧换新 inside the two-new
/// expansion 大规模设备更新和消费品以旧换新 render "equipment renewal" and
/// "trade-in" (built-in lexicon).
#[test]
fn a_term_inside_another_terms_match_is_no_gap() {
    let w = Workdir::new();
    w.write(
        "2024-03-05-gwr.txt",
        "China will carry out the \"two heavy\" projects and the large-scale \
         equipment renewal and consumer goods trade-in programme.\n\n\
         我们将实施“两重”建设，推动大规模设备更新和消费品以旧换新。\n",
    );
    let dir = w.dir.path().to_str().unwrap();
    let gaps = records(&ok(&["renderings", "--gaps", dir]));
    let terms: Vec<&str> = gaps.iter().map(|r| r["term"].as_str()).collect();
    // The English wording is not two-new's listed rendering: that one is.
    assert_eq!(terms, ["two-new"], "{gaps:?}");
}

/// Typeset English quotes as the lexicon's ASCII ones: “two major” is the
/// form `"two major"`, and ‘involution’ (opening ‘, closing ’) is in
/// `vicious 'involution' competition`. Both were missed, and called gaps.
#[test]
fn typographic_quotes_match_the_ascii_ones() {
    let w = Workdir::new();
    w.write(
        "en.txt",
        "Beijing will fund “two major” projects this year.\n\
         Officials warned against vicious ‘involution’ competition.\n\
         Others wrote \"two major\" and vicious 'involution' competition.\n",
    );
    let run = w.run(&[
        "scan",
        "--format",
        "csv",
        w.path("en.txt").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let matches: Vec<&str> = (run.stdout.lines().skip(1))
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    assert_eq!(
        matches,
        [
            "two-heavy",
            "involution-competition",
            "two-heavy",
            "involution-competition"
        ],
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(",“two major”,18,33,1,confirmed"),
        "{}",
        run.stdout
    );
}

/// Hong Kong and Taiwan text quotes with corner brackets: 「两重」 is
/// confirmed by the near word ”建设 as “两重” is, 「一带一路」建设进入新时代
/// is excluded from new-era as its “ ” spelling is, and 『』 match as ‘ ’.
/// The quotes of the original are reported.
#[test]
fn corner_brackets_match_as_quotes() {
    let w = Workdir::new();
    w.write(
        "hk.txt",
        "推動「两重」建设。\n十年来，共建「一带一路」建设进入新时代。\n\
         他說：「要反对『内卷式』竞争。」\n",
    );
    let run = w.run(&[
        "scan",
        "--status",
        "all",
        "--format",
        "csv",
        w.path("hk.txt").to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<Vec<&str>> = (run.stdout.lines().skip(1))
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            vec![cells[2], cells[5], cells[9]]
        })
        .collect();
    assert_eq!(
        rows,
        [
            ["two-heavy", "两重", "confirmed"],
            ["belt-and-road", "共建「一带一路」", "confirmed"],
            ["new-era", "进入新时代", "excluded"],
            ["involution-competition", "『内卷式』竞争", "confirmed"],
        ],
        "{}",
        run.stdout
    );
}
