//! Fong clinical risk score (Fong et al., Ann Surg 1999): one point each for a
//! node-positive primary, a disease-free interval under 12 months, more than one liver
//! tumour, preoperative CEA above 200 ng/ml and a largest liver tumour above 5 cm.

use crate::record::{
    Count, Fact, FongCriterion, FongCrs, FongItem, Lesion, MetastasisStatus, StagingInput, Summary,
};

use super::facts::{self, Bound};
use super::inputs;

/// CEA above this (ng/ml) scores a point.
pub const CEA_LIMIT_NG_ML: f64 = 200.0;
/// A largest tumour above this (mm) scores a point.
pub const SIZE_LIMIT_MM: f64 = 50.0;
/// A disease-free interval below this (months) scores a point.
pub const INTERVAL_LIMIT_MONTHS: f64 = 12.0;

fn item(
    criterion: FongCriterion,
    met: Option<bool>,
    inputs: Vec<StagingInput>,
    missing: &str,
) -> FongItem {
    let missing = if met.is_none() {
        vec![missing.to_string()]
    } else {
        Vec::new()
    };
    FongItem {
        criterion,
        met,
        inputs,
        missing,
    }
}

/// More than one tumour: an exact count above one, or a lower bound of two or more.
pub fn more_than_one(count: Count) -> Option<bool> {
    match count {
        Count::Value(n) => Some(n > 1),
        Count::AtLeast(n) if n > 1 => Some(true),
        Count::AtLeast(_) => None,
    }
}

/// Whether a stated interval is under 12 months (null when the bound does not decide).
pub fn interval_under_limit(months: f64, bound: Bound) -> Option<bool> {
    match bound {
        Bound::Exact => Some(months < INTERVAL_LIMIT_MONTHS),
        Bound::Below if months <= INTERVAL_LIMIT_MONTHS => Some(true),
        Bound::Above if months >= INTERVAL_LIMIT_MONTHS => Some(false),
        _ => None,
    }
}

