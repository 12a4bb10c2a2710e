//! The assertion engine: ConText-style triggers (lexicon data) qualify a span as present,
//! absent or uncertain; current, historical or future; about the patient, family or others.
//!
//! Triggers live in `lexicons/<lang>/context.tsv` (term, category, direction, optional
//! `max_scope` in word tokens) and are matched by their own matcher, so they never hide a
//! term of another kind. A trigger reaches the spans of its own sentence in its direction;
//! terminators, semicolons, `max_scope` and a new clause with its own negation or
//! uncertainty end its reach (see [`scope`]). Besides the triggers:
//! - a "?" right after a span (or glued before it: "?metastase") makes it uncertain;
//! - the section sets a default: the indication or clinical question is `future`, clinical
//!   history, past history and comparison are `historical`, family history is `family`;
//! - a negation with a novelty word ("geen nieuwe laesies", "no new lesions") is flagged
//!   [`Qualified::only_new`]: known findings stay present.
//!
//! Presence: any negation makes a span absent (hedged negatives such as "geen
//! overtuigende aanwijzingen voor" included), else any uncertainty makes it uncertain.
//! Temporality and experiencer: the closest reaching trigger wins.
//!
//! Speed: [`qualify`] matches the triggers of the span's sentence on each call;
//! [`DocTriggers`] matches a whole document once and answers any number of spans.

pub mod protocol;
pub mod scope;
pub mod trigger;

use crate::record::{Assertion, Language};
use crate::text::Document;

use super::context::Ctx;
use super::Extractor;
use scope::{Scope, SectionDefault};
pub use trigger::{Category, Direction, Trigger};

/// The qualifiers of one span and the triggers that set them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Qualified {
    /// The three qualifiers.
    pub assertion: Assertion,
    /// The trigger terms that applied, as written in the lexicon, in text order
    /// (`?` for a question mark, `section:<name>` for a section default).
    pub rules: Vec<String>,
    /// The triggers that applied, with their folded ranges (for evidence).
    pub applied: Vec<Applied>,
    /// True when the span is negated as a new finding only ("geen nieuwe laesies"):
    /// findings known from before stay present.
    pub only_new: bool,
}

/// A trigger that set a qualifier of a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Start byte of the trigger in the folded text.
    pub fstart: usize,
    /// End byte in the folded text.
    pub fend: usize,
    /// What it did.
    pub category: Category,
    /// The term as written in the lexicon.
    pub term: String,
    /// The rule name for evidence (`lexicon:<file>:<line>:<term>`).
    pub rule: String,
}

/// Qualifies the folded range `[fstart, fend)` from the context triggers of its sentence.
pub fn qualify(ctx: &Ctx, fstart: usize, fend: usize) -> Qualified {
    if let Some(triggers) = ctx.triggers {
        return triggers.qualify(ctx, fstart, fend);
    }
    let (lo, hi, sentence) = sentence_bounds(ctx.doc, fstart, fend);
    let triggers = trigger::find(ctx, lo, hi);
    let scope = Scope {
        lo,
        hi,
        triggers: &triggers,
        section: section_default(ctx.doc, sentence),
    };
    scope::apply(ctx.doc, ctx.lex, &scope, fstart, fend)
}

/// The qualifiers of the folded range `[fstart, fend)`: `qualify(..).assertion`, without
/// recording which triggers applied.
pub fn assertion_of(ctx: &Ctx, fstart: usize, fend: usize) -> Assertion {
    match ctx.triggers {
        Some(triggers) => triggers.assertion(ctx, fstart, fend),
        None => qualify(ctx, fstart, fend).assertion,
    }
}

/// Every context trigger of one document, matched once; qualifies any number of spans.
#[derive(Debug, Clone, Default)]
pub struct DocTriggers {
    triggers: Vec<Trigger>,
}

impl DocTriggers {
    /// Matches the triggers of the whole document.
    pub fn find(ctx: &Ctx) -> DocTriggers {
        DocTriggers {
            triggers: trigger::find(ctx, 0, ctx.folded().len()),
        }
    }

    /// The triggers of the whole document from its context matches: those that the
    /// language matcher keeps apart ([`crate::lexicon::Matcher::find_all_and_aside`]).
    pub fn from_matches(ctx: &Ctx, context: &[crate::lexicon::LexMatch]) -> DocTriggers {
        DocTriggers {
            triggers: trigger::from_matches(ctx, ctx.matcher(), context),
        }
    }

    /// The triggers, in text order.
    pub fn triggers(&self) -> &[Trigger] {
        &self.triggers
    }

    /// Qualifies the folded range `[fstart, fend)`; the same answer as [`qualify`].
    pub fn qualify(&self, ctx: &Ctx, fstart: usize, fend: usize) -> Qualified {
        scope::apply(
            ctx.doc,
            ctx.lex,
            &self.scope(ctx, fstart, fend),
            fstart,
            fend,
        )
    }

