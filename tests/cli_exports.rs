//! Archives as registries export them, through the built binary: semicolon- and
//! tab-separated CSV (Windows-1252, with or without a byte order mark) and workbooks
//! (`.xlsx` written here with `rust_xlsxwriter`). Every file is made by the test itself.

mod util;

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
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

fn segments(record: &Value) -> Vec<String> {
    record["summary"]["segments"]
        .as_array()
        .map(|a| a.iter().map(|s| s.to_string().replace('"', "")).collect())
        .unwrap_or_default()
}

/// `read N, extracted E, failed F` with N = E + F, from the summary line.
fn summary(stderr: &str) -> (u64, u64, u64) {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("radpath: read "))
        .unwrap_or_else(|| panic!("no summary line in {stderr}"));
    let n: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(n.len(), 3, "{line}");
    assert_eq!(n[0], n[1] + n[2], "{line}");
    (n[0], n[1], n[2])
}

/// A semicolon export as Dutch Excel saves it: Windows-1252, CRLF, quoted fields that
/// hold semicolons, commas and line breaks.
fn windows_1252_semicolons() -> Vec<u8> {
    let text = NL.replace('\n', "\r\n");
    let mut b = Vec::new();
    b.extend_from_slice(b"patientnr;text;afdeling;datum\r\n");
    b.extend_from_slice(format!("P1;\"{text}\";radiologie;03-04-2021\r\n").as_bytes());
    // "Radiologie, échografie; lever" with é as the single byte 0xE9.
    b.extend_from_slice(
        b"P2;\"Echo lever; geen afwijkingen, normaal.\";r\xe9ntgen, \xe9cho;04-04-2021\r\n",
    );
    b.extend_from_slice(b"P3;;radiologie;05-04-2021\r\n");
    b
}

