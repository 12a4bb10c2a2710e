//! Workbooks: `.xlsx`/`.xlsm` (streamed row by row), `.ods`, `.xls` and `.xlsb` (one
//! sheet at a time). A header row, then one report per row, as for CSV.
//!
//! Memory: an `.xlsx`/`.xlsm` sheet is read as a stream of cells, so only the workbook's
//! shared-string table and style list, one row and a bounded queue of reports are held,
//! however many rows the sheet has. `.ods`, `.xls` and `.xlsb` sheets are read whole by
//! the reader underneath (every cell of the chosen sheet in memory).
//!
//! The workbook is read on its own thread, which hands reports over through a bounded
//! queue: the reader of the `.xlsx` cells borrows the workbook, so both live there.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use calamine::{open_workbook, open_workbook_auto, Data, Reader, Xlsx};
use serde_json::{Map, Value};

use super::notice::check_header;
use super::source::{Input, RawReport, SourceOptions};
use crate::record::{ErrorInfo, ErrorKind, ErrorRecord, ErrorSource};

/// Reports handed over from the reading thread at most ahead of their use.
const QUEUE: usize = 64;

/// Whether a file name is a workbook by its extension.
pub fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .is_some_and(|e| matches!(e.as_str(), "xlsx" | "xlsm" | "xlsb" | "xls" | "ods"))
}

/// The reports of one sheet of a workbook, in row order.
pub struct WorkbookSource {
    start: Option<(PathBuf, String, SourceOptions)>,
    rx: Option<Receiver<Input>>,
}

impl WorkbookSource {
    /// The reports of the sheet `opts.sheet` (default the first) of the workbook at
    /// `path`; nothing is read before the first report is asked for.
    pub fn new(path: &Path, source: &str, opts: SourceOptions) -> WorkbookSource {
        WorkbookSource {
            start: Some((path.to_path_buf(), source.to_string(), opts)),
            rx: None,
        }
    }
}

impl Iterator for WorkbookSource {
    type Item = Input;
    fn next(&mut self) -> Option<Input> {
        if let Some((path, source, opts)) = self.start.take() {
            let (tx, rx) = sync_channel(QUEUE);
            let spawned = std::thread::Builder::new()
                .name("radpath-workbook".into())
                .spawn({
                    let (source, opts) = (source.clone(), opts.clone());
                    move || read_workbook(&path, &source, &opts, &tx)
                });
            if let Err(e) = spawned {
                return Some(fail(
                    &source,
                    None,
                    None,
                    None,
                    ErrorKind::Io,
                    format!("cannot start a thread to read the workbook: {e}"),
                ));
            }
            self.rx = Some(rx);
        }
        self.rx.as_ref()?.recv().ok()
    }
}

/// The error record of a workbook, sheet or row.
fn fail(
    source: &str,
    sheet: Option<&str>,
    row: Option<u64>,
    id: Option<String>,
    kind: ErrorKind,
    message: impl Into<String>,
) -> Input {
    Input::Failed(ErrorRecord {
        id,
        error: ErrorInfo {
            kind,
            message: message.into(),
        },
        provenance: ErrorSource {
            source: source.to_string(),
            line: None,
            row,
            sheet: sheet.map(str::to_string),
        },
    })
}

/// The receiving end is gone: stop reading.
struct Gone;

fn read_workbook(path: &Path, source: &str, opts: &SourceOptions, tx: &SyncSender<Input>) {
    let send = |i: Input| tx.send(i).map_err(|_| Gone);
    let streamed = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm"));
    let _ = if streamed {
        read_xlsx(path, source, opts, &send)
    } else {
        read_other(path, source, opts, &send)
    };
}

