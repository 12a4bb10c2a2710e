//! The output formats for registries and research networks: the registry CSV (one row per
//! report, the same columns on every row), the Dutch Excel dialect, one row per lesion, OMOP
//! NOTE_NLP and FHIR bundles; error records appear in every format in their place.
//! (FHIR validity against the R4 models is checked in tests/python/test_fhir_valid.py.)

mod util;

use serde_json::{json, Value};
use util::{run_in, tempdir, write};

fn archive() -> String {
    let lines = [
        json!({"id": "p1", "patient_ref": "A1", "text": "Leverbiopt: metastase van adenocarcinoom. De tumorcellen zijn positief voor CK20 en CDX2, negatief voor CK7 en HepPar-1."}),
        json!({"id": "r1", "site": "Utrecht", "text": "CT lever: twee hypodense laesies in segment 7 (2,5 cm) en segment 2 (1,5 cm), passend bij metastasen. CEA 250 ng/ml."}),
        json!({"id": "e1", "text": ""}),
        json!({"id": "p2", "text": "Liver, resection: hepatocellular carcinoma, 4.2 cm. Tumour cells are positive for HepPar-1 and glypican-3. Margins free, 0.5 cm."}),
    ];
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn csv_rows(text: &str, sep: u8) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = reader.records().map(|r| r.expect("row")).collect();
    (headers, rows)
}

#[test]
fn registry_csv_has_one_column_per_marker_meta_and_score() {
    let dir = tempdir();
    write(dir.path(), "in.jsonl", archive());
    let run = run_in(
        dir.path(),
        &["extract", "--format", "csv", "in.jsonl"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let (headers, rows) = csv_rows(&run.stdout, b',');
    assert_eq!(rows.len(), 4, "one row per input, errors included");
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}: {headers:?}"))
    };
    let first_marker = headers.iter().position(|h| h.starts_with("ihc.")).unwrap();
    assert_eq!(headers[first_marker], "ihc.HepPar-1", "HepPar-1 first");
    for name in [
        "ihc.CK20",
        "ihc.Glypican-3",
        "lab.cea_ng_ml",
        "tumor_burden_score",
        "fong_crs_points",
        "resectable_classic",
        "origin_hint",
        "m_category",
        "meta.patient_ref",
        "meta.site",
        "radpath_version",
        "lexicons_version",
    ] {
        col(name);
    }
    for row in &rows {
        assert_eq!(row.len(), headers.len(), "the same columns on every row");
    }
    assert_eq!(&rows[0][col("ihc.HepPar-1")], "negative");
    assert_eq!(&rows[0][col("meta.patient_ref")], "A1");
    assert_eq!(&rows[1][col("meta.site")], "Utrecht");
    assert_eq!(&rows[1][col("lab.cea_ng_ml")], "250");
    assert_eq!(&rows[2][col("error_kind")], "empty_text");
    assert_eq!(&rows[3][col("ihc.HepPar-1")], "positive");
    assert_eq!(&rows[3][col("margin_mm")], "5");
    assert_eq!(&rows[3][col("radpath_version")], env!("CARGO_PKG_VERSION"));
}

#[test]
fn excel_nl_dialect_has_a_bom_semicolons_and_decimal_commas() {
    let dir = tempdir();
    write(dir.path(), "in.jsonl", archive());
    let run = run_in(
        dir.path(),
        &[
            "extract",
            "--format",
            "csv",
            "--csv-dialect",
            "excel-nl",
            "in.jsonl",
        ],
        None,
    );
    assert!(run.stdout.starts_with('\u{feff}'), "UTF-8 byte order mark");
    let body = run.stdout.trim_start_matches('\u{feff}');
    let (headers, rows) = csv_rows(body, b';');
    let tbs = headers
        .iter()
        .position(|h| h == "tumor_burden_score")
        .unwrap();
    assert!(
        rows[1][tbs].contains(','),
        "decimal comma: {}",
        &rows[1][tbs]
    );
    assert!(!rows[1][tbs].contains('.'));
}

#[test]
fn lesions_csv_has_one_row_per_lesion_and_error_rows() {
    let dir = tempdir();
    write(dir.path(), "in.jsonl", archive());
    let run = run_in(
        dir.path(),
        &["extract", "--format", "lesions-csv", "in.jsonl"],
        None,
    );
    let (headers, rows) = csv_rows(&run.stdout, b',');
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let r1: Vec<_> = rows.iter().filter(|r| &r[col("id")] == "r1").collect();
    assert!(!r1.is_empty());
    assert!(r1.iter().any(|r| &r[col("kind")] == "metastasis"));
    assert!(rows
        .iter()
        .any(|r| &r[col("id")] == "e1" && &r[col("error_kind")] == "empty_text"));
}

#[test]
fn note_nlp_has_the_omop_columns_and_numbered_rows() {
    let dir = tempdir();
    write(dir.path(), "in.jsonl", archive());
    let run = run_in(
        dir.path(),
        &["extract", "--format", "note_nlp", "--jobs", "2", "in.jsonl"],
        None,
    );
    let (headers, rows) = csv_rows(&run.stdout, b',');
    assert_eq!(headers, radpath::io::note_nlp::COLUMNS);
    assert!(rows.len() > 10);
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(
            row[0].parse::<usize>().unwrap(),
            i + 1,
            "note_nlp_id runs 1..N"
        );
        assert!(["Y", "N", ""].contains(&&row[11]));
    }
    let text = archive();
    let r1: Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    let r1_text: Vec<char> = r1["text"].as_str().unwrap().chars().collect();
    let size = rows
        .iter()
        .find(|r| &r[1] == "r1" && r[13].contains("field=size"))
        .expect("a size row");
    let offset: usize = size[4].parse().unwrap();
    let variant: String = r1_text[offset..offset + size[5].chars().count()]
        .iter()
        .collect();
    assert_eq!(variant, size[5], "offset counts characters");
    assert!(rows
        .iter()
        .any(|r| &r[1] == "e1" && r[13].starts_with("error=empty_text")));
}

#[test]
fn fhir_bundles_one_per_report_with_outcomes_for_errors() {
    let dir = tempdir();
    write(dir.path(), "in.jsonl", archive());
    let run = run_in(
        dir.path(),
        &["extract", "--format", "fhir", "in.jsonl"],
        None,
    );
    let bundles = run.json_lines();
    assert_eq!(bundles.len(), 4);
    for b in &bundles {
        assert_eq!(b["resourceType"], "Bundle");
        assert_eq!(b["type"], "collection");
    }
    assert_eq!(
        bundles[2]["entry"][0]["resource"]["resourceType"],
        "OperationOutcome"
    );
    let report = &bundles[0]["entry"][0]["resource"];
    assert_eq!(report["resourceType"], "DiagnosticReport");
    let observations: Vec<&Value> = bundles[0]["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == "Observation")
        .collect();
    let heppar = observations
        .iter()
        .find(|o| o["code"]["coding"][0]["code"] == "HepPar-1")
        .expect("a HepPar-1 observation");
    assert_eq!(
        heppar["valueCodeableConcept"]["coding"][0]["code"],
        "negative"
    );
    let again = run_in(
        dir.path(),
        &["extract", "--format", "fhir", "--jobs", "1", "in.jsonl"],
        None,
    );
    assert_eq!(run.stdout, again.stdout, "deterministic ids");
}
