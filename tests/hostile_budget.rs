//! One hard report never costs the others their lines: under a memory cap, a report of
//! 20,000 repeated segment phrases (360 KB) between two ordinary reports gives three
//! lines, and a report over its work budget becomes a `budget` error record in its place.

mod util;

use serde_json::Value;
use util::{tempdir, write, Run};

/// Runs `sh -c script` with the radpath binary as `$RADPATH`, in `dir`.
fn sh(dir: &std::path::Path, script: &str) -> Run {
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("RADPATH", util::bin())
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run sh");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Three reports: an ordinary one, `middle`, an ordinary one.
fn three_reports(middle: &str) -> String {
    let first =
        serde_json::json!({"id": "first", "text": "CT lever: metastase in segment 7 van 2 cm."});
    let middle = serde_json::json!({"id": "middle", "text": middle});
    let last = serde_json::json!({"id": "last", "text": "Geen levermetastasen."});
    format!("{first}\n{middle}\n{last}\n")
}

fn lines(run: &Run) -> Vec<Value> {
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}; stderr: {}",
        run.code,
        run.stderr
    );
    run.json_lines()
}

#[test]
fn a_long_chain_of_segments_under_a_memory_cap_gives_three_lines() {
    let dir = tempdir();
    let middle = format!("CT lever: {}", "segment 7 en 8 en ".repeat(20_000));
    write(dir.path(), "three.jsonl", three_reports(&middle).as_bytes());
    let run = sh(
        dir.path(),
        "ulimit -d 262144 && exec \"$RADPATH\" extract -j 1 three.jsonl",
    );
    let got = lines(&run);
    let ids: Vec<&str> = got
        .iter()
        .map(|l| l["id"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(ids, ["first", "middle", "last"], "{}", run.stderr);
    assert!(got[0]["error"].is_null() && got[2]["error"].is_null());
    assert_eq!(got[0]["summary"]["segments"], serde_json::json!(["VII"]));
    // Read in linear time, the long report is a record too.
    assert!(got[1]["error"].is_null(), "{}", got[1]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn a_report_over_its_work_budget_is_an_error_record_in_its_place() {
    let dir = tempdir();
    let middle = format!(
        "CT lever: {}",
        "metastase in segment 7 en 8. ".repeat(2_000)
    );
    write(dir.path(), "three.jsonl", three_reports(&middle).as_bytes());
    // One step per byte is less than any extraction needs past the first small reports'
    // floor (a report counts as at least 4 KiB).
    let run = sh(
        dir.path(),
        "ulimit -d 262144 && exec \"$RADPATH\" extract -j 2 --max-work-per-byte 1 three.jsonl",
    );
    let got = lines(&run);
    let ids: Vec<&str> = got
        .iter()
        .map(|l| l["id"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(ids, ["first", "middle", "last"]);
    assert!(got[0]["error"].is_null() && got[2]["error"].is_null());
    assert_eq!(got[1]["error"]["kind"], "budget", "{}", got[1]);
    let message = got[1]["error"]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("--max-work-per-byte") && message.contains(&middle.len().to_string()),
        "{message}"
    );
    assert_eq!(got[1]["provenance"]["line"], 2);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("read 3, extracted 2, failed 1"),
        "{}",
        run.stderr
    );
    // The default budget extracts it, and 0 lifts the limit.
    for args in ["", "--max-work-per-byte 0"] {
        let run = sh(
            dir.path(),
            &format!("exec \"$RADPATH\" extract -j 1 {args} three.jsonl"),
        );
        let got = lines(&run);
        assert!(
            got.iter().all(|l| l["error"].is_null()),
            "{args}: {}",
            run.stdout
        );
        assert_eq!(got.len(), 3);
    }
}
