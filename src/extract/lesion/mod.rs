//! Liver lesions: kind, grouping of size, count, segments and patterns per lesion, merging
//! of repeated mentions.
//!
//! The work is done in three steps, one module each: [`mention`] reads the lesion words
//! and decides which belong to another organ; [`group`] builds lesion groups sentence by
//! sentence and attaches sizes, counts, segments, lobes and patterns; [`merge`] joins the
//! same lesion named twice (findings and conclusion) and folds itemised lesions into an
//! explicit total. The result is written as [`crate::record::Lesion`]s with evidence.

pub mod group;
pub mod mention;
pub mod merge;

use super::{Ctx, Extraction};
use serde_json::Value;

use crate::record::{Count, Evidence, Lesion, LesionKind, Lobe, Pattern, Presence, Segment, Size};
use crate::record_names::name_array;

pub use group::Group;
pub use mention::Kind;

/// Rule prefix of the evidence that a lesion lies in both lobes ("beide leverkwabben").
pub const BOTH_LOBES_RULE: &str = "location:both-lobes";
/// [`BOTH_LOBES_RULE`] as written before the rule of the lobe mention.
const BOTH_LOBES_PREFIX: &str = "location:both-lobes: ";

/// Reads the liver lesions of the report into `out.lesions`, with a fact for each.
pub fn extract(ctx: &Ctx, out: &mut Extraction) {
    let groups = group::build(ctx);
    let groups = merge::merge(ctx, groups);
    for g in groups {
        if g.drop_as_new_only() {
            continue;
        }
        let lesion = to_lesion(ctx, &g);
        out.facts.reserve(1 + lesion.evidence.len());
        out.facts.push(ctx.fact(
            "lesion",
            kind_and_presence(&lesion),
            g.anchor().0,
            g.anchor().1,
            g.anchor_rule(),
        ));
        for e in &lesion.evidence {
            if let Some((field, value)) = fact_of(&lesion, e) {
                out.facts.push(crate::record::Fact {
                    field: field.into(),
                    value,
                    evidence: e.clone(),
                });
            }
        }
        out.lesions.push(lesion);
    }
}

/// The record of one group.
fn to_lesion(ctx: &Ctx, g: &Group) -> Lesion {
    let size = g.largest_size().map(|m| Size {
        dims: m.dims.clone(),
        max: m.max,
    });
    let segments = g.segments();
    let lobe = g.lobe();
    let mut evidence: Vec<Evidence> = Vec::with_capacity(
        g.heads.len()
            + usize::from(g.count.is_some())
            + g.sizes.len()
            + g.segment_mentions.len()
            + g.lobe_mentions.len()
            + usize::from(g.new_only)
            + g.patterns.len(),
    );
    // Rules with a prefix are put together in one reused buffer, then copied once into
    // the evidence.
    let mut rule = String::new();
    for h in &g.heads {
        evidence.push(ctx.evidence(h.start, h.end, h.rule.as_str()));
    }
    if let Some(c) = &g.count {
        evidence.push(ctx.evidence(c.fstart, c.fend, prefixed(&mut rule, "count: ", &c.rule)));
    }
    for m in &g.sizes {
        evidence.push(ctx.evidence(m.fstart, m.fend, "measure:size"));
    }
    for s in &g.segment_mentions {
        evidence.push(ctx.evidence(s.fstart, s.fend, prefixed(&mut rule, "segment: ", &s.rule)));
    }
    // "Drie laesies in de rechterkwab en twee in segment 3": one group, both lobes.
    let placed: Vec<Lobe> = g
        .lobe_mentions
        .iter()
        .flat_map(|l| l.lobes.iter().copied())
        .chain(segments.iter().map(|s| s.lobe()))
        .collect();
    let spans_both = placed.contains(&Lobe::Left) && placed.contains(&Lobe::Right);
    for l in &g.lobe_mentions {
        let r = if l.both || spans_both {
            ctx.evidence(
                l.fstart,
                l.fend,
                prefixed(&mut rule, BOTH_LOBES_PREFIX, &l.rule),
            )
        } else {
            ctx.evidence(l.fstart, l.fend, prefixed(&mut rule, "lobe: ", &l.rule))
        };
        evidence.push(r);
    }
    if g.new_only {
        if let Some(h) = g.heads.first() {
            evidence.push(ctx.evidence(
                h.start,
                h.end,
                prefixed(&mut rule, NEW_LESION_PREFIX, &h.rule),
            ));
        }
    }
    for p in &g.patterns {
        evidence.push(ctx.evidence(p.fstart, p.fend, prefixed(&mut rule, "pattern: ", &p.rule)));
    }
    evidence.sort_by_key(|e| (e.start, e.end));
    evidence.dedup_by(|a, b| a.start == b.start && a.end == b.end && a.rule == b.rule);
    let count = if g.assertion.presence == Presence::Absent {
        None
    } else {
        Some(g.count_value())
    };
    Lesion {
        kind: g.kind.output(),
        count,
        size_mm: size,
        segments,
        lobe,
        patterns: g.pattern_codes(),
        assertion: g.assertion,
        evidence,
    }
}

