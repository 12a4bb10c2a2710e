//! FHIR R4 output (`--format fhir`): one `Bundle` of type `collection` per report, one JSON
//! line each.
//!
//! A bundle holds a `DiagnosticReport` (radiology or pathology), a `DocumentReference` that
//! stands for the report text (identified by its SHA-256; the text itself is not repeated),
//! and one `Observation` per lesion, per tumour size (the mCODE TumorSize shape: LOINC
//! 21889-1 with components 33728-7 and 33729-5 in UCUM `mm`), per IHC marker result, and for
//! histology, margin, R status, LI-RADS stated and computed, tumour burden score and M
//! category. Every Observation is `derivedFrom` the DocumentReference and carries its spans
//! (character offsets into the report text) and rule ids in an `evidence` extension.
//! Absent and uncertain findings are written with an explicit presence value, never as
//! present. An error record becomes a bundle with one `OperationOutcome`.
//! `docs/fhir.md` lists every code system and code.

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::offsets::CharOffsets;
use crate::record::{
    Count, ErrorRecord, Evidence, IhcValue, Lesion, Modality, Output, Record, ReportType,
    StagingInput,
};

/// radpath's own code systems, for concepts with no standard code.
pub mod system {
    /// What an Observation is about (`liver-lesion`, `ihc-result`, ...).
    pub const OBSERVATION: &str = "urn:radpath:fhir:CodeSystem:observation";
    /// Presence of a finding: `present`, `absent`, `uncertain`.
    pub const PRESENCE: &str = "urn:radpath:fhir:CodeSystem:presence";
    /// Lesion kinds (`metastasis`, `hcc`, `cyst`, ...).
    pub const LESION_KIND: &str = "urn:radpath:fhir:CodeSystem:lesion-kind";
    /// Couinaud segments `I` .. `VIII`, `IVa`, `IVb`.
    pub const SEGMENT: &str = "urn:radpath:fhir:CodeSystem:couinaud-segment";
    /// Liver lobes.
    pub const LOBE: &str = "urn:radpath:fhir:CodeSystem:liver-lobe";
    /// Appearance codes (`rim_enhancement`, `washout`, ...).
    pub const PATTERN: &str = "urn:radpath:fhir:CodeSystem:pattern";
    /// Canonical IHC marker names (`HepPar-1`, `CK7`, ...).
    pub const IHC_MARKER: &str = "urn:radpath:fhir:CodeSystem:ihc-marker";
    /// IHC results (`positive`, `negative`, `focal`, `weak`, `equivocal`).
    pub const IHC_RESULT: &str = "urn:radpath:fhir:CodeSystem:ihc-result";
    /// Histological types (`hcc`, `colorectal_adenocarcinoma`, ...).
    pub const HISTOLOGY: &str = "urn:radpath:fhir:CodeSystem:histology";
    /// Resection status `R0`, `R1`, `R2`.
    pub const RESECTION: &str = "urn:radpath:fhir:CodeSystem:resection-status";
    /// LI-RADS categories (`LR-1` .. `LR-5`, `LR-M`, `LR-TIV`).
    pub const LIRADS: &str = "urn:radpath:fhir:CodeSystem:lirads-category";
    /// TNM M categories as radpath derives them (`M1`).
    pub const M_CATEGORY: &str = "urn:radpath:fhir:CodeSystem:m-category";
    /// Report identifiers (the input's id).
    pub const REPORT_ID: &str = "urn:radpath:fhir:report-id";
    /// SHA-256 of a report's text (hex).
    pub const TEXT_SHA256: &str = "urn:radpath:fhir:text-sha256";
    /// Extension: the spans and rule behind an Observation.
    pub const EVIDENCE_EXT: &str = "urn:radpath:fhir:StructureDefinition:evidence";
    /// Extension: temporality and experiencer of a finding.
    pub const ASSERTION_EXT: &str = "urn:radpath:fhir:StructureDefinition:assertion";
    /// Extension: where the report came from and which radpath read it.
    pub const PROVENANCE_EXT: &str = "urn:radpath:fhir:StructureDefinition:provenance";
}

