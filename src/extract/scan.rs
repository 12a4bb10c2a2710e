//! Lookups over one report's lexicon matches by kind and position, shared by the
//! radiology extractors.

use crate::lexicon::Entry;

use super::Ctx;

/// A lexicon match of one kind: its folded range and the entry behind it.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    /// Start in the folded text.
    pub start: usize,
    /// End in the folded text.
    pub end: usize,
    /// The lexicon entry.
    pub entry: &'a Entry,
}

impl Hit<'_> {
    /// The value of an attribute of the entry.
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.entry.attr(key)
    }
}

/// Every match of `kind`, in text order.
pub fn hits<'a>(ctx: &Ctx<'a>, kind: &str) -> Vec<Hit<'a>> {
    ctx.of_kind(kind).map(|(m, entry)| Hit { start: m.start, end: m.end, entry }).collect()
}

/// The match of `kind` that starts at `pos` (after skipping spaces), if any.
pub fn hit_at<'a>(ctx: &Ctx<'a>, pos: usize, kind: &str) -> Option<Hit<'a>> {
    let folded = ctx.folded();
    let pos = skip_spaces(folded, pos);
    let i = ctx.matches.partition_point(|m| m.start < pos);
    let m = ctx.matches.get(i).filter(|m| m.start == pos)?;
    let entry = ctx.entries(m).find(|e| e.kind == kind)?;
    Some(Hit { start: m.start, end: m.end, entry })
}

/// The match of `kind` that ends at `pos` (before trailing spaces), if any.
pub fn hit_before<'a>(ctx: &Ctx<'a>, pos: usize, kind: &str) -> Option<Hit<'a>> {
    let folded = ctx.folded();
    let end = folded.get(..pos).map_or(pos, |s| s.trim_end_matches(' ').len());
    let i = ctx.matches.partition_point(|m| m.end < end);
    let m = ctx.matches.get(i).filter(|m| m.end == end)?;
    let entry = ctx.entries(m).find(|e| e.kind == kind)?;
    Some(Hit { start: m.start, end: m.end, entry })
}

/// `pos` moved past any spaces.
pub fn skip_spaces(folded: &str, pos: usize) -> usize {
    let rest = folded.get(pos..).unwrap_or("");
    pos + (rest.len() - rest.trim_start_matches(' ').len())
}

/// Number of tokens between two folded positions.
pub fn tokens_between(ctx: &Ctx, from: usize, to: usize) -> usize {
    if to <= from {
        return 0;
    }
    ctx.doc.token_index(to).saturating_sub(ctx.doc.token_index(from))
}

/// True when the folded text between the two positions holds clause punctuation.
pub fn has_punct(ctx: &Ctx, from: usize, to: usize) -> bool {
    ctx.folded().get(from..to).is_some_and(|s| s.contains([',', ';', '.', ':', '(', ')']))
}
