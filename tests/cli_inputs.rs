//! Every input kind of `radpath extract`, through the built binary: a text file, stdin,
//! a directory, JSON Lines, CSV with multi-line fields, and the encodings.

mod util;

use serde_json::Value;
use util::{assert_spans_match, run_in, tempdir, write};

const NL: &str = "Verslag:\nIn segment 7 een hypodense laesie van 2,3 cm.\nConclusie: metastase.";
const EN: &str = "Findings: a hypoattenuating lesion in segment 6.\nImpression: metastasis.";

fn ids(lines: &[Value]) -> Vec<String> {
    lines
        .iter()
        .map(|l| l["id"].as_str().unwrap_or("<null>").to_string())
        .collect()
}

#[test]
fn a_text_file_is_one_report_named_after_the_file() {
    let dir = tempdir();
    write(dir.path(), "ct-17.txt", NL);
    let run = run_in(dir.path(), &["extract", "ct-17.txt"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["id"], "ct-17.txt");
    assert_eq!(lines[0]["provenance"]["source"], "ct-17.txt");
    assert_eq!(lines[0]["provenance"]["encoding"], "utf-8");
    assert_eq!(lines[0]["summary"]["language"], "nl");
    assert_spans_match(&lines[0], NL);
    assert!(
        run.stderr.contains("read 1, extracted 1, failed 0"),
        "{}",
        run.stderr
    );
}

#[test]
fn stdin_is_one_report_with_or_without_dash() {
    let dir = tempdir();
    for args in [&["extract"][..], &["extract", "-"][..]] {
        let run = run_in(dir.path(), args, Some(EN.as_bytes()));
        assert_eq!(run.code, 0, "{}", run.stderr);
        let lines = run.json_lines();
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["id"], "stdin");
        assert_eq!(lines[0]["provenance"]["source"], "-");
        assert_eq!(lines[0]["summary"]["language"], "en");
    }
}

