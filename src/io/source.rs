//! Sources of reports: text files, directories of `*.txt`, JSON Lines, CSV, stdin.
//! Every source streams: one report at a time, never the whole archive in memory.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::csv_rows::{CsvRows, Row};
use super::decode::{decode, utf8_stream, EncodingChoice};
use super::notice::{check_header, FieldWatch, Notifier};
use super::sniff::{looks_like_jsonl, read_first_line, read_head, sniff_delimiter, Delimiter};
use super::text_records::{RecordSeparator, SeparatedText};
use super::xlsx::{is_workbook, WorkbookSource};
use crate::record::{ErrorInfo, ErrorKind, ErrorRecord, ErrorSource};

/// How to read the inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// By file extension: `.jsonl`/`.ndjson` JSON Lines, `.csv`/`.tsv` CSV, `.xlsx`/`.xlsm`/
    /// `.ods`/`.xls`/`.xlsb` a workbook, anything else text; stdin is JSON Lines when its
    /// first non-blank line is a JSON object, else text.
    #[default]
    Auto,
    /// Each file (or stdin) is one report.
    Text,
    /// JSON Lines: one object per line.
    Jsonl,
    /// CSV with a header row.
    Csv,
    /// A workbook (files only): a header row, then one report per row.
    Workbook,
}

/// Options shared by all sources.
#[derive(Debug, Clone)]
pub struct SourceOptions {
    /// Input format.
    pub format: InputFormat,
    /// Field holding the report id (JSONL, CSV).
    pub id_field: String,
    /// Field holding the report text (JSONL, CSV).
    pub text_field: String,
    /// How bytes are decoded.
    pub encoding: EncodingChoice,
    /// Reports larger than this many bytes become error records.
    pub max_record_bytes: usize,
    /// The column separator of CSV input.
    pub delimiter: Delimiter,
    /// The sheet of a workbook: a name, or a position from 1 (default the first).
    pub sheet: Option<String>,
    /// Text input (stdin, or a file read as text) holds one report per record, split at
    /// this separator; `None`: the whole input is one report.
    pub record_separator: Option<RecordSeparator>,
    /// Where notices about how inputs are read go.
    pub notifier: Notifier,
}

impl Default for SourceOptions {
    fn default() -> Self {
        SourceOptions {
            format: InputFormat::Auto,
            id_field: "id".into(),
            text_field: "text".into(),
            encoding: EncodingChoice::Auto,
            max_record_bytes: 10 * 1024 * 1024,
            delimiter: Delimiter::Auto,
            sheet: None,
            record_separator: None,
            notifier: Notifier::default(),
        }
    }
}

/// A report read from a source, ready for extraction.
#[derive(Debug, Clone, PartialEq)]
pub struct RawReport {
    /// The report id.
    pub id: String,
    /// The decoded text.
    pub text: String,
    /// Other input fields, passed through.
    pub meta: Map<String, Value>,
    /// Source path (`-` for stdin).
    pub source: String,
    /// JSONL line number.
    pub line: Option<u64>,
    /// CSV data row number (workbooks: the row number the sheet shows).
    pub row: Option<u64>,
    /// Workbook sheet.
    pub sheet: Option<String>,
    /// The encoding the text was decoded from.
    pub encoding: &'static str,
}

/// One input: a report, or the error record of one that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// A readable report.
    Report(RawReport),
    /// An unreadable one.
    Failed(ErrorRecord),
}

/// A path given on the command line that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The path does not exist.
    #[error("{0}: no such file or directory")]
    NotFound(String),
    /// The path exists but cannot be opened.
    #[error("{path}: {source}")]
    Open {
        /// The path.
        path: String,
        /// The I/O error.
        source: io::Error,
    },
    /// The input cannot be read this way.
    #[error("{0}")]
    Unsupported(String),
}

/// A stream of inputs.
pub type Inputs = Box<dyn Iterator<Item = Input> + Send>;

/// Where an input stands in its source: the file, and its line (JSONL) or row (CSV).
#[derive(Clone, Copy)]
struct Place<'a> {
    source: &'a str,
    line: Option<u64>,
    row: Option<u64>,
}

