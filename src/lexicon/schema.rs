//! What each lexicon kind (file name) must and may contain.
//!
//! A lexicon file `lexicons/<lang>/<kind>.tsv` holds one entry per line: the term, a TAB,
//! then attributes. Most kinds take `key=value` attributes; the `context` kind takes the
//! ConText columns `category`, `direction` and an optional `max_scope`.

/// The rules one lexicon kind follows.
#[derive(Debug, Clone, Copy)]
pub struct KindSchema {
    /// The kind: the file stem.
    pub kind: &'static str,
    /// Positional column names after the term (empty when the kind uses `key=value`).
    pub columns: &'static [&'static str],
    /// Attributes that every entry must have.
    pub required: &'static [&'static str],
    /// Allowed values per attribute (attributes not listed accept any non-empty value).
    pub values: &'static [(&'static str, &'static [&'static str])],
}

const PATTERN_CODES: &[&str] = &[
    "rim_enhancement",
    "arterial_hyperenhancement",
    "washout",
    "capsule",
    "hypoattenuating",
    "hyperattenuating",
    "hypovascular",
    "hypervascular",
    "hypoechoic",
    "hyperechoic",
    "target_sign",
    "t1_hypointense",
    "t2_hyperintense",
    "diffusion_restriction",
    "hbp_hypointense",
    "fdg_avid",
    "no_enhancement",
    "peripheral_nodular_enhancement",
    "central_necrosis",
];

/// Every known kind.
pub const KINDS: &[KindSchema] = &[
    KindSchema {
        kind: "section",
        columns: &[],
        required: &["section"],
        values: &[],
    },
    KindSchema {
        kind: "joiner",
        columns: &[],
        required: &[],
        values: &[],
    },
    KindSchema {
        kind: "abbreviation",
        columns: &[],
        required: &[],
        values: &[],
    },
    KindSchema {
        kind: "language",
        columns: &[],
        required: &["lang"],
        values: &[("lang", &["nl", "en"])],
    },
    KindSchema {
        kind: "context",
        columns: &["category", "direction", "max_scope"],
        required: &["category", "direction"],
        values: &[
            (
                "category",
                &[
                    "NEGATED_EXISTENCE",
                    "POSSIBLE_EXISTENCE",
                    "HISTORICAL",
                    "HYPOTHETICAL",
                    "FAMILY",
                    "OTHER_EXPERIENCER",
                    "PSEUDO",
                    "TERMINATE",
                ],
            ),
            (
                "direction",
                &["forward", "backward", "bidirectional", "none"],
            ),
        ],
    },
    KindSchema {
        kind: "pattern",
        columns: &[],
        required: &["pattern"],
        values: &[("pattern", PATTERN_CODES)],
    },
    KindSchema {
        kind: "modality",
        columns: &[],
        required: &["modality"],
        values: &[("modality", &["CT", "MRI", "US", "PET", "XR"])],
    },
];

/// The schema of `kind`, if it is known.
pub fn schema(kind: &str) -> Option<&'static KindSchema> {
    KINDS.iter().find(|k| k.kind == kind)
}
