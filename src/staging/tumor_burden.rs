//! Tumour burden score (Sasaki et al., Ann Surg 2018): sqrt(largest diameter in cm² +
//! number of liver lesions²).

use crate::record::{Count, Fact, Lesion, Summary, TumorBurden};

use super::inputs;

/// The score from the largest diameter (mm) and the number of lesions.
pub fn score(largest_mm: f64, count: u32) -> f64 {
    let cm = largest_mm / 10.0;
    let n = f64::from(count);
    let s = (cm * cm + n * n).sqrt();
    (s * 100.0).round() / 100.0
}

/// Derives the tumour burden score. With a lower-bound count (`{"at_least": n}`) the
/// value stays null and `lower_bound` holds the score of the bound.
pub fn derive(summary: &Summary, lesions: &[Lesion], facts: &[Fact]) -> TumorBurden {
    let mut out = TumorBurden::default();
    let size = inputs::largest_mm(summary, lesions, facts);
    let count = inputs::lesion_count(summary, lesions, facts);
    match &size {
        Some((_, i)) => out.inputs.push(i.clone()),
        None => out.missing.push("largest_lesion_mm".to_string()),
    }
    match &count {
        Some((Count::AtLeast(n), i)) => {
            out.inputs.push(i.clone());
            out.missing.push(format!(
                "lesion_count (only a lower bound is stated: at least {n})"
            ));
        }
        Some((_, i)) => out.inputs.push(i.clone()),
        None => out.missing.push("lesion_count".to_string()),
    }
    if let (Some((mm, _)), Some((c, _))) = (size, count) {
        match c {
            Count::Value(n) => out.value = Some(score(mm, n)),
            Count::AtLeast(n) => out.lower_bound = Some(score(mm, n)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(mm: Option<f64>, count: Option<Count>) -> Summary {
        Summary {
            largest_lesion_mm: mm,
            lesion_count: count,
            ..Summary::default()
        }
    }

    #[test]
    fn table() {
        // (largest mm, count, value, lower bound, missing)
        type Case = (Option<f64>, Option<Count>, Option<f64>, Option<f64>, usize);
        let cases: &[Case] = &[
            (Some(40.0), Some(Count::Value(3)), Some(5.0), None, 0),
            (Some(30.0), Some(Count::Value(4)), Some(5.0), None, 0),
            (Some(23.0), Some(Count::Value(1)), Some(2.51), None, 0),
            (Some(50.0), Some(Count::Value(5)), Some(7.07), None, 0),
            (Some(40.0), Some(Count::AtLeast(2)), None, Some(4.47), 1),
            (None, Some(Count::Value(2)), None, None, 1),
            (Some(20.0), None, None, None, 1),
            (None, None, None, None, 2),
        ];
        for (mm, c, value, lb, missing) in cases {
            let t = derive(&summary(*mm, *c), &[], &[]);
            assert_eq!(t.value, *value, "{mm:?} {c:?}");
            assert_eq!(t.lower_bound, *lb, "{mm:?} {c:?}");
            assert_eq!(t.missing.len(), *missing, "{mm:?} {c:?}: {:?}", t.missing);
        }
    }

    #[test]
    fn lower_bound_is_named_as_such() {
        let t = derive(&summary(Some(40.0), Some(Count::AtLeast(2))), &[], &[]);
        assert!(t.missing[0].contains("at least 2"));
        let json = serde_json::to_value(&t).unwrap_or_default();
        assert!(json["value"].is_null());
        assert_eq!(json["lower_bound"], serde_json::json!(4.47));
    }
}
