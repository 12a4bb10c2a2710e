//! Origin hint from the IHC panel: which primary the tumour cells' markers point to.
//! A hint for a reader, never a diagnosis: conflicting or insufficient panels give null.

use std::collections::BTreeMap;

use crate::record::{Fact, IhcResult, IhcValue, Origin, OriginHint, Summary};

use super::inputs;

/// What the panel says about one marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stain {
    /// Positive, focal or weak.
    Pos,
    /// Negative.
    Neg,
}

/// The panel by normalised marker name (`heppar1`, `ck20`, ...), with the names as written.
struct Panel<'a> {
    stains: BTreeMap<String, (Stain, &'a str, IhcResult)>,
}

impl<'a> Panel<'a> {
    fn new(ihc: &'a BTreeMap<String, IhcValue>) -> Panel<'a> {
        let mut stains = BTreeMap::new();
        for (name, v) in ihc {
            let IhcValue::Result(r) = v else { continue };
            let stain = match r {
                IhcResult::Positive | IhcResult::Focal | IhcResult::Weak => Stain::Pos,
                IhcResult::Negative => Stain::Neg,
                IhcResult::Equivocal => continue,
            };
            stains.insert(inputs::norm(name), (stain, name.as_str(), *r));
        }
        Panel { stains }
    }

    /// The positive markers among `names`.
    fn positive(&self, names: &[&str]) -> Vec<&'a str> {
        self.with(names, Stain::Pos)
    }

    fn negative(&self, names: &[&str]) -> Vec<&'a str> {
        self.with(names, Stain::Neg)
    }

    fn with(&self, names: &[&str], stain: Stain) -> Vec<&'a str> {
        names
            .iter()
            .filter_map(|n| {
                self.stains
                    .get(*n)
                    .filter(|(s, _, _)| *s == stain)
                    .map(|(_, w, _)| *w)
            })
            .collect()
    }

    fn tested(&self, name: &str) -> bool {
        self.stains.contains_key(name)
    }
}

const HEPATOCELLULAR: &[&str] = &["heppar1", "arginase1"];
const INTESTINAL: &[&str] = &["ck20", "cdx2", "satb2"];
const LUNG: &[&str] = &["ttf1", "napsina"];
const BREAST: &[&str] = &["gata3", "er"];
const NEUROENDOCRINE: &[&str] = &["synaptophysin", "chromogranin", "chromogranina"];
const MELANOMA: &[&str] = &["sox10", "s100"];

