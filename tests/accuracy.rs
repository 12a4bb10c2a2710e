//! Accuracy floors: every gold file named in `corpus/floors/*.tsv` is scored with the same
//! code as `radpath eval`, and the test fails when a field's score falls below its floor.

use std::collections::BTreeMap;
use std::path::Path;

use radpath::eval::{evaluate, parse_floors, read_gold, render};
use radpath::extract::Extractor;
use radpath::lexicon::LexiconSet;

#[test]
fn every_field_meets_its_floor() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut floor_files: Vec<_> = std::fs::read_dir(root.join("corpus/floors"))
        .expect("corpus/floors/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    floor_files.sort();
    let mut floors = Vec::new();
    for f in &floor_files {
        floors.extend(parse_floors(
            &std::fs::read_to_string(f).expect("floor file"),
        ));
    }
    assert!(!floors.is_empty(), "corpus/floors/*.tsv name no floors");
    let extractor = Extractor::new(LexiconSet::embedded().expect("embedded lexicons"));
    let mut by_file: BTreeMap<String, Vec<(String, f64)>> = BTreeMap::new();
    for (file, field, floor) in floors {
        by_file.entry(file).or_default().push((field, floor));
    }
    let mut failures = Vec::new();
    for (file, fields) in by_file {
        let path = root.join(&file);
        let cases = read_gold(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(!cases.is_empty(), "{file} has no cases");
        let report = evaluate(&extractor, &cases);
        for (field, floor) in fields {
            let score = report.fields.get(&field).map(|f| f.score);
            match score {
                Some(s) if s + 1e-9 >= floor => {}
                Some(s) => {
                    failures.push(format!("{file}: {field} scored {s:.3}, floor {floor:.3}"))
                }
                None => failures.push(format!(
                    "{file}: {field} is not scored by any case (floor {floor:.3})"
                )),
            }
        }
        if !failures.is_empty() {
            eprintln!("{}", render(&report, &file));
        }
    }
    assert!(
        failures.is_empty(),
        "fields below their floor:\n{}",
        failures.join("\n")
    );
}
