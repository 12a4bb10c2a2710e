//! The assertion engine: ConText-style triggers (lexicon data) qualify a span as present,
//! absent or uncertain; current, historical or future; about the patient, family or others.

use crate::lexicon::Entry;
use crate::record::{Assertion, Experiencer, Presence, Temporality};

use super::context::Ctx;

/// The qualifiers of one span and the triggers that set them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Qualified {
    /// The three qualifiers.
    pub assertion: Assertion,
    /// The trigger terms that applied, as written in the lexicon.
    pub rules: Vec<String>,
}

/// A context trigger found in the text.
#[derive(Debug, Clone)]
struct Trigger<'a> {
    start: usize,
    end: usize,
    entry: &'a Entry,
}

impl Trigger<'_> {
    fn category(&self) -> &str {
        self.entry.attr("category").unwrap_or("")
    }
    fn direction(&self) -> &str {
        self.entry.attr("direction").unwrap_or("forward")
    }
    fn max_scope(&self) -> Option<usize> {
        self.entry.attr("max_scope").and_then(|s| s.parse().ok())
    }
}

/// Qualifies the folded range `[fstart, fend)` from the context triggers of its sentence.
pub fn qualify(ctx: &Ctx, fstart: usize, fend: usize) -> Qualified {
    let doc = ctx.doc;
    let (s_lo, s_hi) = match doc.sentence_at(fstart) {
        Some(i) => {
            let s = &doc.sentences[i];
            (s.fstart, s.fend.max(fend))
        }
        None => (0, doc.folded.text.len()),
    };
    let lo = ctx.matches.partition_point(|m| m.end <= s_lo);
    let triggers: Vec<Trigger> = ctx.matches[lo..]
        .iter()
        .take_while(|m| m.start < s_hi)
        .filter_map(|m| {
            ctx.entries(m)
                .find(|e| e.kind == "context")
                .map(|entry| Trigger {
                    start: m.start,
                    end: m.end,
                    entry,
                })
        })
        .collect();
    let mut q = Qualified::default();
    let mut negated = false;
    let mut possible = false;
    for (i, t) in triggers.iter().enumerate() {
        let cat = t.category();
        if matches!(cat, "PSEUDO" | "TERMINATE") {
            continue;
        }
        if t.start < fend && t.end > fstart {
            continue; // a trigger inside the span itself does not qualify it
        }
        let forward = t.end <= fstart && matches!(t.direction(), "forward" | "bidirectional");
        let backward = t.start >= fend && matches!(t.direction(), "backward" | "bidirectional");
        if !forward && !backward {
            continue;
        }
        let (gap_lo, gap_hi) = if forward {
            (t.end, fstart)
        } else {
            (fend, t.start)
        };
        let terminated = triggers.iter().enumerate().any(|(j, o)| {
            j != i && o.category() == "TERMINATE" && o.start >= gap_lo && o.end <= gap_hi
        });
        if terminated {
            continue;
        }
        if let Some(scope) = t.max_scope() {
            let tokens = doc
                .token_index(gap_hi)
                .saturating_sub(doc.token_index(gap_lo));
            if tokens > scope {
                continue;
            }
        }
        match cat {
            "NEGATED_EXISTENCE" => negated = true,
            "POSSIBLE_EXISTENCE" => possible = true,
            "HISTORICAL" => q.assertion.temporality = Temporality::Historical,
            "HYPOTHETICAL" => q.assertion.temporality = Temporality::Future,
            "FAMILY" => q.assertion.experiencer = Experiencer::Family,
            "OTHER_EXPERIENCER" => q.assertion.experiencer = Experiencer::Other,
            _ => continue,
        }
        q.rules.push(t.entry.term.clone());
    }
    q.assertion.presence = if negated {
        Presence::Absent
    } else if possible {
        Presence::Uncertain
    } else {
        Presence::Present
    };
    q
}
