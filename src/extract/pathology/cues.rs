//! The pathology cue words of a report, in text order, with their sentence.

use crate::extract::Ctx;
use crate::lexicon::Entry;

/// One cue: a lexicon match of a pathology kind.
#[derive(Debug, Clone)]
pub struct Cue<'a> {
    /// Start in the folded text.
    pub start: usize,
    /// End in the folded text.
    pub end: usize,
    /// `path_cue` value (`tumour`, `margin`, ...), or `histology`, `origin`, `number`,
    /// `negation` for the other kinds.
    pub cue: &'a str,
    /// The entry behind it.
    pub entry: &'a Entry,
    /// Sentence index.
    pub sentence: usize,
}

impl Cue<'_> {
    /// The lexicon rule.
    pub fn rule(&self) -> String {
        self.entry.rule()
    }

    /// True for words that name a tumour (a tumour noun, a histology, a metastasis).
    pub fn is_tumour(&self) -> bool {
        matches!(self.cue, "tumour" | "histology" | "metastasis" | "satellite")
    }
}

/// Collects the cues of a report.
pub fn collect<'a>(ctx: &Ctx<'a>) -> Vec<Cue<'a>> {
    let mut out = Vec::new();
    for m in ctx.matches {
        let sentence = ctx.doc.sentence_at(m.start).unwrap_or(0);
        let mut pick: Option<(&'a str, &'a Entry)> = None;
        for e in ctx.entries(m) {
            let cue = match e.kind.as_str() {
                "histology" => Some("histology"),
                "path_cue" => e.attr("cue"),
                "tumour_origin" => Some("origin"),
                "number_word" => Some("number"),
                "context" if e.attr("category") == Some("NEGATED_EXISTENCE") => Some("negation"),
                "context" if e.attr("category") == Some("POSSIBLE_EXISTENCE") => Some("hedge"),
                _ => None,
            };
            if let Some(c) = cue {
                // Histology wins over a generic cue of the same words.
                if pick.is_none() || c == "histology" {
                    pick = Some((c, e));
                }
            }
        }
        if let Some((cue, entry)) = pick {
            out.push(Cue { start: m.start, end: m.end, cue, entry, sentence });
        }
    }
    out
}

/// Number of tokens between two folded positions.
pub fn tokens_between(ctx: &Ctx, a: usize, b: usize) -> usize {
    if b <= a {
        return 0;
    }
    ctx.doc.token_index(b).saturating_sub(ctx.doc.token_index(a))
}

/// True when a negation cue stands at most `scope` tokens before `pos` in its sentence.
pub fn negated_before(ctx: &Ctx, cues: &[Cue], pos: usize, scope: usize) -> bool {
    let sentence = ctx.doc.sentence_at(pos).unwrap_or(0);
    cues.iter().any(|c| {
        matches!(c.cue, "negation" | "benign") && c.sentence == sentence && c.end <= pos && tokens_between(ctx, c.end, pos) <= scope
    })
}
