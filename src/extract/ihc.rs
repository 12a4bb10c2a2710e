//! Immunohistochemistry: markers and their results on tumour cells.
//!
//! A report names markers (`ihc_marker` lexicon) and results (`ihc_result`, or a sign such
//! as `+`, `(-)`), in two shapes: a result before a list ("positief voor CK20 en CDX2",
//! "immunoreactive for ...") or after it ("CK20 en CDX2 positief", "CK7: -", "A+, B-").
//! A result distributes over every marker of its list. Results on controls, vessels, bile
//! ducts or background liver (`ihc_site`) are not the tumour's and are dropped.

mod items;
mod resolve;

use std::sync::LazyLock;

use regex::Regex;

use super::{Ctx, Extraction};
use crate::record::{IhcResult, IhcValue};

pub use items::{Item, ItemKind, Modifier};

/// A percentage right after a proliferation marker ("Ki-67 30%", "MIB-1 index: <2 %").
static PERCENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^%;]{0,40}?(\d{1,3}(?:[.,]\d+)?)\s*%").expect("percent regex"));

/// One result read for one marker.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// Canonical marker name.
    pub marker: String,
    /// The result.
    pub value: IhcValue,
    /// Folded range of the marker.
    pub marker_span: (usize, usize),
    /// Folded range of the result.
    pub result_span: (usize, usize),
    /// The rules that produced it.
    pub rule: String,
}

/// Adds what this module reads to `out`.
pub fn extract(ctx: &Ctx, out: &mut Extraction) {
    for a in read(ctx) {
        let value = match a.value {
            IhcValue::Result(r) => serde_json::json!({ "marker": a.marker, "result": r }),
            IhcValue::Percent(p) => serde_json::json!({ "marker": a.marker, "percent": p }),
        };
        let lo = a.marker_span.0.min(a.result_span.0);
        let hi = a.marker_span.1.max(a.result_span.1);
        out.facts
            .push(ctx.fact("ihc", value, lo, hi, a.rule.clone()));
        out.summary.ihc.insert(a.marker, a.value);
    }
}

/// Every marker result on tumour cells, in text order (a later result for the same marker
/// overrides an earlier one when they are put into a map).
pub fn read(ctx: &Ctx) -> Vec<Assignment> {
    // Markers come only from `ihc_marker` matches: most radiology reports have none.
    if !ctx.has_kind("ihc_marker") {
        return Vec::new();
    }
    let items = items::collect(ctx);
    if !items.iter().any(|i| matches!(i.kind, ItemKind::Marker(_))) {
        return Vec::new();
    }
    let mut out = resolve::assign(ctx, &items);
    let percent = percentages(ctx, &items);
    // A marker read as a percentage ("MIB-1 staining in 30%") is a number, not a result.
    out.retain(|a| !percent.iter().any(|p| p.marker == a.marker));
    out.extend(percent);
    out.sort_by_key(|a| a.marker_span.0.min(a.result_span.0));
    out
}

/// Ki-67 / MIB-1 percentages.
fn percentages(ctx: &Ctx, items: &[Item]) -> Vec<Assignment> {
    let folded = ctx.folded();
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let ItemKind::Marker(name) = &item.kind else {
            continue;
        };
        if name != "Ki-67" {
            continue;
        }
        let limit = items[i + 1..]
            .iter()
            .find(|n| matches!(n.kind, ItemKind::Marker(_)) && n.start >= item.end)
            .map_or(folded.len(), |n| n.start);
        let Some(rest) = folded.get(item.end..limit) else {
            continue;
        };
        let Some(c) = PERCENT.captures(rest) else {
            continue;
        };
        let Some(m) = c.get(1) else { continue };
        let Ok(v) = m.as_str().replace(',', ".").parse::<f64>() else {
            continue;
        };
        if v > 100.0 {
            continue;
        }
        let s = item.end + m.start();
        let e = item.end + c.get(0).map_or(m.end(), |g| g.end());
        out.push(Assignment {
            marker: name.clone(),
            value: IhcValue::Percent(v),
            marker_span: (item.start, item.end),
            result_span: (s, e),
            rule: format!("{} + ihc:percent", item.rule),
        });
    }
    out
}

