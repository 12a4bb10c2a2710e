//! Hostile input through the binary: bad encodings, broken records, huge and pathological
//! reports, unreadable files. In every case radpath exits normally, writes exactly one
//! output line per input and ends with counts where read = extracted + failed.

mod util;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use util::{run_in, tempdir, write, Run};

/// The counts of the closing stderr line `radpath: read R, extracted E, failed F`.
fn counts(run: &Run) -> (u64, u64, u64) {
    let line = run
        .stderr
        .lines()
        .rev()
        .find(|l| l.starts_with("radpath: read "))
        .unwrap_or_else(|| panic!("no counts on stderr: {}", run.stderr));
    let nums: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("a count"))
        .collect();
    assert_eq!(nums.len(), 3, "counts line: {line}");
    (nums[0], nums[1], nums[2])
}

/// Checks the guarantees every run keeps and returns the output lines: exit 0 or 1, one
/// JSON line per input read, read = extracted + failed, error lines counted as failed.
fn checked(run: &Run, expected_inputs: usize) -> Vec<Value> {
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}; stderr: {}",
        run.code,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "a panic: {}", run.stderr);
    let lines = run.json_lines();
    let (read, extracted, failed) = counts(run);
    assert_eq!(read, extracted + failed, "read = extracted + failed");
    assert_eq!(lines.len() as u64, read, "one output line per input");
    assert_eq!(lines.len(), expected_inputs, "inputs read");
    let errors = lines.iter().filter(|l| l.get("error").is_some()).count() as u64;
    assert_eq!(errors, failed, "error records = failed");
    assert_eq!(
        run.code,
        i32::from(failed > 0),
        "exit code says whether some inputs failed"
    );
    lines
}

fn error_kind(line: &Value) -> &str {
    line["error"]["kind"].as_str().unwrap_or("")
}

fn extract(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut all = vec!["extract"];
    all.extend_from_slice(args);
    run_in(dir, &all, stdin)
}

