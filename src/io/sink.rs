//! Writers of output lines: JSON Lines, registry CSV (one row per report or per lesion),
//! FHIR R4 bundles and OMOP NOTE_NLP rows.

use std::io::{self, Write};

use super::csv_dialect::CsvDialect;
use super::{fhir, note_nlp, registry_csv};
use crate::record::Output;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputFormat {
    /// One JSON object per line.
    #[default]
    Jsonl,
    /// One CSV row per report: the summary flattened, a column per marker, lab, staging
    /// score and meta field, the same columns on every row.
    Csv(CsvDialect),
    /// One CSV row per lesion.
    LesionsCsv(CsvDialect),
    /// One FHIR R4 Bundle per report, as JSON Lines.
    Fhir,
    /// OMOP CDM v5.4 NOTE_NLP rows, one per fact.
    NoteNlp(CsvDialect),
}

impl OutputFormat {
    /// Whether encoding needs the report's text (for character offsets and snippets).
    pub fn needs_text(self) -> bool {
        matches!(self, OutputFormat::Fhir | OutputFormat::NoteNlp(_))
    }
}

/// Serialises one output as the bytes of its line(s), appended to `buf`. `text` is the
/// report's text, needed by the formats that write character offsets or snippets.
pub fn encode(out: &Output, format: OutputFormat, text: Option<&str>, buf: &mut Vec<u8>) {
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
        OutputFormat::Csv(_) => registry_csv::spool_line(out, buf),
        OutputFormat::LesionsCsv(d) => registry_csv::lesion_rows(out, d, buf),
        OutputFormat::Fhir => {
            let _ = serde_json::to_writer(&mut *buf, &fhir::bundle(out, text));
            buf.push(b'\n');
        }
        OutputFormat::NoteNlp(d) => note_nlp::rows(out, text, d, buf),
    }
}

/// Writes already-encoded lines to a writer: headers first, NOTE_NLP rows numbered, and the
/// report CSV spooled to a temporary file until its columns are known at the end of the run.
pub struct LineSink<W: Write> {
    writer: W,
    format: OutputFormat,
    spool: Option<io::BufWriter<std::fs::File>>,
    next_row: u64,
    row_start: bool,
}

impl<W: Write> LineSink<W> {
    /// Wraps a writer; CSV headers are written first (the report CSV's at the end).
    pub fn new(mut writer: W, format: OutputFormat) -> io::Result<LineSink<W>> {
        let mut header = Vec::new();
        let mut spool = None;
        match format {
            OutputFormat::Jsonl | OutputFormat::Fhir => {}
            OutputFormat::Csv(_) => spool = Some(io::BufWriter::new(tempfile::tempfile()?)),
            OutputFormat::LesionsCsv(d) => registry_csv::lesion_header(d, &mut header),
            OutputFormat::NoteNlp(d) => note_nlp::header(d, &mut header),
        }
        writer.write_all(&header)?;
        Ok(LineSink {
            writer,
            format,
            spool,
            next_row: 1,
            row_start: true,
        })
    }

    /// Writes encoded lines.
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        if let Some(spool) = &mut self.spool {
            return spool.write_all(bytes);
        }
        if let OutputFormat::NoteNlp(_) = self.format {
            // Every NOTE_NLP row is one line that starts with the separator: number it.
            for piece in bytes.split_inclusive(|b| *b == b'\n') {
                if self.row_start {
                    self.writer
                        .write_all(self.next_row.to_string().as_bytes())?;
                    self.next_row += 1;
                }
                self.writer.write_all(piece)?;
                self.row_start = piece.ends_with(b"\n");
            }
            return Ok(());
        }
        self.writer.write_all(bytes)
    }

    /// Writes what was spooled, flushes and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        if let (Some(spool), OutputFormat::Csv(dialect)) = (self.spool.take(), self.format) {
            let mut file = spool.into_inner().map_err(|e| e.into_error())?;
            registry_csv::write_from_spool(&mut file, dialect, &mut self.writer)?;
        }
        self.writer.flush()?;
        Ok(self.writer)
    }
}
