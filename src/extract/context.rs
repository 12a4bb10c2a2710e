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
    /// `matches` grouped by kind.
    by_kind: KindIndex,
}

/// A report's matches grouped by kind id: the matches of kind `k` are
/// `matches[order[i]]` for `i` in `starts[k]..starts[k + 1]`, in text order.
#[derive(Debug, Default)]
struct KindIndex {
    order: Vec<u32>,
    starts: Vec<u32>,
}

impl KindIndex {
    /// Groups `matches` by kind in one counting pass, keeping text order within a kind.
    fn new(matches: &[LexMatch]) -> KindIndex {
        let Some(kinds) = matches.iter().map(|m| usize::from(m.kind) + 1).max() else {
            return KindIndex::default();
        };
        let mut starts = vec![0u32; kinds + 1];
        for m in matches {
            starts[usize::from(m.kind) + 1] += 1;
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        let mut next = starts.clone();
        let mut order = vec![0u32; matches.len()];
        for (i, m) in matches.iter().enumerate() {
            let slot = &mut next[usize::from(m.kind)];
            order[*slot as usize] = i as u32;
            *slot += 1;
        }
        KindIndex { order, starts }
    }

    /// Indices of the matches of kind `kind`, in text order.
    fn of(&self, kind: u16) -> &[u32] {
        let k = usize::from(kind);
        match (self.starts.get(k), self.starts.get(k + 1)) {
            (Some(&from), Some(&to)) => self.order.get(from as usize..to as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

impl<'a> Ctx<'a> {
    /// The context of a report: its document, the lexicons and the matches of its
    /// language (in text order), without document triggers.
    pub fn new(
        doc: &'a Document<'a>,
        lex: &'a LexiconSet,
        matches: &'a [LexMatch],
        lang: Language,
    ) -> Ctx<'a> {
        Ctx {
            doc,
            lex,
            matches,
            lang,
            triggers: None,
            by_kind: KindIndex::new(matches),
        }
    }

    /// The matches of the kind with id `kind`, in text order.
    pub fn matches_of(&self, kind: u16) -> impl Iterator<Item = &'a LexMatch> + '_ {
        let matches = self.matches;
        self.by_kind
            .of(kind)
            .iter()
            .filter_map(move |&i| matches.get(i as usize))
    }

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
        Some(self.lex.entry(m.entry))
    }

    /// Matches whose entries are of `kind`, with the first such entry.
    pub fn of_kind<'k>(
        &'k self,
        kind: &'k str,
    ) -> impl Iterator<Item = (LexMatch, &'a Entry)> + 'k {
        let id = self.matcher().kind_id(kind);
        id.into_iter()
            .flat_map(move |id| self.matches_of(id))
            .map(move |m| (*m, self.lex.entry(m.entry)))
    }

    /// True when some match of the report is of `kind`.
    pub fn has_kind(&self, kind: &str) -> bool {
        self.matcher()
            .kind_id(kind)
            .is_some_and(|id| !self.by_kind.of(id).is_empty())
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
