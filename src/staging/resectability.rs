//! The classic resectability criteria that the source article states: at most four liver
//! metastases and no extrahepatic disease; metastases in both lobes noted as a risk factor.
//! Flags for a reader, not advice.

use crate::record::{
    Count, ExtrahepaticFinding, Fact, Lesion, Lobe, MetastasisStatus, Presence, Resectability,
    ResectabilityCriterion, ResectabilityItem, Summary,
};

use super::facts;
use super::inputs;

/// The most liver metastases the classic criteria allow.
pub const MAX_METASTASES: u32 = 4;

/// Whether a count meets "at most four" (null when a lower bound does not decide).
pub fn at_most_four(count: Count) -> Option<bool> {
    match count {
        Count::Value(n) => Some(n <= MAX_METASTASES),
        Count::AtLeast(n) if n > MAX_METASTASES => Some(false),
        Count::AtLeast(_) => None,
    }
}

/// Bilobar disease: true when the summary says so, false when the segments lie in one
/// lobe only, null when the segments do not tell.
pub fn bilobar(summary: &Summary) -> Option<bool> {
    if summary.bilobar {
        return Some(true);
    }
    let lobes: Vec<Lobe> = summary
        .segments
        .iter()
        .map(|s| s.lobe())
        .filter(|l| *l != Lobe::Caudate)
        .collect();
    let left = lobes.contains(&Lobe::Left);
    let right = lobes.contains(&Lobe::Right);
    match (left, right) {
        (true, true) => Some(true),
        (true, false) | (false, true) => Some(false),
        (false, false) => None,
    }
}

