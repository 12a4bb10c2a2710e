//! Staging: pure functions from a record's facts to derived scores. Nothing here reads
//! the text; text cues reach staging as facts written by `extract::clinical` (see
//! [`facts`]). Every value names its inputs with their evidence and is null, with the
//! missing inputs named, when an input is unknown. See docs/staging.md.

pub mod facts;
pub mod fong;
pub mod inputs;
pub mod lirads;
pub mod m_category;
pub mod origin;
pub mod resectability;
pub mod tumor_burden;

use crate::record::{Fact, Lesion, Staging, Summary};

/// Derives the staging object from the summary, lesions and facts.
pub fn derive(summary: &Summary, lesions: &[Lesion], facts: &[Fact]) -> Staging {
    Staging {
        tumor_burden_score: Some(tumor_burden::derive(summary, lesions, facts)),
        fong_crs: Some(fong::derive(summary, lesions, facts)),
        resectability: Some(resectability::derive(summary, lesions, facts)),
        lirads_computed: Some(lirads::derive(summary, lesions, facts)),
        origin_hint: Some(origin::derive(summary, facts)),
        m_category: Some(m_category::derive(summary, lesions, facts)),
    }
}
