//! Staging: pure functions from a record's facts to derived scores.

use crate::record::{Fact, Lesion, Staging, Summary};

/// Derives the staging object from the summary, lesions and facts.
pub fn derive(_summary: &Summary, _lesions: &[Lesion], _facts: &[Fact]) -> Staging {
    Staging::default()
}
