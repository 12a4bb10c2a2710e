//! Staging from the command line: every record carries the six staging keys, null values
//! name what is missing, and the clinical cues that staging reads come with evidence spans
//! into the original text.

mod util;

use serde_json::Value;

fn extract(text: &str, lang: &str) -> Value {
    let run = util::run(&["extract", "--lang", lang, "-"], Some(text.as_bytes()));
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let mut lines = run.json_lines();
    assert_eq!(lines.len(), 1);
    let record = lines.remove(0);
    util::assert_spans_match(&record, text);
    record
}

fn facts<'a>(record: &'a Value, field: &str) -> Vec<&'a Value> {
    record["facts"]
        .as_array()
        .map(|a| a.iter().filter(|f| f["field"] == field).collect())
        .unwrap_or_default()
}

#[test]
fn every_record_has_the_six_staging_keys() {
    let r = extract(
        "Echo bovenbuik: lever van normale grootte, geen focale afwijkingen.",
        "nl",
    );
    let s = &r["staging"];
    for key in [
        "tumor_burden_score",
        "fong_crs",
        "resectability",
        "lirads_computed",
        "origin_hint",
        "m_category",
    ] {
        assert!(
            s.get(key).is_some_and(Value::is_object),
            "staging.{key} missing: {s}"
        );
    }
    // Nothing is known, and each value says why.
    assert!(s["tumor_burden_score"]["value"].is_null());
    assert_eq!(
        s["tumor_burden_score"]["missing"],
        serde_json::json!(["largest_lesion_mm", "lesion_count"])
    );
    assert!(s["m_category"]["value"].is_null());
    assert!(s["m_category"]["reason"].is_string());
    assert!(s["lirads_computed"]["value"].is_null());
    assert!(s["lirads_computed"]["reason"]
        .as_str()
        .is_some_and(|r| r.contains("at-risk")));
    assert_eq!(s["origin_hint"]["reason"], "no IHC results");
}

#[test]
fn extrahepatic_disease_is_read_with_its_evidence() {
    let text = "CT thorax-abdomen.\nGeen longmetastasen. Wel botmetastasen in de wervelkolom.\nPeritonitis carcinomatosa is niet uit te sluiten.";
    let r = extract(text, "nl");
    let ehd = facts(&r, "extrahepatic_disease");
    let seen: Vec<(&str, &str, &str)> = ehd
        .iter()
        .map(|f| {
            (
                f["value"]["site"].as_str().unwrap_or(""),
                f["value"]["presence"].as_str().unwrap_or(""),
                f["text"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("lung", "absent", "longmetastasen"),
            ("bone", "present", "botmetastasen"),
            ("peritoneum", "uncertain", "Peritonitis carcinomatosa")
        ]
    );
    assert!(ehd.iter().all(|f| f["rule"]
        .as_str()
        .is_some_and(|r| r.starts_with("lexicon:nl/clinical.tsv:"))));
}

#[test]
fn clinical_facts_for_fong_and_lirads() {
    let text = "MRI liver.\nHistory: node-positive colon cancer, pT3N1; disease-free interval of 9 months. Liver cirrhosis.\n\
                Segment VI observation: threshold growth.";
    let r = extract(text, "en");
    let nodes = facts(&r, "primary_node_status");
    assert_eq!(nodes.len(), 2, "{nodes:?}");
    assert!(nodes.iter().all(|f| f["value"]["node_positive"] == true));
    let dfi = facts(&r, "disease_free_interval");
    assert_eq!(
        dfi[0]["value"],
        serde_json::json!({"months": 9.0, "bound": "exact"})
    );
    assert_eq!(dfi[0]["text"], "disease-free interval of 9 months");
    assert_eq!(facts(&r, "at_risk_liver")[0]["value"]["cause"], "cirrhosis");
    assert_eq!(
        facts(&r, "threshold_growth")[0]["value"]["presence"],
        "present"
    );
}

#[test]
fn csv_output_carries_the_m_category_column() {
    let run = util::run(
        &["extract", "--format", "csv", "--lang", "nl", "-"],
        Some(b"CT abdomen: geen afwijkingen."),
    );
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let header = run.stdout.lines().next().unwrap_or("");
    assert!(header.contains("m_category"), "{header}");
}
