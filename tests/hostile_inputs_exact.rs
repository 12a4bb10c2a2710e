//! Inputs read exactly: a CSV quote left open at the end of the file is an error record
//! and the rows it swallowed count as failed; JSON number ids and `meta` numbers keep
//! their digits; directory ids are unique and can be read back into the file's path.

mod util;

use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

#[test]
fn a_csv_quote_open_at_the_end_is_an_error_and_the_swallowed_rows_fail() {
    let dir = util::tempdir();
    let csv = "id,text\n\
               r1,CT lever: twee metastasen in segment 7.\n\
               r2,\"Echo lever: geen laesies.\n\
               r3,CT lever: cyste.\n\
               \n\
               r4,MRI lever: geen metastasen.\n";
    util::write(dir.path(), "in.csv", csv);
    let run = util::run_in(dir.path(), &["extract", "in.csv"], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert_eq!(lines[0]["id"], "r1");
    assert!(lines[0].get("summary").is_some());
    // The row whose quote never closes: its row, its line, and what it swallowed.
    assert_eq!(lines[1]["id"], "r2");
    assert_eq!(lines[1]["error"]["kind"], "csv");
    assert_eq!(lines[1]["provenance"]["row"], 2);
    let message = lines[1]["error"]["message"].as_str().expect("message");
    assert!(message.contains("row 2 (line 3)"), "{message}");
    assert!(
        message.contains("quote still open at the end of the file"),
        "{message}"
    );
    assert!(message.contains("2 lines after it"), "{message}");
    // Each swallowed line (the blank one is no row) is a failed row of its own.
    for (i, row) in [(2, 3), (3, 4)] {
        assert_eq!(lines[i]["error"]["kind"], "csv");
        assert_eq!(lines[i]["provenance"]["row"], row);
        assert!(lines[i]["id"].is_null());
        let m = lines[i]["error"]["message"].as_str().expect("message");
        assert!(
            m.contains("swallowed by the quote left open in row 2 (line 3)"),
            "{m}"
        );
    }
    assert!(
        run.stderr.contains("read 4, extracted 1, failed 3"),
        "{}",
        run.stderr
    );

    // The same through stdin, with CRLF line ends and no line end at the end.
    let crlf = csv.replace('\n', "\r\n");
    let crlf = crlf.trim_end();
    let run = util::run_in(
        dir.path(),
        &["extract", "--input", "csv", "-"],
        Some(crlf.as_bytes()),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.json_lines().len(), 4, "{}", run.stdout);
    assert!(
        run.stderr.contains("read 4, extracted 1, failed 3"),
        "{}",
        run.stderr
    );

    // A quote that is closed at the very end is no error.
    util::write(dir.path(), "ok.csv", "id,text\nr1,\"CT lever: cyste.\"");
    let run = util::run_in(dir.path(), &["extract", "ok.csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);

    // A quote open in the header.
    util::write(dir.path(), "head.csv", "id,\"text\nr1,CT lever\nr2,echo\n");
    let run = util::run_in(dir.path(), &["extract", "head.csv"], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 3, "{}", run.stdout);
    assert!(lines[0]["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("the header (line 1)")));
    assert!(
        run.stderr.contains("read 3, extracted 0, failed 3"),
        "{}",
        run.stderr
    );
}

#[test]
fn json_number_ids_and_meta_numbers_keep_their_digits() {
    let dir = util::tempdir();
    let input = "{\"id\":12345678901234567890123,\"text\":\"CT lever: cyste.\",\"n\":1e3,\"big\":-98765432109876543210.5,\"x\":0.1,\"nested\":{\"a\":1.50,\"b\":[2E-7,7]}}\n\
                 {\"id\":1e3,\"text\":\"CT lever: cyste.\"}\n\
                 {\"id\":42,\"text\":\"CT lever: cyste.\",\"k\":18446744073709551616}\n\
                 {\"id\":3.10,\"text\":\"\"}\n";
    util::write(dir.path(), "in.jsonl", input);
    let run = util::run_in(dir.path(), &["extract", "in.jsonl"], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let out: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(out.len(), 4);
    assert!(
        out[0].starts_with("{\"id\":\"12345678901234567890123\""),
        "{}",
        out[0]
    );
    // Digits as written; an exponent is written `e+N` / `e-N`.
    for token in [
        "\"n\":1e+3",
        "\"big\":-98765432109876543210.5",
        "\"x\":0.1",
        "\"a\":1.50",
        "\"b\":[2e-7,7]",
    ] {
        assert!(out[0].contains(token), "{token} in {}", out[0]);
    }
    assert!(out[1].starts_with("{\"id\":\"1e+3\""), "{}", out[1]);
    assert!(out[2].contains("\"k\":18446744073709551616"), "{}", out[2]);
    // An error record keeps the id's digits too.
    assert!(out[3].starts_with("{\"id\":\"3.10\""), "{}", out[3]);
    // The output is still valid JSON.
    assert_eq!(run.json_lines().len(), 4);
}

/// Reads a directory id back into the relative path of its file.
fn path_of(id: &str) -> PathBuf {
    let bytes = id.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("hex");
            out.push(u8::from_str_radix(hex, 16).expect("hex"));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    PathBuf::from(std::ffi::OsStr::from_bytes(&out))
}

#[test]
fn directory_ids_are_unique_and_can_be_read_back() {
    let dir = util::tempdir();
    let root = dir.path().join("reports");
    let text = "CT lever: cyste in segment 2.";
    let names: [&[u8]; 8] = [
        b"a\\b.txt",
        b"a/b.txt",
        b"a%5Cb.txt",
        b"caf\xe9.txt",
        b"caf\xe8.txt",
        b"caf\xc3\xa9.txt",
        b"tab\tand\nnewline.txt",
        b"100%.txt",
    ];
    for name in names {
        let p = root.join(std::ffi::OsStr::from_bytes(name));
        std::fs::create_dir_all(p.parent().expect("parent")).expect("folder");
        std::fs::write(&p, text).expect("write");
    }
    let run = util::run_in(dir.path(), &["extract", "reports"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines.len(), names.len(), "{}", run.stdout);
    let ids: Vec<String> = lines
        .iter()
        .map(|l| l["id"].as_str().expect("id").to_string())
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids collide: {ids:?}");
    for id in &ids {
        let p = root.join(path_of(id));
        assert!(p.is_file(), "id {id} does not name a file");
    }
    for expected in [
        "a%5Cb.txt",
        "a/b.txt",
        "a%255Cb.txt",
        "caf%E9.txt",
        "café.txt",
        "100%25.txt",
        "tab%09and%0Anewline.txt",
    ] {
        assert!(
            ids.iter().any(|i| i == expected),
            "{expected} not in {ids:?}"
        );
    }
}
