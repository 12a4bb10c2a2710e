//! The qualify gold sets (`corpus/qualify_*.jsonl`) through the binary's `radpath qualify`:
//! every span's presence, temporality and experiencer is checked against `expect_spans`.
//! Each line of a gold set is itself a valid qualify request.

mod util;

use std::path::Path;

use serde_json::Value;

/// Qualifier accuracy each gold set must keep (the score it reaches today).
const FLOORS: &[(&str, f64)] = &[
    ("corpus/qualify_nl.jsonl", 1.0),
    ("corpus/qualify_en.jsonl", 1.0),
];

const QUALIFIERS: [&str; 3] = ["presence", "temporality", "experiencer"];

#[test]
fn every_gold_span_gets_its_expected_qualifiers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failures = Vec::new();
    for (file, floor) in FLOORS {
        let gold_text = std::fs::read_to_string(root.join(file)).expect("gold file");
        let gold: Vec<Value> = gold_text
            .lines()
            .map(|l| serde_json::from_str(l).expect("gold line is JSON"))
            .collect();
        assert!(gold.len() >= 30, "{file}: too few cases");
        let run = util::run_in(root, &["qualify", "-q", file], None);
        assert_eq!(run.code, 0, "{file}: stderr: {}", run.stderr);
        let answers = run.json_lines();
        assert_eq!(
            answers.len(),
            gold.len(),
            "{file}: one answer line per request line"
        );
        let (mut spans, mut correct, mut misses) = (0usize, [0usize; 3], Vec::new());
        for (case, answer) in gold.iter().zip(&answers) {
            assert_eq!(
                case["id"], answer["id"],
                "{file}: answers keep the input order"
            );
            let text = case["text"].as_str().expect("text");
            let expect = case["expect_spans"].as_array().expect("expect_spans");
            let got = answer["spans"].as_array().expect("spans");
            assert_eq!(
                expect.len(),
                got.len(),
                "{}: one answer per span",
                case["id"]
            );
            for (e, g) in expect.iter().zip(got) {
                spans += 1;
                let (s, en) = (
                    g["start"].as_u64().expect("start") as usize,
                    g["end"].as_u64().expect("end") as usize,
                );
                let named: String = text.chars().skip(s).take(en - s).collect();
                assert_eq!(
                    named,
                    e["text"].as_str().unwrap_or(""),
                    "{}: span offsets (characters)",
                    case["id"]
                );
                let mut ok = true;
                for (i, q) in QUALIFIERS.iter().enumerate() {
                    if g[q] == e[q] {
                        correct[i] += 1;
                    } else {
                        ok = false;
                    }
                }
                if !ok {
                    misses.push(format!(
                        "  {} [{}]: expected {}/{}/{}, got {}/{}/{} (rules {})\n    {}",
                        case["id"],
                        named,
                        e["presence"],
                        e["temporality"],
                        e["experiencer"],
                        g["presence"],
                        g["temporality"],
                        g["experiencer"],
                        g["rules"],
                        text
                    ));
                }
            }
        }
        for (i, q) in QUALIFIERS.iter().enumerate() {
            let acc = correct[i] as f64 / spans.max(1) as f64;
            eprintln!("{file}: {q} {}/{spans} = {acc:.3}", correct[i]);
            if acc + 1e-9 < *floor {
                failures.push(format!(
                    "{file}: {q} accuracy {acc:.3} below floor {floor:.3}"
                ));
            }
        }
        if !misses.is_empty() {
            eprintln!("{file} misses:\n{}", misses.join("\n"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
