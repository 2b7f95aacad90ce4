//! `tifa nesting` and `tifa count --nesting`: what leftmost-longest
//! absorbed.

use std::collections::BTreeMap;

use crate::cli_scan::records;
use crate::util::{CORPUS, snapshot_settings, with_traps};

fn run(args: &[&str]) -> String {
    with_traps(args)
}

#[test]
fn snapshots() {
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("nesting_csv", run(&["nesting", CORPUS]));
        insta::assert_snapshot!(
            "count_nesting_csv",
            run(&["count", "--nesting", CORPUS])
        );
    });
}

/// `nested` in count is the sum of the term's rows in `nesting`, `total`
/// is hits + nested, and the other columns do not change.
#[test]
fn count_nesting_agrees_with_nesting() {
    let mut per_term: BTreeMap<String, u64> = BTreeMap::new();
    for row in records(&run(&["-j2", "nesting", CORPUS, "examples"])) {
        *per_term.entry(row["term"].clone()).or_default() +=
            row["n"].parse::<u64>().unwrap();
    }
    assert!(!per_term.is_empty());
    let plain = records(&run(&["count", "--all", CORPUS, "examples"]));
    let with = records(&run(&[
        "-j1",
        "count",
        "--all",
        "--nesting",
        CORPUS,
        "examples",
    ]));
    assert_eq!(plain.len(), with.len());
    for (p, w) in plain.iter().zip(&with) {
        let nested: u64 = w["nested"].parse().unwrap();
        assert_eq!(
            nested,
            per_term.get(&w["term"]).copied().unwrap_or(0),
            "{}",
            w["term"]
        );
        let hits: u64 = w["hits"].parse().unwrap();
        assert_eq!(w["total"], (hits + nested).to_string());
        let mut w = w.clone();
        w.remove("nested");
        w.remove("total");
        assert_eq!(p, &w);
    }
}
