//! Crash-safe output: `--output FILE` writes a temporary file beside FILE and renames it
//! at the end, so a run killed halfway leaves no partial file under the final name (and an
//! older FILE untouched).

mod util;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn partial_files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.to_string_lossy().ends_with(".partial"))
                .collect()
        })
        .unwrap_or_default()
}

fn record(i: usize) -> String {
    format!(
        "{{\"id\":\"r{i}\",\"text\":\"CT lever: laesie in segment {} van 2,{} cm.\"}}\n",
        i % 8 + 1,
        i % 10
    )
}

#[test]
fn a_run_killed_halfway_leaves_no_file_under_the_final_name() {
    let dir = util::tempdir();
    let out = dir.path().join("out.jsonl");
    std::fs::write(&out, "an older result\n").expect("write the older result");
    let mut child = Command::new(util::bin())
        .args([
            "extract",
            "--input",
            "jsonl",
            "-j",
            "2",
            "--output",
            "out.jsonl",
            "-",
        ])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn radpath");
    let mut stdin = child.stdin.take().expect("stdin");
    // Feed records until the temporary file has received output, keeping stdin open so the
    // run is certainly unfinished when it is killed.
    let started = Instant::now();
    let mut i = 0;
    loop {
        let mut batch = String::new();
        for _ in 0..2000 {
            batch.push_str(&record(i));
            i += 1;
        }
        stdin.write_all(batch.as_bytes()).expect("feed radpath");
        let written: u64 = partial_files(dir.path())
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        if written > 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no output after {i} records"
        );
    }
    child.kill().expect("SIGKILL radpath"); // Child::kill sends SIGKILL on Unix
    let status = child.wait().expect("wait for radpath");
    assert!(!status.success());
    drop(stdin);
    assert_eq!(
        std::fs::read_to_string(&out).expect("the older result"),
        "an older result\n",
        "the final name is untouched"
    );
    // The temporary file stays behind (nothing runs after SIGKILL), under a name that says so.
    for p in partial_files(dir.path()) {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        assert!(
            name.starts_with(".radpath-") && name.ends_with(".partial"),
            "{name}"
        );
    }
}

#[test]
fn a_finished_run_renames_the_complete_output_into_place() {
    let dir = util::tempdir();
    let input: String = (0..3000).map(record).collect();
    util::write(dir.path(), "in.jsonl", &input);
    std::fs::write(dir.path().join("out.jsonl"), "an older result\n").expect("write");
    let run = util::run_in(
        dir.path(),
        &["extract", "-j", "2", "--output", "out.jsonl", "in.jsonl"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "nothing on stdout with --output");
    assert!(
        run.stderr.contains("read 3000, extracted 3000, failed 0"),
        "{}",
        run.stderr
    );
    let written = std::fs::read_to_string(dir.path().join("out.jsonl")).expect("the output");
    assert_eq!(written.lines().count(), 3000);
    assert!(written.ends_with('\n'), "no partial last line");
    for (i, line) in written.lines().enumerate() {
        assert!(line.starts_with(&format!("{{\"id\":\"r{i}\"")), "line {i}");
    }
    assert!(
        partial_files(dir.path()).is_empty(),
        "no temporary file left after a finished run"
    );
    // CSV output is renamed the same way, header first.
    let run = util::run_in(
        dir.path(),
        &["extract", "--format", "csv", "-o", "out.csv", "in.jsonl"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let csv = std::fs::read_to_string(dir.path().join("out.csv")).expect("the CSV output");
    assert!(csv.starts_with("id,"));
    assert!(partial_files(dir.path()).is_empty());
}

#[test]
fn an_output_folder_that_does_not_exist_is_a_configuration_error() {
    let dir = util::tempdir();
    let run = util::run_in(
        dir.path(),
        &["extract", "--output", "no/such/folder/out.jsonl", "-"],
        Some(b"lever"),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("no/such/folder"), "{}", run.stderr);
    assert!(!dir.path().join("no").exists());
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    let dir = util::tempdir();
    let input: String = (0..20_000).map(record).collect();
    util::write(dir.path(), "in.jsonl", &input);
    let script = format!("\"{}\" extract in.jsonl | head -n 3", util::bin().display());
    let out = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(dir.path())
        .output()
        .expect("sh");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}
