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

/// Histology codes of the record.
const HISTOLOGY_CODES: &[&str] = &[
    "hcc",
    "colorectal_adenocarcinoma",
    "adenocarcinoma",
    "cholangiocarcinoma",
    "neuroendocrine",
    "melanoma",
    "other",
];

/// Pathology cue values (`lexicons/*/path_cue.tsv`).
const PATH_CUES: &[&str] = &[
    "tumour",
    "specimen",
    "node",
    "margin",
    "margin_free",
    "margin_involved",
    "involve",
    "distance",
    "weight",
    "satellite",
    "many",
    "one",
    "focality",
    "negation",
    "ignore",
    "metastasis",
    "segment",
    "lobe_left",
    "lobe_right",
    "lobe_caudate",
    "bilobar",
    "r0",
    "r1",
    "r2",
    "benign",
    "serum",
    "approx",
    "count_label",
    "bound",
    "background",
    "invasion",
    "affirm",
    "article",
    "history",
    "size",
];

/// The kinds read by the pathology, IHC and lab extractors.
pub const PATHOLOGY_KINDS: &[KindSchema] = &[
    KindSchema {
        kind: "ihc_marker",
        columns: &[],
        required: &["marker"],
        values: &[("case", &["upper"])],
    },
    KindSchema {
        kind: "ihc_result",
        columns: &[],
        required: &["result"],
        values: &[
            (
                "result",
                &["positive", "negative", "focal", "weak", "equivocal"],
            ),
            ("prefix", &["direct"]),
            ("implicit", &["yes"]),
        ],
    },
    KindSchema {
        kind: "ihc_modifier",
        columns: &[],
        required: &["mod"],
        values: &[("mod", &["focal", "weak", "strong", "not", "generic"])],
    },
    KindSchema {
        kind: "ihc_link",
        columns: &[],
        required: &["role"],
        values: &[("role", &["link"])],
    },
    KindSchema {
        kind: "ihc_join",
        columns: &[],
        required: &["role"],
        values: &[("role", &["join", "break"])],
    },
    KindSchema {
        kind: "ihc_site",
        columns: &[],
        required: &["site"],
        values: &[("site", &["tumour", "nontumour"])],
    },
    KindSchema {
        kind: "histology",
        columns: &[],
        required: &["histology"],
        values: &[
            ("histology", HISTOLOGY_CODES),
            ("generic", &["yes"]),
            ("case", &["upper"]),
        ],
    },
    KindSchema {
        kind: "tumour_origin",
        columns: &[],
        required: &["origin"],
        values: &[("origin", &["colorectal"])],
    },
    KindSchema {
        kind: "path_cue",
        columns: &[],
        required: &["cue"],
        values: &[("cue", PATH_CUES)],
    },
    KindSchema {
        kind: "number_word",
        columns: &[],
        required: &["value"],
        values: &[],
    },
    KindSchema {
        kind: "lab",
        columns: &[],
        required: &["lab"],
        values: &[
            (
                "lab",
                &[
                    "cea_ng_ml",
                    "bilirubin_umol_l",
                    "alp_u_l",
                    "ggt_u_l",
                    "ldh_u_l",
                    "afp_ug_l",
                ],
            ),
            ("unit", &["required"]),
        ],
    },
];

/// The schema of `kind`, if it is known.
pub fn schema(kind: &str) -> Option<&'static KindSchema> {
    KINDS.iter().chain(PATHOLOGY_KINDS).find(|k| k.kind == kind)
}
