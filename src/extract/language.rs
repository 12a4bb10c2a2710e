//! Language detection: Dutch or English, by counting function words from the lexicon.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::lexicon::LexiconSet;
use crate::record::Language;
use crate::text::Document;

/// Function words of each language, from `lexicons/*/language.tsv`.
#[derive(Debug, Clone, Default)]
pub struct LanguageWords {
    words: HashMap<String, Language, BuildHasherDefault<Fnv>>,
}

/// FNV-1a, a fast hash for the short keys of this table. The table is fixed lexicon data,
/// so text crafted to collide can only slow its own look-ups down.
#[derive(Debug, Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

impl LanguageWords {
    /// Collects the `language` entries of the lexicons.
    pub fn new(lex: &LexiconSet) -> LanguageWords {
        let words = lex
            .of_kind("language")
            .filter_map(|e| {
                let lang = match e.attr("lang")? {
                    "nl" => Language::Nl,
                    "en" => Language::En,
                    _ => return None,
                };
                Some((crate::text::fold_str(&e.term), lang))
            })
            .collect();
        LanguageWords { words }
    }

    /// The language with more function words in the text; Dutch on a tie.
    pub fn detect(&self, doc: &Document) -> Language {
        let (mut nl, mut en) = (0u32, 0u32);
        for t in doc.tokens.iter().take(400) {
            match self.words.get(&doc.folded.text[t.start..t.end]) {
                Some(Language::Nl) => nl += 1,
                Some(Language::En) => en += 1,
                None => {}
            }
        }
        if en > nl {
            Language::En
        } else {
            Language::Nl
        }
    }
}
