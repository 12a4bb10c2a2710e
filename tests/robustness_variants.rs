//! Every gold case is also read as real archives write it: lower-cased, upper-cased,
//! re-wrapped at 60-75 columns with each line break written as ". " (the shape OCR leaves),
//! and with Windows line ends. For each gold file and variant two figures are measured:
//! `same`, the share of cases whose scored summary fields are the same as on the original
//! text, and `gold`, the macro score against the gold values. `corpus/variant-floors.tsv`
//! holds a floor for each (`file`, `variant`, `measure`); the test fails below it.
//!
//! `cargo test --release --test robustness_variants -- --nocapture` prints the table.

use std::collections::BTreeMap;
use std::path::Path;

use radpath::eval::{evaluate, read_gold, values_equal, GoldCase};
use radpath::extract::Extractor;
use radpath::lexicon::LexiconSet;

/// The ways a report's text is rewritten.
const VARIANTS: [&str; 4] = ["lower", "upper", "ocr_wrap", "crlf"];

/// Rewrites `text` as the named variant; `seed` varies the wrap width from case to case.
fn variant(name: &str, text: &str, seed: usize) -> String {
    match name {
        "lower" => text.to_lowercase(),
        "upper" => text.to_uppercase(),
        "crlf" => text.replace("\r\n", "\n").replace('\n', "\r\n"),
        "ocr_wrap" => ocr_wrap(text, seed),
        _ => unreachable!("unknown variant {name}"),
    }
}

/// Re-wraps the words of `text` into lines of 60-75 columns (the width varies per line, fixed
/// by `seed`), then writes every line break as ". ", as OCR'd archives do; a line that
/// already ends in a period is joined with a space.
fn ocr_wrap(text: &str, seed: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let mut width = 60 + state % 16;
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            width = 60 + (state >> 33) % 16;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    let mut out = String::with_capacity(text.len() + lines.len() * 2);
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str(if lines[i - 1].ends_with('.') {
                " "
            } else {
                ". "
            });
        }
        out.push_str(l);
    }
    out
}

/// The gold files read in every variant: every summary gold set in `corpus/` (the qualify
/// sets are span requests, not summaries).
fn gold_files(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for dir in ["corpus", "corpus/tcga"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.ends_with(".jsonl") && !name.starts_with("qualify_") {
                files.push(format!("{dir}/{name}"));
            }
        }
    }
    files.sort();
    files
}

/// Whether the scored fields of `case` read the same on both texts.
fn same_summary(extractor: &Extractor, case: &GoldCase, variant_text: &str) -> bool {
    let a = serde_json::to_value(extractor.extract_text(&case.text, case.lang).summary)
        .expect("summary serialises");
    let b = serde_json::to_value(extractor.extract_text(variant_text, case.lang).summary)
        .expect("summary serialises");
    case.expect.keys().all(|field| {
        let x = a.get(field).cloned().unwrap_or_default();
        let y = b.get(field).cloned().unwrap_or_default();
        values_equal(&x, &y)
    })
}

fn read_floors(root: &Path) -> BTreeMap<(String, String, String), f64> {
    let text = std::fs::read_to_string(root.join("corpus/variant-floors.tsv"))
        .expect("corpus/variant-floors.tsv");
    let mut floors = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "variant-floors.tsv: bad line {line:?}");
        let floor: f64 = cols[3].parse().expect("a number");
        floors.insert((cols[0].into(), cols[1].into(), cols[2].into()), floor);
    }
    floors
}

#[test]
fn ocr_wrap_writes_breaks_as_periods_within_the_width() {
    let text = "word ".repeat(60);
    let wrapped = ocr_wrap(&text, 3);
    assert!(wrapped.contains("word. word"));
    for piece in wrapped.split(". ") {
        assert!(piece.len() <= 75, "{piece:?}");
        assert!(piece.len() >= 55 || wrapped.ends_with(piece), "{piece:?}");
    }
    assert_eq!(ocr_wrap("Een zin.\nNog een", 1), "Een zin. Nog een");
}

#[test]
fn every_gold_case_reads_the_same_in_every_variant() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let floors = read_floors(root);
    let extractor = Extractor::new(LexiconSet::embedded().expect("embedded lexicons"));
    let mut failures = Vec::new();
    let mut table = String::from("file\tvariant\tsame\tgold (original gold)\n");
    let files = gold_files(root);
    assert!(files.len() >= 8, "gold files found: {files:?}");
    for file in &files {
        let cases = read_gold(&root.join(file)).unwrap_or_else(|e| panic!("{e}"));
        let original = evaluate(&extractor, &cases).macro_score;
        for name in VARIANTS {
            let rewritten: Vec<GoldCase> = cases
                .iter()
                .enumerate()
                .map(|(i, c)| GoldCase {
                    text: variant(name, &c.text, i),
                    ..c.clone()
                })
                .collect();
            let same = cases
                .iter()
                .zip(&rewritten)
                .filter(|(c, v)| same_summary(&extractor, c, &v.text))
                .count() as f64
                / cases.len().max(1) as f64;
            let gold = evaluate(&extractor, &rewritten).macro_score;
            table.push_str(&format!(
                "{file}\t{name}\t{same:.3}\t{gold:.3} ({original:.3})\n"
            ));
            for (measure, score) in [("same", same), ("gold", gold)] {
                let key = (file.clone(), name.to_string(), measure.to_string());
                match floors.get(&key) {
                    Some(floor) if score + 1e-9 >= *floor => {}
                    Some(floor) => failures.push(format!(
                        "{file} {name} {measure}: {score:.3} below its floor {floor:.3}"
                    )),
                    None => failures.push(format!(
                        "{file} {name} {measure}: no floor in corpus/variant-floors.tsv \
                         (scored {score:.3})"
                    )),
                }
            }
        }
    }
    println!("{table}");
    assert!(
        failures.is_empty(),
        "variants below their floors:\n{}\n\n{table}",
        failures.join("\n")
    );
}
