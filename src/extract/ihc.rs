//! Immunohistochemistry: markers and their results on tumour cells.

use super::{Ctx, Extraction};

/// Adds what this module reads to `out`.
pub fn extract(_ctx: &Ctx, _out: &mut Extraction) {}