    /// The qualifiers of the folded range `[fstart, fend)`: those of [`DocTriggers::qualify`].
    pub fn assertion(&self, ctx: &Ctx, fstart: usize, fend: usize) -> Assertion {
        scope::assertion(
            ctx.doc,
            ctx.lex,
            &self.scope(ctx, fstart, fend),
            fstart,
            fend,
        )
    }

    /// The sentence scope of a folded range, with its triggers.
    fn scope(&self, ctx: &Ctx, fstart: usize, fend: usize) -> Scope<'_> {
        let (lo, hi, sentence) = sentence_bounds(ctx.doc, fstart, fend);
        let first = self.triggers.partition_point(|t| t.fstart < lo);
        let count = self
            .triggers
            .get(first..)
            .unwrap_or(&[])
            .iter()
            .take_while(|t| t.fend <= hi)
            .count();
        let triggers = self.triggers.get(first..first + count).unwrap_or(&[]);
        Scope {
            lo,
            hi,
            triggers,
            section: section_default(ctx.doc, sentence),
        }
    }
}

/// Qualifies byte ranges of the original `text` (the engine behind `radpath qualify`).
/// `lang` overrides language detection. Ranges must lie on character boundaries of `text`
/// (callers check; a range that does not is widened to whole characters).
pub fn qualify_text(
    extractor: &Extractor,
    text: &str,
    lang: Option<Language>,
    spans: &[(usize, usize)],
) -> (Language, Vec<Qualified>) {
    let doc = extractor.document(text);
    let lang = lang.unwrap_or_else(|| extractor.detect_language(&doc));
    let ctx = Ctx::new(&doc, extractor.lexicons(), &[], lang);
    let triggers = DocTriggers::find(&ctx);
    let out = spans
        .iter()
        .map(|&(s, e)| {
            let (fs, fe) = doc.folded.range_to_folded(s, e);
            triggers.qualify(&ctx, fs, fe.max(fs))
        })
        .collect();
    (lang, out)
}

/// The folded range of the sentence(s) a span lies in, and the index of the first one;
/// the span itself when it lies outside every sentence (a header, say).
fn sentence_bounds(doc: &Document, fstart: usize, fend: usize) -> (usize, usize, Option<usize>) {
    let len = doc.folded.text.len();
    let a = fstart.min(len);
    let b = fend.clamp(a, len);
    match doc.sentence_at(a) {
        Some(i) if doc.sentences.get(i).is_some_and(|s| s.fend > a) => {
            let first = doc.sentences.get(i).map(|s| s.fstart).unwrap_or(a);
            let last = doc.sentence_at(b.saturating_sub(1).max(a)).unwrap_or(i);
            let end = doc.sentences.get(last).map(|s| s.fend).unwrap_or(b).max(b);
            (first.min(a), end, Some(i))
        }
        _ => (a, b, None),
    }
}

/// The qualifier a section gives the spans in it when no trigger says otherwise.
///
/// Only the text that the header introduces gets it: the rest of the header's line, or,
/// for a header alone on its line, the next line with text. Reports often go on to the
/// findings without a header the lexicon knows ("Vraagstelling: metastasen?" then "Lever:
/// ..."), and the findings must not become a question.
fn section_default(doc: &Document, sentence: Option<usize>) -> Option<SectionDefault> {
    let s = doc.sentences.get(sentence?)?;
    let section = doc.sections.get(s.section)?;
    let category = match section.name.as_str() {
        "indication" => Category::Hypothetical,
        "clinical" | "history" | "comparison" => Category::Historical,
        "family" => Category::Family,
        _ => return None,
    };
    let (hs, he) = section.header?;
    if !introduced_by_header(doc.text, he, s.start) {
        return None;
    }
    let (fstart, fend) = doc.folded.range_to_folded(hs, he);
    Some(SectionDefault {
        category,
        fstart,
        fend,
        name: section.name.clone(),
    })
}

/// True when original offset `pos` lies on the header's line (the header ends at
/// `header_end`) or, when nothing follows the header on its line, on the next line with text.
fn introduced_by_header(text: &str, header_end: usize, pos: usize) -> bool {
    let Some(rest) = text.get(header_end..) else {
        return false;
    };
    // Only the text up to `pos` is searched for the end of the header's line.
    let line_end = match rest.get(..pos.saturating_sub(header_end)) {
        Some(before) => match before.find('\n') {
            Some(p) => header_end + p,
            None => return true,
        },
        None => header_end + rest.find('\n').unwrap_or(rest.len()),
    };
    if pos <= line_end {
        return true;
    }
    if !text
        .get(header_end..line_end)
        .unwrap_or("")
        .trim()
        .is_empty()
    {
        return false;
    }
    let after = text.get(line_end..).unwrap_or("");
    let first_text = line_end + (after.len() - after.trim_start().len());
    // `pos` lies on that line when no line break stands between its start and `pos`.
    pos >= first_text
        && text
            .as_bytes()
            .get(first_text..pos)
            .is_some_and(|t| !t.contains(&b'\n'))
}

#[cfg(test)]
mod tests;
