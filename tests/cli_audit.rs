//! `tifa audit` end to end: precision from a hand-checked sheet, and the
//! round trip from `kwic --sample` to `audit`.

use std::collections::BTreeMap;

use crate::cli_scan::records;
use crate::util::{Workdir, fixture, snapshot_settings, tifa};

const CORPUS: &str = "tests/fixtures/corpus";
const TRAPS: &str = "tests/fixtures/lexicon/traps.toml";

/// The fixture sheet, as a person filled it in Excel: a byte-order mark,
/// y/Y/yes/n/1/0/NO, a blank (unchecked) cell, a blank row, `'` prefixes,
/// a padded cell. Expected:
///
/// * two-heavy: 4 checked, 3 correct. Wilson 95% by hand, z = 1.959964,
///   z² = 3.841459, n = 4, p = 0.75: denominator 1 + z²/n = 1.960365;
///   centre (p + z²/2n) / 1.960365 = (0.75 + 0.480182) / 1.960365 =
///   0.627527; half-width z / 1.960365 * sqrt(p(1-p)/n + z²/4n²) =
///   0.999798 * sqrt(0.046875 + 0.060023) = 0.326885; so 0.3006 to 0.9544.
/// * property-whitelist: 4 checked, 1 correct: 0.0456 to 0.6994.
/// * ai-plus: 3 of 3: 0.4385 to exactly 1.
/// * new-quality-productive-forces: nothing checked: empty cells.
#[test]
fn fixture_sheet() {
    let run = tifa(&["audit", "tests/fixtures/audit/sheet.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    let rows = records(&run.stdout);
    let two_heavy = rows.iter().find(|r| r["term"] == "two-heavy").unwrap();
    assert_eq!(
        [
            &two_heavy["checked"],
            &two_heavy["correct"],
            &two_heavy["precision"]
        ],
        ["4", "3", "0.75"]
    );
    assert_eq!(
        [&two_heavy["ci_low"], &two_heavy["ci_high"]],
        ["0.3006", "0.9544"]
    );
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("audit_csv", run.stdout);
        let table = tifa(&[
            "--format",
            "table",
            "audit",
            "tests/fixtures/audit/sheet.csv",
        ]);
        insta::assert_snapshot!("audit_table", table.stdout);
    });
}

/// kwic --sample writes a sheet; a person fills it in; audit reads it.
/// Drawn from confirmed and unconfirmed matches, the sheet has a `status`
/// column, each status is sampled apart (4 lines each), and audit scores
/// each term and status apart: one precision over both would mix the
/// matches `count` counts with those it leaves out.
#[test]
fn round_trip_from_kwic_sample() {
    let w = Workdir::new();
    let sheet = w.path("audit.csv");
    let sheet = sheet.to_str().unwrap();
    let terms = "two-heavy,property-whitelist,ai-plus";
    let run = tifa(&[
        "--lexicon",
        TRAPS,
        "kwic",
        terms,
        CORPUS,
        "--status",
        "confirmed,unconfirmed",
        "--sample",
        "4",
        "--seed",
        "3",
        "-o",
        sheet,
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The person: every AI+ correct, whitelist correct only near property,
    // the first two-heavy row left unchecked, the others wrong.
    let text = std::fs::read_to_string(sheet).unwrap();
    let mut rdr = csv::Reader::from_reader(
        text.trim_start_matches('\u{FEFF}').as_bytes(),
    );
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "doc", "date", "term", "status", "left", "match", "right",
            "start", "correct"
        ]
    );
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(&headers).unwrap();
    let mut seen_two_heavy = false;
    let mut drawn: BTreeMap<(String, String), usize> = BTreeMap::new();
    for rec in rdr.records() {
        let mut rec: Vec<String> =
            rec.unwrap().iter().map(String::from).collect();
        let key = (rec[col("term")].clone(), rec[col("status")].clone());
        *drawn.entry(key).or_default() += 1;
        let context = format!("{}{}", rec[col("left")], rec[col("right")]);
        rec[col("correct")] = match rec[col("term")].as_str() {
            "ai-plus" => "y".into(),
            "property-whitelist"
                if context.contains("房地产") || context.contains("项目") =>
            {
                "yes".into()
            }
            "property-whitelist" => "n".into(),
            "two-heavy" if !seen_two_heavy => {
                seen_two_heavy = true;
                String::new()
            }
            _ => "0".into(),
        };
        out.write_record(&rec).unwrap();
    }
    // Each status drawn apart: the 2 confirmed and 3 unconfirmed whitelist
    // matches are all in, not 4 of the 5 pooled.
    assert_eq!(drawn[&("property-whitelist".into(), "confirmed".into())], 2);
    assert_eq!(drawn[&("property-whitelist".into(), "unconfirmed".into())], 3);
    std::fs::write(sheet, out.into_inner().unwrap()).unwrap();
    let run = tifa(&["audit", sheet]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "term,status,checked,correct,precision,ci_low,ci_high\n"
        ),
        "{}",
        run.stdout
    );
    let rows = records(&run.stdout);
    let get = |term: &str, status: &str| {
        let r = rows
            .iter()
            .find(|r| r["term"] == term && r["status"] == status)
            .unwrap_or_else(|| panic!("no {term} {status}: {rows:?}"));
        (r["checked"].as_str(), r["correct"].as_str(), r["precision"].as_str())
    };
    assert_eq!(get("ai-plus", "confirmed"), ("4", "4", "1.0"));
    // The confirmed whitelist matches are the property ones; those the
    // context rule left unconfirmed are software.
    assert_eq!(get("property-whitelist", "confirmed"), ("2", "2", "1.0"));
    assert_eq!(get("property-whitelist", "unconfirmed"), ("3", "0", "0.0"));
    // two-heavy has 2 confirmed matches and no unconfirmed one: one
    // unchecked, one wrong.
    assert_eq!(get("two-heavy", "confirmed"), ("1", "0", "0.0"));
    assert!(
        !rows
            .iter()
            .any(|r| r["term"] == "two-heavy" && r["status"] == "unconfirmed")
    );
}

