//! The text pipeline: folding with an offset map, sections, sentences and tokens.
//!
//! Nothing here knows a word of Dutch or English: header names and abbreviations are
//! handed in as data ([`TextConfig`]), built by the lexicon module.

pub mod fold;
pub mod sections;
pub mod sentences;
pub mod tokens;

pub use fold::{fold_str, Folded};
pub use sections::{HeaderSet, Section};
pub use sentences::{Abbreviations, Joiners};
pub use tokens::Token;

/// The data the text pipeline needs: section headers and abbreviations.
#[derive(Debug, Clone, Default)]
pub struct TextConfig {
    /// Known section headers.
    pub headers: HeaderSet,
    /// Abbreviations that do not end a sentence.
    pub abbreviations: Abbreviations,
    /// Words that never end a sentence: a line ending in one goes on on the next line.
    pub joiners: Joiners,
}

/// A sentence: its byte range in the original text and in the folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Start byte in the original text.
    pub start: usize,
    /// End byte in the original text.
    pub end: usize,
    /// Start byte in the folded text.
    pub fstart: usize,
    /// End byte in the folded text.
    pub fend: usize,
    /// Index into [`Document::sections`].
    pub section: usize,
    /// The boundary before this sentence is weak: the period that ends the sentence before
    /// may be an OCR'd line break (see [`sentences::is_weak_boundary`]).
    pub weak: bool,
}

/// A report prepared for extraction.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// The original text.
    pub text: &'a str,
    /// The folded text with its offset map.
    pub folded: Folded,
    /// Sections, in order; the first may be an unnamed `body`.
    pub sections: Vec<Section>,
    /// Sentences, in order.
    pub sentences: Vec<Sentence>,
    /// Tokens of the folded text, in order.
    pub tokens: Vec<Token>,
}

impl<'a> Document<'a> {
    /// Prepares `text`: folds it, finds sections, splits sentences and tokens.
    pub fn new(text: &'a str, config: &TextConfig) -> Document<'a> {
        let folded = Folded::new(text);
        let sections = sections::find_sections(text, &config.headers, &config.joiners);
        let spans =
            sentences::split_sentences(text, &sections, &config.abbreviations, &config.joiners);
        let mut sentences = Vec::with_capacity(spans.len());
        let mut sec = 0;
        for (start, end) in spans {
            while sec + 1 < sections.len()
                && sections[sec + 1]
                    .header
                    .map_or(sections[sec + 1].start, |h| h.0)
                    <= start
            {
                sec += 1;
            }
            let (fstart, fend) = folded.range_to_folded(start, end);
            let weak = sentences.last().is_some_and(|p: &Sentence| {
                p.section == sec && sentences::is_weak_boundary(text, (p.start, p.end), start)
            });
            sentences.push(Sentence {
                start,
                end,
                fstart,
                fend,
                section: sec,
                weak,
            });
        }
        let tokens = tokens::tokenize(&folded.text);
        Document {
            text,
            folded,
            sections,
            sentences,
            tokens,
        }
    }

    /// Maps a folded range to the original byte range.
    pub fn original_range(&self, fstart: usize, fend: usize) -> (usize, usize) {
        self.folded.to_original(fstart, fend)
    }

    /// Index of the sentence that contains folded position `fpos` (or the nearest one before it).
    pub fn sentence_at(&self, fpos: usize) -> Option<usize> {
        let idx = self.sentences.partition_point(|s| s.fstart <= fpos);
        idx.checked_sub(1)
    }

    /// Index of the first token that ends after folded position `fpos`.
    pub fn token_index(&self, fpos: usize) -> usize {
        self.tokens.partition_point(|t| t.end <= fpos)
    }

    /// Name of the section a sentence lies in.
    pub fn section_name(&self, sentence: usize) -> &str {
        self.sentences
            .get(sentence)
            .and_then(|s| self.sections.get(s.section))
            .map(|s| s.name.as_str())
            .unwrap_or("body")
    }

    /// The folded text of a sentence.
    /// Empty for an index out of range.
    pub fn sentence_folded(&self, sentence: usize) -> &str {
        self.sentences
            .get(sentence)
            .and_then(|s| self.folded.text.get(s.fstart..s.fend))
            .unwrap_or("")
    }
}
