//! Properties of the text pipeline and the readers on arbitrary input: no panics, spans on
//! character boundaries, sentences ordered and inside the text.

use proptest::prelude::*;
use radpath::io::source::{csv_from_reader, jsonl_from_reader, Input, SourceOptions};
use radpath::lexicon::LexiconSet;
use radpath::text::{Document, Folded, TextConfig};

fn config() -> &'static TextConfig {
    static CONFIG: std::sync::OnceLock<TextConfig> = std::sync::OnceLock::new();
    CONFIG.get_or_init(|| {
        LexiconSet::embedded()
            .expect("embedded")
            .text_config()
            .clone()
    })
}

/// Report-like text: words, numbers, punctuation, headers, line breaks, odd characters.
fn reportish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Conclusie:".to_string()),
        Just("VERSLAG\n".to_string()),
        Just("o.a. ".to_string()),
        Just("ca. ".to_string()),
        Just("2,3 x 1,8 cm. ".to_string()),
        Just("1. ".to_string()),
        Just("- ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just(". ".to_string()),
        Just("géén ".to_string()),
        Just("Æ ß µ × – ".to_string()),
        Just("\u{00AD}\u{200B}\u{FEFF}".to_string()),
        "[a-zA-Z]{1,12} ",
        "\\PC{0,8}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn folded_ranges_map_to_char_boundaries(text in reportish()) {
        let f = Folded::new(&text);
        for i in 0..f.text.len() {
            let (a, b) = f.to_original(i, i + 1);
            prop_assert!(a < b && b <= text.len());
            prop_assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
        }
        for j in 0..=text.len() {
            prop_assert!(f.to_folded(j) <= f.text.len());
        }
    }

    #[test]
    fn sentences_are_ordered_trimmed_and_inside(text in reportish()) {
        let doc = Document::new(&text, config());
        let mut last = 0;
        for s in &doc.sentences {
            prop_assert!(s.start >= last && s.start < s.end && s.end <= text.len());
            prop_assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
            let slice = &text[s.start..s.end];
            prop_assert_eq!(slice, slice.trim());
            prop_assert!(s.fstart <= s.fend && s.fend <= doc.folded.text.len());
            prop_assert!(s.section < doc.sections.len());
            last = s.end;
        }
        for sec in &doc.sections {
            prop_assert!(sec.start <= sec.end && sec.end <= text.len());
        }
        for t in &doc.tokens {
            prop_assert!(t.start < t.end && t.end <= doc.folded.text.len());
        }
    }

    #[test]
    fn readers_never_panic_and_yield_one_input_per_line(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        // Lines end at LF, CRLF or a lone CR; a UTF-16 BOM makes the stream transcoded.
        let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
        let mut unified = Vec::with_capacity(bytes.len());
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            unified.push(if b == b'\r' { b'\n' } else { b });
        }
        let n_lines = unified.split(|&b| b == b'\n').filter(|l| !l.iter().all(|b| b.is_ascii_whitespace())).count();
        let inputs: Vec<Input> = jsonl_from_reader(Box::new(std::io::Cursor::new(bytes.clone())), "fuzz", SourceOptions::default()).collect();
        if !utf16 {
            prop_assert_eq!(inputs.len(), n_lines);
        }
        let _ = csv_from_reader(Box::new(std::io::Cursor::new(bytes)), "fuzz", SourceOptions::default()).count();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, ..ProptestConfig::default() })]

    #[test]
    fn extraction_never_panics_and_evidence_matches_the_text(text in reportish()) {
        static EXTRACTOR: std::sync::OnceLock<radpath::extract::Extractor> = std::sync::OnceLock::new();
        let ex = EXTRACTOR.get_or_init(|| radpath::extract::Extractor::new(LexiconSet::embedded().expect("embedded")));
        let out = ex.extract_text(&text, None);
        for f in &out.facts {
            let e = &f.evidence;
            prop_assert!(e.start <= e.end && e.end <= text.len());
            prop_assert_eq!(&text[e.start..e.end], e.text.as_str());
        }
        for l in &out.lesions {
            for e in &l.evidence {
                prop_assert_eq!(&text[e.start..e.end], e.text.as_str());
            }
        }
    }
}
