//! Resection margins: the smallest tumour-to-margin distance, involvement (0 mm) and the
//! R status (stated, or read from a free or involved margin).

use std::sync::LazyLock;

use regex::Regex;

use super::cues::{tokens_between, Cues};
use super::measures::{Measured, SizeFact};
use crate::extract::Ctx;
use crate::record::Resection;

/// "R0", "R1-resectie", "(R1)".
static R_CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\br\s?([012])\b").expect("R regex"));

/// What the margins of a report say.
#[derive(Debug, Clone, Default)]
pub struct MarginFindings {
    /// Smallest distance in mm and its evidence.
    pub distance: Option<(f64, (usize, usize), String)>,
    /// Resection status and its evidence.
    pub resection: Option<(Resection, (usize, usize), String)>,
}

fn negation_near(ctx: &Ctx, cues: &Cues, lo: usize, hi: usize) -> bool {
    let sentence = cues.clause(ctx, lo);
    cues.near(ctx, lo, hi, 2, 0).iter().any(|c| {
        c.sentence == sentence
            && matches!(c.cue, "negation" | "margin_free")
            && ((c.start >= lo && c.end <= hi)
                || (c.end <= lo && tokens_between(ctx, c.end, lo) <= 2))
    })
}

/// An involved margin: "reikt tot in het snijvlak", "extends to the inked margin",
/// "margin involved", "in het snijvlak".
fn involvement(
    ctx: &Ctx,
    cues: &Cues,
    sizes: &[SizeFact],
) -> Option<((usize, usize), String, bool)> {
    let mut verb: Option<((usize, usize), String, bool)> = None;
    for (i, c) in cues.iter().enumerate() {
        match c.cue {
            "margin_involved" => {
                // "snijvlak positief", "positive margin", "in het snijvlak" (a phrase of its own).
                let own = c.entry.term.split_whitespace().count() > 1;
                let near_margin = cues.near(ctx, c.start, c.end, 3, 1).iter().find(|m| {
                    m.cue == "margin"
                        && m.sentence == c.sentence
                        && (tokens_between(ctx, m.end, c.start) <= 3 && m.end <= c.start
                            || c.end <= m.start && tokens_between(ctx, c.end, m.start) <= 1)
                });
                if own || near_margin.is_some() {
                    let lo = near_margin.map_or(c.start, |m| m.start.min(c.start));
                    if !negation_near(ctx, cues, lo, c.start) {
                        return Some((
                            (lo, c.end.max(near_margin.map_or(0, |m| m.end))),
                            c.rule(),
                            true,
                        ));
                    }
                }
            }
            "involve" => {
                // Cues are in text order: those after the fifth token past `c` are out of reach.
                let last = ctx.doc.token_index(c.end) + 5;
                // The margin may open the next clause after a stray period ("WITH
                // EXTENSION TO. SURGICAL MARGINS").
                let after = cues[i + 1..]
                    .iter()
                    .take_while(|m| m.start < c.end || ctx.doc.token_index(m.start) <= last)
                    .find(|m| {
                        crate::extract::work::step();
                        m.cue == "margin"
                            && tokens_between(ctx, c.end, m.start) <= 5
                            && (m.sentence == c.sentence
                                || ctx.folded().get(c.end..m.start).is_some_and(|g| {
                                    g.trim_start().starts_with('.') && g.matches('.').count() == 1
                                }))
                    });
                // "Parenchymal margin: Tumor present at inked margin": the margin named as
                // the label of the line (within six tokens before `c`).
                let first = ctx.doc.token_index(c.start).saturating_sub(7);
                let label = || {
                    cues[..i]
                        .iter()
                        .rev()
                        .take_while(|m| ctx.doc.token_index(m.end) >= first)
                        .find(|m| {
                            crate::extract::work::step();
                            m.cue == "margin"
                                && m.sentence == c.sentence
                                && m.entry.attr("side").is_none()
                                && tokens_between(ctx, m.end, c.start) <= 6
                                && ctx
                                    .folded()
                                    .get(m.end..c.start)
                                    .is_some_and(|g| g.trim_start().starts_with(':'))
                        })
                };
                let Some(m) = after.or_else(label) else {
                    continue;
                };
                let (lo, hi) = (c.end.min(m.end), c.start.max(m.start));
                // "extends to within 0.1 cm of": a distance, not an involved margin.
                let size_between = sizes.iter().any(|s| {
                    (s.span.0 >= lo && s.span.1 <= hi)
                        || (s.span.0 >= c.end && tokens_between(ctx, c.end, s.span.0) <= 3)
                });
                // The tumour must be what reaches the margin ("tumor extends to", not "parenchyma is exposed at").
                let subject = cues[..i]
                    .iter()
                    .rev()
                    .take_while(|t| t.sentence == c.sentence)
                    .any(|t| t.is_tumour() && !matches!(t.cue, "satellite"));
                if size_between
                    || !subject
                    || negation_near(ctx, cues, c.start, c.start.max(m.start))
                {
                    continue;
                }
                verb.get_or_insert((
                    (c.start.min(m.start), c.end.max(m.end)),
                    format!("{} + {}", c.rule(), m.rule()),
                    false,
                ));
            }
            _ => {}
        }
    }
    verb
}

