//! Review packs: a reproducible sample of an archive, an index page, one review page per
//! report, and a CSV in which a reviewer writes a verdict per report; and the scoring of a
//! returned CSV.
//!
//! The sample is the `n` reports with the smallest SHA-256 of (seed, position, id): every
//! report has the same chance, the same seed gives the same sample, and only `n` keys are
//! kept in memory whatever the size of the archive.

use std::collections::BinaryHeap;
use std::fmt::Write;

use sha2::{Digest, Sha256};

use crate::explain::html::escape;
use crate::record::Summary;

/// The sampling key of the report at `position` (0-based) with `id`.
pub fn sample_key(seed: u64, position: u64, id: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(seed.to_le_bytes());
    h.update(position.to_le_bytes());
    h.update(id.as_bytes());
    h.finalize().into()
}

/// Keeps the `n` smallest keys seen, with their items.
pub struct Sampler<T> {
    n: usize,
    heap: BinaryHeap<(Vec<u8>, u64, Keyed<T>)>,
}

/// An item that never takes part in the ordering.
pub struct Keyed<T>(pub T);

impl<T> PartialEq for Keyed<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl<T> Eq for Keyed<T> {}
impl<T> PartialOrd for Keyed<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Keyed<T> {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl<T> Sampler<T> {
    /// A sampler of `n` items.
    pub fn new(n: usize) -> Sampler<T> {
        Sampler {
            n,
            heap: BinaryHeap::with_capacity(n + 1),
        }
    }

    /// Offers an item; `key` decides whether it is kept.
    pub fn offer(&mut self, key: [u8; 32], position: u64, item: impl FnOnce() -> T) {
        if self.n == 0 {
            return;
        }
        if self.heap.len() == self.n {
            match self.heap.peek() {
                Some(top) if top.0.as_slice() > key.as_slice() => {
                    self.heap.pop();
                }
                _ => return,
            }
        }
        self.heap.push((key.to_vec(), position, Keyed(item())));
    }

    /// The kept items in input order, with their positions.
    pub fn into_sorted(self) -> Vec<(u64, T)> {
        let mut v: Vec<(u64, T)> = self
            .heap
            .into_iter()
            .map(|(_, pos, item)| (pos, item.0))
            .collect();
        v.sort_by_key(|(pos, _)| *pos);
        v
    }
}

/// The key fields of a review row, in column order.
pub const KEY_FIELDS: &[&str] = &[
    "report_type",
    "liver_metastasis",
    "lesion_count",
    "largest_lesion_mm",
    "segments",
    "ihc",
    "histology",
    "margin_mm",
    "resection",
];

/// The review CSV's columns.
pub fn csv_columns() -> Vec<&'static str> {
    let mut c = vec!["id", "page", "source", "place"];
    c.extend_from_slice(KEY_FIELDS);
    c.extend_from_slice(&["reviewer_ok", "reviewer_note"]);
    c
}

/// The key fields of a summary as short texts, in [`KEY_FIELDS`] order.
pub fn key_values(summary: &Summary) -> Vec<String> {
    let v = serde_json::to_value(summary).unwrap_or_default();
    KEY_FIELDS
        .iter()
        .map(|f| match v.get(*f) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Array(a)) => a
                .iter()
                .map(|x| {
                    x.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| x.to_string())
                })
                .collect::<Vec<_>>()
                .join(";"),
            Some(serde_json::Value::Object(m)) if *f == "lesion_count" => m
                .iter()
                .map(|(k, n)| {
                    if k == "at_least" {
                        format!(">={n}")
                    } else {
                        n.to_string()
                    }
                })
                .collect(),
            Some(serde_json::Value::Object(m)) => m
                .iter()
                .map(|(k, x)| format!("{k}={}", x.as_str().map_or(x.to_string(), str::to_string)))
                .collect::<Vec<_>>()
                .join(";"),
            Some(other) => other.to_string(),
        })
        .collect()
}

/// One sampled report as the index lists it.
pub struct IndexRow {
    /// Report id.
    pub id: String,
    /// Its page, relative to the index.
    pub page: String,
    /// Where it came from (source and line or row).
    pub place: String,
    /// Key fields, in [`KEY_FIELDS`] order.
    pub values: Vec<String>,
}

/// The index page of a review pack.
pub fn index_html(rows: &[IndexRow], title: &str, note: &str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:1.5em auto;max-width:90em;padding:0 1em}}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #ddd;padding:3px 8px;text-align:left;font-size:92%}}\
         th{{background:#f4f4f4}}.muted{{color:#777}}</style></head><body>\n<h1>{t}</h1>\n\
         <p class=\"muted\">{note}</p>\n<table><tr><th>#</th><th>id</th>",
        t = escape(title),
        note = escape(note)
    );
    for f in KEY_FIELDS {
        let _ = write!(out, "<th>{}</th>", escape(f));
    }
    out.push_str("<th>source</th></tr>\n");
    for (i, r) in rows.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><td>{}</td><td><a href=\"{}\">{}</a></td>",
            i + 1,
            escape(&r.page),
            escape(&r.id)
        );
        for v in &r.values {
            let _ = write!(out, "<td>{}</td>", escape(v));
        }
        let _ = writeln!(out, "<td>{}</td></tr>", escape(&r.place));
    }
    out.push_str("</table>\n</body></html>\n");
    out
}

/// A file name for a report's page: its number and the id with every character that is not
/// a letter, digit, `-` or `_` written as `_` (the number keeps names unique).
pub fn page_name(n: usize, id: &str) -> String {
    let safe: String = id
        .chars()
        .take(60)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("reports/{:04}-{safe}.html", n)
}

