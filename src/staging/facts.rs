//! The clinical facts that `extract::clinical` writes into `facts` and staging reads back:
//! their field names and value shapes. Staging never looks at the text itself.

use serde::{Deserialize, Serialize};

use crate::record::{Assertion, Evidence, Experiencer, Fact, Presence, Temporality};

/// Field of an extrahepatic disease cue; value [`SiteValue`].
pub const EXTRAHEPATIC_DISEASE: &str = "extrahepatic_disease";
/// Field of an at-risk liver cue (cirrhosis, chronic hepatitis B, prior HCC, at-risk
/// population); value [`CauseValue`].
pub const AT_RISK_LIVER: &str = "at_risk_liver";
/// Field of the node status of the primary tumour; value [`NodeStatusValue`].
pub const PRIMARY_NODE_STATUS: &str = "primary_node_status";
/// Field of the disease-free interval; value [`IntervalValue`].
pub const DISEASE_FREE_INTERVAL: &str = "disease_free_interval";
/// Field of LI-RADS threshold growth; value [`GrowthValue`].
pub const THRESHOLD_GROWTH: &str = "threshold_growth";

/// An extrahepatic disease cue: the site and how the text qualifies it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteValue {
    /// `lung`, `peritoneum`, `bone`, `lymph_nodes`, `brain`, `adrenal`, `unspecified`.
    pub site: String,
    /// Presence, time, experiencer.
    #[serde(flatten)]
    pub assertion: Assertion,
}

/// An at-risk liver cue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CauseValue {
    /// `cirrhosis`, `chronic_hepatitis_b`, `prior_hcc`, `at_risk_population`.
    pub cause: String,
    /// Presence, time, experiencer.
    #[serde(flatten)]
    pub assertion: Assertion,
}

/// Node status of the primary tumour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeStatusValue {
    /// True when the primary had nodal metastases (N1-N3), false for N0 / node-negative.
    pub node_positive: bool,
    /// Presence, time, experiencer of the cue.
    #[serde(flatten)]
    pub assertion: Assertion,
}

/// How a stated interval bounds the true one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// The interval is this long.
    Exact,
    /// The interval is shorter than this ("< 12 maanden", "within 6 months").
    Below,
    /// The interval is longer than this ("> 12 months").
    Above,
}

/// A stated disease-free interval (synchronous metastases: 0 months).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntervalValue {
    /// Months.
    pub months: f64,
    /// Exact, or an upper or lower bound.
    pub bound: Bound,
}

/// A threshold growth cue (LI-RADS: size increase >= 50% in <= 6 months).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrowthValue {
    /// Presence, time, experiencer.
    #[serde(flatten)]
    pub assertion: Assertion,
}

/// What the text says about one yes/no clinical fact.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Stated<T> {
    /// Facts that affirm it (current or past, about the patient).
    pub affirmed: Vec<(T, Evidence)>,
    /// Facts that negate it.
    pub negated: Vec<(T, Evidence)>,
    /// Facts that only hedge it.
    pub hedged: Vec<(T, Evidence)>,
}

impl<T> Stated<T> {
    fn new() -> Stated<T> {
        Stated {
            affirmed: Vec::new(),
            negated: Vec::new(),
            hedged: Vec::new(),
        }
    }

    fn push(&mut self, a: &Assertion, v: T, ev: Evidence) {
        if a.experiencer != Experiencer::Patient || a.temporality == Temporality::Future {
            return;
        }
        match a.presence {
            Presence::Present => self.affirmed.push((v, ev)),
            Presence::Absent => self.negated.push((v, ev)),
            Presence::Uncertain => self.hedged.push((v, ev)),
        }
    }
}

/// The values of `field` that parse as `T`, with their evidence.
pub fn read<'a, T: serde::de::DeserializeOwned + 'a>(
    facts: &'a [Fact],
    field: &'a str,
) -> impl Iterator<Item = (T, &'a Evidence)> + 'a {
    facts
        .iter()
        .filter(move |f| f.field == field)
        .filter_map(|f| T::deserialize(&f.value).ok().map(|v| (v, &f.evidence)))
}

/// Extrahepatic disease cues that are current (a resected or treated site in the past is
/// not current disease), sorted by presence.
pub fn extrahepatic(facts: &[Fact]) -> Stated<String> {
    let mut s = Stated::new();
    for (v, ev) in read::<SiteValue>(facts, EXTRAHEPATIC_DISEASE) {
        if v.assertion.temporality == Temporality::Historical
            && v.assertion.presence == Presence::Present
        {
            continue;
        }
        s.push(&v.assertion, v.site, ev.clone());
    }
    s
}

/// At-risk liver cues (a past HCC counts: it is a history by nature).
pub fn at_risk_liver(facts: &[Fact]) -> Stated<String> {
    let mut s = Stated::new();
    for (v, ev) in read::<CauseValue>(facts, AT_RISK_LIVER) {
        s.push(&v.assertion, v.cause, ev.clone());
    }
    s
}

/// Threshold growth cues.
pub fn threshold_growth(facts: &[Fact]) -> Stated<()> {
    let mut s = Stated::new();
    for (v, ev) in read::<GrowthValue>(facts, THRESHOLD_GROWTH) {
        s.push(&v.assertion, (), ev.clone());
    }
    s
}

/// Node status statements about the primary: `true` for node-positive. A negated
/// "node-positive" reads as node-negative and the other way round.
pub fn node_status(facts: &[Fact]) -> Vec<(bool, Evidence)> {
    read::<NodeStatusValue>(facts, PRIMARY_NODE_STATUS)
        .filter(|(v, _)| {
            v.assertion.experiencer == Experiencer::Patient
                && v.assertion.temporality != Temporality::Future
        })
        .filter_map(|(v, ev)| match v.assertion.presence {
            Presence::Present => Some((v.node_positive, ev.clone())),
            Presence::Absent => Some((!v.node_positive, ev.clone())),
            Presence::Uncertain => None,
        })
        .collect()
}

/// Stated disease-free intervals.
pub fn intervals(facts: &[Fact]) -> Vec<(IntervalValue, Evidence)> {
    read::<IntervalValue>(facts, DISEASE_FREE_INTERVAL)
        .map(|(v, ev)| (v, ev.clone()))
        .collect()
}
