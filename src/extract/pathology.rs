//! Pathology facts: histology, tumour nodules, margins, resection status, specimen weight and segments.
//!
//! For a pathology report (or one of unknown type that reads like one) this module fills
//! the summary fields `liver_metastasis`, `lesion_count`, `largest_lesion_mm`, `segments`,
//! `lobes`, `bilobar`, `histology`, `margin_mm`, `resection` and `specimen_weight_g`.

mod cues;
mod histology;
mod margin;
mod measures;
mod nodules;
mod segments;

use serde_json::json;

use super::{Ctx, Extraction};
use crate::record::{Lobe, ReportType, Segment};

use cues::Cues;
use measures::Measured;

/// Adds what this module reads to `out`.
pub fn extract(ctx: &Ctx, out: &mut Extraction) {
    if out.summary.report_type == ReportType::Radiology {
        return;
    }
    let cues = cues::collect(ctx);
    let histology = histology::read(ctx, &cues);
    let sizes = measures::sizes(ctx, &cues);
    let margins = margin::read(ctx, &cues, &sizes);
    let weight = measures::weight(ctx);
    let pathology_sections = ctx.doc.sections.iter().any(|sec| {
        matches!(
            sec.name.as_str(),
            "gross" | "microscopy" | "ihc" | "diagnosis"
        )
    }) || cues.iter().any(|c| c.cue == "benign")
        || weight.is_some();
    let looks_like_pathology = out.summary.report_type == ReportType::Pathology
        || pathology_sections
        || histology.is_some()
        || !out.summary.ihc.is_empty()
        || margins.resection.is_some()
        || margins.distance.is_some();
    if !looks_like_pathology {
        return;
    }
    let s = &mut out.summary;
    let facts = &mut out.facts;

    if let Some(h) = &histology {
        s.histology = Some(h.histology);
        facts.push(ctx.fact(
            "histology",
            json!(h.histology),
            h.span.0,
            h.span.1,
            h.rule.clone(),
        ));
    }
    if let Some((status, span, rule)) = histology::metastasis(ctx, &cues, histology.as_ref()) {
        s.liver_metastasis = status;
        facts.push(ctx.fact("liver_metastasis", json!(status), span.0, span.1, rule));
    }
    let tumour_sizes: Vec<&measures::SizeFact> = sizes
        .iter()
        .filter(|z| z.measured == Measured::Tumour)
        .collect();
    if let Some(largest) = tumour_sizes
        .iter()
        .max_by(|a, b| a.max_mm.total_cmp(&b.max_mm))
    {
        s.largest_lesion_mm = Some(largest.max_mm);
        facts.push(ctx.fact(
            "largest_lesion_mm",
            json!(largest.max_mm),
            largest.span.0,
            largest.span.1,
            largest.rule.clone(),
        ));
    }
    // Tumours named with their own size ("A. ... adenocarcinoma, 2.8 cm. B. ... adenocarcinoma,
    // 0.8 cm"): as many as distinct sizes, when no count says otherwise.
    let mut named: Vec<&measures::SizeFact> = tumour_sizes
        .iter()
        .copied()
        .filter(|z| z.by_histology)
        .collect();
    named.sort_by(|a, b| a.max_mm.total_cmp(&b.max_mm));
    named.dedup_by(|a, b| (a.max_mm - b.max_mm).abs() < 0.5);
    let stated = nodules::count(ctx, &cues);
    let open_count = matches!(
        stated,
        None | Some((crate::record::Count::AtLeast(_), _, _))
    );
    let stated = match stated {
        _ if open_count && named.len() >= 2 && named.len() as u32 >= n_or_zero(&stated) => {
            let first = named[0];
            Some((
                crate::record::Count::Value(named.len() as u32),
                first.span,
                "pathology:one-size-per-tumour".to_string(),
            ))
        }
        other => other,
    };
    if let Some((count, span, rule)) = stated {
        s.lesion_count = Some(count);
        facts.push(ctx.fact("lesion_count", json!(count), span.0, span.1, rule));
    } else if let (Some(_), Some(z)) = (
        &histology,
        tumour_sizes
            .iter()
            .max_by(|a, b| a.max_mm.total_cmp(&b.max_mm)),
    ) {
        let count = crate::record::Count::Value(1);
        s.lesion_count = Some(count);
        facts.push(ctx.fact(
            "lesion_count",
            json!(count),
            z.span.0,
            z.span.1,
            "pathology:one-tumour-measured",
        ));
    }
    if let Some((mm, span, rule)) = &margins.distance {
        s.margin_mm = Some(*mm);
        facts.push(ctx.fact("margin_mm", json!(mm), span.0, span.1, rule.clone()));
    }
    if let Some((r, span, rule)) = &margins.resection {
        s.resection = Some(*r);
        facts.push(ctx.fact("resection", json!(r), span.0, span.1, rule.clone()));
    }
    if let Some((g, span)) = weight {
        s.specimen_weight_g = Some(g);
        facts.push(ctx.fact(
            "specimen_weight_g",
            json!(g),
            span.0,
            span.1,
            "pathology:weight",
        ));
    }
    {
        let (segs, lobes) = tumour_segments(
            ctx,
            &cues,
            &tumour_sizes.iter().map(|z| z.span).collect::<Vec<_>>(),
        );
        for (seg, span) in &segs {
            facts.push(ctx.fact("segment", json!(seg), span.0, span.1, "pathology:segment"));
        }
        let mut list: Vec<Segment> = segs.iter().map(|(s, _)| *s).collect();
        list.sort();
        list.dedup();
        let mut lobe_list: Vec<Lobe> = list.iter().map(|s| s.lobe()).chain(lobes).collect();
        lobe_list.sort();
        lobe_list.dedup();
        s.bilobar = lobe_list.contains(&Lobe::Left) && lobe_list.contains(&Lobe::Right);
        s.segments = list;
        s.lobes = lobe_list;
    }
}

