//! Nothing lost: every failing input becomes its own error record in its place, the run
//! goes on, and the exit code says what happened (0 all extracted, 1 some failed, 2 usage
//! or configuration). A closed stdout ends the run quietly.

mod util;

use std::process::Command;

use serde_json::{json, Value};
use util::{bin, run_head_1, run_in, tempdir, write};

fn summary_line(stderr: &str) -> &str {
    stderr
        .lines()
        .rev()
        .find(|l| l.starts_with("radpath: read "))
        .unwrap_or("")
}

fn kinds(lines: &[Value]) -> Vec<String> {
    lines
        .iter()
        .map(|l| match l.get("error") {
            Some(e) => e["kind"].as_str().unwrap_or("?").to_string(),
            None => "ok".to_string(),
        })
        .collect()
}

#[test]
fn every_jsonl_error_kind_lands_in_its_place() {
    let dir = tempdir();
    let mut input = Vec::new();
    input.extend_from_slice(
        format!("{}\n", json!({"id": "ok1", "text": "Geen afwijkingen."})).as_bytes(),
    );
    input.extend_from_slice(b"{\"id\": \"broken\", \"text\": \"no closing quote}\n");
    input.extend_from_slice(
        format!("{}\n", json!({"id": "notext", "body": "wrong field"})).as_bytes(),
    );
    input.extend_from_slice(format!("{}\n", json!({"id": "empty", "text": "  \n "})).as_bytes());
    input.extend_from_slice(format!("{}\n", json!({"id": "number", "text": 42})).as_bytes());
    input.extend_from_slice(b"[1, 2, 3]\n");
    input.extend_from_slice(b"{\"id\": \"bad-bytes\", \"text\": \"caf\xe9\"}\n");
    input.extend_from_slice(
        format!("{}\n", json!({"id": "boom", "text": "Lever normaal."})).as_bytes(),
    );
    input.extend_from_slice(
        format!("{}", json!({"id": "ok2", "text": "No focal lesion."})).as_bytes(),
    ); // no final newline
    write(dir.path(), "in.jsonl", &input);

    let out = Command::new(bin())
        .args(["extract", "--encoding", "utf-8", "in.jsonl"])
        .current_dir(dir.path())
        .env(radpath::pipeline::FAULT_PANIC_ENV, "boom")
        .output()
        .expect("run radpath");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(
        kinds(&lines),
        [
            "ok",
            "json",
            "missing_text",
            "empty_text",
            "missing_text",
            "not_object",
            "decode",
            "internal",
            "ok"
        ]
    );
    let line_numbers: Vec<u64> = lines
        .iter()
        .map(|l| l["provenance"]["line"].as_u64().expect("line number"))
        .collect();
    assert_eq!(line_numbers, (1..=9).collect::<Vec<_>>());
    assert_eq!(lines[2]["id"], "notext");
    assert_eq!(lines[3]["id"], "empty");
    assert_eq!(lines[7]["id"], "boom");
    assert!(lines[7]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("extraction failed"));
    assert_eq!(lines[8]["id"], "ok2");
    for l in &lines {
        if let Some(e) = l.get("error") {
            assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()));
            assert_eq!(l["provenance"]["source"], "in.jsonl");
        }
    }
    assert_eq!(
        summary_line(&stderr),
        "radpath: read 9, extracted 2, failed 7",
        "{stderr}"
    );
}

#[test]
fn a_panic_in_one_report_does_not_stop_the_others_in_parallel() {
    let dir = tempdir();
    let mut input = String::new();
    for i in 0..300 {
        input.push_str(
            &json!({"id": format!("r{i}"), "text": format!("Laesie {i} in segment 7.")})
                .to_string(),
        );
        input.push('\n');
    }
    write(dir.path(), "many.jsonl", &input);
    let out = Command::new(bin())
        .args(["extract", "--jobs", "2", "many.jsonl"])
        .current_dir(dir.path())
        .env(radpath::pipeline::FAULT_PANIC_ENV, "r150")
        .output()
        .expect("run radpath");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 300);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["id"], format!("r{i}"));
        assert_eq!(l.get("error").is_some(), i == 150);
    }
    assert_eq!(lines[150]["error"]["kind"], "internal");
    assert!(String::from_utf8_lossy(&out.stderr).contains("read 300, extracted 299, failed 1"));
}

