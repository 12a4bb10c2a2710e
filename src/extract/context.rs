//! What every extractor sees: the document, the lexicon matches and helpers to turn a
//! folded range into evidence.

use crate::lexicon::{Entry, LexMatch, LexiconSet};
use crate::record::{Evidence, Fact, Language};
use crate::text::Document;

/// The shared, read-only view of one report during extraction.
pub struct Ctx<'a> {
    /// The prepared document.
    pub doc: &'a Document<'a>,
    /// All lexicons.
    pub lex: &'a LexiconSet,
    /// Every lexicon match of the report's language, in text order.
    pub matches: &'a [LexMatch],
    /// The report language.
    pub lang: Language,
    /// The context triggers of the whole document, matched once; `None` makes
    /// [`crate::extract::assertion::qualify`] match each sentence on demand.
    pub triggers: Option<&'a crate::extract::assertion::DocTriggers>,
}

impl<'a> Ctx<'a> {
    /// The entries behind a match.
    pub fn entries(&self, m: &LexMatch) -> impl Iterator<Item = &'a Entry> + 'a {
        let lex = self.lex;
        let matcher = lex.matcher(self.lang.into());
        matcher.entries_of(m).map(move |id| lex.entry(id))
    }

    /// Matches whose entries are of `kind`, with the first such entry.
    pub fn of_kind<'k>(
        &'k self,
        kind: &'k str,
    ) -> impl Iterator<Item = (LexMatch, &'a Entry)> + 'k {
        self.matches
            .iter()
            .filter_map(move |m| self.entries(m).find(|e| e.kind == kind).map(|e| (*m, e)))
    }

    /// Evidence for a folded range.
    pub fn evidence(&self, fstart: usize, fend: usize, rule: impl Into<String>) -> Evidence {
        let (start, end) = self.doc.original_range(fstart, fend);
        Evidence {
            start,
            end,
            text: self.doc.text[start..end].to_string(),
            rule: rule.into(),
        }
    }

    /// A fact for a folded range.
    pub fn fact(
        &self,
        field: &str,
        value: serde_json::Value,
        fstart: usize,
        fend: usize,
        rule: impl Into<String>,
    ) -> Fact {
        Fact {
            field: field.to_string(),
            value,
            evidence: self.evidence(fstart, fend, rule),
        }
    }

    /// The folded text.
    pub fn folded(&self) -> &'a str {
        &self.doc.folded.text
    }
}

impl From<Language> for crate::lexicon::Lang {
    fn from(l: Language) -> Self {
        match l {
            Language::Nl => crate::lexicon::Lang::Nl,
            Language::En => crate::lexicon::Lang::En,
        }
    }
}
