//! Measurements: sizes in mm from decimal-comma or -point values, multi-dimensional sizes,
//! ranges and bounds, with sizes of the comparison exam marked as prior.
//!
//! [`find_sizes`] is reusable: any extractor that needs sizes (lesions, tumour sizes,
//! margins) calls it and reads the folded spans.

use super::scan::{self, Hit};
use super::Ctx;

/// The unit right after a number (after at most one space): its factor to mm and the
/// length read, when the unit ends its word.
fn unit_after(rest: &str) -> Option<(f64, usize)> {
    let lead = usize::from(rest.starts_with(' '));
    let body = rest.get(lead..)?;
    let factor = if body.starts_with("mm") {
        1.0
    } else if body.starts_with("cm") {
        10.0
    } else {
        return None;
    };
    let len = lead + 2;
    scan::word_boundary(rest, len).then_some((factor, len))
}

/// A sign that bounds a size from below or above at the end of `before` (one space may
/// follow it): `Below` for "<", "≤", "<=", `Above` for ">", "≥", ">=".
fn sign_before(before: &str) -> Option<Bound> {
    let t = before.strip_suffix(' ').unwrap_or(before);
    if t.ends_with(['<', '≤']) || t.ends_with("<=") {
        Some(Bound::Below)
    } else if t.ends_with(['>', '≥']) || t.ends_with(">=") {
        Some(Bound::Above)
    } else {
        None
    }
}

/// Largest plausible size of a finding, in mm.
const MAX_MM: f64 = 400.0;

/// How a size is bounded in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    /// The size as measured ("2,3 x 1,8 cm").
    Exact,
    /// An upper bound that is the size of the largest ("tot 4 cm", "max. 12 mm").
    Upper,
    /// A range ("2-3 cm", "van 5 tot 12 mm"); the largest value is kept.
    Range,
    /// Larger than the value ("> 5 cm").
    Above,
    /// Smaller than the value ("< 1 cm"): no size.
    Below,
}

/// One size read from the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// Start in the folded text.
    pub fstart: usize,
    /// End in the folded text.
    pub fend: usize,
    /// Dimensions in mm, as written (a range gives its upper value).
    pub dims: Vec<f64>,
    /// The largest dimension in mm.
    pub max: f64,
    /// How the size is bounded.
    pub bound: Bound,
    /// True when the size is that of the comparison exam ("voorheen 18 mm").
    pub prior: bool,
}

impl Measurement {
    /// True when the size can stand as the current size of a finding.
    pub fn is_current_size(&self) -> bool {
        !self.prior && self.bound != Bound::Below
    }
}

/// A number found in the text, with its unit if one follows.
#[derive(Debug, Clone, Copy)]
struct Num {
    start: usize,
    end: usize,
    value: f64,
    unit: Option<f64>,
    /// End including the unit.
    tail: usize,
}

/// How two numbers are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Join {
    Times,
    Range,
    List,
}

/// Every size in the report, in text order.
pub fn find_sizes(ctx: &Ctx) -> Vec<Measurement> {
    let folded = ctx.folded();
    let nums: Vec<Num> = numbers(folded)
        .into_iter()
        .filter(|n| scan::hit_before(ctx, n.start, "segment_cue").is_none())
        .collect();
    if nums.is_empty() {
        return Vec::new();
    }
    let cues = Cues {
        size: scan::hits(ctx, "size_cue"),
        time: scan::hits(ctx, "time_cue"),
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < nums.len() {
        let mut chain = vec![nums[i]];
        let mut joins = Vec::new();
        let mut j = i + 1;
        while j < nums.len() {
            let prev = chain[chain.len() - 1];
            match join(ctx, &prev, nums[j].start) {
                Some(k) => {
                    joins.push(k);
                    chain.push(nums[j]);
                    j += 1;
                }
                None => break,
            }
        }
        i = j;
        // "12 en 15 mm", "9, 11 and 13 mm": one size each, with the unit written last.
        let unit = chain.last().and_then(|n| n.unit);
        let mut start = 0;
        for k in 0..=joins.len() {
            if k < joins.len() && joins[k] != Join::List {
                continue;
            }
            let mut part: Vec<Num> = chain[start..=k].to_vec();
            if let Some(last) = part.last_mut() {
                if last.unit.is_none() {
                    last.unit = unit;
                }
            }
            if let Some(m) = measurement(ctx, &cues, &part, &joins[start..k]) {
                out.push(m);
            }
            start = k + 1;
        }
    }
    mark_prior(ctx, &cues, &mut out);
    out
}

/// The size and time cues of a report, read once.
struct Cues<'a> {
    size: Vec<Hit<'a>>,
    time: Vec<Hit<'a>>,
}

