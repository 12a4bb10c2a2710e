//! The output types: one [`Record`] per report (or an [`ErrorRecord`]). Field names are a
//! contract read by tools outside this crate.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::shared_str::SharedStr;

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Dutch.
    #[default]
    Nl,
    /// English.
    En,
}

/// Kind of report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportType {
    /// CT, MRI, ultrasound, PET, X-ray.
    Radiology,
    /// Biopsy or resection.
    Pathology,
    /// Neither could be told.
    #[default]
    Unknown,
}

/// Imaging modality of the current exam.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum Modality {
    /// Computed tomography.
    CT,
    /// Magnetic resonance imaging.
    MRI,
    /// Ultrasound.
    US,
    /// PET (PET-CT included).
    PET,
    /// Plain radiography.
    XR,
}

/// Whether the report states liver metastasis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetastasisStatus {
    /// Stated as a finding.
    Present,
    /// Explicitly negated.
    Absent,
    /// Only hedged.
    Suspected,
    /// Not spoken of.
    #[default]
    NotMentioned,
}

/// A count: exact, or a lower bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Count {
    /// Exactly this many: `{"value": n}`.
    Value(u32),
    /// At least this many: `{"at_least": n}`.
    AtLeast(u32),
}

impl Count {
    /// The number, exact or lower bound.
    pub fn number(self) -> u32 {
        match self {
            Count::Value(n) | Count::AtLeast(n) => n,
        }
    }
}

/// A Couinaud segment, in anatomical order.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum Segment {
    /// Caudate lobe.
    I,
    /// II.
    II,
    /// III.
    III,
    /// IV (not split).
    IV,
    /// IVa.
    IVa,
    /// IVb.
    IVb,
    /// V.
    V,
    /// VI.
    VI,
    /// VII.
    VII,
    /// VIII.
    VIII,
}

impl Segment {
    /// Parses a canonical name ("I".."VIII", "IVa", "IVb").
    pub fn from_name(s: &str) -> Option<Segment> {
        Some(match s {
            "I" => Segment::I,
            "II" => Segment::II,
            "III" => Segment::III,
            "IV" => Segment::IV,
            "IVa" => Segment::IVa,
            "IVb" => Segment::IVb,
            "V" => Segment::V,
            "VI" => Segment::VI,
            "VII" => Segment::VII,
            "VIII" => Segment::VIII,
            _ => return None,
        })
    }

    /// The lobe by the Cantlie line: II-IV left, V-VIII right, I caudate.
    pub fn lobe(self) -> Lobe {
        match self {
            Segment::I => Lobe::Caudate,
            Segment::II | Segment::III | Segment::IV | Segment::IVa | Segment::IVb => Lobe::Left,
            _ => Lobe::Right,
        }
    }
}

/// Liver lobe.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Lobe {
    /// Left lobe.
    Left,
    /// Right lobe.
    Right,
    /// Caudate lobe.
    Caudate,
}

/// Imaging appearance codes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    /// Rim (ring) enhancement.
    RimEnhancement,
    /// Non-rim arterial phase hyperenhancement.
    ArterialHyperenhancement,
    /// Washout.
    Washout,
    /// (Enhancing) capsule.
    Capsule,
    /// Hypodense on CT.
    Hypoattenuating,
    /// Hyperdense on CT.
    Hyperattenuating,
    /// Hypovascular.
    Hypovascular,
    /// Hypervascular.
    Hypervascular,
    /// Hypoechoic on ultrasound.
    Hypoechoic,
    /// Hyperechoic on ultrasound.
    Hyperechoic,
    /// Target / bull's eye.
    TargetSign,
    /// T1 hypointense.
    T1Hypointense,
    /// T2 hyperintense.
    T2Hyperintense,
    /// Restricted diffusion.
    DiffusionRestriction,
    /// Hypointense in the hepatobiliary phase.
    HbpHypointense,
    /// FDG avid on PET.
    FdgAvid,
    /// No enhancement.
    NoEnhancement,
    /// Peripheral nodular (discontinuous) enhancement.
    PeripheralNodularEnhancement,
    /// Central necrosis.
    CentralNecrosis,
}

impl Pattern {
    /// Parses a code as written in lexicons (`rim_enhancement`).
    pub fn from_code(code: &str) -> Option<Pattern> {
        Pattern::ALL.iter().copied().find(|p| p.as_str() == code)
    }
}