const LOINC: &str = "http://loinc.org";
const SNOMED: &str = "http://snomed.info/sct";
const UCUM: &str = "http://unitsofmeasure.org";
const V2_0074: &str = "http://terminology.hl7.org/CodeSystem/v2-0074";
const OBS_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
const DICOM: &str = "http://dicom.nema.org/resources/ontology/DCM";

/// A deterministic UUID (version 8, RFC 9562) from a seed, so the same input gives the same
/// bundle at any thread count.
fn uuid(seed: &str) -> String {
    let h = Sha256::digest(seed.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&h[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn coding(system: &str, code: &str, display: Option<&str>) -> Value {
    let mut c = json!({"system": system, "code": code});
    if let Some(d) = display {
        c["display"] = json!(d);
    }
    c
}

fn concept(system: &str, code: &str, display: Option<&str>) -> Value {
    json!({"coding": [coding(system, code, display)]})
}

fn mm(value: f64) -> Value {
    json!({"value": value, "unit": "mm", "system": UCUM, "code": "mm"})
}

/// The resources of one bundle as they are built.
struct Builder<'a> {
    record: &'a Record,
    chars: Option<CharOffsets>,
    doc_ref: String,
    entries: Vec<Value>,
    results: Vec<Value>,
    category: &'static str,
}

impl Builder<'_> {
    fn next_id(&self) -> String {
        uuid(&format!(
            "{}\u{0}{}\u{0}{}\u{0}{}",
            self.record.id,
            self.record.provenance.source,
            self.record.provenance.sha256,
            self.entries.len()
        ))
    }

    fn evidence_ext(&self, evidence: &[&Evidence]) -> Vec<Value> {
        let (offsets, conv): (&str, Box<dyn Fn(usize) -> usize>) = match &self.chars {
            Some(c) => ("char", Box::new(|b| c.char_of(b))),
            None => ("byte", Box::new(|b| b)),
        };
        evidence
            .iter()
            .map(|e| {
                json!({"url": system::EVIDENCE_EXT, "extension": [
                    {"url": "start", "valueInteger": conv(e.start)},
                    {"url": "end", "valueInteger": conv(e.end)},
                    {"url": "offsets", "valueCode": offsets},
                    {"url": "rule", "valueString": e.rule.as_str()},
                ]})
            })
            .collect()
    }

    /// Adds an Observation (with its evidence) and returns its full URL.
    fn observation(&mut self, mut obs: Map<String, Value>, evidence: &[&Evidence]) -> String {
        let id = self.next_id();
        let url = format!("urn:uuid:{id}");
        let mut ext = self.evidence_ext(evidence);
        if let Some(Value::Array(more)) = obs.remove("extension") {
            ext.extend(more);
        }
        let mut resource = Map::new();
        resource.insert("resourceType".into(), json!("Observation"));
        resource.insert("id".into(), json!(id));
        if !ext.is_empty() {
            resource.insert("extension".into(), Value::Array(ext));
        }
        resource.insert("status".into(), json!("final"));
        resource.insert(
            "category".into(),
            json!([concept(OBS_CATEGORY, self.category, None)]),
        );
        for (k, v) in obs {
            resource.insert(k, v);
        }
        resource.insert(
            "derivedFrom".into(),
            json!([{"reference": format!("urn:uuid:{}", self.doc_ref)}]),
        );
        self.entries
            .push(json!({"fullUrl": url, "resource": Value::Object(resource)}));
        self.results.push(json!({"reference": url}));
        url
    }

    fn lesion(&mut self, lesion: &Lesion) {
        let evidence: Vec<&Evidence> = lesion.evidence.iter().collect();
        let mut members = Vec::new();
        if let Some(size) = &lesion.size_mm {
            let mut components = vec![json!({
                "code": concept(LOINC, "33728-7", Some("Size.maximum dimension in Tumor")),
                "valueQuantity": mm(size.max),
            })];
            let mut skipped_max = false;
            for d in &size.dims {
                if !skipped_max && *d == size.max {
                    skipped_max = true;
                    continue;
                }
                components.push(json!({
                    "code": concept(LOINC, "33729-5", Some("Size additional dimension in Tumor")),
                    "valueQuantity": mm(*d),
                }));
            }
            let mut obs = Map::new();
            obs.insert("code".into(), concept(LOINC, "21889-1", Some("Size Tumor")));
            obs.insert(
                "bodySite".into(),
                concept(SNOMED, "10200004", Some("Liver structure")),
            );
            obs.insert("component".into(), Value::Array(components));
            members.push(json!({"reference": self.observation(obs, &evidence)}));
        }
        let mut components = vec![json!({
            "code": concept(system::OBSERVATION, "lesion-kind", Some("Lesion kind")),
            "valueCodeableConcept": concept(system::LESION_KIND, lesion.kind.as_str(), None),
        })];
        match lesion.count {
            Some(Count::Value(n)) => components.push(json!({
                "code": concept(system::OBSERVATION, "lesion-count", Some("Number of lesions")),
                "valueInteger": n,
            })),
            Some(Count::AtLeast(n)) => components.push(json!({
                "code": concept(system::OBSERVATION, "lesion-count", Some("Number of lesions")),
                "valueQuantity": {"value": n, "comparator": ">="},
            })),
            None => {}
        }
        for s in &lesion.segments {
            components.push(json!({
                "code": concept(system::OBSERVATION, "couinaud-segment", Some("Couinaud segment")),
                "valueCodeableConcept": concept(system::SEGMENT, s.as_str(), None),
            }));
        }
        if let Some(lobe) = lesion.lobe {
            components.push(json!({
                "code": concept(system::OBSERVATION, "liver-lobe", Some("Liver lobe")),
                "valueCodeableConcept": concept(system::LOBE, lobe.as_str(), None),
            }));
        }
        for p in &lesion.patterns {
            components.push(json!({
                "code": concept(system::OBSERVATION, "pattern", Some("Appearance")),
                "valueCodeableConcept": concept(system::PATTERN, p.as_str(), None),
            }));
        }
        let a = lesion.assertion;
        let mut obs = Map::new();
        obs.insert(
            "extension".into(),
            json!([{"url": system::ASSERTION_EXT, "extension": [
                {"url": "temporality", "valueCode": a.temporality.as_str()},
                {"url": "experiencer", "valueCode": a.experiencer.as_str()},
            ]}]),
        );
        obs.insert(
            "code".into(),
            concept(system::OBSERVATION, "liver-lesion", Some("Liver lesion")),
        );
        obs.insert(
            "bodySite".into(),
            concept(SNOMED, "10200004", Some("Liver structure")),
        );
        obs.insert(
            "valueCodeableConcept".into(),
            concept(system::PRESENCE, a.presence.as_str(), None),
        );
        if !members.is_empty() {
            obs.insert("hasMember".into(), Value::Array(members));
        }
        obs.insert("component".into(), Value::Array(components));
        self.observation(obs, &evidence);
    }

    fn ihc(&mut self, marker: &str, value: &IhcValue) {
        let evidence: Vec<&Evidence> = self
            .record
            .facts
            .iter()
            .filter(|f| {
                f.field == "ihc" && f.value.get("marker").and_then(Value::as_str) == Some(marker)
            })
            .map(|f| &f.evidence)
            .collect();
        let mut obs = Map::new();
        obs.insert(
            "code".into(),
            concept(system::IHC_MARKER, marker, Some(marker)),
        );
        obs.insert("method".into(), json!({"text": "immunohistochemistry"}));
        match value {
            IhcValue::Result(r) => obs.insert(
                "valueCodeableConcept".into(),
                concept(system::IHC_RESULT, r.as_str(), None),
            ),
            IhcValue::Percent(p) => obs.insert(
                "valueQuantity".into(),
                json!({"value": p, "unit": "%", "system": UCUM, "code": "%"}),
            ),
        };
        self.observation(obs, &evidence);
    }

    fn simple(&mut self, code: &str, display: &str, value: (&str, Value), evidence: &[&Evidence]) {
        let mut obs = Map::new();
        obs.insert(
            "code".into(),
            concept(system::OBSERVATION, code, Some(display)),
        );
        obs.insert(value.0.into(), value.1);
        self.observation(obs, evidence);
    }
}

/// The evidence of every fact of a field.
fn facts_of<'r>(r: &'r Record, field: &str) -> Vec<&'r Evidence> {
    r.facts
        .iter()
        .filter(|f| f.field == field)
        .map(|f| &f.evidence)
        .collect()
}

