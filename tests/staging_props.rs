//! Properties of the staging functions on arbitrary summaries: no panic, and the counts
//! of each score stay consistent with one another.

use proptest::prelude::*;
use radpath::record::{Count, IhcResult, IhcValue, MetastasisStatus, Pattern, Summary};
use radpath::staging::derive;

fn count() -> impl Strategy<Value = Option<Count>> {
    prop_oneof![
        Just(None),
        (0u32..40).prop_map(|n| Some(Count::Value(n))),
        (0u32..40).prop_map(|n| Some(Count::AtLeast(n)))
    ]
}

fn status() -> impl Strategy<Value = MetastasisStatus> {
    prop_oneof![
        Just(MetastasisStatus::Present),
        Just(MetastasisStatus::Suspected),
        Just(MetastasisStatus::Absent),
        Just(MetastasisStatus::NotMentioned)
    ]
}

fn result() -> impl Strategy<Value = IhcResult> {
    prop_oneof![
        Just(IhcResult::Positive),
        Just(IhcResult::Negative),
        Just(IhcResult::Focal),
        Just(IhcResult::Weak),
        Just(IhcResult::Equivocal)
    ]
}

const MARKERS: &[&str] = &[
    "HepPar-1",
    "Arginase-1",
    "CK7",
    "CK20",
    "CDX2",
    "SATB2",
    "TTF-1",
    "GATA3",
    "ER",
    "Synaptophysin",
    "SOX10",
];
const PATTERNS: &[Pattern] = &[
    Pattern::ArterialHyperenhancement,
    Pattern::Washout,
    Pattern::Capsule,
    Pattern::RimEnhancement,
    Pattern::Hypoattenuating,
];

prop_compose! {
    fn summary()(
        status in status(),
        count in count(),
        mm in proptest::option::of(0.0f64..300.0),
        cea in proptest::option::of(0.0f64..5000.0),
        ihc in proptest::collection::vec((0..MARKERS.len(), result()), 0..6),
        patterns in proptest::collection::vec(0..PATTERNS.len(), 0..4),
        stated in proptest::option::of(prop_oneof![Just("LR-3"), Just("LR-4"), Just("LR-5"), Just("LR-M")]),
    ) -> Summary {
        let mut s = Summary { liver_metastasis: status, lesion_count: count, largest_lesion_mm: mm, ..Summary::default() };
        if let Some(c) = cea { s.labs.insert("cea_ng_ml".into(), c); }
        for (i, r) in ihc { s.ihc.insert(MARKERS[i].into(), IhcValue::Result(r)); }
        s.patterns = patterns.into_iter().map(|i| PATTERNS[i]).collect();
        s.lirads_stated = stated.map(str::to_string);
        s
    }
}

proptest! {
    #[test]
    fn scores_stay_consistent(s in summary()) {
        let st = derive(&s, &[], &[]);
        let tbs = st.tumor_burden_score.expect("tumor_burden_score");
        prop_assert!(tbs.value.is_none() || tbs.lower_bound.is_none());
        prop_assert_eq!(tbs.value.is_some(), matches!(s.lesion_count, Some(Count::Value(_))) && s.largest_lesion_mm.is_some());
        if tbs.value.is_none() { prop_assert!(!tbs.missing.is_empty()); }
        if let (Some(v), Some(Count::Value(n))) = (tbs.value, s.lesion_count) { prop_assert!(v + 0.01 >= f64::from(n)); }

        let fong = st.fong_crs.expect("fong_crs");
        prop_assert!(fong.points <= fong.known_criteria && fong.known_criteria as usize <= fong.criteria.len());
        prop_assert!(fong.points <= fong.max_possible && fong.max_possible <= 5);
        prop_assert_eq!(fong.value.is_some(), fong.criteria.len() == 5 && fong.known_criteria == 5);
        for c in &fong.criteria { prop_assert_eq!(c.met.is_none(), !c.missing.is_empty()); }

        let r = st.resectability.expect("resectability");
        if r.meets_classic_criteria == Some(true) { prop_assert!(r.criteria.iter().all(|c| c.met == Some(true))); }
        prop_assert!(!r.reasons.is_empty());

        let l = st.lirads_computed.expect("lirads_computed");
        prop_assert!(l.value.is_some() || l.reason.is_some());
        prop_assert_eq!(l.disagrees.is_some(), l.value.is_some() && l.stated.is_some());

        let o = st.origin_hint.expect("origin_hint");
        prop_assert!(o.value.is_some() != o.reason.is_some());
        if o.value.is_some() { prop_assert!(!o.markers.is_empty()); }

        let m = st.m_category.expect("m_category");
        prop_assert_eq!(m.value.is_some(), s.liver_metastasis == MetastasisStatus::Present);
    }
}

const WORDS: &[&str] = &[
    "ziektevrij interval",
    "disease-free interval",
    "<",
    "≥",
    "> ",
    "12",
    "6,5",
    "maanden",
    "months",
    "jaar",
    "toename",
    "increase",
    "70%",
    "%",
    "longen",
    "Lungs",
    ":",
    "\n",
    ".",
    "geen",
    "no",
    "verdacht voor",
    "pT3N1",
    "ypN0",
    "N+",
    "cirrose",
    "nee",
    "yes",
    "longmetastasen",
    "pathologische lymfeklieren",
    "buiten",
    "ligamentum hepatoduodenale",
    "synchrone levermetastasen",
    "é",
    "ß",
    "drempelgroei",
    "threshold growth",
    "pulmonary nodules",
    "metastases",
    "  ",
    "—",
    "minder dan",
    "within",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn clinical_cues_never_panic_and_spans_hold(parts in proptest::collection::vec(0..WORDS.len(), 0..40)) {
        static EXTRACTOR: std::sync::OnceLock<radpath::extract::Extractor> = std::sync::OnceLock::new();
        let x = EXTRACTOR.get_or_init(|| radpath::extract::Extractor::new(radpath::lexicon::LexiconSet::embedded().expect("lexicons")));
        let text: String = parts.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" ");
        let out = x.extract_text(&text, None);
        for f in &out.facts {
            prop_assert_eq!(text.get(f.evidence.start..f.evidence.end), Some(f.evidence.text.as_str()));
        }
    }
}