/// An immunohistochemistry result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum IhcResult {
    /// Positive.
    Positive,
    /// Negative.
    Negative,
    /// Focally positive.
    Focal,
    /// Weakly positive.
    Weak,
    /// Equivocal.
    Equivocal,
}

/// The value of one IHC marker: a result, or a percentage (Ki-67).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum IhcValue {
    /// A categorical result.
    Result(IhcResult),
    /// A percentage of positive tumour cells (Ki-67).
    Percent(#[serde(serialize_with = "num::f64")] f64),
}

/// Histological type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Histology {
    /// Hepatocellular carcinoma.
    Hcc,
    /// Colorectal adenocarcinoma (metastasis).
    ColorectalAdenocarcinoma,
    /// Adenocarcinoma, not otherwise specified.
    Adenocarcinoma,
    /// Cholangiocarcinoma.
    Cholangiocarcinoma,
    /// Neuroendocrine tumour or carcinoma.
    Neuroendocrine,
    /// Melanoma.
    Melanoma,
    /// Another malignancy.
    Other,
}

/// Resection status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Resection {
    /// Microscopically radical.
    R0,
    /// Microscopically irradical.
    R1,
    /// Macroscopically irradical.
    R2,
}

/// The report-level facts that registries read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
pub struct Summary {
    /// Report language.
    pub language: Language,
    /// Radiology, pathology or unknown.
    pub report_type: ReportType,
    /// Modalities of the current exam.
    pub modality: Vec<Modality>,
    /// Liver metastasis status.
    pub liver_metastasis: MetastasisStatus,
    /// Number of suspected or proven malignant liver lesions.
    pub lesion_count: Option<Count>,
    /// Largest diameter of those lesions, in mm.
    #[serde(serialize_with = "num::opt")]
    pub largest_lesion_mm: Option<f64>,
    /// Couinaud segments of those lesions, in anatomical order.
    pub segments: Vec<Segment>,
    /// Lobes of those lesions.
    pub lobes: Vec<Lobe>,
    /// True when lesions lie on both sides of the Cantlie line.
    pub bilobar: bool,
    /// Appearance codes of those lesions.
    pub patterns: Vec<Pattern>,
    /// LI-RADS category stated for the current exam (`LR-5`, `LR-M`, ...).
    pub lirads_stated: Option<String>,
    /// IHC results on tumour cells, by canonical marker name.
    pub ihc: BTreeMap<String, IhcValue>,
    /// Histological type.
    pub histology: Option<Histology>,
    /// Smallest tumour-to-resection-margin distance, in mm.
    #[serde(serialize_with = "num::opt")]
    pub margin_mm: Option<f64>,
    /// Resection status.
    pub resection: Option<Resection>,
    /// Specimen weight in grams.
    #[serde(serialize_with = "num::opt")]
    pub specimen_weight_g: Option<f64>,
    /// Lab values by key (`cea_ng_ml`, `bilirubin_umol_l`, ...).
    #[serde(serialize_with = "num::map")]
    pub labs: BTreeMap<String, f64>,
}

/// Kind of liver lesion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LesionKind {
    /// Metastasis.
    Metastasis,
    /// Hepatocellular carcinoma.
    Hcc,
    /// Cyst.
    Cyst,
    /// Hemangioma.
    Hemangioma,
    /// Focal nodular hyperplasia.
    Fnh,
    /// Hepatocellular adenoma.
    Adenoma,
    /// Abscess.
    Abscess,
    /// Indeterminate lesion.
    Indeterminate,
    /// A lesion of no stated kind.
    #[default]
    Unspecified,
}

/// A size: every dimension given and the largest, in mm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Size {
    /// Dimensions in mm, as written.
    #[serde(serialize_with = "num::vec")]
    pub dims: Vec<f64>,
    /// The largest dimension in mm.
    #[serde(serialize_with = "num::f64")]
    pub max: f64,
}

/// Presence of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Presence {
    /// Affirmed.
    #[default]
    Present,
    /// Negated.
    Absent,
    /// Hedged.
    Uncertain,
}

/// Time of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Temporality {
    /// Now.
    #[default]
    Current,
    /// In the past.
    Historical,
    /// Future or hypothetical.
    Future,
}