/// Runs `sh -c script` with the radpath binary as `$RADPATH`, in `dir`.
fn sh(dir: &Path, script: &str) -> Run {
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

#[test]
fn invalid_utf8_is_read_as_windows_1252_and_noted() {
    let dir = tempdir();
    write(
        dir.path(),
        "r.txt",
        b"Lever: laesie \xe9\x80\xff in segment 7.\n",
    );
    let lines = checked(&extract(dir.path(), &["r.txt"], None), 1);
    assert_eq!(lines[0]["provenance"]["encoding"], "windows-1252");

    let strict = extract(dir.path(), &["--encoding", "utf-8", "r.txt"], None);
    let lines = checked(&strict, 1);
    assert_eq!(error_kind(&lines[0]), "decode");
    assert!(lines[0]["error"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("byte 14"));
}

#[test]
fn windows_1252_report_is_decoded_with_its_accents() {
    let dir = tempdir();
    // "ë", "é" and "µ" as single Windows-1252 bytes; the Euro sign is 0x80.
    let text = b"Echografie: re\xebel beeld, caf\xe9 \x80 5 \xb5g.\r\n";
    write(dir.path(), "r.txt", text);
    let lines = checked(&extract(dir.path(), &["r.txt"], None), 1);
    assert_eq!(lines[0]["provenance"]["encoding"], "windows-1252");
    let decoded = "Echografie: reëel beeld, café € 5 µg.\r\n";
    let sha = radpath::pipeline::sha256_hex(decoded);
    assert_eq!(
        lines[0]["provenance"]["sha256"],
        sha.as_str(),
        "the hash is of the decoded text"
    );
    // The same bytes inside a JSONL export.
    let mut jsonl = b"{\"id\":\"w\",\"text\":\"re\xebel \xe9\"}\n".to_vec();
    jsonl.extend_from_slice(b"{\"id\":\"u\",\"text\":\"ok\"}\n");
    write(dir.path(), "r.jsonl", jsonl);
    let lines = checked(&extract(dir.path(), &["r.jsonl"], None), 2);
    assert_eq!(lines[0]["provenance"]["encoding"], "windows-1252");
    assert_eq!(lines[1]["provenance"]["encoding"], "utf-8");
}

fn utf16(text: &str, little: bool) -> Vec<u8> {
    let bom: [u8; 2] = if little { [0xFF, 0xFE] } else { [0xFE, 0xFF] };
    bom.into_iter()
        .chain(text.encode_utf16().flat_map(|u| {
            if little {
                u.to_le_bytes()
            } else {
                u.to_be_bytes()
            }
        }))
        .collect()
}

#[test]
fn utf16_with_bom_is_decoded_in_text_jsonl_and_csv() {
    let dir = tempdir();
    let report = "Leveré laesie in segment 7.\r\n";
    for little in [true, false] {
        let name = if little { "le" } else { "be" };
        let enc = if little { "utf-16le" } else { "utf-16be" };
        write(dir.path(), &format!("{name}.txt"), utf16(report, little));
        let jsonl = "{\"id\":\"a\",\"text\":\"leveré\"}\r\n{\"id\":\"b\",\"text\":\"lever\"}\r\n";
        write(dir.path(), &format!("{name}.jsonl"), utf16(jsonl, little));
        write(
            dir.path(),
            &format!("{name}.csv"),
            utf16("id,text\r\na,leveré\r\nb,\"lever\nlever\"\r\n", little),
        );
        let run = extract(
            dir.path(),
            &[
                &format!("{name}.txt"),
                &format!("{name}.jsonl"),
                &format!("{name}.csv"),
            ],
            None,
        );
        let lines = checked(&run, 5);
        for l in &lines {
            assert!(l.get("error").is_none(), "{l}");
            assert_eq!(l["provenance"]["encoding"], enc, "{l}");
        }
        let ids: Vec<&str> = lines
            .iter()
            .map(|l| l["id"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(ids, [&format!("{name}.txt") as &str, "a", "b", "a", "b"]);
        assert_eq!(
            lines[0]["provenance"]["sha256"],
            radpath::pipeline::sha256_hex(report).as_str()
        );
    }
    // A UTF-16 BOM followed by an unpaired surrogate: a clear error record for a text file.
    write(dir.path(), "bad.txt", [0xFF, 0xFE, 0x00, 0xD8, b'a', 0]);
    let lines = checked(&extract(dir.path(), &["bad.txt"], None), 1);
    assert_eq!(error_kind(&lines[0]), "decode");
}

#[test]
fn nul_bytes_do_not_stop_a_report() {
    let dir = tempdir();
    write(dir.path(), "r.txt", b"Lever\0 laesie\0\0 segment 7.\0");
    let lines = checked(&extract(dir.path(), &["r.txt"], None), 1);
    assert!(lines[0].get("error").is_none());
    // JSONL: an escaped NUL is text; a raw NUL inside a string is invalid JSON.
    let jsonl = b"{\"id\":\"a\",\"text\":\"lever\\u0000 laesie\"}\n{\"id\":\"b\",\"text\":\"lever\0\"}\n\0\n";
    write(dir.path(), "r.jsonl", jsonl);
    let lines = checked(&extract(dir.path(), &["r.jsonl"], None), 3);
    assert!(lines[0].get("error").is_none());
    assert_eq!(error_kind(&lines[1]), "json");
    assert_eq!(lines[1]["provenance"]["line"], 2);
    assert_eq!(error_kind(&lines[2]), "json");
    // stdin with NULs.
    let lines = checked(&extract(dir.path(), &[], Some(b"\0\0lever\0")), 1);
    assert!(lines[0].get("error").is_none());
    // A report of NULs only is not empty text: it is read, and yields nothing.
    let lines = checked(&extract(dir.path(), &["-"], Some(&[0u8; 1000][..])), 1);
    assert!(lines[0].get("error").is_none());
}

/// 100 MB of report text, generated on the fly.
fn hundred_megabytes() -> Vec<u8> {
    b"Lever met laesie in segment 7, 2 cm. "
        .iter()
        .copied()
        .cycle()
        .take(100 << 20)
        .collect()
}

#[test]
fn a_100_mb_report_is_an_error_record_in_bounded_time_and_memory() {
    let dir = tempdir();
    let big = hundred_megabytes();
    write(dir.path(), "big.txt", &big);
    let mut jsonl = b"{\"id\":\"first\",\"text\":\"lever\"}\n{\"id\":\"big\",\"text\":\"".to_vec();
    jsonl.extend_from_slice(&big);
    jsonl.extend_from_slice(b"\"}\n{\"id\":\"last\",\"text\":\"lever\"}\n");
    write(dir.path(), "big.jsonl", &jsonl);
    drop(jsonl);
    let mut csv = b"id,text\nfirst,lever\nbig,\"".to_vec();
    csv.extend_from_slice(&big);
    csv.extend_from_slice(b"\"\nlast,lever\n");
    write(dir.path(), "big.csv", &csv);
    drop(csv);
    drop(big);
    // The data segment is capped at 64 MiB: a reader that held the 100 MB report (or a
    // fraction of it) in memory would fail to allocate and abort.
    let started = Instant::now();
    let run = sh(
        dir.path(),
        "ulimit -d 65536 && exec \"$RADPATH\" extract -j 2 big.txt big.jsonl big.csv - < big.txt",
    );
    let lines = checked(&run, 1 + 3 + 3 + 1);
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l["id"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        ids,
        ["big.txt", "first", "-", "last", "first", "-", "last", "stdin"]
    );
    for i in [0, 2, 5, 7] {
        assert_eq!(error_kind(&lines[i]), "too_large", "{}", lines[i]);
    }
    assert_eq!(lines[2]["provenance"]["line"], 2);
    assert_eq!(lines[5]["provenance"]["row"], 2);
    assert!(
        started.elapsed() < Duration::from_secs(120),
        "took {:?}",
        started.elapsed()
    );
    // A smaller limit works the same way, and a report under it is read.
    let run = extract(
        dir.path(),
        &["--max-record-bytes", "1000", "-"],
        Some(&[b'a'; 1001][..]),
    );
    assert_eq!(error_kind(&checked(&run, 1)[0]), "too_large");
    let run = extract(
        dir.path(),
        &["--max-record-bytes", "1000", "-"],
        Some(&[b'a'; 1000][..]),
    );
    assert!(checked(&run, 1)[0].get("error").is_none());
}

/// 1,000,000 tiny records in a release build (the CI build); 100,000 in a debug build,
/// where one million takes minutes.
#[test]
fn a_million_tiny_records_give_a_million_lines_in_order() {
    let n: usize = if cfg!(debug_assertions) {
        100_000
    } else {
        1_000_000
    };
    let dir = tempdir();
    let mut input = String::with_capacity(n * 40);
    for i in 0..n {
        match i % 1000 {
            7 => input.push_str("{\"id\":\"broken\n"),
            8 => input.push_str(&format!("{{\"id\":\"r{i}\",\"text\":\"\"}}\n")),
            _ => input.push_str(&format!("{{\"id\":\"r{i}\",\"text\":\"s{}\"}}\n", i % 8)),
        }
    }
    write(dir.path(), "many.jsonl", &input);
    let run = sh(
        dir.path(),
        "ulimit -d 262144 && exec \"$RADPATH\" extract -j 2 many.jsonl",
    );
    assert!(run.code == 1, "exit {}: {}", run.code, run.stderr);
    let (read, extracted, failed) = counts(&run);
    assert_eq!(
        (read, extracted + failed, failed),
        (n as u64, n as u64, 2 * (n as u64) / 1000)
    );
    let mut count = 0;
    for (i, line) in run.stdout.lines().enumerate() {
        count += 1;
        if i % 1000 == 7 {
            assert!(
                line.contains("\"kind\":\"json\"") && line.contains(&format!("\"line\":{}", i + 1)),
                "{line}"
            );
        } else {
            assert!(
                line.starts_with(&format!("{{\"id\":\"r{i}\"")),
                "line {i}: {line}"
            );
        }
    }
    assert_eq!(count, n);
}

#[test]
fn crlf_and_lone_cr_line_ends_are_line_ends() {
    let dir = tempdir();
    for (name, nl) in [("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")] {
        let jsonl = format!("{{\"id\":\"a\",\"text\":\"x\"}}{nl}{nl}{{\"id\":\"b\",\"text\":\"y\"}}{nl}not json{nl}");
        write(dir.path(), &format!("{name}.jsonl"), jsonl);
        let csv = format!("id,text{nl}a,\"x{nl}x\"{nl}b,y{nl}");
        write(dir.path(), &format!("{name}.csv"), csv);
        let run = extract(
            dir.path(),
            &[&format!("{name}.jsonl"), &format!("{name}.csv")],
            None,
        );
        let lines = checked(&run, 5);
        let ids: Vec<&str> = lines
            .iter()
            .map(|l| l["id"].as_str().unwrap_or("-"))
            .collect();
        assert_eq!(ids, ["a", "b", "-", "a", "b"], "{name}");
        assert_eq!(
            lines[2]["provenance"]["line"], 4,
            "{name}: blank lines count as lines"
        );
        assert_eq!(lines[4]["provenance"]["row"], 2, "{name}");
    }
    // A CRLF split across the reader's buffer is one line end, not two.
    let mut jsonl = String::new();
    for i in 0..20_000 {
        jsonl.push_str(&format!(
            "{{\"id\":\"{i}\",\"text\":\"lever {}\"}}\r\n",
            "x".repeat(i % 13)
        ));
    }
    write(dir.path(), "many.jsonl", &jsonl);
    let lines = checked(&extract(dir.path(), &["many.jsonl"], None), 20_000);
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["provenance"]["line"], i as u64 + 1);
    }
}

#[test]
fn a_report_reads_the_same_with_lf_crlf_or_cr_line_ends() {
    let dir = tempdir();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let gold =
        std::fs::read_to_string(root.join("corpus/smoke.jsonl")).expect("corpus/smoke.jsonl");
    for (n, case) in gold.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let case: Value = serde_json::from_str(case).expect("a gold case");
        let text = case["text"]
            .as_str()
            .unwrap_or_default()
            .replace("\r\n", "\n");
        let mut summaries = Vec::new();
        for nl in ["\n", "\r\n", "\r"] {
            write(dir.path(), "r.txt", text.replace('\n', nl));
            let lines = checked(&extract(dir.path(), &["r.txt"], None), 1);
            summaries.push(lines[0]["summary"].clone());
        }
        assert_eq!(
            summaries[0], summaries[1],
            "case {n}: CRLF changes the summary"
        );
        assert_eq!(
            summaries[0], summaries[2],
            "case {n}: lone CR changes the summary"
        );
    }
}

#[test]
fn a_jsonl_line_with_trailing_garbage_is_an_error_and_the_run_goes_on() {
    let dir = tempdir();
    let jsonl = "{\"id\":\"a\",\"text\":\"x\"} trailing\n{\"id\":\"b\",\"text\":\"y\"}}\n{\"id\":\"c\",\"text\":\"z\"}\n{\"id\":\"d\",\"te";
    write(dir.path(), "g.jsonl", jsonl);
    let lines = checked(&extract(dir.path(), &["g.jsonl"], None), 4);
    assert_eq!(error_kind(&lines[0]), "json");
    assert_eq!(
        lines[0]["id"], "a",
        "the id of a whole object before the garbage is kept"
    );
    assert_eq!(error_kind(&lines[1]), "json");
    assert_eq!(lines[1]["id"], "b");
    assert_eq!(lines[2]["id"], "c");
    assert_eq!(lines[3]["id"], Value::Null, "no whole object, no id");
    assert_eq!(
        error_kind(&lines[3]),
        "json",
        "a last line cut off without a line end"
    );
    assert_eq!(lines[3]["provenance"]["line"], 4);
}

#[test]
fn json_values_that_are_not_objects_are_error_records() {
    let dir = tempdir();
    let jsonl = "[1,2]\n\"text\"\n42\nnull\ntrue\n{\"id\":\"ok\",\"text\":\"lever\"}\n{\"id\":[1],\"text\":\"lever\"}\n{\"id\":\"t\",\"text\":{\"a\":1}}\n{\"text\":\"lever\"}\n";
    write(dir.path(), "v.jsonl", jsonl);
    let lines = checked(&extract(dir.path(), &["v.jsonl"], None), 9);
    for l in &lines[..5] {
        assert_eq!(error_kind(l), "not_object");
    }
    assert_eq!(lines[5]["id"], "ok");
    assert_eq!(
        lines[6]["id"], "[1]",
        "a non-string id is kept as its JSON text"
    );
    assert_eq!(error_kind(&lines[7]), "missing_text");
    assert_eq!(lines[7]["id"], "t");
    assert_eq!(lines[8]["id"], "v.jsonl:9", "no id: the line stands in");
}

#[test]
fn csv_with_quotes_newlines_and_missing_columns() {
    let dir = tempdir();
    let csv = "id,text,ward\n1,\"Laesie \"\"verdacht\"\"\nin segment 7\",A\n2,geen text column here\n3,\"lever\",B,extra\n,\"zonder id\",C\n4,\"open quote never closed\n";
    write(dir.path(), "q.csv", csv);
    let lines = checked(&extract(dir.path(), &["q.csv"], None), 5);
    assert_eq!(lines[0]["id"], "1");
    assert_eq!(lines[0]["meta"]["ward"], "A");
    assert_eq!(
        lines[0]["provenance"]["sha256"],
        radpath::pipeline::sha256_hex("Laesie \"verdacht\"\nin segment 7").as_str()
    );
    assert_eq!(error_kind(&lines[1]), "csv");
    assert_eq!(lines[1]["id"], "2", "the id of a short row is kept");
    assert_eq!(error_kind(&lines[2]), "csv");
    assert_eq!(lines[3]["id"], "q.csv:row4");
    assert_eq!(
        lines[4]["id"], "4",
        "an unclosed quote runs to the end of the file: one last row"
    );
    assert_eq!(error_kind(&lines[4]), "csv", "and that row is an error");
    // A header without the text column: every row is an error record with its id.
    write(dir.path(), "n.csv", "id,body\n1,lever\n2,lever\n");
    let lines = checked(&extract(dir.path(), &["n.csv"], None), 2);
    assert!(lines.iter().all(|l| error_kind(l) == "missing_text"));
    assert_eq!(lines[1]["id"], "2");
    // A row of 70,000 fields is too large, and the next row is still read.
    write(
        dir.path(),
        "w.csv",
        format!("id,text\n{}\n5,lever\n", ",".repeat(70_000)),
    );
    let lines = checked(&extract(dir.path(), &["w.csv"], None), 2);
    assert_eq!(error_kind(&lines[0]), "too_large");
    assert_eq!(lines[1]["id"], "5");
}

#[test]
fn empty_inputs() {
    let dir = tempdir();
    write(dir.path(), "e.txt", "");
    write(dir.path(), "w.txt", " \n\t\r\n");
    write(dir.path(), "e.jsonl", "");
    write(dir.path(), "b.jsonl", "\n\r\n  \n");
    write(dir.path(), "e.csv", "");
    write(dir.path(), "h.csv", "id,text\n");
    let lines = checked(
        &extract(
            dir.path(),
            &["e.txt", "w.txt", "e.jsonl", "b.jsonl", "e.csv", "h.csv"],
            None,
        ),
        3,
    );
    assert_eq!(error_kind(&lines[0]), "empty_text");
    assert_eq!(error_kind(&lines[1]), "empty_text");
    assert_eq!(
        error_kind(&lines[2]),
        "csv",
        "an empty CSV has no header row"
    );
    let lines = checked(&extract(dir.path(), &[], Some(b"")), 1);
    assert_eq!(error_kind(&lines[0]), "empty_text");
    let run = extract(dir.path(), &["--input", "jsonl", "-"], Some(b""));
    checked(&run, 0);
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("folder");
    checked(&extract(dir.path(), &["empty"], None), 0);
}

/// Root reads any file whatever its permission bits, so the unreadable files here are made
/// with tricks that work as root: a dangling symlink, a symlink to itself, a FIFO (reading
/// it would block forever), and a symlink to `/proc/self/mem`, whose first page is never
/// mapped, so reading it fails with EIO.
#[test]
fn a_directory_with_unreadable_files_and_a_symlink_loop() {
    let dir = tempdir();
    let root = dir.path().join("archive");
    write(&root, "a.txt", "Lever: laesie in segment 7.");
    write(&root, "sub/b.txt", "Geen afwijkingen.");
    write(&root, "sub/notes.md", "not a report");
    std::os::unix::fs::symlink("..", root.join("sub/loop")).expect("symlink");
    std::os::unix::fs::symlink("missing.txt", root.join("dangling.txt")).expect("symlink");
    std::os::unix::fs::symlink("self.txt", root.join("self.txt")).expect("symlink");
    std::os::unix::fs::symlink("/proc/self/mem", root.join("mem.txt")).expect("symlink");
    let fifo = sh(&root, "mkfifo pipe.txt");
    assert_eq!(fifo.code, 0, "mkfifo: {}", fifo.stderr);
    let started = Instant::now();
    let run = extract(dir.path(), &["archive"], None);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "a FIFO must not block the run"
    );
    let lines = checked(&run, 7);
    let got: Vec<(String, String)> = lines
        .iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap_or("-").to_string(),
                error_kind(l).to_string(),
            )
        })
        .collect();
    let want = [
        ("a.txt", ""),
        ("dangling.txt", "io"),
        ("mem.txt", "io"),
        ("pipe.txt", "io"),
        ("self.txt", "io"),
        ("sub/b.txt", ""),
        ("sub/loop", "io"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
    assert!(lines[6]["error"]["message"]
        .as_str()
        .unwrap_or("")
        .contains("loop"));
}

#[test]
fn a_lexicon_file_with_a_bad_line_is_a_clear_configuration_error() {
    let dir = tempdir();
    write(
        dir.path(),
        "lex/nl/context.tsv",
        "# comment\nnooit\tNEGATED_EXISTENCE\tforward\nkapot\tNOT_A_CATEGORY\tforward\nvaag\tPOSSIBLE_EXISTENCE\tforward\tveel\n",
    );
    let run = extract(dir.path(), &["--lexicons", "lex", "-"], Some(b"lever"));
    assert_eq!(run.code, 2, "stderr: {}", run.stderr);
    assert!(run.stdout.is_empty(), "no output on a configuration error");
    assert!(run.stderr.contains("nl/context.tsv:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("nl/context.tsv:4:"), "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
    let check = run_in(dir.path(), &["lexicon", "check", "lex"], None);
    assert_eq!(check.code, 2);
    assert!(
        check.stderr.contains("nl/context.tsv:3:"),
        "{}",
        check.stderr
    );
    // Bytes that are not UTF-8, and a file of an unknown kind.
    write(
        dir.path(),
        "lex2/en/context.tsv",
        b"no\xff\tNEGATED_EXISTENCE\tforward\n",
    );
    write(dir.path(), "lex3/en/nonsense.tsv", "x\ty=z\n");
    for lex in ["lex2", "lex3"] {
        let run = extract(dir.path(), &["--lexicons", lex, "-"], Some(b"lever"));
        assert_eq!(run.code, 2, "{lex}: {}", run.stderr);
        assert!(run.stderr.contains(".tsv:"), "{lex}: {}", run.stderr);
    }
}

/// Pathological text for the matchers and the number rules; each must finish in bounded
/// time (generous for a loaded debug build) and yield one record.
#[test]
fn pathological_text_finishes_in_bounded_time() {
    let dir = tempdir();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("geen.txt", "geen ".repeat(100_000).into_bytes()),
        (
            "nospace.txt",
            "segment".repeat(5 * 1024 * 1024 / 7).into_bytes(),
        ),
        (
            "sizes.txt",
            format!("laesie van {}1 cm", "1x".repeat(200_000)).into_bytes(),
        ),
        (
            "digits.txt",
            format!("laesie {} mm", "9".repeat(1_000_000)).into_bytes(),
        ),
        ("commas.txt", "2,".repeat(500_000).into_bytes()),
        ("dots.txt", ". ".repeat(500_000).into_bytes()),
        // Every line a sentence: extraction is linear in sentences, but a debug build
        // spends about half a millisecond on each, so 20,000 here.
        ("lines.txt", "S7\n".repeat(20_000).into_bytes()),
        ("colons.txt", "Conclusie:".repeat(200_000).into_bytes()),
        ("accents.txt", "é".repeat(1_000_000).into_bytes()),
        (
            "combining.txt",
            "e\u{301}\u{308}\u{327}".repeat(200_000).into_bytes(),
        ),
    ];
    for (name, bytes) in &cases {
        write(dir.path(), name, bytes);
    }
    for (name, _) in &cases {
        let started = Instant::now();
        let run = extract(dir.path(), &[name], None);
        let took = started.elapsed();
        let lines = checked(&run, 1);
        assert!(lines[0].get("error").is_none(), "{name}: {}", lines[0]);
        assert!(took < Duration::from_secs(60), "{name} took {took:?}");
    }
}

#[test]
fn stdin_jsonl_and_csv_streams() {
    let dir = tempdir();
    let run = extract(
        dir.path(),
        &["--input", "jsonl"],
        Some(b"{\"id\":\"a\",\"text\":\"x\"}\r\n[]\r\n"),
    );
    let lines = checked(&run, 2);
    assert_eq!(lines[0]["id"], "a");
    let run = extract(
        dir.path(),
        &["--input", "csv", "-"],
        Some(b"id,text\r\n1,x\r\n2\r\n"),
    );
    let lines = checked(&run, 2);
    assert_eq!(lines[1]["id"], "2");
}

#[test]
fn deeply_nested_json_is_an_error_record_not_a_stack_overflow() {
    let dir = tempdir();
    let deep = format!("{}{}\n", "[".repeat(200_000), "]".repeat(200_000));
    let deep_meta = format!(
        "{{\"id\":\"m\",\"text\":\"lever\",\"x\":{}1{}}}\n",
        "{\"a\":".repeat(100_000),
        "}".repeat(100_000)
    );
    write(
        dir.path(),
        "deep.jsonl",
        format!("{deep}{deep_meta}{{\"id\":\"ok\",\"text\":\"lever\"}}\n"),
    );
    let lines = checked(&extract(dir.path(), &["deep.jsonl"], None), 3);
    assert_eq!(error_kind(&lines[0]), "json");
    assert_eq!(error_kind(&lines[1]), "json");
    assert_eq!(lines[2]["id"], "ok");
}

#[test]
fn a_utf8_bom_and_windows_1252_fields_in_jsonl_and_csv() {
    let dir = tempdir();
    write(
        dir.path(),
        "bom.jsonl",
        b"\xEF\xBB\xBF{\"id\":\"a\",\"text\":\"lever\"}\n{\"id\":\"b\",\"text\":\"lever\"}\n",
    );
    write(dir.path(), "bom.csv", b"\xEF\xBB\xBFid,text\na,lever\n");
    write(dir.path(), "w.csv", b"id,text\nc,re\xebel \xe9\n");
    let lines = checked(
        &extract(dir.path(), &["bom.jsonl", "bom.csv", "w.csv"], None),
        4,
    );
    let ids: Vec<&str> = lines
        .iter()
        .map(|l| l["id"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(ids, ["a", "b", "a", "c"]);
    assert!(lines.iter().all(|l| l.get("error").is_none()));
    assert_eq!(lines[3]["provenance"]["encoding"], "windows-1252");
    assert_eq!(
        lines[3]["provenance"]["sha256"],
        radpath::pipeline::sha256_hex("reëel é").as_str()
    );
}
