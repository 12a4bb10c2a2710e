//! Every input that ever crashed a fuzz target, run through the binary: each lives in
//! `fuzz/regressions/<target>/` and must give one output line per input and no
//! `internal` error record (a caught panic).

mod util;

use std::path::{Path, PathBuf};

/// The regression inputs of one fuzz target.
fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

fn assert_no_internal_error(run: &util::Run, what: &Path) {
    assert!(
        run.code == 0 || run.code == 1,
        "{}: exit {}: {}",
        what.display(),
        run.code,
        run.stderr
    );
    assert!(
        !run.stderr.contains("internal error"),
        "{}: {}",
        what.display(),
        run.stderr
    );
    for line in run.json_lines() {
        assert_ne!(
            line["error"]["kind"],
            "internal",
            "{}: {line}",
            what.display()
        );
    }
}

fn run_all(target: &str, args: &[&str]) {
    for file in inputs(target) {
        let bytes = std::fs::read(&file).expect("read a regression input");
        let mut all = vec!["extract"];
        all.extend_from_slice(args);
        let run = util::run(&all, Some(&bytes));
        assert_no_internal_error(&run, &file);
    }
}

#[test]
fn jsonl_reader_regressions() {
    run_all("jsonl_reader", &["--input", "jsonl", "-"]);
}

#[test]
fn csv_reader_regressions() {
    run_all("csv_reader", &["--input", "csv", "-"]);
}

#[test]
fn extract_regressions() {
    run_all("extract_utf8", &["--input", "text", "-"]);
    run_all("extract_bytes", &["--input", "text", "-"]);
}

/// A no-break space (two bytes in UTF-8) before a word that ends in a period once cut
/// the text inside a character during sentence splitting.
#[test]
fn a_no_break_space_before_a_period() {
    for text in [
        "Twee\u{a0}laesies. Geen ascites.",
        "a\u{a0}b.\nc",
        "\u{3000}x. Y",
        "\u{a0}. A",
    ] {
        let run = util::run(&["extract", "-"], Some(text.as_bytes()));
        assert_no_internal_error(&run, Path::new(text));
        assert_eq!(run.json_lines().len(), 1);
    }
}
