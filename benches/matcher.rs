//! Throughput of the matching stages on the example articles repeated to
//! about 4 MB, with the built-in lexicon: the lane walk against the
//! crate's own overlapping search, the whole matcher, and the size counts;
//! and, with phrases cut from the same text (3,528 distinct ones, and three
//! Han characters in four start one: far denser than any real lexicon),
//! the sieve large lexicons use against the contiguous NFA they used
//! before. On this worst case the NFA is the faster; on Xinwen Lianbo
//! with 10,000 phrases the sieve is three times as fast (see README).
//! Run with `cargo bench`; `scripts/bench` measures tifa end to end.

mod common;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tifa::analysis::DocSize;
use tifa::engine::{Engine, Occurrence};
use tifa::lexicon;
use tifa::{Matcher, normalize};

fn corpus() -> String {
    let mut text = String::new();
    let mut files: Vec<_> = std::fs::read_dir("examples")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    for f in &files {
        text.push_str(&std::fs::read_to_string(f).unwrap());
    }
    text.repeat(4_000_000 / text.len() + 1)
}

fn stages(c: &mut Criterion) {
    let text = corpus();
    let lexicon = lexicon::load_default().unwrap();
    let patterns = common::folded_patterns(&lexicon);
    let mut group = c.benchmark_group("matching");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.sample_size(20);

    let engine = Engine::new(&patterns).unwrap();
    let mut out: Vec<Occurrence> = Vec::new();
    group.bench_function("engine lanes (DFA)", |b| {
        b.iter(|| {
            out.clear();
            engine.occurrences(text.as_bytes(), &mut out);
            out.len()
        })
    });
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&patterns)
        .unwrap();
    group.bench_function("aho-corasick overlapping iter (DFA)", |b| {
        b.iter(|| ac.find_overlapping_iter(&text).count())
    });
    let matcher = Matcher::new(&lexicon);
    let mut scratch = Default::default();
    let mut hits = Vec::new();
    group.bench_function("Matcher::find", |b| {
        b.iter(|| {
            hits.clear();
            matcher.find(&text, &mut scratch, &mut hits);
            hits.len()
        })
    });
    // Phrases of 3 to 6 Han characters cut from the text itself, as
    // scripts/bench does: too many for a DFA, so the sieve.
    let han: Vec<char> =
        text.chars().filter(|&c| normalize::is_han(c)).collect();
    let mut phrases: Vec<String> = (0..10_000)
        .map(|i| {
            let at = i * 7919 % (han.len() - 6);
            han[at..at + 3 + i % 4].iter().collect()
        })
        .collect();
    phrases.sort();
    phrases.dedup();
    let sieve = Engine::new(&phrases).unwrap();
    assert!(matches!(sieve, Engine::Sieve(_)));
    group.bench_function("engine sieve (dense phrases)", |b| {
        b.iter(|| {
            out.clear();
            sieve.occurrences(text.as_bytes(), &mut out);
            out.len()
        })
    });
    let nfa = Engine::nfa(&phrases).unwrap();
    group.bench_function("engine NFA (dense phrases)", |b| {
        b.iter(|| {
            out.clear();
            nfa.occurrences(text.as_bytes(), &mut out);
            out.len()
        })
    });
    group.bench_function("DocSize::measure", |b| {
        b.iter(|| DocSize::measure(&text))
    });
    group.bench_function("normalize", |b| {
        b.iter(|| normalize::normalize(&text).text.len())
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
