//! CSV a registry can load: one row per report (`--format csv`) or per lesion
//! (`--format lesions-csv`).
//!
//! The report CSV has the same columns on every row of a run: the summary flattened, one
//! column per IHC marker present in the run (HepPar-1 first), one per lab, every staging
//! score and flag, the input's `meta` fields (each key seen in the run), provenance and
//! versions. Since the marker and meta columns are known only at the end of a run, rows are
//! spooled to a temporary file as they come and written out, header first, when the run ends:
//! memory stays bounded, and nothing reaches the output before the run is over.

use std::collections::{BTreeSet, HashSet};
use std::io::{self, BufRead, BufReader, Seek, SeekFrom, Write};

use serde_json::Value;

use super::csv_dialect::{Cell, CsvDialect};
use crate::record::{
    Count, ErrorKind, Experiencer, Histology, IhcResult, IhcValue, Language, LesionKind, Lobe,
    MetastasisStatus, Modality, Origin, Output, Pattern, Presence, Record, ReportType, Resection,
    Segment, Temporality,
};

/// The marker written first.
const FIRST_MARKER: &str = "HepPar-1";

/// Labs that always have a column, in this order; others seen in a run follow.
pub const KNOWN_LABS: &[&str] = &[
    "cea_ng_ml",
    "afp_ug_l",
    "bilirubin_umol_l",
    "alp_u_l",
    "ggt_u_l",
    "ldh_u_l",
];

/// Columns before the per-marker and per-lab columns.
pub const HEAD_COLUMNS: &[&str] = &[
    "id",
    "error_kind",
    "error_message",
    "language",
    "report_type",
    "modality",
    "liver_metastasis",
    "lesion_count",
    "lesion_count_at_least",
    "largest_lesion_mm",
    "segments",
    "lobes",
    "bilobar",
    "patterns",
    "lirads_stated",
    "histology",
    "margin_mm",
    "resection",
    "specimen_weight_g",
];

/// Staging columns, after the markers and labs.
pub const STAGING_COLUMNS: &[&str] = &[
    "tumor_burden_score",
    "tumor_burden_score_lower_bound",
    "fong_crs",
    "fong_crs_points",
    "fong_crs_known_criteria",
    "fong_crs_max_possible",
    "resectable_classic",
    "resectability_bilobar",
    "extrahepatic_disease",
    "lirads_computed",
    "lirads_disagrees",
    "origin_hint",
    "m_category",
];

/// Columns after the meta columns.
pub const TAIL_COLUMNS: &[&str] = &[
    "source",
    "line",
    "row",
    "encoding",
    "sha256",
    "radpath_version",
    "lexicons_version",
];

