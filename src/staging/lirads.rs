//! LI-RADS v2018 CT/MRI diagnostic table: non-rim arterial phase hyperenhancement (APHE),
//! size band and the count of additional major features (non-peripheral washout,
//! enhancing capsule, threshold growth); rim APHE or a targetoid appearance gives LR-M.
//! Computed only for an at-risk liver or when the report states a LI-RADS category.

use crate::record::{
    Evidence, Experiencer, Fact, Lesion, LesionKind, LiradsComputed, LiradsObservation, Pattern,
    Presence, Summary, Temporality,
};

use super::facts;
use super::inputs;

/// The size bands of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeBand {
    /// Under 10 mm.
    Under10,
    /// 10 to 19 mm.
    From10To19,
    /// 20 mm or more.
    AtLeast20,
}

impl SizeBand {
    /// The band of a size in mm.
    pub fn of(mm: f64) -> SizeBand {
        if mm < 10.0 {
            SizeBand::Under10
        } else if mm < 20.0 {
            SizeBand::From10To19
        } else {
            SizeBand::AtLeast20
        }
    }
}

/// The additional major features of one observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MajorFeatures {
    /// Non-peripheral washout.
    pub washout: bool,
    /// Enhancing capsule.
    pub capsule: bool,
    /// Threshold growth (>= 50% in <= 6 months).
    pub threshold_growth: bool,
}

impl MajorFeatures {
    fn count(self) -> u8 {
        u8::from(self.washout) + u8::from(self.capsule) + u8::from(self.threshold_growth)
    }

    fn names(self) -> Vec<String> {
        let mut v = Vec::new();
        for (on, name) in [
            (self.washout, "washout"),
            (self.capsule, "capsule"),
            (self.threshold_growth, "threshold_growth"),
        ] {
            if on {
                v.push(name.to_string());
            }
        }
        v
    }
}

/// The table cell: category for (non-rim APHE, size band, additional major features).
pub fn table(aphe: bool, band: SizeBand, f: MajorFeatures) -> &'static str {
    let n = f.count();
    match (aphe, band) {
        (false, SizeBand::Under10 | SizeBand::From10To19) => {
            if n >= 2 {
                "LR-4"
            } else {
                "LR-3"
            }
        }
        (false, SizeBand::AtLeast20) => {
            if n >= 1 {
                "LR-4"
            } else {
                "LR-3"
            }
        }
        (true, SizeBand::Under10) => match n {
            0 => "LR-3",
            _ => "LR-4",
        },
        (true, SizeBand::From10To19) => match n {
            0 => "LR-3",
            // One feature: LR-5 for washout or threshold growth, LR-4 for capsule alone.
            1 if f.capsule => "LR-4",
            _ => "LR-5",
        },
        (true, SizeBand::AtLeast20) => match n {
            0 => "LR-4",
            _ => "LR-5",
        },
    }
}

/// The category of one observation; with an unknown size, the category only when every
/// size band gives the same one.
pub fn categorize(
    aphe: bool,
    size_mm: Option<f64>,
    f: MajorFeatures,
    lrm: bool,
) -> Option<&'static str> {
    if lrm {
        return Some("LR-M");
    }
    match size_mm {
        Some(mm) => Some(table(aphe, SizeBand::of(mm), f)),
        None => {
            let all = [SizeBand::Under10, SizeBand::From10To19, SizeBand::AtLeast20]
                .map(|b| table(aphe, b, f));
            all.iter().all(|c| *c == all[0]).then_some(all[0])
        }
    }
}

fn rank(cat: &str) -> u8 {
    match cat {
        "LR-M" => 6,
        "LR-5" => 5,
        "LR-4" => 4,
        "LR-3" => 3,
        _ => 0,
    }
}

/// Normalises a stated category (`LR 5`, `lr-5`, `LI-RADS 5`) to `LR-5`.
pub fn normalise(stated: &str) -> String {
    let s: String = stated
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect();
    let tail = s
        .strip_prefix("LIRADS")
        .or_else(|| s.strip_prefix("LR"))
        .unwrap_or(&s);
    format!("LR-{tail}")
}

