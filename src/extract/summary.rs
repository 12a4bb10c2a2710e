//! The report-level summary, derived from lesions and facts.
//!
//! For radiology (and unknown) reports the liver fields come from the lesions: the
//! metastasis status from their kinds and assertions, and count, size, segments, lobes
//! and patterns from the malignant or suspected lesions only. Pathology reports fill those
//! fields themselves and are left as they are.

use super::lesion::{self, add_counts, is_benign, is_malignant, lobes_of};
use super::scan::{self, Hit};
use super::{Ctx, Extraction};
use crate::record::{
    Count, Experiencer, Lesion, LesionKind, Lobe, MetastasisStatus, Pattern, Presence, ReportType,
    Segment, Temporality,
};

/// Patterns that make a lesion of no stated kind suspect.
const SUSPECT_PATTERNS: &[Pattern] = &[
    Pattern::RimEnhancement,
    Pattern::ArterialHyperenhancement,
    Pattern::Capsule,
    Pattern::TargetSign,
    Pattern::Washout,
    Pattern::DiffusionRestriction,
    Pattern::FdgAvid,
    Pattern::CentralNecrosis,
];
/// LI-RADS categories that make the observations of a report suspect.
const SUSPECT_LIRADS: &[&str] = &["LR-4", "LR-5", "LR-M", "LR-TIV"];
/// Sections whose LI-RADS category is not that of the current exam.
const NOT_CURRENT: &[&str] = &["comparison", "clinical", "indication"];

/// Fills the liver fields of the summary for radiology and unknown reports.
pub fn finish(ctx: &Ctx, out: &mut Extraction) {
    let s = &out.summary;
    let pathology_facts = s.histology.is_some()
        || !s.ihc.is_empty()
        || s.margin_mm.is_some()
        || s.resection.is_some()
        || s.specimen_weight_g.is_some();
    if pathology_facts && s.modality.is_empty() {
        // No imaging words, but histology, stains or margins: a pathology report.
        out.summary.report_type = ReportType::Pathology;
    }
    if out.summary.report_type == ReportType::Pathology {
        return;
    }
    let lirads = lirads(ctx);
    // A report that never names the liver (no liver word, segment, lobe or LI-RADS
    // category) is about another organ: its lesions are not liver lesions.
    let about_liver = lirads.is_some()
        || !scan::all_hits(ctx, "liver_cue").is_empty()
        || !scan::all_hits(ctx, "lobe").is_empty()
        || scan::all_hits(ctx, "organ")
            .iter()
            .chain(&scan::all_hits(ctx, "lesion"))
            .any(|h| h.attr("organ").is_some_and(|o| o.starts_with("liver")))
        || out
            .lesions
            .iter()
            .any(|l| !l.segments.is_empty() || l.lobe.is_some());
    let findings: Vec<&Lesion> = out
        .lesions
        .iter()
        .filter(|l| {
            about_liver
                && l.assertion.experiencer == Experiencer::Patient
                && l.assertion.temporality == Temporality::Current
        })
        .collect();
    let suspect_category = lirads
        .as_ref()
        .is_some_and(|(c, _)| SUSPECT_LIRADS.contains(&c.as_str()));
    let counted = counted_lesions(&findings, suspect_category);
    let status = metastasis_status(&findings, !counted.is_empty());
    let s = &mut out.summary;
    s.liver_metastasis = status;
    s.lesion_count = counted
        .iter()
        .map(|l| l.count.unwrap_or(Count::Value(1)))
        .reduce(add_counts);
    s.largest_lesion_mm = counted
        .iter()
        .filter_map(|l| l.size_mm.as_ref().map(|z| z.max))
        .reduce(f64::max);
    let mut segments: Vec<Segment> = counted
        .iter()
        .flat_map(|l| l.segments.iter().copied())
        .collect();
    segments.sort();
    segments.dedup();
    let mut lobes: Vec<Lobe> = counted.iter().flat_map(|l| lobes_of(l)).collect();
    lobes.sort();
    lobes.dedup();
    s.bilobar = (lobes.contains(&Lobe::Left) && lobes.contains(&Lobe::Right))
        || counted.iter().any(|l| lesion::in_both_lobes(l));
    s.segments = segments;
    s.lobes = lobes;
    s.patterns = super::pattern::normalise(
        counted
            .iter()
            .flat_map(|l| l.patterns.iter().copied())
            .collect(),
    );
    if let Some((category, hit)) = lirads {
        out.facts.push(ctx.fact(
            "lirads_stated",
            serde_json::json!(category),
            hit.start,
            hit.end,
            hit.entry.rule(),
        ));
        out.summary.lirads_stated = Some(category);
    }
}

