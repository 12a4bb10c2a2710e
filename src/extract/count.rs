//! Counts: digits, number words and quantifiers, as exact values or lower bounds.
//!
//! [`find_counts`] reads every count-like phrase; the lesion extractor decides which
//! lesion word a count belongs to.

use std::sync::LazyLock;

use regex::Regex;

use super::scan;
use super::Ctx;
use crate::record::Count;

/// A small whole number standing alone.
static DIGITS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b\d{1,2}\b").expect("digits regex"));
/// What may follow a digit that is a count (not a size, decimal, date or ratio).
static NOT_A_COUNT_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[.,/:]\d|-\d+-|\s?(?:mm|cm|%|x\s?\d|\*|ml|cc|kg|g\b|jaar|years?|maanden|months?))").expect("not-count regex"));
/// A dash between two counts ("2-3 laesies").
static DASH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^ ?- ?$").expect("dash regex"));

/// One count phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct CountMention {
    /// Start in the folded text.
    pub fstart: usize,
    /// End in the folded text.
    pub fend: usize,
    /// The count.
    pub count: Count,
    /// The rule or lexicon entry that read it.
    pub rule: String,
}

/// Every count phrase of the report, in text order; "twee à drie", "2-3" and
/// "minstens drie" are read as one phrase each.
pub fn find_counts(ctx: &Ctx) -> Vec<CountMention> {
    let mut raw = words(ctx);
    raw.extend(digits(ctx));
    raw.sort_by_key(|c| c.fstart);
    let mut out: Vec<CountMention> = Vec::with_capacity(raw.len());
    for c in raw {
        if let Some(prev) = out.last_mut() {
            if joins_range(ctx, prev.fend, c.fstart) {
                // "twee à drie", "2-3", "two or three": at least the lower.
                let low = prev.count.number().min(c.count.number());
                prev.count = Count::AtLeast(low);
                prev.fend = c.fend;
                prev.rule = format!("{} + {}", prev.rule, c.rule);
                continue;
            }
        }
        out.push(c);
    }
    apply_modifiers(ctx, &mut out);
    out
}

/// Number words and quantifiers from the lexicon.
fn words(ctx: &Ctx) -> Vec<CountMention> {
    scan::hits(ctx, "number")
        .into_iter()
        .filter_map(|h| {
            let n: u32 = h.attr("value")?.parse().ok()?;
            let count = if h.attr("bound") == Some("at_least") { Count::AtLeast(n) } else { Count::Value(n) };
            Some(CountMention { fstart: h.start, fend: h.end, count, rule: h.entry.rule() })
        })
        .collect()
}

/// Digits that are counts: not sizes, decimals, dates, segment numbers or part of a word.
fn digits(ctx: &Ctx) -> Vec<CountMention> {
    let folded = ctx.folded();
    let bytes = folded.as_bytes();
    DIGITS
        .find_iter(folded)
        .filter(|m| {
            let before = m.start().checked_sub(1).and_then(|p| bytes.get(p)).copied();
            if before.is_some_and(|b| b == b'-' || b == b'.' || b == b',' || b == b'/' || b == b':') {
                return false;
            }
            if NOT_A_COUNT_AFTER.is_match(&folded[m.end()..]) {
                return false;
            }
            scan::hit_before(ctx, m.start(), "segment_cue").is_none()
        })
        .filter_map(|m| {
            let n: u32 = m.as_str().parse().ok()?;
            (n > 0).then(|| CountMention { fstart: m.start(), fend: m.end(), count: Count::Value(n), rule: "count:digits".into() })
        })
        .collect()
}

/// True when the text between two counts joins them into a range ("à", "tot", "-", "or").
fn joins_range(ctx: &Ctx, from: usize, to: usize) -> bool {
    let Some(gap) = ctx.folded().get(from..to) else {
        return false;
    };
    if DASH.is_match(gap) {
        return true;
    }
    if gap.len() > 12 {
        return false;
    }
    scan::hit_at(ctx, from, "conjunction")
        .is_some_and(|h| matches!(h.attr("role"), Some("range" | "or")) && scan::skip_spaces(ctx.folded(), h.end) == to)
}

/// "minstens drie" gives at least 3, "meer dan drie" at least 4.
fn apply_modifiers(ctx: &Ctx, counts: &mut [CountMention]) {
    for h in scan::hits(ctx, "number") {
        let Some(role) = h.attr("role") else { continue };
        let Some(c) = counts.iter_mut().find(|c| c.fstart >= h.end && scan::tokens_between(ctx, h.end, c.fstart) == 0) else {
            continue;
        };
        let n = c.count.number();
        c.count = if role == "more" { Count::AtLeast(n + 1) } else { Count::AtLeast(n) };
        c.fstart = h.start;
        c.rule = format!("{} + {}", h.entry.rule(), c.rule);
    }
}
