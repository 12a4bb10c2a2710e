//! Node status of the primary tumour from a TNM classification.

use serde_json::Value;

use crate::record::Assertion;
use crate::staging::facts::{self as f, NodeStatusValue};

use super::super::{Ctx, Extraction};
use super::patterns;

/// TNM classifications: the N category is the node status of the primary tumour.
pub(super) fn tnm(ctx: &Ctx, out: &mut Extraction) {
    let Some(re) = patterns().map(|p| &p.tnm) else {
        return;
    };
    // Every N category ends in "n" and its value: most reports have none, and the regex
    // need not run.
    let has_n_value = ctx
        .folded()
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'n' && matches!(w[1], b'0'..=b'3' | b'x' | b'+'));
    if !has_n_value {
        return;
    }
    for c in re.captures_iter(ctx.folded()) {
        let Some(all) = c.get(0) else { continue };
        let Some(n) = c.get(1).or_else(|| c.get(2)) else {
            continue;
        };
        let positive = match n.as_str() {
            "0" => false,
            "1" | "2" | "3" | "+" => true,
            _ => continue,
        };
        let v = NodeStatusValue {
            node_positive: positive,
            assertion: Assertion::default(),
        };
        let value = serde_json::to_value(&v).unwrap_or(Value::Null);
        out.facts.push(ctx.fact(
            f::PRIMARY_NODE_STATUS,
            value,
            all.start(),
            all.end(),
            "clinical:tnm_n_category",
        ));
    }
}
