//! Clinical context that staging needs: extrahepatic disease, an at-risk liver, node status of the primary, disease-free interval.

use super::{Ctx, Extraction};

/// Adds what this module reads to `out`.
pub fn extract(_ctx: &Ctx, _out: &mut Extraction) {}
