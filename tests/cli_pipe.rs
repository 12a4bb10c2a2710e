//! A pipe that answers as it reads: JSON Lines (recognised without a flag) and
//! NUL-separated text on a stdin that stays open, each answer read back while the pipe is
//! still open. Also the notices on stderr and `--exit-zero`.

mod util;

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::Value;
use util::{bin, run_in, tempdir, write};

const NL: &str = "In segment 7 een hypodense laesie van 2,3 cm. Conclusie: metastase.";

/// Far longer than an answer takes; the test fails only if none comes while stdin is open.
const PATIENCE: Duration = Duration::from_secs(20);

fn spawn(args: &[&str]) -> (Child, Receiver<String>) {
    let mut child = Command::new(bin())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn radpath");
    let stdout: ChildStdout = child.stdout.take().unwrap();
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

fn answer(rx: &Receiver<String>, what: &str) -> Value {
    let line = rx
        .recv_timeout(PATIENCE)
        .unwrap_or_else(|_| panic!("no answer to {what} while stdin was still open"));
    serde_json::from_str(&line).unwrap()
}

#[test]
fn jsonl_on_an_open_pipe_is_answered_line_by_line() {
    let (mut child, rx) = spawn(&["extract", "-j", "2"]);
    let mut stdin = child.stdin.take().unwrap();
    let first = serde_json::json!({"id": "a1", "text": NL, "afdeling": "radiologie"});
    writeln!(stdin, "{first}").unwrap();
    stdin.flush().unwrap();
    let got = answer(&rx, "the first line");
    assert_eq!(got["id"], "a1");
    assert_eq!(got["meta"]["afdeling"], "radiologie");
    assert_eq!(got["provenance"]["line"], 1);
    // A second line, and a line that is not JSON: each answered in turn.
    writeln!(stdin, "{}", serde_json::json!({"id": "a2", "text": NL})).unwrap();
    stdin.flush().unwrap();
    assert_eq!(answer(&rx, "the second line")["id"], "a2");
    writeln!(stdin, "{{not json").unwrap();
    stdin.flush().unwrap();
    assert_eq!(answer(&rx, "a broken line")["error"]["kind"], "json");
    drop(stdin);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(1), "one line failed");
    assert!(
        rx.recv_timeout(PATIENCE).is_err(),
        "nothing more after the end"
    );
}

#[test]
fn nul_separated_text_on_an_open_pipe_is_answered_report_by_report() {
    let (mut child, rx) = spawn(&["extract", "--input", "text", "--record-separator", "nul"]);
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(format!("Verslag:\n{NL}\0").as_bytes())
        .unwrap();
    stdin.flush().unwrap();
    let got = answer(&rx, "the first report");
    assert_eq!(got["id"], "stdin:1");
    assert_eq!(got["summary"]["segments"][0], "VII");
    stdin.write_all(b"Lever: geen afwijkingen.\0").unwrap();
    stdin.flush().unwrap();
    assert_eq!(answer(&rx, "the second report")["id"], "stdin:2");
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn many_lines_at_once_come_back_in_order() {
    let input: String = (0..500)
        .map(|i| {
            format!(
                "{}\n",
                serde_json::json!({"id": format!("r{i}"), "text": NL})
            )
        })
        .collect();
    let dir = tempdir();
    let run = run_in(dir.path(), &["extract", "-j", "2"], Some(input.as_bytes()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ids: Vec<String> = run
        .json_lines()
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    let want: Vec<String> = (0..500).map(|i| format!("r{i}")).collect();
    assert_eq!(ids, want);
}

#[test]
fn text_on_stdin_is_still_one_report_and_lines_can_be_reports() {
    let dir = tempdir();
    let run = run_in(
        dir.path(),
        &["extract"],
        Some(b"{not json} lever\nsegment 7\n"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], "stdin");
    // JSON on stdin read as text when asked.
    let run = run_in(
        dir.path(),
        &["extract", "--input", "text"],
        Some(b"{\"id\": 1, \"text\": \"x\"}\n"),
    );
    assert_eq!(run.json_lines()[0]["id"], "stdin");
    let run = run_in(
        dir.path(),
        &["extract", "--record-separator", "line"],
        Some(b"lever segment 7\n\nlever segment 2\n"),
    );
    let ids: Vec<Value> = run.json_lines().iter().map(|l| l["id"].clone()).collect();
    assert_eq!(ids, ["stdin:1", "stdin:3"]);
}

#[test]
fn notices_for_fields_json_files_and_empty_folders() {
    let dir = tempdir();
    write(
        dir.path(),
        "a.jsonl",
        "{\"nr\": 1, \"verslag\": \"lever\"}\n",
    );
    let run = run_in(dir.path(), &["extract", "a.jsonl"], None);
    assert!(run.stderr.contains("no field `text`"), "{}", run.stderr);
    assert!(run.stderr.contains("no field `id`"), "{}", run.stderr);
    assert!(run.stderr.contains("verslag"), "{}", run.stderr);
    let run = run_in(
        dir.path(),
        &[
            "extract",
            "a.jsonl",
            "--id-field",
            "nr",
            "--text-field",
            "verslag",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("no field"), "{}", run.stderr);

    write(dir.path(), "b.json", "{\"id\": 1, \"text\": \"lever\"}\n");
    let run = run_in(dir.path(), &["extract", "b.json"], None);
    assert!(run.stderr.contains(".jsonl"), "{}", run.stderr);

    std::fs::create_dir_all(dir.path().join("leeg/sub")).unwrap();
    write(dir.path(), "leeg/sub/notes.md", "x");
    let run = run_in(dir.path(), &["extract", "leeg"], None);
    assert_eq!(run.code, 0);
    assert!(run.stderr.contains("no .txt files"), "{}", run.stderr);
}

#[test]
fn exit_zero_keeps_the_error_records() {
    let dir = tempdir();
    let input = b"{\"id\": \"a\", \"text\": \"lever\"}\n{\"id\": \"b\"}\n";
    let run = run_in(dir.path(), &["extract"], Some(input));
    assert_eq!(run.code, 1);
    let run = run_in(dir.path(), &["extract", "--exit-zero"], Some(input));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["error"]["kind"], "missing_text");
    assert!(run.stderr.contains("failed 1"), "{}", run.stderr);
}
