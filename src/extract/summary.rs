//! The report-level summary, derived from lesions and facts.

use super::{Ctx, Extraction};

/// Adds what this module reads to `out`.
pub fn finish(_ctx: &Ctx, _out: &mut Extraction) {}
