//! Liver lesions: kind, grouping of size, count, segments and patterns per lesion, merging of repeated mentions.

use super::{Ctx, Extraction};

/// Adds what this module reads to `out`.
pub fn extract(_ctx: &Ctx, _out: &mut Extraction) {}
