//! The README's example command works and writes one record per report.

mod util;

#[test]
fn example_archive_gives_one_record_per_report() {
    let root = env!("CARGO_MANIFEST_DIR");
    let run = util::run_in(
        std::path::Path::new(root),
        &["extract", "corpus/examples/archive.jsonl"],
        None,
    );
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], "voorbeeld-ct-1");
    assert!(run.stderr.contains("read 4, extracted 4, failed 0"));
}