/// A segment with the folded range it was read from.
type SegmentMention = (Segment, (usize, usize));

/// The number of a count, 0 when there is none.
fn n_or_zero(c: &Option<nodules::CountFinding>) -> u32 {
    c.as_ref().map_or(0, |(c, _, _)| c.number())
}

/// True when a sentence describes no tumour ("benign", "no carcinoma", "negative for malignancy").
fn benign_sentence(cues: &Cues, sentence: usize) -> bool {
    cues.in_clause(sentence)
        .iter()
        .any(|c| c.sentence == sentence && c.cue == "benign")
}

/// Segments (with evidence) and lobes of the tumour: those named in a sentence about the
/// tumour, else those of the specimen it was found in.
fn tumour_segments(
    ctx: &Ctx,
    cues: &Cues,
    tumour_spans: &[(usize, usize)],
) -> (Vec<SegmentMention>, Vec<Lobe>) {
    let mentions = segments::mentions(ctx, cues);
    let mut tumour = Vec::new();
    let mut specimen = Vec::new();
    for (segs, span) in mentions {
        let sentence = cues.clause(ctx, span.0);
        if benign_sentence(cues, sentence) {
            continue;
        }
        // The nearest tumour or specimen word decides: "metastase in segment 7" is the
        // tumour's, "Hemihepatectomie (segmenten 5-8) wegens metastasen" the specimen's.
        let kind_of = |c: &&cues::Cue| {
            c.sentence == sentence
                && (c.is_tumour()
                    || matches!(
                        c.cue,
                        "specimen"
                            | "many"
                            | "one"
                            | "focality"
                            | "lobe_left"
                            | "lobe_right"
                            | "lobe_caudate"
                    ))
                && !cues::negated_before(ctx, cues, c.start, 3)
        };
        // Only cues of the same clause can be of the kind looked for.
        let same = cues.in_clause(sentence);
        crate::extract::work::add(same.len());
        let nearest = same
            .iter()
            .rev()
            .filter(|c| c.end <= span.0)
            .find(kind_of)
            .or_else(|| same.iter().filter(|c| c.start >= span.1).find(kind_of));
        let about_tumour = match nearest {
            Some(c) => c.is_tumour() || matches!(c.cue, "many" | "one" | "focality"),
            // No word around it: a tumour size in the clause makes it the tumour's.
            None => tumour_spans
                .iter()
                .any(|&(s, _)| cues.clause(ctx, s) == sentence),
        };
        let target = if about_tumour {
            &mut tumour
        } else {
            &mut specimen
        };
        target.extend(segs.into_iter().map(|s| (s, span)));
    }
    let mut lobes = Vec::new();
    for c in cues.iter() {
        let lobe = match c.cue {
            "lobe_left" => vec![Lobe::Left],
            "lobe_right" => vec![Lobe::Right],
            "lobe_caudate" => vec![Lobe::Caudate],
            "bilobar" => vec![Lobe::Left, Lobe::Right],
            _ => continue,
        };
        let sentence = ctx.doc.sentence_at(c.start).unwrap_or(0);
        if benign_sentence(cues, c.sentence)
            || matches!(ctx.doc.section_name(sentence), "clinical" | "indication")
        {
            continue;
        }
        lobes.extend(lobe);
    }
    (if tumour.is_empty() { specimen } else { tumour }, lobes)
}

#[cfg(test)]
mod tests {
    use crate::extract::Extractor;
    use crate::lexicon::LexiconSet;
    use crate::record::{Histology, Language, MetastasisStatus, Resection, Segment, Summary};

    fn run(text: &str, lang: Language) -> Summary {
        let ex = Extractor::new(LexiconSet::embedded().expect("lexicons"));
        ex.extract_text(text, Some(lang)).summary
    }

    #[test]
    fn dutch_resection() {
        let s = run(
            "Macroscopie: leversegment 7, resectiepreparaat van 120 gram, 8 x 6 x 4 cm. Op doorsnede twee tumoren van 3,2 en 1,1 cm.\nConclusie: metastasen van adenocarcinoom passend bij colorectale origine. Snijvlak vrij, marge 0,4 cm. Radicaal.",
            Language::Nl,
        );
        assert_eq!(s.histology, Some(Histology::ColorectalAdenocarcinoma));
        assert_eq!(s.liver_metastasis, MetastasisStatus::Present);
        assert_eq!(s.largest_lesion_mm, Some(32.0));
        assert_eq!(s.margin_mm, Some(4.0));
        assert_eq!(s.resection, Some(Resection::R0));
        assert_eq!(s.specimen_weight_g, Some(120.0));
        assert_eq!(s.segments, vec![Segment::VII]);
        assert_eq!(s.lesion_count.map(|c| c.number()), Some(2));
    }

    #[test]
    fn english_involved_margin() {
        let s = run("LIVER, SEGMENT 6, SEGMENTAL RESECTION: Hepatocellular carcinoma, 4.0 cm. Tumor extends to the inked margin.", Language::En);
        assert_eq!(s.histology, Some(Histology::Hcc));
        assert_eq!(s.liver_metastasis, MetastasisStatus::NotMentioned);
        assert_eq!(s.margin_mm, Some(0.0));
        assert_eq!(s.resection, Some(Resection::R1));
        assert_eq!(s.segments, vec![Segment::VI]);
    }
}