fn staging_evidence(inputs: &[StagingInput]) -> Vec<&Evidence> {
    inputs.iter().flat_map(|i| i.evidence.iter()).collect()
}

fn report_bundle(r: &Record, text: Option<&str>) -> Value {
    let s = &r.summary;
    let category = match s.report_type {
        ReportType::Radiology => "imaging",
        _ => "laboratory",
    };
    let mut b = Builder {
        record: r,
        chars: text.map(CharOffsets::new),
        doc_ref: String::new(),
        entries: Vec::new(),
        results: Vec::new(),
        category,
    };
    let report_id = b.next_id();
    b.entries.push(Value::Null); // the DiagnosticReport, filled in last
    let doc_ref = b.next_id();
    b.doc_ref = doc_ref.clone();
    let mut attachment = json!({"contentType": "text/plain; charset=utf-8", "title": r.id});
    if let Some(t) = text {
        attachment["size"] = json!(t.len());
    }
    b.entries.push(
        json!({"fullUrl": format!("urn:uuid:{doc_ref}"), "resource": {
            "resourceType": "DocumentReference",
            "id": doc_ref,
            "identifier": [{"system": system::TEXT_SHA256, "value": r.provenance.sha256}],
            "status": "current",
            "content": [{"attachment": attachment}],
        }}),
    );

    for lesion in &r.lesions {
        b.lesion(lesion);
    }
    for (marker, value) in &s.ihc {
        b.ihc(marker, value);
    }
    if let Some(h) = s.histology {
        let ev = facts_of(r, "histology");
        b.simple(
            "histology",
            "Histological type",
            (
                "valueCodeableConcept",
                concept(system::HISTOLOGY, h.as_str(), None),
            ),
            &ev,
        );
    }
    if let Some(m) = s.margin_mm {
        let ev = facts_of(r, "margin_mm");
        b.simple(
            "margin-distance",
            "Smallest tumour-to-margin distance",
            ("valueQuantity", mm(m)),
            &ev,
        );
    }
    if let Some(res) = s.resection {
        let ev = facts_of(r, "resection");
        b.simple(
            "resection-status",
            "Resection status",
            (
                "valueCodeableConcept",
                concept(system::RESECTION, res.as_str(), None),
            ),
            &ev,
        );
    }
    if let Some(l) = &s.lirads_stated {
        let ev = facts_of(r, "lirads_stated");
        b.simple(
            "lirads-stated",
            "LI-RADS category stated",
            ("valueCodeableConcept", concept(system::LIRADS, l, None)),
            &ev,
        );
    }
    if let Some(l) = &r.staging.lirads_computed {
        if let Some(v) = &l.value {
            let ev = staging_evidence(&l.inputs);
            b.simple(
                "lirads-computed",
                "LI-RADS category computed (v2018 CT/MRI table)",
                ("valueCodeableConcept", concept(system::LIRADS, v, None)),
                &ev,
            );
        }
    }
    if let Some(t) = &r.staging.tumor_burden_score {
        let value = match (t.value, t.lower_bound) {
            (Some(v), _) => Some(json!({"value": v})),
            (None, Some(lb)) => Some(json!({"value": lb, "comparator": ">="})),
            _ => None,
        };
        if let Some(v) = value {
            let ev = staging_evidence(&t.inputs);
            b.simple(
                "tumor-burden-score",
                "Tumour burden score",
                ("valueQuantity", v),
                &ev,
            );
        }
    }
    if let Some(m) = &r.staging.m_category {
        if let Some(v) = &m.value {
            let ev = staging_evidence(&m.inputs);
            b.simple(
                "m-category",
                "M category",
                ("valueCodeableConcept", concept(system::M_CATEGORY, v, None)),
                &ev,
            );
        }
    }

    let mut categories = vec![match s.report_type {
        ReportType::Radiology => concept(V2_0074, "RAD", Some("Radiology")),
        ReportType::Pathology => concept(V2_0074, "SP", Some("Surgical Pathology")),
        ReportType::Unknown => json!({"text": "unknown"}),
    }];
    for m in &s.modality {
        let (code, display) = match m {
            Modality::CT => ("CT", "Computed Tomography"),
            Modality::MRI => ("MR", "Magnetic Resonance"),
            Modality::US => ("US", "Ultrasound"),
            Modality::PET => ("PT", "Positron emission tomography"),
            Modality::XR => ("DX", "Digital Radiography"),
        };
        categories.push(concept(DICOM, code, Some(display)));
    }
    let code = match s.report_type {
        ReportType::Radiology => concept(LOINC, "18748-4", Some("Diagnostic imaging study")),
        ReportType::Pathology => concept(LOINC, "11526-1", Some("Pathology study")),
        ReportType::Unknown => json!({"text": "report"}),
    };
    let p = &r.provenance;
    let mut prov = vec![
        json!({"url": "source", "valueString": p.source}),
        json!({"url": "encoding", "valueString": p.encoding}),
        json!({"url": "radpath", "valueString": p.radpath}),
        json!({"url": "lexicons", "valueString": p.lexicons}),
    ];
    if let Some(line) = p.line {
        prov.push(json!({"url": "line", "valueString": line.to_string()}));
    }
    if let Some(row) = p.row {
        prov.push(json!({"url": "row", "valueString": row.to_string()}));
    }
    let mut report = json!({
        "resourceType": "DiagnosticReport",
        "id": report_id,
        "extension": [{"url": system::PROVENANCE_EXT, "extension": prov}],
        "identifier": [{"system": system::REPORT_ID, "value": r.id}],
        "status": "final",
        "category": categories,
        "code": code,
    });
    if !b.results.is_empty() {
        report["result"] = Value::Array(std::mem::take(&mut b.results));
    }
    b.entries[0] = json!({"fullUrl": format!("urn:uuid:{report_id}"), "resource": report});
    json!({
        "resourceType": "Bundle",
        "id": uuid(&format!("bundle\u{0}{}\u{0}{}\u{0}{}", r.id, p.source, p.sha256)),
        "identifier": {"system": system::REPORT_ID, "value": r.id},
        "type": "collection",
        "entry": b.entries,
    })
}

