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
    scan::hits(ctx, "pattern")
        .into_iter()
        .filter_map(|h| {
            let pattern = Pattern::from_code(h.attr("pattern")?)?;
            let negated =
                assertion::qualify(ctx, h.start, h.end).assertion.presence == Presence::Absent;
            Some(PatternMention {
                fstart: h.start,
                fend: h.end,
                pattern,
                negated,
                rule: h.entry.rule(),
            })
        })
        .collect()
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
