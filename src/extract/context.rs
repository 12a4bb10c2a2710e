//! What every extractor sees: the document, the lexicon matches and helpers to turn a
//! folded range into evidence.

use crate::lexicon::{Entry, LexMatch, LexiconSet, Matcher};
use crate::record::{Evidence, Fact, Language, SharedStr};
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
        self.matcher().entries_of(m).map(move |id| lex.entry(id))
    }

    /// The matcher of the report language.
    pub fn matcher(&self) -> &'a Matcher {
        self.lex.matcher(self.lang.into())
    }

    /// The first entry behind a match when the match was chosen for the kind with index
    /// `kind` (see [`Matcher::kind_id`]); a match's entries are all of its own kind.
    #[inline]
    pub fn entry_of_kind(&self, m: &LexMatch, kind: Option<u16>) -> Option<&'a Entry> {
        if kind != Some(m.kind) {
            return None;
        }
        self.entries(m).next()
    }

    /// Matches whose entries are of `kind`, with the first such entry.
    pub fn of_kind<'k>(
        &'k self,
        kind: &'k str,
    ) -> impl Iterator<Item = (LexMatch, &'a Entry)> + 'k {
        let id = self.matcher().kind_id(kind);
        self.matches
            .iter()
            .filter(move |m| Some(m.kind) == id)
            .filter_map(move |m| self.entries(m).next().map(|e| (*m, e)))
    }

    /// True when some match of the report is of `kind`.
    pub fn has_kind(&self, kind: &str) -> bool {
        let id = self.matcher().kind_id(kind);
        id.is_some() && self.matches.iter().any(|m| Some(m.kind) == id)
    }

    /// Evidence for a folded range.
    pub fn evidence(&self, fstart: usize, fend: usize, rule: impl Into<SharedStr>) -> Evidence {
        let (start, end) = self.doc.original_range(fstart, fend);
        Evidence {
            start,
            end,
            text: SharedStr::from(&self.doc.text[start..end]),
            rule: rule.into(),
        }
    }

    /// A fact for a folded range.
    pub fn fact(
        &self,
        field: &'static str,
        value: serde_json::Value,
        fstart: usize,
        fend: usize,
        rule: impl Into<SharedStr>,
    ) -> Fact {
        Fact {
            field: field.into(),
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
