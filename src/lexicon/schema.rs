//! What each lexicon kind (file name) must and may contain.
//!
//! A lexicon file `lexicons/<lang>/<kind>.tsv` holds one entry per line: the term, a TAB,
//! then attributes. Most kinds take `key=value` attributes; the `context` kind takes the
//! ConText columns `category`, `direction` and an optional `max_scope`. Besides the
//! pyConText/medspaCy categories, `context` knows `NOVELTY`: words such as "nieuwe"/"new"
//! that limit a negation to new findings ("geen nieuwe laesies").

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
                    "TERMINATE_TIME",
                    "NOVELTY",
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
        kind: "clinical",
        columns: &[],
        required: &["cue"],
        values: &[
            (
                "cue",
                &[
                    "extrahepatic",
                    "at_risk_liver",
                    "node_status",
                    "dfi",
                    "synchronous",
                    "threshold_growth",
                    "growth",
                    "time_unit",
                    "comparator",
                    "hepatoduodenal",
                    "outside",
                    "regional",
                    "answer",
                    "organ_lesion",
                    "organ_label",
                    "metastasis_word",
                ],
            ),
            (
                "site",
                &[
                    "lung",
                    "peritoneum",
                    "bone",
                    "lymph_nodes",
                    "brain",
                    "adrenal",
                    "unspecified",
                ],
            ),
            (
                "cause",
                &[
                    "cirrhosis",
                    "chronic_hepatitis_b",
                    "prior_hcc",
                    "at_risk_population",
                ],
            ),
            ("status", &["positive", "negative"]),
            ("bound", &["below", "above"]),
            ("presence", &["uncertain", "present", "absent"]),
        ],
    },
    KindSchema {
        kind: "modality",
        columns: &[],
        required: &["modality"],
        values: &[("modality", &["CT", "MRI", "US", "PET", "XR"])],
    },
    KindSchema {
        kind: "lesion",
        columns: &[],
        required: &["kind"],
        values: &[
            ("kind", LESION_KINDS),
            ("number", &["singular", "plural"]),
            ("organ", &["liver"]),
            ("role", &["satellite"]),
        ],
    },
    KindSchema {
        kind: "organ",
        columns: &[],
        required: &["organ"],
        values: &[("organ", ORGANS)],
    },
    KindSchema {
        kind: "lobe",
        columns: &[],
        required: &["lobe"],
        values: &[("lobe", &["left", "right", "caudate", "both"])],
    },
    KindSchema {
        kind: "segment_cue",
        columns: &[],
        required: &["cue"],
        values: &[("cue", &["segment"])],
    },
    KindSchema {
        kind: "number",
        columns: &[],
        required: &[],
        values: &[
            ("bound", &["exact", "at_least"]),
            ("role", &["min", "more", "or_more"]),
        ],
    },
    KindSchema {
        kind: "conjunction",
        columns: &[],
        required: &["role"],
        values: &[("role", &["and", "or", "range", "by"])],
    },
    KindSchema {
        kind: "size_cue",
        columns: &[],
        required: &["role"],
        values: &[("role", &["below", "above", "upper"])],
    },
    KindSchema {
        kind: "time_cue",
        columns: &[],
        required: &["role"],
        values: &[("role", &["prior", "current", "change", "date_lead"])],
    },
    KindSchema {
        kind: "primary_cue",
        columns: &[],
        required: &["cue"],
        values: &[("cue", &["primary"])],
    },
    KindSchema {
        kind: "known_cue",
        columns: &[],
        required: &["cue"],
        values: &[("cue", &["known"])],
    },
    KindSchema {
        kind: "liver_cue",
        columns: &[],
        required: &["cue"],
        values: &[("cue", &["liver"])],
    },
    KindSchema {
        kind: "total",
        columns: &[],
        required: &["cue"],
        values: &[("cue", &["total"])],
    },
    KindSchema {
        kind: "phase",
        columns: &[],
        required: &["phase"],
        values: &[("phase", &["arterial", "portal", "hepatobiliary"])],
    },
    KindSchema {
        kind: "novelty",
        columns: &[],
        required: &["cue"],
        values: &[("cue", &["new", "rest"])],
    },
    KindSchema {
        kind: "anaphora",
        columns: &[],
        required: &["cue"],
        values: &[("cue", &["same"])],
    },
    KindSchema {
        kind: "report_cue",
        columns: &[],
        required: &["report"],
        values: &[("report", &["radiology", "pathology"])],
    },
    KindSchema {
        kind: "lirads",
        columns: &[],
        required: &["category"],
        values: &[(
            "category",
            &["LR-1", "LR-2", "LR-3", "LR-4", "LR-5", "LR-M", "LR-TIV"],
        )],
    },
];

const LESION_KINDS: &[&str] = &[
    "metastasis",
    "hcc",
    "cholangiocarcinoma",
    "malignant",
    "cyst",
    "hemangioma",
    "fnh",
    "adenoma",
    "abscess",
    "indeterminate",
    "unspecified",
];

const ORGANS: &[&str] = &[
    "liver",
    "liver_span",
    "lymph_node",
    "spleen",
    "kidney",
    "adrenal",
    "lung",
    "pancreas",
    "bone",
    "brain",
    "peritoneum",
    "pleura",
    "gallbladder",
    "bowel",
    "other",
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
    "separate",
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
        values: &[("cue", PATH_CUES), ("side", &["yes"])],
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

/// The values a number attribute accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Numeric {
    /// A whole number from `min` to `max`.
    Whole {
        /// The least value.
        min: u64,
        /// The greatest value.
        max: u64,
    },
    /// A decimal number (`.` as the decimal point) greater than zero.
    Positive,
}

/// Attributes that hold numbers, per kind: (kind, attribute, the values the rules read).
pub const NUMBERS: &[(&str, &str, Numeric)] = &[
    (
        "number",
        "value",
        Numeric::Whole {
            min: 0,
            max: u32::MAX as u64,
        },
    ),
    (
        "number_word",
        "value",
        Numeric::Whole {
            min: 0,
            max: u32::MAX as u64,
        },
    ),
    (
        "context",
        "max_scope",
        Numeric::Whole {
            min: 0,
            max: u32::MAX as u64,
        },
    ),
    ("clinical", "months", Numeric::Positive),
];

/// Attributes of free form that a kind's rules read, besides those named in its schema
/// and in [`NUMBERS`].
pub const FREE: &[(&str, &str)] = &[("lesion", "plural")];

/// The number rule of attribute `key` of `kind`.
pub fn numeric(kind: &str, key: &str) -> Option<Numeric> {
    NUMBERS
        .iter()
        .find(|(k, a, _)| *k == kind && *a == key)
        .map(|(_, _, n)| *n)
}

/// True when the rules of `kind` read attribute `key`.
pub fn known_attribute(schema: &KindSchema, key: &str) -> bool {
    schema.columns.contains(&key)
        || schema.required.contains(&key)
        || schema.values.iter().any(|(k, _)| *k == key)
        || numeric(schema.kind, key).is_some()
        || FREE.contains(&(schema.kind, key))
}

/// The kinds whose terms are also matched as OCR misread them (see
/// [`crate::lexicon::matcher::ocr_variants`]): marker names and result words, which real
/// scanned reports misread ("HepParl", "Glypican-3" as "GIypican-3", "posltive").
pub const OCR_TOLERANT_KINDS: &[&str] = &["ihc_marker", "ihc_result"];

/// The schema of `kind`, if it is known.
pub fn schema(kind: &str) -> Option<&'static KindSchema> {
    KINDS.iter().chain(PATHOLOGY_KINDS).find(|k| k.kind == kind)
}