/// Whom a finding concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Experiencer {
    /// The patient.
    #[default]
    Patient,
    /// A family member.
    Family,
    /// Someone else.
    Other,
}

/// The ConText qualifiers of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
pub struct Assertion {
    /// Present, absent or uncertain.
    pub presence: Presence,
    /// Current, historical or future.
    pub temporality: Temporality,
    /// Patient, family or other.
    pub experiencer: Experiencer,
}

/// Where a fact came from: a byte span of the original text and the rule that read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    /// Start byte in the original text.
    pub start: usize,
    /// End byte in the original text.
    pub end: usize,
    /// The original text of the span.
    pub text: SharedStr,
    /// The rule or lexicon entry that produced the fact.
    pub rule: SharedStr,
}

/// One liver lesion (or group of lesions described together).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Lesion {
    /// What kind of lesion.
    pub kind: LesionKind,
    /// How many.
    pub count: Option<Count>,
    /// Size, current exam.
    pub size_mm: Option<Size>,
    /// Couinaud segments.
    pub segments: Vec<Segment>,
    /// Lobe, when stated or implied by the segments.
    pub lobe: Option<Lobe>,
    /// Appearance codes.
    pub patterns: Vec<Pattern>,
    /// Presence, time and experiencer.
    pub assertion: Assertion,
    /// The spans that describe it.
    pub evidence: Vec<Evidence>,
}

/// One extracted fact with its evidence: the audit trail behind the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Fact {
    /// The summary field (or fact kind) it supports: `modality`, `segment`, `size`, `ihc`...
    pub field: Cow<'static, str>,
    /// The value read.
    pub value: serde_json::Value,
    /// The span and rule.
    #[serde(flatten)]
    pub evidence: Evidence,
}

/// Derived staging values. Each entry names the inputs it used (with their evidence) and
/// leaves its value null, naming the missing inputs, when an input is unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
pub struct Staging {
    /// sqrt(largest_cm^2 + count^2) (Sasaki et al., Ann Surg 2018).
    pub tumor_burden_score: Option<TumorBurden>,
    /// Fong clinical risk score (Fong et al., Ann Surg 1999).
    pub fong_crs: Option<FongCrs>,
    /// Classic resectability criteria, as flags (not advice).
    pub resectability: Option<Resectability>,
    /// LI-RADS v2018 CT/MRI category computed from the features.
    pub lirads_computed: Option<LiradsComputed>,
    /// Likely origin from the IHC panel.
    pub origin_hint: Option<OriginHint>,
    /// `M1` when liver metastasis is present.
    pub m_category: Option<MCategory>,
}

/// One input of a derived value: its name, the value used and the evidence behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StagingInput {
    /// The summary field or clinical fact (`largest_lesion_mm`, `labs.cea_ng_ml`, ...).
    pub name: String,
    /// The value used.
    pub value: serde_json::Value,
    /// Spans of the original text that support it.
    pub evidence: Vec<Evidence>,
}

/// The tumour burden score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
pub struct TumorBurden {
    /// The score; null when the largest size or the exact count is unknown.
    #[serde(serialize_with = "num::opt")]
    pub value: Option<f64>,
    /// The score computed from a lower-bound count (`{"at_least": n}`): a lower bound of
    /// the true score, given only when the count is a lower bound.
    #[serde(serialize_with = "num::opt")]
    pub lower_bound: Option<f64>,
    /// The inputs used.
    pub inputs: Vec<StagingInput>,
    /// Inputs that are unknown (why `value` is null).
    pub missing: Vec<String>,
}

/// A criterion of the Fong clinical risk score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FongCriterion {
    /// The primary tumour had lymph node metastases.
    NodePositivePrimary,
    /// Less than 12 months from the primary to the liver metastases.
    #[serde(rename = "disease_free_interval_under_12_months")]
    DiseaseFreeIntervalUnder12Months,
    /// More than one liver tumour.
    MoreThanOneTumor,
    /// Preoperative CEA above 200 ng/ml.
    #[serde(rename = "cea_over_200")]
    CeaOver200,
    /// Largest liver tumour above 5 cm.
    #[serde(rename = "largest_over_5_cm")]
    LargestOver5Cm,
}