/// Numbers that are not part of a word ("t2", "s7", "ck20", "lr-5").
fn numbers(folded: &str) -> Vec<Num> {
    let bytes = folded.as_bytes();
    let mut out = Vec::new();
    for (s, e) in scan::decimal_numbers(folded) {
        let before = s.checked_sub(1).and_then(|p| bytes.get(p)).copied();
        let after_times =
            before == Some(b'x') && s >= 2 && bytes.get(s - 2).is_some_and(|b| b.is_ascii_digit());
        if !after_times && before.is_some_and(|b| b.is_ascii_alphabetic() || b == b'.' || b == b',')
        {
            continue;
        }
        if before == Some(b'-')
            && s >= 2
            && bytes.get(s - 2).is_some_and(|b| b.is_ascii_alphabetic())
        {
            continue;
        }
        if bytes.get(e).is_some_and(|b| b.is_ascii_alphabetic())
            && !folded[e..].starts_with("mm")
            && !folded[e..].starts_with("cm")
            && !folded[e..].starts_with('x')
        {
            continue;
        }
        let Ok(value) = folded[s..e].replace(',', ".").parse::<f64>() else {
            continue;
        };
        let (unit, tail) = match unit_after(&folded[e..]) {
            Some((factor, len)) => (Some(factor), e + len),
            None => (None, e),
        };
        out.push(Num {
            start: s,
            end: e,
            value,
            unit,
            tail,
        });
    }
    out
}

/// How the text between two numbers joins them, if it does.
fn join(ctx: &Ctx, prev: &Num, to: usize) -> Option<Join> {
    let from = prev.tail;
    let without_unit = prev.unit.is_none();
    let gap = ctx.folded().get(from..to)?;
    if without_unit && scan::lone_sign(gap, b",", false) {
        return Some(Join::List);
    }
    if scan::lone_sign(gap, b"x*", true) {
        return Some(Join::Times);
    }
    if scan::lone_sign(gap, b"-", true) {
        return Some(Join::Range);
    }
    if gap.len() > 14 || gap.trim().is_empty() {
        return None;
    }
    let hit = scan::hit_at(ctx, from, "conjunction")?;
    if scan::skip_spaces(ctx.folded(), hit.end) != to {
        return None;
    }
    match hit.attr("role") {
        Some("by") => Some(Join::Times),
        Some("range") => Some(Join::Range),
        Some("and" | "or") if without_unit => Some(Join::List),
        _ => None,
    }
}

