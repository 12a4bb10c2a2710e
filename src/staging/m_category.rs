//! M category from the liver: `M1` when a liver metastasis is present (stated or proven).

use crate::record::{Fact, Lesion, MCategory, MetastasisStatus, Summary};

use super::inputs;

/// Derives the M category.
pub fn derive(summary: &Summary, lesions: &[Lesion], facts: &[Fact]) -> MCategory {
    let input = inputs::liver_metastasis(summary, lesions, facts);
    let (value, reason) = match summary.liver_metastasis {
        MetastasisStatus::Present => (Some("M1".to_string()), None),
        MetastasisStatus::Suspected => (None, Some("liver metastasis only suspected")),
        MetastasisStatus::Absent => (None, Some("liver metastasis negated")),
        MetastasisStatus::NotMentioned => (None, Some("no liver metastasis stated")),
    };
    MCategory {
        value,
        inputs: vec![input],
        reason: reason.map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_present_gives_m1() {
        for (status, want) in [
            (MetastasisStatus::Present, Some("M1")),
            (MetastasisStatus::Suspected, None),
            (MetastasisStatus::Absent, None),
            (MetastasisStatus::NotMentioned, None),
        ] {
            let s = Summary {
                liver_metastasis: status,
                ..Summary::default()
            };
            let m = derive(&s, &[], &[]);
            assert_eq!(m.value.as_deref(), want);
            assert_eq!(m.reason.is_none(), want.is_some());
        }
    }
}
