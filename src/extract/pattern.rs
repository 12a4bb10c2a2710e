//! Patterns: enhancement, density, echogenicity, signal and uptake codes, each with the
//! assertion of its context so that negated features ("geen wash-out") can be dropped.

use super::assertion;
use super::scan;
use super::Ctx;
use crate::record::{Pattern, Presence};

/// One pattern phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternMention {
    /// Start in the folded text.
    pub fstart: usize,
    /// End in the folded text.
    pub fend: usize,
    /// The code.
    pub pattern: Pattern,
    /// True when the context negates the feature.
    pub negated: bool,
    /// The lexicon entry.
    pub rule: String,
}

/// Every pattern phrase of the report, in text order.
pub fn find_patterns(ctx: &Ctx) -> Vec<PatternMention> {
    let mut out: Vec<PatternMention> = scan::all_hits(ctx, "pattern")
        .into_iter()
        .filter_map(|h| {
            let pattern = Pattern::from_code(h.attr("pattern")?)?;
            let negated = assertion::assertion_of(ctx, h.start, h.end).presence == Presence::Absent;
            Some(PatternMention {
                fstart: h.start,
                fend: h.end,
                pattern,
                negated,
                rule: h.entry.rule(),
            })
        })
        .collect();
    arterial_hypervascularity(ctx, &mut out);
    out
}

/// A hypervascular lesion in a sentence about the arterial phase ("arterieel
/// hypervasculair", "arteriële fase: hypervasculaire laesie") also enhances arterially.
fn arterial_hypervascularity(ctx: &Ctx, patterns: &mut Vec<PatternMention>) {
    let phases: Vec<_> = scan::hits(ctx, "phase")
        .into_iter()
        .filter(|h| h.attr("phase") == Some("arterial"))
        .collect();
    if phases.is_empty() {
        return;
    }
    let mut added = Vec::new();
    for p in patterns
        .iter()
        .filter(|p| p.pattern == Pattern::Hypervascular)
    {
        let sentence = ctx.doc.sentence_at(p.fstart);
        let Some(phase) = phases
            .iter()
            .find(|h| ctx.doc.sentence_at(h.start) == sentence)
        else {
            continue;
        };
        added.push(PatternMention {
            fstart: p.fstart,
            fend: p.fend,
            pattern: Pattern::ArterialHyperenhancement,
            negated: p.negated,
            rule: format!(
                "pattern:hypervascular-in-arterial-phase ({} + {})",
                phase.entry.rule(),
                p.rule
            ),
        });
    }
    patterns.extend(added);
    patterns.sort_by_key(|p| p.fstart);
}

/// The codes of one lesion: sorted, unique, and rim arterial enhancement as
/// `rim_enhancement` alone.
pub fn normalise(mut patterns: Vec<Pattern>) -> Vec<Pattern> {
    patterns.sort();
    patterns.dedup();
    if patterns.contains(&Pattern::RimEnhancement) {
        patterns.retain(|p| *p != Pattern::ArterialHyperenhancement);
    }
    patterns
}
