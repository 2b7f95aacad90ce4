//! The floor under `tifa count -j1`: one core reading a corpus and walking
//! the built-in lexicon's DFA over its text, and nothing else that tifa
//! does (no normalization, word boundaries, context rules, sizes for
//! rates, metadata, documents or reports). `scripts/bench` prints it
//! beside `tifa count -j1`: the distance between the two is what tifa's
//! own work costs, and no speed on one core above the floor's can be
//! reached with this automaton.
//!
//! Usage: `cargo bench --bench floor -- DIR`. A `.jsonl` file is read in
//! blocks of 128 KiB, and the `text` field of each line is unescaped (as
//! tifa's reader does, a copy for each escape) and walked; any other file
//! is read whole, validated as UTF-8 and walked. Prints the files, the
//! bytes and the occurrences found.

use std::io::Read;
use std::path::Path;

use tifa::engine::{Engine, Occurrence};
use tifa::lexicon::{self, FormKind};
use tifa::normalize;

/// Bytes read at a time from a JSONL file, as tifa reads them.
const BLOCK: usize = 128 * 1024;

fn main() {
    // `cargo bench` passes `--bench` on.
    let Some(dir) = std::env::args().skip(1).find(|a| a != "--bench") else {
        eprintln!("usage: cargo bench --bench floor -- DIR");
        std::process::exit(2);
    };
    let lexicon = lexicon::load_default().expect("the built-in lexicon");
    let patterns: Vec<String> = lexicon
        .terms
        .iter()
        .flat_map(|t| {
            t.patterns()
                .map(|(f, _, _): (&str, _, FormKind)| normalize::fold_form(f))
        })
        .collect();
    let engine = Engine::new(&patterns).expect("non-empty patterns");
    let mut walk = Walk { engine, found: Vec::new(), occurrences: 0 };
    let (mut files, mut bytes) = (0, 0);
    let entries = walkdir::WalkDir::new(&dir).sort_by_file_name();
    for entry in entries.into_iter().map(|e| e.expect("a readable folder")) {
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        files += 1;
        bytes += if path.extension().is_some_and(|x| x == "jsonl") {
            jsonl(path, &mut walk)
        } else {
            let text = std::fs::read(path).expect("a readable file");
            simdutf8::basic::from_utf8(&text).expect("UTF-8");
            walk.text(&text);
            text.len()
        };
    }
    println!("{files} files, {bytes} bytes, {} occurrences", walk.occurrences);
}

/// The automaton and what it found.
struct Walk {
    engine: Engine,
    found: Vec<Occurrence>,
    occurrences: usize,
}

impl Walk {
    fn text(&mut self, text: &[u8]) {
        self.found.clear();
        self.engine.occurrences(text, &mut self.found);
        self.occurrences += self.found.len();
    }
}

/// Reads a JSONL file block by block and walks each line's `text` field;
/// returns the bytes read.
fn jsonl(path: &Path, walk: &mut Walk) -> usize {
    let mut file = std::fs::File::open(path).expect("a readable file");
    let (mut block, mut text) = (Vec::with_capacity(2 * BLOCK), Vec::new());
    let mut total = 0;
    loop {
        let n = (&mut file)
            .take(BLOCK as u64)
            .read_to_end(&mut block)
            .expect("a readable file");
        total += n;
        let whole = match memchr::memrchr(b'\n', &block) {
            Some(end) if n > 0 => end + 1,
            _ => block.len(),
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