/// Turns a chain of joined numbers into a measurement (None when it is no size).
fn measurement(ctx: &Ctx, cues: &Cues, chain: &[Num], joins: &[Join]) -> Option<Measurement> {
    let first = chain.first()?;
    let last = chain.last()?;
    let last_unit = last.unit?;
    let folded = ctx.folded();
    let before = &folded[..first.start];
    if before
        .strip_suffix(' ')
        .unwrap_or(before)
        .ends_with(['x', '*'])
    {
        return None; // "1.: x 0.8 cm": the first dimension is unreadable
    }
    // Units propagate backward to numbers written without one ("2,3 x 1,8 cm").
    let mut mm = Vec::with_capacity(chain.len());
    let mut unit = last_unit;
    for n in chain.iter().rev() {
        if let Some(u) = n.unit {
            unit = u;
        }
        mm.push(n.value * unit);
    }
    mm.reverse();
    let changing = joins.contains(&Join::Range) && change_cue_before(ctx, cues, first.start);
    let mut dims = Vec::new();
    let mut bound = Bound::Exact;
    let mut k = 0;
    while k < mm.len() {
        let mut v = mm[k];
        while k < joins.len() && joins[k] == Join::Range {
            k += 1;
            v = if changing { mm[k] } else { v.max(mm[k]) };
            if !changing {
                bound = Bound::Range;
            }
        }
        dims.push(v);
        k += 1;
    }
    if dims.iter().any(|&d| d <= 0.0 || d > MAX_MM) {
        return None;
    }
    if let Some(b) = bound_before(ctx, cues, first.start) {
        bound = b;
    }
    let max = dims.iter().copied().fold(0.0, f64::max);
    Some(Measurement {
        fstart: first.start,
        fend: last.tail.max(last.end),
        dims,
        max,
        bound,
        prior: false,
    })
}

/// A bounding sign or word right before a size.
fn bound_before(ctx: &Ctx, cues: &Cues, pos: usize) -> Option<Bound> {
    let before = &ctx.folded()[..pos];
    if let Some(b) = sign_before(before) {
        return Some(b);
    }
    let hit = cues
        .size
        .iter()
        .rev()
        .find(|h| h.end <= pos && pos - h.end <= 16)?;
    if scan::tokens_between(ctx, hit.end, pos) > 1
        || ctx.folded()[hit.end..pos].contains([',', ';'])
    {
        return None;
    }
    match hit.attr("role") {
        Some("below") => Some(Bound::Below),
        Some("above") => Some(Bound::Above),
        Some("upper") => Some(Bound::Upper),
        _ => None,
    }
}

/// True when a change cue ("toegenomen", "increased") stands earlier in the sentence:
/// then "van 18 naar 23 mm" gives the new size, not the largest.
fn change_cue_before(ctx: &Ctx, cues: &Cues, pos: usize) -> bool {
    let lo = ctx
        .doc
        .sentence_at(pos)
        .and_then(|i| ctx.doc.sentences.get(i))
        .map_or(0, |s| s.fstart);
    cues.time
        .iter()
        .any(|h| h.start >= lo && h.end <= pos && h.attr("role") == Some("change"))
}

/// Marks the sizes that belong to the comparison exam: the first size right after a prior
/// cue ("voorheen 18 mm", "(was 2.1 cm)"), or the size right before a cue that ends its
/// clause ("18 mm previously").
fn mark_prior(ctx: &Ctx, cues: &Cues, sizes: &mut [Measurement]) {
    if sizes.is_empty() {
        return;
    }
    let cues = &cues.time;
    let currents: Vec<&Hit> = cues
        .iter()
        .filter(|h| h.attr("role") == Some("current"))
        .collect();
    for cue in cues.iter().filter(|h| h.attr("role") == Some("prior")) {
        let after = sizes.iter().position(|m| m.fstart >= cue.end);
        let forward = after.filter(|&i| {
            let m = &sizes[i];
            scan::tokens_between(ctx, cue.end, m.fstart) <= 3
                && !clause_break(ctx, cue.end, m.fstart)
                && !currents
                    .iter()
                    .any(|c| c.start >= cue.end && c.end <= m.fstart)
        });
        if let Some(i) = forward {
            sizes[i].prior = true;
            continue;
        }
        let before = sizes.iter().rposition(|m| m.fend <= cue.start);
        if let Some(i) = before {
            let m = &sizes[i];
            let near = scan::tokens_between(ctx, m.fend, cue.start) <= 3
                && !clause_break(ctx, m.fend, cue.start);
            if near && ends_clause_soon(ctx, cue.end) {
                sizes[i].prior = true;
            }
        }
    }
}

/// A comma, semicolon or sentence end between two positions.
fn clause_break(ctx: &Ctx, from: usize, to: usize) -> bool {
    let Some(gap) = ctx.folded().get(from..to) else {
        return true;
    };
    gap.contains([',', ';'])
        || gap.contains(". ")
        || ctx.doc.sentence_at(from) != ctx.doc.sentence_at(to)
}

