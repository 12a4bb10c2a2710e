//! The output names of the record's enumerations as plain `&'static str`s, so that a
//! value can be named (in a fact, a staging input) without going through serde.
//!
//! Each name is the one serde writes for the value; a test checks every value against
//! serde_json.

use crate::record::{
    ErrorKind, Experiencer, Histology, IhcResult, Language, LesionKind, Lobe, MetastasisStatus,
    Modality, Origin, Pattern, Presence, ReportType, Resection, Segment, Temporality,
};

macro_rules! names {
    ($ty:ident { $($variant:ident => $name:literal),* $(,)? }) => {
        impl $ty {
            /// Every value, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];

            /// The name written in the output.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),*
                }
            }
        }
    };
}

names!(Presence {
    Present => "present",
    Absent => "absent",
    Uncertain => "uncertain",
});

names!(MetastasisStatus {
    Present => "present",
    Absent => "absent",
    Suspected => "suspected",
    NotMentioned => "not_mentioned",
});

names!(LesionKind {
    Metastasis => "metastasis",
    Hcc => "hcc",
    Cyst => "cyst",
    Hemangioma => "hemangioma",
    Fnh => "fnh",
    Adenoma => "adenoma",
    Abscess => "abscess",
    Indeterminate => "indeterminate",
    Unspecified => "unspecified",
});

names!(Segment {
    I => "I",
    II => "II",
    III => "III",
    IV => "IV",
    IVa => "IVa",
    IVb => "IVb",
    V => "V",
    VI => "VI",
    VII => "VII",
    VIII => "VIII",
});

names!(Lobe {
    Left => "left",
    Right => "right",
    Caudate => "caudate",
});

names!(Pattern {
    RimEnhancement => "rim_enhancement",
    ArterialHyperenhancement => "arterial_hyperenhancement",
    Washout => "washout",
    Capsule => "capsule",
    Hypoattenuating => "hypoattenuating",
    Hyperattenuating => "hyperattenuating",
    Hypovascular => "hypovascular",
    Hypervascular => "hypervascular",
    Hypoechoic => "hypoechoic",
    Hyperechoic => "hyperechoic",
    TargetSign => "target_sign",
    T1Hypointense => "t1_hypointense",
    T2Hyperintense => "t2_hyperintense",
    DiffusionRestriction => "diffusion_restriction",
    HbpHypointense => "hbp_hypointense",
    FdgAvid => "fdg_avid",
    NoEnhancement => "no_enhancement",
    PeripheralNodularEnhancement => "peripheral_nodular_enhancement",
    CentralNecrosis => "central_necrosis",
});

names!(IhcResult {
    Positive => "positive",
    Negative => "negative",
    Focal => "focal",
    Weak => "weak",
    Equivocal => "equivocal",
});

names!(Origin {
    Hepatocellular => "hepatocellular",
    Colorectal => "colorectal",
    Lung => "lung",
    Breast => "breast",
    Neuroendocrine => "neuroendocrine",
    Melanoma => "melanoma",
});

names!(Language {
    Nl => "nl",
    En => "en",
});

names!(ReportType {
    Radiology => "radiology",
    Pathology => "pathology",
    Unknown => "unknown",
});

names!(Modality {
    CT => "CT",
    MRI => "MRI",
    US => "US",
    PET => "PET",
    XR => "XR",
});

names!(Histology {
    Hcc => "hcc",
    ColorectalAdenocarcinoma => "colorectal_adenocarcinoma",
    Adenocarcinoma => "adenocarcinoma",
    Cholangiocarcinoma => "cholangiocarcinoma",
    Neuroendocrine => "neuroendocrine",
    Melanoma => "melanoma",
    Other => "other",
});

names!(Resection {
    R0 => "R0",
    R1 => "R1",
    R2 => "R2",
});

names!(Temporality {
    Current => "current",
    Historical => "historical",
    Future => "future",
});

names!(Experiencer {
    Patient => "patient",
    Family => "family",
    Other => "other",
});

names!(ErrorKind {
    Decode => "decode",
    Json => "json",
    NotObject => "not_object",
    Csv => "csv",
    MissingText => "missing_text",
    EmptyText => "empty_text",
    TooLarge => "too_large",
    Budget => "budget",
    Io => "io",
    Internal => "internal",
});

/// A list of named values as a JSON array of their names (what serde writes for it).
pub fn name_array<T: Copy>(items: &[T], name: impl Fn(T) -> &'static str) -> serde_json::Value {
    serde_json::Value::Array(items.iter().map(|x| name(*x).into()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_serde<T: serde::Serialize + Copy + std::fmt::Debug>(
        all: &[T],
        name: impl Fn(T) -> &'static str,
    ) {
        for v in all {
            assert_eq!(
                serde_json::to_value(v).ok(),
                Some(serde_json::Value::from(name(*v))),
                "{v:?}"
            );
        }
        assert_eq!(serde_json::to_value(all).ok(), Some(name_array(all, name)));
    }

    #[test]
    fn names_are_the_serde_names() {
        same_as_serde(Presence::ALL, Presence::as_str);
        same_as_serde(MetastasisStatus::ALL, MetastasisStatus::as_str);
        same_as_serde(LesionKind::ALL, LesionKind::as_str);
        same_as_serde(Segment::ALL, Segment::as_str);
        same_as_serde(Lobe::ALL, Lobe::as_str);
        same_as_serde(Pattern::ALL, Pattern::as_str);
        same_as_serde(IhcResult::ALL, IhcResult::as_str);
        same_as_serde(Origin::ALL, Origin::as_str);
        same_as_serde(Language::ALL, Language::as_str);
        same_as_serde(ReportType::ALL, ReportType::as_str);
        same_as_serde(Modality::ALL, Modality::as_str);
        same_as_serde(Histology::ALL, Histology::as_str);
        same_as_serde(Resection::ALL, Resection::as_str);
        same_as_serde(Temporality::ALL, Temporality::as_str);
        same_as_serde(Experiencer::ALL, Experiencer::as_str);
        same_as_serde(ErrorKind::ALL, ErrorKind::as_str);
        for p in Pattern::ALL {
            assert_eq!(Pattern::from_code(p.as_str()), Some(*p));
        }
        assert_eq!(Pattern::from_code("rim"), None);
    }
}