/// A status cell that is not a status names the file and line.
#[test]
fn bad_status_exits_2_naming_file_and_line() {
    let w = Workdir::new();
    let bad = w.write(
        "bad.csv",
        "term,status,correct\ntwo-heavy,confirmed,y\ntwo-heavy,sure,y\n",
    );
    let run = tifa(&["audit", bad.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "bad.csv:3: status = \"sure\": expected confirmed, unconfirmed \
             or excluded"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_cell_exits_2_naming_file_and_line() {
    let w = Workdir::new();
    let bad = w.write(
        "bad.csv",
        "term,left,correct\ntwo-heavy,x,y\ntwo-heavy,x,maybe\n",
    );
    let run = tifa(&["audit", bad.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("bad.csv:3: correct = \"maybe\""),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    // Excel writes CRLF; lines are counted as an editor shows them.
    let crlf = w.write(
        "crlf.csv",
        "term,left,correct\r\ntwo-heavy,x,y\r\ntwo-heavy,x,maybe\r\n",
    );
    let run = tifa(&["audit", crlf.to_str().unwrap()]);
    assert!(run.stderr.contains("crlf.csv:3: correct"), "{}", run.stderr);
    let open = w.write(
        "open.csv",
        "term,left,correct\ntwo-heavy,\"x,y\ntwo-heavy,x,n\n",
    );
    let run = tifa(&["audit", open.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("open.csv:2: quoted field never closed"),
        "{}",
        run.stderr
    );
    // A term the lexicon does not have is scored, and named on stderr.
    let typo = w.write("typo.csv", "term,correct\ntwo-heavy,y\ntwo-haevy,n\n");
    let run = tifa(&["audit", typo.to_str().unwrap()]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("\ntwo-haevy,1,0,"), "{}", run.stdout);
    assert!(
        run.stderr.contains(
            ": not terms of lexicon \"tifa-default\": two-haevy (give"
        ),
        "{}",
        run.stderr
    );
    let no_column = w.write("plain.csv", "term,hits\ntwo-heavy,3\n");
    let run = tifa(&["audit", no_column.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains(
            "plain.csv:1: a sheet needs `term` and `correct` columns"
        ),
        "{}",
        run.stderr
    );
    let run = tifa(&["audit", fixture("audit/none.csv").to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("none.csv"), "{}", run.stderr);
}

/// A sheet saved by Excel on Chinese Windows is GB18030: its 是 and 否
/// were read as blank cells, unchecked, with exit 0. It is decoded now, as
/// `lexicon import` decodes sheets; so is UTF-16 ("Unicode text"). A row
/// pasted twice (same doc, start and term) counts once, with a warning.
#[test]
fn sheets_in_legacy_encodings_and_rows_pasted_twice() {
    let w = Workdir::new();
    let sheet = "doc,date,term,left,match,right,start,correct\n\
                 a.txt,,two-heavy,推进,两重,建设,6,是\n\
                 a.txt,,two-heavy,支持,两重,项目,40,否\n\
                 b.txt,,two-new,加力,两新,政策,9,对\n";
    let (gbk, _, _) = encoding_rs::GB18030.encode(sheet);
    w.write("gbk.csv", &*gbk);
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            sheet.replace(',', "\t").encode_utf16().flat_map(u16::to_le_bytes),
        )
        .collect();
    w.write("u16.txt", utf16);
    let want = "term,checked,correct,precision,ci_low,ci_high\n\
                two-heavy,2,1,0.5,0.0945,0.9055\n\
                two-new,1,1,1.0,0.2065,1.0\n";
    for name in ["gbk.csv", "u16.txt"] {
        let run = w.run(&["audit", w.path(name).to_str().unwrap()]);
        assert_eq!(
            (run.code, run.stdout.as_str()),
            (0, want),
            "{name}: {}",
            run.stderr
        );
    }
    w.write(
        "twice.csv",
        format!("{sheet}a.txt,,two-heavy,支持,两重,项目,40,否\n"),
    );
    let run = w.run(&["audit", w.path("twice.csv").to_str().unwrap()]);
    assert_eq!(run.stdout, want);
    assert!(
        run.stderr.contains("twice.csv:5: the same match as line 3 (doc, start and term); counted once"),
        "{}",
        run.stderr
    );
}
