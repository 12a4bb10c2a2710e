//! Writers of output lines: JSON Lines, or CSV with the summary flattened.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

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

    /// Flushes and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.writer.flush()?;
        Ok(self.writer)
    }
}

/// Where `--output` writes, decided before any input is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputTarget {
    /// Standard output (`--output -`).
    Stdout,
    /// A FIFO or a character device (`/dev/null`, a terminal): written through in place,
    /// never replaced.
    Through(PathBuf),
    /// A regular file, new or replaced at the end by an atomic rename; the path has its
    /// symbolic links resolved, so a link is written through, not replaced.
    Replace(PathBuf),
}

/// An `--output` that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The path exists but is no place to write the output to.
    #[error("--output {path}: {reason}")]
    Refused {
        /// The path as given.
        path: String,
        /// Why.
        reason: String,
    },
    /// An I/O error on the path.
    #[error("--output {path}: {source}")]
    Io {
        /// The path as given.
        path: String,
        /// The I/O error.
        source: io::Error,
    },
}

impl OutputError {
    fn refused(path: &Path, reason: impl Into<String>) -> OutputError {
        OutputError::Refused {
            path: path.display().to_string(),
            reason: reason.into(),
        }
    }

    fn io(path: &Path, source: io::Error) -> OutputError {
        OutputError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Decides where `--output PATH` writes: `-` is stdout; a FIFO or character device is
/// written through; a regular file (or a symbolic link to one) is replaced atomically; a
/// path that does not exist becomes a new file. A directory, a block device, a socket and
/// a symbolic link to nothing are refused, and so is an output that is one of `inputs`
/// (the same file, or a `*.txt` file inside an input directory) unless `force`.
pub fn output_target(
    path: &Path,
    inputs: &[&Path],
    force: bool,
) -> Result<OutputTarget, OutputError> {
    if path.as_os_str() == "-" {
        return Ok(OutputTarget::Stdout);
    }
    let link = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(OutputTarget::Replace(path.to_path_buf()))
        }
        Err(e) => return Err(OutputError::io(path, e)),
    };
    let md = if link.file_type().is_symlink() {
        match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(OutputError::refused(
                    path,
                    "a symbolic link to a file that does not exist",
                ))
            }
            Err(e) => return Err(OutputError::io(path, e)),
        }
    } else {
        link
    };
    if md.is_dir() {
        return Err(OutputError::refused(path, "is a directory"));
    }
    let resolved = std::fs::canonicalize(path).map_err(|e| OutputError::io(path, e))?;
    if !force {
        if let Some(input) = inputs.iter().find(|i| is_input(&resolved, &md, i)) {
            return Err(OutputError::refused(
                path,
                format!(
                    "is also an input ({}); writing it would replace what is being read (use --force to overwrite it)",
                    input.display()
                ),
            ));
        }
    }
    if md.is_file() {
        return Ok(OutputTarget::Replace(resolved));
    }
    if writable_in_place(&md) {
        return Ok(OutputTarget::Through(resolved));
    }
    Err(OutputError::refused(
        path,
        "not a regular file, FIFO or character device (radpath writes only to those)",
    ))
}

#[cfg(unix)]
fn writable_in_place(md: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    md.file_type().is_fifo() || md.file_type().is_char_device()
}

#[cfg(not(unix))]
fn writable_in_place(_md: &std::fs::Metadata) -> bool {
    false
}

#[cfg(unix)]
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_a: &std::fs::Metadata, _b: &std::fs::Metadata) -> bool {
    false
}

/// True when the output (resolved path `out`, metadata `md`) is read as input `input`.
fn is_input(out: &Path, md: &std::fs::Metadata, input: &Path) -> bool {
    if input.as_os_str() == "-" {
        return false;
    }
    let Ok(im) = std::fs::metadata(input) else {
        return false;
    };
    if im.is_dir() {
        // A directory input reads every *.txt file below it.
        let txt = out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
        return txt && std::fs::canonicalize(input).is_ok_and(|dir| out.starts_with(dir));
    }
    same_file(&im, md) || std::fs::canonicalize(input).is_ok_and(|p| p == out)
}