#[test]
fn a_windows_1252_semicolon_export_is_read_row_by_row() {
    let dir = tempdir();
    write(dir.path(), "export.csv", windows_1252_semicolons());
    let run = run_in(
        dir.path(),
        &["extract", "export.csv", "--id-field", "patientnr"],
        None,
    );
    assert_eq!(run.code, 1, "one row has no text: {}", run.stderr);
    assert!(run.stderr.contains("semicolons"), "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(ids(&lines), ["P1", "P2", "P3"]);
    assert_eq!(summary(&run.stderr), (3, 2, 1));
    assert_eq!(lines[0]["meta"]["afdeling"], "radiologie");
    assert_eq!(lines[0]["meta"]["datum"], "03-04-2021");
    assert_eq!(segments(&lines[0]), ["VII"]);
    assert_eq!(lines[1]["meta"]["afdeling"], "réntgen, écho");
    assert_eq!(lines[1]["provenance"]["encoding"], "windows-1252");
    assert_eq!(lines[1]["provenance"]["row"], 2);
    assert_eq!(lines[2]["error"]["kind"], "empty_text");
    assert_eq!(lines[2]["provenance"]["row"], 3);
    assert_spans_match(&lines[0], &NL.replace('\n', "\r\n"));
}

#[test]
fn a_bom_and_semicolons_and_an_explicit_delimiter() {
    let dir = tempdir();
    let body = format!("\u{FEFF}id;text\n1;\"{NL}\"\n2;\"{EN}\"\n");
    write(dir.path(), "bom.csv", &body);
    let run = run_in(dir.path(), &["extract", "bom.csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(ids(&lines), ["1", "2"]);
    assert_eq!(lines[1]["summary"]["language"], "en");
    assert_eq!(lines[0]["provenance"]["encoding"], "utf-8");

    // The same file with the separator given: no guess, no notice.
    let run = run_in(
        dir.path(),
        &["extract", "bom.csv", "--delimiter", ";"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(ids(&run.json_lines()), ["1", "2"]);
    assert!(!run.stderr.contains("separated"), "{}", run.stderr);

    // A wrong separator given on purpose is obeyed: the header has no `text` column.
    let run = run_in(
        dir.path(),
        &["extract", "bom.csv", "--delimiter", ","],
        None,
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no column `text`"), "{}", run.stderr);
    for l in run.json_lines() {
        let kind = l["error"]["kind"].as_str().unwrap();
        assert!(kind == "missing_text" || kind == "csv", "{l}");
    }
}

#[test]
fn comma_files_are_read_as_before_and_say_nothing() {
    let dir = tempdir();
    write(
        dir.path(),
        "plain.csv",
        format!("id,text\n1,\"{NL}; met puntkomma\"\n2,x; y; z\n"),
    );
    let run = run_in(dir.path(), &["extract", "plain.csv"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(ids(&run.json_lines()), ["1", "2"]);
    assert!(!run.stderr.contains("separated"), "{}", run.stderr);
}

#[test]
fn tab_separated_files_by_extension_by_sniffing_and_by_flag() {
    let dir = tempdir();
    let body = format!("id\ttext\tafdeling\na\t\"{EN}\"\tradiologie\nb\t\"{NL}\"\tpathologie\n");
    write(dir.path(), "export.tsv", &body);
    write(dir.path(), "export.txt.csv", &body);
    for args in [
        &["extract", "export.tsv"][..],
        &["extract", "export.txt.csv"][..],
        &["extract", "export.txt.csv", "--delimiter", "\\t"][..],
        &["extract", "--input", "csv", "--delimiter", "tab", "-"][..],
    ] {
        let stdin = (args.last() == Some(&"-")).then_some(body.as_bytes());
        let run = run_in(dir.path(), args, stdin);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let lines = run.json_lines();
        assert_eq!(ids(&lines), ["a", "b"], "{args:?}");
        assert_eq!(lines[1]["meta"]["afdeling"], "pathologie");
        assert_eq!(segments(&lines[1]), ["VII"]);
    }
}

#[test]
fn a_bad_delimiter_is_a_usage_error() {
    let dir = tempdir();
    write(dir.path(), "a.csv", "id,text\n1,x\n");
    let run = run_in(dir.path(), &["extract", "a.csv", "--delimiter", ";;"], None);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
}

/// A workbook as a hospital system exports it: a numeric id column, the report with line
/// breaks, a date, numbers, an empty report, and a second sheet.
fn write_workbook(path: &Path) {
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("dd-mm-yyyy");
    let ws = wb.add_worksheet();
    ws.set_name("Export").unwrap();
    for (c, h) in ["id", "text", "onderzoeksdatum", "volume", "zis-nummer"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_number(1, 0, 1001.0).unwrap();
    ws.write_string(1, 1, NL).unwrap();
    ws.write_datetime_with_format(1, 2, &ExcelDateTime::from_ymd(2021, 3, 4).unwrap(), &date)
        .unwrap();
    ws.write_number(1, 3, 0.1).unwrap();
    ws.write_number(1, 4, 1234567890123.0).unwrap();
    ws.write_string(2, 0, "R-2").unwrap();
    ws.write_string(2, 1, EN).unwrap();
    ws.write_number(2, 3, 2.35).unwrap();
    ws.write_string(2, 4, "000123").unwrap();
    // Row 4 is blank, row 5 has an id but no report.
    ws.write_string(4, 0, "R-5").unwrap();
    ws.write_string(4, 3, "x").unwrap();
    let second = wb.add_worksheet();
    second.set_name("Pathologie").unwrap();
    second.write_string(0, 0, "nummer").unwrap();
    second.write_string(0, 1, "verslag").unwrap();
    second.write_string(1, 0, "T1").unwrap();
    second.write_string(1, 1, NL).unwrap();
    wb.save(path).unwrap();
}

#[test]
fn a_workbook_gives_one_record_per_row_with_sheet_and_row() {
    let dir = tempdir();
    write_workbook(&dir.path().join("export.xlsx"));
    let run = run_in(dir.path(), &["extract", "export.xlsx"], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(summary(&run.stderr), (3, 2, 1));
    let lines = run.json_lines();
    assert_eq!(ids(&lines), ["1001", "R-2", "R-5"]);
    let first = &lines[0];
    assert_eq!(first["provenance"]["sheet"], "Export");
    assert_eq!(
        first["provenance"]["row"], 2,
        "the row number the sheet shows"
    );
    assert_eq!(first["provenance"]["source"], "export.xlsx");
    assert_eq!(first["meta"]["onderzoeksdatum"], "2021-03-04");
    assert_eq!(first["meta"]["volume"], "0.1");
    assert_eq!(first["meta"]["zis-nummer"], "1234567890123");
    assert_eq!(segments(first), ["VII"]);
    assert_spans_match(first, NL);
    assert_eq!(lines[1]["meta"]["volume"], "2.35");
    assert_eq!(lines[1]["meta"]["zis-nummer"], "000123");
    assert_eq!(lines[1]["meta"]["onderzoeksdatum"], "");
    assert_eq!(lines[1]["summary"]["language"], "en");
    assert_eq!(lines[2]["error"]["kind"], "empty_text");
    assert_eq!(lines[2]["provenance"]["row"], 5);
    assert_eq!(lines[2]["provenance"]["sheet"], "Export");
}

#[test]
fn another_sheet_by_name_or_position_with_other_field_names() {
    let dir = tempdir();
    write_workbook(&dir.path().join("export.xlsx"));
    for sheet in ["Pathologie", "2"] {
        let run = run_in(
            dir.path(),
            &[
                "extract",
                "export.xlsx",
                "--sheet",
                sheet,
                "--id-field",
                "nummer",
                "--text-field",
                "verslag",
            ],
            None,
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let lines = run.json_lines();
        assert_eq!(ids(&lines), ["T1"]);
        assert_eq!(lines[0]["provenance"]["sheet"], "Pathologie");
        assert_eq!(segments(&lines[0]), ["VII"]);
    }
    // Without the field flags every row is an error record, and stderr says why.
    let run = run_in(
        dir.path(),
        &["extract", "export.xlsx", "--sheet", "2"],
        None,
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("no column `text`"), "{}", run.stderr);
    assert_eq!(run.json_lines()[0]["error"]["kind"], "missing_text");
    // A sheet that is not there: one error record naming the sheets.
    let run = run_in(
        dir.path(),
        &["extract", "export.xlsx", "--sheet", "Blad9"],
        None,
    );
    assert_eq!(run.code, 1);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 1);
    let message = lines[0]["error"]["message"].as_str().unwrap();
    assert!(message.contains("Pathologie"), "{message}");
}

#[test]
fn a_file_that_is_not_a_workbook_is_an_error_record_not_garbage() {
    let dir = tempdir();
    write(dir.path(), "kapot.xlsx", b"PK\x03\x04 not really a zip");
    let run = run_in(dir.path(), &["extract", "kapot.xlsx"], None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines = run.json_lines();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["error"]["kind"], "io");
    assert_eq!(summary(&run.stderr), (1, 0, 1));
}

#[test]
fn workbook_rows_come_out_in_order_with_csv_output_too() {
    let dir = tempdir();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "id").unwrap();
    ws.write_string(0, 1, "text").unwrap();
    for r in 1..=300u32 {
        ws.write_string(r, 0, format!("r{r}")).unwrap();
        ws.write_string(r, 1, if r % 2 == 0 { NL } else { EN })
            .unwrap();
    }
    wb.save(dir.path().join("many.xlsx")).unwrap();
    let run = run_in(dir.path(), &["extract", "many.xlsx", "-j", "2"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let want: Vec<String> = (1..=300).map(|r| format!("r{r}")).collect();
    assert_eq!(ids(&run.json_lines()), want);
    let run = run_in(
        dir.path(),
        &["extract", "many.xlsx", "--format", "csv"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.lines().nth(1).unwrap().starts_with("r1,"),
        "{}",
        run.stdout
    );
}
