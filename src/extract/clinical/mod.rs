//! Clinical context that staging needs and no other extractor reads: extrahepatic disease,
//! an at-risk liver, the node status of the primary tumour, the disease-free interval and
//! LI-RADS threshold growth. The cues are lexicon data (`clinical` kind); each one found
//! becomes a fact (field names in [`crate::staging::facts`]) qualified by the assertion
//! engine, which `staging::derive` then reads.
//!
//! One submodule per kind of cue: `sites` (extrahepatic disease), `time` (disease-free
//! interval, threshold growth), `nodes` (TNM node status); this module dispatches the
//! cues and holds what they share.

mod nodes;
mod sites;
mod time;

use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

use crate::lexicon::{Entry, LexMatch};
use crate::record::{Presence, Temporality};
use crate::staging::facts::{self as f, Bound, CauseValue, IntervalValue, NodeStatusValue};

use super::assertion::{qualify, Qualified};
use super::{scan, Ctx, Extraction};

/// The clinical cues of one report, in text order.
type Cues<'c, 'e> = &'c [(LexMatch, &'e Entry)];

/// The regexes of this module, compiled once per process.
pub(super) struct Patterns {
    /// A number, optionally after a comparison sign.
    pub(super) number: Regex,
    /// A percentage.
    pub(super) percent: Regex,
    /// A TNM classification with an N category (`pT3N1M0`, `ypT2 N0`, `T4bN2a`), or a
    /// lone pathological N category (`pN1`, `ypN0`).
    pub(super) tnm: Regex,
}

pub(super) fn patterns() -> Option<&'static Patterns> {
    static PATTERNS: OnceLock<Option<Patterns>> = OnceLock::new();
    PATTERNS
        .get_or_init(|| {
            Some(Patterns {
                number: Regex::new(r"(<=|>=|<|>|≤|≥)?\s?(\d+(?:[.,]\d+)?)").ok()?,
                percent: Regex::new(r"(\d+(?:[.,]\d+)?)\s?%").ok()?,
                tnm: Regex::new(
                    r"\b(?:[ycpra]{0,3}t(?:[0-4x]|is)[a-d]?(?:\(m\))?\s?[ycp]{0,2}n([0-3x+])|y?pn([0-3x+]))[a-c]?",
                )
                .ok()?,
            })
        })
        .as_ref()
}

/// The clinical cues of the report, each with its entry (the shared matching chooses
/// leftmost-longest per kind, so a clinical cue never hides a term of another kind).
fn find_cues<'a>(ctx: &Ctx<'a>) -> Vec<(LexMatch, &'a Entry)> {
    ctx.of_kind("clinical").collect()
}

/// Adds what this module reads to `out`.
pub fn extract(ctx: &Ctx, out: &mut Extraction) {
    let all = find_cues(ctx);
    let cues = all.as_slice();
    for (i, (m, e)) in cues.iter().enumerate() {
        match e.attr("cue") {
            Some("extrahepatic") => sites::extrahepatic(ctx, cues, *m, e, out),
            Some("at_risk_liver") => {
                let q = assess(ctx, cues, *m);
                let v = CauseValue {
                    cause: e.attr("cause").unwrap_or("cirrhosis").to_string(),
                    assertion: q.assertion,
                };
                push(ctx, out, f::AT_RISK_LIVER, &v, m.start, m.end, e, &q);
            }
            Some("node_status") => {
                let q = assess(ctx, cues, *m);
                let v = NodeStatusValue {
                    node_positive: e.attr("status") == Some("positive"),
                    assertion: q.assertion,
                };
                push(ctx, out, f::PRIMARY_NODE_STATUS, &v, m.start, m.end, e, &q);
            }
            Some("dfi") => time::interval(ctx, cues, i, out),
            Some("synchronous") => {
                let q = assess(ctx, cues, *m);
                if q.assertion.presence == Presence::Present
                    && q.assertion.temporality != Temporality::Future
                {
                    let v = IntervalValue {
                        months: 0.0,
                        bound: Bound::Exact,
                    };
                    push(
                        ctx,
                        out,
                        f::DISEASE_FREE_INTERVAL,
                        &v,
                        m.start,
                        m.end,
                        e,
                        &q,
                    );
                }
            }
            Some("threshold_growth") => time::push_threshold_growth(ctx, cues, *m, m.end, e, out),
            Some("growth") => time::growth(ctx, cues, *m, e, out),
            Some("organ_lesion") => sites::organ_finding(ctx, *m, e, false, out),
            Some("organ_label") => sites::organ_finding(ctx, *m, e, true, out),
            _ => {}
        }
    }
    nodes::tnm(ctx, out);
}

