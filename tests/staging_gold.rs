//! Staging on the gold cases with the gold summary: each case's `expect` (the summary a
//! careful abstractor writes) plus the clinical facts radpath reads from its text must give
//! the case's expected staging values. This checks the staging rules and the clinical cues
//! apart from the summary extractors; `tests/accuracy.rs` scores the whole chain.

use std::path::Path;

use radpath::eval::{read_gold, values_equal, GoldCase};
use radpath::extract::Extractor;
use radpath::lexicon::LexiconSet;
use radpath::record::Summary;
use serde_json::Value;

fn gold_summary(case: &GoldCase) -> Summary {
    let mut base = serde_json::to_value(Summary::default()).expect("summary serialises");
    if let Value::Object(m) = &mut base {
        for (k, v) in &case.expect {
            m.insert(k.clone(), v.clone());
        }
    }
    serde_json::from_value(base)
        .unwrap_or_else(|e| panic!("{}: expect is not a summary: {e}", case.id))
}

fn lookup<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(v, |cur, part| cur.get(part))
}

#[test]
fn staging_from_gold_summaries_matches_every_case() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let extractor = Extractor::new(LexiconSet::embedded().expect("embedded lexicons"));
    let mut files: Vec<_> = std::fs::read_dir(&root)
        .expect("corpus/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("staging_") && n.ends_with(".jsonl"))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no corpus/staging_*.jsonl");
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in files {
        for case in read_gold(&file).unwrap_or_else(|e| panic!("{e}")) {
            let facts = extractor.extract_text(&case.text, case.lang).facts;
            let staging = radpath::staging::derive(&gold_summary(&case), &[], &facts);
            let got = serde_json::to_value(&staging).expect("staging serialises");
            for (key, expected) in case.staging.iter().flatten() {
                checked += 1;
                let value = lookup(&got, key).cloned().unwrap_or(Value::Null);
                if !values_equal(expected, &value) {
                    failures.push(format!(
                        "{} {key}: expected {expected} got {value}",
                        case.id
                    ));
                }
            }
        }
    }
    assert!(checked >= 100, "only {checked} staging values checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} staging values wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