/// One criterion and whether the text shows it met (true), not met (false) or neither (null).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FongItem {
    /// The criterion.
    pub criterion: FongCriterion,
    /// Met, not met, or unknown (null).
    pub met: Option<bool>,
    /// The inputs used.
    pub inputs: Vec<StagingInput>,
    /// What would be needed to decide it, when unknown.
    pub missing: Vec<String>,
}

/// The Fong clinical risk score: one point per criterion met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
pub struct FongCrs {
    /// The score, given only when all five criteria are known.
    pub value: Option<u8>,
    /// Criteria known to be met.
    pub points: u8,
    /// Criteria known (met or not met).
    pub known_criteria: u8,
    /// The highest score the unknown criteria still allow.
    pub max_possible: u8,
    /// Every criterion.
    pub criteria: Vec<FongItem>,
    /// Why the score is not given, when it is not.
    pub reason: Option<String>,
}

/// A classic resectability criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResectabilityCriterion {
    /// At most four liver metastases.
    AtMostFourLiverMetastases,
    /// No extrahepatic disease.
    NoExtrahepaticDisease,
}

/// One resectability criterion: met, not met or unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ResectabilityItem {
    /// The criterion.
    pub criterion: ResectabilityCriterion,
    /// Met, not met, or unknown (null).
    pub met: Option<bool>,
    /// The inputs used.
    pub inputs: Vec<StagingInput>,
    /// What would be needed to decide it, when unknown.
    pub missing: Vec<String>,
}

/// Extrahepatic disease read from the text, one site at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ExtrahepaticFinding {
    /// `lung`, `peritoneum`, `bone`, `lymph_nodes`, `brain`, `adrenal`, `unspecified`.
    pub site: String,
    /// Present, absent or uncertain, as the text states it.
    pub presence: Presence,
    /// Where the text says so.
    pub evidence: Evidence,
}

/// The classic resectability criteria of the source article, as flags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
pub struct Resectability {
    /// True when every criterion is met, false when one is not, null otherwise.
    pub meets_classic_criteria: Option<bool>,
    /// The criteria.
    pub criteria: Vec<ResectabilityItem>,
    /// Metastases in both lobes (a risk factor for recurrence): null when the segments do
    /// not tell.
    pub bilobar: Option<bool>,
    /// The inputs behind `bilobar` (segments, lobes).
    pub bilobar_inputs: Vec<StagingInput>,
    /// Extrahepatic findings, current and about the patient.
    pub extrahepatic: Vec<ExtrahepaticFinding>,
    /// The reasons behind `meets_classic_criteria`, in words.
    pub reasons: Vec<String>,
}

/// The LI-RADS category of one observation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LiradsObservation {
    /// `LR-3`, `LR-4`, `LR-5`, `LR-M`, or null when the size band decides and is unknown.
    pub category: Option<String>,
    /// Index of the lesion in `lesions` (null when read from the summary).
    pub lesion: Option<usize>,
    /// Size used, in mm.
    #[serde(serialize_with = "num::opt")]
    pub size_mm: Option<f64>,
    /// Non-rim arterial phase hyperenhancement.
    pub aphe: bool,
    /// Additional major features seen: `washout`, `capsule`, `threshold_growth`.
    pub major_features: Vec<String>,
    /// LR-M features seen: `rim_enhancement`, `target_sign`.
    pub lrm_features: Vec<String>,
}

/// LI-RADS v2018 CT/MRI category computed from the described features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
pub struct LiradsComputed {
    /// The highest category over the observations, or null.
    pub value: Option<String>,
    /// The category the report states (`summary.lirads_stated`).
    pub stated: Option<String>,
    /// True when the stated and computed categories differ; null when either is missing.
    pub disagrees: Option<bool>,
    /// Each observation.
    pub observations: Vec<LiradsObservation>,
    /// The inputs used (at-risk liver, features, sizes).
    pub inputs: Vec<StagingInput>,
    /// Why `value` is null, when it is.
    pub reason: Option<String>,
}

/// The origin a panel points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Hepatocellular.
    Hepatocellular,
    /// Colorectal.
    Colorectal,
    /// Lung.
    Lung,
    /// Breast.
    Breast,
    /// Neuroendocrine.
    Neuroendocrine,
    /// Melanoma.
    Melanoma,
}

