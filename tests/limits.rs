//! Limits: `--max-doc-bytes` skips larger documents with a warning (and
//! the others are counted), and a lexicon of 100,000 terms builds.

use std::time::Instant;

use tifa::Matcher;
use tifa::lexicon::{Source, parse_sources};

use crate::util::{Workdir, root};

const TRAPS: &str = "tests/fixtures/lexicon/traps.toml";

#[test]
fn max_doc_bytes_skips_larger_documents() {
    let w = Workdir::new();
    w.write("small.txt", "两重建设。");
    w.write("large.txt", "两重建设。".repeat(100));
    w.write(
        "records.jsonl",
        format!(
            "{{\"id\":\"s\",\"text\":\"两重建设\"}}\n{{\"id\":\"l\",\"text\":\"{}\"}}\n",
            "两重建设".repeat(100)
        ),
    );
    let lex = root().join(TRAPS);
    let run = w.run_with(
        &[
            "--lexicon",
            lex.to_str().unwrap(),
            "count",
            "--by",
            "doc",
            "--max-doc-bytes",
            "1000",
            "small.txt",
            "large.txt",
            "records.jsonl",
        ],
        b"",
        Some(w.dir.path()),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.first_column(), ["s", "small.txt"]);
    let warnings: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        warnings[..2],
        [
            "tifa: large.txt: document over --max-doc-bytes (1500 > 1000 bytes); skipped",
            "tifa: records.jsonl:2 (id \"l\"): document over --max-doc-bytes (1200 > 1000 bytes); skipped",
        ]
    );
    assert!(warnings[2].contains("2 skipped"), "{}", run.stderr);
}

#[test]
fn max_doc_bytes_default_is_documented() {
    let run = Workdir::new().run(&["count", "--help"]);
    assert!(
        run.stdout.contains("--max-doc-bytes")
            && run.stdout.contains("67108864"),
        "{}",
        run.stdout
    );
}

/// 100,000 distinct overlapping Chinese terms of 2 to 6 characters from
/// an alphabet of 40: the lexicon loads and the matcher builds (above
/// 20,000 patterns without the forced DFA), and finds them. Build time
/// and memory are printed (`cargo test --release limits -- --nocapture`);
/// only the memory has a budget.
#[test]
fn a_lexicon_of_100_000_terms_builds() {
    const ALPHABET: &str = "两重新一质生产力中国式现代化人工智能加全面深改革开放发展高水平安全建设强国自立制造业数字经济";
    let chars: Vec<char> = ALPHABET.chars().take(40).collect();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let mut seen = std::collections::HashSet::new();
    let mut toml = String::with_capacity(8 << 20);
    while seen.len() < 100_000 {
        let len = 2 + next(5) as usize;
        let form: String =
            (0..len).map(|_| chars[next(40) as usize]).collect();
        if seen.insert(form.clone()) {
            toml.push_str(&format!(
                "[[term]]\nid = \"t{}\"\ncategory = \"c\"\nzh = [\"{form}\"]\n",
                seen.len()
            ));
        }
    }
    let t = Instant::now();
    let (lexicon, diags) =
        parse_sources(&[Source { name: "big.toml".into(), text: toml }]);
    let parse = t.elapsed();
    let lexicon = lexicon.unwrap_or_else(|| panic!("{:?}", &diags[..3]));
    assert_eq!(lexicon.terms.len(), 100_000);
    let t = Instant::now();
    let matcher = Matcher::new(&lexicon);
    let build = t.elapsed();
    let memory = matcher.memory_usage();
    println!(
        "100,000 terms: parsed in {parse:.2?}, built in {build:.2?}, {:.1} MB",
        memory as f64 / 1e6
    );
    assert!(memory < 512 << 20, "{memory} bytes");
    let text: String =
        seen.iter().take(50).cloned().collect::<Vec<_>>().join("。");
    let mut hits = Vec::new();
    matcher.find(&text, &mut Default::default(), &mut hits);
    assert!(hits.len() >= 50, "{} hits", hits.len());
}
