//! Time cues: the disease-free interval and LI-RADS threshold growth.

use crate::lexicon::{Entry, LexMatch};
use crate::record::Presence;
use crate::staging::facts::{self as f, Bound, GrowthValue, IntervalValue};

use super::super::{Ctx, Extraction};
use super::{assess, cues_in, floor_boundary, patterns, push, sentence, Cues};

/// How far after a disease-free-interval cue its number may stand (folded bytes).
const INTERVAL_REACH: usize = 60;
/// LI-RADS threshold growth: at least this much (percent) ...
const GROWTH_PERCENT: f64 = 50.0;
/// ... in at most this many months.
const GROWTH_MONTHS: f64 = 6.0;

/// A duration found after `from`: months, bound, and the folded end of the unit.
pub(super) fn duration_after(
    ctx: &Ctx,
    cues: Cues,
    from: usize,
    to: usize,
) -> Option<(f64, Bound, usize)> {
    let folded = ctx.folded();
    let window = folded.get(from..to)?;
    let re = &patterns()?.number;
    for c in re.captures_iter(window) {
        let (Some(all), Some(num)) = (c.get(0), c.get(2)) else {
            continue;
        };
        let num_end = from + num.end();
        let Some((um, ue)) = cues
            .iter()
            .find(|(u, ue)| {
                ue.attr("cue") == Some("time_unit") && u.start >= num_end && u.start <= num_end + 1
            })
            .map(|(u, ue)| (*u, *ue))
        else {
            continue;
        };
        let Ok(n) = num.as_str().replace(',', ".").parse::<f64>() else {
            continue;
        };
        let per: f64 = ue
            .attr("months")
            .and_then(|x| x.parse().ok())
            .unwrap_or(1.0);
        let num_start = from + all.start();
        let sign = c.get(1).map(|s| s.as_str());
        let word = cues
            .iter()
            .find(|(w, we)| {
                we.attr("cue") == Some("comparator")
                    && w.end <= num_start + 1
                    && w.end + 2 >= num_start
            })
            .and_then(|(_, we)| we.attr("bound"));
        let bound = match (sign, word) {
            (Some("<" | "<=" | "≤"), _) | (None, Some("below")) => Bound::Below,
            (Some(">" | ">=" | "≥"), _) | (None, Some("above")) => Bound::Above,
            _ => Bound::Exact,
        };
        return Some((n * per, bound, um.end));
    }
    None
}

pub(super) fn interval(ctx: &Ctx, cues: Cues, i: usize, out: &mut Extraction) {
    let Some(&(m, e)) = cues.get(i) else { return };
    let (_, hi) = sentence(ctx, m.start);
    let to = floor_boundary(ctx.folded(), hi.min(m.end + INTERVAL_REACH));
    let Some((months, bound, end)) = duration_after(ctx, cues, m.end, to) else {
        return;
    };
    let q = assess(ctx, cues, m);
    if q.assertion.presence != Presence::Present {
        return;
    }
    let v = IntervalValue {
        months: (months * 10.0).round() / 10.0,
        bound,
    };
    push(ctx, out, f::DISEASE_FREE_INTERVAL, &v, m.start, end, e, &q);
}

/// Growth of at least 50% in at most 6 months, stated as numbers in one sentence.
pub(super) fn growth(ctx: &Ctx, cues: Cues, m: LexMatch, e: &Entry, out: &mut Extraction) {
    let (lo, hi) = sentence(ctx, m.start);
    // One fact per sentence: only the first growth cue of the sentence reads it.
    if cues_in(cues, lo, m.start, "growth").next().is_some() {
        return;
    }
    let folded = ctx.folded();
    let Some(window) = folded.get(m.end..hi) else {
        return;
    };
    let Some(re) = patterns().map(|p| &p.percent) else {
        return;
    };
    let Some(pct) = re
        .captures_iter(window)
        .filter_map(|c| {
            c.get(1).map(|p| {
                (
                    p.as_str().replace(',', ".").parse::<f64>().unwrap_or(0.0),
                    m.end + c.get(0).map_or(0, |a| a.end()),
                )
            })
        })
        .find(|(p, _)| *p >= GROWTH_PERCENT)
    else {
        return;
    };
    let Some((months, bound, end)) = duration_after(ctx, cues, m.end, hi) else {
        return;
    };
    let in_time = match bound {
        Bound::Exact | Bound::Below => months <= GROWTH_MONTHS,
        Bound::Above => false,
    };
    if !in_time {
        return;
    }
    push_threshold_growth(ctx, cues, m, end.max(pct.1), e, out);
}

/// The fact that the tumour grew past the threshold, read from `m.start` to `fend`.
pub(super) fn push_threshold_growth(
    ctx: &Ctx,
    cues: Cues,
    m: LexMatch,
    fend: usize,
    e: &Entry,
    out: &mut Extraction,
) {
    let q = assess(ctx, cues, m);
    let value = GrowthValue {
        assertion: q.assertion,
    };
    push(ctx, out, f::THRESHOLD_GROWTH, &value, m.start, fend, e, &q);
}
