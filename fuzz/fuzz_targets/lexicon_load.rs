//! Lexicon loading on arbitrary files: a lexicon set or a list of `file:line` errors,
//! never a panic; a set that loads must then extract any text.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use radpath::extract::Extractor;
use radpath::lexicon::{schema::KINDS, LexiconSet};

#[derive(Debug, Arbitrary)]
struct File {
    lang: u8,
    kind: u8,
    odd_path: Option<String>,
    contents: String,
}

#[derive(Debug, Arbitrary)]
struct Input {
    files: Vec<File>,
    text: String,
    /// The embedded lexicons take about a second to compile: they join the fuzzed files
    /// only for one value of this byte, so that most runs stay fast.
    with_embedded: u8,
}

fuzz_target!(|input: Input| {
    let mut files: Vec<(String, String)> = if input.with_embedded == 0xA5 { radpath::lexicon::embedded_files() } else { Vec::new() };
    for f in input.files.into_iter().take(8) {
        let path = match f.odd_path {
            Some(p) => p,
            None => {
                let lang = ["nl", "en", "common"][usize::from(f.lang) % 3];
                let kind = KINDS.get(usize::from(f.kind) % (KINDS.len() + 1)).map_or("unknown", |k| k.kind);
                format!("{lang}/{kind}.tsv")
            }
        };
        files.push((path, f.contents));
    }
    match LexiconSet::from_files(files) {
        Ok(set) => {
            let extractor = Extractor::new(set);
            let ex = extractor.extract_text(&input.text, None);
            radpath_fuzz::check_evidence(&ex, &input.text);
        }
        Err(errors) => {
            assert!(!errors.0.is_empty(), "an error with no problem listed");
            for e in &errors.0 {
                assert!(!e.reason.is_empty());
            }
        }
    }
});
