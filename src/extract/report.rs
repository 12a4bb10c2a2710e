//! Report type and modality of the current exam.
//!
//! The report type weighs report-type cues from the lexicon (`report_cue`), modality words
//! and imaging patterns against pathology cues and pathology sections. The modality is
//! that of the current exam: the first sentence that names one, leaving out the
//! comparison study, the clinical question and recommendations.

use super::assertion;
use super::scan::{self, Hit};
use super::{Ctx, Extraction};
use crate::record::{Modality, ReportType, Temporality};

/// Sections whose modality words are not the current exam.
const NOT_CURRENT: &[&str] = &["comparison", "clinical", "indication"];
/// Sections that tell the past or the question, not the report itself.
const HISTORY: &[&str] = &["comparison", "clinical", "indication", "history"];
/// Sections that only a pathology report has.
const PATHOLOGY_SECTIONS: &[&str] = &["gross", "microscopy", "ihc"];

/// Sets `report_type` and `modality`.
pub fn extract(ctx: &Ctx, out: &mut Extraction) {
    let modalities = current_modality(ctx, out);
    let report_type = report_type(ctx, !modalities.is_empty(), exam_line(ctx));
    out.summary.report_type = report_type;
    if report_type != ReportType::Pathology {
        out.summary.modality = modalities;
    }
}

/// True when the report opens with an exam line: its first sentence names a modality
/// ("mri-abdomen", "ct-thorax/abdomen met contrast", "CT CHEST/ABDOMEN") and no pathology
/// cue ("CT-geleid leverbiopt" is a specimen).
fn exam_line(ctx: &Ctx) -> bool {
    let first = |h: &Hit| ctx.doc.sentence_at(h.start) == Some(0);
    scan::hits(ctx, "modality").iter().any(first)
        && !scan::hits(ctx, "report_cue")
            .iter()
            .any(|h| first(h) && h.attr("report") == Some("pathology"))
}

/// The report type from cue counts. Pathology cues of the history, the clinical question
/// or the comparison ("status na hemihepatectomie") describe past treatment, not this
/// report; an exam line outweighs them.
fn report_type(ctx: &Ctx, has_modality: bool, exam_line: bool) -> ReportType {
    let mut radiology = usize::from(has_modality) * 2 + usize::from(exam_line) * 4;
    let mut pathology = 0;
    for h in scan::hits(ctx, "report_cue") {
        let in_history = ctx
            .doc
            .sentence_at(h.start)
            .is_some_and(|i| HISTORY.contains(&scan::section_of(ctx, i)));
        if in_history && h.attr("report") == Some("pathology") {
            continue;
        }
        match h.attr("report") {
            Some("radiology") => radiology += 1,
            Some("pathology") => pathology += 2,
            _ => {}
        }
    }
    radiology += scan::hits(ctx, "pattern").len();
    pathology += 3 * ctx
        .doc
        .sections
        .iter()
        .filter(|s| PATHOLOGY_SECTIONS.contains(&s.name.as_str()))
        .count();
    if radiology == 0 && pathology == 0 {
        ReportType::Unknown
    } else if pathology > radiology {
        ReportType::Pathology
    } else {
        ReportType::Radiology
    }
}

/// The modalities of the current exam, with a fact for each.
fn current_modality(ctx: &Ctx, out: &mut Extraction) -> Vec<Modality> {
    let hits = scan::all_hits(ctx, "modality");
    let current: Vec<&Hit> = hits.iter().filter(|h| is_current_exam(ctx, h)).collect();
    let Some(first) = current.first() else {
        return Vec::new();
    };
    let sentence = ctx.doc.sentence_at(first.start);
    let mut modalities = Vec::new();
    for h in current
        .iter()
        .filter(|h| ctx.doc.sentence_at(h.start) == sentence)
    {
        let Some(m) = h.attr("modality").and_then(parse_modality) else {
            continue;
        };
        out.facts.push(ctx.fact(
            "modality",
            serde_json::json!(m),
            h.start,
            h.end,
            h.entry.rule(),
        ));
        modalities.push(m);
    }
    modalities.sort();
    modalities.dedup();
    modalities
}

/// False for a modality word of the comparison study, the clinical question or a
/// recommendation.
fn is_current_exam(ctx: &Ctx, h: &Hit) -> bool {
    let Some(sentence) = ctx.doc.sentence_at(h.start) else {
        return true;
    };
    if NOT_CURRENT.contains(&scan::section_of(ctx, sentence)) {
        return false;
    }
    let lo = ctx.doc.sentences.get(sentence).map_or(0, |s| s.fstart);
    let prior = scan::hits(ctx, "time_cue").into_iter().any(|c| {
        c.attr("role") == Some("prior")
            && c.start >= lo
            && c.end <= h.start
            && scan::tokens_between(ctx, c.end, h.start) <= 6
    });
    if prior {
        return false;
    }
    assertion::assertion_of(ctx, h.start, h.end).temporality == Temporality::Current
}

fn parse_modality(s: &str) -> Option<Modality> {
    Some(match s {
        "CT" => Modality::CT,
        "MRI" => Modality::MRI,
        "US" => Modality::US,
        "PET" => Modality::PET,
        "XR" => Modality::XR,
        _ => return None,
    })
}