/// Present, suspected, absent or not mentioned, by the conventions of the design.
fn metastasis_status(findings: &[&Lesion], suspect_lesions: bool) -> MetastasisStatus {
    let metastases = || findings.iter().filter(|l| l.kind == LesionKind::Metastasis);
    if metastases().any(|l| l.assertion.presence == Presence::Present) {
        return MetastasisStatus::Present;
    }
    if metastases().any(|l| l.assertion.presence == Presence::Uncertain) {
        return MetastasisStatus::Suspected;
    }
    let negates = |l: &&&Lesion| l.assertion.presence == Presence::Absent;
    if metastases().any(|l| negates(&l)) {
        return MetastasisStatus::Absent;
    }
    // "Geen focale leverlaesies" rules metastasis out, unless a suspect lesion remains
    // ("no residual tumor; new LR-4 observation").
    let negates_lesions = findings
        .iter()
        .filter(negates)
        .any(|l| matches!(l.kind, LesionKind::Unspecified | LesionKind::Indeterminate));
    if negates_lesions && !suspect_lesions {
        return MetastasisStatus::Absent;
    }
    MetastasisStatus::NotMentioned
}

/// The lesions that count: the malignant ones (with new or hedged lesions of no stated
/// kind beside them), or else the suspect lesions of no stated kind (hedged, with a
/// suspect pattern, or in a report with a suspect LI-RADS category).
fn counted_lesions<'a>(findings: &[&'a Lesion], suspect_category: bool) -> Vec<&'a Lesion> {
    let affirmed = |l: &&&Lesion| l.assertion.presence != Presence::Absent;
    let generic = |l: &&&Lesion| !is_benign(l.kind) && !is_malignant(l.kind);
    let malignant: Vec<&Lesion> = findings
        .iter()
        .filter(affirmed)
        .filter(|l| is_malignant(l.kind))
        .copied()
        .collect();
    if !malignant.is_empty() {
        let beside = findings
            .iter()
            .filter(affirmed)
            .filter(generic)
            .filter(|l| l.assertion.presence == Presence::Uncertain || lesion::is_new(l));
        return malignant.into_iter().chain(beside.copied()).collect();
    }
    findings
        .iter()
        .filter(affirmed)
        .filter(generic)
        .filter(|l| {
            suspect_category
                || l.assertion.presence == Presence::Uncertain
                || lesion::is_new(l)
                || l.patterns.iter().any(|p| SUSPECT_PATTERNS.contains(p))
        })
        .copied()
        .collect()
}

/// The LI-RADS category stated for the current exam: the last one in the conclusion, else
/// the last one outside the history and the comparison.
fn lirads<'a>(ctx: &Ctx<'a>) -> Option<(String, Hit<'a>)> {
    let hits: Vec<Hit> = scan::hits(ctx, "lirads")
        .into_iter()
        .filter(|h| {
            let section = ctx
                .doc
                .sentence_at(h.start)
                .map_or("body", |i| scan::section_of(ctx, i));
            !NOT_CURRENT.contains(&section)
        })
        .collect();
    let in_conclusion = hits.iter().rev().find(|h| {
        ctx.doc
            .sentence_at(h.start)
            .is_some_and(|i| ctx.doc.section_name(i) == "conclusion")
    });
    let hit = in_conclusion.or_else(|| hits.last()).copied()?;
    Some((hit.attr("category")?.to_string(), hit))
}