/// "Surgical resection margin invasion: Yes" (true) / ": no" (false).
fn margin_invasion(ctx: &Ctx, cues: &Cues) -> Option<(bool, (usize, usize), String)> {
    for (i, c) in cues.iter().enumerate() {
        if c.cue != "margin" {
            continue;
        }
        let Some(inv) = cues
            .get(i + 1)
            .filter(|n| n.cue == "invasion" && tokens_between(ctx, c.end, n.start) == 0)
        else {
            continue;
        };
        let Some(ans) = cues.get(i + 2).filter(|n| {
            matches!(n.cue, "affirm" | "negation") && tokens_between(ctx, inv.end, n.start) <= 2
        }) else {
            continue;
        };
        return Some((
            ans.cue == "affirm",
            (c.start, ans.end),
            format!("{} + {} + {}", c.rule(), inv.rule(), ans.rule()),
        ));
    }
    None
}

/// A margin stated free: "snijvlak vrij", "margins negative", "uninvolved".
fn free_statement(ctx: &Ctx, cues: &Cues) -> Option<((usize, usize), String)> {
    for c in cues.iter().filter(|c| c.cue == "margin_free") {
        let m = cues.near(ctx, c.start, c.end, 5, 2).iter().find(|m| {
            m.cue == "margin"
                && m.entry.attr("side").is_none()
                && m.sentence == c.sentence
                && ((m.end <= c.start && tokens_between(ctx, m.end, c.start) <= 5)
                    || (c.end <= m.start && tokens_between(ctx, c.end, m.start) <= 2))
        });
        if let Some(m) = m {
            return Some((
                (m.start.min(c.start), m.end.max(c.end)),
                format!("{} + {}", m.rule(), c.rule()),
            ));
        }
    }
    None
}

/// Reads the margins.
pub fn read(ctx: &Ctx, cues: &Cues, sizes: &[SizeFact]) -> MarginFindings {
    let mut out = MarginFindings::default();
    for s in sizes.iter().filter(|s| s.measured == Measured::Margin) {
        if out.distance.as_ref().is_none_or(|(d, _, _)| s.max_mm < *d) {
            out.distance = Some((s.max_mm, s.span, s.rule.clone()));
        }
    }
    let invasion = margin_invasion(ctx, cues);
    let free = free_statement(ctx, cues);
    let involved = match &invasion {
        Some((true, span, rule)) => Some((*span, rule.clone())),
        Some((false, _, _)) => None,
        // "margin positive" outweighs "margin free"; "the lesion extends to the deep margin"
        // (often a gross impression) gives way to a stated free margin.
        None => match involvement(ctx, cues, sizes) {
            Some((span, rule, explicit)) if explicit || free.is_none() => Some((span, rule)),
            _ => None,
        },
    };
    if let Some((span, rule)) = &involved {
        out.distance = Some((0.0, *span, rule.clone()));
    }
    // A stated R status wins.
    let folded = ctx.folded();
    if let Some(c) = R_CODE.captures(folded) {
        if let (Some(all), Some(d)) = (c.get(0), c.get(1)) {
            let r = match d.as_str() {
                "0" => Resection::R0,
                "1" => Resection::R1,
                _ => Resection::R2,
            };
            out.resection = Some((r, (all.start(), all.end()), "pathology:r-code".into()));
            return out;
        }
    }
    if let Some(c) = cues.iter().find(|c| matches!(c.cue, "r0" | "r1" | "r2")) {
        let r = match c.cue {
            "r0" => Resection::R0,
            "r1" => Resection::R1,
            _ => Resection::R2,
        };
        out.resection = Some((r, (c.start, c.end), c.rule()));
        return out;
    }
    if let Some((span, rule)) = involved {
        out.resection = Some((Resection::R1, span, rule));
    } else if let Some((false, span, rule)) = invasion {
        out.resection = Some((Resection::R0, span, rule));
    } else if let Some((span, rule)) = free {
        out.resection = Some((Resection::R0, span, rule));
    } else if let Some((d, span, rule)) = &out.distance {
        if *d > 0.0 {
            out.resection = Some((Resection::R0, *span, rule.clone()));
        }
    }
    out
}