/// Derives the Fong score. It applies to liver metastases: when none are present or
/// suspected the criteria are left empty and `reason` says why.
pub fn derive(summary: &Summary, lesions: &[Lesion], facts: &[Fact]) -> FongCrs {
    if !matches!(
        summary.liver_metastasis,
        MetastasisStatus::Present | MetastasisStatus::Suspected
    ) {
        return FongCrs {
            reason: Some(
                "no liver metastasis present or suspected: the score applies to liver metastases"
                    .to_string(),
            ),
            ..FongCrs::default()
        };
    }
    let mut criteria = Vec::with_capacity(5);

    // Node-positive primary.
    let nodes = facts::node_status(facts);
    let pos: Vec<_> = nodes
        .iter()
        .filter(|(p, _)| *p)
        .map(|(_, e)| e.clone())
        .collect();
    let neg: Vec<_> = nodes
        .iter()
        .filter(|(p, _)| !*p)
        .map(|(_, e)| e.clone())
        .collect();
    let (met, ev, val) = match (pos.is_empty(), neg.is_empty()) {
        (false, _) => (Some(true), pos, "positive"),
        (true, false) => (Some(false), neg, "negative"),
        (true, true) => (None, Vec::new(), ""),
    };
    let inp = if met.is_some() {
        vec![inputs::input(facts::PRIMARY_NODE_STATUS, val.into(), ev)]
    } else {
        Vec::new()
    };
    criteria.push(item(
        FongCriterion::NodePositivePrimary,
        met,
        inp,
        "primary_node_status (not stated)",
    ));

    // Disease-free interval under 12 months: a statement that it was wins over one that it was not.
    let mut decided: Option<(bool, StagingInput)> = None;
    for (v, ev) in facts::intervals(facts) {
        if let Some(under) = interval_under_limit(v.months, v.bound) {
            let inp = inputs::input(
                facts::DISEASE_FREE_INTERVAL,
                serde_json::to_value(&v).unwrap_or_default(),
                vec![ev],
            );
            match &decided {
                Some((true, _)) => {}
                _ => decided = Some((under, inp)),
            }
        }
    }
    let (met, inp) = match decided {
        Some((m, i)) => (Some(m), vec![i]),
        None => (None, Vec::new()),
    };
    criteria.push(item(
        FongCriterion::DiseaseFreeIntervalUnder12Months,
        met,
        inp,
        "disease_free_interval (not stated)",
    ));

    // More than one tumour.
    let (met, inp) = match inputs::lesion_count(summary, lesions, facts) {
        Some((c, i)) => (more_than_one(c), vec![i]),
        None => (None, Vec::new()),
    };
    criteria.push(item(
        FongCriterion::MoreThanOneTumor,
        met,
        inp,
        "lesion_count",
    ));

    // CEA above 200 ng/ml.
    let (met, inp) = match summary.labs.get("cea_ng_ml") {
        Some(&cea) => {
            let ev = inputs::naming(facts, inputs::LAB_FIELDS, "cea");
            (
                Some(cea > CEA_LIMIT_NG_ML),
                vec![inputs::input("labs.cea_ng_ml", inputs::number(cea), ev)],
            )
        }
        None => (None, Vec::new()),
    };
    criteria.push(item(FongCriterion::CeaOver200, met, inp, "labs.cea_ng_ml"));

    // Largest tumour above 5 cm.
    let (met, inp) = match inputs::largest_mm(summary, lesions, facts) {
        Some((mm, i)) => (Some(mm > SIZE_LIMIT_MM), vec![i]),
        None => (None, Vec::new()),
    };
    criteria.push(item(
        FongCriterion::LargestOver5Cm,
        met,
        inp,
        "largest_lesion_mm",
    ));

    let points = criteria.iter().filter(|c| c.met == Some(true)).count() as u8;
    let known = criteria.iter().filter(|c| c.met.is_some()).count() as u8;
    let unknown = criteria.len() as u8 - known;
    let complete = unknown == 0;
    FongCrs {
        value: complete.then_some(points),
        points,
        known_criteria: known,
        max_possible: points + unknown,
        reason: (!complete).then(|| format!("{unknown} of 5 criteria not stated")),
        criteria,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Assertion, Evidence};

    fn ev() -> Evidence {
        Evidence {
            start: 0,
            end: 1,
            text: "x".into(),
            rule: "test".into(),
        }
    }

    fn summary(count: Option<Count>, mm: Option<f64>, cea: Option<f64>) -> Summary {
        let mut s = Summary {
            liver_metastasis: MetastasisStatus::Present,
            lesion_count: count,
            largest_lesion_mm: mm,
            ..Summary::default()
        };
        if let Some(c) = cea {
            s.labs.insert("cea_ng_ml".into(), c);
        }
        s
    }

    fn met(f: &FongCrs, c: FongCriterion) -> Option<bool> {
        f.criteria
            .iter()
            .find(|i| i.criterion == c)
            .and_then(|i| i.met)
    }

    #[test]
    fn boundaries() {
        // CEA 200 vs 201, 50 vs 51 mm, one vs two tumours, at-least counts.
        let f = derive(
            &summary(Some(Count::Value(1)), Some(50.0), Some(200.0)),
            &[],
            &[],
        );
        assert_eq!(
            (f.points, f.known_criteria, f.max_possible, f.value),
            (0, 3, 2, None)
        );
        let f = derive(
            &summary(Some(Count::Value(2)), Some(51.0), Some(201.0)),
            &[],
            &[],
        );
        assert_eq!((f.points, f.known_criteria, f.max_possible), (3, 3, 5));
        assert_eq!(met(&f, FongCriterion::CeaOver200), Some(true));
        assert_eq!(met(&f, FongCriterion::LargestOver5Cm), Some(true));
        let f = derive(&summary(Some(Count::AtLeast(2)), None, None), &[], &[]);
        assert_eq!(met(&f, FongCriterion::MoreThanOneTumor), Some(true));
        assert_eq!((f.points, f.known_criteria, f.max_possible), (1, 1, 5));
        let f = derive(&summary(Some(Count::AtLeast(1)), None, None), &[], &[]);
        assert_eq!(met(&f, FongCriterion::MoreThanOneTumor), None);
        assert_eq!((f.points, f.known_criteria, f.max_possible), (0, 0, 5));
    }

    #[test]
    fn complete_score_from_clinical_facts() {
        let facts = vec![
            Fact {
                field: facts::PRIMARY_NODE_STATUS.into(),
                value: serde_json::to_value(facts::NodeStatusValue {
                    node_positive: true,
                    assertion: Assertion::default(),
                })
                .unwrap_or_default(),
                evidence: ev(),
            },
            Fact {
                field: facts::DISEASE_FREE_INTERVAL.into(),
                value: serde_json::to_value(facts::IntervalValue {
                    months: 8.0,
                    bound: Bound::Exact,
                })
                .unwrap_or_default(),
                evidence: ev(),
            },
        ];
        let f = derive(
            &summary(Some(Count::Value(3)), Some(62.0), Some(15.0)),
            &[],
            &facts,
        );
        assert_eq!(
            (f.value, f.points, f.known_criteria, f.max_possible),
            (Some(4), 4, 5, 4)
        );
        assert!(f.reason.is_none());
    }

    #[test]
    fn interval_bounds() {
        assert_eq!(interval_under_limit(11.0, Bound::Exact), Some(true));
        assert_eq!(interval_under_limit(12.0, Bound::Exact), Some(false));
        assert_eq!(interval_under_limit(12.0, Bound::Below), Some(true));
        assert_eq!(interval_under_limit(24.0, Bound::Below), None);
        assert_eq!(interval_under_limit(12.0, Bound::Above), Some(false));
        assert_eq!(interval_under_limit(6.0, Bound::Above), None);
        assert_eq!(interval_under_limit(0.0, Bound::Exact), Some(true));
    }

    #[test]
    fn not_applicable_without_liver_metastasis() {
        let s = Summary {
            lesion_count: Some(Count::Value(2)),
            ..Summary::default()
        };
        let f = derive(&s, &[], &[]);
        assert!(f.criteria.is_empty() && f.value.is_none() && f.reason.is_some());
    }
}