/// `prefix` and `base` written into `buf`, which is reused from rule to rule.
fn prefixed<'b>(buf: &'b mut String, prefix: &str, base: &str) -> &'b str {
    buf.clear();
    buf.push_str(prefix);
    buf.push_str(base);
    buf.as_str()
}

/// The value of a lesion's own fact: `{"kind": ..., "presence": ...}`.
fn kind_and_presence(lesion: &Lesion) -> Value {
    let mut m = serde_json::Map::new();
    m.insert("kind".to_string(), lesion.kind.as_str().into());
    m.insert(
        "presence".to_string(),
        lesion.assertion.presence.as_str().into(),
    );
    Value::Object(m)
}

/// The fact an evidence item of a lesion supports.
fn fact_of(lesion: &Lesion, e: &Evidence) -> Option<(&'static str, Value)> {
    let r = e.rule.as_str();
    if r.starts_with("measure:") {
        return Some(("size", serde_json::json!(lesion.size_mm)));
    }
    if r.starts_with("segment:") {
        return Some(("segments", name_array(&lesion.segments, Segment::as_str)));
    }
    if r.starts_with("pattern:") {
        return Some(("patterns", name_array(&lesion.patterns, Pattern::as_str)));
    }
    if r.starts_with("count:") {
        return Some(("lesion_count", serde_json::json!(lesion.count)));
    }
    if r.starts_with("lobe:") || r.starts_with(BOTH_LOBES_RULE) {
        return Some((
            "lobes",
            lesion.lobe.map_or(Value::Null, |l| l.as_str().into()),
        ));
    }
    None
}

/// Rule of the evidence that a lesion is new on this exam ("nieuwe laesie").
pub const NEW_LESION_RULE: &str = "novelty:new";
/// [`NEW_LESION_RULE`] as written before the rule of the lesion word.
const NEW_LESION_PREFIX: &str = "novelty:new: ";

/// True when the evidence says the lesion is new on this exam.
pub fn is_new(lesion: &Lesion) -> bool {
    lesion
        .evidence
        .iter()
        .any(|e| e.rule.starts_with(NEW_LESION_RULE))
}

/// True for kinds that are suspected or proven malignant.
pub fn is_malignant(kind: LesionKind) -> bool {
    matches!(kind, LesionKind::Metastasis | LesionKind::Hcc)
}

/// True for benign kinds.
pub fn is_benign(kind: LesionKind) -> bool {
    matches!(
        kind,
        LesionKind::Cyst
            | LesionKind::Hemangioma
            | LesionKind::Fnh
            | LesionKind::Adenoma
            | LesionKind::Abscess
    )
}

/// Adds two counts: exact when both are exact, a lower bound otherwise.
pub fn add_counts(a: Count, b: Count) -> Count {
    match (a, b) {
        (Count::Value(x), Count::Value(y)) => Count::Value(x + y),
        _ => Count::AtLeast(a.number() + b.number()),
    }
}

/// True when the evidence says the lesions lie in both lobes.
pub fn in_both_lobes(lesion: &Lesion) -> bool {
    lesion
        .evidence
        .iter()
        .any(|e| e.rule.starts_with(BOTH_LOBES_RULE))
}

/// The lobes of a lesion: its stated lobe, both lobes, or those of its segments.
pub fn lobes_of(lesion: &Lesion) -> Vec<Lobe> {
    let mut lobes: Vec<Lobe> = lesion.segments.iter().map(|s| s.lobe()).collect();
    lobes.extend(lesion.lobe);
    if in_both_lobes(lesion) {
        lobes.extend([Lobe::Left, Lobe::Right]);
    }
    lobes.sort();
    lobes.dedup();
    lobes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_prefixes_spell_their_rules() {
        assert_eq!(BOTH_LOBES_PREFIX, format!("{BOTH_LOBES_RULE}: "));
        assert_eq!(NEW_LESION_PREFIX, format!("{NEW_LESION_RULE}: "));
        let mut buf = String::from("old");
        assert_eq!(prefixed(&mut buf, "lobe: ", "x"), "lobe: x");
    }
}
