//! Embeds every `lexicons/*.toml` file as the default lexicon.

use std::fmt::Write;
use std::path::Path;

fn main() {
    // Read when the script runs, not when it is compiled: a build script
    // compiled for one checkout (a shared target folder, a worktree) must
    // not embed another checkout's lexicons.
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let dir = Path::new(&root).join("lexicons");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("lexicons/ exists")
        .map(|e| e.expect("readable lexicons/").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut code =
        String::from("/// Embedded `lexicons/*.toml`: (file name, text).\n");
    code.push_str("static DEFAULT_LEXICON: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy();
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap())
        .join("default_lexicon.rs");
    std::fs::write(out, code).unwrap();
}