fn text(s: impl Into<String>) -> Cell {
    let s = s.into();
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

fn opt_num(x: Option<f64>) -> Cell {
    x.map(Cell::Number).unwrap_or(Cell::Empty)
}

fn flag(x: Option<bool>) -> Cell {
    x.map(|b| Cell::Text(b.to_string())).unwrap_or(Cell::Empty)
}

fn joined<T: Copy>(items: &[T], name: fn(T) -> &'static str) -> Cell {
    text(items.iter().map(|x| name(*x)).collect::<Vec<_>>().join(";"))
}

/// A meta value as a cell: strings as they are, numbers with their exact digits.
fn meta_cell(v: &Value) -> Cell {
    match v {
        Value::Null => Cell::Empty,
        Value::String(s) => text(s.clone()),
        other => Cell::Text(other.to_string()),
    }
}

/// The cells of one report, by column name (the dynamic columns prefixed `ihc.`, `lab.`,
/// `meta.`).
pub fn report_cells(out: &Output) -> Vec<(String, Cell)> {
    let mut cells: Vec<(String, Cell)> = Vec::with_capacity(48);
    let mut put = |name: &str, cell: Cell| {
        if cell != Cell::Empty {
            cells.push((name.to_string(), cell));
        }
    };
    match out {
        Output::Error(e) => {
            put("id", text(e.id.clone().unwrap_or_default()));
            put("error_kind", text(ErrorKind::as_str(e.error.kind)));
            put("error_message", text(e.error.message.clone()));
            put("source", text(e.provenance.source.clone()));
            put("line", opt_num(e.provenance.line.map(|x| x as f64)));
            put("row", opt_num(e.provenance.row.map(|x| x as f64)));
        }
        Output::Record(r) => record_cells(r, &mut put),
    }
    cells
}

fn record_cells(r: &Record, put: &mut impl FnMut(&str, Cell)) {
    let s = &r.summary;
    put("id", text(r.id.clone()));
    put("language", text(Language::as_str(s.language)));
    put("report_type", text(ReportType::as_str(s.report_type)));
    put("modality", joined(&s.modality, Modality::as_str));
    put(
        "liver_metastasis",
        text(MetastasisStatus::as_str(s.liver_metastasis)),
    );
    match s.lesion_count {
        Some(Count::Value(n)) => put("lesion_count", Cell::Number(n as f64)),
        Some(Count::AtLeast(n)) => put("lesion_count_at_least", Cell::Number(n as f64)),
        None => {}
    }
    put("largest_lesion_mm", opt_num(s.largest_lesion_mm));
    put("segments", joined(&s.segments, Segment::as_str));
    put("lobes", joined(&s.lobes, Lobe::as_str));
    put("bilobar", Cell::Text(s.bilobar.to_string()));
    put("patterns", joined(&s.patterns, Pattern::as_str));
    put(
        "lirads_stated",
        text(s.lirads_stated.clone().unwrap_or_default()),
    );
    put(
        "histology",
        text(s.histology.map(Histology::as_str).unwrap_or_default()),
    );
    put("margin_mm", opt_num(s.margin_mm));
    put(
        "resection",
        text(s.resection.map(Resection::as_str).unwrap_or_default()),
    );
    put("specimen_weight_g", opt_num(s.specimen_weight_g));
    for (marker, value) in &s.ihc {
        let cell = match value {
            IhcValue::Result(res) => text(IhcResult::as_str(*res)),
            IhcValue::Percent(p) => Cell::Number(*p),
        };
        put(&format!("ihc.{marker}"), cell);
    }
    for (lab, value) in &s.labs {
        put(&format!("lab.{lab}"), Cell::Number(*value));
    }
    let st = &r.staging;
    if let Some(t) = &st.tumor_burden_score {
        put("tumor_burden_score", opt_num(t.value));
        put("tumor_burden_score_lower_bound", opt_num(t.lower_bound));
    }
    if let Some(f) = &st.fong_crs {
        put("fong_crs", opt_num(f.value.map(f64::from)));
        put("fong_crs_points", Cell::Number(f64::from(f.points)));
        put(
            "fong_crs_known_criteria",
            Cell::Number(f64::from(f.known_criteria)),
        );
        put(
            "fong_crs_max_possible",
            Cell::Number(f64::from(f.max_possible)),
        );
    }
    if let Some(x) = &st.resectability {
        put("resectable_classic", flag(x.meets_classic_criteria));
        put("resectability_bilobar", flag(x.bilobar));
        let sites: BTreeSet<&str> = x
            .extrahepatic
            .iter()
            .filter(|e| e.presence == Presence::Present)
            .map(|e| e.site.as_str())
            .collect();
        put(
            "extrahepatic_disease",
            text(sites.into_iter().collect::<Vec<_>>().join(";")),
        );
    }
    if let Some(l) = &st.lirads_computed {
        put("lirads_computed", text(l.value.clone().unwrap_or_default()));
        put("lirads_disagrees", flag(l.disagrees));
    }
    if let Some(o) = &st.origin_hint {
        put(
            "origin_hint",
            text(o.value.map(Origin::as_str).unwrap_or_default()),
        );
    }
    if let Some(m) = &st.m_category {
        put("m_category", text(m.value.clone().unwrap_or_default()));
    }
    for (key, value) in &r.meta {
        put(&format!("meta.{key}"), meta_cell(value));
    }
    let p = &r.provenance;
    put("source", text(p.source.clone()));
    put("line", opt_num(p.line.map(|x| x as f64)));
    put("row", opt_num(p.row.map(|x| x as f64)));
    put("encoding", text(p.encoding.clone()));
    put("sha256", text(p.sha256.clone()));
    put("radpath_version", text(p.radpath.clone()));
    put("lexicons_version", text(p.lexicons.clone()));
}

/// Appends one spool line (a JSON array of `[column, value]` pairs) for a report.
pub fn spool_line(out: &Output, buf: &mut Vec<u8>) {
    let pairs: Vec<Value> = report_cells(out)
        .into_iter()
        .map(|(name, cell)| {
            let v = match cell {
                Cell::Empty => Value::Null,
                Cell::Text(s) => Value::String(s),
                Cell::Number(x) => serde_json::Number::from_f64(x)
                    .map(Value::Number)
                    .unwrap_or(Value::Null),
            };
            Value::Array(vec![Value::String(name), v])
        })
        .collect();
    // Serialising a JSON value into memory cannot fail.
    let _ = serde_json::to_writer(&mut *buf, &Value::Array(pairs));
    buf.push(b'\n');
}

/// The columns of a run, from the dynamic column names seen in it.
fn columns(markers: &BTreeSet<String>, labs: &[String], meta: &[String]) -> Vec<String> {
    let mut cols: Vec<String> = HEAD_COLUMNS.iter().map(|c| c.to_string()).collect();
    if markers.contains(FIRST_MARKER) {
        cols.push(format!("ihc.{FIRST_MARKER}"));
    }
    cols.extend(
        markers
            .iter()
            .filter(|m| m.as_str() != FIRST_MARKER)
            .map(|m| format!("ihc.{m}")),
    );
    cols.extend(KNOWN_LABS.iter().map(|l| format!("lab.{l}")));
    cols.extend(
        labs.iter()
            .filter(|l| !KNOWN_LABS.contains(&l.as_str()))
            .map(|l| format!("lab.{l}")),
    );
    cols.extend(STAGING_COLUMNS.iter().map(|c| c.to_string()));
    cols.extend(meta.iter().map(|m| format!("meta.{m}")));
    cols.extend(TAIL_COLUMNS.iter().map(|c| c.to_string()));
    cols
}

fn cell_of(v: &Value) -> Cell {
    match v {
        Value::Null => Cell::Empty,
        Value::String(s) => Cell::Text(s.clone()),
        Value::Number(n) => n.as_f64().map(Cell::Number).unwrap_or(Cell::Empty),
        other => Cell::Text(other.to_string()),
    }
}

/// Reads a spool back and writes the CSV: header, then one row per spooled report.
pub fn write_from_spool<R, W>(spool: &mut R, dialect: CsvDialect, out: &mut W) -> io::Result<()>
where
    R: io::Read + Seek,
    W: Write,
{
    let mut markers = BTreeSet::new();
    let mut labs: Vec<String> = Vec::new();
    let mut meta: Vec<String> = Vec::new();
    let (mut seen_labs, mut seen_meta) = (HashSet::new(), HashSet::new());
    spool.seek(SeekFrom::Start(0))?;
    for line in BufReader::new(&mut *spool).lines() {
        let line = line?;
        let Ok(Value::Array(pairs)) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        for pair in &pairs {
            let Some(name) = pair.get(0).and_then(Value::as_str) else {
                continue;
            };
            if let Some(m) = name.strip_prefix("ihc.") {
                markers.insert(m.to_string());
            } else if let Some(l) = name.strip_prefix("lab.") {
                if seen_labs.insert(l.to_string()) {
                    labs.push(l.to_string());
                }
            } else if let Some(m) = name.strip_prefix("meta.") {
                if seen_meta.insert(m.to_string()) {
                    meta.push(m.to_string());
                }
            }
        }
    }
    let cols = columns(&markers, &labs, &meta);
    let index: std::collections::HashMap<&str, usize> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut buf = Vec::with_capacity(1 << 16);
    buf.extend_from_slice(dialect.preamble());
    dialect.write_row(&cols, &mut buf);
    out.write_all(&buf)?;
    spool.seek(SeekFrom::Start(0))?;
    for line in BufReader::new(&mut *spool).lines() {
        let line = line?;
        let Ok(Value::Array(pairs)) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let mut row = vec![Cell::Empty; cols.len()];
        for pair in &pairs {
            if let (Some(name), Some(v)) = (pair.get(0).and_then(Value::as_str), pair.get(1)) {
                if let Some(&i) = index.get(name) {
                    row[i] = cell_of(v);
                }
            }
        }
        buf.clear();
        dialect.write_cells(&row, &mut buf);
        out.write_all(&buf)?;
    }
    Ok(())
}

/// Columns of the per-lesion CSV.
pub const LESION_COLUMNS: &[&str] = &[
    "id",
    "lesion",
    "error_kind",
    "error_message",
    "kind",
    "count",
    "count_at_least",
    "size_max_mm",
    "size_dims_mm",
    "segments",
    "lobe",
    "patterns",
    "presence",
    "temporality",
    "experiencer",
    "evidence_start",
    "evidence_end",
    "source",
    "line",
    "row",
];

/// The per-lesion CSV header.
pub fn lesion_header(dialect: CsvDialect, buf: &mut Vec<u8>) {
    buf.extend_from_slice(dialect.preamble());
    dialect.write_row(LESION_COLUMNS, buf);
}

/// Appends one row per lesion of a report (a report without lesions gets none; an error
/// record gets one row with its error columns, so nothing is lost).
pub fn lesion_rows(out: &Output, dialect: CsvDialect, buf: &mut Vec<u8>) {
    match out {
        Output::Error(e) => {
            let mut row = vec![Cell::Empty; LESION_COLUMNS.len()];
            row[0] = text(e.id.clone().unwrap_or_default());
            row[2] = text(ErrorKind::as_str(e.error.kind));
            row[3] = text(e.error.message.clone());
            row[17] = text(e.provenance.source.clone());
            row[18] = opt_num(e.provenance.line.map(|x| x as f64));
            row[19] = opt_num(e.provenance.row.map(|x| x as f64));
            dialect.write_cells(&row, buf);
        }
        Output::Record(r) => {
            for (i, l) in r.lesions.iter().enumerate() {
                let mut row = vec![Cell::Empty; LESION_COLUMNS.len()];
                row[0] = text(r.id.clone());
                row[1] = Cell::Number((i + 1) as f64);
                row[4] = text(LesionKind::as_str(l.kind));
                match l.count {
                    Some(Count::Value(n)) => row[5] = Cell::Number(n as f64),
                    Some(Count::AtLeast(n)) => row[6] = Cell::Number(n as f64),
                    None => {}
                }
                if let Some(size) = &l.size_mm {
                    row[7] = Cell::Number(size.max);
                    row[8] = text(
                        size.dims
                            .iter()
                            .map(|d| dialect.number(*d))
                            .collect::<Vec<_>>()
                            .join(" x "),
                    );
                }
                row[9] = joined(&l.segments, Segment::as_str);
                row[10] = text(l.lobe.map(Lobe::as_str).unwrap_or_default());
                row[11] = joined(&l.patterns, Pattern::as_str);
                row[12] = text(Presence::as_str(l.assertion.presence));
                row[13] = text(Temporality::as_str(l.assertion.temporality));
                row[14] = text(Experiencer::as_str(l.assertion.experiencer));
                if let Some(first) = l.evidence.iter().min_by_key(|e| e.start) {
                    row[15] = Cell::Number(first.start as f64);
                    row[16] = Cell::Number(
                        l.evidence.iter().map(|e| e.end).max().unwrap_or(first.end) as f64,
                    );
                }
                row[17] = text(r.provenance.source.clone());
                row[18] = opt_num(r.provenance.line.map(|x| x as f64));
                row[19] = opt_num(r.provenance.row.map(|x| x as f64));
                dialect.write_cells(&row, buf);
            }
        }
    }
}