#[allow(clippy::too_many_arguments)]
pub(super) fn push<T: serde::Serialize>(
    ctx: &Ctx,
    out: &mut Extraction,
    field: &'static str,
    v: &T,
    fstart: usize,
    fend: usize,
    e: &Entry,
    q: &Qualified,
) {
    let mut rule = e.rule();
    if !q.rules.is_empty() {
        rule.push_str(" + context:");
        rule.push_str(&q.rules.join(","));
    }
    let value = serde_json::to_value(v).unwrap_or(Value::Null);
    let fend = if e.prefix {
        scan::word_end(ctx.folded(), fend)
    } else {
        fend
    };
    out.facts.push(ctx.fact(field, value, fstart, fend, rule));
}

/// The qualifiers of a cue: the assertion engine, then the form "Label: no" / "Label: ja",
/// whose answer right after the cue decides presence.
pub(super) fn assess(ctx: &Ctx, cues: Cues, m: LexMatch) -> Qualified {
    let mut q = qualify(ctx, m.start, m.end);
    let folded = ctx.folded();
    let Some(after) = folded.get(m.end..) else {
        return q;
    };
    let gap = after.len() - after.trim_start_matches([' ', ':', '-', '=']).len();
    if !after.get(..gap).is_some_and(|g| g.contains(':')) {
        return q;
    }
    let at = m.end + gap;
    let answer = cues
        .iter()
        .find(|(a, ae)| a.start == at && ae.attr("cue") == Some("answer"));
    if let Some((_, ae)) = answer {
        q.assertion.presence = match ae.attr("presence") {
            Some("absent") => Presence::Absent,
            _ => Presence::Present,
        };
        q.rules.push(format!("answer:{}", ae.term));
    }
    q
}

/// The folded range of the sentence holding `pos`.
pub(super) fn sentence(ctx: &Ctx, pos: usize) -> (usize, usize) {
    match ctx
        .doc
        .sentence_at(pos)
        .and_then(|i| ctx.doc.sentences.get(i))
    {
        Some(s) => (s.fstart, s.fend),
        None => (0, ctx.folded().len()),
    }
}

pub(super) fn cues_in<'c, 'e>(
    cues: &'c [(LexMatch, &'e Entry)],
    lo: usize,
    hi: usize,
    cue: &'c str,
) -> impl Iterator<Item = &'c (LexMatch, &'e Entry)> + 'c {
    cues.iter()
        .filter(move |(m, e)| m.start >= lo && m.end <= hi && e.attr("cue") == Some(cue))
}