/// The open output of a run: written to, then [`OutputFile::commit`]ed.
#[derive(Debug)]
pub struct OutputFile {
    inner: OutputInner,
}

#[derive(Debug)]
enum OutputInner {
    Stdout(io::StdoutLock<'static>),
    Through(std::fs::File, PathBuf),
    Replace {
        tmp: tempfile::NamedTempFile,
        dest: PathBuf,
    },
}

impl OutputTarget {
    /// Opens the target. A regular file is written to `.radpath-*.partial` beside it: a new
    /// file gets the mode 0666 less the umask, a replaced file keeps its mode (and its
    /// owner and group when the user may set them).
    pub fn create(&self) -> Result<OutputFile, OutputError> {
        let inner = match self {
            OutputTarget::Stdout => OutputInner::Stdout(io::stdout().lock()),
            OutputTarget::Through(p) => OutputInner::Through(
                std::fs::OpenOptions::new()
                    .write(true)
                    .open(p)
                    .map_err(|e| OutputError::io(p, e))?,
                p.clone(),
            ),
            OutputTarget::Replace(dest) => {
                let dir = dest
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let mut builder = tempfile::Builder::new();
                builder.prefix(".radpath-").suffix(".partial");
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    // The mode of a new file; open(2) takes the umask off.
                    builder.permissions(std::fs::Permissions::from_mode(0o666));
                }
                let tmp = builder.tempfile_in(dir).map_err(|e| OutputError::Io {
                    path: dest.display().to_string(),
                    source: io::Error::new(
                        e.kind(),
                        format!("cannot create a temporary file in {}: {e}", dir.display()),
                    ),
                })?;
                if let Ok(old) = std::fs::metadata(dest) {
                    keep_owner(tmp.as_file(), &old);
                    tmp.as_file()
                        .set_permissions(old.permissions())
                        .map_err(|e| OutputError::io(dest, e))?;
                }
                OutputInner::Replace {
                    tmp,
                    dest: dest.clone(),
                }
            }
        };
        Ok(OutputFile { inner })
    }
}

/// Gives the new file the owner and group of the file it replaces, as far as allowed.
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, old: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let Ok(new) = file.metadata() else { return };
    if new.uid() == old.uid() && new.gid() == old.gid() {
        return;
    }
    if std::os::unix::fs::fchown(file, Some(old.uid()), Some(old.gid())).is_err() {
        // Not root: the group may still be one of the user's own.
        let _ = std::os::unix::fs::fchown(file, None, Some(old.gid()));
    }
}

#[cfg(not(unix))]
fn keep_owner(_file: &std::fs::File, _old: &std::fs::Metadata) {}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.inner {
            OutputInner::Stdout(w) => w.write(buf),
            OutputInner::Through(w, _) => w.write(buf),
            OutputInner::Replace { tmp, .. } => tmp.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match &mut self.inner {
            OutputInner::Stdout(w) => w.write_all(buf),
            OutputInner::Through(w, _) => w.write_all(buf),
            OutputInner::Replace { tmp, .. } => tmp.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.inner {
            OutputInner::Stdout(w) => w.flush(),
            OutputInner::Through(w, _) => w.flush(),
            OutputInner::Replace { tmp, .. } => tmp.flush(),
        }
    }
}

impl OutputFile {
    /// Finishes the output: flushes it, and renames a temporary file over its destination.
    /// Dropped without commit, a temporary file is removed and the destination untouched.
    pub fn commit(mut self) -> Result<(), OutputError> {
        match self.inner {
            OutputInner::Stdout(ref mut w) => {
                w.flush().map_err(|e| OutputError::io(Path::new("-"), e))
            }
            OutputInner::Through(ref mut f, ref p) => f.flush().map_err(|e| OutputError::io(p, e)),
            OutputInner::Replace { mut tmp, dest } => {
                tmp.flush().map_err(|e| OutputError::io(&dest, e))?;
                tmp.as_file().sync_all().ok();
                tmp.persist(&dest)
                    .map(|_| ())
                    .map_err(|e| OutputError::io(&dest, e.error))
            }
        }
    }
}
