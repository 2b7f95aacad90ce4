//! Replays, on stable `cargo test`, every input the fuzzers found
//! (`fixtures/fuzz-regressions/<target>/`) and a few seeds, through the
//! checks of `fuzz_checks`.

use crate::fuzz_checks;
use crate::util::fixture;

fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = fixture("fuzz-regressions").join(target);
    let mut n = 0;
    // Git keeps no empty folder: no folder, no crash found yet.
    let Ok(entries) = std::fs::read_dir(&dir) else { return 0 };
    for entry in entries {
        let path = entry.unwrap().path();
        check(&std::fs::read(&path).unwrap());
        n += 1;
    }
    n
}

#[test]
fn fuzz_regressions_replay() {
    replay("decode_match", fuzz_checks::decode_match);
    replay("lexicon", fuzz_checks::lexicon);
    replay("records", fuzz_checks::records);
}

/// The checks themselves run on stable, on a few seeds in every mode.
#[test]
fn fuzz_checks_on_seeds() {
    let lexicon = std::fs::read(fixture("lexicon/traps.toml")).unwrap();
    fuzz_checks::lexicon(&lexicon);
    let lines = "两重\n!两重性\n两新\n~政策\nAI+\n*\n+人工智能加\n";
    let doc = "推进“两重”建设，两重性；“两新”政策。SAID+ AI+ 人工智能加\n";
    let mut data = vec![lines.len() as u8];
    data.extend(lines.as_bytes());
    data.extend(doc.as_bytes());
    fuzz_checks::decode_match(&data);
    let jsonl = "{\"id\":\"a\",\"text\":\"两重\"}\n{broken\n";
    let csv = "id,text\na,\"两重\n建设\"\nb,\"open\n";
    let split = "=== a\n两重\n# b\n两新";
    for body in [jsonl, csv, split, "\u{feff}两重\0"] {
        for pick in 0..=255u8 {
            let mut data = vec![pick];
            data.extend(body.as_bytes());
            fuzz_checks::records(&data);
        }
    }
}