/// The sheet `--sheet` names (a name, or a 1-based position), default the first.
fn choose_sheet(names: &[String], want: Option<&str>) -> Result<String, String> {
    let listed = || {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match want {
        None => names
            .first()
            .cloned()
            .ok_or_else(|| "the workbook has no sheets".to_string()),
        Some(w) => {
            if let Some(n) = names.iter().find(|n| n.as_str() == w) {
                return Ok(n.clone());
            }
            if let Ok(i) = w.parse::<usize>() {
                if let Some(n) = i.checked_sub(1).and_then(|i| names.get(i)) {
                    return Ok(n.clone());
                }
            }
            Err(format!(
                "no sheet `{w}` (sheets, numbered from 1: {})",
                listed()
            ))
        }
    }
}

fn read_xlsx(
    path: &Path,
    source: &str,
    opts: &SourceOptions,
    send: &dyn Fn(Input) -> Result<(), Gone>,
) -> Result<(), Gone> {
    let mut book: Xlsx<_> = match open_workbook(path) {
        Ok(b) => b,
        Err(e) => {
            let m = format!("cannot read the workbook: {e}");
            return send(fail(source, None, None, None, ErrorKind::Io, m));
        }
    };
    let sheet = match choose_sheet(&book.sheet_names(), opts.sheet.as_deref()) {
        Ok(s) => s,
        Err(m) => return send(fail(source, None, None, None, ErrorKind::Io, m)),
    };
    let mut rows = SheetRows::new(source, &sheet, opts);
    let mut cells = match book.worksheet_cells_reader(&sheet) {
        Ok(c) => c,
        Err(e) => {
            let m = format!("cannot read sheet `{sheet}`: {e}");
            return send(fail(source, Some(&sheet), None, None, ErrorKind::Io, m));
        }
    };
    loop {
        match cells.next_cell() {
            Ok(Some(cell)) => {
                let (r, c) = cell.get_position();
                let value = cell_text(&Data::from(cell.get_value().clone()));
                if let Some(i) = rows.cell(r, c, value) {
                    send(i)?;
                }
            }
            Ok(None) => break,
            Err(e) => {
                if let Some(i) = rows.flush() {
                    send(i)?;
                }
                let m = format!("cannot read sheet `{sheet}`: {e}");
                return send(fail(source, Some(&sheet), None, None, ErrorKind::Io, m));
            }
        }
    }
    if let Some(i) = rows.flush() {
        send(i)?;
    }
    rows.finish().map_or(Ok(()), send)
}

fn read_other(
    path: &Path,
    source: &str,
    opts: &SourceOptions,
    send: &dyn Fn(Input) -> Result<(), Gone>,
) -> Result<(), Gone> {
    let mut book = match open_workbook_auto(path) {
        Ok(b) => b,
        Err(e) => {
            let m = format!("cannot read the workbook: {e}");
            return send(fail(source, None, None, None, ErrorKind::Io, m));
        }
    };
    let sheet = match choose_sheet(&book.sheet_names(), opts.sheet.as_deref()) {
        Ok(s) => s,
        Err(m) => return send(fail(source, None, None, None, ErrorKind::Io, m)),
    };
    let range = match book.worksheet_range(&sheet) {
        Ok(r) => r,
        Err(e) => {
            let m = format!("cannot read sheet `{sheet}`: {e}");
            return send(fail(source, Some(&sheet), None, None, ErrorKind::Io, m));
        }
    };
    let mut rows = SheetRows::new(source, &sheet, opts);
    if let Some((r0, c0)) = range.start() {
        for (i, row) in range.rows().enumerate() {
            for (j, value) in row.iter().enumerate() {
                if let Some(input) = rows.cell(r0 + i as u32, c0 + j as u32, cell_text(value)) {
                    send(input)?;
                }
            }
        }
    }
    if let Some(i) = rows.flush() {
        send(i)?;
    }
    rows.finish().map_or(Ok(()), send)
}

/// A cell as the workbook shows it: whole numbers without a decimal point, other numbers
/// in the shortest form that reads back to the same value (no lost or invented digits),
/// dates as `YYYY-MM-DD` (with ` HH:MM:SS` when the time is not midnight), booleans as
/// `TRUE`/`FALSE`, errors as `#DIV/0!` and the like.
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Error(e) => e.to_string(),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                if let Some(t) = dt.as_datetime() {
                    // `YYYY-MM-DD HH:MM:SS`, the time dropped when it is midnight.
                    let shown = t.to_string();
                    return match shown.strip_suffix(" 00:00:00") {
                        Some(date) => date.to_string(),
                        None => shown,
                    };
                }
            }
            // A duration (or a date out of range): hours, minutes and seconds.
            let secs = (dt.as_f64() * 86_400.0).round();
            if secs.is_finite() && secs.abs() < 1e15 {
                let s = secs.abs() as u64;
                let sign = if secs < 0.0 { "-" } else { "" };
                format!("{sign}{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
            } else {
                number_text(dt.as_f64())
            }
        }
    }
}

/// A number in its shortest exact form: `12345`, not `12345.0`; `0.1`, not
/// `0.1000000000000000055511151231257827`.
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// The column name Excel shows: A, B, ..., Z, AA, ...
fn column_letters(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Cells in row order become rows, the first non-empty row the header, and every other
/// non-empty row a report.
struct SheetRows<'a> {
    source: &'a str,
    sheet: &'a str,
    opts: &'a SourceOptions,
    headers: Option<Vec<String>>,
    current: Option<u32>,
    cells: Vec<(u32, String)>,
    bytes: usize,
    too_large: bool,
}