struct Observation {
    lesion: Option<usize>,
    size_mm: Option<f64>,
    patterns: Vec<Pattern>,
    evidence: Vec<Evidence>,
}

fn has_features(p: &[Pattern]) -> bool {
    p.iter().any(|x| {
        matches!(
            x,
            Pattern::ArterialHyperenhancement
                | Pattern::Hypervascular
                | Pattern::Washout
                | Pattern::Capsule
                | Pattern::RimEnhancement
                | Pattern::TargetSign
        )
    })
}

fn observations(summary: &Summary, lesions: &[Lesion]) -> Vec<Observation> {
    let mut obs: Vec<Observation> = lesions
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            l.assertion.presence != Presence::Absent
                && l.assertion.experiencer == Experiencer::Patient
                && l.assertion.temporality == Temporality::Current
                && matches!(
                    l.kind,
                    LesionKind::Hcc
                        | LesionKind::Metastasis
                        | LesionKind::Indeterminate
                        | LesionKind::Unspecified
                )
                && has_features(&l.patterns)
        })
        .map(|(i, l)| Observation {
            lesion: Some(i),
            size_mm: l.size_mm.as_ref().map(|s| s.max),
            patterns: l.patterns.clone(),
            evidence: l.evidence.clone(),
        })
        .collect();
    if obs.is_empty() && has_features(&summary.patterns) {
        obs.push(Observation {
            lesion: None,
            size_mm: summary.largest_lesion_mm,
            patterns: summary.patterns.clone(),
            evidence: Vec::new(),
        });
    }
    obs
}