/// Combines a result with the modifiers found next to it ("focaal positief" -> focal).
pub fn combine(result: IhcResult, mods: &[Modifier]) -> IhcResult {
    let not = mods.contains(&Modifier::Not);
    match result {
        IhcResult::Positive if not => IhcResult::Negative,
        IhcResult::Positive | IhcResult::Weak if mods.contains(&Modifier::Focal) => {
            IhcResult::Focal
        }
        IhcResult::Positive if mods.contains(&Modifier::Weak) => IhcResult::Weak,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use crate::extract::Extractor;
    use crate::lexicon::LexiconSet;
    use crate::record::Language;

    fn ihc(text: &str, lang: Language) -> Vec<(String, String)> {
        let ex = Extractor::new(LexiconSet::embedded().expect("lexicons"));
        let out = ex.extract_text(text, Some(lang));
        out.summary
            .ihc
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    serde_json::to_value(v)
                        .map(|v| v.to_string())
                        .unwrap_or_default(),
                )
            })
            .collect()
    }

    fn has(v: &[(String, String)], m: &str, r: &str) -> bool {
        v.iter().any(|(k, x)| k == m && x.trim_matches('"') == r)
    }

    #[test]
    fn prefix_lists_distribute() {
        let v = ihc("De tumorcellen zijn positief voor CK20, CDX2 en SATB2 en negatief voor CK7 en HepPar-1.", Language::Nl);
        assert!(
            has(&v, "CK20", "positive")
                && has(&v, "CDX2", "positive")
                && has(&v, "SATB2", "positive"),
            "{v:?}"
        );
        assert!(
            has(&v, "CK7", "negative") && has(&v, "HepPar-1", "negative"),
            "{v:?}"
        );
    }

    #[test]
    fn postfix_lists_and_signs() {
        let v = ihc("Immunohistochemie: CK7 en CK20 negatief, HepPar-1 focaal positief, Arginase-1 +, GPC3 (-).", Language::Nl);
        assert!(
            has(&v, "CK7", "negative") && has(&v, "CK20", "negative"),
            "{v:?}"
        );
        assert!(
            has(&v, "HepPar-1", "focal")
                && has(&v, "Arginase-1", "positive")
                && has(&v, "Glypican-3", "negative"),
            "{v:?}"
        );
        let v = ihc(
            "Stains: CD10+, Hepar+, AFP-, CK7 weakly positive.",
            Language::En,
        );
        assert!(
            has(&v, "CD10", "positive")
                && has(&v, "HepPar-1", "positive")
                && has(&v, "AFP", "negative"),
            "{v:?}"
        );
        assert!(has(&v, "CK7", "weak"), "{v:?}");
    }

    #[test]
    fn non_tumour_staining_is_dropped() {
        let v = ihc("The tumor cells are negative for CK7. CK7 highlights native bile ducts. Cytokeratin 19: positive in bile ducts.", Language::En);
        assert!(has(&v, "CK7", "negative"), "{v:?}");
        assert!(!v.iter().any(|(k, _)| k == "CK19"), "{v:?}");
    }

    #[test]
    fn ki67_is_a_percentage() {
        let v = ihc("Ki-67 proliferatie-index circa 15%.", Language::Nl);
        assert!(has(&v, "Ki-67", "15"), "{v:?}");
    }

    #[test]
    fn er_is_a_marker_only_in_capitals() {
        let v = ihc("Er is een tumor. ER positief, PR negatief.", Language::Nl);
        assert!(
            has(&v, "ER", "positive") && has(&v, "PR", "negative"),
            "{v:?}"
        );
        assert_eq!(v.len(), 2, "{v:?}");
    }
}