/// A reviewer's verdicts, scored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VerdictReport {
    /// Rows in the CSV.
    pub rows: usize,
    /// Rows with a verdict.
    pub reviewed: usize,
    /// Verdicts that say the extraction is right.
    pub ok: usize,
    /// Share right among the reviewed.
    pub share_ok: f64,
    /// Wilson 95% interval of that share.
    pub interval95: (f64, f64),
    /// Rows judged wrong: id and note.
    pub not_ok: Vec<(String, String)>,
    /// Verdicts that could not be read.
    pub unreadable: Vec<(String, String)>,
}

/// Reads a verdict: yes/no in English or Dutch, true/false, 1/0, ok/fout.
fn verdict(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "" => None,
        "1" | "y" | "yes" | "j" | "ja" | "true" | "ok" | "goed" | "x" => Some(true),
        "0" | "n" | "no" | "nee" | "false" | "fout" | "wrong" | "not ok" => Some(false),
        _ => None,
    }
}

/// A review CSV that cannot be scored.
#[derive(Debug, thiserror::Error)]
pub enum VerdictError {
    /// The CSV could not be read.
    #[error("{0}")]
    Csv(#[from] csv::Error),
    /// A column is missing.
    #[error("the review CSV has no `{0}` column")]
    MissingColumn(&'static str),
}

/// Scores a returned review CSV (comma or semicolon separated).
pub fn score_verdicts(data: &[u8]) -> Result<VerdictReport, VerdictError> {
    let data = data.strip_prefix("\u{feff}".as_bytes()).unwrap_or(data);
    let first = data.split(|b| *b == b'\n').next().unwrap_or_default();
    let sep = if first.iter().filter(|b| **b == b';').count()
        > first.iter().filter(|b| **b == b',').count()
    {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .flexible(true)
        .from_reader(data);
    let headers = reader.headers()?.clone();
    let col = |name: &'static str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or(VerdictError::MissingColumn(name))
    };
    let (id_col, ok_col, note_col) = (col("id")?, col("reviewer_ok")?, col("reviewer_note")?);
    let mut r = VerdictReport {
        rows: 0,
        reviewed: 0,
        ok: 0,
        share_ok: 0.0,
        interval95: (0.0, 0.0),
        not_ok: Vec::new(),
        unreadable: Vec::new(),
    };
    for row in reader.records() {
        let row = row?;
        r.rows += 1;
        let id = row.get(id_col).unwrap_or("").to_string();
        let raw = row.get(ok_col).unwrap_or("");
        let note = row.get(note_col).unwrap_or("").to_string();
        match verdict(raw) {
            Some(true) => {
                r.reviewed += 1;
                r.ok += 1;
            }
            Some(false) => {
                r.reviewed += 1;
                r.not_ok.push((id, note));
            }
            None if raw.trim().is_empty() => {}
            None => r.unreadable.push((id, raw.to_string())),
        }
    }
    if r.reviewed > 0 {
        let n = r.reviewed as f64;
        let p = r.ok as f64 / n;
        let z = 1.96f64;
        let denom = 1.0 + z * z / n;
        let centre = (p + z * z / (2.0 * n)) / denom;
        let half = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / denom;
        r.share_ok = p;
        r.interval95 = ((centre - half).max(0.0), (centre + half).min(1.0));
    }
    Ok(r)
}

/// The verdict report as text.
pub fn render_verdicts(r: &VerdictReport, name: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{name}: {} rows, {} reviewed", r.rows, r.reviewed);
    if r.reviewed > 0 {
        let _ = writeln!(
            out,
            "right: {} of {} = {:.3} (95% interval {:.3}-{:.3})",
            r.ok, r.reviewed, r.share_ok, r.interval95.0, r.interval95.1
        );
    }
    if !r.not_ok.is_empty() {
        let _ = writeln!(out, "\njudged wrong ({}):", r.not_ok.len());
        for (id, note) in &r.not_ok {
            let _ = writeln!(out, "  {id}: {note}");
        }
    }
    if !r.unreadable.is_empty() {
        let _ = writeln!(out, "\nverdicts not understood ({}):", r.unreadable.len());
        for (id, v) in &r.unreadable {
            let _ = writeln!(out, "  {id}: {v:?}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sampler_keeps_the_smallest_keys_in_input_order() {
        let mut s = Sampler::new(3);
        for i in 0..100u64 {
            s.offer(sample_key(7, i, &format!("r{i}")), i, || i);
        }
        let kept = s.into_sorted();
        assert_eq!(kept.len(), 3);
        let mut keys: Vec<(Vec<u8>, u64)> = (0..100u64)
            .map(|i| (sample_key(7, i, &format!("r{i}")).to_vec(), i))
            .collect();
        keys.sort();
        let mut want: Vec<u64> = keys[..3].iter().map(|k| k.1).collect();
        want.sort();
        assert_eq!(kept.iter().map(|k| k.0).collect::<Vec<_>>(), want);
    }

    #[test]
    fn verdicts_are_scored_with_an_interval() {
        let csv = "id;reviewer_ok;reviewer_note\na;ja;\nb;nee;size wrong\nc;;\nd;1;\ne;maybe;\n";
        let r = score_verdicts(csv.as_bytes()).unwrap();
        assert_eq!((r.rows, r.reviewed, r.ok), (5, 3, 2));
        assert_eq!(r.not_ok, vec![("b".to_string(), "size wrong".to_string())]);
        assert_eq!(r.unreadable.len(), 1);
        assert!(r.interval95.0 < 0.667 && r.interval95.1 > 0.667);
    }
}
