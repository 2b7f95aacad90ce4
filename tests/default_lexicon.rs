//! The built-in lexicon on a short press-style fixture written for the
//! tests: regressions for the fixes of the 2026 lexicon audit (wrong term,
//! foreign or bilateral uses, sub-doctrines, product names).

use crate::util::{fixture, tifa};

/// `(term, status, match)` of every row of `scan --status all` over the
/// audit fixture, with the default lexicon.
fn rows() -> Vec<(String, String, String)> {
    rows_of("default-lexicon/2025-03-06-audit-regressions.txt")
}

/// `(term, status, match)` of every row of `scan --status all` over a
/// fixture, with the default lexicon.
fn rows_of(name: &str) -> Vec<(String, String, String)> {
    let path = fixture(name);
    let run = tifa(&[
        "--quiet",
        "--format",
        "csv",
        "scan",
        "--status",
        "all",
        path.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // A match may hold commas: read the rows as CSV.
    let mut sheet = csv::Reader::from_reader(run.stdout.as_bytes());
    let header = sheet.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (term, status, matched) = (col("term"), col("status"), col("match"));
    sheet
        .records()
        .map(|row| {
            let row = row.unwrap();
            (
                row[term].to_owned(),
                row[status].to_owned(),
                row[matched].to_owned(),
            )
        })
        .collect()
}

fn has(
    rows: &[(String, String, String)],
    term: &str,
    status: &str,
    m: &str,
) -> bool {
    rows.iter().any(|(t, s, x)| t == term && s == status && x == m)
}

fn statuses(rows: &[(String, String, String)], term: &str) -> Vec<String> {
    rows.iter().filter(|r| r.0 == term).map(|r| r.1.clone()).collect()
}

#[test]
fn coordinate_high_quality_development_and_security() {
    let rows = rows();
    assert!(has(
        &rows,
        "coordinate-development-security",
        "confirmed",
        "统筹高质量发展和高水平安全"
    ));
    // The 高质量发展 inside it is not counted a second time.
    assert!(
        statuses(&rows, "high-quality-development").is_empty(),
        "{rows:?}"
    );
}

#[test]
fn bilateral_relations_entering_a_new_era_are_not_new_era() {
    let rows = rows();
    assert!(has(&rows, "new-era", "excluded", "关系进入新时代"), "{rows:?}");
    assert!(has(&rows, "new-era", "confirmed", "进入新时代"), "{rows:?}");
    assert_eq!(statuses(&rows, "new-era").len(), 2, "{rows:?}");
}

#[test]
fn foreign_national_security_bodies_are_excluded() {
    let rows = rows();
    assert!(has(&rows, "national-security", "excluded", "美国国家安全"));
    assert_eq!(
        statuses(&rows, "national-security"),
        ["excluded", "confirmed"],
        "{rows:?}"
    );
}

#[test]
fn variants_of_local_conditions_and_the_spelled_out_four_confidences() {
    let rows = rows();
    assert!(has(
        &rows,
        "npf-local-conditions",
        "confirmed",
        "因地制宜培育新质生产力"
    ));
    assert!(statuses(&rows, "new-quality-productive-forces").is_empty());
    assert!(has(
        &rows,
        "four-confidences",
        "confirmed",
        "道路自信、理论自信、制度自信、文化自信"
    ));
    assert!(statuses(&rows, "cultural-confidence").is_empty(), "{rows:?}");
}

#[test]
fn safe_development_needs_its_context() {
    let rows = rows();
    // 安全发展理念 next to 安全生产: the work-safety principle; 人工智能安全发展
    // far from any near word: the generic 'develop safely'.
    assert_eq!(
        statuses(&rows, "safe-development"),
        ["confirmed", "unconfirmed"],
        "{rows:?}"
    );
}

#[test]
fn english_sub_doctrines_acronyms_and_product_names() {
    let rows = rows();
    // Xi Jinping Thought on the Economy / on Strengthening the Armed Forces
    // are sub-doctrines; only the full name of the guiding ideology counts.
    assert!(has(
        &rows,
        "xi-thought",
        "excluded",
        "Xi Jinping Thought on the Economy"
    ));
    assert!(has(
        &rows,
        "xi-thought",
        "excluded",
        "Xi Jinping Thought on Strengthening the Armed Forces"
    ));
    let xi: Vec<_> = rows
        .iter()
        .filter(|r| r.0 == "xi-thought" && r.1 == "confirmed")
        .collect();
    assert_eq!(xi.len(), 1, "{rows:?}");
    assert_eq!(
        xi[0].2,
        "Xi Jinping Thought on Socialism with Chinese Characteristics for a New Era"
    );
    // BRI is a bank here; AI+VR a lab.
    assert!(statuses(&rows, "belt-and-road").is_empty(), "{rows:?}");
    assert!(has(&rows, "ai-plus", "excluded", "AI+VR"), "{rows:?}");
    // Bounded 'community of common destiny' is left out, as 中非命运共同体 is.
    assert_eq!(
        statuses(&rows, "community-shared-future"),
        ["confirmed"],
        "{rows:?}"
    );
}

/// The English near words of a context rule are words of the policy, not
/// ordinary English: "two new lines of heavy equipment", "two new bonds"
/// and "a whitelist of trusted app developers" are not 两新 nor the
/// property whitelist (bare "equipment", "bonds" and "developers" were
/// near words), where the programme of "equipment upgrades and consumer
/// goods trade-ins" and the whitelist of "real estate developers" are, as
/// are a whitelist in a "real-estate slump" and one that steadies "the
/// property market" (near words of lexicon 2026.8).
#[test]
fn english_near_words_are_words_of_the_policy() {
    let rows = rows_of("default-lexicon/2026-12-02-english-near-words.txt");
    let status = |term: &str| statuses(&rows, term);
    assert_eq!(
        status("two-new"),
        ["unconfirmed", "unconfirmed", "confirmed"],
        "{rows:?}"
    );
    assert_eq!(status("two-heavy"), ["unconfirmed", "confirmed"], "{rows:?}");
    assert_eq!(
        status("property-whitelist"),
        ["unconfirmed", "confirmed", "confirmed", "confirmed"],
        "{rows:?}"
    );
}

/// An exclusion excludes the form inside it even when another term's match
/// wins over it by starting further left: 进入新时代 after “一带一路”建设 and
/// after 新型国际关系 is no new era (both were counted), where 中国特色社会主义
/// 进入新时代 is.
#[test]
fn exclusions_that_lose_to_another_match_still_exclude() {
    let rows = rows_of("default-lexicon/2026-12-02-exclusions-that-lose.txt");
    assert_eq!(
        statuses(&rows, "new-era"),
        ["excluded", "excluded", "confirmed"],
        "{rows:?}"
    );
    assert!(has(&rows, "belt-and-road", "confirmed", "共建“一带一路”"));
    assert!(has(
        &rows,
        "new-type-international-relations",
        "confirmed",
        "新型国际关系"
    ));
}

/// The review of lexicon 2026.5 against the news corpora: sports, work
/// safety, foreign security, party-building in 「」 quotes, a population
/// "new normal", a sub-doctrine's name and a village slogan are excluded;
/// variant wordings of 两新, 两重, 两山, 两个维护 and 高水平对外开放 count.
#[test]
fn lexicon_review_traps_and_variants() {
    let rows = rows_of("default-lexicon/2026-12-02-lexicon-review.txt");
    for (term, status, m) in [
        ("dual-circulation", "excluded", "混双循环"),
        ("dual-circulation", "excluded", "双循环赛"),
        ("national-security", "excluded", "国家安全生产"),
        ("national-security", "excluded", "海湾国家安全"),
        ("two-new", "excluded", "两新」组织"),
        ("two-new", "confirmed", "设备更新、消费品以旧换新"),
        ("two-mountains", "confirmed", "「两山」"),
        ("two-heavy", "confirmed", "重点领域安全能力建设"),
        ("high-standard-opening-up", "confirmed", "高水平的对外开放"),
        ("high-standard-opening-up", "confirmed", "高水平开放"),
        ("high-standard-opening-up", "excluded", "高水平开放型"),
        ("new-era", "excluded", "新时代中国特色社会主义经济思想"),
        ("new-normal", "excluded", "人口发展新常态"),
        ("six-guarantees", "excluded", "帮六保"),
        (
            "two-upholds",
            "confirmed",
            "坚决维护习近平同志党中央的核心、全党的核心地位",
        ),
    ] {
        assert!(has(&rows, term, status, m), "{term} {status} {m}: {rows:?}");
    }
    // Nothing else: no other term confirmed in these traps.
    assert_eq!(rows.len(), 15, "{rows:?}");
}

/// English renderings added in lexicon 2026.6: Beijing Review's wording of
/// dual circulation, China Keywords' second rendering of the four
/// consciousnesses, "security capabilities" as a near word of "two heavy",
/// as China Daily words the expansion, and the label "two major" in quotes
/// (bare, it is any two major things).
#[test]
fn english_renderings_of_2026_6() {
    let rows = rows_of("default-lexicon/2026-12-02-english-renderings.txt");
    for (term, m) in [
        ("dual-circulation", "new double development dynamic"),
        (
            "four-consciousnesses",
            "being always conscious of political correctness, of the broader picture, of the core leadership, and of staying aligned with the core",
        ),
        ("two-heavy", "two heavy"),
        ("two-heavy", "\"two major\""),
    ] {
        assert!(has(&rows, term, "confirmed", m), "{term} {m}: {rows:?}");
    }
    assert_eq!(rows.len(), 4, "{rows:?}");
}

/// "high‑quality" with a non-breaking hyphen (U+2011), as web pages keep
/// it on one line, is "high-quality"; with an en dash it is not.
#[test]
fn unicode_hyphens_match_as_hyphens() {
    let w = crate::util::Workdir::new();
    let text = "China pursues high\u{2011}quality development.\nIt pursues high\u{2013}quality development.\n";
    let run = w.run_with(&["-q", "scan", "-"], text.as_bytes(), None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<&str> = run.stdout.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{}", run.stdout);
    assert!(
        rows[0].contains(",high-quality-development,en,high-quality development,high\u{2011}quality development,"),
        "{}",
        run.stdout
    );
}