impl<'a> Place<'a> {
    /// A whole file, or a stream as a whole.
    fn whole(source: &'a str) -> Place<'a> {
        Place {
            source,
            line: None,
            row: None,
        }
    }

    /// A line of a JSON Lines file.
    fn line(source: &'a str, line: u64) -> Place<'a> {
        Place {
            source,
            line: Some(line),
            row: None,
        }
    }

    /// A row of a CSV file (none before the header is read).
    fn row(source: &'a str, row: Option<u64>) -> Place<'a> {
        Place {
            source,
            line: None,
            row,
        }
    }

    /// The error record of the input at this place.
    fn fail(self, id: Option<String>, kind: ErrorKind, message: impl Into<String>) -> Input {
        Input::Failed(ErrorRecord {
            id,
            error: ErrorInfo {
                kind,
                message: message.into(),
            },
            provenance: ErrorSource {
                source: self.source.to_string(),
                line: self.line,
                row: self.row,
                sheet: None,
            },
        })
    }

    /// The report at this place, or an error record when its text is empty.
    fn report(
        self,
        text: String,
        encoding: &'static str,
        id: String,
        meta: Map<String, Value>,
    ) -> Input {
        if text.trim().is_empty() {
            return self.fail(Some(id), ErrorKind::EmptyText, "the report text is empty");
        }
        Input::Report(RawReport {
            id,
            text,
            meta,
            source: self.source.to_string(),
            line: self.line,
            row: self.row,
            sheet: None,
            encoding,
        })
    }
}

/// The message of a record over `--max-record-bytes`.
fn over_limit(what: &str, limit: usize) -> String {
    format!("{what} larger than --max-record-bytes ({limit} bytes)")
}

/// Opens every path (`-` for stdin; no path means stdin) as one stream of inputs, in order.
pub fn open(paths: &[String], opts: &SourceOptions) -> Result<Inputs, SourceError> {
    let paths: Vec<String> = if paths.is_empty() {
        vec!["-".to_string()]
    } else {
        paths.to_vec()
    };
    for p in &paths {
        if p != "-" && std::fs::symlink_metadata(p).is_err() {
            return Err(SourceError::NotFound(p.clone()));
        }
    }
    let mut streams: Vec<Inputs> = Vec::with_capacity(paths.len());
    for p in paths {
        streams.push(open_one(&p, opts)?);
    }
    Ok(Box::new(streams.into_iter().flatten()))
}

fn open_one(path: &str, opts: &SourceOptions) -> Result<Inputs, SourceError> {
    let opts = opts.clone();
    if path == "-" {
        let stdin: Box<dyn Read + Send> = Box::new(io::stdin());
        return Ok(match opts.format {
            InputFormat::Jsonl => Box::new(JsonlSource::new(stdin, "-", opts)),
            InputFormat::Csv => Box::new(CsvSource::new(stdin, "-", opts)),
            InputFormat::Workbook => {
                return Err(SourceError::Unsupported(
                    "-: a workbook cannot be read from stdin; give its path".into(),
                ))
            }
            InputFormat::Text => text_stream(stdin, "stdin", "-", opts),
            InputFormat::Auto if opts.record_separator.is_some() => {
                text_stream(stdin, "stdin", "-", opts)
            }
            InputFormat::Auto => {
                // JSON Lines when the first non-blank line is a JSON object; only that
                // line is waited for, so a pipe is not held up.
                let (head, stdin) = read_first_line(stdin);
                if looks_like_jsonl(&head) {
                    Box::new(JsonlSource::new(stdin, "-", opts))
                } else {
                    text_stream(stdin, "stdin", "-", opts)
                }
            }
        });
    }
    let p = Path::new(path);
    if p.is_dir() {
        return Ok(Box::new(DirSource::new(p, opts)));
    }
    let extension = p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let format = match opts.format {
        InputFormat::Auto => match extension.as_deref() {
            Some("jsonl") | Some("ndjson") => InputFormat::Jsonl,
            Some("csv") | Some("tsv") => InputFormat::Csv,
            _ if is_workbook(p) => InputFormat::Workbook,
            Some("json") => {
                opts.notifier.notify(&format!(
                    "{path}: a .json file is read as one text report; name it .jsonl or give \
                     --input jsonl for one JSON object per line"
                ));
                InputFormat::Text
            }
            _ => InputFormat::Text,
        },
        f => f,
    };
    let mut opts = opts;
    if extension.as_deref() == Some("tsv") && opts.delimiter == Delimiter::Auto {
        opts.delimiter = Delimiter::Byte(b'\t');
    }
    let open_file = || {
        File::open(p).map_err(|source| SourceError::Open {
            path: path.to_string(),
            source,
        })
    };
    Ok(match format {
        InputFormat::Jsonl => Box::new(JsonlSource::new(Box::new(open_file()?), path, opts)),
        InputFormat::Csv => Box::new(CsvSource::new(Box::new(open_file()?), path, opts)),
        InputFormat::Workbook => Box::new(WorkbookSource::new(p, path, opts)),
        _ => {
            let id = match p.file_name() {
                Some(n) => {
                    let mut id = String::new();
                    escape_name(n, &mut id);
                    id
                }
                None => path.to_string(),
            };
            if opts.record_separator.is_some() {
                return Ok(text_stream(Box::new(open_file()?), &id, path, opts));
            }
            Box::new(std::iter::once(read_text_file(p, &id, path, &opts)))
        }
    })
}

/// Text from a stream: one report, or one per record with `--record-separator`.
fn text_stream(
    reader: Box<dyn Read + Send>,
    id: &str,
    source: &str,
    opts: SourceOptions,
) -> Inputs {
    match opts.record_separator {
        Some(sep) => Box::new(SeparatedText::new(reader, sep, id, source, opts)),
        None => Box::new(std::iter::once(read_text(reader, id, source, &opts))),
    }
}

fn read_text_file(p: &Path, id: &str, source: &str, opts: &SourceOptions) -> Input {
    match File::open(p) {
        Ok(f) => read_text(f, id, source, opts),
        Err(e) => Place::whole(source).fail(
            Some(id.to_string()),
            ErrorKind::Io,
            format!("cannot read {}: {e}", p.display()),
        ),
    }
}

/// Reads one whole text report, refusing more than `max_record_bytes`.
fn read_text(reader: impl Read, id: &str, source: &str, opts: &SourceOptions) -> Input {
    let mut bytes = Vec::new();
    let limit = opts.max_record_bytes as u64;
    if let Err(e) = reader.take(limit + 1).read_to_end(&mut bytes) {
        return Place::whole(source).fail(
            Some(id.to_string()),
            ErrorKind::Io,
            format!("read error: {e}"),
        );
    }
    if bytes.len() as u64 > limit {
        return Place::whole(source).fail(
            Some(id.to_string()),
            ErrorKind::TooLarge,
            over_limit("report", opts.max_record_bytes),
        );
    }
    make_text_report(
        &bytes,
        id.to_string(),
        Map::new(),
        Place::whole(source),
        opts,
    )
}

fn make_text_report(
    bytes: &[u8],
    id: String,
    meta: Map<String, Value>,
    at: Place,
    opts: &SourceOptions,
) -> Input {
    match decode(bytes, opts.encoding) {
        Ok((text, encoding)) => at.report(text.into_owned(), encoding, id, meta),
        Err(e) => at.fail(Some(id), ErrorKind::Decode, e.0),
    }
}

/// Every `*.txt` below a directory, recursively, in sorted order; id = relative path.
struct DirSource {
    root: PathBuf,
    walker: walkdir::IntoIter,
    opts: SourceOptions,
    source: String,
    found: u64,
}

impl DirSource {
    fn new(root: &Path, opts: SourceOptions) -> DirSource {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter();
        DirSource {
            root: root.to_path_buf(),
            walker,
            opts,
            source: root.display().to_string(),
            found: 0,
        }
    }
}

impl Iterator for DirSource {
    type Item = Input;
    fn next(&mut self) -> Option<Input> {
        loop {
            let Some(next) = self.walker.next() else {
                if self.found == 0 {
                    self.found = 1; // noticed once
                    self.opts.notifier.notify(&format!(
                        "{}: no .txt files in this folder or below it; nothing was read",
                        self.source
                    ));
                }
                return None;
            };
            match next {
                Err(e) => {
                    let id = e.path().map(|p| self.relative(p));
                    let message = match e.loop_ancestor() {
                        Some(a) => format!("symbolic link loop back to {}", a.display()),
                        None => e.to_string(),
                    };
                    // A loop or an unreadable directory that holds no report files is
                    // still reported: nothing is skipped silently.
                    return Some(Place::whole(&self.source).fail(id, ErrorKind::Io, message));
                }
                Ok(entry) => {
                    if entry.file_type().is_dir()
                        || entry
                            .path()
                            .extension()
                            .is_none_or(|e| !e.eq_ignore_ascii_case("txt"))
                    {
                        continue;
                    }
                    self.found += 1;
                    let id = self.relative(entry.path());
                    let source = entry.path().display().to_string();
                    if !entry.file_type().is_file() {
                        // A FIFO, socket or device named *.txt: reading it could block
                        // forever, so it is reported instead of read.
                        return Some(Place::whole(&source).fail(
                            Some(id),
                            ErrorKind::Io,
                            "not a regular file",
                        ));
                    }
                    if let Ok(md) = entry.metadata() {
                        if md.len() > self.opts.max_record_bytes as u64 {
                            return Some(Place::whole(&source).fail(
                                Some(id),
                                ErrorKind::TooLarge,
                                over_limit("report", self.opts.max_record_bytes),
                            ));
                        }
                    }
                    return Some(read_text_file(entry.path(), &id, &source, &self.opts));
                }
            }
        }
    }
}

impl DirSource {
    fn relative(&self, p: &Path) -> String {
        path_id(p.strip_prefix(&self.root).unwrap_or(p))
    }
}

/// The id of a file below a directory: its path relative to the directory, components
/// joined by `/`, each written by [`escape_name`]. Two files never share an id, and the
/// path can be read back from it.
pub fn path_id(rel: &Path) -> String {
    let mut id = String::new();
    for (i, c) in rel.components().enumerate() {
        if i > 0 {
            id.push('/');
        }
        escape_name(c.as_os_str(), &mut id);
    }
    id
}

/// Writes a file name as it can be read back: UTF-8 as is, except `%`, `\\` and control
/// characters, which (like bytes that are not UTF-8) are written `%XX`, per byte in
/// upper-case hex.
pub fn escape_name(name: &std::ffi::OsStr, out: &mut String) {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(name);
    #[cfg(not(unix))]
    let lossy = name.to_string_lossy();
    #[cfg(not(unix))]
    let bytes = lossy.as_bytes();
    let hex = |out: &mut String, b: u8| {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        out.push('%');
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 15)] as char);
    };
    for chunk in bytes.utf8_chunks() {
        for ch in chunk.valid().chars() {
            if ch == '%' || ch == '\\' || ch.is_control() {
                let mut buf = [0; 4];
                for &b in ch.encode_utf8(&mut buf).as_bytes() {
                    hex(out, b);
                }
            } else {
                out.push(ch);
            }
        }
        for &b in chunk.invalid() {
            hex(out, b);
        }
    }
}