#[test]
fn a_directory_gives_every_txt_below_it_in_sorted_order() {
    let dir = tempdir();
    write(dir.path(), "archive/b.txt", NL);
    write(dir.path(), "archive/a.txt", EN);
    write(dir.path(), "archive/2020/z.txt", NL);
    write(dir.path(), "archive/2020/deep/y.TXT", EN);
    write(dir.path(), "archive/notes.md", "not a report");
    write(dir.path(), "archive/export.csv", "id,text\n1,x\n");
    let run = run_in(dir.path(), &["extract", "archive"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(
        ids(&lines),
        ["2020/deep/y.TXT", "2020/z.txt", "a.txt", "b.txt"]
    );
    assert!(lines[3]["provenance"]["source"]
        .as_str()
        .unwrap()
        .ends_with("b.txt"));
    assert_spans_match(&lines[3], NL);
}

#[test]
fn jsonl_ids_texts_and_meta_pass_through() {
    let dir = tempdir();
    let input = format!(
        "{}\n\n{}\n",
        serde_json::json!({"id": "r1", "text": NL, "patient": "P1", "year": 2019, "tags": ["a"]}),
        serde_json::json!({"id": 7, "text": EN})
    );
    write(dir.path(), "export.jsonl", &input);
    let run = run_in(dir.path(), &["extract", "export.jsonl"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(ids(&lines), ["r1", "7"]);
    assert_eq!(
        lines[0]["meta"],
        serde_json::json!({"patient": "P1", "year": 2019, "tags": ["a"]})
    );
    assert_eq!(lines[0]["provenance"]["line"], 1);
    assert_eq!(
        lines[1]["provenance"]["line"], 3,
        "a blank line still counts as a line"
    );
    assert_eq!(lines[1]["meta"], serde_json::json!({}));
    assert_spans_match(&lines[0], NL);
    assert_spans_match(&lines[1], EN);
}

#[test]
fn jsonl_custom_fields_and_ndjson_and_forced_format() {
    let dir = tempdir();
    let line = serde_json::json!({"report_id": "x9", "body": NL, "id": "kept-in-meta"}).to_string();
    write(dir.path(), "a.ndjson", format!("{line}\n"));
    write(dir.path(), "a.export", format!("{line}\n"));
    for args in [
        &[
            "extract",
            "--id-field",
            "report_id",
            "--text-field",
            "body",
            "a.ndjson",
        ][..],
        &[
            "extract",
            "--input",
            "jsonl",
            "--id-field",
            "report_id",
            "--text-field",
            "body",
            "a.export",
        ][..],
    ] {
        let run = run_in(dir.path(), args, None);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let lines = run.json_lines();
        assert_eq!(lines[0]["id"], "x9");
        assert_eq!(lines[0]["meta"]["id"], "kept-in-meta");
    }
}

#[test]
fn jsonl_on_stdin_is_many_reports() {
    let dir = tempdir();
    let input = format!(
        "{}\n{}\n",
        serde_json::json!({"id": "a", "text": NL}),
        serde_json::json!({"id": "b", "text": EN})
    );
    let run = run_in(
        dir.path(),
        &["extract", "--input", "jsonl", "-"],
        Some(input.as_bytes()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(ids(&run.json_lines()), ["a", "b"]);
}

#[test]
fn csv_with_quoted_multi_line_fields() {
    let dir = tempdir();
    let csv = "id,patient,text\r\nc1,P1,\"Verslag:\nIn segment 7 een laesie, \"\"hypodens\"\".\nConclusie: metastase.\"\r\nc2,P2,\"Findings: normal liver.\"\r\n";
    write(dir.path(), "export.csv", csv);
    let run = run_in(dir.path(), &["extract", "export.csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(ids(&lines), ["c1", "c2"]);
    assert_eq!(lines[0]["meta"], serde_json::json!({"patient": "P1"}));
    assert_eq!(lines[0]["provenance"]["row"], 1);
    assert_eq!(lines[1]["provenance"]["row"], 2);
    let text = "Verslag:\nIn segment 7 een laesie, \"hypodens\".\nConclusie: metastase.";
    assert_eq!(
        lines[0]["provenance"]["sha256"],
        radpath::pipeline::sha256_hex(text)
    );
    assert_spans_match(&lines[0], text);
}

#[test]
fn csv_forced_on_stdin_with_custom_columns() {
    let dir = tempdir();
    let input = "nr,verslag\n1,\"Geen afwijkingen.\"\n2,\"Lesion in segment 6.\"\n";
    let run = run_in(
        dir.path(),
        &[
            "extract",
            "--input",
            "csv",
            "--id-field",
            "nr",
            "--text-field",
            "verslag",
        ],
        Some(input.as_bytes()),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(ids(&run.json_lines()), ["1", "2"]);
}

#[test]
fn windows_1252_file_is_detected_and_recorded() {
    let dir = tempdir();
    // "Echo: hypoëchogene laesie, CEA 5 µg/l, café" in Windows-1252.
    let bytes = b"Echo: hypo\xebchogene laesie, CEA 5 \xb5g/l, caf\xe9.";
    write(dir.path(), "oud.txt", bytes);
    let run = run_in(dir.path(), &["extract", "oud.txt"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines[0]["provenance"]["encoding"], "windows-1252");
    let text = "Echo: hypoëchogene laesie, CEA 5 µg/l, café.";
    assert_eq!(
        lines[0]["provenance"]["sha256"],
        radpath::pipeline::sha256_hex(text)
    );

    // The decoded text is what explain shows.
    let run = run_in(dir.path(), &["explain", "oud.txt"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("hypoëchoge")
            && run.stdout.contains("µg/l")
            && run.stdout.contains("café"),
        "{}",
        run.stdout
    );

    // Forcing UTF-8 makes the same bytes an error record; forcing Windows-1252 is fine.
    let run = run_in(
        dir.path(),
        &["extract", "--encoding", "utf-8", "oud.txt"],
        None,
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.json_lines()[0]["error"]["kind"], "decode");
    let run = run_in(
        dir.path(),
        &["extract", "--encoding", "windows-1252", "oud.txt"],
        None,
    );
    assert_eq!(run.code, 0);
    assert_eq!(
        run.json_lines()[0]["provenance"]["encoding"],
        "windows-1252"
    );
}

#[test]
fn windows_1252_is_detected_per_record() {
    let dir = tempdir();
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"id\": \"utf8\", \"text\": \"caf\xc3\xa9 lever\"}\n");
    input.extend_from_slice(b"{\"id\": \"cp1252\", \"text\": \"caf\xe9 lever \xeb\"}\n");
    write(dir.path(), "mixed.jsonl", &input);
    let run = run_in(dir.path(), &["extract", "mixed.jsonl"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines[0]["provenance"]["encoding"], "utf-8");
    assert_eq!(lines[1]["provenance"]["encoding"], "windows-1252");
    assert_eq!(
        lines[1]["provenance"]["sha256"],
        radpath::pipeline::sha256_hex("café lever ë")
    );

    let csv = b"id,text\nu,caf\xc3\xa9\nw,caf\xe9\n";
    write(dir.path(), "mixed.csv", csv);
    let run = run_in(dir.path(), &["extract", "mixed.csv"], None);
    let lines = run.json_lines();
    assert_eq!(lines[0]["provenance"]["encoding"], "utf-8");
    assert_eq!(lines[1]["provenance"]["encoding"], "windows-1252");
    assert_eq!(
        lines[1]["provenance"]["sha256"],
        radpath::pipeline::sha256_hex("café")
    );
}

#[test]
fn utf8_bom_is_stripped() {
    let dir = tempdir();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(NL.as_bytes());
    write(dir.path(), "bom.txt", &bytes);
    let run = run_in(dir.path(), &["extract", "bom.txt"], None);
    let lines = run.json_lines();
    assert_eq!(lines[0]["provenance"]["encoding"], "utf-8");
    assert_eq!(
        lines[0]["provenance"]["sha256"],
        radpath::pipeline::sha256_hex(NL)
    );
    assert_spans_match(&lines[0], NL);

    let mut csv = b"\xEF\xBB\xBF".to_vec();
    csv.extend_from_slice(b"id,text\nb1,Geen afwijkingen.\n");
    write(dir.path(), "bom.csv", &csv);
    let run = run_in(dir.path(), &["extract", "bom.csv"], None);
    assert_eq!(
        run.json_lines()[0]["id"],
        "b1",
        "a BOM does not rename the first column"
    );
}

#[test]
fn several_paths_are_read_in_the_order_given() {
    let dir = tempdir();
    write(dir.path(), "z.txt", NL);
    write(
        dir.path(),
        "a.jsonl",
        format!("{}\n", serde_json::json!({"id": "j1", "text": EN})),
    );
    write(dir.path(), "d/m.txt", EN);
    let run = run_in(dir.path(), &["extract", "z.txt", "a.jsonl", "d"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(ids(&run.json_lines()), ["z.txt", "j1", "m.txt"]);
}

#[test]
fn a_records_own_lang_field_decides_unless_lang_is_given_on_the_command_line() {
    let dir = tempdir();
    let rows = [
        serde_json::json!({"id": "field-en", "lang": "en", "text": NL}),
        serde_json::json!({"id": "field-nl", "lang": "NL", "text": EN}),
        serde_json::json!({"id": "field-other", "lang": "de", "text": EN}),
        serde_json::json!({"id": "no-field", "text": NL}),
    ];
    let body: String = rows.iter().map(|r| format!("{r}\n")).collect();
    write(dir.path(), "in.jsonl", &body);
    let languages = |args: &[&str]| -> Vec<String> {
        let run = run_in(dir.path(), args, None);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let lines = run.json_lines();
        assert_eq!(
            ids(&lines),
            ["field-en", "field-nl", "field-other", "no-field"]
        );
        lines
            .iter()
            .map(|l| l["summary"]["language"].as_str().unwrap_or("").to_string())
            .collect()
    };
    // Default (--lang auto): the record's field, else detection.
    assert_eq!(
        languages(&["extract", "in.jsonl"]),
        ["en", "nl", "en", "nl"]
    );
    assert_eq!(
        languages(&["extract", "--lang", "auto", "in.jsonl"]),
        ["en", "nl", "en", "nl"]
    );
    // An explicit language on the command line wins over every record.
    assert_eq!(
        languages(&["extract", "--lang", "nl", "in.jsonl"]),
        ["nl", "nl", "nl", "nl"]
    );
    assert_eq!(
        languages(&["extract", "--lang", "en", "in.jsonl"]),
        ["en", "en", "en", "en"]
    );
}