#[test]
fn csv_errors_land_in_their_place() {
    let dir = tempdir();
    let csv = "id,text\na,Geen afwijkingen.\nb,\nc,\"Lesion, segment 6.\",extra\nd,\"Laatste.\"\n";
    write(dir.path(), "in.csv", csv);
    let run = run_in(dir.path(), &["extract", "in.csv"], None);
    assert_eq!(run.code, 1);
    let lines = run.json_lines();
    assert_eq!(kinds(&lines), ["ok", "empty_text", "csv", "ok"]);
    let rows: Vec<u64> = lines
        .iter()
        .map(|l| l["provenance"]["row"].as_u64().expect("row"))
        .collect();
    assert_eq!(rows, [1, 2, 3, 4]);

    write(dir.path(), "notext.csv", "id,body\nx,Geen afwijkingen.\n");
    let run = run_in(dir.path(), &["extract", "notext.csv"], None);
    assert_eq!(run.code, 1);
    assert_eq!(kinds(&run.json_lines()), ["missing_text"]);
}

#[test]
fn empty_and_undecodable_files_in_a_directory() {
    let dir = tempdir();
    write(dir.path(), "d/1.txt", "Geen afwijkingen.");
    write(dir.path(), "d/2.txt", "");
    write(dir.path(), "d/3.txt", b"hypo\xebchogeen");
    write(dir.path(), "d/4.txt", "No focal lesion.");
    let run = run_in(dir.path(), &["extract", "--encoding", "utf-8", "d"], None);
    assert_eq!(run.code, 1);
    let lines = run.json_lines();
    assert_eq!(kinds(&lines), ["ok", "empty_text", "decode", "ok"]);
    assert_eq!(lines[2]["id"], "3.txt");
    assert!(
        run.stderr.contains("read 4, extracted 2, failed 2"),
        "{}",
        run.stderr
    );
}

#[test]
fn too_large_reports_are_error_records() {
    let dir = tempdir();
    write(dir.path(), "big.txt", "Lever normaal. ".repeat(100));
    let run = run_in(
        dir.path(),
        &["extract", "--max-record-bytes", "100", "big.txt"],
        None,
    );
    assert_eq!(run.code, 1);
    assert_eq!(kinds(&run.json_lines()), ["too_large"]);
}

#[test]
fn exit_codes() {
    let dir = tempdir();
    write(dir.path(), "ok.txt", "Geen afwijkingen.");
    write(dir.path(), "empty.txt", "");
    assert_eq!(run_in(dir.path(), &["extract", "ok.txt"], None).code, 0);
    assert_eq!(
        run_in(dir.path(), &["extract", "ok.txt", "empty.txt"], None).code,
        1
    );

    // Usage and configuration errors: exit 2, one clear line, no stack trace.
    for args in [
        &["extract", "missing.txt"][..],
        &["extract", "--jobs", "0", "ok.txt"][..],
        &["extract", "--format", "xml", "ok.txt"][..],
        &["extract", "--encoding", "latin-9", "ok.txt"][..],
        &["extract", "--lexicons", "no-such-dir", "ok.txt"][..],
        &["extract", "--output", "no-such-dir/out.jsonl", "ok.txt"][..],
        &["no-such-command"][..],
        &["explain", "missing.txt"][..],
    ] {
        let run = run_in(dir.path(), args, None);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?} wrote {}", run.stdout);
        assert!(
            !run.stderr.contains("panicked") && !run.stderr.contains("backtrace"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.trim().is_empty(), "{args:?} gave no message");
    }
}

#[test]
fn closed_stdout_ends_quietly_with_zero() {
    let dir = tempdir();
    let mut input = String::with_capacity(10_000 * 120);
    for i in 0..10_000 {
        input.push_str(&json!({"id": format!("r{i}"), "text": format!("CT abdomen. Laesie {i} in segment 7 van 2,3 cm. Geen ascites.")}).to_string());
        input.push('\n');
    }
    write(dir.path(), "big.jsonl", &input);
    for format in ["jsonl", "csv"] {
        let (first, run) = run_head_1(dir.path(), &["extract", "--format", format, "big.jsonl"]);
        assert!(
            first.starts_with(if format == "jsonl" {
                "{\"id\":\"r0\""
            } else {
                "id,"
            }),
            "{first}"
        );
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        assert!(
            !run.stderr.contains("panicked") && !run.stderr.contains("Broken pipe"),
            "{format}: {}",
            run.stderr
        );
    }
    let (_, run) = run_head_1(dir.path(), &["schema"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}