/// Reads one line of at most `limit` bytes into `buf` (without the line end). Returns
/// `None` at the end of input, `Some(false)` when the line was longer than the limit (the
/// rest of the line is consumed and dropped). A line ends at LF, CRLF or a lone CR (old
/// Mac files); `after_cr` carries "the last line ended at a CR" to the next call, so the
/// LF of a CRLF split across reads is not taken for an empty line.
fn read_line_limited(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
    after_cr: &mut bool,
) -> io::Result<Option<bool>> {
    buf.clear();
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        if std::mem::take(after_cr) && available.first() == Some(&b'\n') {
            reader.consume(1);
            continue;
        }
        any = true;
        let (chunk, done) = match memchr_newline(available) {
            Some(i) => {
                *after_cr = available[i] == b'\r';
                (&available[..i], Some(i + 1))
            }
            None => (available, None),
        };
        if !too_long {
            if buf.len() + chunk.len() > limit {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let consumed = done.unwrap_or(available.len());
        reader.consume(consumed);
        if done.is_some() {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    Ok(Some(!too_long))
}

fn memchr_newline(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n' || c == b'\r')
}

/// JSON Lines: one object per line with an id and a text field; other fields go to `meta`.
struct JsonlSource {
    reader: BufReader<Box<dyn Read + Send>>,
    stream_encoding: Option<&'static str>,
    after_cr: bool,
    source: String,
    opts: SourceOptions,
    line_no: u64,
    buf: Vec<u8>,
    done: bool,
    watch: FieldWatch,
}

impl JsonlSource {
    fn new(reader: Box<dyn Read + Send>, source: &str, opts: SourceOptions) -> JsonlSource {
        let (reader, stream_encoding) = utf8_stream(reader);
        let reader = BufReader::with_capacity(256 * 1024, reader);
        JsonlSource {
            reader,
            stream_encoding,
            after_cr: false,
            source: source.to_string(),
            opts,
            line_no: 0,
            buf: Vec::new(),
            done: false,
            watch: FieldWatch::default(),
        }
    }

    /// Notices the id or text field that none of the first objects had.
    fn check_fields(&mut self, at_end: bool) {
        let o = &self.opts;
        let n = &o.notifier;
        self.watch
            .check(at_end, &self.source, &o.id_field, &o.text_field, n);
    }

    fn parse(&mut self, line: u64) -> Input {
        let src = self.source.as_str();
        let (text, encoding) = match decode(&self.buf, self.opts.encoding) {
            Ok(v) => v,
            Err(e) => return Place::line(src, line).fail(None, ErrorKind::Decode, e.0),
        };
        let encoding = self.stream_encoding.unwrap_or(encoding);
        let value: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                return Place::line(src, line).fail(
                    salvage_id(&text, &self.opts.id_field),
                    ErrorKind::Json,
                    format!("invalid JSON: {e}"),
                )
            }
        };
        let Value::Object(mut obj) = value else {
            return Place::line(src, line).fail(
                None,
                ErrorKind::NotObject,
                "the JSON value is not an object",
            );
        };
        self.watch.saw(
            obj.contains_key(&self.opts.id_field),
            obj.contains_key(&self.opts.text_field),
            obj.keys().map(String::as_str),
        );
        let id = match obj.remove(&self.opts.id_field) {
            Some(Value::String(s)) => s,
            Some(Value::Null) | None => format!("{src}:{line}"),
            Some(other) => other.to_string(),
        };
        let text = match obj.remove(&self.opts.text_field) {
            Some(Value::String(s)) => s,
            Some(_) => {
                return Place::line(src, line).fail(
                    Some(id),
                    ErrorKind::MissingText,
                    format!("field `{}` is not a string", self.opts.text_field),
                )
            }
            None => {
                return Place::line(src, line).fail(
                    Some(id),
                    ErrorKind::MissingText,
                    format!("no field `{}`", self.opts.text_field),
                )
            }
        };
        Place::line(src, line).report(text, encoding, id, obj)
    }
}

/// The id of a line that holds a whole JSON object followed by garbage
/// (`{"id": "r1", ...} trailing`), so that its error record still names the report.
fn salvage_id(line: &str, id_field: &str) -> Option<String> {
    let first = serde_json::Deserializer::from_str(line)
        .into_iter::<Value>()
        .next()?
        .ok()?;
    match first.get(id_field)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

impl Iterator for JsonlSource {
    type Item = Input;
    fn next(&mut self) -> Option<Input> {
        if self.done {
            return None;
        }
        loop {
            let read = read_line_limited(
                &mut self.reader,
                &mut self.buf,
                self.opts.max_record_bytes,
                &mut self.after_cr,
            );
            self.line_no += 1;
            let line = self.line_no;
            match read {
                Ok(None) => {
                    self.done = true;
                    self.check_fields(true);
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Place::line(&self.source, line).fail(
                        None,
                        ErrorKind::Io,
                        format!("read error: {e}"),
                    ));
                }
                Ok(Some(false)) => {
                    return Some(Place::line(&self.source, line).fail(
                        None,
                        ErrorKind::TooLarge,
                        over_limit("line", self.opts.max_record_bytes),
                    ))
                }
                Ok(Some(true)) => {
                    if self.buf.iter().all(|b| b.is_ascii_whitespace()) {
                        continue; // blank lines separate nothing and hold no report
                    }
                    let input = self.parse(line);
                    self.check_fields(false);
                    return Some(input);
                }
            }
        }
    }
}

/// CSV with a header row; quoted fields may hold newlines.
struct CsvSource {
    reader: CsvRows<BufReader<Box<dyn Read + Send>>>,
    stream_encoding: Option<&'static str>,
    headers: Option<Vec<String>>,
    source: String,
    opts: SourceOptions,
    row: u64,
    record: csv::ByteRecord,
    done: bool,
    /// Rows swallowed by a quote left open: how many are still to be reported, and the
    /// row (none for the header) and line where the quote opened.
    swallowed: Option<(u64, Option<u64>, u64)>,
}

impl CsvSource {
    fn new(reader: Box<dyn Read + Send>, source: &str, opts: SourceOptions) -> CsvSource {
        // Rows are read with bounded memory: a row over the limit is consumed, not held.
        let (reader, stream_encoding) = utf8_stream(reader);
        let (delimiter, reader) = match opts.delimiter {
            Delimiter::Byte(b) => (b, reader),
            Delimiter::Auto => {
                let (head, ended, reader) = read_head(reader, super::sniff::SNIFF_ROWS + 1);
                let d = sniff_delimiter(&head, ended).unwrap_or(b',');
                if d != b',' {
                    opts.notifier.notify(&format!(
                        "{source}: columns separated by {} (seen in the first rows; \
                         --delimiter to choose another)",
                        super::sniff::delimiter_name(d)
                    ));
                }
                (d, reader)
            }
        };
        let reader = CsvRows::with_delimiter(
            BufReader::with_capacity(256 * 1024, reader),
            opts.max_record_bytes,
            delimiter,
        );
        CsvSource {
            reader,
            stream_encoding,
            headers: None,
            source: source.to_string(),
            opts,
            row: 0,
            record: csv::ByteRecord::new(),
            done: false,
            swallowed: None,
        }
    }

    /// The error record of a row (or the header) whose quote is still open at the end of
    /// the input; the lines it swallowed follow as failed rows of their own.
    fn unterminated(&mut self, line: u64, swallowed: u64) -> Input {
        let what = match self.headers {
            Some(_) => {
                self.row += 1;
                format!("row {} (line {line})", self.row)
            }
            None => format!("the header (line {line})"),
        };
        let row = self.headers.as_ref().map(|_| self.row);
        let id = self.id_of_record();
        self.swallowed = (swallowed > 0).then_some((swallowed, row, line));
        let lines = match swallowed {
            0 => String::new(),
            1 => "; the line after it is counted as a failed row".to_string(),
            n => format!("; the {n} lines after it are counted as failed rows"),
        };
        Place::row(&self.source, row).fail(
            id,
            ErrorKind::Csv,
            format!("{what} has a quote still open at the end of the file{lines}"),
        )
    }

    /// The next row swallowed by an open quote, as an error record.
    fn next_swallowed(&mut self) -> Option<Input> {
        let (left, origin_row, line) = self.swallowed?;
        self.swallowed = (left > 1).then_some((left - 1, origin_row, line));
        self.row += 1;
        let origin = match origin_row {
            Some(r) => format!("row {r} (line {line})"),
            None => format!("the header (line {line})"),
        };
        Some(Place::row(&self.source, Some(self.row)).fail(
            None,
            ErrorKind::Csv,
            format!("swallowed by the quote left open in {origin}"),
        ))
    }

    /// The id field of the current record, when the header names one and it is readable.
    fn id_of_record(&self) -> Option<String> {
        self.headers
            .as_ref()?
            .iter()
            .position(|h| *h == self.opts.id_field)
            .and_then(|i| self.record.get(i))
            .and_then(|f| self.field_text(f).ok())
            .map(|(t, _)| t)
            .filter(|t| !t.is_empty())
    }

    fn field_text(&self, bytes: &[u8]) -> Result<(String, &'static str), String> {
        decode(bytes, self.opts.encoding)
            .map(|(t, e)| (t.into_owned(), e))
            .map_err(|e| e.0)
    }
}

impl Iterator for CsvSource {
    type Item = Input;
    fn next(&mut self) -> Option<Input> {
        if self.swallowed.is_some() {
            return self.next_swallowed();
        }
        if self.done {
            return None;
        }
        loop {
            match self.reader.next_row() {
                Ok(Row::Unterminated { line, swallowed }) => {
                    self.done = true;
                    self.record.clone_from(self.reader.record());
                    return Some(self.unterminated(line, swallowed));
                }
                Ok(Row::End) => {
                    self.done = true;
                    if self.headers.is_none() {
                        return Some(Place::whole(&self.source).fail(
                            None,
                            ErrorKind::Csv,
                            "no header row",
                        ));
                    }
                    return None;
                }
                Err(e) => {
                    self.done = true;
                    self.row += 1;
                    return Some(Place::row(&self.source, Some(self.row)).fail(
                        None,
                        ErrorKind::Io,
                        format!("read error: {e}"),
                    ));
                }
                Ok(Row::TooLarge) => {
                    if self.headers.is_some() {
                        self.row += 1;
                    } else {
                        self.done = true; // no header to read the rows by
                    }
                    return Some(
                        Place::row(&self.source, self.headers.as_ref().map(|_| self.row)).fail(
                            None,
                            ErrorKind::TooLarge,
                            over_limit("row", self.opts.max_record_bytes),
                        ),
                    );
                }
                Ok(Row::Complete) => self.record.clone_from(self.reader.record()),
            }
            let Some(headers) = &self.headers else {
                let mut hs = Vec::with_capacity(self.record.len());
                for f in self.record.iter() {
                    match self.field_text(f) {
                        Ok((t, _)) => hs.push(t.trim_start_matches('\u{FEFF}').to_string()),
                        Err(m) => {
                            self.done = true;
                            return Some(Place::whole(&self.source).fail(
                                None,
                                ErrorKind::Decode,
                                format!("header: {m}"),
                            ));
                        }
                    }
                }
                check_header(
                    &hs,
                    &self.source,
                    &self.opts.id_field,
                    &self.opts.text_field,
                    &self.opts.notifier,
                );
                self.headers = Some(hs);
                continue;
            };
            self.row += 1;
            let row = Some(self.row);
            if self.record.len() != headers.len() {
                let id = headers
                    .iter()
                    .position(|h| *h == self.opts.id_field)
                    .and_then(|i| self.record.get(i))
                    .and_then(|f| self.field_text(f).ok())
                    .map(|(t, _)| t)
                    .filter(|t| !t.is_empty());
                return Some(Place::row(&self.source, row).fail(
                    id,
                    ErrorKind::Csv,
                    format!(
                        "row has {} fields, the header has {}",
                        self.record.len(),
                        headers.len()
                    ),
                ));
            }
            let mut id = None;
            let mut text = None;
            let mut meta = Map::new();
            let mut encoding = self.stream_encoding.unwrap_or("utf-8");
            for (name, bytes) in headers.iter().zip(self.record.iter()) {
                let (value, enc) = match self.field_text(bytes) {
                    Ok(v) => v,
                    Err(m) => {
                        return Some(Place::row(&self.source, row).fail(
                            None,
                            ErrorKind::Decode,
                            format!("field `{name}`: {m}"),
                        ))
                    }
                };
                if enc != "utf-8" {
                    encoding = enc;
                }
                if *name == self.opts.id_field {
                    id = Some(value);
                } else if *name == self.opts.text_field {
                    text = Some(value);
                } else {
                    meta.insert(name.clone(), Value::String(value));
                }
            }
            let id = id
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| format!("{}:row{}", self.source, self.row));
            let Some(text) = text else {
                return Some(Place::row(&self.source, row).fail(
                    Some(id),
                    ErrorKind::MissingText,
                    format!("no column `{}`", self.opts.text_field),
                ));
            };
            if text.len() > self.opts.max_record_bytes {
                return Some(Place::row(&self.source, row).fail(
                    Some(id),
                    ErrorKind::TooLarge,
                    over_limit("report", self.opts.max_record_bytes),
                ));
            }
            return Some(Place::row(&self.source, row).report(text, encoding, id, meta));
        }
    }
}

/// Splits a stream of text inputs off a reader; used by tests and fuzzing of the readers.
pub fn jsonl_from_reader(
    reader: Box<dyn Read + Send>,
    source: &str,
    opts: SourceOptions,
) -> Inputs {
    Box::new(JsonlSource::new(reader, source, opts))
}

/// CSV inputs from a reader; used by tests and fuzzing of the readers.
pub fn csv_from_reader(reader: Box<dyn Read + Send>, source: &str, opts: SourceOptions) -> Inputs {
    Box::new(CsvSource::new(reader, source, opts))
}
