//! Writers of output lines: JSON Lines, or CSV with the summary flattened.

use std::io::{self, Write};

use crate::record::{IhcValue, Output, Record};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// One JSON object per line.
    #[default]
    Jsonl,
    /// One CSV row per report, the summary flattened.
    Csv,
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
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
    "ihc",
    "histology",
    "margin_mm",
    "resection",
    "specimen_weight_g",
    "labs",
    "m_category",
    "source",
    "line",
    "row",
    "encoding",
    "sha256",
];

/// Serialises one output as the bytes of one line (with its newline), appended to `buf`.
pub fn encode(out: &Output, format: OutputFormat, buf: &mut Vec<u8>) {
    match format {
        OutputFormat::Jsonl => {
            let start = buf.len();
            // Serialising our own types into memory cannot fail.
            if serde_json::to_writer(&mut *buf, out).is_err() {
                buf.truncate(start);
                buf.extend_from_slice(b"{\"id\":null,\"error\":{\"kind\":\"internal\",\"message\":\"cannot serialise record\"}}");
            }
            buf.push(b'\n');
        }
        OutputFormat::Csv => {
            let row = csv_row(out);
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(&mut *buf);
            let _ = w.write_record(&row);
            let _ = w.flush();
        }
    }
}

/// The CSV header line.
pub fn csv_header() -> Vec<u8> {
    let mut buf = Vec::new();
    let mut w = csv::WriterBuilder::new().from_writer(&mut buf);
    let _ = w.write_record(CSV_COLUMNS);
    let _ = w.flush();
    drop(w);
    buf
}

fn to_plain<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Null) => String::new(),
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn join<T: serde::Serialize>(items: &[T]) -> String {
    items.iter().map(to_plain).collect::<Vec<_>>().join(";")
}

fn num(v: Option<f64>) -> String {
    v.map(|x| {
        if x.fract() == 0.0 {
            format!("{}", x as i64)
        } else {
            format!("{x}")
        }
    })
    .unwrap_or_default()
}

fn csv_row(out: &Output) -> Vec<String> {
    let mut row = vec![String::new(); CSV_COLUMNS.len()];
    match out {
        Output::Error(e) => {
            row[0] = e.id.clone().unwrap_or_default();
            row[1] = to_plain(&e.error.kind);
            row[2] = e.error.message.clone();
            row[22] = e.provenance.source.clone();
            row[23] = e.provenance.line.map(|l| l.to_string()).unwrap_or_default();
            row[24] = e.provenance.row.map(|l| l.to_string()).unwrap_or_default();
        }
        Output::Record(r) => fill_record(r, &mut row),
    }
    row
}

fn fill_record(r: &Record, row: &mut [String]) {
    let s = &r.summary;
    row[0] = r.id.clone();
    row[3] = to_plain(&s.language);
    row[4] = to_plain(&s.report_type);
    row[5] = join(&s.modality);
    row[6] = to_plain(&s.liver_metastasis);
    match s.lesion_count {
        Some(crate::record::Count::Value(n)) => row[7] = n.to_string(),
        Some(crate::record::Count::AtLeast(n)) => row[8] = n.to_string(),
        None => {}
    }
    row[9] = num(s.largest_lesion_mm);
    row[10] = join(&s.segments);
    row[11] = join(&s.lobes);
    row[12] = s.bilobar.to_string();
    row[13] = join(&s.patterns);
    row[14] = s.lirads_stated.clone().unwrap_or_default();
    row[15] = s
        .ihc
        .iter()
        .map(|(k, v)| match v {
            IhcValue::Result(res) => format!("{k}={}", to_plain(res)),
            IhcValue::Percent(p) => format!("{k}={}", num(Some(*p))),
        })
        .collect::<Vec<_>>()
        .join(";");
    row[16] = s.histology.map(|h| to_plain(&h)).unwrap_or_default();
    row[17] = num(s.margin_mm);
    row[18] = s.resection.map(|x| to_plain(&x)).unwrap_or_default();
    row[19] = num(s.specimen_weight_g);
    row[20] = s
        .labs
        .iter()
        .map(|(k, v)| format!("{k}={}", num(Some(*v))))
        .collect::<Vec<_>>()
        .join(";");
    row[21] = r
        .staging
        .m_category
        .as_ref()
        .and_then(|m| m.value.clone())
        .unwrap_or_default();
    row[22] = r.provenance.source.clone();
    row[23] = r.provenance.line.map(|l| l.to_string()).unwrap_or_default();
    row[24] = r.provenance.row.map(|l| l.to_string()).unwrap_or_default();
    row[25] = r.provenance.encoding.clone();
    row[26] = r.provenance.sha256.clone();
}

/// Writes already-encoded lines to a writer.
pub struct LineSink<W: Write> {
    writer: W,
}

impl<W: Write> LineSink<W> {
    /// Wraps a writer; for CSV the header is written first.
    pub fn new(mut writer: W, format: OutputFormat) -> io::Result<LineSink<W>> {
        if format == OutputFormat::Csv {
            writer.write_all(&csv_header())?;
        }
        Ok(LineSink { writer })
    }

    /// Writes encoded lines.
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.writer.write_all(bytes)
    }

    /// Flushes what was written so far (a pipe gets its answers at once).
    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    /// Flushes and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.writer.flush()?;
        Ok(self.writer)
    }
}