/// Derives the computed LI-RADS category.
pub fn derive(summary: &Summary, lesions: &[Lesion], facts: &[Fact]) -> LiradsComputed {
    let stated = summary.lirads_stated.as_deref().map(normalise);
    let mut out = LiradsComputed {
        stated: stated.clone(),
        ..LiradsComputed::default()
    };
    let risk = facts::at_risk_liver(facts);
    if !risk.affirmed.is_empty() {
        let mut causes: Vec<&str> = risk.affirmed.iter().map(|(c, _)| c.as_str()).collect();
        causes.sort();
        causes.dedup();
        let ev = risk.affirmed.iter().map(|(_, e)| e.clone()).collect();
        out.inputs.push(inputs::input(
            facts::AT_RISK_LIVER,
            causes.join(", ").into(),
            ev,
        ));
    }
    if let Some(s) = &stated {
        out.inputs.push(inputs::input(
            "lirads_stated",
            s.clone().into(),
            inputs::by_field(facts, inputs::LIRADS_FIELDS),
        ));
    }
    if risk.affirmed.is_empty() && stated.is_none() {
        out.reason = Some(if risk.negated.is_empty() {
            "no at-risk liver (cirrhosis, chronic hepatitis B, prior HCC) and no LI-RADS category stated".to_string()
        } else {
            "the at-risk liver condition is negated and no LI-RADS category is stated".to_string()
        });
        return out;
    }
    let obs = observations(summary, lesions);
    if obs.is_empty() {
        out.reason = Some("no LI-RADS features (arterial hyperenhancement, washout, capsule, rim or targetoid enhancement) described".to_string());
        return out;
    }
    let growth = facts::threshold_growth(facts);
    // A growth statement belongs to the observation described nearest to it.
    let growth_owner: Option<usize> = growth.affirmed.first().map(|(_, g)| {
        obs.iter()
            .enumerate()
            .min_by_key(|(_, o)| {
                o.evidence
                    .iter()
                    .map(|e| e.start.abs_diff(g.start))
                    .min()
                    .unwrap_or(usize::MAX)
            })
            .map(|(i, _)| i)
            .unwrap_or(0)
    });
    if !growth.affirmed.is_empty() {
        out.inputs.push(inputs::input(
            facts::THRESHOLD_GROWTH,
            true.into(),
            growth.affirmed.iter().map(|(_, e)| e.clone()).collect(),
        ));
    }
    let mut unknown = 0;
    for (i, o) in obs.iter().enumerate() {
        let p = &o.patterns;
        let aphe =
            p.contains(&Pattern::ArterialHyperenhancement) || p.contains(&Pattern::Hypervascular);
        let f = MajorFeatures {
            washout: p.contains(&Pattern::Washout),
            capsule: p.contains(&Pattern::Capsule),
            threshold_growth: growth_owner == Some(i),
        };
        let mut lrm_features = Vec::new();
        if p.contains(&Pattern::RimEnhancement) {
            lrm_features.push("rim_enhancement".to_string());
        }
        if p.contains(&Pattern::TargetSign) {
            lrm_features.push("target_sign".to_string());
        }
        let category = categorize(aphe, o.size_mm, f, !lrm_features.is_empty()).map(str::to_string);
        if category.is_none() {
            unknown += 1;
        }
        let mut ev = o.evidence.clone();
        for code in [
            "arterial_hyperenhancement",
            "hypervascular",
            "washout",
            "capsule",
            "rim_enhancement",
            "target_sign",
        ] {
            if Pattern::from_code(code).is_some_and(|c| p.contains(&c)) {
                ev.extend(inputs::naming(facts, inputs::PATTERN_FIELDS, code));
            }
        }
        let name = match o.lesion {
            Some(ix) => format!("lesions[{ix}]"),
            None => "summary.patterns".to_string(),
        };
        out.inputs.push(inputs::input(
            &name,
            crate::record_names::name_array(p, Pattern::as_str),
            inputs::dedup(ev),
        ));
        out.observations.push(LiradsObservation {
            category,
            lesion: o.lesion,
            size_mm: o.size_mm,
            aphe,
            major_features: f.names(),
            lrm_features,
        });
    }
    let best = out
        .observations
        .iter()
        .filter_map(|o| o.category.clone())
        .max_by_key(|c| rank(c));
    out.value = match best {
        Some(b) if unknown == 0 || b == "LR-M" => Some(b),
        _ => {
            out.reason = Some(format!(
                "{unknown} observation(s) without a size, which the category depends on"
            ));
            None
        }
    };
    // Tumour in vein overrides the table, which radpath does not read: no comparison.
    out.disagrees = match (&out.value, &stated) {
        (Some(_), Some(s)) if s == "LR-TIV" => None,
        (Some(v), Some(s)) => Some(v != s),
        _ => None,
    };
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use SizeBand::*;

    fn f(washout: bool, capsule: bool, threshold_growth: bool) -> MajorFeatures {
        MajorFeatures {
            washout,
            capsule,
            threshold_growth,
        }
    }

    /// Every cell of the v2018 CT/MRI diagnostic table, every feature combination.
    #[test]
    fn every_cell_of_the_table() {
        let none = [f(false, false, false)];
        let one = [
            f(true, false, false),
            f(false, true, false),
            f(false, false, true),
        ];
        let two = [
            f(true, true, false),
            f(true, false, true),
            f(false, true, true),
            f(true, true, true),
        ];
        // No APHE: < 20 mm
        for band in [Under10, From10To19] {
            none.iter()
                .chain(&one)
                .for_each(|x| assert_eq!(table(false, band, *x), "LR-3", "{band:?} {x:?}"));
            two.iter()
                .for_each(|x| assert_eq!(table(false, band, *x), "LR-4", "{band:?} {x:?}"));
        }
        // No APHE: >= 20 mm
        none.iter()
            .for_each(|x| assert_eq!(table(false, AtLeast20, *x), "LR-3"));
        one.iter()
            .chain(&two)
            .for_each(|x| assert_eq!(table(false, AtLeast20, *x), "LR-4", "{x:?}"));
        // Non-rim APHE: < 10 mm
        none.iter()
            .for_each(|x| assert_eq!(table(true, Under10, *x), "LR-3"));
        one.iter()
            .chain(&two)
            .for_each(|x| assert_eq!(table(true, Under10, *x), "LR-4", "{x:?}"));
        // Non-rim APHE: 10-19 mm
        assert_eq!(table(true, From10To19, none[0]), "LR-3");
        assert_eq!(
            table(true, From10To19, f(true, false, false)),
            "LR-5",
            "washout alone"
        );
        assert_eq!(
            table(true, From10To19, f(false, false, true)),
            "LR-5",
            "threshold growth alone"
        );
        assert_eq!(
            table(true, From10To19, f(false, true, false)),
            "LR-4",
            "capsule alone"
        );
        two.iter()
            .for_each(|x| assert_eq!(table(true, From10To19, *x), "LR-5", "{x:?}"));
        // Non-rim APHE: >= 20 mm
        assert_eq!(table(true, AtLeast20, none[0]), "LR-4");
        one.iter()
            .chain(&two)
            .for_each(|x| assert_eq!(table(true, AtLeast20, *x), "LR-5", "{x:?}"));
    }

    #[test]
    fn size_band_edges() {
        assert_eq!(SizeBand::of(9.9), Under10);
        assert_eq!(SizeBand::of(10.0), From10To19);
        assert_eq!(SizeBand::of(19.9), From10To19);
        assert_eq!(SizeBand::of(20.0), AtLeast20);
    }

    #[test]
    fn lr_m_wins_and_unknown_size_only_when_it_does_not_matter() {
        assert_eq!(
            categorize(true, Some(25.0), f(true, true, false), true),
            Some("LR-M")
        );
        assert_eq!(
            categorize(false, None, MajorFeatures::default(), true),
            Some("LR-M")
        );
        assert_eq!(
            categorize(false, None, MajorFeatures::default(), false),
            Some("LR-3")
        );
        assert_eq!(categorize(true, None, f(true, false, false), false), None);
        assert_eq!(
            categorize(true, None, MajorFeatures::default(), false),
            None
        );
    }

    #[test]
    fn normalises_stated_categories() {
        assert_eq!(normalise("LR-5"), "LR-5");
        assert_eq!(normalise("lr 4"), "LR-4");
        assert_eq!(normalise("LI-RADS 3"), "LR-3");
        assert_eq!(normalise("LR-M"), "LR-M");
    }

    fn lesion(mm: f64, patterns: Vec<Pattern>) -> Lesion {
        Lesion {
            kind: LesionKind::Unspecified,
            count: None,
            size_mm: Some(crate::record::Size {
                dims: vec![mm],
                max: mm,
            }),
            segments: vec![],
            lobe: None,
            patterns,
            assertion: Default::default(),
            evidence: vec![],
        }
    }

    fn at_risk() -> Vec<Fact> {
        vec![Fact {
            field: facts::AT_RISK_LIVER.into(),
            value: serde_json::to_value(facts::CauseValue {
                cause: "cirrhosis".into(),
                assertion: Default::default(),
            })
            .unwrap_or_default(),
            evidence: Evidence {
                start: 0,
                end: 8,
                text: "cirrhose".into(),
                rule: "test".into(),
            },
        }]
    }

    #[test]
    fn needs_an_at_risk_liver_or_a_stated_category() {
        let l = vec![lesion(
            22.0,
            vec![Pattern::ArterialHyperenhancement, Pattern::Washout],
        )];
        let s = Summary::default();
        let out = derive(&s, &l, &[]);
        assert_eq!(out.value, None);
        assert!(out.reason.is_some());
        let out = derive(&s, &l, &at_risk());
        assert_eq!(out.value.as_deref(), Some("LR-5"));
        assert_eq!(out.disagrees, None);
        let s = Summary {
            lirads_stated: Some("LR-4".into()),
            ..Summary::default()
        };
        let out = derive(&s, &l, &[]);
        assert_eq!(
            (out.value.as_deref(), out.disagrees),
            (Some("LR-5"), Some(true))
        );
    }

    #[test]
    fn highest_category_over_observations() {
        let l = vec![
            lesion(8.0, vec![Pattern::ArterialHyperenhancement]),
            lesion(
                15.0,
                vec![Pattern::ArterialHyperenhancement, Pattern::Capsule],
            ),
        ];
        let s = Summary {
            lirads_stated: Some("LR-4".into()),
            ..Summary::default()
        };
        let out = derive(&s, &l, &at_risk());
        assert_eq!(out.observations.len(), 2);
        assert_eq!(out.value.as_deref(), Some("LR-4"));
        assert_eq!(out.disagrees, Some(false));
        let s = Summary {
            lirads_stated: Some("LR-TIV".into()),
            ..Summary::default()
        };
        assert_eq!(
            derive(&s, &l, &at_risk()).disagrees,
            None,
            "LR-TIV is not compared"
        );
    }
}