/// Derives the resectability flags.
pub fn derive(summary: &Summary, lesions: &[Lesion], facts: &[Fact]) -> Resectability {
    let mut out = Resectability::default();
    if !matches!(
        summary.liver_metastasis,
        MetastasisStatus::Present | MetastasisStatus::Suspected
    ) {
        out.reasons.push(
            "no liver metastasis present or suspected: the criteria apply to liver metastases"
                .to_string(),
        );
        return out;
    }

    // At most four liver metastases.
    let (met, inp, missing) = match inputs::lesion_count(summary, lesions, facts) {
        Some((c, i)) => {
            let met = at_most_four(c);
            match (met, c) {
                (Some(true), _) => out.reasons.push(format!(
                    "{} liver metastases: at most {MAX_METASTASES}",
                    c.number()
                )),
                (Some(false), Count::Value(n)) => out
                    .reasons
                    .push(format!("{n} liver metastases: more than {MAX_METASTASES}")),
                (Some(false), Count::AtLeast(n)) => out.reasons.push(format!(
                    "at least {n} liver metastases: more than {MAX_METASTASES}"
                )),
                (None, _) => out.reasons.push(format!(
                    "only a lower bound of {} liver metastases is stated",
                    c.number()
                )),
            }
            let missing = if met.is_none() {
                vec!["lesion_count (exact number)".to_string()]
            } else {
                Vec::new()
            };
            (met, vec![i], missing)
        }
        None => {
            out.reasons
                .push("the number of liver metastases is not stated".to_string());
            (None, Vec::new(), vec!["lesion_count".to_string()])
        }
    };
    out.criteria.push(ResectabilityItem {
        criterion: ResectabilityCriterion::AtMostFourLiverMetastases,
        met,
        inputs: inp,
        missing,
    });

    // No extrahepatic disease.
    let ehd = facts::extrahepatic(facts);
    for (list, presence) in [
        (&ehd.affirmed, Presence::Present),
        (&ehd.hedged, Presence::Uncertain),
        (&ehd.negated, Presence::Absent),
    ] {
        for (site, ev) in list {
            out.extrahepatic.push(ExtrahepaticFinding {
                site: site.clone(),
                presence,
                evidence: ev.clone(),
            });
        }
    }
    out.extrahepatic.sort_by_key(|f| f.evidence.start);
    let sites = |l: &Vec<(String, crate::record::Evidence)>| {
        let mut s: Vec<&str> = l.iter().map(|(x, _)| x.as_str()).collect();
        s.sort();
        s.dedup();
        s.join(", ")
    };
    let (met, value, evidence, missing) = if !ehd.affirmed.is_empty() {
        out.reasons.push(format!(
            "extrahepatic disease stated: {}",
            sites(&ehd.affirmed)
        ));
        (
            Some(false),
            "present",
            ehd.affirmed.iter().map(|(_, e)| e.clone()).collect(),
            Vec::new(),
        )
    } else if !ehd.hedged.is_empty() {
        out.reasons.push(format!(
            "extrahepatic disease only suspected: {}",
            sites(&ehd.hedged)
        ));
        (
            None,
            "suspected",
            ehd.hedged.iter().map(|(_, e)| e.clone()).collect(),
            vec!["extrahepatic_disease (only suspected)".to_string()],
        )
    } else if !ehd.negated.is_empty() {
        out.reasons.push(format!(
            "extrahepatic disease negated: {}",
            sites(&ehd.negated)
        ));
        (
            Some(true),
            "absent",
            ehd.negated.iter().map(|(_, e)| e.clone()).collect(),
            Vec::new(),
        )
    } else {
        out.reasons
            .push("extrahepatic disease is not spoken of".to_string());
        (
            None,
            "not_mentioned",
            Vec::new(),
            vec!["extrahepatic_disease (not stated)".to_string()],
        )
    };
    let inp = if evidence.is_empty() {
        Vec::new()
    } else {
        vec![inputs::input(
            facts::EXTRAHEPATIC_DISEASE,
            value.into(),
            evidence,
        )]
    };
    out.criteria.push(ResectabilityItem {
        criterion: ResectabilityCriterion::NoExtrahepaticDisease,
        met,
        inputs: inp,
        missing,
    });

    out.meets_classic_criteria = if out.criteria.iter().any(|c| c.met == Some(false)) {
        Some(false)
    } else if out.criteria.iter().all(|c| c.met == Some(true)) {
        Some(true)
    } else {
        None
    };
    out.bilobar = bilobar(summary);
    if out.bilobar.is_some() {
        let segments =
            crate::record_names::name_array(&summary.segments, crate::record::Segment::as_str);
        let ev = inputs::by_field(facts, &["segment", "segments", "lobe", "lobes", "bilobar"]);
        out.bilobar_inputs
            .push(inputs::input("segments", segments, ev));
    }
    if out.bilobar == Some(true) {
        out.reasons
            .push("metastases in both lobes (a risk factor for recurrence)".to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Assertion, Evidence, Segment};
    use crate::staging::facts::SiteValue;

    fn summary(count: Option<Count>) -> Summary {
        Summary {
            liver_metastasis: MetastasisStatus::Present,
            lesion_count: count,
            ..Summary::default()
        }
    }

    fn site(site: &str, presence: Presence) -> Fact {
        let assertion = Assertion {
            presence,
            ..Assertion::default()
        };
        Fact {
            field: facts::EXTRAHEPATIC_DISEASE.into(),
            value: serde_json::to_value(SiteValue {
                site: site.into(),
                assertion,
            })
            .unwrap_or_default(),
            evidence: Evidence {
                start: 3,
                end: 9,
                text: "x".into(),
                rule: "test".into(),
            },
        }
    }

    #[test]
    fn four_versus_five() {
        let no_ehd = [site("unspecified", Presence::Absent)];
        let table: &[(Count, Option<bool>)] = &[
            (Count::Value(1), Some(true)),
            (Count::Value(4), Some(true)),
            (Count::Value(5), Some(false)),
            (Count::AtLeast(2), None),
            (Count::AtLeast(4), None),
            (Count::AtLeast(5), Some(false)),
        ];
        for (c, want) in table {
            let r = derive(&summary(Some(*c)), &[], &no_ehd);
            assert_eq!(r.meets_classic_criteria, *want, "{c:?}: {:?}", r.reasons);
        }
    }

    #[test]
    fn extrahepatic_disease_decides() {
        let s = summary(Some(Count::Value(2)));
        assert_eq!(
            derive(&s, &[], &[]).meets_classic_criteria,
            None,
            "silence is unknown"
        );
        assert_eq!(
            derive(&s, &[], &[site("lung", Presence::Absent)]).meets_classic_criteria,
            Some(true)
        );
        let r = derive(&s, &[], &[site("lung", Presence::Present)]);
        assert_eq!(r.meets_classic_criteria, Some(false));
        assert_eq!(r.extrahepatic.len(), 1);
        assert_eq!(
            derive(&s, &[], &[site("peritoneum", Presence::Uncertain)]).meets_classic_criteria,
            None
        );
        // An affirmed site beats a negated one.
        let r = derive(
            &s,
            &[],
            &[
                site("lung", Presence::Absent),
                site("bone", Presence::Present),
            ],
        );
        assert_eq!(r.meets_classic_criteria, Some(false));
        // Five metastases fail whatever the rest says.
        assert_eq!(
            derive(&summary(Some(Count::Value(5))), &[], &[]).meets_classic_criteria,
            Some(false)
        );
    }

    #[test]
    fn bilobar_from_segments() {
        let mut s = summary(Some(Count::Value(2)));
        assert_eq!(bilobar(&s), None);
        s.segments = vec![Segment::VI, Segment::VII];
        assert_eq!(bilobar(&s), Some(false));
        s.segments = vec![Segment::III, Segment::VII];
        assert_eq!(bilobar(&s), Some(true));
        s.segments.clear();
        s.bilobar = true;
        assert_eq!(bilobar(&s), Some(true));
    }

    #[test]
    fn not_applicable_without_metastasis() {
        let r = derive(&Summary::default(), &[], &[]);
        assert_eq!(r.meets_classic_criteria, None);
        assert!(r.criteria.is_empty());
    }
}
