//! The floor under `tifa count`: reading a corpus and walking the built-in
//! lexicon's DFA over its text, and nothing else that tifa does (no
//! normalization, word boundaries, context rules, sizes for rates,
//! metadata, documents or reports). `scripts/bench` prints it beside
//! `tifa count -j1` and `-j2`: the distance between them is what tifa's
//! own work costs, and a speed above the floor's needs a faster automaton
//! or faster reading, whatever else is made faster.
//!
//! Usage: `cargo bench --bench floor -- [-j N] DIR`, on N threads (1 by
//! default), each taking the next whole file. A `.jsonl` file is read in
//! tifa's blocks (`BLOCK_BYTES`), and the `text` field of each line is
//! unescaped (as tifa's reader does, a copy for each escape) and walked;
//! any other file is read whole, validated as UTF-8 and walked. Prints the
//! files, the bytes and the occurrences found.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use tifa::corpus::BLOCK_BYTES;
use tifa::engine::{Engine, Occurrence};
use tifa::lexicon;

fn main() {
    // `cargo bench` passes `--bench` on.
    let args: Vec<String> =
        std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let (threads, dir) = match &args[..] {
        [dir] => (1, dir),
        [j, n, dir]
            if j == "-j" && n.parse::<usize>().is_ok_and(|n| n > 0) =>
        {
            (n.parse().expect("a number"), dir)
        }
        _ => {
            eprintln!("usage: cargo bench --bench floor -- [-j N] DIR");
            std::process::exit(2);
        }
    };
    let lexicon = lexicon::load_default().expect("the built-in lexicon");
    let patterns = common::folded_patterns(&lexicon);
    let engine = Engine::new(&patterns).expect("non-empty patterns");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("a readable folder"))
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool");
    // Each thread takes the next file when it is done with one.
    let (bytes, occurrences) = pool.install(|| {
        files
            .iter()
            .par_bridge()
            .map_init(
                || Walk { engine: &engine, found: Vec::new(), occurrences: 0 },
                |walk, path| {
                    let before = walk.occurrences;
                    (read(path, walk), walk.occurrences - before)
                },
            )
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    println!(
        "{} files, {bytes} bytes, {occurrences} occurrences",
        files.len()
    );
}

/// Reads a file and walks its text; returns the bytes read.
fn read(path: &Path, walk: &mut Walk<'_>) -> usize {
    if path.extension().is_some_and(|x| x == "jsonl") {
        return jsonl(path, walk);
    }
    let text = std::fs::read(path).expect("a readable file");
    simdutf8::basic::from_utf8(&text).expect("UTF-8");
    walk.text(&text);
    text.len()
}

/// The automaton and what it found.
struct Walk<'e> {
    engine: &'e Engine,
    found: Vec<Occurrence>,
    occurrences: usize,
}

impl Walk<'_> {
    fn text(&mut self, text: &[u8]) {
        self.found.clear();
        self.engine.occurrences(text, &mut self.found);
        self.occurrences += self.found.len();
    }
}

/// Reads a JSONL file block by block and walks each line's `text` field;
/// returns the bytes read.
fn jsonl(path: &Path, walk: &mut Walk<'_>) -> usize {
    let mut file = std::fs::File::open(path).expect("a readable file");
    let (mut block, mut text) =
        (Vec::with_capacity(2 * BLOCK_BYTES), Vec::new());
    let mut total = 0;
    loop {
        let n = (&mut file)
            .take(BLOCK_BYTES as u64)
            .read_to_end(&mut block)
            .expect("a readable file");
        total += n;
        // Whole lines; at the end of the file, what is left.
        let whole = match memchr::memrchr(b'\n', &block) {
            _ if n == 0 => block.len(),
            Some(end) => end + 1,
            None => 0,
        };
        simdutf8::basic::from_utf8(&block[..whole]).expect("UTF-8");
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', &block[..whole])
            .chain((whole > 0 && block[whole - 1] != b'\n').then_some(whole))
        {
            if text_field(&block[start..end], &mut text) {
                walk.text(&text);
            }
            start = end + 1;
        }
        block.drain(..whole);
        if n == 0 {
            return total;
        }
    }
}

/// Unescapes the `text` field of a JSON line into `out`; false without one.
fn text_field(line: &[u8], out: &mut Vec<u8>) -> bool {
    const KEY: &[u8] = b"\"text\": \"";
    let Some(at) = memchr::memmem::find(line, KEY) else {
        return false;
    };
    let rest = &line[at + KEY.len()..];
    out.clear();
    let mut i = 0;
    while let Some(n) = memchr::memchr2(b'"', b'\\', &rest[i..]) {
        out.extend_from_slice(&rest[i..i + n]);
        let j = i + n;
        if rest[j] == b'"' || j + 1 == rest.len() {
            break;
        }
        out.push(match rest[j + 1] {
            b'n' => b'\n',
            b't' => b'\t',
            c => c,
        });
        i = j + 2;
    }
    true
}
