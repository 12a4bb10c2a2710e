//! Extrahepatic disease: site cues, and organ findings that the sentence calls metastases.

use crate::lexicon::{Entry, LexMatch};
use crate::record::Presence;
use crate::staging::facts::{self as f, SiteValue};

use super::super::assertion::qualify;
use super::super::scan::word_end;
use super::super::{Ctx, Extraction};
use super::{assess, cues_in, push, sentence, Cues};

pub(super) fn extrahepatic(ctx: &Ctx, cues: Cues, m: LexMatch, e: &Entry, out: &mut Extraction) {
    let site = e.attr("site").unwrap_or("unspecified");
    if site == "lymph_nodes" {
        // Nodes in the hepatoduodenal ligament (liver hilum) are regional to the liver, and
        // locoregional nodes of the primary (perirectal, mesorectal, ...) go with the
        // primary: neither is extrahepatic disease unless the sentence says "outside".
        let (lo, hi) = sentence(ctx, m.start);
        let regional = cues_in(cues, lo, hi, "hepatoduodenal").next().is_some();
        let outside = cues_in(cues, lo, hi, "outside").next().is_some();
        let next_to_primary = cues_in(cues, lo, hi, "regional").next().is_some();
        if (regional || next_to_primary) && !outside {
            return;
        }
    }
    let mut q = assess(ctx, cues, m);
    if e.attr("presence") == Some("uncertain") && q.assertion.presence == Presence::Present {
        q.assertion.presence = Presence::Uncertain;
    }
    let v = SiteValue {
        site: site.to_string(),
        assertion: q.assertion,
    };
    push(ctx, out, f::EXTRAHEPATIC_DISEASE, &v, m.start, m.end, e, &q);
}

/// True for a lexicon entry that calls a finding a metastasis: any entry with an attribute
/// value `metastasis` (the lesion lexicons) or a `cue=metastasis_word` entry.
pub(super) fn is_metastasis_word(e: &Entry) -> bool {
    e.attr("cue") == Some("metastasis_word") || e.attrs.iter().any(|(_, v)| v == "metastasis")
}

/// A finding in another organ ("longnoduli", or a line headed "Longen:") is extrahepatic
/// disease when the same sentence calls it a metastasis; its presence is that of the
/// metastasis word ("verdacht voor metastasen" hedges it, "geen metastasen" negates it).
pub(super) fn organ_finding(ctx: &Ctx, m: LexMatch, e: &Entry, label: bool, out: &mut Extraction) {
    let folded = ctx.folded();
    // A label is followed by a colon; the finding is what follows it.
    let after_colon = match folded.get(m.end..) {
        Some(rest) if rest.trim_start().starts_with(':') => {
            m.end + (rest.len() - rest.trim_start().len()) + 1
        }
        _ if label => return,
        _ => m.end,
    };
    let (lo, hi) = sentence(ctx, m.start);
    let from = if label { after_colon } else { lo };
    let first = ctx.matches.partition_point(|x| x.start < from);
    // The nearest metastasis word after the finding, else the nearest before it; a word
    // that names the liver itself ("levermetastasen") is about the liver, not this organ.
    let in_sentence = ctx
        .matches
        .get(first..)
        .unwrap_or_default()
        .iter()
        .take_while(|x| x.end <= hi);
    let words: Vec<&LexMatch> = in_sentence
        .filter(|x| {
            ctx.entries(x)
                .any(|w| is_metastasis_word(w) && w.attr("organ") != Some("liver"))
        })
        .collect();
    let Some(word) = words
        .iter()
        .find(|x| x.start >= m.end)
        .or_else(|| words.iter().rev().find(|x| x.end <= m.start))
        .copied()
    else {
        return;
    };
    // A label reaches to the end of its line only.
    let (a, b) = if word.start >= m.end {
        (after_colon, word.start)
    } else {
        (word.end, m.start)
    };
    let (oa, ob) = ctx.doc.original_range(a, b);
    if ctx
        .doc
        .text
        .get(oa..ob)
        .is_some_and(|between| between.contains('\n') || (label && between.contains(':')))
    {
        return;
    }
    let q = qualify(ctx, word.start, word.end);
    let v = SiteValue {
        site: e.attr("site").unwrap_or("unspecified").to_string(),
        assertion: q.assertion,
    };
    let (fs, fe) = (
        m.start.min(word.start),
        word_end(folded, m.end.max(word.end)),
    );
    push(ctx, out, f::EXTRAHEPATIC_DISEASE, &v, fs, fe, e, &q);
}
