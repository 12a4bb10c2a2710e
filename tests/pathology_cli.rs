//! Pathology from the command line: a Dutch biopsy piped through stdin gives its IHC
//! panel, histology, margin and labs with evidence spans into the original text; odd
//! input never panics the extractors.

mod util;

use std::sync::LazyLock;

use proptest::prelude::*;
use radpath::extract::Extractor;
use radpath::lexicon::LexiconSet;

static EXTRACTOR: LazyLock<Extractor> =
    LazyLock::new(|| Extractor::new(LexiconSet::embedded().expect("lexicons")));

const REPORT: &str = "Macroscopie: wigexcisie lever segment 3, 24 gram, met een witte haard van 1,8 cm.\n\
Microscopie: de tumorcellen zijn positief voor CK20 en CDX2, negatief voor CK7 en HepPar-1; \
de galgangen kleuren aan met CK7. CEA 212 ng/ml.\n\
Conclusie: metastase van adenocarcinoom, passend bij colorectale origine. Snijvlak vrij, marge 0,4 cm.";

#[test]
fn a_dutch_biopsy_through_stdin() {
    let run = util::run_in(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &["extract", "--lang", "nl", "-"],
        Some(REPORT.as_bytes()),
    );
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let lines = run.json_lines();
    let s = &lines[0]["summary"];
    assert_eq!(s["ihc"]["CK20"], "positive");
    assert_eq!(s["ihc"]["CDX2"], "positive");
    assert_eq!(s["ihc"]["CK7"], "negative", "bile ducts are not the tumour");
    assert_eq!(s["ihc"]["HepPar-1"], "negative");
    assert_eq!(s["histology"], "colorectal_adenocarcinoma");
    assert_eq!(s["liver_metastasis"], "present");
    assert_eq!(s["margin_mm"], 4);
    assert_eq!(s["resection"], "R0");
    assert_eq!(s["specimen_weight_g"], 24);
    assert_eq!(s["largest_lesion_mm"], 18);
    assert_eq!(s["segments"], serde_json::json!(["III"]));
    assert_eq!(s["labs"]["cea_ng_ml"], 212);
    // Every pathology fact points at the original text with the rule that read it.
    let facts = lines[0]["facts"].as_array().expect("facts");
    for field in [
        "ihc",
        "histology",
        "margin_mm",
        "resection",
        "labs",
        "specimen_weight_g",
    ] {
        let fact = facts
            .iter()
            .find(|f| f["field"] == field)
            .unwrap_or_else(|| panic!("no {field} fact"));
        let (start, end) = (
            fact["start"].as_u64().unwrap_or(0) as usize,
            fact["end"].as_u64().unwrap_or(0) as usize,
        );
        assert_eq!(REPORT.get(start..end), fact["text"].as_str(), "{field}");
        assert!(!fact["rule"].as_str().unwrap_or("").is_empty(), "{field}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Fragments of pathology phrasing glued together in any order, with odd characters,
    /// never panic.
    #[test]
    fn odd_pathology_text_never_panics(parts in proptest::collection::vec(prop_oneof![
        Just("CK7"), Just("(+"), Just("-)"), Just("positief voor"), Just(" en "), Just("Ki-67 "),
        Just("12%"), Just("1.: x 0.8 cm"), Just("segment 4-"), Just("S6-"), Just(", marge "),
        Just("0,4 cm van het snijvlak"), Just("satelliet"), Just(": yes"), Just("CEA "), Just("2,340"),
        Just(" gram"), Just("é"), Just("€"), Just("\n"), Just("."), Just("multiple (#"), Just("R1"),
    ], 0..40)) {
        let text: String = parts.concat();
        let _ = EXTRACTOR.extract_text(&text, None);
    }
}