/// True when the clause ends within one word after `pos`.
fn ends_clause_soon(ctx: &Ctx, pos: usize) -> bool {
    let rest = ctx.folded().get(pos..).unwrap_or("");
    let mut words = 0;
    for (i, c) in rest.char_indices() {
        if matches!(c, ',' | ';' | '.' | ')' | '\n') {
            return words <= 1 && i < 30;
        }
        if c == ' ' {
            words += 1;
            if words > 3 {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::scan::testing::with_ctx;
    use crate::record::Language::{En, Nl};

    fn sizes(text: &str, lang: crate::record::Language) -> Vec<(Vec<f64>, bool, Bound)> {
        with_ctx(text, lang, |ctx| {
            find_sizes(ctx)
                .into_iter()
                .map(|m| (m.dims, m.prior, m.bound))
                .collect()
        })
    }

    fn current_max(text: &str, lang: crate::record::Language) -> Vec<f64> {
        with_ctx(text, lang, |ctx| {
            find_sizes(ctx)
                .into_iter()
                .filter(|m| m.is_current_size())
                .map(|m| m.max)
                .collect()
        })
    }

    #[test]
    fn decimal_comma_and_point_in_mm() {
        assert_eq!(current_max("laesie van 2,3 cm", Nl), [23.0]);
        assert_eq!(current_max("a 2.3 cm lesion", En), [23.0]);
        assert_eq!(current_max("laesie van 12 mm", Nl), [12.0]);
    }

    #[test]
    fn multi_dimensional_sizes() {
        assert_eq!(sizes("2,3 x 1,8 cm", Nl)[0].0, [23.0, 18.0]);
        assert_eq!(sizes("23x18mm", Nl)[0].0, [23.0, 18.0]);
        assert_eq!(sizes("2.3 × 1.8 × 1.5 cm", En)[0].0, [23.0, 18.0, 15.0]);
        assert_eq!(sizes("2,3 bij 1,8 cm", Nl)[0].0, [23.0, 18.0]);
        assert_eq!(sizes("23 mm x 18 mm", Nl)[0].0, [23.0, 18.0]);
    }

    #[test]
    fn ranges_and_bounds() {
        assert_eq!(current_max("2-3 cm", Nl), [30.0]);
        assert_eq!(current_max("van 5 tot 12 mm", Nl), [12.0]);
        assert_eq!(current_max("tot 4 cm", Nl), [40.0]);
        assert_eq!(current_max("up to 4 cm", En), [40.0]);
        assert_eq!(current_max("max. 12 mm", Nl), [12.0]);
        assert_eq!(sizes("max. 12 mm", Nl)[0].2, Bound::Upper);
        assert!(current_max("< 1 cm", Nl).is_empty());
        assert!(current_max("kleiner dan 1 cm", Nl).is_empty());
        assert!(current_max("subcentimetrisch", Nl).is_empty());
    }

    #[test]
    fn prior_sizes_are_marked() {
        assert_eq!(current_max("thans 23 mm (voorheen 18 mm)", Nl), [23.0]);
        assert_eq!(current_max("now 2.8 cm, previously 2.1 cm", En), [28.0]);
        assert_eq!(
            current_max("measuring 2.8 cm (2.1 cm previously)", En),
            [28.0]
        );
        assert_eq!(current_max("afgenomen van 23 naar 18 mm", Nl), [18.0]);
        assert_eq!(
            current_max("laesie van 23 mm (voorheen niet zichtbaar)", Nl),
            [23.0]
        );
    }

    #[test]
    fn numbers_without_units_or_garbled_are_no_sizes() {
        assert!(current_max("(IMA 3-28)", Nl).is_empty());
        assert!(current_max("serie 4 beeld 112", Nl).is_empty());
        assert!(current_max("1.: x 0.8 cm", En).is_empty());
        assert!(current_max("T2 hyperintens, LR-5", Nl).is_empty());
    }
}