impl<'a> SheetRows<'a> {
    fn new(source: &'a str, sheet: &'a str, opts: &'a SourceOptions) -> SheetRows<'a> {
        SheetRows {
            source,
            sheet,
            opts,
            headers: None,
            current: None,
            cells: Vec::new(),
            bytes: 0,
            too_large: false,
        }
    }

    /// One cell; returns the input of the row before when this cell starts a new row.
    fn cell(&mut self, row: u32, col: u32, value: String) -> Option<Input> {
        let done = if self.current.is_some_and(|r| r != row) {
            self.flush()
        } else {
            None
        };
        self.current = Some(row);
        if value.is_empty() {
            return done;
        }
        self.bytes += value.len();
        if self.bytes > self.opts.max_record_bytes {
            // The row is dropped as it is read, not held.
            self.too_large = true;
            self.cells = Vec::new();
        }
        if !self.too_large {
            self.cells.push((col, value));
        }
        done
    }

    /// The header of a sheet that had no rows at all.
    fn finish(&self) -> Option<Input> {
        if self.headers.is_some() {
            return None;
        }
        Some(fail(
            self.source,
            Some(self.sheet),
            None,
            None,
            ErrorKind::Csv,
            format!("sheet `{}` has no header row", self.sheet),
        ))
    }

    /// Ends the current row: the header, a report, or nothing for a blank row.
    fn flush(&mut self) -> Option<Input> {
        let row = self.current.take()?;
        let cells = std::mem::take(&mut self.cells);
        let too_large = std::mem::take(&mut self.too_large);
        self.bytes = 0;
        let row_no = Some(u64::from(row) + 1);
        if too_large {
            return Some(fail(
                self.source,
                Some(self.sheet),
                row_no,
                None,
                ErrorKind::TooLarge,
                format!(
                    "row larger than --max-record-bytes ({} bytes)",
                    self.opts.max_record_bytes
                ),
            ));
        }
        if cells.iter().all(|(_, v)| v.trim().is_empty()) {
            return None; // a blank row holds no report
        }
        let Some(headers) = &self.headers else {
            let width = cells.iter().map(|(c, _)| *c + 1).max().unwrap_or(0);
            let mut hs: Vec<String> = (0..width).map(column_letters).collect();
            for (c, v) in cells {
                let name = v.trim().trim_start_matches('\u{FEFF}').trim();
                if !name.is_empty() {
                    hs[c as usize] = name.to_string();
                }
            }
            check_header(
                &hs,
                &format!("{}: sheet `{}`", self.source, self.sheet),
                &self.opts.id_field,
                &self.opts.text_field,
                &self.opts.notifier,
            );
            self.headers = Some(hs);
            return None;
        };
        let mut id = None;
        let mut text = None;
        let mut meta = Map::new();
        let mut values = cells.into_iter().peekable();
        let width = headers.len() as u32;
        for c in 0..width {
            let value = match values.peek() {
                Some((col, _)) if *col == c => values.next().map(|(_, v)| v).unwrap_or_default(),
                _ => String::new(),
            };
            let name = &headers[c as usize];
            if *name == self.opts.id_field && id.is_none() {
                id = Some(value);
            } else if *name == self.opts.text_field && text.is_none() {
                text = Some(value);
            } else {
                meta.insert(name.clone(), Value::String(value));
            }
        }
        for (c, v) in values {
            // Cells right of the header: under their column letters.
            meta.insert(column_letters(c), Value::String(v));
        }
        let id = id
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| format!("{}:{}:row{}", self.source, self.sheet, row + 1));
        let at = |id: String, kind: ErrorKind, m: String| {
            fail(self.source, Some(self.sheet), row_no, Some(id), kind, m)
        };
        let Some(text) = text else {
            let m = format!("no column `{}`", self.opts.text_field);
            return Some(at(id, ErrorKind::MissingText, m));
        };
        if text.trim().is_empty() {
            return Some(at(
                id,
                ErrorKind::EmptyText,
                "the report text is empty".into(),
            ));
        }
        Some(Input::Report(RawReport {
            id,
            text,
            meta,
            source: self.source.to_string(),
            line: None,
            row: row_no,
            sheet: Some(self.sheet.to_string()),
            encoding: "utf-8",
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_their_digits() {
        assert_eq!(number_text(12345.0), "12345");
        assert_eq!(number_text(0.1), "0.1");
        assert_eq!(number_text(2.35), "2.35");
        assert_eq!(number_text(-7.0), "-7");
        assert_eq!(number_text(1234567890123.0), "1234567890123");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
        assert_eq!(cell_text(&Data::Int(42)), "42");
    }

    #[test]
    fn column_names() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn sheets_by_name_or_position() {
        let names = vec!["Blad1".to_string(), "2".to_string(), "Export".to_string()];
        assert_eq!(choose_sheet(&names, None).unwrap(), "Blad1");
        assert_eq!(choose_sheet(&names, Some("Export")).unwrap(), "Export");
        assert_eq!(choose_sheet(&names, Some("3")).unwrap(), "Export");
        assert_eq!(choose_sheet(&names, Some("2")).unwrap(), "2");
        assert!(choose_sheet(&names, Some("0"))
            .unwrap_err()
            .contains("Blad1"));
        assert!(choose_sheet(&[], None).is_err());
    }
}
