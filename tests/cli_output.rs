//! What `radpath extract` writes: every summary field present, provenance, CSV, atomic
//! `--output`, identical output whatever `--jobs` is; and `radpath schema` / `explain`.

mod util;

use serde_json::{json, Value};
use util::{assert_spans_match, root, run_in, tempdir, write};

const SUMMARY_FIELDS: &[&str] = &[
    "language",
    "report_type",
    "modality",
    "liver_metastasis",
    "lesion_count",
    "largest_lesion_mm",
    "segments",
    "lobes",
    "bilobar",
    "patterns",
    "lirads_stated",
    "ihc",
    "histology",
    "margin_mm",
    "resection",
    "specimen_weight_g",
    "labs",
];

#[test]
fn every_record_has_every_summary_field_and_provenance() {
    let run = run_in(root(), &["extract", "corpus/examples/archive.jsonl"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let gold: Vec<Value> = std::fs::read_to_string(root().join("corpus/examples/archive.jsonl"))
        .expect("archive")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let lines = run.json_lines();
    assert_eq!(lines.len(), gold.len());
    for (rec, input) in lines.iter().zip(&gold) {
        for key in ["id", "meta", "summary", "lesions", "staging", "provenance"] {
            assert!(rec.get(key).is_some(), "record without `{key}`: {rec}");
        }
        let summary = rec["summary"].as_object().expect("summary object");
        for field in SUMMARY_FIELDS {
            assert!(summary.contains_key(*field), "summary without `{field}`");
        }
        assert!(rec["lesions"].is_array());
        assert!(rec["staging"].is_object());
        let p = &rec["provenance"];
        assert_eq!(p["source"], "corpus/examples/archive.jsonl");
        assert!(p["line"].as_u64().is_some());
        assert_eq!(p["encoding"], "utf-8");
        assert_eq!(p["radpath"], env!("CARGO_PKG_VERSION"));
        assert!(p["lexicons"].as_str().is_some_and(|v| v.len() >= 8));
        let text = input["text"].as_str().expect("text");
        assert_eq!(p["sha256"], radpath::pipeline::sha256_hex(text));
        assert_eq!(rec["meta"]["patient_ref"], input["patient_ref"]);
        assert_spans_match(rec, text);
    }
}

#[test]
fn csv_output_flattens_the_summary() {
    let dir = tempdir();
    let input = format!(
        "{}\n{}\n",
        json!({"id": "a", "text": "Verslag: laesie in segment 7.\nConclusie: metastase."}),
        json!({"id": "b", "text": ""})
    );
    write(dir.path(), "in.jsonl", &input);
    let run = run_in(
        dir.path(),
        &["extract", "--format", "csv", "in.jsonl"],
        None,
    );
    assert_eq!(run.code, 1);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        &headers[..radpath::io::registry_csv::HEAD_COLUMNS.len()],
        radpath::io::registry_csv::HEAD_COLUMNS
    );
    for field in SUMMARY_FIELDS {
        let prefix = match *field {
            "labs" => "lab.".to_string(),
            other => format!("{other}_"),
        };
        assert!(
            *field == "ihc" || headers.iter().any(|h| h == field || h.starts_with(&prefix)),
            "no column for {field}"
        );
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 2);
    let col = |name: &str| headers.iter().position(|h| h == name).expect(name);
    assert_eq!(&rows[0][col("id")], "a");
    assert_eq!(&rows[0][col("language")], "nl");
    assert_eq!(&rows[0][col("encoding")], "utf-8");
    assert_eq!(&rows[0][col("error_kind")], "");
    assert_eq!(&rows[1][col("id")], "b");
    assert_eq!(&rows[1][col("error_kind")], "empty_text");
    assert_eq!(&rows[1][col("line")], "2");
}

#[test]
fn output_file_is_written_whole_and_atomically() {
    let dir = tempdir();
    write(dir.path(), "r.txt", "Geen afwijkingen.");
    write(dir.path(), "out/result.jsonl", "old contents\n");
    let run = run_in(
        dir.path(),
        &["extract", "--output", "out/result.jsonl", "r.txt"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let written = std::fs::read_to_string(dir.path().join("out/result.jsonl")).expect("output");
    assert_eq!(written.lines().count(), 1);
    assert!(written.starts_with("{\"id\":\"r.txt\""));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
        .expect("out")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(leftovers, ["result.jsonl"], "no temporary file left behind");

    // A configuration error leaves the old output untouched.
    let run = run_in(
        dir.path(),
        &[
            "extract",
            "--output",
            "out/result.jsonl",
            "--lexicons",
            "nowhere",
            "r.txt",
        ],
        None,
    );
    assert_eq!(run.code, 2);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/result.jsonl")).expect("output"),
        written
    );
}

fn mixed_archive(n: usize) -> String {
    let texts = [
        "CT abdomen.\nVerslag:\nIn de lever twee hypodense laesies in segment 7 en 8 (2,3 x 1,8 cm).\nConclusie: metastasen.",
        "MRI liver.\nFindings: arterial hyperenhancement with washout in S4a, 23 mm.\nImpression: LR-5.",
        "Microscopie: adenocarcinoom. Immunohistochemie: CK20 en CDX2 positief, CK7 en HepPar-1 negatief.",
        "Echo bovenbuik: geen focale leverafwijkingen.",
        "",
        "Findings: no focal liver lesion. Impression: normal.",
    ];
    let mut s = String::new();
    for i in 0..n {
        if i % 97 == 13 {
            s.push_str("{\"id\": broken json\n");
            continue;
        }
        let text = format!("{} Controle {i}.", texts[i % texts.len()]);
        let text = if i % texts.len() == 4 {
            String::new()
        } else {
            text
        };
        s.push_str(&json!({"id": format!("m{i}"), "text": text, "n": i}).to_string());
        s.push('\n');
    }
    s
}

#[test]
fn output_is_identical_whatever_the_number_of_jobs() {
    let dir = tempdir();
    write(dir.path(), "mixed.jsonl", mixed_archive(1000));
    let one = run_in(dir.path(), &["extract", "--jobs", "1", "mixed.jsonl"], None);
    let two = run_in(dir.path(), &["extract", "--jobs", "2", "mixed.jsonl"], None);
    let four = run_in(dir.path(), &["extract", "--jobs", "4", "mixed.jsonl"], None);
    assert_eq!(one.code, 1);
    assert_eq!(one.stdout.lines().count(), 1000);
    assert!(one.stdout == two.stdout, "--jobs 1 and --jobs 2 differ");
    assert!(one.stdout == four.stdout, "--jobs 1 and --jobs 4 differ");
    assert_eq!(one.stderr, two.stderr);
    let lines = one.json_lines();
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["provenance"]["line"], i as u64 + 1);
    }
    let failed = lines.iter().filter(|l| l.get("error").is_some()).count();
    assert!(
        one.stderr.contains(&format!(
            "read 1000, extracted {}, failed {failed}",
            1000 - failed
        )),
        "{}",
        one.stderr
    );
}

