//! Histological type and whether the report proves a liver metastasis.

use super::cues::{negated_before, tokens_between, Cue, Cues};
use crate::extract::Ctx;
use crate::record::{Histology, MetastasisStatus};

/// The histology read, with the cue that gave it.
#[derive(Debug, Clone)]
pub struct HistologyFinding {
    /// The type.
    pub histology: Histology,
    /// Folded range of the evidence.
    pub span: (usize, usize),
    /// The rule.
    pub rule: String,
    /// True when the type itself is hedged ("suspicious for adenocarcinoma").
    pub hedged: bool,
}

fn code(s: &str) -> Option<Histology> {
    Some(match s {
        "hcc" => Histology::Hcc,
        "colorectal_adenocarcinoma" => Histology::ColorectalAdenocarcinoma,
        "adenocarcinoma" => Histology::Adenocarcinoma,
        "cholangiocarcinoma" => Histology::Cholangiocarcinoma,
        "neuroendocrine" => Histology::Neuroendocrine,
        "melanoma" => Histology::Melanoma,
        "other" => Histology::Other,
        _ => return None,
    })
}

/// Sections that tell the history or the question, not the finding.
fn background_section(ctx: &Ctx, sentence: usize) -> bool {
    matches!(ctx.doc.section_name(sentence), "clinical" | "indication")
}

/// True when a cue is affirmed: not negated, not in the clinical question or history,
/// not about lymph nodes or distant sites.
fn affirmed(ctx: &Ctx, cues: &Cues, c: &Cue) -> bool {
    !background(ctx, cues, c) && !negated_before(ctx, cues, c.start, 4)
}

/// True when a cue stands in the clinical history or question.
fn background(ctx: &Ctx, cues: &Cues, c: &Cue) -> bool {
    let sentence = ctx.doc.sentence_at(c.start).unwrap_or(0);
    background_section(ctx, sentence)
        || cues
            .iter()
            .any(|b| b.cue == "background" && b.sentence == c.sentence)
}

/// True when the cue's sentence speaks of lymph nodes.
fn about_nodes(cues: &Cues, c: &Cue) -> bool {
    cues.iter()
        .any(|o| o.sentence == c.sentence && o.cue == "node")
}

/// Rank of a specific type over a general one.
fn rank(h: Histology, generic: bool) -> u32 {
    if generic {
        return 0;
    }
    match h {
        Histology::Other => 1,
        Histology::Adenocarcinoma => 2,
        _ => 3,
    }
}

/// Reads the histological type.
pub fn read(ctx: &Ctx, cues: &Cues) -> Option<HistologyFinding> {
    let mut best: Option<(u32, u32, HistologyFinding)> = None;
    for c in cues.iter().filter(|c| c.cue == "histology") {
        let Some(mut h) = c.entry.attr("histology").and_then(code) else {
            continue;
        };
        if !affirmed(ctx, cues, c) {
            continue;
        }
        let generic = c.entry.attr("generic") == Some("yes");
        let mut span = (c.start, c.end);
        let mut rule = c.rule();
        if h == Histology::Adenocarcinoma {
            // The origin may be stated in the same sentence or in a comment on the panel.
            let origin = cues.iter().find(|o| {
                o.cue == "origin"
                    && !background(ctx, cues, o)
                    && !negated_before(ctx, cues, o.start, 4)
            });
            if let Some(o) = origin {
                h = Histology::ColorectalAdenocarcinoma;
                span = (span.0.min(o.start), span.1.max(o.end));
                rule = format!("{rule} + {}", o.rule());
            }
        }
        // Conclusions and diagnoses outrank descriptions.
        let weight = match ctx.doc.section_name(c.sentence) {
            "conclusion" | "diagnosis" => 2,
            _ => 1,
        };
        let r = rank(h, generic);
        let better = match &best {
            None => true,
            Some((br, bw, _)) => r > *br || (r == *br && weight > *bw),
        };
        if better {
            let hedged = cues.iter().any(|o| {
                o.cue == "hedge"
                    && o.sentence == c.sentence
                    && o.end <= c.start
                    && o.entry.attr("direction") != Some("backward")
                    && tokens_between(ctx, o.end, c.start) <= 6
            });
            best = Some((
                r,
                weight,
                HistologyFinding {
                    histology: h,
                    span,
                    rule,
                    hedged,
                },
            ));
        }
    }
    best.map(|(_, _, f)| f)
}

/// Liver metastasis status of a pathology report, with the evidence span and rule.
pub fn metastasis(
    ctx: &Ctx,
    cues: &Cues,
    histology: Option<&HistologyFinding>,
) -> Option<(MetastasisStatus, (usize, usize), String)> {
    if let Some(h) = histology {
        match h.histology {
            Histology::Hcc | Histology::Cholangiocarcinoma => return None,
            Histology::ColorectalAdenocarcinoma | Histology::Melanoma => {
                return Some((
                    MetastasisStatus::Present,
                    h.span,
                    format!("{} + pathology:metastatic-type", h.rule),
                ));
            }
            _ => {}
        }
    }
    let mut hedged = None;
    let mut negated = None;
    for c in cues.iter().filter(|c| c.cue == "metastasis") {
        let benign = cues
            .iter()
            .any(|b| b.cue == "benign" && b.sentence == c.sentence);
        if background(ctx, cues, c) || about_nodes(cues, c) || benign {
            continue;
        }
        if negated_before(ctx, cues, c.start, 4) {
            negated.get_or_insert((c.start, c.end, c.rule()));
            continue;
        }
        // "a previously biopsied metastasis": history, not the finding.
        if cues.iter().any(|h| {
            h.cue == "history"
                && h.sentence == c.sentence
                && h.end <= c.start
                && tokens_between(ctx, h.end, c.start) <= 3
        }) {
            continue;
        }
        let hedge = cues.iter().any(|o| {
            let dir = o.entry.attr("direction").unwrap_or("forward");
            let before =
                o.end <= c.start && dir != "backward" && tokens_between(ctx, o.end, c.start) <= 6;
            let after = o.start >= c.end
                && matches!(dir, "backward" | "bidirectional")
                && tokens_between(ctx, c.end, o.start) <= 6;
            o.cue == "hedge" && o.sentence == c.sentence && (before || after)
        });
        // Once the tumour type is established, "favor ... primary" hedges the origin, not
        // the metastasis.
        if hedge && histology.is_none_or(|h| h.hedged) {
            hedged.get_or_insert((c.start, c.end, c.rule()));
            continue;
        }
        return Some((MetastasisStatus::Present, (c.start, c.end), c.rule()));
    }
    if let Some((s, e, r)) = hedged {
        return Some((MetastasisStatus::Suspected, (s, e), r));
    }
    if histology.is_none() {
        // "geen maligniteit", "geen vitale tumor", "no carcinoma".
        let negated_tumour = cues.iter().find(|c| {
            matches!(c.cue, "histology" | "tumour")
                && !background(ctx, cues, c)
                && negated_before(ctx, cues, c.start, 4)
        });
        if let Some(c) = negated_tumour {
            negated.get_or_insert((c.start, c.end, c.rule()));
        }
        if let Some((s, e, r)) = negated {
            return Some((MetastasisStatus::Absent, (s, e), r));
        }
        if let Some(b) = cues
            .iter()
            .find(|c| c.cue == "benign" && !background(ctx, cues, c))
        {
            return Some((MetastasisStatus::Absent, (b.start, b.end), b.rule()));
        }
    }
    None
}
