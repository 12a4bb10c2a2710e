//! Shared pieces of the fuzz targets: one extractor per process and the invariants every
//! target checks on what radpath returns.

use std::sync::OnceLock;

use radpath::extract::{Extraction, Extractor};
use radpath::lexicon::LexiconSet;

/// The extractor over the embedded lexicons, built once per fuzzing process.
pub fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(LexiconSet::embedded().expect("the embedded lexicons load")))
}

/// Panics when an evidence span of `ex` does not lie on character boundaries of `text`
/// or does not equal the slice of `text` it names.
pub fn check_evidence(ex: &Extraction, text: &str) {
    let mut spans = Vec::new();
    for fact in &ex.facts {
        spans.push(&fact.evidence);
    }
    for lesion in &ex.lesions {
        spans.extend(lesion.evidence.iter());
    }
    for ev in spans {
        assert!(ev.start <= ev.end && ev.end <= text.len(), "span {}..{} outside a text of {} bytes", ev.start, ev.end, text.len());
        assert!(text.is_char_boundary(ev.start) && text.is_char_boundary(ev.end), "span {}..{} not on char boundaries", ev.start, ev.end);
        assert_eq!(&text[ev.start..ev.end], ev.text, "span {}..{} does not equal its text", ev.start, ev.end);
    }
}

/// Extracts `text` and checks the result: evidence spans valid, the record serialisable,
/// and the work within the default budget of `radpath extract` (a report that needs more
/// has found a rule that is not linear in its text).
pub fn extract_and_check(text: &str) {
    let (ex, steps) = radpath::extract::work::measure(|| extractor().extract_text(text, None));
    let limit = radpath::pipeline::Budget::default().limit(text.len());
    assert!(steps <= limit, "{steps} steps for {} bytes: over the default budget of {limit}", text.len());
    check_evidence(&ex, text);
    serde_json::to_string(&ex.summary).expect("the summary serialises");
    serde_json::to_string(&ex.lesions).expect("the lesions serialise");
    serde_json::to_string(&ex.staging).expect("the staging serialises");
}