#[test]
fn schema_describes_the_record() {
    let run = run_in(root(), &["schema"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schema: Value = serde_json::from_str(&run.stdout).expect("schema is JSON");
    let defs = &schema["definitions"];
    let record = defs["Record"]["properties"]
        .as_object()
        .expect("Record properties");
    for key in ["id", "meta", "summary", "lesions", "staging", "provenance"] {
        assert!(record.contains_key(key), "schema Record lacks {key}");
    }
    let summary = defs["Summary"]["properties"]
        .as_object()
        .expect("Summary properties");
    for field in SUMMARY_FIELDS {
        assert!(summary.contains_key(*field), "schema Summary lacks {field}");
    }
    assert!(defs["ErrorRecord"]["properties"].get("error").is_some());
    let kinds = defs["ErrorKind"].to_string();
    for kind in ["decode", "json", "missing_text", "empty_text", "internal"] {
        assert!(kinds.contains(kind), "schema ErrorKind lacks {kind}");
    }
}

#[test]
fn explain_marks_spans_in_text_and_html() {
    let dir = tempdir();
    let text =
        "VERSLAG\nGeen aanwijzingen voor metastasen in de lever.\nConclusie: <geen> afwijkingen.";
    write(dir.path(), "r.txt", text);
    let run = run_in(
        dir.path(),
        &["explain", "r.txt", "--matches", "--html", "r.html"],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("== findings =="), "{}", run.stdout);
    assert!(run.stdout.contains("== conclusion =="), "{}", run.stdout);
    assert!(
        run.stdout.contains("[Geen aanwijzingen voor]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("lexicon:nl/context.tsv:"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\"liver_metastasis\""),
        "{}",
        run.stdout
    );
    let html = std::fs::read_to_string(dir.path().join("r.html")).expect("html written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("&lt;") && !html.contains("<geen>"),
        "report text is escaped"
    );
    assert!(html.contains("class=\"summary\""));
    assert!(html.contains("data-ev=\"e"), "evidence is highlighted");
    assert!(
        html.contains("class=\"w k-lesion absent\""),
        "the negated metastasis is struck through"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "works offline"
    );

    let run = run_in(dir.path(), &["explain", "-"], Some(text.as_bytes()));
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("radpath explain: stdin"));
}

#[test]
fn explain_picks_a_report_out_of_an_archive_by_id() {
    let run = run_in(
        root(),
        &[
            "explain",
            "corpus/examples/archive.jsonl",
            "--id",
            "example-mri-3",
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with(
            "radpath explain: corpus/examples/archive.jsonl (example-mri-3) (language en)"
        ),
        "{}",
        run.stdout
    );
    let run = run_in(
        root(),
        &[
            "explain",
            "corpus/examples/archive.jsonl",
            "--id",
            "no-such-id",
        ],
        None,
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no report with id `no-such-id`"),
        "{}",
        run.stderr
    );
    let run = run_in(
        root(),
        &["explain", "corpus/examples/with-errors.jsonl", "--id", "r2"],
        None,
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("empty"), "{}", run.stderr);
}