/// The largest char boundary of `s` at or below `i`.
pub(super) fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use crate::extract::Extractor;
    use crate::lexicon::LexiconSet;
    use crate::record::Language;
    use crate::staging::facts;

    fn facts_of(text: &str, lang: Language) -> Vec<crate::record::Fact> {
        let x = Extractor::new(LexiconSet::embedded().expect("lexicons"));
        x.extract_text(text, Some(lang)).facts
    }

    fn field<'a>(fs: &'a [crate::record::Fact], name: &str) -> Vec<&'a serde_json::Value> {
        fs.iter()
            .filter(|f| f.field == name)
            .map(|f| &f.value)
            .collect()
    }

    #[test]
    fn extrahepatic_sites_and_negation() {
        let fs = facts_of(
            "Geen longmetastasen. Wel peritonitis carcinomatosa.",
            Language::Nl,
        );
        let v = field(&fs, facts::EXTRAHEPATIC_DISEASE);
        assert_eq!(v.len(), 2, "{fs:?}");
        assert_eq!(v[0]["site"], "lung");
        assert_eq!(v[0]["presence"], "absent");
        assert_eq!(v[1]["site"], "peritoneum");
        assert_eq!(v[1]["presence"], "present");
        let fs = facts_of("No extrahepatic disease.", Language::En);
        assert_eq!(
            field(&fs, facts::EXTRAHEPATIC_DISEASE)[0]["presence"],
            "absent"
        );
    }

    #[test]
    fn hepatoduodenal_nodes_are_regional() {
        let fs = facts_of(
            "Pathologische lymfeklieren in het ligamentum hepatoduodenale.",
            Language::Nl,
        );
        assert!(field(&fs, facts::EXTRAHEPATIC_DISEASE).is_empty());
        let fs = facts_of(
            "Pathologische lymfeklieren buiten het ligamentum hepatoduodenale.",
            Language::Nl,
        );
        assert_eq!(
            field(&fs, facts::EXTRAHEPATIC_DISEASE)[0]["site"],
            "lymph_nodes"
        );
    }

    #[test]
    fn intervals() {
        let fs = facts_of(
            "Ziektevrij interval van 8 maanden na hemicolectomie.",
            Language::Nl,
        );
        assert_eq!(field(&fs, facts::DISEASE_FREE_INTERVAL)[0]["months"], 8.0);
        let fs = facts_of("Disease-free interval of more than 2 years.", Language::En);
        let v = field(&fs, facts::DISEASE_FREE_INTERVAL);
        assert_eq!(
            (v[0]["months"].as_f64(), v[0]["bound"].as_str()),
            (Some(24.0), Some("above"))
        );
        let fs = facts_of("Disease-free interval < 12 months.", Language::En);
        assert_eq!(
            field(&fs, facts::DISEASE_FREE_INTERVAL)[0]["bound"],
            "below"
        );
        let fs = facts_of(
            "Synchrone levermetastasen bij sigmoidcarcinoom.",
            Language::Nl,
        );
        assert_eq!(field(&fs, facts::DISEASE_FREE_INTERVAL)[0]["months"], 0.0);
    }

    #[test]
    fn node_status() {
        let fs = facts_of("Voorgeschiedenis: sigmoidcarcinoom pT3N1bM0.", Language::Nl);
        assert_eq!(
            field(&fs, facts::PRIMARY_NODE_STATUS)[0]["node_positive"],
            true
        );
        let fs = facts_of(
            "History of a node-negative rectal cancer, ypT2N0.",
            Language::En,
        );
        let v = field(&fs, facts::PRIMARY_NODE_STATUS);
        assert!(
            v.len() == 2 && v.iter().all(|x| x["node_positive"] == false),
            "{v:?}"
        );
    }

    #[test]
    fn at_risk_and_growth() {
        let fs = facts_of(
            "Bekende levercirrose. Laesie met toename van 60% in 4 maanden.",
            Language::Nl,
        );
        assert_eq!(field(&fs, facts::AT_RISK_LIVER)[0]["cause"], "cirrhosis");
        assert_eq!(field(&fs, facts::THRESHOLD_GROWTH).len(), 1);
        let fs = facts_of("Increase of 30% in 4 months. Geen cirrose.", Language::En);
        assert!(field(&fs, facts::THRESHOLD_GROWTH).is_empty());
        let fs = facts_of("Increase of 80% in 9 months.", Language::En);
        assert!(field(&fs, facts::THRESHOLD_GROWTH).is_empty());
        let fs = facts_of(
            "No cirrhosis. Threshold growth of the observation.",
            Language::En,
        );
        assert_eq!(field(&fs, facts::AT_RISK_LIVER)[0]["presence"], "absent");
        assert_eq!(
            field(&fs, facts::THRESHOLD_GROWTH)[0]["presence"],
            "present"
        );
    }

    #[test]
    fn label_answer_form() {
        let fs = facts_of(
            "APHE: yes\nThreshold growth: no\nCirrhosis: yes",
            Language::En,
        );
        assert_eq!(field(&fs, facts::THRESHOLD_GROWTH)[0]["presence"], "absent");
        assert_eq!(field(&fs, facts::AT_RISK_LIVER)[0]["presence"], "present");
        let fs = facts_of("Drempelgroei: nee.", Language::Nl);
        assert_eq!(field(&fs, facts::THRESHOLD_GROWTH)[0]["presence"], "absent");
    }

    #[test]
    fn nodes_next_to_the_primary_are_not_extrahepatic() {
        let fs = facts_of(
            "Rectumcarcinoom met locoregionale kliermetastasen.",
            Language::Nl,
        );
        assert!(field(&fs, facts::EXTRAHEPATIC_DISEASE).is_empty());
        let fs = facts_of(
            "Mesenteric lymphadenopathy next to the sigmoid.",
            Language::En,
        );
        assert!(field(&fs, facts::EXTRAHEPATIC_DISEASE).is_empty());
    }

    #[test]
    fn prefix_evidence_covers_the_word() {
        let text = "Multipele longmetastasen.";
        let fs = facts_of(text, Language::Nl);
        let f = fs
            .iter()
            .find(|f| f.field == facts::EXTRAHEPATIC_DISEASE)
            .expect("fact");
        assert_eq!(f.evidence.text, "longmetastasen");
        assert_eq!(&text[f.evidence.start..f.evidence.end], "longmetastasen");
    }

    /// The embedded lexicons plus metastasis words, as the lesion lexicons provide them.
    fn with_metastasis_words(text: &str, lang: Language) -> Vec<crate::record::Fact> {
        let mut files = crate::lexicon::embedded_files();
        for (path, contents) in &mut files {
            if path.ends_with("nl/clinical.tsv") {
                contents.push_str("metastase*\tcue=metastasis_word\n");
            }
            if path.ends_with("en/clinical.tsv") {
                contents.push_str("metasta*\tcue=metastasis_word\n");
            }
        }
        let x = Extractor::new(LexiconSet::from_files(files).expect("lexicons"));
        x.extract_text(text, Some(lang)).facts
    }

    #[test]
    fn organ_findings_called_metastases() {
        let fs = with_metastasis_words(
            "Longen: multipele noduli tot 9 mm, verdacht voor metastasen.",
            Language::Nl,
        );
        let v = field(&fs, facts::EXTRAHEPATIC_DISEASE);
        assert_eq!(
            (v[0]["site"].as_str(), v[0]["presence"].as_str()),
            (Some("lung"), Some("uncertain")),
            "{v:?}"
        );
        let fs = with_metastasis_words(
            "Multiple pulmonary nodules, consistent with metastases.",
            Language::En,
        );
        let v = field(&fs, facts::EXTRAHEPATIC_DISEASE);
        assert_eq!(
            (v[0]["site"].as_str(), v[0]["presence"].as_str()),
            (Some("lung"), Some("present")),
            "{v:?}"
        );
        let fs = with_metastasis_words("Lungs: clear.\nLiver: three metastases.", Language::En);
        assert!(
            field(&fs, facts::EXTRAHEPATIC_DISEASE).is_empty(),
            "a label reaches to its line end only"
        );
        let fs = with_metastasis_words("Enkele longnoduli van 3 mm, aspecifiek.", Language::Nl);
        assert!(
            field(&fs, facts::EXTRAHEPATIC_DISEASE).is_empty(),
            "nodules alone are not disease"
        );
        let fs = with_metastasis_words("Skelet: geen metastasen.", Language::Nl);
        assert_eq!(
            field(&fs, facts::EXTRAHEPATIC_DISEASE)[0]["presence"],
            "absent"
        );
    }
}