fn error_bundle(e: &ErrorRecord) -> Value {
    let id = e.id.clone().unwrap_or_default();
    let seed = format!(
        "{}\u{0}{}\u{0}{:?}\u{0}{:?}",
        id, e.provenance.source, e.provenance.line, e.provenance.row
    );
    let outcome_id = uuid(&format!("outcome\u{0}{seed}"));
    let mut place = e.provenance.source.clone();
    if let Some(l) = e.provenance.line {
        place.push_str(&format!(" line {l}"));
    }
    if let Some(r) = e.provenance.row {
        place.push_str(&format!(" row {r}"));
    }
    let mut bundle = json!({
        "resourceType": "Bundle",
        "id": uuid(&format!("bundle\u{0}{seed}")),
        "type": "collection",
        "entry": [{"fullUrl": format!("urn:uuid:{outcome_id}"), "resource": {
            "resourceType": "OperationOutcome",
            "id": outcome_id,
            "issue": [{
                "severity": "error",
                "code": "processing",
                "details": {"coding": [coding(
                    "urn:radpath:fhir:CodeSystem:error-kind",
                    e.error.kind.as_str(),
                    None,
                )], "text": e.error.message},
                "diagnostics": format!("{place}: {}", e.error.message),
            }],
        }}],
    });
    if e.id.is_some() {
        bundle["identifier"] = json!({"system": system::REPORT_ID, "value": id});
    }
    bundle
}

/// The bundle of one output; `text` (the report's text) gives character offsets, without it
/// the evidence says its offsets are bytes.
pub fn bundle(out: &Output, text: Option<&str>) -> Value {
    match out {
        Output::Record(r) => report_bundle(r, text),
        Output::Error(e) => error_bundle(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_deterministic_and_well_formed() {
        let a = uuid("x");
        assert_eq!(a, uuid("x"));
        assert_ne!(a, uuid("y"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
    }
}
