//! Pathology facts: histology, tumour nodules, margins, resection status, specimen weight and segments.

use super::{Ctx, Extraction};

/// Adds what this module reads to `out`.
pub fn extract(_ctx: &Ctx, _out: &mut Extraction) {}
