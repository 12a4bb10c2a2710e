//! Extraction: from a report's text to its summary, lesions, facts and staging.
//!
//! [`Extractor::new`] compiles everything once; [`Extractor::extract_text`] is then a few
//! linear passes over one report and can be called from many threads at once.

pub mod assertion;
pub mod clinical;
pub mod context;
pub mod count;
pub mod ihc;
pub mod labs;
pub mod language;
pub mod lesion;
pub mod location;
pub mod measure;
pub mod pathology;
pub mod pattern;
pub mod report;
pub mod scan;
pub mod summary;
pub mod work;

use crate::lexicon::LexiconSet;
use crate::record::{Fact, Language, Lesion, Staging, Summary};
use crate::text::Document;

pub use context::Ctx;

/// Everything read from one report's text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Extraction {
    /// Report-level facts.
    pub summary: Summary,
    /// Liver lesions.
    pub lesions: Vec<Lesion>,
    /// Every fact with its evidence.
    pub facts: Vec<Fact>,
    /// Derived staging values.
    pub staging: Staging,
}

/// The compiled extractor: lexicons, matchers and rules, built once per process and
/// shared read-only across threads.
#[derive(Debug, Clone)]
pub struct Extractor {
    lexicons: LexiconSet,
    language_words: language::LanguageWords,
}

impl Extractor {
    /// Builds an extractor over the given lexicons.
    pub fn new(lexicons: LexiconSet) -> Extractor {
        let language_words = language::LanguageWords::new(&lexicons);
        Extractor {
            lexicons,
            language_words,
        }
    }

    /// The lexicons in use.
    pub fn lexicons(&self) -> &LexiconSet {
        &self.lexicons
    }

    /// Prepares a document (folding, sections, sentences, tokens).
    pub fn document<'a>(&self, text: &'a str) -> Document<'a> {
        Document::new(text, self.lexicons.text_config())
    }

    /// Detects the language of a prepared document.
    pub fn detect_language(&self, doc: &Document) -> Language {
        self.language_words.detect(doc)
    }

    /// Extracts everything from one report. `lang` overrides language detection.
    pub fn extract_text(&self, text: &str, lang: Option<Language>) -> Extraction {
        // Folding, sentences, tokens and the lexicon pass are linear in the text.
        work::add(text.len());
        let doc = self.document(text);
        let lang = lang.unwrap_or_else(|| self.detect_language(&doc));
        let (matches, context) = self
            .lexicons
            .matcher(lang.into())
            .find_all_and_aside(&doc.folded.text);
        work::add(matches.len() + context.len());
        let mut ctx = Ctx::new(&doc, &self.lexicons, &matches, lang);
        // The context triggers are matched once, in the same pass, and shared by every
        // qualified span.
        let triggers = assertion::DocTriggers::from_matches(&ctx, &context);
        ctx.triggers = Some(&triggers);
        let mut out = Extraction::default();
        out.summary.language = lang;
        report::extract(&ctx, &mut out);
        lesion::extract(&ctx, &mut out);
        ihc::extract(&ctx, &mut out);
        pathology::extract(&ctx, &mut out);
        labs::extract(&ctx, &mut out);
        clinical::extract(&ctx, &mut out);
        summary::finish(&ctx, &mut out);
        out.staging = crate::staging::derive(&out.summary, &out.lesions, &out.facts);
        out
    }

    /// Extracts everything from one report with at most `limit` steps of work (see
    /// [`work`]): the extraction and the steps it took, or [`work::Exhausted`] when it
    /// needed more.
    pub fn extract_within(
        &self,
        text: &str,
        lang: Option<Language>,
        limit: u64,
    ) -> Result<(Extraction, u64), work::Exhausted> {
        work::within(limit, || self.extract_text(text, lang))
    }
}