/// Likely origin from the IHC panel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
pub struct OriginHint {
    /// The origin, or null when the panel is insufficient or conflicting.
    pub value: Option<Origin>,
    /// The markers (with their results and evidence) behind the hint.
    pub markers: Vec<StagingInput>,
    /// Why `value` is null, when it is.
    pub reason: Option<String>,
}

/// The M category that the liver alone supports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, JsonSchema)]
pub struct MCategory {
    /// `M1`, or null.
    pub value: Option<String>,
    /// The inputs used.
    pub inputs: Vec<StagingInput>,
    /// Why `value` is null, when it is.
    pub reason: Option<String>,
}

/// Where a record came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
pub struct Provenance {
    /// Source path (or `-` for stdin).
    pub source: String,
    /// Line number in a JSONL source (1-based).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<u64>,
    /// Data row number in a CSV source (1-based, header not counted).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub row: Option<u64>,
    /// Sheet of a workbook source (its `row` is then the row number the sheet shows).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sheet: Option<String>,
    /// The encoding the text was decoded from.
    pub encoding: String,
    /// SHA-256 of the decoded text (UTF-8), hex.
    pub sha256: String,
    /// radpath version.
    pub radpath: String,
    /// Lexicon version (hash of the lexicon files).
    pub lexicons: String,
}

/// One output record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Record {
    /// The report id.
    pub id: String,
    /// Fields of the input passed through unchanged.
    pub meta: serde_json::Map<String, serde_json::Value>,
    /// Report-level facts.
    pub summary: Summary,
    /// Liver lesions.
    pub lesions: Vec<Lesion>,
    /// Every fact read, with its evidence.
    pub facts: Vec<Fact>,
    /// Derived staging values.
    pub staging: Staging,
    /// Where it came from.
    pub provenance: Provenance,
}

/// Why a report yielded no record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The bytes could not be decoded.
    Decode,
    /// A JSON line could not be parsed.
    Json,
    /// The JSON value is not an object.
    NotObject,
    /// A CSV row could not be read.
    Csv,
    /// The record has no text field.
    MissingText,
    /// The text is empty.
    EmptyText,
    /// The report is larger than the limit.
    TooLarge,
    /// Extracting the report took more work than its budget allows.
    Budget,
    /// The file could not be read.
    Io,
    /// Extraction failed unexpectedly (a caught panic).
    Internal,
}

/// Details of an error record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorInfo {
    /// Error kind.
    pub kind: ErrorKind,
    /// What went wrong, in words.
    pub message: String,
}

/// Where a failed input came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default, JsonSchema)]
pub struct ErrorSource {
    /// Source path.
    pub source: String,
    /// Line number in a JSONL source.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<u64>,
    /// Row number in a CSV source.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub row: Option<u64>,
    /// Sheet of a workbook source.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sheet: Option<String>,
}

/// The output line of a report that could not be extracted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorRecord {
    /// The report id, when it could be read.
    pub id: Option<String>,
    /// What went wrong.
    pub error: ErrorInfo,
    /// Where the input came from.
    pub provenance: ErrorSource,
}

/// One output line: a record or an error record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Output {
    /// A record.
    Record(Box<Record>),
    /// An error record.
    Error(ErrorRecord),
}

/// Serialisers that write whole numbers without a fraction (23, not 23.0).
pub mod num {
    use std::collections::BTreeMap;

    use serde::ser::{SerializeMap, SerializeSeq};
    use serde::Serializer;

    /// A number.
    pub fn f64<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
        if v.fract() == 0.0 && v.abs() < 1e15 {
            s.serialize_i64(*v as i64)
        } else {
            s.serialize_f64(*v)
        }
    }

    /// An optional number.
    pub fn opt<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => f64(v, s),
            None => s.serialize_none(),
        }
    }

    struct N(f64);
    impl serde::Serialize for N {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            f64(&self.0, s)
        }
    }

    /// A list of numbers.
    pub fn vec<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for x in v {
            seq.serialize_element(&N(*x))?;
        }
        seq.end()
    }

    /// A map of numbers.
    pub fn map<S: Serializer>(v: &BTreeMap<String, f64>, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(v.len()))?;
        for (k, x) in v {
            m.serialize_entry(k, &N(*x))?;
        }
        m.end()
    }
}