/// The origins the panel supports, each with the markers behind it; and notes on
/// profiles that rule an origin out.
fn supported<'a>(p: &Panel<'a>) -> (Vec<(Origin, Vec<&'a str>)>, Vec<String>) {
    let mut out = Vec::new();
    let mut notes = Vec::new();
    for (origin, markers) in [
        (Origin::Hepatocellular, HEPATOCELLULAR),
        (Origin::Lung, LUNG),
        (Origin::Breast, BREAST),
        (Origin::Neuroendocrine, NEUROENDOCRINE),
        (Origin::Melanoma, MELANOMA),
    ] {
        let pos = p.positive(markers);
        if !pos.is_empty() {
            out.push((origin, pos));
        }
    }
    // Colorectal: CK20 / CDX2 / SATB2 positive with CK7 negative; with CK7 not tested, two
    // of the three intestinal markers must be positive.
    let intestinal = p.positive(INTESTINAL);
    if !intestinal.is_empty() {
        let ck7_neg = p.negative(&["ck7"]);
        if !ck7_neg.is_empty() {
            let mut m = intestinal;
            m.extend(ck7_neg);
            out.push((Origin::Colorectal, m));
        } else if p.tested("ck7") {
            notes.push(
                "CK7 positive with an intestinal marker is not the colorectal profile (CK7-/CK20+)"
                    .to_string(),
            );
        } else if intestinal.len() >= 2 {
            out.push((Origin::Colorectal, intestinal));
        } else {
            notes.push(format!(
                "{} positive alone, CK7 not tested: too little for a colorectal profile",
                intestinal.join(", ")
            ));
        }
    }
    let mut ordered = out;
    ordered.sort_by_key(|(o, _)| *o as u8);
    (ordered, notes)
}

/// Derives the origin hint from `summary.ihc`.
pub fn derive(summary: &Summary, facts: &[Fact]) -> OriginHint {
    let mut out = OriginHint::default();
    if summary.ihc.is_empty() {
        out.reason = Some("no IHC results".to_string());
        return out;
    }
    let panel = Panel::new(&summary.ihc);
    let (support, notes) = supported(&panel);
    let marker_input = |name: &str| {
        let result = panel
            .stains
            .get(&inputs::norm(name))
            .map(|(_, _, r)| serde_json::Value::from(r.as_str()))
            .unwrap_or_default();
        inputs::input(
            &format!("ihc.{name}"),
            result,
            inputs::naming(facts, inputs::IHC_FIELDS, name),
        )
    };
    match support.as_slice() {
        [] => {
            let mut r = String::from("insufficient panel: no marker of a known origin is positive");
            for n in &notes {
                r.push_str("; ");
                r.push_str(n);
            }
            out.reason = Some(r);
            out.markers = panel
                .stains
                .values()
                .map(|(_, w, _)| marker_input(w))
                .collect();
        }
        [(origin, markers)] => {
            out.value = Some(*origin);
            out.markers = markers.iter().map(|m| marker_input(m)).collect();
            // A marker that speaks against the origin is shown as well.
            if *origin == Origin::Hepatocellular {
                out.markers.extend(
                    panel
                        .negative(HEPATOCELLULAR)
                        .iter()
                        .map(|m| marker_input(m)),
                );
            }
        }
        many => {
            let parts: Vec<String> = many
                .iter()
                .map(|(o, m)| format!("{} ({})", o.as_str(), m.join(", ")))
                .collect();
            out.reason = Some(format!("conflicting panel: {}", parts.join(" and ")));
            out.markers = many
                .iter()
                .flat_map(|(_, m)| m.iter().map(|x| marker_input(x)))
                .collect();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn panel(items: &[(&str, IhcResult)]) -> Summary {
        let mut s = Summary::default();
        for (k, v) in items {
            s.ihc.insert(k.to_string(), IhcValue::Result(*v));
        }
        s
    }

    use IhcResult::{Equivocal as Eq_, Focal, Negative as Neg, Positive as Pos, Weak};

    #[test]
    fn panels() {
        type Case<'a> = (&'a [(&'a str, IhcResult)], Option<Origin>);
        let table: &[Case] = &[
            (&[("HepPar-1", Pos)], Some(Origin::Hepatocellular)),
            (
                &[("Arginase-1", Focal), ("CK7", Neg)],
                Some(Origin::Hepatocellular),
            ),
            (
                &[
                    ("HepPar-1", Neg),
                    ("CK20", Pos),
                    ("CDX2", Pos),
                    ("CK7", Neg),
                ],
                Some(Origin::Colorectal),
            ),
            (&[("SATB2", Pos), ("CK7", Neg)], Some(Origin::Colorectal)),
            (&[("CDX2", Pos), ("SATB2", Pos)], Some(Origin::Colorectal)),
            (&[("CDX2", Pos)], None),
            (&[("CK20", Pos), ("CK7", Pos)], None),
            (
                &[("TTF-1", Pos), ("Napsin A", Pos), ("CK7", Pos)],
                Some(Origin::Lung),
            ),
            (&[("GATA3", Pos), ("ER", Pos)], Some(Origin::Breast)),
            (&[("ER", Weak)], Some(Origin::Breast)),
            (
                &[("Synaptophysin", Pos), ("Chromogranin", Pos), ("CD56", Pos)],
                Some(Origin::Neuroendocrine),
            ),
            (&[("SOX10", Pos), ("S100", Pos)], Some(Origin::Melanoma)),
            (&[("HepPar-1", Neg), ("CK7", Neg)], None),
            (&[("HepPar-1", Eq_)], None),
            (&[("HepPar-1", Pos), ("TTF-1", Pos)], None),
            (
                &[
                    ("CK20", Pos),
                    ("CDX2", Pos),
                    ("CK7", Neg),
                    ("Synaptophysin", Pos),
                ],
                None,
            ),
            (&[("Ki-67", Pos)], None),
        ];
        for (items, want) in table {
            let h = derive(&panel(items), &[]);
            assert_eq!(h.value, *want, "{items:?}: {:?}", h.reason);
            assert_eq!(h.reason.is_some(), want.is_none(), "{items:?}");
            if want.is_some() {
                assert!(!h.markers.is_empty(), "{items:?} names no marker");
            }
        }
    }

    #[test]
    fn names_the_markers_used_and_conflicts() {
        let h = derive(
            &panel(&[
                ("HepPar-1", Neg),
                ("CK20", Pos),
                ("CDX2", Pos),
                ("CK7", Neg),
            ]),
            &[],
        );
        let names: Vec<&str> = h.markers.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["ihc.CK20", "ihc.CDX2", "ihc.CK7"]);
        let h = derive(&panel(&[("HepPar-1", Pos), ("TTF-1", Pos)]), &[]);
        let r = h.reason.unwrap_or_default();
        assert!(r.contains("hepatocellular") && r.contains("lung"), "{r}");
        assert_eq!(
            derive(&Summary::default(), &[]).reason.as_deref(),
            Some("no IHC results")
        );
    }
}
