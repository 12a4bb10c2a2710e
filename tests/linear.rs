//! Every extractor is linear in its report: a report made of a phrase repeated ten times
//! as often costs at most about ten times the work. Work is counted in steps
//! (`radpath::extract::work`: inner-loop iterations and bytes of linear passes), not in
//! time, so the check is deterministic. Each shape below was quadratic once.

use radpath::extract::{work, Extractor};
use radpath::lexicon::LexiconSet;

fn extractor() -> Extractor {
    Extractor::new(LexiconSet::embedded().expect("embedded lexicons"))
}

fn steps(ex: &Extractor, text: &str) -> u64 {
    work::measure(|| ex.extract_text(text, None)).1
}

/// `prefix` + `unit` × n and × 10n: the second may cost at most 12 times the first.
fn scales_linearly(ex: &Extractor, prefix: &str, unit: &str, n: usize) {
    let small = steps(ex, &format!("{prefix}{}", unit.repeat(n)));
    let large = steps(ex, &format!("{prefix}{}", unit.repeat(10 * n)));
    assert!(
        large <= 12 * small,
        "{unit:?}: {small} steps for {n} repetitions, {large} for {} ({:.1}x)",
        10 * n,
        large as f64 / small as f64
    );
}

#[test]
fn a_chain_of_segment_cues() {
    scales_linearly(&extractor(), "CT lever: ", "segment 7 en 8 en ", 300);
    scales_linearly(
        &extractor(),
        "Metastasen in ",
        "segment 2-4 en segment 6/7, s8 en ",
        300,
    );
}

#[test]
fn s_notation_lines() {
    scales_linearly(&extractor(), "", "S7\n", 300);
    scales_linearly(&extractor(), "Laesies in ", "S7, ", 300);
}

#[test]
fn negations() {
    scales_linearly(&extractor(), "", "geen ", 300);
}

#[test]
fn an_ihc_panel_without_end() {
    scales_linearly(&extractor(), "", "HepPar-1 positief, CK7 negatief, ", 300);
}

#[test]
#[ignore = "still quadratic: each lesion group is compared with every group before it (lesion::merge::same_lesion); the work budget stops such a report"]
fn lesion_words() {
    scales_linearly(&extractor(), "", "metastase ", 300);
}

#[test]
#[ignore = "still quadratic: each lesion group is compared with every group before it (lesion::merge::same_lesion); the work budget stops such a report"]
fn sized_lesions() {
    scales_linearly(&extractor(), "", "laesie van 2 x 3 cm. ", 300);
}

#[test]
fn placed_lesions() {
    scales_linearly(&extractor(), "", "Metastase in segment 4. ", 300);
}

#[test]
fn the_counter_counts_the_text() {
    let ex = extractor();
    let text = "CT lever: metastase in segment 7 van 2 cm.";
    let n = steps(&ex, text);
    assert!(n >= text.len() as u64, "{n}");
    // Deterministic: the same report costs the same steps.
    assert_eq!(n, steps(&ex, text));
}

/// Every report of the gold corpora costs less than a tenth of the default budget of
/// `radpath extract`, so the budget stops only what is not a report.
#[test]
fn real_reports_stay_far_under_the_budget() {
    let ex = extractor();
    let budget = radpath::pipeline::Budget::default();
    let mut worst = (0.0f64, String::new());
    let mut seen = 0;
    for entry in std::fs::read_dir("corpus").expect("corpus/") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("jsonl") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("read gold file");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).expect("gold line");
            let Some(report) = v["text"].as_str() else {
                continue;
            };
            let n = steps(&ex, report);
            let limit = budget.limit(report.len());
            assert!(
                n * 10 <= limit,
                "{}: {n} steps, limit {limit}",
                path.display()
            );
            let per_byte = n as f64 / report.len().max(1) as f64;
            if per_byte > worst.0 {
                worst = (per_byte, format!("{}: {}", path.display(), v["id"]));
            }
            seen += 1;
        }
    }
    assert!(seen > 100, "only {seen} reports");
    eprintln!("most steps per byte: {:.1} ({})", worst.0, worst.1);
}
